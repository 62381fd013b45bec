package decode

import (
	"bytes"
	"fmt"
	"io"
)

// A record is one JSON value cut from the input, with where it was found.
type record struct {
	data []byte
	line int // line where the record starts, 1-based
	// columns are the column names of the table a "rows" record belongs to.
	columns []string
	// unchecked is set when the record is a whole line the fast path took
	// without scanning it (see wholeLine).
	unchecked bool
}

// recordError is a problem with one record; the splitter goes on after it.
type recordError struct {
	line int
	msg  Message
}

func (e *recordError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg.String()) }

// readError is a failure to read the input (a gzip stream cut short, an I/O
// error) after part of it was decoded. The records before it stand.
type readError struct {
	line int // line where reading stopped
	// partial is set when a record had begun there; it is lost.
	partial bool
	err     error
}

func (e *readError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *readError) Unwrap() error { return e.err }

// splitter cuts a stream of JSON into records without holding more than one
// record in memory. It understands one record per line (JSON Lines),
// concatenated or pretty-printed objects, a top-level array of records, and
// wrapper objects that hold their records in "records" (diagnostic
// settings), "value" (Graph list responses) or "tables[].rows" (Log
// Analytics query responses). Records larger than max are skipped with an
// error.
type splitter struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	eof  bool
	rerr error

	line int // line at pos
	max  int
	// crossed is set when peek moved past a line break, and bol when the
	// byte it returned is the first of the line it moved to.
	crossed, bol bool

	cap     []byte // captured bytes of the value being read
	capping bool
	// name holds the member name being read, which a whole-object
	// capture over the limit would otherwise lose.
	name   []byte
	keying bool
	over   bool // the captured value went over max
	// whole is set while a top-level object is captured whole, in case it
	// is a record rather than a wrapper.
	whole bool

	// lineMode is set once records are seen to be one per line; then a
	// newline inside a record means the record is broken.
	lineMode  bool
	firstDone bool

	stack []frame // enclosing arrays and objects being streamed
}

// frame is an enclosing container the splitter is streaming through.
type frame struct {
	kind    frameKind
	columns []string // for the rows of a table
	// For a top-level object, which may be a record or a wrapper: the line
	// it starts on, and whether it turned out to hold a record stream.
	objLine int
	wrapped bool
}

type frameKind uint8

const (
	frameArray  frameKind = iota // elements are records
	frameObject                  // top-level object: a record or a wrapper
	frameTables                  // elements are Log Analytics tables
	frameTable                   // one table: columns, then rows
)

const readSize = 256 << 10

// newSplitterBuf returns a splitter that reads r into buf.
func newSplitterBuf(r io.Reader, max int, buf []byte) *splitter {
	return &splitter{r: r, buf: buf, line: 1, max: max}
}

// newLineSplitter returns a splitter for one line held in memory, with a
// buffer no larger than the line.
func newLineSplitter(line []byte, limit int) *splitter {
	size := min(readSize, max(len(line), 8))
	return &splitter{r: bytes.NewReader(line), buf: make([]byte, size), line: 1, max: limit}
}

// fill reads more input when the buffer is used up. It reports false at the
// end of input.
func (s *splitter) fill() bool {
	if s.pos < s.end {
		return true
	}
	if s.eof {
		return false
	}
	s.pos, s.end = 0, 0
	for s.end == 0 {
		n, err := s.r.Read(s.buf)
		s.end = n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			break
		}
	}
	return s.end > 0
}

// advance consumes n bytes of the buffer, capturing them if a value is
// being captured.
func (s *splitter) advance(n int) {
	if s.capping && !s.over {
		if len(s.cap)+n > s.max {
			s.over = true
		} else {
			s.cap = append(s.cap, s.buf[s.pos:s.pos+n]...)
		}
	}
	if s.keying {
		s.keepKey(n)
	}
	s.pos += n
}

// maxKey bounds the member names kept: the wrapper names compared are short.
const maxKey = 64

// keepKey keeps up to maxKey bytes of the member name being read.
func (s *splitter) keepKey(n int) {
	if room := maxKey - len(s.name); room > 0 {
		s.name = append(s.name, s.buf[s.pos:s.pos+min(n, room)]...)
	}
}

// peek skips whitespace and returns the next byte, or false at the end.
func (s *splitter) peek() (byte, bool) {
	s.crossed, s.bol = false, false
	for s.fill() {
		c := s.buf[s.pos]
		switch c {
		case '\n':
			s.line++
			s.pos++
			s.crossed, s.bol = true, true
		case ' ', '\t', '\r':
			s.pos++
			s.bol = false
		default:
			if c == 0xEF && s.hasBOM() {
				s.pos += 3
				continue
			}
			return c, true
		}
	}
	return 0, false
}

// hasBOM reports whether a UTF-8 byte order mark starts at pos.
func (s *splitter) hasBOM() bool {
	return s.ensure(3) && s.buf[s.pos] == 0xEF && s.buf[s.pos+1] == 0xBB && s.buf[s.pos+2] == 0xBF
}

// ensure makes n bytes available from pos, moving the unread bytes to the
// front of the buffer and reading more when needed, so that looking ahead
// does not depend on where reads happened to end. It reports false when the
// input ends first.
func (s *splitter) ensure(n int) bool {
	for s.end-s.pos < n {
		if s.eof {
			return false
		}
		if s.pos > 0 {
			s.end = copy(s.buf, s.buf[s.pos:s.end])
			s.pos = 0
		}
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
		}
	}
	return true
}

// skipLine discards input up to and including the next newline.
func (s *splitter) skipLine() {
	for s.fill() {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); i >= 0 {
			s.pos += i + 1
			s.line++
			return
		}
		s.pos = s.end
	}
}

// next returns the next record. It returns a *recordError for a record it
// had to skip (and can go on after), io.EOF at the end, or a read error.
func (s *splitter) next() (record, error) {
	for {
		if len(s.stack) == 0 {
			rec, done, err := s.top()
			if done || err != nil {
				return rec, err
			}
			continue
		}
		rec, ok, err := s.inFrame()
		if ok || err != nil {
			return rec, err
		}
	}
}

// top handles the position between top-level values. It reports done with
// a record (or an error) to return, or not done when it entered a frame.
func (s *splitter) top() (record, bool, error) {
	c, ok := s.peek()
	if !ok {
		if s.rerr != nil {
			return record{}, true, &readError{line: s.line, err: s.rerr}
		}
		return record{}, true, io.EOF
	}
	switch c {
	case ',', ']', '}':
		// Lenient: fragments cut from arrays, and the closing brackets
		// of a wrapper left over after a broken record.
		s.pos++
		return record{}, false, nil
	case '[':
		s.pos++
		s.stack = append(s.stack, frame{kind: frameArray})
		return record{}, false, nil
	case '{':
		if rec, ok := s.wholeLine(); ok {
			return rec, true, nil
		}
		s.stack = append(s.stack, frame{kind: frameObject, objLine: s.line})
		s.cap, s.capping, s.over, s.whole = s.cap[:0], true, false, true
		s.advance(1)
		return record{}, false, nil
	}
	line := s.line
	s.skipLine()
	return record{}, true, &recordError{line: line, msg: message(msgNotJSON, describeByte(c))}
}

// wholeLine is the fast path for one record per line: once the input is
// known to hold such lines, a line that starts with '{' and ends with '}' is
// taken as a record without scanning it; the JSON parser checks it anyway.
// Lines over the limit or the buffer, a last line without a newline and
// lines that do not look like a whole object take the slow path, and so do
// the records after the first on a line, which would otherwise each look
// for the end of the same line again.
func (s *splitter) wholeLine() (record, bool) {
	if !s.lineMode || !s.crossed {
		return record{}, false
	}
	i := s.lineEnd()
	if i < 0 {
		return record{}, false
	}
	line := bytes.TrimRight(s.buf[s.pos:s.pos+i], " \t\r")
	if len(line) < 2 || line[len(line)-1] != '}' {
		return record{}, false
	}
	rec := record{data: line, line: s.line, unchecked: true}
	s.pos += i // the newline is left to peek, which counts it
	return rec, true
}

// lineEnd returns the length of the line at pos, reading more input into
// the buffer until its newline is found, so that which path a line takes
// depends on the line and not on where reads happened to end. It returns -1
// for a line longer than the limit or the buffer, and for a last line with
// no newline.
func (s *splitter) lineEnd() int {
	from := 0
	for {
		if i := bytes.IndexByte(s.buf[s.pos+from:s.end], '\n'); i >= 0 {
			if from+i > s.max {
				return -1
			}
			return from + i
		}
		from = s.end - s.pos
		if from > s.max || from >= len(s.buf) || !s.ensure(from+1) {
			return -1
		}
	}
}

// inFrame advances within the innermost frame. It reports ok with a record
// to return.
func (s *splitter) inFrame() (record, bool, error) {
	f := &s.stack[len(s.stack)-1]
	switch f.kind {
	case frameArray:
		return s.arrayElem(f)
	case frameTables:
		return s.tablesElem()
	default:
		return s.member(f)
	}
}

// arrayElem reads the next element of a record array.
func (s *splitter) arrayElem(f *frame) (record, bool, error) {
	c, ok := s.peek()
	if !ok {
		return record{}, true, s.truncated()
	}
	switch c {
	case ',':
		s.pos++
		return record{}, false, nil
	case ']':
		s.pos++
		s.pop()
		return record{}, false, nil
	}
	rec := record{line: s.line, columns: f.columns}
	data, err := s.value()
	if err != nil {
		return record{}, true, err
	}
	rec.data = data
	return rec, true, nil
}

// tablesElem reads the next table of a Log Analytics "tables" array.
func (s *splitter) tablesElem() (record, bool, error) {
	c, ok := s.peek()
	if !ok {
		return record{}, true, s.truncated()
	}
	switch c {
	case ',':
		s.pos++
	case ']':
		s.pos++
		s.pop()
	case '{':
		s.pos++
		s.stack = append(s.stack, frame{kind: frameTable})
	default:
		line := s.line
		if _, err := s.value(); err != nil {
			return record{}, true, err
		}
		return record{}, true, &recordError{line: line, msg: message(msgTableNotObject)}
	}
	return record{}, false, nil
}

// member reads the next member of an object frame: a top-level object
// (a record or a wrapper) or a Log Analytics table.
func (s *splitter) member(f *frame) (record, bool, error) {
	c, ok := s.peek()
	if !ok {
		return record{}, true, s.truncated()
	}
	if s.cutShort(c) {
		return record{}, true, s.cutRecord()
	}
	switch c {
	case ',':
		s.advance(1)
		return record{}, false, nil
	case '}':
		s.advance(1)
		return s.closeObject()
	case '"':
	default:
		line := s.recordLine(s.line)
		s.abandon()
		return record{}, true, &recordError{line: line, msg: message(msgMemberName, describeByte(c))}
	}
	key, err := s.key()
	if err != nil {
		return record{}, true, err
	}
	if c, ok = s.peek(); !ok {
		return record{}, true, s.truncated()
	}
	if s.cutShort(c) {
		return record{}, true, s.cutRecord()
	}
	if s.startsStream(f, key, c) {
		return record{}, false, nil
	}
	line := s.line
	val, err := s.value()
	if err != nil {
		return record{}, true, err
	}
	if f.kind == frameTable && key == `"columns"` {
		if f.columns, err = parseColumns(val, line); err != nil {
			return record{}, true, err
		}
	}
	return record{}, false, nil
}

// startsStream opens a record stream for wrapper keys: records and value in
// a top-level object, tables in a top-level object, rows in a table.
func (s *splitter) startsStream(f *frame, key string, c byte) bool {
	if c != '[' {
		return false
	}
	var nf frame
	switch {
	case f.kind == frameObject && (key == `"records"` || key == `"value"`):
		nf = frame{kind: frameArray}
	case f.kind == frameObject && key == `"tables"`:
		nf = frame{kind: frameTables}
	case f.kind == frameTable && key == `"rows"`:
		nf = frame{kind: frameArray, columns: f.columns}
	default:
		return false
	}
	f.wrapped = true
	s.whole, s.capping = false, false
	s.pos++
	s.stack = append(s.stack, nf)
	return true
}

// closeObject ends the innermost object frame. A top-level object that held
// no record stream is itself a record.
func (s *splitter) closeObject() (record, bool, error) {
	f := s.stack[len(s.stack)-1]
	s.pop()
	if f.kind != frameObject || f.wrapped {
		return record{}, false, nil
	}
	s.whole, s.capping = false, false
	if s.over {
		return record{}, true, s.overLimit(f.objLine)
	}
	s.sawRecord(f.objLine)
	return record{data: s.cap, line: f.objLine}, true, nil
}

// overLimit reports a record larger than the limit.
func (s *splitter) overLimit(line int) error {
	return &recordError{line: line, msg: message(msgRecordOver, sizeText(s.max))}
}

// sizeText writes a size limit in the largest unit that divides it.
func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

func (s *splitter) pop() { s.stack = s.stack[:len(s.stack)-1] }

// abandon drops every frame and the rest of the current line, after a
// structural error.
func (s *splitter) abandon() {
	s.reset()
	s.skipLine()
}

// reset drops every frame and any capture.
func (s *splitter) reset() {
	s.stack = s.stack[:0]
	s.whole, s.capping = false, false
}

// truncated reports input that ended inside an open container, at the line
// where the record being read starts, or where the input ended inside a
// wrapper whose records were read. When a read error ended it, the error
// says whether a record was being read.
func (s *splitter) truncated() error {
	line := s.recordLine(s.line)
	inRecord := s.whole || s.capping && len(s.stack) > 0 && s.stack[len(s.stack)-1].kind == frameArray
	s.reset()
	if s.rerr != nil {
		return &readError{line: line, partial: inRecord, err: s.rerr}
	}
	return &recordError{line: line, msg: message(msgTruncated)}
}

// cutShort reports whether the byte c that peek just returned starts the
// next record although the top-level object being read has not closed: in
// JSON Lines a line break inside a record means the record was cut short;
// elsewhere an object that opens a line with a member name ('{"') is taken
// as the next record, since pretty printers indent nested objects.
func (s *splitter) cutShort(c byte) bool {
	switch {
	case !s.whole:
		return false
	case s.lineMode:
		return s.crossed
	}
	return s.bol && c == '{' && s.opensRecord()
}

// cutRecord reports the top-level record being read as cut short and drops
// it; reading goes on at the current position, the start of a line.
func (s *splitter) cutRecord() error {
	line := s.recordLine(s.line)
	s.reset()
	return &recordError{line: line, msg: message(msgNoBrace)}
}

// recordLine returns the line where the top-level record being read starts,
// or line when no top-level object is being read.
func (s *splitter) recordLine(line int) int {
	if len(s.stack) > 0 && s.stack[0].kind == frameObject && !s.stack[0].wrapped {
		return s.stack[0].objLine
	}
	return line
}

// key reads a member name and the colon after it. It returns the name with
// its quotes, as written.
func (s *splitter) key() (string, error) {
	line := s.line
	s.name, s.keying = s.name[:0], true
	_, err := s.value()
	s.keying = false
	if err != nil {
		return "", err
	}
	k := string(s.name)
	c, ok := s.peek()
	if !ok {
		return "", s.truncated()
	}
	if s.cutShort(c) {
		return "", s.cutRecord()
	}
	if c != ':' {
		line = s.recordLine(line)
		s.abandon()
		return "", &recordError{line: line, msg: message(msgColon, describeByte(c))}
	}
	s.advance(1)
	return k, nil
}

// value reads one JSON value starting at the next non-space byte and returns
// its bytes. The bytes are valid until the next call.
//
// Inside a top-level object captured whole, the value's bytes are appended
// to the object's; over the limit they are dropped and the object reports
// the error when it closes.
func (s *splitter) value() ([]byte, error) {
	line := s.line
	if s.whole {
		from := len(s.cap)
		if err := s.scanValue(); err != nil {
			return nil, err
		}
		if s.over {
			return nil, nil
		}
		return s.cap[from:], nil
	}
	s.cap, s.capping, s.over = s.cap[:0], true, false
	err := s.scanValue()
	s.capping = false
	if err != nil {
		return nil, err
	}
	if s.over {
		return nil, s.overLimit(line)
	}
	if len(s.stack) == 0 || s.stack[0].kind == frameArray {
		s.sawRecord(line)
	}
	return s.cap, nil
}

// sawRecord notes a complete top-level record, to learn whether the input
// holds one record per line.
func (s *splitter) sawRecord(start int) {
	oneLine := start == s.line
	if !s.firstDone {
		s.firstDone = true
		s.lineMode = oneLine && len(s.stack) == 0
		return
	}
	if !oneLine {
		s.lineMode = false
	}
}

// scanValue consumes one JSON value, which need not be valid: it only
// tracks strings and nesting to find where the value ends.
func (s *splitter) scanValue() error {
	c, ok := s.peek()
	if !ok {
		return s.truncated()
	}
	switch c {
	case '"':
		return s.scanString()
	case '{', '[':
		return s.scanContainer()
	case ',', ':', '}', ']':
		// Nothing can be read here; give up the line, which also makes
		// sure the input moves on.
		line := s.recordLine(s.line)
		s.abandon()
		return &recordError{line: line, msg: message(msgValue, describeByte(c))}
	}
	return s.scanScalar()
}

// scanScalar consumes a number or literal.
func (s *splitter) scanScalar() error {
	for s.fill() {
		seg := s.buf[s.pos:s.end]
		for i, c := range seg {
			switch c {
			case ',', '}', ']', ' ', '\t', '\r', '\n', ':':
				s.advance(i)
				return nil
			}
		}
		s.advance(len(seg))
	}
	return nil
}

// scanString consumes a string, quotes included.
func (s *splitter) scanString() error {
	line := s.line
	s.advance(1)
	carry := 0 // backslashes ending the part of the string consumed so far
	for s.fill() {
		seg := s.buf[s.pos:s.end]
		i := bytes.IndexByte(seg, '"')
		upto := seg
		if i >= 0 {
			upto = seg[:i]
		}
		if nl := bytes.IndexByte(upto, '\n'); nl >= 0 {
			s.advance(nl)
			return s.brokenLine(line, message(msgNewline))
		}
		if i < 0 {
			carry = trailingBackslashes(seg, carry)
			s.advance(len(seg))
			continue
		}
		n := trailingBackslashes(upto, carry)
		carry = 0
		s.advance(i + 1)
		if n%2 == 0 {
			return nil
		}
	}
	return s.truncated()
}

// trailingBackslashes counts the backslashes that end b; when b is all
// backslashes the count goes on from carry, those ending the bytes before b.
func trailingBackslashes(b []byte, carry int) int {
	n := 0
	for j := len(b) - 1; j >= 0 && b[j] == '\\'; j-- {
		n++
	}
	if n == len(b) {
		n += carry
	}
	return n
}

// brokenLine reports a record cut by a newline and skips past the newline.
func (s *splitter) brokenLine(line int, msg Message) error {
	line = s.recordLine(line)
	s.skipLine()
	s.reset()
	return &recordError{line: line, msg: msg}
}

// scanContainer consumes an object or array.
func (s *splitter) scanContainer() error {
	line := s.line
	depth := 0
	for s.fill() {
		seg := s.buf[s.pos:s.end]
		for i := 0; i < len(seg); i++ {
			switch seg[i] {
			case '"':
				s.advance(i)
				if err := s.scanString(); err != nil {
					return err
				}
				i = -1
				seg = s.buf[s.pos:s.end]
				if len(seg) == 0 {
					if !s.fill() {
						return s.truncated()
					}
					seg = s.buf[s.pos:s.end]
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.advance(i + 1)
					return nil
				}
			case '\n':
				if s.lineMode {
					s.advance(i)
					return s.brokenLine(line, message(msgNoBracket))
				}
				s.line++
				s.advance(i + 1)
				if s.opensRecord() {
					return s.cutValue(line)
				}
				i = -1
				seg = s.buf[s.pos:s.end]
			}
		}
		s.advance(len(seg))
	}
	return s.truncated()
}

// opensRecord reports whether the bytes at pos, the start of a line, open
// an object with a member name: the next record, when it comes inside an
// unclosed value.
func (s *splitter) opensRecord() bool {
	return s.ensure(2) && s.buf[s.pos] == '{' && s.buf[s.pos+1] == '"'
}

// cutValue reports a value cut short by the start of the next record, and
// drops every frame; reading goes on at the next record.
func (s *splitter) cutValue(line int) error {
	line = s.recordLine(line)
	s.reset()
	return &recordError{line: line, msg: message(msgNoBracketCut)}
}

// describeByte names a byte for an error message.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf("byte 0x%02x", c)
}
