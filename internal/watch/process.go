package watch

import (
	"context"
	"encoding/json"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// processor runs one source's batches through detection and stores them.
type processor struct {
	s      *service
	source string
	cfg    *Config
	det    *scan.Detector
	codec  *codec
}

// detected is a batch and what to store for it.
type detected struct {
	b  *feed.Batch
	sb *store.Batch
}

// process stores the batches of source until in is closed, telling the
// correlator which correlation scopes they touched. Detection of a batch
// runs while the one before it is being stored. It runs under grace,
// which is done only once the stop timeout is over; batches it cannot
// store by then are read again at the next start.
func (s *service) process(grace context.Context, source string, in <-chan *feed.Batch, scopes chan<- []string) {
	p := &processor{s: s, source: source}
	out := make(chan detected, 1)
	go func() {
		defer close(out)
		for b := range in {
			if grace.Err() != nil {
				continue
			}
			p.refresh()
			out <- detected{b, p.detect(b, s.silenceSet(grace))}
		}
	}()
	for d := range out {
		if grace.Err() != nil {
			continue
		}
		var res *store.Committed
		err := s.retry(grace, "commit", func() (err error) {
			res, err = s.store.Commit(grace, d.sb)
			return err
		})
		if err != nil {
			s.log.Error("batch not stored before stopping; its records are read again at the next start", "source", source, "error", err)
			continue
		}
		if res.Stale {
			s.log.Info("batch not stored: another process read its records", "source", source)
			if d.b.Stale != nil {
				d.b.Stale()
			}
			continue
		}
		p.stored(d.b, d.sb, res)
		s.delivered(len(res.Inserted))
		if d.b.Ack != nil {
			d.b.Ack()
		}
		if len(res.Scopes) > 0 {
			select {
			case scopes <- res.Scopes:
			case <-grace.Done():
			}
		}
	}
}

// refresh takes up a reloaded configuration, with a new detector.
func (p *processor) refresh() {
	cfg := p.s.cfg.Load()
	if cfg == p.cfg {
		return
	}
	p.cfg, p.det, p.codec = cfg, cfg.detector(), newCodec(cfg.Rules.Meta)
}

// detect runs the batch's events through the detector and returns what
// to store, each alert routed to its sinks unless a silence in set holds
// it.
func (p *processor) detect(b *feed.Batch, set silence.Set) *store.Batch {
	sb := &store.Batch{Source: p.source, Rejected: b.Rejected, Positions: b.Positions, Counts: b.Counts,
		Seen: b.Seen, Resolve: b.Resolve, Reopen: b.Reopen, Snapshot: b.Snapshot, Kinds: map[string]int64{}}
	for _, a := range b.Alerts {
		a.Alert = storable(a.Alert)
		p.s.route(&a, set, p.cfg.Policy)
		sb.Alerts = append(sb.Alerts, a)
	}
	meta := p.cfg.Rules.Meta
	for _, ev := range b.Events {
		sb.Kinds[ev.Event.Kind.String()]++
		out := p.det.Detect(ev.Event)
		var record []byte
		if len(out.Alerts)+len(out.Suppressed) > 0 {
			record = recordOf(ev.Event)
		}
		for i, a := range out.Alerts {
			ch := out.AlertChanges[i]
			sb.Alerts = append(sb.Alerts, store.Alert{Key: AlertKey(&a, ev.Ref), Alert: storable(a), Change: ch.Key, Within: ch.Within, Record: record})
		}
		for i, a := range out.Suppressed {
			ch := out.SuppressedChanges[i]
			sb.Alerts = append(sb.Alerts, store.Alert{Key: AlertKey(&a, ev.Ref), Alert: storable(a), Status: alert.StatusSuppressed, Change: ch.Key, Within: ch.Within, Record: record})
		}
		for i := len(sb.Alerts) - len(out.Alerts) - len(out.Suppressed); i < len(sb.Alerts); i++ {
			p.s.route(&sb.Alerts[i], set, p.cfg.Policy)
		}
		for _, h := range out.Hits {
			a := h.Ref.(*alert.Alert)
			*a = storable(*a)
			ref, _ := p.codec.encodeJSON(a) // storable: cannot fail
			corr := meta[h.Corr].ID
			sb.Hits = append(sb.Hits, store.Hit{
				Scope: scopeKey(corr, h.Group), Key: AlertKey(a, ev.Ref), Corr: corr, Rule: meta[h.Rule].ID,
				Time: h.Time, Group: h.Group, Value: h.Value, HasValue: h.HasValue, Ref: ref,
			})
		}
	}
	return sb
}

// recordOf is the record an alert was raised on, as the console shows
// it: the event as appwatch read it, in JSON; nil when it holds values
// JSON cannot write.
func recordOf(e *event.Event) []byte {
	b, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	return b
}

// storable returns a with evidence JSON can hold: a record's numbers may
// overflow to infinities, which JSON has no way to write, and an alert
// that cannot be stored would hold its source up for good.
func storable(a alert.Alert) alert.Alert {
	if _, err := json.Marshal(a.Evidence); err != nil {
		a.Evidence = map[string]any{"activity": a.Evidence["activity"], "unstorable": "the evidence holds values JSON cannot write: " + err.Error()}
	}
	return a
}

// stored counts a stored batch in the metrics.
func (p *processor) stored(b *feed.Batch, sb *store.Batch, res *store.Committed) {
	m, now := p.s.metrics, p.s.opts.Now()
	m.records.WithLabelValues(p.source).Add(float64(b.Counts.Records))
	m.rejected.WithLabelValues(p.source).Add(float64(b.Counts.Rejected))
	m.skipped.WithLabelValues(p.source).Add(float64(b.Counts.Skipped))
	m.events.WithLabelValues(p.source).Add(float64(len(b.Events)))
	m.batches.WithLabelValues(p.source).Inc()
	m.lastBatch.WithLabelValues(p.source).Set(float64(now.UnixNano()) / 1e9)
	lag := m.lag.WithLabelValues(p.source)
	for _, ev := range b.Events {
		if t := ev.Event.Time; !t.IsZero() {
			lag.Observe(now.Sub(t).Seconds())
			p.s.see(t)
		}
	}
	for _, i := range res.Inserted {
		a := &sb.Alerts[i]
		m.alerts.WithLabelValues(a.Alert.RuleID, statusOf(a)).Inc()
	}
	for _, i := range res.Copies {
		m.copies.WithLabelValues(sb.Alerts[i].Alert.RuleID).Inc()
	}
}

func statusOf(a *store.Alert) string {
	if a.Status == "" {
		return alert.StatusOpen
	}
	return a.Status
}

// The store is what every source may read back.
var _ feed.Store = (*store.Store)(nil)
