package report

import (
	"cmp"
	"container/heap"
	"slices"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/webui"
)

// Bounds of what the report keeps while alerts stream in. The counts
// (by guide row, level, rule, time) cover every alert; only the alerts
// drawn in full, the names ranked and the tenants listed are bounded.
const (
	// DefaultMaxAlerts is how many alerts a report draws in full unless
	// Options.MaxAlerts says otherwise.
	DefaultMaxAlerts = 1000
	// maxNames is how many distinct actors, and targets, are counted by
	// name; alerts of further names are counted together.
	maxNames = 10000
	// maxTenants is how many tenant ids the header lists.
	maxTenants = 20
	// maxBuckets is how many spans of time the timeline counts before
	// it merges them into longer ones.
	maxBuckets = 4096
)

// collector sums up the alerts of a run and keeps the most severe ones.
type collector struct {
	max     int
	seq     int
	kept    keptHeap
	total   int
	byRow   map[string]*[5]int
	byRule  map[string]int
	outside int
	actors  tally
	targets tally
	tenants []string
	others  int // tenants beyond maxTenants
	hist    histogram
	untimed int
	// first and last are the earliest and latest alert times.
	first, last time.Time
}

func newCollector(maxAlerts int) *collector {
	return &collector{
		max:     maxAlerts,
		byRow:   map[string]*[5]int{},
		byRule:  map[string]int{},
		actors:  tally{m: map[string]int{}},
		targets: tally{m: map[string]int{}},
		hist:    histogram{counts: map[int64]*[5]int{}},
	}
}

// add counts a and keeps it when it is among the most severe alerts seen
// so far; view makes its view, and is called only then.
func (c *collector) add(a *alert.Alert, view func() webui.Alert) {
	c.total++
	li := len(webui.Levels()) - 1 // a level not one of the five counts as informational
	if i := webui.LevelIndex(a.Level); i >= 0 {
		li = i
	}
	counts := c.byRow[a.GuideRow]
	if counts == nil {
		counts = new([5]int)
		c.byRow[a.GuideRow] = counts
	}
	counts[li]++
	c.byRule[a.RuleID]++
	if a.OutsideBusinessHours {
		c.outside++
	}
	c.actors.add(webui.ActorName(a.Actor))
	c.targets.add(webui.TargetName(a.Target))
	c.tenant(a.TenantID)
	if t, err := time.Parse(time.RFC3339Nano, a.Time); err == nil {
		c.hist.add(t, li)
		if c.first.IsZero() || t.Before(c.first) {
			c.first = t
		}
		if t.After(c.last) {
			c.last = t
		}
	} else {
		c.untimed++
	}
	c.keep(alert.Rank(a.Level), view)
}

// keep keeps the alert of rank when fewer than max alerts are kept or it
// outranks the least severe kept; among equals the earlier is kept.
func (c *collector) keep(rank int, view func() webui.Alert) {
	c.seq++
	k := kept{rank: rank, seq: c.seq}
	switch {
	case c.max <= 0:
		return
	case len(c.kept) < c.max:
		k.view = view()
		heap.Push(&c.kept, k)
	case rank > c.kept[0].rank:
		k.view = view()
		c.kept[0] = k
		heap.Fix(&c.kept, 0)
	}
}

func (c *collector) tenant(id string) {
	switch {
	case id == "":
	case slices.Contains(c.tenants, id):
	case len(c.tenants) < maxTenants:
		c.tenants = append(c.tenants, id)
	default:
		c.others++
	}
}

// kept is an alert drawn in full, with what decides whether it stays.
type kept struct {
	rank, seq int
	view      webui.Alert
}

// keptHeap has the alert least worth keeping on top: the lowest rank,
// and among equals the latest.
type keptHeap []kept

func (h keptHeap) Len() int { return len(h) }
func (h keptHeap) Less(i, j int) bool {
	return cmp.Or(cmp.Compare(h[i].rank, h[j].rank), cmp.Compare(h[j].seq, h[i].seq)) < 0
}
func (h keptHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *keptHeap) Push(x any)   { *h = append(*h, x.(kept)) }
func (h *keptHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// tally counts alerts by name, for up to maxNames names; Other counts
// the alerts of names beyond them.
type tally struct {
	m     map[string]int
	other int
}

func (t *tally) add(name string) {
	if name == "" {
		return
	}
	if _, ok := t.m[name]; ok || len(t.m) < maxNames {
		t.m[name]++
		return
	}
	t.other++
}

// steps are the spans the timeline counts in, each a multiple of the one
// before, so that counts merge exactly into the next.
var steps = []time.Duration{
	time.Hour, 6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 28 * 24 * time.Hour,
	364 * 24 * time.Hour, 3640 * 24 * time.Hour, 36400 * 24 * time.Hour,
}

// histogram counts alerts by level over spans of time of steps[step],
// aligned on the Unix epoch. When it holds more than maxBuckets spans it
// moves to the next, longer step, so its size stays bounded whatever
// times the logs hold.
type histogram struct {
	step   int
	counts map[int64]*[5]int
}

func (h *histogram) add(t time.Time, level int) {
	k := floorDiv(t.Unix(), seconds(steps[h.step]))
	c := h.counts[k]
	if c == nil {
		c = new([5]int)
		h.counts[k] = c
	}
	c[level]++
	for len(h.counts) > maxBuckets && h.step < len(steps)-1 {
		h.coarsen()
	}
}

// coarsen merges the counts into spans of the next step.
func (h *histogram) coarsen() {
	h.counts, h.step = h.merged(h.step+1), h.step+1
}

// merged returns the counts merged into spans of steps[step].
func (h *histogram) merged(step int) map[int64]*[5]int {
	from, to := seconds(steps[h.step]), seconds(steps[step])
	out := map[int64]*[5]int{}
	for k, c := range h.counts {
		nk := floorDiv(k*from, to)
		m := out[nk]
		if m == nil {
			m = new([5]int)
			out[nk] = m
		}
		for i, n := range c {
			m[i] += n
		}
	}
	return out
}

// buckets returns the counts in the shortest step that draws them in at
// most bars bars, and that step.
func (h *histogram) buckets(bars int) ([]webui.Bucket, time.Duration) {
	if len(h.counts) == 0 {
		return nil, 0
	}
	step := h.step
	for ; step < len(steps)-1; step++ {
		lo, hi := h.span(step)
		if hi-lo < int64(bars) {
			break
		}
	}
	merged := h.merged(step)
	out := make([]webui.Bucket, 0, len(merged))
	for k, c := range merged {
		out = append(out, webui.Bucket{Start: time.Unix(k*seconds(steps[step]), 0).UTC(), Counts: *c})
	}
	return out, steps[step]
}

// span returns the first and last span index of the counts at step.
func (h *histogram) span(step int) (lo, hi int64) {
	from, to := seconds(steps[h.step]), seconds(steps[step])
	first := true
	for k := range h.counts {
		nk := floorDiv(k*from, to)
		if first || nk < lo {
			lo = nk
		}
		if first || nk > hi {
			hi = nk
		}
		first = false
	}
	return lo, hi
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// floorDiv divides rounding towards minus infinity, so that times before
// 1970 fall in the span that holds them.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
