package graphpoll

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/valyala/fastjson"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/store"
)

// poller polls one stream of one tenant.
type poller struct {
	s      *Source
	st     feed.Store
	out    chan<- *feed.Batch
	pager  Pager
	stream Stream
	key    string // tenant/stream: the stored position's stream
	tenant string // set on events that name none, when it is a tenant id
	dec    *decode.Decoder
	// cursor is the newest activity time read from the stream.
	cursor time.Time
	// placed says the cursor is stored: read from the store, or handed on
	// with a batch. A stream read for the first time that is empty has
	// its cursor stored all the same, so that a restart reads it from
	// there, not from a backfill counted from the restart.
	placed bool
	// seen holds the ids of records handed on or found stored, with their
	// activity times, so that reading them again from the overlap window
	// asks nothing of the store.
	seen   map[string]time.Time
	parser fastjson.Parser
	// rejections collects what the decoder rejects in one page.
	rejections []decode.Rejection
	// refused identifies the refusal that failed the last poll, if one
	// did (see refusal).
	refused string
}

// record is one item of a page and what the source reads of it first.
type record struct {
	raw  json.RawMessage
	id   string // the record's id, or a digest of it when it has none
	time time.Time
}

// poll reads the stream from its cursor less the overlap to its end,
// hands on a batch per page, and moves the cursor with the last one.
func (p *poller) poll(ctx context.Context) error {
	from := p.cursor.Add(-p.s.opts.Overlap)
	newest := p.cursor
	var pending *feed.Batch
	// pendingIDs are the ids of pending's records, remembered once it is
	// handed on; ids maps the ids of the page being read.
	var pendingIDs map[string]time.Time
	for page, err := range p.pager.Pages(ctx, p.stream.Path, p.stream.query(from, p.s.opts.PageSize)) {
		if err != nil {
			return err
		}
		ids := map[string]time.Time{}
		b, top, err := p.page(ctx, page, pendingIDs, ids)
		if err != nil {
			return err
		}
		newest = later(newest, top)
		if pending != nil {
			if err := p.send(ctx, pending, pendingIDs); err != nil {
				return err
			}
		}
		pending, pendingIDs = b, ids
	}
	if p.placed && newest.Equal(p.cursor) && (pending == nil || pending.Counts.Records == 0) {
		return nil // nothing new: no batch to store
	}
	if pending == nil {
		pending = &feed.Batch{}
	}
	pending.Positions = []store.Position{position(p.key, newest)}
	if err := p.send(ctx, pending, pendingIDs); err != nil {
		return err
	}
	p.cursor, p.placed = newest, true
	p.forget(newest.Add(-p.s.opts.Overlap - time.Second))
	return nil
}

// send hands b on and then remembers the ids of its records.
func (p *poller) send(ctx context.Context, b *feed.Batch, ids map[string]time.Time) error {
	if err := send(ctx, p.out, b); err != nil {
		return err
	}
	for id, t := range ids {
		p.seen[id] = t
	}
	return nil
}

// forget drops the remembered ids of records older than before, which
// the next poll does not read again.
func (p *poller) forget(before time.Time) {
	for id, t := range p.seen {
		if t.Before(before) {
			delete(p.seen, id)
		}
	}
}

// page turns one page into a batch: the records neither handed on
// before nor in pending, the batch not yet handed on, decoded. It
// returns the batch and the newest activity time on the page, and puts
// the ids of the batch's records in ids.
func (p *poller) page(ctx context.Context, page *graph.Page, pending, ids map[string]time.Time) (*feed.Batch, time.Time, error) {
	recs := make([]record, len(page.Value))
	var newest time.Time
	var ask []string
	known := func(id string) bool {
		_, mem := p.seen[id]
		_, pend := pending[id]
		return mem || pend
	}
	for i, raw := range page.Value {
		r := p.read(raw)
		recs[i] = r
		newest = later(newest, r.time)
		if !known(r.id) {
			ask = append(ask, r.id)
		}
	}
	stored, err := p.st.SeenIDs(ctx, Name, ask)
	if err != nil {
		return nil, time.Time{}, err
	}
	var fresh []record
	for _, r := range recs {
		_, dup := ids[r.id]
		switch {
		case known(r.id) || dup:
		case stored[r.id]:
			p.seen[r.id] = r.time
		default:
			fresh = append(fresh, r)
			ids[r.id] = r.time
		}
	}
	b, err := p.decode(ctx, fresh)
	return b, newest, err
}

// read finds a record's id and activity time. A record without an id is
// known by a digest of its content.
func (p *poller) read(raw json.RawMessage) record {
	r := record{raw: raw}
	if v, err := p.parser.ParseBytes(raw); err == nil {
		r.id = string(v.GetStringBytes("id"))
		if t, err := time.Parse(time.RFC3339Nano, string(v.GetStringBytes(p.stream.TimeField))); err == nil {
			r.time = t.UTC()
		}
	}
	if r.id == "" {
		sum := sha256.Sum256(raw)
		r.id = "sha256:" + hex.EncodeToString(sum[:16])
	}
	return r
}

// decode decodes the fresh records of a page as one Graph list response.
func (p *poller) decode(ctx context.Context, fresh []record) (*feed.Batch, error) {
	b := &feed.Batch{}
	if len(fresh) == 0 {
		return b, nil
	}
	var buf bytes.Buffer
	buf.WriteString(`{"value":[`)
	for i, r := range fresh {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(r.raw)
	}
	buf.WriteString("]}")
	p.rejections = p.rejections[:0]
	name := "graph:" + p.stream.Name
	st, err := p.dec.Decode(ctx, name, &buf, func(e *event.Event) error {
		i := e.Source.Index
		if i < 0 || i >= len(fresh) {
			return fmt.Errorf("%s: record %d of a page of %d", name, i, len(fresh))
		}
		if e.TenantID == "" {
			e.TenantID = p.tenant
		}
		b.Events = append(b.Events, feed.Event{Event: e, Ref: p.key + "/" + fresh[i].id})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range p.rejections {
		rec := record{}
		if r.Index >= 0 && r.Index < len(fresh) {
			rec = fresh[r.Index]
		}
		b.Rejected = append(b.Rejected, store.Rejected{
			Stream: p.key, Position: "id " + rec.id, Reason: r.Reason, Message: r.Message,
			Head: bytes.Clone(rec.raw[:min(len(rec.raw), store.MaxHead)]),
		})
	}
	expires := p.s.clk.Now().Add(p.s.opts.SeenFor)
	b.Seen = make([]store.Seen, len(fresh))
	for i, r := range fresh {
		b.Seen[i] = store.Seen{ID: r.id, Expires: expires}
	}
	b.Counts = store.Counts{Records: int64(st.Records), Events: int64(len(b.Events)), Rejected: int64(len(b.Rejected))}
	b.Counts.Skipped = b.Counts.Records - b.Counts.Events - b.Counts.Rejected
	return b, nil
}

// rejected collects the decoder's rejections.
func (p *poller) rejected(r decode.Rejection) { p.rejections = append(p.rejections, r) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
