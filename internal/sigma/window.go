package sigma

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// scan runs the sliding-window search over one group's hits. Windows
// start at each distinct hit time and span the correlation's timespan.
// When a window meets the condition it becomes a result and the search
// resumes after its last hit, so results never share hits. When it holds
// too many hits for an upper bound (lt, lte, eq) the search also skips
// past it, so that a later part of a large burst does not pass for a
// small one; otherwise the window slides to the next hit time. Windows
// starting at or after cutoff are left for a later call unless final.
// Because hits are sorted first, the outcome does not depend on the
// order they arrived in.
func (cr *corrRule) scan(g *corrGroup, cutoff time.Time, final bool) []*CorrelationResult {
	hits := g.hits
	slices.SortStableFunc(hits, compareHits)
	var out []*CorrelationResult
	w := newWindow(cr)
	i, j := 0, 0 // the window is hits[i:j]
	for i < len(hits) {
		start := hits[i].t
		if !final && !start.Before(cutoff) {
			break
		}
		end := start.Add(cr.c.Timespan)
		for ; j < len(hits) && !hits[j].t.After(end); j++ {
			w.add(&hits[j])
		}
		n, verdict := w.result(hits[i:j])
		if verdict == pass {
			out = append(out, cr.result(g, hits[i:j], n))
		}
		if verdict != slide {
			w.reset()
			i = j
			continue
		}
		for i < j && hits[i].t.Equal(start) {
			w.remove(&hits[i])
			i++
		}
	}
	n := copy(g.hits, hits[i:])
	clear(g.hits[n:]) // let the references dropped be collected
	g.hits = g.hits[:n]
	return out
}

func compareHits(a, b corrHit) int {
	if n := a.t.Compare(b.t); n != 0 {
		return n
	}
	if n := cmp.Compare(a.member, b.member); n != 0 {
		return n
	}
	return strings.Compare(a.value, b.value)
}

func (cr *corrRule) result(g *corrGroup, hits []corrHit, n int64) *CorrelationResult {
	res := &CorrelationResult{
		Rule:    cr.rule,
		GroupBy: cr.c.GroupBy,
		Group:   g.values,
		Start:   hits[0].t,
		End:     hits[len(hits)-1].t,
		Count:   n,
		Events:  make([]Contribution, len(hits)),
	}
	for k := range hits {
		res.Events[k] = hits[k].contribution()
	}
	return res
}

// window keeps the running measures of the hits inside a window.
type window struct {
	cr       *corrRule
	events   int64
	values   map[string]int
	members  []int // hits per member
	distinct int64 // members with at least one hit
}

func newWindow(cr *corrRule) *window {
	return &window{cr: cr, values: make(map[string]int), members: make([]int, len(cr.members))}
}

func (w *window) add(h *corrHit) {
	w.events++
	if h.hasValue {
		w.values[h.value]++
	}
	if w.members[h.member]++; w.members[h.member] == 1 {
		w.distinct++
	}
}

func (w *window) remove(h *corrHit) {
	w.events--
	if h.hasValue {
		if w.values[h.value]--; w.values[h.value] == 0 {
			delete(w.values, h.value)
		}
	}
	if w.members[h.member]--; w.members[h.member] == 0 {
		w.distinct--
	}
}

func (w *window) reset() {
	w.events, w.distinct = 0, 0
	clear(w.values)
	clear(w.members)
}

// verdict is what scan does with a window.
type verdict uint8

const (
	slide verdict = iota // condition not met: try the next start time
	pass                 // condition met: report the window
	skip                 // too many hits for an upper bound: drop the window
)

// result measures the window and checks the condition.
func (w *window) result(hits []corrHit) (int64, verdict) {
	c := w.cr.c
	var n int64
	switch c.Type {
	case EventCount:
		n = w.events
	case ValueCount:
		n = int64(len(w.values))
	case Temporal:
		n = w.distinct
	case TemporalOrdered:
		n = inOrder(hits, len(w.members))
	}
	if len(c.Condition) == 0 {
		if n == int64(len(w.members)) {
			return n, pass
		}
		return n, slide
	}
	v := pass
	for _, b := range c.Condition {
		switch {
		case b.holds(n):
		case b.Op == "lt" || b.Op == "lte" || b.Op == "eq" && n > b.Value:
			return n, skip
		default:
			v = slide
		}
	}
	return n, v
}

// inOrder returns how many members, taken in their listed order, appear
// one after another in the time-sorted hits.
func inOrder(hits []corrHit, members int) int64 {
	next := 0
	for k := range hits {
		if next < members && int(hits[k].member) == next {
			next++
		}
	}
	return int64(next)
}
