package console

import (
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// lineChart is the total of findings across snapshots as an SVG line,
// in user units, for the "line-chart" template.
type lineChart struct {
	ID            string
	Width, Height float64
	Plot          webui.Rect
	// Line is the polyline's points; Dots mark each snapshot.
	Line   string
	Dots   []dot
	YTicks []webui.Tick
	XTicks []xTick
	// From and To are the first and last snapshots.
	From, To webui.Time
}

// xTick is a label under the chart's axis, anchored so that it stays
// inside the chart.
type xTick struct {
	Pos           float64
	Label, Anchor string
}

// dot is one snapshot on a chart.
type dot struct {
	X, Y float64
	At   webui.Time
	N    int64
}

// Geometry of the line chart, in SVG user units.
const (
	lineWidth, lineHeight = 960, 220
	linePadLeft           = 44
	linePadRight          = 16
	linePadTop            = 12
	linePadBottom         = 32
)

// newLineChart lays out the totals of snaps, oldest first; nil without
// any snapshot.
func newLineChart(id string, snaps []store.SnapshotCount) *lineChart {
	if len(snaps) == 0 {
		return nil
	}
	c := &lineChart{ID: id, Width: lineWidth, Height: lineHeight,
		Plot: webui.Rect{X: linePadLeft, Y: linePadTop, W: lineWidth - linePadLeft - linePadRight, H: lineHeight - linePadTop - linePadBottom},
		From: webui.TimeOf(snaps[0].Taken), To: webui.TimeOf(snaps[len(snaps)-1].Taken)}
	var top int64
	for _, s := range snaps {
		top = max(top, s.Total)
	}
	top = niceTop(top)
	for v := int64(0); v <= top; v += max(top/4, 1) {
		c.YTicks = append(c.YTicks, webui.Tick{Pos: c.Plot.Bottom() - c.Plot.H*float64(v)/float64(top), Label: strconv.FormatInt(v, 10)})
	}
	var pts []string
	for i, s := range snaps {
		x := c.Plot.X + c.Plot.W/2
		if len(snaps) > 1 {
			x = c.Plot.X + c.Plot.W*float64(i)/float64(len(snaps)-1)
		}
		y := c.Plot.Bottom() - c.Plot.H*float64(s.Total)/float64(top)
		c.Dots = append(c.Dots, dot{X: x, Y: y, At: webui.TimeOf(s.Taken), N: s.Total})
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		anchor := "middle"
		switch {
		case len(snaps) > 1 && i == 0:
			anchor = "start"
		case len(snaps) > 1 && i == len(snaps)-1:
			anchor = "end"
		case len(snaps) <= 4 || i != len(snaps)/2:
			continue
		}
		c.XTicks = append(c.XTicks, xTick{Pos: x, Label: s.Taken.UTC().Format("2006-01-02 15:04") + " UTC", Anchor: anchor})
	}
	c.Line = strings.Join(pts, " ")
	return c
}

// niceTop rounds n up to a number the chart's axis divides by four:
// 4, 8, 20, 40, 80, 200...
func niceTop(n int64) int64 {
	for base := int64(4); ; base *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if top := base * m; top >= n {
				return top
			}
		}
	}
}

// sparkline is one check's findings across snapshots as a small SVG
// line.
type sparkline struct {
	// ID names its title in the page.
	ID          string
	Line        string
	First, Last int64
	Max         int64
	Snapshots   int
}

// Geometry of sparklines, in SVG user units.
const sparkWidth, sparkHeight = 120, 24

// newSparkline lays out the findings of check rule in snaps.
func newSparkline(rule string, snaps []store.SnapshotCount) sparkline {
	s := sparkline{Snapshots: len(snaps)}
	if len(snaps) == 0 {
		return s
	}
	for _, sn := range snaps {
		s.Max = max(s.Max, sn.ByRule[rule])
	}
	s.First, s.Last = snaps[0].ByRule[rule], snaps[len(snaps)-1].ByRule[rule]
	top := float64(max(s.Max, 1))
	var pts []string
	for i, sn := range snaps {
		x := float64(sparkWidth) / 2
		if len(snaps) > 1 {
			x = 2 + float64(sparkWidth-4)*float64(i)/float64(len(snaps)-1)
		}
		y := 2 + float64(sparkHeight-4)*(1-float64(sn.ByRule[rule])/top)
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
	}
	s.Line = strings.Join(pts, " ")
	return s
}
