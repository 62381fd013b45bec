package report

import (
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/webui"
)

// TestHistogramBounded adds alerts spread from year 1 to year 9999 and
// checks that the histogram stays within maxBuckets and loses no alert.
func TestHistogramBounded(t *testing.T) {
	h := histogram{counts: map[int64]*[5]int{}}
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
	n := 20000
	step := end.Sub(start) / time.Duration(n)
	for i := range n {
		h.add(start.Add(time.Duration(i)*step), i%5)
		if len(h.counts) > maxBuckets {
			t.Fatalf("after %d alerts, %d buckets", i+1, len(h.counts))
		}
	}
	buckets, width := h.buckets(60)
	total := 0
	for _, b := range buckets {
		total += b.Total()
	}
	if total != n {
		t.Errorf("buckets hold %d alerts, want %d", total, n)
	}
	if len(buckets) > 61 || width < 364*24*time.Hour {
		t.Errorf("%d buckets of %s", len(buckets), width)
	}
}

// TestHistogramSteps checks that a week of alerts is drawn in spans of six
// hours, aligned on the hour.
func TestHistogramSteps(t *testing.T) {
	h := histogram{counts: map[int64]*[5]int{}}
	start := time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)
	for i := range 7 * 24 {
		h.add(start.Add(time.Duration(i)*time.Hour), 0)
	}
	buckets, width := h.buckets(60)
	if width != 6*time.Hour {
		t.Errorf("width %s, want 6h", width)
	}
	for _, b := range buckets {
		if b.Start.Hour()%6 != 0 || b.Start.Minute() != 0 {
			t.Errorf("bucket starts at %s", b.Start)
		}
	}
	if h.step != 0 {
		t.Errorf("counted in step %d, want hours", h.step)
	}
}

func TestFloorDiv(t *testing.T) {
	for _, tt := range []struct{ a, b, want int64 }{{7, 2, 3}, {-7, 2, -4}, {-8, 2, -4}, {0, 3, 0}, {-1, 3600, -1}} {
		if got := floorDiv(tt.a, tt.b); got != tt.want {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestCollectorBounds checks the bounds on names and tenants, and that
// the alerts kept are the most severe, the earliest among equals.
func TestCollectorBounds(t *testing.T) {
	c := newCollector(3)
	levels := []string{alert.LevelLow, alert.LevelHigh, alert.LevelLow, alert.LevelHigh, alert.LevelCritical, alert.LevelHigh}
	views := 0
	for i := range maxNames + 10 {
		a := alert.Alert{
			Level: levels[i%len(levels)], GuideRow: "credential-added", TenantID: string(rune('a' + i%(maxTenants+5))),
			Actor: alert.Actor{UPN: string(rune(0x4e00 + i))}, Time: "bad time",
		}
		c.add(&a, func() webui.Alert { views++; return webui.Alert{Level: a.Level, Title: string(rune(0x4e00 + i))} })
	}
	if len(c.actors.m) != maxNames || c.actors.other != 10 {
		t.Errorf("%d actors counted by name, %d others; want %d and 10", len(c.actors.m), c.actors.other, maxNames)
	}
	if len(c.tenants) != maxTenants || c.others == 0 {
		t.Errorf("%d tenants listed, %d more", len(c.tenants), c.others)
	}
	if c.untimed != maxNames+10 {
		t.Errorf("untimed = %d", c.untimed)
	}
	if len(c.kept) != 3 {
		t.Fatalf("%d kept", len(c.kept))
	}
	var titles []string
	for _, k := range c.kept {
		if k.view.Level != alert.LevelCritical {
			t.Errorf("kept a %s alert", k.view.Level)
		}
		titles = append(titles, k.view.Title)
	}
	if views > 3+(maxNames+10)/6+3 {
		t.Errorf("%d views made for %d alerts: views of alerts not kept", views, maxNames+10)
	}
	for _, want := range []string{string(rune(0x4e00 + 4)), string(rune(0x4e00 + 10)), string(rune(0x4e00 + 16))} {
		found := false
		for _, got := range titles {
			found = found || got == want
		}
		if !found {
			t.Errorf("earliest critical alerts not kept: have %q", titles)
		}
	}
	if got := c.byRow["credential-added"]; got[0] == 0 || got[1] == 0 || got[3] == 0 {
		t.Errorf("counts by level %v", got)
	}
}
