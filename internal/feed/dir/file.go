package dir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"time"
)

// Modes of reading a file.
const (
	modeLines = "lines" // one JSON record per line, read as it grows
	modeWhole = "whole" // read whole once it stays unchanged
)

// headSize is how many of a file's first bytes its position's digest
// covers, at most.
const headSize = 1024

// position is how far a file was read, stored as JSON.
type position struct {
	Mode string `json:"mode,omitempty"`
	// Lines mode: bytes and lines read, always up to a line's end.
	Offset int64 `json:"offset,omitempty"`
	Line   int   `json:"line,omitempty"`
	// Records read: in lines mode since the file's start, in whole mode
	// in this reading of the file.
	Records int `json:"records,omitempty"`
	// Whole mode: which reading of the file this is (it is read again
	// when it changes), and the size and time of the version read.
	Gen   int   `json:"gen,omitempty"`
	Size  int64 `json:"size,omitempty"`
	MTime int64 `json:"mtime,omitempty"`
	Done  bool  `json:"done,omitempty"`
	// Head is the digest of the file's first HeadLen bytes.
	Head    string `json:"head,omitempty"`
	HeadLen int    `json:"head_len,omitempty"`
	// Name is the file's name when the position was taken, for people.
	Name string `json:"name,omitempty"`
}

func parsePosition(text string) (position, error) {
	var p position
	err := json.Unmarshal([]byte(text), &p)
	return p, err
}

func (p position) String() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// file is a file the source follows.
type file struct {
	id    string // stream: device and inode
	path  string // its name now
	f     *os.File
	pos   position
	size  int64
	mtime time.Time
	since time.Time // when size or mtime last changed, by the clock
	// verify is set while the stored position has not been checked
	// against the file's first bytes.
	verify bool
	gone   bool // no longer in the folder
	// partial is set when the file ends in a line without its end.
	partial bool
}

func (f *file) close() {
	if f.f != nil {
		f.f.Close()
		f.f = nil
	}
}

// open opens the file unless it is open.
func (f *file) open() error {
	if f.f != nil {
		return nil
	}
	h, err := os.Open(f.path)
	if err != nil {
		return err
	}
	f.f = h
	return nil
}

// settled reports whether the file has not changed for settle.
func (f *file) settled(now time.Time, settle time.Duration) bool {
	return now.Sub(f.since) >= settle
}

// drained reports whether a file that left the folder has nothing left
// to read.
func (f *file) drained(now time.Time, settle time.Duration) bool {
	switch f.pos.Mode {
	case modeLines:
		return f.pos.Offset >= f.size && !f.partial
	case modeWhole:
		return true
	}
	return f.settled(now, settle)
}

// currentSize returns the size of the open file, which may have left the
// folder.
func (f *file) currentSize() (int64, error) {
	info, err := f.f.Stat()
	if err != nil {
		return 0, err
	}
	if info.Size() != f.size || !info.ModTime().Equal(f.mtime) {
		f.size, f.mtime = info.Size(), info.ModTime()
	}
	return info.Size(), nil
}

// headDigest returns the digest of the file's first n bytes.
func (f *file) headDigest(n int) (string, error) {
	buf := make([]byte, n)
	if _, err := f.f.ReadAt(buf, 0); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16]), nil
}

// sameContent reports whether the open file still starts with the bytes
// its position's digest covers.
func (f *file) sameContent() (bool, error) {
	if f.pos.HeadLen == 0 {
		return true, nil
	}
	if f.size < int64(f.pos.HeadLen) {
		return false, nil
	}
	h, err := f.headDigest(f.pos.HeadLen)
	if err != nil {
		return false, err
	}
	return h == f.pos.Head, nil
}

// digest makes p's digest cover up to headSize of the file's first n
// bytes.
func (f *file) digest(p *position, n int64) error {
	want := int(min(n, headSize))
	if want <= p.HeadLen {
		return nil
	}
	h, err := f.headDigest(want)
	if err != nil {
		return err
	}
	p.Head, p.HeadLen = h, want
	return nil
}

// detect decides how to read the file from its first bytes: JSON Lines
// when its first line is a complete JSON object, whole otherwise. It
// returns "" while that cannot be told yet.
func (f *file) detect(settled bool, maxRecord int) (string, error) {
	head := make([]byte, min(f.size, 64<<10))
	n, err := f.f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	head = head[:n]
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return modeWhole, nil
	}
	body := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	switch {
	case len(body) == 0 && !settled:
		return "", nil
	case len(body) == 0 || body[0] != '{':
		return modeWhole, nil
	}
	end, found, err := lineEnd(f.f, 0, f.size, int64(maxRecord))
	if err != nil {
		return "", err
	}
	if !found {
		if settled {
			return modeWhole, nil
		}
		return "", nil
	}
	line := make([]byte, end)
	if _, err := f.f.ReadAt(line, 0); err != nil {
		return "", err
	}
	if json.Valid(bytes.TrimPrefix(line, bom)) {
		return modeLines, nil
	}
	return modeWhole, nil
}

var bom = []byte("\xef\xbb\xbf")

// lineEnd finds the end of the line starting at off, just past its
// newline, looking at no more than limit bytes and not past size.
func lineEnd(r io.ReaderAt, off, size, limit int64) (int64, bool, error) {
	buf := make([]byte, 64<<10)
	for pos := off; pos < size && pos-off <= limit; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-pos)], pos)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return pos + int64(i) + 1, true, nil
		}
		pos += int64(n)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, false, err
		}
		if n == 0 {
			break
		}
	}
	return 0, false, nil
}
