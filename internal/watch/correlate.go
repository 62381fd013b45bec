package watch

import (
	"context"
	"slices"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/sigma"
	"github.com/appwatch/appwatch/internal/store"
)

// correlator evaluates correlation scopes from the store: those a batch
// touched as soon as it is stored, and in sweeps the dirty ones (left by
// a crash) and those whose windows the watermark may have decided.
type correlator struct {
	s         *service
	cfg       *Config
	det       *scan.Detector
	codec     *codec
	order     map[string]int // correlation rule id → place in evaluation order
	lastPrune time.Time
}

func newCorrelator(s *service) *correlator { return &correlator{s: s} }

// sweepBatch is how many scopes a sweep reads at once.
const sweepBatch = 500

// dirtyAfter is how long a scope may stay dirty before any instance
// evaluates it: the instance that stored its hits evaluates it at once,
// unless it died or failed, and then another, or itself, does after this.
const dirtyAfter = 2 * time.Second

// run evaluates the scopes sent on in, sweeps every Options.Sweep, and
// evaluates scopes left dirty every dirtyAfter, until in is closed.
// Evaluations run under grace; sweeps stop with ctx.
func (c *correlator) run(ctx, grace context.Context, in <-chan []string) {
	tick := time.NewTicker(c.s.opts.Sweep)
	defer tick.Stop()
	dirty := time.NewTicker(min(c.s.opts.Sweep, dirtyAfter))
	defer dirty.Stop()
	c.sweep(ctx)
	for {
		select {
		case scopes, ok := <-in:
			if !ok {
				return
			}
			c.evaluateAll(grace, drain(scopes, in))
		case <-dirty.C:
			if ctx.Err() == nil {
				c.evaluateDirty(ctx, c.s.opts.Now().Add(-dirtyAfter))
			}
		case <-tick.C:
			if ctx.Err() == nil {
				c.sweep(ctx)
			}
		}
	}
}

// drain adds to scopes those of the batches stored since, already
// waiting on in, each scope once: while evaluations fall behind the
// batches, one evaluation then reads a scope's hits for many batches
// rather than again for each.
func drain(scopes []string, in <-chan []string) []string {
	seen := make(map[string]bool, len(scopes))
	out := scopes[:0]
	add := func(more []string) {
		for _, sc := range more {
			if !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	add(scopes)
	for {
		select {
		case more, ok := <-in:
			if !ok {
				return out
			}
			add(more)
		default:
			return out
		}
	}
}

// refresh takes up a reloaded configuration.
func (c *correlator) refresh() {
	cfg := c.s.cfg.Load()
	if cfg == c.cfg {
		return
	}
	c.cfg, c.det, c.codec = cfg, cfg.detector(), newCodec(cfg.Rules.Meta)
	c.order = map[string]int{}
	for k, i := range cfg.Rules.Set.Correlations() {
		c.order[cfg.Rules.Meta[i].ID] = k
	}
}

// sweep evaluates the dirty scopes, then those holding hits old enough
// for the watermark to decide and stored longer ago than the lateness
// allowed, and prunes the store once an hour.
func (c *correlator) sweep(ctx context.Context) {
	if !c.evaluateDirty(ctx, time.Time{}) {
		return
	}
	if w := c.s.watermark(); !w.IsZero() {
		old, err := c.s.store.ScopesBefore(ctx, w.Add(-c.maxDelay()), c.s.opts.Now().Add(-c.s.opts.Lateness), sweepBatch)
		if err != nil {
			c.s.log.Warn("correlation sweep", "error", err)
			return
		}
		c.evaluateAll(ctx, names(old))
	}
	c.prune(ctx)
}

// evaluateDirty evaluates the scopes dirty since before before (all of
// them, when zero), and reports whether it could read them.
func (c *correlator) evaluateDirty(ctx context.Context, before time.Time) bool {
	for {
		dirty, err := c.s.store.DirtyScopes(ctx, before, sweepBatch)
		if err != nil {
			c.s.log.Warn("correlation sweep", "error", err)
			return false
		}
		c.evaluateAll(ctx, names(dirty))
		if len(dirty) < sweepBatch || ctx.Err() != nil {
			return true
		}
	}
}

// maxDelay is the longest time a correlation window stays open.
func (c *correlator) maxDelay() time.Duration {
	c.refresh()
	var d time.Duration
	for _, r := range c.cfg.Rules.Set.Rules() {
		if r.Correlation != nil {
			d = max(d, r.Correlation.Timespan)
		}
	}
	return d
}

// prune deletes what the retention lets go, at most once an hour and by
// one instance at a time.
func (c *correlator) prune(ctx context.Context) {
	now := c.s.opts.Now()
	if now.Sub(c.lastPrune) < pruneEvery {
		return
	}
	c.lastPrune = now
	held, err := c.s.store.Lease(ctx, "prune", c.s.holder, pruneEvery)
	if err != nil || !held {
		return
	}
	keep := now.Add(-c.s.opts.Retention)
	prune := store.Prune{Alerts: keep, Rejected: keep, Positions: keep}
	if w := c.s.watermark(); !w.IsZero() {
		// Correlation hits go by event time: logs read long after they
		// were written must still correlate.
		prune.Hits = w.Add(-c.s.opts.Retention)
	}
	p, err := c.s.store.Prune(ctx, prune)
	if err != nil {
		c.s.log.Warn("prune", "error", err)
		return
	}
	c.s.log.Info("pruned the store", "alerts", p.Alerts, "rejected", p.Rejected, "seen", p.Seen, "hits", p.Hits, "positions", p.Positions)
}

func names(scopes []store.Scope) []string {
	out := make([]string, len(scopes))
	for i, sc := range scopes {
		out[i] = sc.Scope
	}
	return out
}

// evaluateAll evaluates scopes, inner correlations first, and then the
// outer scopes their results went to. The scopes of one correlation rule
// are evaluated in one transaction.
func (c *correlator) evaluateAll(ctx context.Context, scopes []string) {
	c.refresh()
	for len(scopes) > 0 && ctx.Err() == nil {
		slices.SortStableFunc(scopes, func(a, b string) int { return c.rank(a) - c.rank(b) })
		var outer []string
		for len(scopes) > 0 {
			n := 1
			for n < len(scopes) && c.rank(scopes[n]) == c.rank(scopes[0]) {
				n++
			}
			more, err := c.evaluate(ctx, scopes[:n])
			if err != nil {
				c.s.log.Warn("correlations not evaluated; they are tried again at the next sweep", "scopes", n, "error", err)
			}
			outer = append(outer, more...)
			scopes = scopes[n:]
		}
		scopes = outer
	}
}

// rank orders a scope by its correlation rule's place in the evaluation
// order.
func (c *correlator) rank(scope string) int {
	rule, _, _ := cutLast(scope, '/')
	return c.order[rule]
}

func cutLast(s string, sep byte) (before, after string, found bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// evaluate evaluates scopes in one transaction and returns the outer
// scopes they filed hits in.
func (c *correlator) evaluate(ctx context.Context, scopes []string) ([]string, error) {
	set := c.s.silenceSet(ctx)
	evs, err := c.s.store.Evaluate(ctx, scopes, func(_ string, hits []store.Hit, stored []store.Result) (*store.Evaluation, error) {
		ev := c.decide(hits, stored)
		for i := range ev.Alerts {
			c.s.route(&ev.Alerts[i], set, c.cfg.Policy)
		}
		return ev, nil
	})
	if err != nil {
		return nil, err
	}
	var outer []string
	for _, ev := range evs {
		c.s.metrics.evals.Inc()
		c.s.delivered(len(ev.Inserted))
		for _, i := range ev.Inserted {
			a := &ev.Alerts[i]
			c.s.metrics.alerts.WithLabelValues(a.Alert.RuleID, statusOf(a)).Inc()
		}
		for _, h := range ev.Hits {
			outer = append(outer, h.Scope)
		}
	}
	return outer, nil
}

// decide runs the window search over a scope's hits, with the results
// the scope stored before: windows the watermark closed are decided and
// the hits only they needed let go; windows of rules without an upper
// bound that already meet their condition alert now. Hits stored less
// than the lateness allowed ago keep their windows open whatever the
// newest event time, so that hits of one pattern read out of time order,
// from several partitions or files, still meet.
func (c *correlator) decide(hits []store.Hit, stored []store.Result) *store.Evaluation {
	ev := &store.Evaluation{}
	if len(hits) == 0 {
		return ev
	}
	rs := c.cfg.Rules.Set
	corr, ok := c.codec.index[hits[0].Corr]
	if !ok || rs.Rules()[corr].Correlation == nil {
		// The correlation is no longer loaded: nothing will use its hits.
		for _, h := range hits {
			ev.Done = append(ev.Done, h.Key)
		}
		return ev
	}
	watermark := c.s.watermark()
	recent := c.s.opts.Now().Add(-c.s.opts.Lateness)
	keyOf := map[any]string{}
	var sh []sigma.Hit
	for _, h := range hits {
		rule, ok := c.codec.index[h.Rule]
		ref, err := c.codec.decodeJSON(h.Ref)
		if !ok || err != nil {
			ev.Done = append(ev.Done, h.Key)
			continue
		}
		if h.Stored.After(recent) && h.Time.Before(watermark) {
			watermark = h.Time
		}
		keyOf[ref] = h.Key
		sh = append(sh, sigma.Hit{Corr: corr, Group: h.Group, Value: h.Value, HasValue: h.HasValue,
			Contribution: sigma.Contribution{Rule: rule, Time: h.Time, Ref: ref}})
	}
	results, rest := rs.Evaluate(sh, watermark, false)
	kept := map[string]bool{}
	for _, h := range rest {
		kept[keyOf[h.Ref]] = true
	}
	for _, h := range sh {
		if k := keyOf[h.Ref]; !kept[k] {
			ev.Done = append(ev.Done, k)
		}
	}
	if rs.EarlyResults(corr) {
		early, _ := rs.Evaluate(rest, time.Time{}, true)
		results = append(results, early...)
	}
	c.results(ev, results, stored, keyOf)
	return ev
}

// results adds the alerts of correlation results to ev, and the hits
// they file in outer correlations. A result whose window overlaps that of
// a result the scope stored before is that result, under its key, with
// its window brought up to date: each stored result is matched once, in
// order of start, so that the results of hits that arrived out of time
// order, found again when the hits between them arrive, keep their keys.
// Only new results raise alerts.
func (c *correlator) results(ev *store.Evaluation, results []*sigma.CorrelationResult, stored []store.Result, keyOf map[any]string) {
	rs, meta := c.cfg.Rules.Set, c.cfg.Rules.Meta
	slices.SortStableFunc(results, func(a, b *sigma.CorrelationResult) int { return a.Start.Compare(b.Start) })
	matched := make([]bool, len(stored))
	taken := map[string]bool{}
	for _, st := range stored {
		taken[st.Key] = true
	}
	for _, r := range results {
		id := meta[r.Rule].ID
		key, found := "", false
		for i, st := range stored {
			if !matched[i] && !st.Start.After(r.End) && !r.Start.After(st.End) {
				key, found, matched[i] = st.Key, true, true
				break
			}
		}
		if !found {
			// A result stored before may have started at the same
			// contribution, before hits that arrived later moved its
			// window: the new one takes the next key.
			key = correlationKey(id, r.Group, keyOf[r.Events[0].Ref])
			for taken[key] {
				key = digest("next", key)
			}
			taken[key] = true
		}
		ev.Results = append(ev.Results, store.Result{Key: key, Start: r.Start, End: r.End})
		if rs.Standalone(r.Rule) && !found {
			a, silenced := c.det.CorrelationAlert(r)
			status := alert.StatusOpen
			if silenced {
				status = alert.StatusSuppressed
			}
			ev.Alerts = append(ev.Alerts, store.Alert{Key: key, Alert: a, Status: status})
		}
		outer := rs.OuterHits(r)
		if len(outer) == 0 {
			continue
		}
		ref, err := c.codec.encodeJSON(r)
		if err != nil {
			c.s.log.Warn("correlation result not passed on", "rule", id, "error", err)
			continue
		}
		for _, h := range outer {
			outerID := meta[h.Corr].ID
			ev.Hits = append(ev.Hits, store.Hit{Scope: scopeKey(outerID, h.Group), Key: key, Corr: outerID, Rule: id,
				Time: h.Time, Group: h.Group, Value: h.Value, HasValue: h.HasValue, Ref: ref})
		}
	}
}
