package webui

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Bucket counts alerts by level, in the order of Levels, over the span
// of time that starts at Start.
type Bucket struct {
	Start  time.Time
	Counts [5]int
}

// Total is the number of alerts in the bucket.
func (b Bucket) Total() int {
	n := 0
	for _, c := range b.Counts {
		n += c
	}
	return n
}

// Timeline is a bar chart of alerts over time, each bar stacked by level,
// laid out in SVG user units for the "timeline" partial.
type Timeline struct {
	// ID prefixes the element ids of the chart, unique in its page.
	ID            string
	Width, Height float64
	// Plot is the area the bars are drawn in.
	Plot   Rect
	Bars   []TimeBar
	YTicks []Tick
	XTicks []Tick
	// From and To bound the time the chart covers; Step is the span of
	// one bar.
	From, To Time
	Step     time.Duration
	Total    int
}

// Rect is a rectangle in SVG user units.
type Rect struct{ X, Y, W, H float64 }

// Bottom is the y of the rectangle's lower edge.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Right is the x of the rectangle's right edge.
func (r Rect) Right() float64 { return r.X + r.W }

// TimeBar is one span of time of a Timeline.
type TimeBar struct {
	Rect
	// Label names the span, such as "2024-05-01 06:00 – 12:00 UTC".
	Label string
	Total int
	// ByLevel counts the alerts by level, in the order of Levels; Counts
	// lists the levels that have any.
	ByLevel [5]int
	Counts  []LevelCount
	Segs    []Seg
}

// LevelCount is how many alerts of one level there are.
type LevelCount struct {
	Level string
	N     int
}

// Seg is the part of a stacked bar that one level takes.
type Seg struct {
	Rect
	Level string
}

// Tick is a labelled position on an axis.
type Tick struct {
	Pos   float64
	Label string
}

// Timeline geometry, in SVG user units.
const (
	chartWidth  = 720
	chartHeight = 240
	plotLeft    = 48
	plotRight   = 24
	plotTop     = 12
	plotBottom  = 40
	maxXLabels  = 7
)

// NewTimeline lays out buckets, each step long, as the timeline id.
// Buckets
// may come in any order and need not be contiguous: spans without alerts
// between the first and the last get empty bars. It returns nil when no
// bucket holds an alert.
func NewTimeline(id string, buckets []Bucket, step time.Duration) *Timeline {
	byStart := map[int64]Bucket{}
	var first, last time.Time
	for _, b := range buckets {
		if b.Total() == 0 {
			continue
		}
		byStart[b.Start.Unix()] = b
		if first.IsZero() || b.Start.Before(first) {
			first = b.Start
		}
		if b.Start.After(last) {
			last = b.Start
		}
	}
	if len(byStart) == 0 || step <= 0 {
		return nil
	}
	n := int(last.Sub(first)/step) + 1
	tl := &Timeline{
		ID:    id,
		Width: chartWidth, Height: chartHeight,
		Plot: Rect{X: plotLeft, Y: plotTop, W: chartWidth - plotLeft - plotRight, H: chartHeight - plotTop - plotBottom},
		From: TimeOf(first), To: TimeOf(last.Add(step)), Step: step,
	}
	maxN := 0
	for _, b := range byStart {
		maxN = max(maxN, b.Total())
		tl.Total += b.Total()
	}
	top := niceCeil(maxN)
	slot := tl.Plot.W / float64(n)
	gap := min(slot*0.2, 4)
	for i := range n {
		start := first.Add(time.Duration(i) * step)
		b := byStart[start.Unix()]
		bar := TimeBar{Rect: Rect{X: tl.Plot.X + float64(i)*slot + gap/2, W: slot - gap}, Label: spanLabel(start, step), Total: b.Total(), ByLevel: b.Counts}
		y := tl.Plot.Bottom()
		for li, c := range b.Counts {
			if c == 0 {
				continue
			}
			h := tl.Plot.H * float64(c) / float64(top)
			y -= h
			bar.Segs = append(bar.Segs, Seg{Rect: Rect{X: bar.X, Y: y, W: bar.W, H: h}, Level: levels[li]})
			bar.Counts = append(bar.Counts, LevelCount{Level: levels[li], N: c})
		}
		bar.Y, bar.H = y, tl.Plot.Bottom()-y
		tl.Bars = append(tl.Bars, bar)
	}
	for _, v := range yTicks(top) {
		tl.YTicks = append(tl.YTicks, Tick{Pos: tl.Plot.Bottom() - tl.Plot.H*float64(v)/float64(top), Label: itoa(v)})
	}
	every := (n + maxXLabels - 1) / maxXLabels
	for i := 0; i < n; i += every {
		start := first.Add(time.Duration(i) * step)
		tl.XTicks = append(tl.XTicks, Tick{Pos: tl.Plot.X + (float64(i)+0.5)*slot, Label: tickLabel(start, step)})
	}
	return tl
}

// niceCeil returns the smallest of 1, 2, 5, 10, 20, 50… at or above n.
func niceCeil(n int) int {
	if n <= 1 {
		return 1
	}
	p := int(math.Pow10(int(math.Floor(math.Log10(float64(n))))))
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

// yTicks returns 0 to top, a value of niceCeil, in four or five equal
// steps (fewer when top is small).
func yTicks(top int) []int {
	step := top / 5
	if lead := top; lead > 0 {
		for lead >= 10 {
			lead /= 10
		}
		if lead == 2 {
			step = top / 4
		}
	}
	step = max(step, 1)
	var out []int
	for v := 0; v <= top; v += step {
		out = append(out, v)
	}
	return out
}

// tickLabel writes the start of a bar as short as its step allows.
func tickLabel(t time.Time, step time.Duration) string {
	t = t.UTC()
	switch {
	case step < 24*time.Hour:
		return t.Format("01-02 15:04")
	case step < 364*24*time.Hour:
		return t.Format("2006-01-02")
	}
	return t.Format("2006")
}

// spanLabel names the span of a bar.
func spanLabel(start time.Time, step time.Duration) string {
	start = start.UTC()
	end := start.Add(step)
	switch {
	case step < 24*time.Hour && end.YearDay() == start.YearDay():
		return start.Format("2006-01-02 15:04") + " – " + end.Format("15:04") + " UTC"
	case step < 24*time.Hour:
		return start.Format("2006-01-02 15:04") + " – " + end.Format("2006-01-02 15:04") + " UTC"
	case step == 24*time.Hour:
		return start.Format("2006-01-02") + " UTC"
	}
	return start.Format("2006-01-02") + " – " + end.Add(-time.Second).Format("2006-01-02") + " UTC"
}

func itoa(n int) string { return Number("", n) }

// Ranked is one entry of a ranking, such as the actors with the most
// alerts: its name, its count, and its count as a share of the largest
// (0 to 100), the length of its bar.
type Ranked struct {
	Name  string
	N     int
	Share float64
}

// Top returns the n names with the highest counts, highest first, ties by
// name.
func Top(counts map[string]int, n int) []Ranked {
	out := make([]Ranked, 0, len(counts))
	for name, c := range counts {
		out = append(out, Ranked{Name: name, N: c})
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Name, b.Name))
	})
	out = out[:min(n, len(out))]
	for i := range out {
		out[i].Share = 100 * float64(out[i].N) / float64(out[0].N)
	}
	return out
}

// Stack lays out counts by level (in the order of Levels) as a horizontal
// bar 100 units wide at most, scaled so that of alerts fill it.
func Stack(counts [5]int, of int) []Seg {
	var out []Seg
	x := 0.0
	for i, c := range counts {
		if c == 0 || of <= 0 {
			continue
		}
		w := 100 * float64(c) / float64(of)
		out = append(out, Seg{Rect: Rect{X: x, W: w, H: 1}, Level: levels[i]})
		x += w
	}
	return out
}
