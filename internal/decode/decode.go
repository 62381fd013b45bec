// Package decode reads the layouts in which Microsoft Entra audit and
// sign-in logs, Azure Key Vault logs and the Azure Activity Log are exported,
// and turns each record into a normalized event.Event.
//
// The layout of an input is detected from its content, never its name:
// Microsoft Graph objects and list responses, Azure Monitor diagnostic
// records (Event Hub messages, storage blobs, one per line or in a
// "records" array), the 2018 audit schema, Log Analytics rows exported as
// JSON, CSV or a query API response, Entra portal downloads, Key Vault
// AuditEvent records and Activity Log events. Records are read one at a time,
// so memory does not grow with the input. See docs/layouts.md.
package decode

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/textenc"
)

// Defaults for Options.
const (
	DefaultMaxRecord = 16 << 20
	DefaultMaxErrors = 10
)

// Options tune a Decoder.
type Options struct {
	// MaxRecord is the largest record read, in bytes; larger ones are
	// skipped with an error. Zero means DefaultMaxRecord.
	MaxRecord int
	// MaxErrors is how many error messages are kept per input; the rest
	// are only counted. Zero means DefaultMaxErrors.
	MaxErrors int
	// Rejected, when set, is told of every record that could not be
	// decoded, however many there are, as it is met.
	Rejected func(Rejection)
}

// Rejection is a record that could not be decoded.
type Rejection struct {
	Line  int // where the record starts, 1-based
	Index int // its index among the input's records, 0-based
	// Reason is the short reason Stats.Skipped counts it under, Message
	// the error message about it.
	Reason, Message string
}

// Stats counts what one input held and what became of it.
type Stats struct {
	Name    string
	Records int            // records read
	Events  int            // events produced
	Layouts map[string]int // records by layout
	Skipped map[string]int // records skipped, by reason
	// Errors holds the first messages about bad records, each naming the
	// input and line; ErrorCount counts them all.
	Errors     []string
	ErrorCount int
	maxErrors  int
	rejected   func(Rejection)
}

// SkippedCount is the number of records skipped for any reason.
func (s *Stats) SkippedCount() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

func (s *Stats) skip(reason string) {
	s.Skipped[reason]++
}

// fail skips a record for reason, with an error message; the caller has
// counted it in Records already.
func (s *Stats) fail(line int, reason, msg string) {
	s.skip(reason)
	if s.rejected != nil {
		s.rejected(Rejection{Line: line, Index: s.Records - 1, Reason: reason, Message: msg})
	}
	s.note(line, msg)
}

// note counts an error, keeping its message while there is room.
func (s *Stats) note(line int, msg string) {
	s.ErrorCount++
	if len(s.Errors) < s.maxErrors {
		s.Errors = append(s.Errors, fmt.Sprintf("%s:%d: %s", s.Name, line, msg))
	}
}

// Decoder reads inputs into events. It reuses its buffers between records
// and inputs, so it must not be used by several goroutines at once; use one
// Decoder per goroutine.
type Decoder struct {
	opts    Options
	root    lazyjson.Parser
	subs    []lazyjson.Parser // for JSON held in strings, reset per record
	nsub    int
	props   modprop.Decoder
	outer   members
	inner   members
	strs    strTable
	actions map[string]string // activity name → key, to fold each name once
	// pending holds role assignment facts by correlation id, from Activity
	// Log events that carry the request body, for the events that do not.
	pending map[string]event.Azure
}

// NewDecoder returns a Decoder with the given options.
func NewDecoder(opts Options) *Decoder {
	if opts.MaxRecord <= 0 {
		opts.MaxRecord = DefaultMaxRecord
	}
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = DefaultMaxErrors
	}
	d := &Decoder{opts: opts, actions: make(map[string]string)}
	d.outer.strs, d.inner.strs = &d.strs, &d.strs
	return d
}

// Emit receives each event. The event is the receiver's to keep. Returning
// an error stops the input.
type Emit func(*event.Event) error

// ErrNoRecognisedContent reports an input that is neither JSON nor CSV.
var ErrNoRecognisedContent = errors.New("content is neither JSON nor CSV")

// ErrText reports an input of readable text that is neither JSON nor CSV,
// such as a README kept beside exported logs. It wraps
// ErrNoRecognisedContent; package ingest tells such files found in a
// directory apart from logs that could not be read.
var ErrText = fmt.Errorf("%w: it is plain text", ErrNoRecognisedContent)

// Decode reads one input, named name in messages, and emits an event for
// each record it understands. Bad records are counted in the returned
// Stats, with messages naming the line, and reading goes on. An input that
// fails part way (a gzip stream cut short, an I/O error) keeps the events
// read before, and the failure is counted as an error naming the line and
// byte offset where it happened. Decode returns an error only when the
// input cannot be read at all, when ctx is done or when emit fails.
func (d *Decoder) Decode(ctx context.Context, name string, r io.Reader, emit Emit) (*Stats, error) {
	st := &Stats{Name: name, Layouts: map[string]int{}, Skipped: map[string]int{}, maxErrors: d.opts.MaxErrors, rejected: d.opts.Rejected}
	in := &inputReader{r: r}
	br := bufio.NewReaderSize(in, bufSize)
	if isGzip(br) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return st, fmt.Errorf("%s: gzip: %w", name, err)
		}
		defer zr.Close()
		in = &inputReader{r: zr, gzip: true}
		br = bufio.NewReaderSize(in, bufSize)
	}
	if head, _ := br.Peek(2); textenc.IsUTF16(head) {
		br = bufio.NewReaderSize(textenc.NewReader(br), bufSize)
	}
	kind, err := sniff(br)
	if err != nil {
		return st, inputError(name, err)
	}
	skipBOM(br)
	switch kind {
	case contentEmpty:
		return st, nil
	case contentCSV:
		err = d.decodeCSV(ctx, br, st, emit)
	default:
		err = d.decodeJSON(ctx, br, st, emit)
	}
	var re *readError
	if errors.As(err, &re) {
		st.cutShort(re, in)
		return st, nil
	}
	if err != nil {
		return st, inputError(name, err)
	}
	return st, nil
}

// bufSize is the size of the input buffers, and how much of an input is
// looked at to recognise its content.
const bufSize = 64 << 10

// inputReader counts the bytes read from r, for messages, and keeps the
// first error it returns, which bufio.Reader hands out only once.
type inputReader struct {
	r    io.Reader
	n    int64
	err  error
	gzip bool // r decompresses the input
}

func (in *inputReader) Read(p []byte) (int, error) {
	if in.err != nil {
		return 0, in.err
	}
	n, err := in.r.Read(p)
	in.n += int64(n)
	if err != nil {
		if err != io.EOF && in.gzip && !strings.HasPrefix(err.Error(), "gzip: ") {
			err = fmt.Errorf("gzip: %w", err)
		}
		in.err = err
	}
	return n, err
}

// cutShort counts a read error met part way through the input: an error
// naming where reading stopped, and the record it cut short as skipped.
func (s *Stats) cutShort(re *readError, in *inputReader) {
	what := "bytes"
	if in.gzip {
		what = "bytes of decompressed data"
	}
	msg := fmt.Sprintf("input cut short after %d %s: %v", in.n, what, re.err)
	if !re.partial {
		s.note(re.line, msg)
		return
	}
	s.Records++
	s.fail(re.line, "input cut short", msg+"; the record that starts here is incomplete and skipped")
}

// lineError is an error that stops an input at a known line.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// inputError names the input, and the line when known, in err.
func inputError(name string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return fmt.Errorf("%s:%d: %w", name, le.line, le.err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// skipBOM drops a UTF-8 byte order mark at the start of the input, which
// spreadsheet programs write and the CSV reader would keep in the first
// column name.
func skipBOM(br *bufio.Reader) {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
}

func isGzip(br *bufio.Reader) bool {
	b, _ := br.Peek(2)
	return len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b
}

type content uint8

const (
	contentEmpty content = iota
	contentJSON
	contentCSV
)

// sniff decides from the first bytes whether the input is JSON or CSV. A
// first line that is neither a JSON value nor a known CSV header (a
// warning a command printed before its output) does not hide the JSON
// that follows: the JSON reader reports the line and reads on.
func sniff(br *bufio.Reader) (content, error) {
	head, err := br.Peek(bufSize)
	if len(head) == 0 && err != nil && err != io.EOF {
		return contentEmpty, err
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return contentEmpty, nil
	}
	if c := trimmed[0]; c == '{' || c == '[' {
		return contentJSON, nil
	}
	csvLike := looksLikeCSV(trimmed)
	switch {
	case csvLike && knownCSVHeader(trimmed):
		return contentCSV, nil
	case jsonLineFollows(trimmed):
		return contentJSON, nil
	case csvLike:
		return contentCSV, nil
	}
	why := ErrNoRecognisedContent
	if isText(trimmed) {
		why = ErrText
	}
	return contentEmpty, &lineError{line: 1 + bytes.Count(head[:len(head)-len(trimmed)], []byte("\n")), err: why}
}

// isText reports whether b is UTF-8 text without control characters other
// than tabs and line ends. The last rune of b may be cut short.
func isText(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 && len(b) >= utf8.UTFMax {
			return false
		}
		if r < 0x20 && r != '\t' && r != '\r' && r != '\n' || r == 0x7f {
			return false
		}
		b = b[n:]
	}
	return true
}

// jsonLineFollows reports whether a line of b after the first starts,
// past any spaces, with '{' or '['.
func jsonLineFollows(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return false
		}
		b = bytes.TrimLeft(b[i+1:], " \t\r")
		if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
			return true
		}
	}
}

// looksLikeCSV reports whether the first line of b is a plausible CSV
// header: printable text with at least one comma.
func looksLikeCSV(b []byte) bool {
	line := firstLine(b)
	if !bytes.ContainsAny(line, ",\t;") {
		return false
	}
	for _, c := range line {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// firstLine returns the first line of b without its line end.
func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimRight(b, "\r")
}

// decodeJSON reads a JSON input record by record.
func (d *Decoder) decodeJSON(ctx context.Context, r io.Reader, st *Stats, emit Emit) error {
	sp := newSplitter(r, d.opts.MaxRecord)
	for {
		rec, err := sp.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var re *recordError
			if !errors.As(err, &re) {
				return err
			}
			st.Records++
			st.fail(re.line, "invalid JSON", re.msg)
			continue
		}
		if st.Records%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := d.jsonRecord(rec, st, emit); err != nil {
			return err
		}
	}
}

// jsonRecord parses one JSON record and emits its event.
func (d *Decoder) jsonRecord(rec record, st *Stats, emit Emit) error {
	d.nsub = 0
	v, err := d.root.ParseBytes(rec.data)
	if err != nil && rec.unchecked {
		return d.splitLine(rec, st, emit)
	}
	if err != nil {
		st.Records++
		st.fail(rec.line, "invalid JSON", "invalid JSON: "+shortErr(err))
		return nil
	}
	if rec.columns != nil {
		return d.emitOne(st, rec.line, emit, func(e *event.Event) (string, string) { return d.tableRow(e, v, rec.columns) })
	}
	if inner := nestedRecords(v); inner != nil {
		for _, iv := range inner {
			if err := d.emitOne(st, rec.line, emit, func(e *event.Event) (string, string) { return d.object(e, iv) }); err != nil {
				return err
			}
		}
		return nil
	}
	return d.emitOne(st, rec.line, emit, func(e *event.Event) (string, string) { return d.object(e, v) })
}

// splitLine reads, record by record, a line the fast path took whole but
// that does not parse: several objects written on one line, or a broken
// record followed by a good one. The result is what the slow path would
// have given.
func (d *Decoder) splitLine(line record, st *Stats, emit Emit) error {
	sp := newLineSplitter(line.data, d.opts.MaxRecord)
	for {
		rec, err := sp.next()
		if err == io.EOF {
			return nil
		}
		var re *recordError
		if errors.As(err, &re) {
			st.Records++
			st.fail(line.line, "invalid JSON", re.msg)
			continue
		}
		if err != nil {
			return err
		}
		rec.line = line.line
		if err := d.jsonRecord(rec, st, emit); err != nil {
			return err
		}
	}
}

// nestedRecords returns the records of a wrapper found inside an array,
// such as a list of Event Hub messages each holding "records".
func nestedRecords(v *lazyjson.Value) []*lazyjson.Value {
	if v.Type() != lazyjson.TypeObject {
		return nil
	}
	o, _ := v.Object()
	if o.Len() > 4 {
		return nil
	}
	for _, k := range [...]string{"records", "value"} {
		if a := v.Get(k); a != nil && a.Type() == lazyjson.TypeArray {
			return a.GetArray()
		}
	}
	return nil
}

// emitOne normalizes one record with fill, which returns the layout and,
// when the record is skipped, the reason.
func (d *Decoder) emitOne(st *Stats, line int, emit Emit, fill func(*event.Event) (layout, skip string)) error {
	st.Records++
	e := &event.Event{}
	layout, skip := fill(e)
	if skip != "" {
		st.skip(skip)
		return nil
	}
	st.Layouts[layout]++
	st.Events++
	e.Source.Format = layout
	e.Source.File = st.Name
	e.Source.Line = line
	e.Source.Index = st.Records - 1
	return emit(e)
}

// sub parses JSON found inside a string, with a parser of its own so that
// values parsed earlier for the same record stay valid.
func (d *Decoder) sub(s string) (*lazyjson.Value, error) {
	if d.nsub == len(d.subs) {
		d.subs = append(d.subs, lazyjson.Parser{})
	}
	p := &d.subs[d.nsub]
	d.nsub++
	return p.Parse(s)
}

// json returns a member holding JSON: the value itself, or the JSON held in
// a string (Log Analytics dynamic columns, CSV cells). It returns nil when
// the member is absent, empty or not JSON.
func (d *Decoder) json(m *members, s slot) *lazyjson.Value {
	var t string
	if m.csv {
		t = m.text[s]
	} else {
		v := m.v[s]
		if v == nil {
			return nil
		}
		if v.Type() != lazyjson.TypeString {
			return v
		}
		t = string(v.GetStringBytes())
	}
	return d.jsonText(t)
}

// jsonText parses t when it holds a JSON object or array.
func (d *Decoder) jsonText(t string) *lazyjson.Value {
	t = strings.TrimSpace(t)
	if t == "" || t[0] != '{' && t[0] != '[' {
		return nil
	}
	v, err := d.sub(t)
	if err != nil {
		return nil
	}
	return v
}

// activityKey returns the folded activity name, folding each name once.
func (d *Decoder) activityKey(name string) string {
	if k, ok := d.actions[name]; ok {
		return k
	}
	k := event.NormalizeActivity(name)
	if len(d.actions) < 4096 {
		d.actions[name] = k
	}
	return k
}

// shortErr trims a parser error to its first line.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
