package notify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/appwatch/appwatch/internal/alert"
)

// fileSink appends each alert, as stored, as one line of JSON to a file,
// and syncs the file to disk before it reports the alerts delivered. It
// opens the file again when it has been renamed or removed (log rotation).
type fileSink struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

func newFile(path string) (*fileSink, error) {
	s := &fileSink{path: path}
	if err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

// open opens the file for appending, creating it (and syncing its
// directory, so that the new name survives a crash) when it is missing.
func (s *fileSink) open() error {
	_, statErr := os.Stat(s.path)
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	if os.IsNotExist(statErr) {
		if err := syncDir(filepath.Dir(s.path)); err != nil {
			f.Close()
			return err
		}
	}
	s.f = f
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Send appends one line per alert and syncs the file: either every alert
// is written and synced, or the file is cut back to where it was and none
// is delivered.
func (s *fileSink) Send(_ context.Context, alerts []alert.Alert) (int, error) {
	var buf []byte
	for _, a := range alerts {
		b, err := storedJSON(a)
		if err != nil {
			return 0, permanent(fmt.Errorf("alert %s: %w", a.AlertKey, err))
		}
		buf = append(append(buf, b...), '\n')
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reopen(); err != nil {
		return 0, temporary(err)
	}
	info, err := s.f.Stat()
	if err != nil {
		return 0, temporary(fmt.Errorf("stat %s: %w", s.path, err))
	}
	if _, err := s.f.Write(buf); err != nil {
		s.f.Truncate(info.Size())
		return 0, temporary(fmt.Errorf("write %s: %w", s.path, err))
	}
	if err := s.f.Sync(); err != nil {
		s.f.Truncate(info.Size())
		return 0, temporary(fmt.Errorf("sync %s: %w", s.path, err))
	}
	return len(alerts), nil
}

// reopen opens the file again when the name no longer leads to the open
// file.
func (s *fileSink) reopen() error {
	if s.f != nil {
		cur, err1 := s.f.Stat()
		named, err2 := os.Stat(s.path)
		if err1 == nil && err2 == nil && os.SameFile(cur, named) {
			return nil
		}
		s.f.Close()
		s.f = nil
	}
	return s.open()
}

// Close closes the file.
func (s *fileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}
