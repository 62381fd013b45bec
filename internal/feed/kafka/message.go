package kafka

import (
	"bytes"
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// reader turns messages into events and rejected records. A message
// holds Azure Monitor diagnostic records: a "records" wrapper, one record,
// or JSON Lines, possibly gzipped. Not safe for concurrent use.
type reader struct {
	dec        *decode.Decoder
	rejections []decode.Rejection
}

func newReader(opts decode.Options) *reader {
	r := &reader{}
	opts.Rejected = func(rj decode.Rejection) { r.rejections = append(r.rejections, rj) }
	r.dec = decode.NewDecoder(opts)
	return r
}

// stream names a partition's stream in the store.
func stream(partition int32) string { return strconv.FormatInt(int64(partition), 10) }

// place names a message: topic/partition@offset. With the index of a
// record within the message, it is the record's ref.
func place(rec *kgo.Record) string {
	return rec.Topic + "/" + strconv.FormatInt(int64(rec.Partition), 10) + "@" + strconv.FormatInt(rec.Offset, 10)
}

// read decodes rec into b and returns how many records it held. Every
// message counts at least one record: one that holds none, or that is not
// JSON, is rejected whole. It fails only when ctx is done.
func (r *reader) read(ctx context.Context, rec *kgo.Record, b *feed.Batch) (int, error) {
	at := place(rec)
	reject := func(position, reason, msg string, head []byte) {
		b.Rejected = append(b.Rejected, store.Rejected{Stream: stream(rec.Partition), Position: position,
			Reason: reason, Message: at + ": " + msg, Head: clip(head)})
	}
	offset := "offset " + strconv.FormatInt(rec.Offset, 10)
	body := bytes.TrimLeft(bytes.TrimPrefix(rec.Value, bom), " \t\r\n")
	switch {
	case len(body) == 0:
		reject(offset, "no record", "the message is empty", rec.Value)
		return 1, nil
	case body[0] != '{' && body[0] != '[' && !isGzip(body):
		reject(offset, "not JSON", "the message does not start with { or [", rec.Value)
		return 1, nil
	}
	r.rejections = r.rejections[:0]
	emit := func(e *event.Event) error {
		e.Source.File = at
		b.Events = append(b.Events, feed.Event{Event: e, Ref: at + "." + strconv.Itoa(e.Source.Index)})
		return nil
	}
	// Most messages are one line: a wrapper of records, or a record.
	st, ok, err := r.dec.DecodeLine(at, body, emit)
	if !ok {
		st, err = r.dec.Decode(ctx, at, bytes.NewReader(rec.Value), emit)
	}
	if err != nil && ctx.Err() != nil {
		return 0, ctx.Err()
	}
	for _, rj := range r.rejections {
		reject(offset+" record "+strconv.Itoa(rj.Index), rj.Reason, rj.Message, lineOf(rec.Value, rj.Line))
	}
	n := st.Records
	switch {
	case err != nil:
		// The decoder gave up on the message: what it read before stays,
		// the rest is one rejected record.
		pos := offset
		if n > 0 {
			pos += " record " + strconv.Itoa(n)
		}
		reject(pos, "unreadable", err.Error(), rec.Value)
		n++
	case n == 0:
		reject(offset, "no record", "the message holds no record", rec.Value)
		n = 1
	}
	return n, nil
}

var bom = []byte("\xef\xbb\xbf")

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// lineOf returns line n (1-based) of b, or b when it has no such line.
func lineOf(b []byte, n int) []byte {
	rest := b
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return b
		}
		rest = rest[j+1:]
	}
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

// clip returns a copy of up to store.MaxHead bytes of b.
func clip(b []byte) []byte {
	return bytes.Clone(b[:min(len(b), store.MaxHead)])
}
