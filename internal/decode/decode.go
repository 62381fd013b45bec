// Package decode reads the layouts in which Microsoft Entra audit and
// sign-in logs, Azure Key Vault logs and the Azure Activity Log are exported,
// and turns each record into a normalized event.Event.
//
// The layout of an input is detected from its content, never its name:
// Microsoft Graph objects and list responses, Azure Monitor diagnostic
// records (Event Hub messages, storage blobs, one per line or in a
// "records" array), the 2018 audit schema, Log Analytics rows exported as
// JSON, CSV or a query API response, Entra portal downloads, Key Vault
// AuditEvent records and Activity Log events. Records are read a batch at a
// time, so memory does not grow with the input, and batches of one input can
// be decoded on several goroutines (see Input, Decoder.DecodeBatch and
// Sequencer). See docs/layouts.md.
package decode

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
	"github.com/appwatch/appwatch/internal/modprop"
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
	// Errors holds the first messages about bad records in English, each
	// naming the input and line, for logs; Notes holds the same messages
	// for the user to read in their language. ErrorCount counts them all.
	Errors     []string
	Notes      []Note
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
func (s *Stats) fail(line int, reason string, msg Message) {
	s.skip(reason)
	if s.rejected != nil {
		s.rejected(Rejection{Line: line, Index: s.Records - 1, Reason: reason, Message: msg.String()})
	}
	s.note(line, msg)
}

// note counts an error, keeping its message while there is room.
func (s *Stats) note(line int, msg Message) {
	s.ErrorCount++
	if len(s.Errors) < s.maxErrors {
		s.Errors = append(s.Errors, fmt.Sprintf("%s:%d: %s", s.Name, line, msg))
		s.Notes = append(s.Notes, Note{Line: line, Message: msg})
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
	picked  [8]*lazyjson.Value // scratch for pick
	actions map[string]string  // activity name → key, to fold each name once
	// For DecodeBatch: where results go, the input's name, and how the
	// record being normalized relates to others of its Activity Log
	// operation.
	out  *Decoded
	name string
	role roleUse
	// For Decode, which does the three steps of reading in turn.
	seq     Sequencer
	batch   Batch
	decoded Decoded
	// line is the Stats DecodeLine returns, reused.
	line *Stats
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.MaxRecord <= 0 {
		o.MaxRecord = DefaultMaxRecord
	}
	if o.MaxErrors <= 0 {
		o.MaxErrors = DefaultMaxErrors
	}
	return o
}

// NewDecoder returns a Decoder with the given options.
func NewDecoder(opts Options) *Decoder {
	d := &Decoder{opts: opts.withDefaults(), actions: make(map[string]string)}
	return d
}

// Emit receives each event. The event is the receiver's to keep. Returning
// an error stops the input.
type Emit func(*event.Event) error

// ErrNoRecognisedContent reports an input that is neither JSON nor CSV.
var ErrNoRecognisedContent = messageErr(msgNotJSONOrCSV)

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
	in, err := Open(name, r, d.opts)
	if err != nil {
		return in.Stats, err
	}
	defer in.Close()
	for {
		err := in.Next(ctx, &d.batch)
		d.DecodeBatch(&d.batch, &d.decoded)
		if aerr := d.seq.Apply(in.Stats, &d.decoded, emit); aerr != nil {
			return in.Stats, inputError(name, aerr)
		}
		switch {
		case err == io.EOF:
			return in.Stats, nil
		case err != nil:
			return in.Stats, inputError(name, err)
		}
	}
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

// jsonRecord parses one JSON record and normalizes it.
func (d *Decoder) jsonRecord(rec record) {
	d.nsub = 0
	v, err := d.root.ParseBytes(rec.data)
	if err != nil && rec.unchecked {
		d.splitLine(rec)
		return
	}
	if err != nil {
		d.fail(rec.line, skipJSON, message(msgInvalidJSON, shortErr(err)))
		return
	}
	d.parsed(v, rec)
}

// parsed normalizes the record rec parsed as v: a row of a table, a
// wrapper of records found inside an array, or a record.
func (d *Decoder) parsed(v *lazyjson.Value, rec record) {
	if rec.columns != nil {
		d.record(rec.line, func(e *event.Event) (string, string) { return d.tableRow(e, v, rec.columns) })
		return
	}
	if inner := nestedRecords(v); inner != nil {
		for _, iv := range inner {
			d.record(rec.line, func(e *event.Event) (string, string) { return d.object(e, iv) })
		}
		return
	}
	d.record(rec.line, func(e *event.Event) (string, string) { return d.object(e, v) })
}

// splitLine reads, record by record, a line the fast path took whole but
// that does not parse: several objects written on one line, or a broken
// record followed by a good one. The result is what the slow path would
// have given.
func (d *Decoder) splitLine(line record) {
	sp := newLineSplitter(line.data, d.opts.MaxRecord)
	for {
		rec, err := sp.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			msg := message("%v", err)
			var re *recordError
			if errors.As(err, &re) {
				msg = re.msg
			}
			d.fail(line.line, skipJSON, msg)
			continue
		}
		rec.line = line.line
		d.jsonRecord(rec)
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

// record normalizes one record with fill, which returns the layout and,
// when the record is skipped, the reason.
func (d *Decoder) record(line int, fill func(*event.Event) (layout, skip string)) {
	e := d.newEvent()
	d.role = roleNone
	layout, skip := fill(e)
	if skip != "" {
		d.out.spare = append(d.out.spare, e)
		d.out.results = append(d.out.results, result{kind: resultSkip, line: line, reason: skip})
		return
	}
	e.Source.Format, e.Source.File, e.Source.Line = layout, d.name, line
	d.out.results = append(d.out.results, result{kind: resultEvent, line: line, layout: layout, ev: e, role: d.role})
}

// newEvent returns an empty event: a spare one of the batch's results
// when there is one (see Decoded.Recycle), or a new one.
func (d *Decoder) newEvent() *event.Event {
	spare := d.out.spare
	if n := len(spare); n > 0 {
		e := spare[n-1]
		d.out.spare = spare[:n-1]
		*e = event.Event{}
		return e
	}
	return &event.Event{}
}

// fail counts a record that could not be read.
func (d *Decoder) fail(line int, reason string, msg Message) {
	d.out.results = append(d.out.results, result{kind: resultFail, line: line, reason: reason, msg: msg})
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
		// Copies, so that the map keeps no record's texts (see
		// lazyjson.Value.Text).
		k = strings.Clone(k)
		d.actions[strings.Clone(name)] = k
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
