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
// of a Ruleset over them. Hits may arrive in any time order: nothing is
// decided until Flush or FlushBefore. A Correlator is not safe for
// concurrent use.
type Correlator struct {
	rs     *Ruleset
	groups []map[string]*corrGroup // by correlation
	key    []byte
}

// corrGroup holds the pending hits of one correlation for one set of
// group-by values.
type corrGroup struct {
	key    string
	values []string
	hits   []corrHit
}

type corrHit struct {
	member   int
	value    string
	hasValue bool
	c        Contribution
}

// NewCorrelator returns a Correlator for the correlation rules of rs.
func NewCorrelator(rs *Ruleset) *Correlator {
	c := &Correlator{rs: rs, groups: make([]map[string]*corrGroup, len(rs.corr.corrs))}
	for i := range c.groups {
		c.groups[i] = make(map[string]*corrGroup)
	}
	return c
}

// Add records that detection rule i matched e. ref is handed back in
// the results; it should let the caller find the event again. Hits of
// rules no correlation uses are ignored, and so are hits whose event
// lacks a group-by field.
func (c *Correlator) Add(i int, e Event, ref any) {
	for _, h := range c.rs.Hits(i, e, ref) {
		c.AddHit(h)
	}
}

// addHit files a hit under its group, creating the group if needed.
func (c *Correlator) addHit(corr int, values []string, h corrHit) {
	c.key = c.key[:0]
	for _, v := range values {
		c.key = strconv.AppendInt(c.key, int64(len(v)), 10)
		c.key = append(c.key, ':')
		c.key = append(c.key, v...)
	}
	g := c.groups[corr][string(c.key)]
	if g == nil {
		g = &corrGroup{key: string(c.key), values: values}
		c.groups[corr][g.key] = g
	}
	g.hits = append(g.hits, h)
}

// Flush evaluates everything collected and returns the results of the
// correlation rules that are reported on their own (see
// Ruleset.Standalone), ordered by start time. The Correlator is empty
// afterwards.
func (c *Correlator) Flush() []*CorrelationResult {
	return c.flush(time.Time{}, true)
}

// FlushBefore returns the results whose windows can no longer change if
// no hit older than watermark arrives any more, and drops the hits that
// only those windows needed. A streaming caller passes the newest event
// time minus the lateness it tolerates; hits older than an earlier
// watermark may then be missed.
func (c *Correlator) FlushBefore(watermark time.Time) []*CorrelationResult {
	return c.flush(watermark, false)
}

func (c *Correlator) flush(watermark time.Time, final bool) []*CorrelationResult {
	var out []*CorrelationResult
	for ci, cr := range c.rs.corr.corrs {
		for _, g := range sortedGroups(c.groups[ci]) {
			cutoff := watermark.Add(-cr.delay)
			for _, res := range cr.scan(g, cutoff, final) {
				c.feedOuter(res)
				if c.rs.Standalone(cr.rule) {
					out = append(out, res)
				}
			}
			if len(g.hits) == 0 {
				delete(c.groups[ci], g.key)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *CorrelationResult) int {
		if n := a.Start.Compare(b.Start); n != 0 {
			return n
		}
		return cmp.Compare(a.Rule, b.Rule)
	})
	return out
}

// feedOuter passes a result on to the correlations that use it.
func (c *Correlator) feedOuter(res *CorrelationResult) {
	for _, h := range c.rs.OuterHits(res) {
		c.AddHit(h)
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
