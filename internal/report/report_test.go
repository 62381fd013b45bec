package report_test

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/source"
)

// hostile is log text written to break out of HTML: a script, an image
// whose error handler runs script, and quotes that would close an
// attribute.
const hostile = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">"quoted" & 'single'`

func explainHostile(*i18n.Printer, *alert.Alert) []string { return []string{hostile} }

// hostileAlerts are alerts with hostile text in every field that holds
// text from the logs or from user rules.
func hostileAlerts() []alert.Alert {
	a := alert.Alert{
		GuideRow: hostile, RuleID: hostile, Title: hostile, Level: alert.LevelHigh,
		Time: "2024-05-04T22:15:07Z", EventID: hostile, TenantID: hostile,
		Actor:  alert.Actor{Type: hostile, ID: hostile, Name: hostile, UPN: hostile, IP: hostile},
		Target: alert.Target{Type: hostile, ID: hostile, AppID: hostile, Name: hostile},
		Evidence: map[string]any{
			hostile:    hostile,
			"activity": hostile,
			"nested":   map[string]any{"list": []any{hostile, map[string]any{"uri": hostile}}},
		},
		Attack:               []string{hostile, "T1098.001"},
		OutsideBusinessHours: true,
		Source:               alert.Source{Format: hostile, File: hostile, Line: 3},
		Description:          hostile, Remediation: hostile, ChangeWindow: hostile, CorrelationID: hostile,
		Correlation: &alert.Correlation{Events: []alert.EventRef{{RuleID: hostile, EventID: hostile, Time: hostile, Activity: hostile, Source: alert.Source{File: hostile}}}},
	}
	b := a
	b.GuideRow, b.Level = "credential-added", alert.LevelCritical
	return []alert.Alert{a, b}
}

// hostileRun describes a scan of inputs with hostile names, one holding
// a bad record and one that cannot be read.
func hostileRun(t *testing.T) report.Run {
	t.Helper()
	fsys := fstest.MapFS{
		"bad-" + hostile:   {Data: []byte("{\"records\": [{\"not json\n")},
		"empty-" + hostile: {Data: []byte("\x00\x01 binary")},
	}
	inputs, err := source.FromFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ingest.Run(t.Context(), inputs, ingest.Options{Workers: 1}, func(*event.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	cov := scan.Coverage{Kinds: map[event.Kind]int{event.KindAudit: 1}, Alerts: map[string]int{"credential-added": 1}}
	return report.Run{
		Command: report.CommandScan, Time: time.Date(2024, 5, 6, 7, 0, 0, 0, time.UTC),
		Read: sum, Coverage: cov.Rows(), Suppressed: map[string]int{hostile: 2}, Sources: []string{hostile},
	}
}

// render writes alerts and run as a report and returns it.
func render(t *testing.T, opts report.Options, alerts []alert.Alert, run *report.Run) string {
	t.Helper()
	var buf bytes.Buffer
	w := report.New(&buf, opts)
	for _, a := range alerts {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	if run != nil {
		w.DescribeRun(*run)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != report.ErrClosed {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
	if err := w.Write(alerts[0]); err != report.ErrClosed {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
	return buf.String()
}

func TestHostileTextIsEscaped(t *testing.T) {
	run := hostileRun(t)
	out := render(t, report.Options{Lang: "en", Explain: explainHostile}, hostileAlerts(), &run)
	for _, bad := range []string{"<script>window", "<img", `onerror="window`, "'single'"} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q unescaped", bad)
		}
	}
	if n := strings.Count(out, "<script>"); n != 1 {
		t.Errorf("%d script elements, want only the report's own", n)
	}
	escaped := "&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt;&#34;quoted&#34; &amp; &#39;single&#39;"
	if n := strings.Count(out, escaped); n < 20 {
		t.Errorf("hostile text shown escaped %d times, want it in every field (20 or more)", n)
	}
	if strings.Contains(out, `href="`+hostile) || strings.Contains(out, "attack.mitre.org/techniques/%3c") {
		t.Error("a hostile technique id became a link")
	}
}

// TestSelfContained checks that the report links to nothing it would
// load: no src, no stylesheet or import, no url() in styles; the only
// links are anchors in the page and ATT&CK technique pages.
func TestSelfContained(t *testing.T) {
	run := hostileRun(t)
	out := render(t, report.Options{Lang: "en"}, append(hostileAlerts(), sampleAlerts(5)...), &run)
	for _, re := range []string{`(?i)<[a-z][^>]*\ssrc\s*=`, `(?i)<link`, `(?i)@import`, `(?i)url\(`, `(?i)<iframe`, `(?i)<object`} {
		if m := regexp.MustCompile(re).FindString(out); m != "" {
			t.Errorf("the report holds %q", m)
		}
	}
	hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1)
	attack := 0
	for _, h := range hrefs {
		switch {
		case strings.HasPrefix(h[1], "#"):
		case regexp.MustCompile(`^https://attack\.mitre\.org/techniques/T[0-9]{4}/([0-9]{3}/)?$`).MatchString(h[1]):
			attack++
		default:
			t.Errorf("link to %q", h[1])
		}
	}
	if attack == 0 {
		t.Error("no ATT&CK technique linked")
	}
}

// sampleAlerts returns n alerts of guide rows and levels in turn, an hour
// apart.
func sampleAlerts(n int) []alert.Alert {
	rows := guide.Rows()
	levels := []string{alert.LevelInformational, alert.LevelLow, alert.LevelMedium, alert.LevelHigh, alert.LevelCritical}
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var out []alert.Alert
	for i := range n {
		out = append(out, alert.Alert{
			GuideRow: rows[i%len(rows)].Key, RuleID: fmt.Sprintf("rule-%d", i%7), Title: fmt.Sprintf("Alert number %d", i),
			Level: levels[i%len(levels)], Time: start.Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
			TenantID: "6f0c2a52-7c1e-4c8e-9a4b-2d5f0e1a9b33",
			Actor:    alert.Actor{Type: "user", UPN: fmt.Sprintf("user%d@contoso.example", i%3)},
			Target:   alert.Target{Type: "Application", Name: fmt.Sprintf("App %d", i%4)},
			Evidence: map[string]any{"activity": "Update application"}, Attack: []string{"T1098.001"},
		})
	}
	return out
}

// TestBound checks that a report draws only MaxAlerts alerts, the most
// severe, and counts the rest.
func TestBound(t *testing.T) {
	alerts := sampleAlerts(50)
	out := render(t, report.Options{Lang: "en", MaxAlerts: 10}, alerts, nil)
	if n := strings.Count(out, `<details class="alert"`); n != 10 {
		t.Errorf("%d alerts drawn, want 10", n)
	}
	// 50 alerts, levels in turn: 10 of each. The 10 drawn are the critical ones.
	for i := 4; i < 50; i += 5 {
		if !strings.Contains(out, fmt.Sprintf(">Alert number %d<", i)) {
			t.Errorf("critical alert %d not drawn", i)
		}
	}
	if strings.Contains(out, ">Alert number 0<") {
		t.Error("an informational alert drawn before a critical one")
	}
	if !strings.Contains(out, "This report lists the 10 most severe of 50 alerts in full. The other 40 are counted") {
		t.Error("the report does not say that 40 alerts are not listed")
	}
	if !strings.Contains(out, `<span class="tile-n">50</span>`) {
		t.Error("the summary does not count all 50 alerts")
	}
}

func TestNoAlerts(t *testing.T) {
	var buf bytes.Buffer
	w := report.New(&buf, report.Options{Lang: "it"})
	run := hostileRun(t)
	w.DescribeRun(run)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<html lang="it">`, "Nessun avviso.", "Report dell&#39;analisi", "Copertura per riga della guida"} {
		if !strings.Contains(out, want) {
			t.Errorf("report without alerts lacks %q", want)
		}
	}
	if strings.Contains(out, `id="timeline"`) {
		t.Error("a timeline without alerts")
	}
}

func TestLanguages(t *testing.T) {
	for _, lang := range i18n.Langs() {
		p := i18n.NewPrinter(lang)
		run := report.Run{Command: report.CommandPosture, Posture: &posture.Result{Notes: []string{"a note"}}}
		out := render(t, report.Options{Lang: lang}, sampleAlerts(3), &run)
		esc := template.HTMLEscapeString
		for _, want := range []string{`<html lang="` + lang + `">`, "<h1>" + esc(p.Sprintf("report.title.posture")) + "</h1>", esc(p.Sprintf("report.dns-off")), esc(p.Row("credential-added"))} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: report lacks %q", lang, want)
			}
		}
	}
}

// TestSizeBounded checks that a report of many alerts is about as large
// as one of a few more than it draws: past the bound, alerts are counted,
// not kept.
func TestSizeBounded(t *testing.T) {
	size := func(n int) int {
		return len(render(t, report.Options{Lang: "en", MaxAlerts: 100}, sampleAlerts(n), nil))
	}
	small, large := size(150), size(15000)
	if large > small*12/10 {
		t.Errorf("report of 15,000 alerts is %d bytes, of 150 alerts %d: not bounded", large, small)
	}
}

// TestSystemActorNamed checks that a posture finding, whose actor is the
// system, names appwatch's check in the page's language rather than
// "system".
func TestSystemActorNamed(t *testing.T) {
	a := alert.Alert{RuleID: "app-without-owner", GuideRow: "owner-added", Level: "medium", Title: "App without owner",
		Actor: alert.Actor{Type: "system"}, Target: alert.Target{Type: "Application", Name: "Payroll"}}
	run := report.Run{}
	out := render(t, report.Options{Lang: "ja"}, []alert.Alert{a}, &run)
	if !strings.Contains(out, "appwatch (態勢チェック)") {
		t.Errorf("the page does not name the posture check as the actor:\n%s", out)
	}
	if strings.Contains(out, "</span>system</span>") {
		t.Errorf("the page names the actor \"system\"")
	}
}

// TestPostureCheckStatus checks that a posture report shows each check's
// status, the objects it evaluated and why it was not evaluated.
func TestPostureCheckStatus(t *testing.T) {
	res := &posture.Result{Checks: []posture.CheckResult{
		{ID: posture.RedirectURIWildcard, Status: posture.StatusFail, Evaluated: 7, Findings: 1},
		{ID: posture.CredentialExpired, Status: posture.StatusPass, Evaluated: 12},
		{ID: posture.RedirectURIDangling, Status: posture.StatusNotEvaluated, Reason: "DNS lookups are off"},
		{ID: posture.LogoutURLMissing, Status: posture.StatusSkipped},
	}}
	run := report.Run{Command: report.CommandPosture, Posture: res}
	out := render(t, report.Options{Lang: "en", Rules: posture.Checks()}, sampleAlerts(1), &run)
	for id, want := range map[string][]string{
		posture.RedirectURIWildcard: {"✗ </span>FAIL</span>", `<td class="num">7</td>`},
		posture.CredentialExpired:   {"✓ </span>PASS</span>", `<td class="num">12</td>`},
		posture.RedirectURIDangling: {"○ </span>N/A</span> <small>DNS lookups are off</small>"},
		posture.LogoutURLMissing:    {"○ </span>SKIP</span>"},
	} {
		row := checkRow(t, out, id)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row of %s lacks %q:\n%s", id, w, row)
			}
		}
	}
}

// checkRow returns the table row of check id in a posture report.
func checkRow(t *testing.T, out, id string) string {
	t.Helper()
	i := strings.Index(out, "<code>"+id+"</code>")
	if i < 0 {
		t.Fatalf("no row for %s", id)
	}
	start := strings.LastIndex(out[:i], "<tr>")
	end := strings.Index(out[i:], "</tr>")
	return out[start : i+end]
}
