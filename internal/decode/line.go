package decode

import (
	"bytes"

	"github.com/appwatch/appwatch/internal/lazyjson"
)

// DecodeLine decodes b, one line of JSON held in memory such as the
// message of an event hub, when it is one object: a record, or a wrapper
// holding its records in "records" or "value" (diagnostic settings, Graph
// list responses). It parses b once, as the JSON Lines reader parses a
// line, instead of opening an input and cutting it into records first,
// which costs more than decoding for small inputs; the events, Stats and
// rejections are those Decode gives for an input holding b alone.
//
// The Stats returned are the Decoder's own, valid until its next
// DecodeLine: a message's counts are read before the next is decoded.
//
// It reports false, having decoded nothing, for whatever it cannot tell
// Decode would read alike: b spanning several lines, not one valid
// object, larger than Options.MaxRecord, a Log Analytics "tables"
// response, a wrapper of more than four members, of both "records" and
// "value", or with elements that are not objects. Decode those with
// Decode.
func (d *Decoder) DecodeLine(name string, b []byte, emit Emit) (*Stats, bool, error) {
	b = bytes.TrimRight(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' || len(b) > d.opts.MaxRecord || bytes.IndexByte(b, '\n') >= 0 {
		return nil, false, nil
	}
	d.nsub = 0
	v, err := d.root.ParseWrapper(b)
	if err != nil {
		return nil, false, nil
	}
	inner, ok := lineRecords(v)
	if !ok {
		return nil, false, nil
	}
	clear(d.decoded.results)
	d.decoded.results = d.decoded.results[:0]
	d.out, d.name = &d.decoded, name
	rec := record{data: b, line: 1}
	if inner == nil {
		d.parsed(v, rec)
	}
	for _, iv := range inner {
		d.nsub = 0
		d.parsed(iv, rec)
	}
	d.out = nil
	st := d.lineStats(name)
	if err := d.seq.Apply(st, &d.decoded, emit); err != nil {
		return st, true, inputError(name, err)
	}
	return st, true, nil
}

// lineStats returns the Decoder's Stats for DecodeLine, emptied and
// named name.
func (d *Decoder) lineStats(name string) *Stats {
	st := d.line
	if st == nil {
		st = newStats(name, d.opts)
		d.line = st
	}
	clear(st.Layouts)
	clear(st.Skipped)
	clear(st.Errors)
	*st = Stats{Name: name, Layouts: st.Layouts, Skipped: st.Skipped, Errors: st.Errors[:0], maxErrors: st.maxErrors, rejected: st.rejected}
	return st
}

// lineRecords returns the records of v, an object read as a line: nil for
// an object that is itself a record, the elements of its array for a
// wrapper that the stream reader reads the same way. It reports false for
// the others.
func lineRecords(v *lazyjson.Value) ([]*lazyjson.Value, bool) {
	if v.Type() != lazyjson.TypeObject {
		return nil, false
	}
	o, _ := v.Object()
	var arrays int
	o.Visit(func(key []byte, m *lazyjson.Value) {
		switch string(key) {
		case "records", "value", "tables":
			if m.Type() == lazyjson.TypeArray {
				arrays++
			}
		}
	})
	if arrays == 0 {
		return nil, true
	}
	inner := nestedRecords(v)
	if arrays > 1 || inner == nil || v.Get("tables") != nil {
		return nil, false
	}
	for _, iv := range inner {
		if iv.Type() != lazyjson.TypeObject {
			return nil, false
		}
	}
	return inner, true
}
