package dir

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// read reads what is new in f.
func (s *Source) read(ctx context.Context, f *file, now time.Time, emit func(*feed.Batch) error) error {
	if f.pos.Mode == modeWhole && f.pos.Done && !f.verify && f.pos.Size == f.size && f.pos.MTime == f.mtime.UnixNano() {
		return nil // read already, unchanged since
	}
	if err := f.open(); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			f.gone = true
			return nil
		}
		return err
	}
	if _, err := f.currentSize(); err != nil {
		return err
	}
	if f.verify {
		same, err := f.sameContent()
		if err != nil {
			return err
		}
		if !same {
			s.log.Info("file content replaced since its position was stored; reading it from its start", "file", f.path)
			f.pos = position{}
		}
		f.verify = false
	}
	settled := f.settled(now, s.opts.Settle)
	if f.pos.Mode == "" {
		mode, err := f.detect(settled, s.opts.Decode.MaxRecord)
		if err != nil || mode == "" {
			return err
		}
		f.pos.Mode = mode
	}
	if f.pos.Mode == modeLines {
		return s.readLines(ctx, f, settled, emit)
	}
	defer f.close()
	return s.readWhole(ctx, f, settled, emit)
}

// readLines reads the complete lines added to f since its position.
func (s *Source) readLines(ctx context.Context, f *file, settled bool, emit func(*feed.Batch) error) error {
	if f.size < f.pos.Offset {
		s.log.Info("file shrank below the position read: truncated; reading it again from its start", "file", f.path, "size", f.size, "position", f.pos.Offset)
		f.pos = position{Mode: modeLines}
	}
	f.partial = false
	for f.pos.Offset < f.size {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := s.nextLines(f, settled)
		if err != nil || data == nil {
			return err
		}
		if err := s.emitLines(ctx, f, data, emit); err != nil {
			return err
		}
	}
	return nil
}

// nextLines returns the complete lines from f's position, up to
// MaxBatch bytes or one longer line; nil when only a line without its end
// is left and f has not settled.
func (s *Source) nextLines(f *file, settled bool) ([]byte, error) {
	n := min(f.size-f.pos.Offset, int64(s.opts.MaxBatch))
	data := make([]byte, n)
	if _, err := f.f.ReadAt(data, f.pos.Offset); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if cut := bytes.LastIndexByte(data, '\n') + 1; cut > 0 {
		return data[:cut], nil
	}
	// No line ends within the batch: a long line, or one being written.
	end, found, err := lineEnd(f.f, f.pos.Offset, f.size, int64(s.opts.Decode.MaxRecord)+1)
	switch {
	case err != nil:
		return nil, err
	case !found && !settled:
		f.partial = true
		return nil, nil
	case !found:
		end = f.size // settled: the last line will not get its end
	}
	data = make([]byte, end-f.pos.Offset)
	if _, err := f.f.ReadAt(data, f.pos.Offset); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return data, nil
}

// emitLines decodes lines read from f and hands them on as one batch.
func (s *Source) emitLines(ctx context.Context, f *file, data []byte, emit func(*feed.Batch) error) error {
	lines := splitLines(data)
	b := &feed.Batch{}
	apart, records, err := s.linesApart(ctx, f, lines, b)
	if err != nil {
		return err
	}
	n, err := s.decodeLines(ctx, f, data, lines, apart, b)
	if err != nil {
		return err
	}
	records += n
	s.addApart(f, apart, b)
	slices.SortStableFunc(b.Events, func(x, y feed.Event) int { return x.Event.Source.Line - y.Event.Source.Line })
	p := f.pos
	p.Offset += int64(len(data))
	p.Line += len(lines)
	p.Records += records
	p.Name = f.path
	if err := f.digest(&p, p.Offset); err != nil {
		return err
	}
	b.Positions = []store.Position{{Stream: f.id, Value: p.String()}}
	b.Counts = counts(records, b)
	if err := emit(b); err != nil {
		return err
	}
	f.pos = p
	return nil
}

// apartLine is a line of a batch read apart from the others.
type apartLine struct {
	line    int // 1-based within the batch
	records int
	events  []feed.Event // with their index within the line
}

// linesApart reads the lines that are not one JSON value apart, and
// blanks them so that the decoder reads the others with their line
// numbers: given to it with the others, a broken line could take the
// lines after it for part of itself, and where it is reported would then
// depend on where the batch ends. A line that does not start a JSON value
// is rejected; one that does is decoded on its own, to keep whatever
// records it holds. It returns the lines read apart, in order, and how
// many records they held.
func (s *Source) linesApart(ctx context.Context, f *file, lines [][]byte, b *feed.Batch) ([]apartLine, int, error) {
	var apart []apartLine
	records := 0
	for i, l := range lines {
		reason, msg := checkLine(l)
		if reason == "" {
			continue
		}
		a := apartLine{line: i + 1, records: 1}
		lineNo := f.pos.Line + i + 1
		rejected := store.Rejected{Stream: f.id, Position: linePosition(lineNo, 0), Reason: reason, Message: msg, Head: head(l)}
		if reason == reasonInvalid {
			s.rejections = s.rejections[:0]
			st, err := s.dec.Decode(ctx, f.path, bytes.NewReader(bytes.TrimRight(l, "\r\n")), func(e *event.Event) error {
				a.events = append(a.events, feed.Event{Event: e})
				return nil
			})
			if err != nil && ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			if err == nil && st.Records > 0 {
				a.records = st.Records
				s.addLineRejections(f, lineNo-1, lines[i:i+1], b)
				rejected.Reason = ""
			} else {
				a.events = nil
			}
		}
		if rejected.Reason != "" {
			b.Rejected = append(b.Rejected, rejected)
		}
		apart = append(apart, a)
		records += a.records
		for k := range l {
			if l[k] != '\n' {
				l[k] = ' '
			}
		}
	}
	return apart, records, nil
}

// addApart adds the events of lines read apart to b, which holds those of
// the other lines, with their line and record index in the file: the
// index counts the events and rejected records of the lines before.
func (s *Source) addApart(f *file, apart []apartLine, b *feed.Batch) {
	for _, a := range apart {
		if len(a.events) == 0 {
			continue
		}
		line := f.pos.Line + a.line
		before := 0
		for _, ev := range b.Events {
			if ev.Event.Source.Line < line {
				before++
			}
		}
		for _, r := range b.Rejected {
			if n, ok := rejectedLine(r.Position); ok && n < line {
				before++
			}
		}
		base := f.pos
		base.Line += a.line - 1
		base.Records += before
		s.addLineEvents(f, base, nil, a.events, b)
	}
}

// rejectedLine reads the line number back from a rejected record's
// position.
func rejectedLine(pos string) (int, bool) {
	rest, ok := strings.CutPrefix(pos, "line ")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, ".")
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// decodeLines decodes the lines of data into b, leaving out those read
// apart, and returns how many records they held.
func (s *Source) decodeLines(ctx context.Context, f *file, data []byte, lines [][]byte, apart []apartLine, b *feed.Batch) (int, error) {
	s.rejections = s.rejections[:0]
	var events []feed.Event
	st, err := s.dec.Decode(ctx, f.path, bytes.NewReader(data), func(e *event.Event) error {
		events = append(events, feed.Event{Event: e})
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.addLineEvents(f, f.pos, apart, events, b)
	s.addLineRejections(f, f.pos.Line, lines, b)
	return st.Records, nil
}

// reasonInvalid is why a line that starts a JSON value but is not one is
// rejected.
const reasonInvalid = "invalid JSON"

// checkLine returns why a line cannot be read with the others, or "" when
// it is one JSON value (or blank).
func checkLine(l []byte) (reason, msg string) {
	body := bytes.TrimSpace(bytes.TrimPrefix(l, bom))
	switch {
	case len(body) == 0:
		return "", ""
	case body[0] != '{' && body[0] != '[':
		return "not a JSON record", "the line does not start with { or ["
	}
	if err := fastjson.ValidateBytes(body); err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return reasonInvalid, "invalid JSON: " + msg
	}
	return "", ""
}

// addLineEvents adds to b events decoded from the lines of a batch after
// base, with their line and record index in the file and their refs;
// apart lists the lines of the batch read apart, whose records come
// before those of later lines.
func (s *Source) addLineEvents(f *file, base position, apart []apartLine, events []feed.Event, b *feed.Batch) {
	lastLine, k := -1, 0
	for _, ev := range events {
		e := ev.Event
		line := e.Source.Line // within the batch
		before := 0
		for _, a := range apart {
			if a.line < line {
				before += a.records
			}
		}
		e.Source.Line = base.Line + line
		e.Source.Index += base.Records + before
		e.Source.File = f.path
		if e.Source.Line == lastLine {
			k++
		} else {
			lastLine, k = e.Source.Line, 0
		}
		ev.Ref = f.id + ":" + strconv.Itoa(e.Source.Line) + "." + strconv.Itoa(k)
		b.Events = append(b.Events, ev)
	}
}

// addLineRejections adds the decoder's rejections of lines after line
// base to b; lines holds the lines decoded.
func (s *Source) addLineRejections(f *file, base int, lines [][]byte, b *feed.Batch) {
	lastLine, k := -1, 0
	for _, r := range s.rejections {
		if r.Line == lastLine {
			k++
		} else {
			lastLine, k = r.Line, 0
		}
		var h []byte
		if i := r.Line - 1; i >= 0 && i < len(lines) {
			h = head(lines[i])
		}
		b.Rejected = append(b.Rejected, store.Rejected{Stream: f.id, Position: linePosition(base+r.Line, k), Reason: r.Reason, Message: r.Message, Head: h})
	}
}

// linePosition names a rejected record by its line, and by k, its rank
// among the rejected records of that line, when it is not the first.
func linePosition(line, k int) string {
	if k == 0 {
		return "line " + strconv.Itoa(line)
	}
	return "line " + strconv.Itoa(line) + "." + strconv.Itoa(k)
}

// splitLines cuts data after each newline; the slices share data.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n') + 1
		if i == 0 {
			i = len(data)
		}
		out = append(out, data[:i])
		data = data[i:]
	}
	return out
}

// head returns a copy of up to store.MaxHead bytes of b.
func head(b []byte) []byte {
	return bytes.Clone(b[:min(len(b), store.MaxHead)])
}

// counts counts a batch of n records.
func counts(n int, b *feed.Batch) store.Counts {
	c := store.Counts{Records: int64(n), Events: int64(len(b.Events)), Rejected: int64(len(b.Rejected))}
	c.Skipped = c.Records - c.Events - c.Rejected
	return c
}

// readWhole reads f whole once it has settled, in batches of WholeBatch
// records, resuming a reading a crash cut short.
func (s *Source) readWhole(ctx context.Context, f *file, settled bool, emit func(*feed.Batch) error) error {
	mtime := f.mtime.UnixNano()
	current := f.pos.Size == f.size && f.pos.MTime == mtime
	if f.pos.Done && current {
		return nil
	}
	if !settled {
		return nil
	}
	if !current && (f.pos.Done || f.pos.Records > 0) {
		// Changed since it was read, or while it was being read.
		f.pos = position{Mode: modeWhole, Gen: f.pos.Gen + 1}
	}
	f.pos.Size, f.pos.MTime, f.pos.Name = f.size, mtime, f.path
	if err := f.digest(&f.pos, f.size); err != nil {
		return err
	}
	w := &wholeReader{s: s, f: f, emit: emit, resume: f.pos.Records, batch: &feed.Batch{}, at: f.pos}
	return w.run(ctx)
}

// wholeReader reads one whole file into batches.
type wholeReader struct {
	s      *Source
	f      *file
	emit   func(*feed.Batch) error
	resume int // records read before, skipped
	batch  *feed.Batch
	at     position // the position the batch starts at
	last   int      // index of the last record in the batch, -1 for none
	heads  int      // rejected records whose line was looked up
	failed error    // the error of emit, which stops the reading
}

// maxHeads bounds the rejected records of one file whose first bytes are
// looked up, which takes a read of the file each.
const maxHeads = 100

func (w *wholeReader) run(ctx context.Context) error {
	r, err := w.open()
	if err != nil {
		return err
	}
	defer r.Close()
	w.s.rejections = w.s.rejections[:0]
	w.last = w.resume - 1
	st, err := w.s.dec.Decode(ctx, w.f.path, r, func(e *event.Event) error {
		if err := w.rejected(); err != nil {
			return err
		}
		if e.Source.Index < w.resume {
			return nil
		}
		e.Source.File = w.f.path
		ref := fmt.Sprintf("%s:g%d:%d", w.f.id, w.f.pos.Gen, e.Source.Index)
		w.batch.Events = append(w.batch.Events, feed.Event{Event: e, Ref: ref})
		return w.advance(e.Source.Index)
	})
	switch {
	case w.failed != nil:
		return w.failed
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	}
	if err := w.rejected(); err != nil {
		return err
	}
	if err != nil {
		// The document cannot be read on: reject what is left of it.
		w.batch.Rejected = append(w.batch.Rejected, store.Rejected{Stream: w.f.id, Position: w.gen() + "rest", Reason: "unreadable", Message: err.Error()})
		st.Records++
	}
	w.at.Done = true
	return w.flush(max(st.Records, w.resume))
}

// open opens the file, decompressed when it is gzip.
func (w *wholeReader) open() (io.ReadCloser, error) {
	h, err := os.Open(w.f.path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(h)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			h.Close()
			return nil, fmt.Errorf("%s: gzip: %w", w.f.path, err)
		}
		return readCloser{zr, h}, nil
	}
	return readCloser{br, h}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// rejected moves the decoder's rejections into the batch.
func (w *wholeReader) rejected() error {
	rs := w.s.rejections
	w.s.rejections = w.s.rejections[:0]
	for _, r := range rs {
		if r.Index < w.resume {
			continue
		}
		rec := store.Rejected{Stream: w.f.id, Position: w.gen() + "record " + strconv.Itoa(r.Index), Reason: r.Reason, Message: r.Message + " (line " + strconv.Itoa(r.Line) + ")"}
		if w.heads < maxHeads {
			w.heads++
			rec.Head = w.lineHead(r.Line)
		}
		w.batch.Rejected = append(w.batch.Rejected, rec)
		if err := w.advance(r.Index); err != nil {
			return err
		}
	}
	return nil
}

func (w *wholeReader) gen() string {
	if w.f.pos.Gen == 0 {
		return ""
	}
	return "reading " + strconv.Itoa(w.f.pos.Gen) + " "
}

// advance notes that the record at index is in the batch, and hands the
// batch on when it is full.
func (w *wholeReader) advance(index int) error {
	w.last = max(w.last, index)
	if len(w.batch.Events)+len(w.batch.Rejected) < w.s.opts.WholeBatch {
		return nil
	}
	return w.flush(w.last + 1)
}

// flush hands on the batch, the records before index read.
func (w *wholeReader) flush(records int) error {
	p := w.at
	p.Records = records
	w.batch.Positions = []store.Position{{Stream: w.f.id, Value: p.String()}}
	w.batch.Counts = counts(records-w.at.Records, w.batch)
	if err := w.emit(w.batch); err != nil {
		w.failed = err
		return err
	}
	w.at, w.f.pos = p, p
	w.batch = &feed.Batch{}
	return nil
}

// lineHead returns the first bytes of line n of the file, read again.
func (w *wholeReader) lineHead(n int) []byte {
	r, err := w.open()
	if err != nil {
		return nil
	}
	defer r.Close()
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		l, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) && line < n {
			_, err = br.ReadSlice('\n')
		}
		if line == n {
			return head(l)
		}
		if err != nil {
			return nil
		}
	}
}
