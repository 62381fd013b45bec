package decode

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// csvReader reads the records of a CSV input one at a time. It splits
// fields as encoding/csv does with LazyQuotes (RFC 4180 quoting; a quote
// that does not end a quoted field is kept as text) and adds what input
// from anywhere needs:
//
//   - every record is capped: a line, or a quoted field over several
//     lines, larger than the limit is skipped without being held whole;
//   - a bad record costs that record only: when a record over the limit,
//     or a quoted field that runs over several lines and leaves the row
//     with another number of columns than the header (a quote that is
//     never closed swallows the rows after it), is reported, reading goes
//     on at the line after the record's first.
type csvReader struct {
	br   *bufio.Reader
	max  int
	next int  // number of the next line to read from br
	done bool // br is used up
	err  error
	cut  bool // a read error ended the record being read

	back  []inputLine // lines given back by a bad record, to be read again
	lines []inputLine // the lines of the record being read, held in buf
	buf   []byte
	size  int // bytes of the record so far, line ends included

	field  []byte // the unquoted text of the record's fields
	ends   []int  // where each field ends in field
	fields []string
}

// inputLine is one line of input.
type inputLine struct {
	num        int
	start, end int    // the text in csvReader.buf, without its line end
	text       []byte // the text of a line given back
	nl         bool   // the line ended with a line break
	long       bool   // the line was over the limit; its text was dropped
	raw        int    // the line's length in the input
}

func newCSVReader(r io.Reader, max int) *csvReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, bufSize)
	}
	return &csvReader{br: br, max: max, next: 1}
}

// Read returns the next record and the line it starts on. want is the
// number of columns a row should have, 0 for any; a row with fewer is
// reported as a *columnsError, one with more is returned. A bad record is
// reported as a *recordError. Reading can go on after both. The end of the
// input is reported as io.EOF, a read error as a *readError.
func (r *csvReader) Read(want int) ([]string, int, error) {
	r.buf, r.lines, r.size = r.buf[:0], r.lines[:0], 0
	first, ok := r.firstLine()
	if !ok {
		if r.err != nil {
			return nil, r.next, &readError{line: r.next, err: r.err}
		}
		return nil, 0, io.EOF
	}
	if r.cutByError(first) {
		return nil, first.num, &readError{line: first.num, partial: true, err: r.err}
	}
	if first.long {
		return nil, first.num, &recordError{line: first.num, msg: message(msgLineOver, sizeText(r.max))}
	}
	r.cut = false
	over := r.parse()
	last := r.lines[len(r.lines)-1]
	switch {
	case r.cut || r.cutByError(last):
		return nil, first.num, &readError{line: first.num, partial: true, err: r.err}
	case over:
		r.giveBack()
		return nil, first.num, &recordError{line: first.num, msg: message(
			msgQuoteOver, first.num, sizeText(r.max), first.num)}
	case len(r.lines) > 1 && want > 0 && len(r.ends) != want:
		r.giveBack()
		return nil, first.num, &recordError{line: first.num, msg: message(
			msgQuoteColumns, first.num, last.num, len(r.ends), want, first.num)}
	case len(r.ends) < want:
		return nil, first.num, &columnsError{line: first.num, got: len(r.ends), want: want}
	}
	return r.record(), first.num, nil
}

// columnsError reports a row with fewer columns than the header.
type columnsError struct{ line, got, want int }

func (e *columnsError) Error() string {
	return fmt.Sprintf("line %d: row has %d columns, the header %d; skipped", e.line, e.got, e.want)
}

// cutByError reports whether a read error cut ln short.
func (r *csvReader) cutByError(ln inputLine) bool {
	return r.err != nil && !ln.nl
}

// firstLine reads the first line of a record, skipping empty lines.
func (r *csvReader) firstLine() (inputLine, bool) {
	for {
		ln, ok := r.line()
		if !ok {
			return ln, false
		}
		if ln.long || ln.end > ln.start || !ln.nl && r.err != nil {
			return ln, true
		}
		r.buf, r.lines, r.size = r.buf[:0], r.lines[:0], 0
	}
}

// line reads the next line into buf and adds it to the record's lines. It
// reports false at the end of the input.
func (r *csvReader) line() (inputLine, bool) {
	var ln inputLine
	if len(r.back) > 0 {
		ln = r.back[0]
		r.back = r.back[1:]
		ln.start = len(r.buf)
		r.buf = append(r.buf, ln.text...)
		ln.end, ln.text = len(r.buf), nil
	} else {
		var ok bool
		if ln, ok = r.readLine(); !ok {
			return ln, false
		}
	}
	r.size += ln.raw
	r.lines = append(r.lines, ln)
	return ln, true
}

// readLine reads a line from the input into buf, dropping the text of a
// line over the limit as it is read.
func (r *csvReader) readLine() (inputLine, bool) {
	if r.done {
		return inputLine{}, false
	}
	ln := inputLine{num: r.next, start: len(r.buf)}
	for {
		frag, err := r.br.ReadSlice('\n')
		ln.raw += len(frag)
		if ln.raw > r.max {
			ln.long = true
			r.buf = r.buf[:ln.start]
		} else {
			r.buf = append(r.buf, frag...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			r.done = true
			if err != io.EOF {
				r.err = err
			}
			if ln.raw == 0 {
				return ln, false
			}
		}
		break
	}
	r.next++
	ln.end = len(r.buf)
	if ln.long {
		return ln, true
	}
	text := r.buf[ln.start:ln.end]
	if n := len(text); n > 0 && text[n-1] == '\n' {
		ln.nl = true
		text = text[:n-1]
	}
	// Like encoding/csv: CRLF ends a line as LF does, and a carriage
	// return before the end of the input is dropped.
	if n := len(text); n > 0 && text[n-1] == '\r' && (ln.nl || r.done) {
		text = text[:n-1]
	}
	ln.end = ln.start + len(text)
	return ln, true
}

// parse splits the record that starts with the line just read into
// fields, reading more lines while a quoted field goes on. It reports
// whether the record went over the limit, in which case parsing stopped.
func (r *csvReader) parse() (over bool) {
	r.field, r.ends = r.field[:0], r.ends[:0]
	ln := r.lines[0]
	text := r.buf[ln.start:ln.end]
	for {
		if len(text) == 0 || text[0] != '"' {
			i := bytes.IndexByte(text, ',')
			if i < 0 {
				r.field = append(r.field, text...)
				r.ends = append(r.ends, len(r.field))
				return false
			}
			r.field = append(r.field, text[:i]...)
			r.ends = append(r.ends, len(r.field))
			text = text[i+1:]
			continue
		}
		var more bool
		text, more, over = r.quoted(text[1:])
		r.ends = append(r.ends, len(r.field))
		if !more || over {
			return over
		}
	}
}

// quoted reads a quoted field from text, which follows the opening quote,
// reading more lines while the field goes on. It returns the text after
// the field, whether another field follows, and whether the record went
// over the limit.
func (r *csvReader) quoted(text []byte) (rest []byte, more, over bool) {
	for {
		i := bytes.IndexByte(text, '"')
		if i >= 0 {
			r.field = append(r.field, text[:i]...)
			text = text[i+1:]
			switch {
			case len(text) > 0 && text[0] == '"':
				r.field = append(r.field, '"')
				text = text[1:]
			case len(text) > 0 && text[0] == ',':
				return text[1:], true, false
			case len(text) == 0:
				return nil, false, false
			default:
				r.field = append(r.field, '"')
			}
			continue
		}
		last := r.lines[len(r.lines)-1]
		if len(text) == 0 && !last.nl {
			return nil, false, false
		}
		r.field = append(r.field, text...)
		if last.nl {
			r.field = append(r.field, '\n')
		}
		ln, ok := r.line()
		switch {
		case !ok:
			r.cut = r.err != nil
			return nil, false, false
		case ln.long || r.size > r.max:
			return nil, false, true
		}
		text = r.buf[ln.start:ln.end]
	}
}

// record returns the fields parsed, as strings sharing one allocation.
func (r *csvReader) record() []string {
	s := string(r.field)
	r.fields = r.fields[:0]
	from := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[from:end])
		from = end
	}
	return r.fields
}

// giveBack returns the lines of the record after its first to be read
// again, ahead of the rest of the input.
func (r *csvReader) giveBack() {
	lines := r.lines[1:]
	back := make([]inputLine, 0, len(lines)+len(r.back))
	for _, ln := range lines {
		ln.text = bytes.Clone(r.buf[ln.start:ln.end])
		back = append(back, ln)
	}
	r.back = append(back, r.back...)
}

// splitCSVLine splits one line into fields as csvReader does.
func splitCSVLine(line []byte) []string {
	r := newCSVReader(bytes.NewReader(line), len(line)+1)
	rec, _, err := r.Read(0)
	if err != nil {
		return nil
	}
	return rec
}
