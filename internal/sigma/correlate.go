package sigma

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Contribution is one input of a correlation result: a detection hit
// given to Correlator.Add, or the result of an inner correlation.
type Contribution struct {
	Rule int       // index of the rule in the Ruleset
	Time time.Time // event time, or End of the inner result
	// Ref is the reference given to Add, or a *CorrelationResult when
	// Rule is a correlation rule.
	Ref any
}

// CorrelationResult is one firing of a correlation rule.
type CorrelationResult struct {
	Rule    int      // index of the correlation rule in the Ruleset
	GroupBy []string // the group-by entries of the rule
	Group   []string // the values shared by the events, one per entry
	Start   time.Time
	End     time.Time // time of the last contributing event
	// Count is the measured quantity: events, distinct values or
	// distinct rules.
	Count  int64
	Events []Contribution // in time order
}

// Correlator collects detection hits and evaluates the correlation rules
// of a Ruleset over them. Hits may arrive in any time order: a window is
// decided only by Flush, by FlushBefore once the caller's watermark has
// passed it, or by FlushSettled once the newest hits have moved past it.
// A Correlator keeps, per hit, the caller's reference and a few words; it
// keeps nothing once a hit's windows are decided, so a long-running
// caller that flushes by watermark holds only the hits of the last
// timespans. A Correlator is not safe for concurrent use.
type Correlator struct {
	rs    *Ruleset
	corrs []corrState // by correlation, in corrPlan order
	key   []byte
	held  int   // hits held
	late  int64 // hits that came after windows that could hold them were decided
	epoch uint32
}

// corrState is what a Correlator holds for one correlation rule.
type corrState struct {
	groups map[string]*corrGroup
	queue  groupQueue // groups by their earliest hit, for partial flushes
	// newest is the time of the newest detection hit fed to this
	// correlation (seen says there was one); lag is the most a hit has
	// arrived behind the newest one before it.
	newest time.Time
	seen   bool
	lag    time.Duration
	// closed is the latest cutoff a partial flush applied: windows
	// starting before it are decided. dropped says that such a flush
	// dropped hits.
	closed  time.Time
	dropped bool
}

// corrGroup holds the pending hits of one correlation for one set of
// group-by values.
type corrGroup struct {
	key    string
	values []string
	hits   []corrHit
	first  time.Time // time of the earliest hit, the group's place in the queue
	epoch  uint32    // flush in which the group was last scanned
	gone   bool      // removed from its map
}

// corrHit is one hit held for a correlation. The time and rule form the
// Contribution handed back in results.
type corrHit struct {
	t        time.Time
	rule     int32
	member   int32
	hasValue bool
	value    string
	ref      any
}

func (h *corrHit) contribution() Contribution {
	return Contribution{Rule: int(h.rule), Time: h.t, Ref: h.ref}
}

// NewCorrelator returns a Correlator for the correlation rules of rs.
func NewCorrelator(rs *Ruleset) *Correlator {
	c := &Correlator{rs: rs, corrs: make([]corrState, len(rs.corr.corrs))}
	for i := range c.corrs {
		c.corrs[i].groups = make(map[string]*corrGroup)
	}
	return c
}

// Add records that detection rule i matched e. ref is handed back in
// the results; it should let the caller find the event again, and since
// it is held until the hit's windows are decided, it should be small.
// Hits of rules no correlation uses are ignored, and so are hits whose
// event lacks a group-by field.
func (c *Correlator) Add(i int, e Event, ref any) {
	for _, h := range c.rs.Hits(i, e, ref) {
		c.AddHit(h)
	}
}

// Held returns the number of hits the Correlator holds.
func (c *Correlator) Held() int { return c.held }

// Late returns how many hits arrived older than windows already decided
// by FlushBefore or FlushSettled that could have held them. Such a hit is
// still correlated with the hits held, but a pattern it completes with
// hits already dropped is missed.
func (c *Correlator) Late() int64 { return c.late }

// AddHit files h, as Add does with the hits Ruleset.Hits returns. Hits of
// a rule the correlation does not use are ignored.
func (c *Correlator) AddHit(h Hit) {
	k := c.rs.corr.position(h.Corr)
	if k < 0 {
		return
	}
	ch, ok := c.rs.corr.corrs[k].hit(h)
	if !ok {
		return
	}
	s := &c.corrs[k]
	switch {
	case !s.seen:
		s.newest, s.seen = ch.t, true
	case ch.t.After(s.newest):
		s.newest = ch.t
	default:
		s.lag = max(s.lag, s.newest.Sub(ch.t))
	}
	c.addHit(k, h.Group, ch)
}

// addHit files a hit under its group, creating the group if needed.
func (c *Correlator) addHit(corr int, values []string, h corrHit) {
	s := &c.corrs[corr]
	if s.dropped && h.t.Before(s.closed.Add(c.rs.corr.corrs[corr].c.Timespan)) {
		c.late++
	}
	c.key = c.key[:0]
	for _, v := range values {
		c.key = strconv.AppendInt(c.key, int64(len(v)), 10)
		c.key = append(c.key, ':')
		c.key = append(c.key, v...)
	}
	g := s.groups[string(c.key)]
	if g == nil {
		g = &corrGroup{key: string(c.key), values: values}
		s.groups[g.key] = g
	}
	if len(g.hits) == 0 || h.t.Before(g.first) {
		g.first = h.t
		s.queue.push(queued{t: h.t, g: g})
	}
	g.hits = append(g.hits, h)
	c.held++
}

// Flush evaluates everything collected and returns the results of the
// correlation rules that are reported on their own (see
// Ruleset.Standalone), ordered by start time. The Correlator is empty
// afterwards.
func (c *Correlator) Flush() []*CorrelationResult {
	var out []*CorrelationResult
	for ci, cr := range c.rs.corr.corrs {
		s := &c.corrs[ci]
		for _, g := range sortedGroups(s.groups) {
			out = c.scanGroup(out, ci, cr, g, time.Time{}, true)
		}
		s.queue = s.queue[:0]
	}
	return sortResults(out)
}

// FlushBefore returns the results whose windows can no longer change if
// no hit older than watermark arrives any more, and drops the hits that
// only those windows needed. A streaming caller passes the newest event
// time minus the lateness it tolerates; hits older than an earlier
// watermark may then be missed (see Late).
func (c *Correlator) FlushBefore(watermark time.Time) []*CorrelationResult {
	c.epoch++
	var out []*CorrelationResult
	for ci, cr := range c.rs.corr.corrs {
		out = c.flushCorr(out, ci, cr, watermark.Add(-cr.delay))
	}
	return sortResults(out)
}

// FlushSettled is FlushBefore with a watermark of its own for each
// correlation rule: the time of the newest hit that reached the rule
// (through inner correlations too) minus allowance, the lateness the
// caller tolerates. When hits arrive later than that, behind a newer one,
// the watermark keeps that much more distance from then on, so an input
// written newest first is correlated in full (at the cost of holding its
// hits). Callers that read inputs in roughly time order call it after
// each Add, or now and then, to keep memory bounded; it costs little when
// there is nothing to decide.
func (c *Correlator) FlushSettled(allowance time.Duration) []*CorrelationResult {
	c.epoch++
	var out []*CorrelationResult
	newest := make([]time.Time, 0, 8)
	lags := make([]time.Duration, 0, 8)
	for ci, cr := range c.rs.corr.corrs {
		s := &c.corrs[ci]
		nw, seen, lag := s.newest, s.seen, s.lag
		for _, in := range cr.inners {
			if c.corrs[in].seen {
				nw, seen = later(nw, seen, newest[in]), true
				lag = max(lag, lags[in])
			}
		}
		newest, lags = append(newest, nw), append(lags, lag)
		if seen {
			out = c.flushCorr(out, ci, cr, nw.Add(-max(allowance, lag)-cr.delay))
		}
	}
	return sortResults(out)
}

func later(t time.Time, ok bool, u time.Time) time.Time {
	if !ok || u.After(t) {
		return u
	}
	return t
}

// flushCorr decides the windows of one correlation that start before
// cutoff, scanning the groups whose earliest hit is older.
func (c *Correlator) flushCorr(out []*CorrelationResult, ci int, cr *corrRule, cutoff time.Time) []*CorrelationResult {
	s := &c.corrs[ci]
	if cutoff.After(s.closed) {
		s.closed = cutoff
	}
	var due []*corrGroup
	for len(s.queue) > 0 && s.queue[0].t.Before(cutoff) {
		q := s.queue.pop()
		if q.g.gone || q.g.epoch == c.epoch || !q.t.Equal(q.g.first) || len(q.g.hits) == 0 {
			continue
		}
		q.g.epoch = c.epoch
		due = append(due, q.g)
	}
	slices.SortFunc(due, func(a, b *corrGroup) int { return cmp.Compare(a.key, b.key) })
	for _, g := range due {
		out = c.scanGroup(out, ci, cr, g, cutoff, false)
		if len(g.hits) > 0 {
			g.first = g.hits[0].t
			s.queue.push(queued{t: g.first, g: g})
		}
	}
	return out
}

// scanGroup decides the windows of one group (see corrRule.scan), passes
// the results on to outer correlations and keeps those reported on their
// own.
func (c *Correlator) scanGroup(out []*CorrelationResult, ci int, cr *corrRule, g *corrGroup, cutoff time.Time, final bool) []*CorrelationResult {
	before := len(g.hits)
	results := cr.scan(g, cutoff, final)
	c.held -= before - len(g.hits)
	if len(g.hits) < before && !final {
		c.corrs[ci].dropped = true
	}
	for _, res := range results {
		c.feedOuter(res)
		if c.rs.Standalone(cr.rule) {
			out = append(out, res)
		}
	}
	if len(g.hits) == 0 {
		g.gone = true
		delete(c.corrs[ci].groups, g.key)
	}
	return out
}

func sortResults(out []*CorrelationResult) []*CorrelationResult {
	slices.SortStableFunc(out, func(a, b *CorrelationResult) int {
		if n := a.Start.Compare(b.Start); n != 0 {
			return n
		}
		return cmp.Compare(a.Rule, b.Rule)
	})
	return out
}

// feedOuter passes a result on to the correlations that use it. Its
// hits do not move the correlations' watermarks, which follow the
// detection hits behind them.
func (c *Correlator) feedOuter(res *CorrelationResult) {
	for _, h := range c.rs.OuterHits(res) {
		k := c.rs.corr.position(h.Corr)
		if ch, ok := c.rs.corr.corrs[k].hit(h); ok {
			c.addHit(k, h.Group, ch)
		}
	}
}

func sortedGroups(m map[string]*corrGroup) []*corrGroup {
	out := make([]*corrGroup, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *corrGroup) int { return cmp.Compare(a.key, b.key) })
	return out
}

// queued is a group's place in a groupQueue: the time of its earliest hit
// when it was queued. Entries whose time is no longer the group's are
// skipped when they come up.
type queued struct {
	t time.Time
	g *corrGroup
}

// groupQueue is a binary min-heap of groups by earliest hit time.
type groupQueue []queued

func (q *groupQueue) push(x queued) {
	*q = append(*q, x)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].t.Before(h[p].t) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *groupQueue) pop() queued {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h[n] = queued{}
	h = h[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && h[l].t.Before(h[small].t) {
			small = l
		}
		if r := l + 1; r < n && h[r].t.Before(h[small].t) {
			small = r
		}
		if small == i {
			break
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
	*q = h
	return top
}
