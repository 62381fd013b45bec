package decode

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/textenc"
)

// An input is read in three steps, so that several goroutines can share
// the work while the events come out in the input's order:
//
//   - Input.Next cuts the input into batches of records, in order;
//   - Decoder.DecodeBatch turns a batch into events, on any goroutine;
//   - Sequencer.Apply counts the outcome of each record into the input's
//     Stats, completes what one record says about another, and emits the
//     events, batch after batch in input order.
//
// Decoder.Decode does the three in turn.

// Input is one input being cut into batches of records.
type Input struct {
	// Stats holds what the input held and became of it; Sequencer.Apply
	// fills it.
	Stats *Stats
	opts  Options
	in    *inputReader
	zr    *gzip.Reader
	sp    *splitter  // JSON inputs
	cr    *csvReader // CSV inputs
	head  *csvHeader
	done  bool
	// Buffers taken from the pools, given back by release.
	readers  []*bufio.Reader
	splitBuf *splitMem
}

// Open starts reading r, named name in messages: it recognises gzip,
// UTF-16 and whether the input holds JSON or CSV. It returns an error when
// the input cannot be read at all; the Input's Stats are usable then too.
// Close the Input when done with it.
func Open(name string, r io.Reader, opts Options) (*Input, error) {
	opts = opts.withDefaults()
	in := &Input{Stats: newStats(name, opts), opts: opts, in: &inputReader{r: r}}
	br := in.bufio(in.in)
	if isGzip(br) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			in.release()
			return in, fmt.Errorf("%s: gzip: %w", name, err)
		}
		in.zr = zr
		in.in = &inputReader{r: zr, gzip: true}
		br = in.bufio(in.in)
	}
	if head, _ := br.Peek(2); textenc.IsUTF16(head) {
		br = in.bufio(textenc.NewReader(br))
	}
	kind, err := sniff(br)
	if err != nil {
		in.release()
		return in, inputError(name, err)
	}
	skipBOM(br)
	switch kind {
	case contentEmpty:
		in.release()
	case contentCSV:
		if err := in.openCSV(br); err != nil {
			in.release()
			return in, inputError(name, err)
		}
	default:
		m := splitBufs.Get().(*splitMem)
		in.splitBuf = m
		in.sp = newSplitterBuf(br, opts.MaxRecord, m.buf)
		in.sp.cap = m.cap[:0]
	}
	return in, nil
}

// newStats returns the empty Stats of the input name.
func newStats(name string, opts Options) *Stats {
	return &Stats{Name: name, Layouts: map[string]int{}, Skipped: map[string]int{}, maxErrors: opts.MaxErrors, rejected: opts.Rejected}
}

// Buffers are reused from one input to the next, since a run of many small
// inputs (the hourly blobs of a storage account export, the messages of an
// event hub) would otherwise allocate several hundred kilobytes for each.
var (
	readers   = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}
	splitBufs = sync.Pool{New: func() any { return &splitMem{buf: make([]byte, readSize)} }}
)

// splitMem is what a JSON splitter reads into and captures records in.
type splitMem struct {
	buf, cap []byte
}

// maxPooledCap bounds the capture buffer kept for the next input: one
// grown by an unusually large record is left to the collector.
const maxPooledCap = 1 << 20

// bufio returns a buffered reader of r from the pool, to give back in
// release.
func (in *Input) bufio(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	in.readers = append(in.readers, br)
	return br
}

// release gives the input's buffers back and ends it; Next then reports
// io.EOF.
func (in *Input) release() {
	for _, br := range in.readers {
		br.Reset(nil)
		readers.Put(br)
	}
	in.readers = nil
	if in.splitBuf != nil {
		in.splitBuf.cap = nil
		if in.sp != nil && cap(in.sp.cap) <= maxPooledCap {
			in.splitBuf.cap = in.sp.cap[:0]
		}
		splitBufs.Put(in.splitBuf)
		in.splitBuf = nil
	}
	in.sp, in.cr = nil, nil
	in.done = true
}

// openCSV reads the header of a CSV input.
func (in *Input) openCSV(br *bufio.Reader) error {
	in.cr = newCSVReader(br, in.opts.MaxRecord)
	head, _, err := in.cr.Read(0)
	if err != nil {
		var re *recordError
		if errors.As(err, &re) {
			err = &messageError{re.msg}
		}
		return &lineError{line: 1, err: messageErr(msgHeader, err)}
	}
	h, err := parseHeader(head)
	if err != nil {
		return &lineError{line: 1, err: err}
	}
	in.head = h
	return nil
}

// Close releases what reading the input holds.
func (in *Input) Close() error {
	in.release()
	if in.zr != nil {
		return in.zr.Close()
	}
	return nil
}

// Batch sizes: Next stops adding records to a batch past either.
const (
	batchBytes   = 256 << 10
	batchRecords = 1024
)

// Batch is a run of records cut from one input, in order. Reuse a Batch
// once its records are decoded.
type Batch struct {
	name  string // the input's, for the events' Source
	items []item
	data  []byte // the JSON records, one after another
	head  *csvHeader
}

// item is one entry of a batch: a record to decode, or a problem found
// while cutting the input.
type item struct {
	kind      itemKind
	line      int
	start     int      // itemJSON: the record is data[start:end]
	end       int      //
	unchecked bool     // itemJSON: a whole line taken without scanning it
	columns   []string // itemJSON: the columns of the table it is a row of
	cells     []string // itemCSV
	reason    string   // itemFail
	msg       Message  // itemFail, itemNote
}

type itemKind uint8

const (
	itemJSON itemKind = iota
	itemCSV
	itemFail // a record that could not be cut out: skipped for reason
	itemNote // an error that is no record's, such as a read error
)

// Len returns the number of entries in the batch.
func (b *Batch) Len() int { return len(b.items) }

func (b *Batch) reset() {
	clear(b.items)
	b.items, b.data, b.head = b.items[:0], b.data[:0], nil
}

func (b *Batch) full() bool { return len(b.items) >= batchRecords || len(b.data) >= batchBytes }

// Next fills b with the next records of the input. It returns io.EOF
// after the last batch, which may hold records too, and ctx's error when
// ctx is done. A read error part way is reported in the batch, as an error
// naming the line and byte offset, and ends the input.
func (in *Input) Next(ctx context.Context, b *Batch) error {
	b.reset()
	b.name = in.Stats.Name
	if err := ctx.Err(); err != nil {
		return err
	}
	if in.done {
		return io.EOF
	}
	var err error
	if in.cr != nil {
		err = in.nextCSV(b)
	} else {
		err = in.nextJSON(b)
	}
	var re *readError
	if errors.As(err, &re) {
		b.items = append(b.items, in.cutShort(re))
		err = io.EOF
	}
	if err == io.EOF {
		in.release()
	}
	return err
}

func (in *Input) nextJSON(b *Batch) error {
	for !b.full() {
		rec, err := in.sp.next()
		if err != nil {
			var re *recordError
			if !errors.As(err, &re) {
				return err
			}
			b.items = append(b.items, item{kind: itemFail, line: re.line, reason: skipJSON, msg: re.msg})
			continue
		}
		if b.data == nil {
			// Room for a full batch at once rather than by doubling.
			b.data = make([]byte, 0, batchBytes+len(rec.data))
		}
		start := len(b.data)
		b.data = append(b.data, rec.data...)
		b.items = append(b.items, item{kind: itemJSON, line: rec.line, start: start, end: len(b.data), unchecked: rec.unchecked, columns: rec.columns})
	}
	return nil
}

func (in *Input) nextCSV(b *Batch) error {
	b.head = in.head
	for !b.full() {
		rec, line, err := in.cr.Read(len(in.head.names))
		if err != nil {
			var re *recordError
			var ce *columnsError
			switch {
			case errors.As(err, &re):
				b.items = append(b.items, item{kind: itemFail, line: re.line, reason: skipCSV, msg: re.msg})
			case errors.As(err, &ce):
				b.items = append(b.items, item{kind: itemFail, line: ce.line, reason: skipColumns, msg: message(msgColumns, ce.got, ce.want)})
			default:
				return err
			}
			continue
		}
		b.items = append(b.items, item{kind: itemCSV, line: line, cells: slices.Clone(rec)})
		b.data = append(b.data, make([]byte, len(rec))...) // counts toward the batch's size
	}
	return nil
}

// cutShort reports a read error met part way through the input: an error
// naming where reading stopped, and the record it cut short as skipped.
func (in *Input) cutShort(re *readError) item {
	format := map[[2]bool]string{
		{false, false}: msgCut, {true, false}: msgCutGzip,
		{false, true}: msgCutRecord, {true, true}: msgCutRecordGzip,
	}[[2]bool{in.in.gzip, re.partial}]
	msg := message(format, in.in.n, re.err)
	if !re.partial {
		return item{kind: itemNote, line: re.line, msg: msg}
	}
	return item{kind: itemFail, line: re.line, reason: skipCut, msg: msg}
}

// Decoded is what decoding a batch gave, for Sequencer.Apply.
type Decoded struct {
	results []result
	// spare holds events to reuse, once Recycle has been called: those
	// of the results before.
	spare []*event.Event
}

// result is the outcome of one record, or an error that is no record's.
type result struct {
	kind   resultKind
	line   int
	layout string  // resultEvent
	reason string  // resultSkip, resultFail
	msg    Message // resultFail, resultNote
	ev     *event.Event
	role   roleUse
}

type resultKind uint8

const (
	resultEvent resultKind = iota
	resultSkip
	resultFail
	resultNote
)

// roleUse says how an Activity Log role assignment event relates to the
// others of its operation (see Decoder.roleAssignment).
type roleUse uint8

const (
	roleNone     roleUse = iota
	roleRemember         // it carries the assignment's facts, for the others
	roleRecall           // it lacks them, and takes those of an earlier event
)

// Events returns the number of events decoded.
func (o *Decoded) Events() int {
	n := 0
	for i := range o.results {
		if o.results[i].kind == resultEvent {
			n++
		}
	}
	return n
}

// Visit calls f with each event of o, in order. final is false for the
// events that Sequencer.Apply completes from the events before them
// (Activity Log role assignments that take the facts of their operation's
// first event); Apply also sets the Source.Index of every event.
func (o *Decoded) Visit(f func(e *event.Event, final bool)) {
	for i := range o.results {
		if r := &o.results[i]; r.kind == resultEvent {
			f(r.ev, r.role != roleRecall)
		}
	}
}

// Recycle lets the next DecodeBatch into o reuse the events of o: call it
// once they are no longer used.
func (o *Decoded) Recycle() {
	for i := range o.results {
		if r := &o.results[i]; r.kind == resultEvent {
			o.spare = append(o.spare, r.ev)
			r.ev = nil
		}
	}
}

// DecodeBatch turns the records of b into events and outcomes in out, in
// order. Decoders on several goroutines may decode batches of one input.
func (d *Decoder) DecodeBatch(b *Batch, out *Decoded) {
	clear(out.results)
	out.results = out.results[:0]
	d.out = out
	d.name = b.name
	for i := range b.items {
		it := &b.items[i]
		switch it.kind {
		case itemJSON:
			d.jsonRecord(record{data: b.data[it.start:it.end], line: it.line, columns: it.columns, unchecked: it.unchecked})
		case itemCSV:
			d.nsub = 0
			d.record(it.line, func(e *event.Event) (string, string) { return d.csvRow(e, b.head, it.cells) })
		case itemFail:
			d.fail(it.line, it.reason, it.msg)
		case itemNote:
			out.results = append(out.results, result{kind: resultNote, line: it.line, msg: it.msg})
		}
	}
	d.out = nil
}

// Sequencer applies decoded batches in input order. It remembers the
// role assignment facts of Activity Log operations from one event to the
// next, in bounded memory. Use one Sequencer per run, on one goroutine.
type Sequencer struct {
	pending map[string]event.Azure
}

// Apply counts the outcome of each record of out into st, completes the
// events and emits them. It returns the first error emit returns.
func (s *Sequencer) Apply(st *Stats, out *Decoded, emit Emit) error {
	for i := range out.results {
		r := &out.results[i]
		switch r.kind {
		case resultEvent:
			st.Records++
			st.Layouts[r.layout]++
			st.Events++
			e := r.ev
			e.Source.Index = st.Records - 1
			s.role(e, r.role)
			if err := emit(e); err != nil {
				return err
			}
		case resultSkip:
			st.Records++
			st.skip(r.reason)
		case resultFail:
			st.Records++
			st.fail(r.line, r.reason, r.msg)
		case resultNote:
			st.note(r.line, r.msg)
		}
	}
	return nil
}

// role keeps or completes the role assignment facts of e.
func (s *Sequencer) role(e *event.Event, use roleUse) {
	a := &e.Azure
	switch {
	case use == roleRemember:
		if s.pending == nil || len(s.pending) >= maxPendingRoles {
			s.pending = make(map[string]event.Azure)
		}
		// Copies, so that the map keeps no record's texts (see
		// lazyjson.Value.Text).
		s.pending[strings.Clone(e.CorrelationID)] = event.Azure{PrincipalID: strings.Clone(a.PrincipalID), PrincipalType: strings.Clone(a.PrincipalType),
			RoleDefinitionID: strings.Clone(a.RoleDefinitionID), Scope: strings.Clone(a.Scope)}
	case use == roleRecall:
		if prev, ok := s.pending[e.CorrelationID]; ok {
			a.PrincipalID, a.PrincipalType, a.RoleDefinitionID = prev.PrincipalID, prev.PrincipalType, prev.RoleDefinitionID
			if prev.Scope != "" {
				a.Scope = prev.Scope
			}
		}
	}
}

// maxPendingRoles bounds the role assignment facts a Sequencer keeps.
const maxPendingRoles = 4096
