package webui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

func TestAttackURL(t *testing.T) {
	tests := []struct{ id, want string }{
		{"T1098", "https://attack.mitre.org/techniques/T1098/"},
		{"T1098.001", "https://attack.mitre.org/techniques/T1098/001/"},
		{"t1098", ""},
		{"T10981", ""},
		{"T1098.01", ""},
		{`T1098"><script>`, ""},
		{"javascript:alert(1)", ""},
	}
	for _, tt := range tests {
		if got := AttackURL(tt.id); got != tt.want {
			t.Errorf("AttackURL(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"ja", 1234567, "1,234,567"},
		{"it", 1234567, "1.234.567"},
		{"en", -12345, "-12,345"},
	}
	for _, tt := range tests {
		if got := Number(tt.lang, tt.n); got != tt.want {
			t.Errorf("Number(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestDuration(t *testing.T) {
	p := i18n.NewPrinter("en")
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Hour, "1 hour"},
		{6 * time.Hour, "6 hours"},
		{24 * time.Hour, "1 day"},
		{7 * 24 * time.Hour, "1 week"},
		{28 * 24 * time.Hour, "4 weeks"},
	}
	for _, tt := range tests {
		if got := Duration(p, tt.d); got != tt.want {
			t.Errorf("Duration(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	long := strings.Repeat("é", MaxText) // 2 bytes each
	deep := map[string]any{}
	cur := deep
	for range MaxDepth + 3 {
		next := map[string]any{}
		cur["k"] = next
		cur = next
	}
	v := Decode(map[string]any{
		"b": []string{"x", "y"}, "a": 1.5, "n": nil, "t": true, "long": long, "deep": deep, "empty": []any{},
	})
	if !v.IsObject || len(v.Fields) != 7 {
		t.Fatalf("Decode = %+v, want an object of 7 fields", v)
	}
	names := ""
	for _, f := range v.Fields {
		names += f.Name + " "
	}
	if names != "a b deep empty long n t " {
		t.Errorf("fields in order %q, want sorted by name", names)
	}
	byName := map[string]Value{}
	for _, f := range v.Fields {
		byName[f.Name] = f.Value
	}
	if got := byName["a"].Text; got != "1.5" {
		t.Errorf("number = %q", got)
	}
	if got := byName["n"].Text; got != "null" {
		t.Errorf("null = %q", got)
	}
	if b := byName["b"]; !b.IsList || !b.Inline() || len(b.List) != 2 {
		t.Errorf("list = %+v, want an inline list of 2", b)
	}
	if e := byName["empty"]; !e.IsList || len(e.List) != 0 {
		t.Errorf("empty list = %+v", e)
	}
	l := byName["long"]
	if len(l.Text) > MaxText+len("…") || l.Cut == 0 || !strings.HasSuffix(l.Text, "…") || !strings.HasPrefix(l.Text, "éé") {
		t.Errorf("long text: %d bytes, cut %d", len(l.Text), l.Cut)
	}
	if l.Cut+len(l.Text)-len("…") != len(long) {
		t.Errorf("cut %d + shown %d != %d bytes", l.Cut, len(l.Text)-len("…"), len(long))
	}
	d := byName["deep"]
	for range MaxDepth - 1 {
		if !d.IsObject {
			t.Fatalf("object ends before MaxDepth: %+v", d)
		}
		d = d.Fields[0].Value
	}
	if !d.Scalar() || d.Text != `{"k":{"k":{"k":{"k":{}}}}}` {
		t.Errorf("below MaxDepth: %+v, want compact JSON", d)
	}
}

func TestNewTimeline(t *testing.T) {
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	step := 6 * time.Hour
	tl := NewTimeline("tl", []Bucket{
		{Start: start.Add(3 * step), Counts: [5]int{0, 2, 1, 0, 0}},
		{Start: start, Counts: [5]int{1, 0, 0, 0, 3}},
		{Start: start.Add(step), Counts: [5]int{}},
	}, step)
	if tl == nil {
		t.Fatal("nil timeline")
	}
	if len(tl.Bars) != 4 || tl.Total != 7 {
		t.Fatalf("%d bars, total %d; want 4 bars (gaps filled), 7 alerts", len(tl.Bars), tl.Total)
	}
	if tl.Bars[1].Total != 0 || tl.Bars[2].Total != 0 || len(tl.Bars[1].Segs) != 0 {
		t.Error("empty spans have bars")
	}
	first := tl.Bars[0]
	if len(first.Segs) != 2 || first.Segs[0].Level != alert.LevelCritical || first.Segs[1].Level != alert.LevelInformational {
		t.Errorf("first bar segments %+v, want critical then informational", first.Segs)
	}
	// The tallest bar (4 alerts) against a scale of 5.
	if h := first.H; h < tl.Plot.H*0.79 || h > tl.Plot.H*0.81 {
		t.Errorf("bar of 4 on a scale of 5 is %.1f of %.1f high", h, tl.Plot.H)
	}
	if first.Bottom() != tl.Plot.Bottom() {
		t.Error("bar does not stand on the axis")
	}
	for i := 1; i < len(tl.Bars); i++ {
		if tl.Bars[i].X <= tl.Bars[i-1].Right() {
			t.Errorf("bar %d overlaps the one before", i)
		}
	}
	if tl.Bars[len(tl.Bars)-1].Right() > tl.Plot.Right() {
		t.Error("last bar outside the plot")
	}
	if got := tl.Bars[0].Label; got != "2024-05-01 00:00 – 06:00 UTC" {
		t.Errorf("label = %q", got)
	}
	if tl.From.Datetime != "2024-05-01T00:00:00Z" || tl.To.Datetime != "2024-05-02T00:00:00Z" {
		t.Errorf("from %s to %s", tl.From.Datetime, tl.To.Datetime)
	}
	if NewTimeline("x", nil, step) != nil || NewTimeline("x", []Bucket{{Start: start}}, step) != nil {
		t.Error("a timeline without alerts")
	}
}

func TestYTicks(t *testing.T) {
	tests := []struct {
		top  int
		want string
	}{
		{1, "[0 1]"}, {2, "[0 1 2]"}, {5, "[0 1 2 3 4 5]"}, {10, "[0 2 4 6 8 10]"},
		{20, "[0 5 10 15 20]"}, {50, "[0 10 20 30 40 50]"}, {200, "[0 50 100 150 200]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(yTicks(tt.top)); got != tt.want {
			t.Errorf("yTicks(%d) = %s, want %s", tt.top, got, tt.want)
		}
	}
	for n, want := range map[int]int{0: 1, 1: 1, 3: 5, 7: 10, 11: 20, 41: 50, 51: 100} {
		if got := niceCeil(n); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestTop(t *testing.T) {
	got := Top(map[string]int{"b": 2, "a": 2, "c": 5, "d": 1}, 3)
	if len(got) != 3 || got[0].Name != "c" || got[1].Name != "a" || got[2].Name != "b" {
		t.Fatalf("Top = %+v, want c, a, b", got)
	}
	if got[0].Share != 100 || got[1].Share != 40 {
		t.Errorf("shares %v, %v; want 100, 40", got[0].Share, got[1].Share)
	}
	if len(Top(nil, 3)) != 0 {
		t.Error("Top of nothing")
	}
}

// TestAlertPartial renders an alert with hostile text and checks that it
// is escaped and that its parts are there.
func TestAlertPartial(t *testing.T) {
	const evil = `<b onmouseover="x()">'&`
	a := alert.Alert{
		GuideRow: "credential-added", RuleID: "r", Level: alert.LevelHigh, Time: "2024-05-01T09:00:00Z",
		Actor: alert.Actor{UPN: evil}, Target: alert.Target{Name: evil}, Evidence: map[string]any{evil: []any{evil}},
		Attack: []string{"T1098.001", evil}, OutsideBusinessHours: true, ChangeWindow: evil,
	}
	v := NewAlert(&a, alert.Text{Title: evil, Description: "d", Remediation: evil}, []string{evil})
	v.Anchor = "a1"
	tmpl, err := New("page", i18n.NewPrinter("en"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "alert", v); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<b ") || strings.Contains(out, `"x()"`) {
		t.Errorf("unescaped markup in\n%s", out)
	}
	for _, want := range []string{
		`<details class="alert" id="a1">`, `<time datetime="2024-05-01T09:00:00Z">2024-05-01 09:00:00 UTC</time>`,
		`<a href="https://attack.mitre.org/techniques/T1098/001/" rel="noreferrer">T1098.001</a>`,
		"outside business hours", "Outside business hours or change windows", "&lt;b onmouseover=&#34;x()&#34;&gt;&#39;&amp;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("alert lacks %q", want)
		}
	}
}
