// Package dir is the dir:PATH source of appwatch watch: a folder of
// exported log files (storage-account exports synced locally, scheduled
// az dumps, an Event Hubs capture turned into JSON Lines), read as files
// appear and grow.
//
// Each file is a stream, named by its device and inode so that renaming
// it (log rotation) does not make it new. Files of one JSON record per
// line are read as they grow: a batch ends at the last complete line, and
// a last line without its end waits for it, or for the file to stay
// unchanged for Options.Settle. A file that shrinks was truncated and is
// read again from its start. Other files (gzip, JSON documents, CSV) are
// read whole once they have stayed unchanged for Options.Settle, and read
// again whole if they change later. The position of each stream records
// how far it was read and a digest of its first bytes, so that a file
// whose inode is reused, or whose content was replaced, is read from its
// start. Lines that are not JSON records, and records the decoder cannot
// read, are rejected with the reason.
package dir

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/feed"
)

// Defaults for Options.
const (
	DefaultPoll       = 250 * time.Millisecond
	DefaultSettle     = 5 * time.Second
	DefaultMaxBatch   = 4 << 20
	DefaultWholeBatch = 1000
)

// Options tune a folder source.
type Options struct {
	// Poll is how often the folder is listed and its files checked.
	Poll time.Duration
	// Settle is how long a file must stay unchanged before a whole
	// document, or a last line without its end, is read.
	Settle time.Duration
	// MaxBatch is how many bytes of lines a batch holds at most (a longer
	// line makes a batch of its own).
	MaxBatch int
	// WholeBatch is how many records of a whole document a batch holds.
	WholeBatch int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Decode tunes the decoder; its Rejected is the source's own.
	Decode decode.Options
	Logger *slog.Logger
}

// Source reads a folder. Run may be called again after it returned, and
// goes on from where it was.
type Source struct {
	name, root string
	opts       Options
	log        *slog.Logger
	dec        *decode.Decoder
	stored     map[string]string // positions read from the store, by stream
	files      map[string]*file  // by stream
	rejections []decode.Rejection
}

// New returns the source dir:root.
func New(root string, opts Options) *Source {
	opts.Poll = cmp.Or(opts.Poll, DefaultPoll)
	opts.Settle = cmp.Or(opts.Settle, DefaultSettle)
	opts.MaxBatch = cmp.Or(opts.MaxBatch, DefaultMaxBatch)
	opts.WholeBatch = cmp.Or(opts.WholeBatch, DefaultWholeBatch)
	opts.Decode.MaxRecord = cmp.Or(opts.Decode.MaxRecord, decode.DefaultMaxRecord)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Source{name: "dir:" + root, root: root, opts: opts, files: map[string]*file{}}
	s.log = opts.Logger.With("source", s.name)
	opts.Decode.Rejected = func(r decode.Rejection) { s.rejections = append(s.rejections, r) }
	s.dec = decode.NewDecoder(opts.Decode)
	return s
}

// Name returns dir:PATH.
func (s *Source) Name() string { return s.name }

// Run reads the folder every Options.Poll until ctx is done.
func (s *Source) Run(ctx context.Context, st feed.State, out chan<- *feed.Batch) error {
	defer s.closeAll()
	if err := s.start(ctx, st); err != nil {
		return err
	}
	emit := func(b *feed.Batch) error {
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tick := time.NewTicker(s.opts.Poll)
	defer tick.Stop()
	for {
		if err := s.poll(ctx, emit); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// start reads the stored positions.
func (s *Source) start(ctx context.Context, st feed.State) error {
	pos, err := st.Positions(ctx, s.name)
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	s.stored = pos
	return nil
}

// entry is a file found in the folder.
type entry struct {
	path  string
	size  int64
	mtime time.Time
}

// poll lists the folder and reads what changed in its files.
func (s *Source) poll(ctx context.Context, emit func(*feed.Batch) error) error {
	listing, err := s.list()
	if err != nil {
		return err
	}
	now := s.opts.Now()
	for id, f := range s.files {
		if _, ok := listing[id]; !ok {
			f.gone = true
		}
	}
	for id, e := range listing {
		f := s.files[id]
		if f == nil {
			f = s.track(id, e, now)
		}
		f.gone = false
		f.path = e.path
		if e.size != f.size || !e.mtime.Equal(f.mtime) {
			f.size, f.mtime, f.since = e.size, e.mtime, now
		}
	}
	var handOn error // the first error of emit, which stops the poll
	checked := func(b *feed.Batch) error {
		handOn = emit(b)
		return handOn
	}
	for _, f := range s.byPath() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.read(ctx, f, now, checked); err != nil {
			if handOn != nil {
				return handOn
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.log.Warn("file not read; trying again", "file", f.path, "error", err)
			f.close()
			continue
		}
		if f.gone && f.drained(now, s.opts.Settle) {
			f.close()
			delete(s.files, f.id)
		}
	}
	return nil
}

// byPath returns the tracked files in path order, so that runs are
// repeatable.
func (s *Source) byPath() []*file {
	out := slices.Collect(maps.Values(s.files))
	slices.SortFunc(out, func(a, b *file) int { return cmp.Or(strings.Compare(a.path, b.path), strings.Compare(a.id, b.id)) })
	return out
}

// list returns the regular files under the folder, hidden ones left out,
// by stream.
func (s *Source) list() (map[string]entry, error) {
	out := map[string]entry{}
	err := filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == s.root {
				return err
			}
			// A file deleted while listing, or one we may not read.
			return nil
		}
		if path != s.root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		out[fileID(path, info)] = entry{path: path, size: info.Size(), mtime: info.ModTime()}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	return out, nil
}

// track starts following a file, from its stored position if any.
func (s *Source) track(id string, e entry, now time.Time) *file {
	f := &file{id: id, path: e.path, size: e.size, mtime: e.mtime, since: now}
	if text, ok := s.stored[id]; ok {
		p, err := parsePosition(text)
		if err != nil {
			s.log.Warn("stored position unreadable; reading the file from its start", "file", e.path, "error", err)
		} else {
			f.pos, f.verify = p, true
		}
	}
	s.files[id] = f
	return f
}

func (s *Source) closeAll() {
	for _, f := range s.files {
		f.close()
	}
}
