package sink

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/termtext"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTableGroups(t *testing.T) {
	out := string(render(t, "table", Options{Width: 200, Rules: sampleRules()}, sampleAlerts()))
	var headings []string
	for l := range strings.Lines(out) {
		if open := strings.LastIndex(l, " ("); open > 0 && strings.Contains(l, " / ") {
			headings = append(headings, l[open+2:strings.LastIndex(l, ")")])
		}
	}
	want := []string{
		"credential-added", "sp-role-assigned", "privileged-app-permission", "tenant-wide-delegated-grant",
		"keyvault-access", "risky-consent-blocked", "ropc-signin", "redirect-uri-change",
	}
	if !slices.Equal(headings, want) {
		t.Errorf("guide rows %q, want %q", headings, want)
	}
	if !strings.Contains(out, "Other rules / aw-bulk-owners [1 alert]") {
		t.Errorf("no heading for the rule outside the guide:\n%s", out)
	}
	first := strings.Index(out, "2024-05-01T09:00:00Z")
	second := strings.Index(out, "2024-05-02T22:15:07Z")
	if first < 0 || second < 0 || first > second {
		t.Errorf("credential-added alerts not in time order:\n%s", out)
	}
	if !strings.HasSuffix(out, "\n10 alerts: 1 critical, 4 high, 3 medium, 1 low, 1 informational\nGuide rows with alerts: 8 of 18\n") {
		t.Errorf("summary line missing:\n%s", out)
	}
}

func TestTableSortsByTime(t *testing.T) {
	mk := func(tm, rule string) alert.Alert {
		return alert.Alert{GuideRow: "owner-added", RuleID: rule, Time: tm, Level: alert.LevelLow, Title: rule}
	}
	alerts := []alert.Alert{
		mk("", "no-time"),
		mk("2024-01-02T00:00:00Z", "b"),
		mk("2024-01-01T23:00:00-02:00", "late-offset"),
		mk("2024-01-01T00:00:00Z", "z"),
		mk("2024-01-01T00:00:00Z", "a"),
		mk("garbage", "bad-time"),
	}
	out := string(render(t, "table", Options{Width: 120}, alerts))
	var order []string
	for l := range strings.Lines(out) {
		if f := strings.Fields(l); len(f) > 2 && f[1] == "low" {
			order = append(order, f[len(f)-1])
		}
	}
	want := []string{"a", "z", "b", "late-offset", "bad-time", "no-time"}
	if !slices.Equal(order, want) {
		t.Errorf("order %q, want %q\n%s", order, want, out)
	}
	// Times show in UTC; unreadable ones as they are, missing ones as -.
	for _, cell := range []string{"-", "garbage", "2024-01-02T01:00:00Z"} {
		if !strings.Contains(out, "\n"+termtext.Pad(cell, timeWidth)+gap+"low") {
			t.Errorf("time shown as %q missing:\n%s", cell, out)
		}
	}
}

// TestTableWidth renders every language at several widths and checks
// that no line is wider than the terminal, counting East Asian wide
// characters as two columns.
func TestTableWidth(t *testing.T) {
	alerts := append(sampleAlerts(), alert.Alert{
		GuideRow: "owner-added", RuleID: "aw-owner", Level: alert.LevelMedium, Time: "2024-05-07T00:00:00Z",
		Title:    strings.Repeat("所有者が追加されました", 6),
		Actor:    alert.Actor{Type: "user", Name: strings.Repeat("山田花子", 10)},
		Target:   alert.Target{Name: strings.Repeat("應用程式", 10) + "x"},
		Evidence: map[string]any{"activity": strings.Repeat("アクティビティ", 30)},
	})
	for _, lang := range i18n.Langs() {
		for _, width := range []int{61, 72, 80, 100, 132, 200} {
			for _, color := range []bool{false, true} {
				out := string(render(t, "table", Options{Lang: lang, Width: width, Color: color, Rules: sampleRules()}, alerts))
				for l := range strings.Lines(out) {
					l = strings.TrimSuffix(ansi.ReplaceAllString(l, ""), "\n")
					if w := termtext.Width(l); w > width {
						t.Errorf("%s, width %d: line is %d wide: %q", lang, width, w, l)
					}
					if !utf8.ValidString(l) {
						t.Errorf("%s, width %d: invalid UTF-8 in %q", lang, width, l)
					}
				}
			}
		}
	}
}

// TestTableKeepsEveryWord renders every language at several widths and
// checks that no title, actor, target or explanation is cut: each is in
// the output whole, once the spaces that wrapping moves are ignored.
func TestTableKeepsEveryWord(t *testing.T) {
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	alerts := sampleAlerts()
	for _, lang := range i18n.Langs() {
		p := i18n.NewPrinter(lang)
		for _, width := range []int{40, 61, 80, 100, 200, 400} {
			out := squash(string(render(t, "table", Options{Lang: lang, Width: width, Rules: sampleRules()}, alerts)))
			for _, a := range alerts {
				for _, text := range []string{actorName(a.Actor), targetName(a.Target), newRuleIndex(sampleRules()).title(&a, lang), strings.Join(why(p, &a), p.Sprintf("why.sep"))} {
					if !strings.Contains(out, squash(termtext.Clean(text))) {
						t.Errorf("%s, width %d: %q is not in the table whole", lang, width, text)
					}
				}
			}
		}
	}
}

// TestTableLayout checks that a wide enough table puts each alert on one
// line and a narrow one stacks it: time, level and title, then actor and
// target, then why.
func TestTableLayout(t *testing.T) {
	a := sampleAlerts()[0]
	wide := string(render(t, "table", Options{Width: 200, Rules: sampleRules()}, []alert.Alert{a}))
	if !strings.Contains(wide, "\n2024-05-02T22:15:07Z  high           alice@contoso.com  Contoso HR Sync  Credential added to an application\n") {
		t.Errorf("wide table:\n%s", wide)
	}
	narrow := string(render(t, "table", Options{Width: 60, Rules: sampleRules()}, []alert.Alert{a}))
	want := "Time (UTC)            Level          Title\n" +
		"2024-05-02T22:15:07Z  high           Credential added to an\n" +
		"                                     application\n" +
		"    by alice@contoso.com on Contoso HR Sync\n" +
		"    credential added: Password \"ci, \"prod\" rotation\";\n" +
		"    outside business hours\n"
	if !strings.Contains(narrow, want) {
		t.Errorf("narrow table:\n%s\nwant it to hold:\n%s", narrow, want)
	}
}

// TestTableCJKColumns checks that columns line up when cells hold wide
// characters: every alert line has its title at the same display column.
func TestTableCJKColumns(t *testing.T) {
	alerts := []alert.Alert{
		{GuideRow: "owner-added", RuleID: "r1", Level: alert.LevelHigh, Time: "2024-05-01T00:00:00Z", Title: "T1",
			Actor: alert.Actor{Name: "田中"}, Target: alert.Target{Name: "給与計算システム（本番）"}},
		{GuideRow: "owner-added", RuleID: "r2", Level: alert.LevelLow, Time: "2024-05-02T00:00:00Z", Title: "T2",
			Actor: alert.Actor{Name: "alice@contoso.com"}, Target: alert.Target{Name: "ｶﾅ half-width"}},
		{GuideRow: "owner-added", RuleID: "r3", Level: alert.LevelMedium, Time: "2024-05-03T00:00:00Z", Title: "T3",
			Actor: alert.Actor{Name: "e\u0301mile"}, Target: alert.Target{Name: "應用程式"}},
	}
	for _, width := range []int{64, 80, 120} {
		out := string(render(t, "table", Options{Lang: "ja", Width: width}, alerts))
		var cols []int
		for l := range strings.Lines(out) {
			if i := strings.Index(l, " T"); strings.HasPrefix(l, "2024-") && i > 0 {
				cols = append(cols, termtext.Width(l[:i]))
			}
		}
		if len(cols) != 3 || cols[0] != cols[1] || cols[1] != cols[2] {
			t.Errorf("width %d: titles start at columns %v:\n%s", width, cols, out)
		}
	}
}

func TestTableColor(t *testing.T) {
	alerts := sampleAlerts()
	plainOut := string(render(t, "table", Options{Width: 100}, alerts))
	if strings.Contains(plainOut, "\x1b") {
		t.Errorf("escape characters without colour (the logs' own must be removed too):\n%q", plainOut)
	}
	colored := string(render(t, "table", Options{Width: 100, Color: true}, alerts))
	for _, want := range []string{levelColor[alert.LevelCritical] + "critical", levelColor[alert.LevelMedium] + "medium", bold + "Application credentials"} {
		if !strings.Contains(colored, want) {
			t.Errorf("coloured table lacks %q", want)
		}
	}
	if got := ansi.ReplaceAllString(colored, ""); got != plainOut {
		t.Errorf("colours change the text:\n%s\nvs\n%s", got, plainOut)
	}
}

func TestTableTitles(t *testing.T) {
	a := sampleAlerts()[0]
	tests := []struct {
		lang  string
		rules []*alert.Rule
		want  string
	}{
		{"ja", sampleRules(), "アプリケーションに資格情報が追加されました"},
		{"it", sampleRules(), "Credential added to an application"},
		{"ja", nil, "Credential added to an application"},
	}
	for _, tt := range tests {
		out := string(render(t, "table", Options{Lang: tt.lang, Width: 200, Rules: tt.rules}, []alert.Alert{a}))
		if !strings.Contains(out, tt.want) {
			t.Errorf("%s: title %q not in\n%s", tt.lang, tt.want, out)
		}
	}
}
