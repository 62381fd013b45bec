package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/guide"
)

// appCreatedUser is a user rule with a key of its own, not a guide row:
// it fires when an application creates an account.
var appCreatedUser = map[string]string{"app-user.yml": `title: Account created by an application
name: app-created-user
level: high
tags: [attack.persistence, attack.t1136.003]
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add user
    actor.type: app
  condition: sel
guide_row: app-created-account
`}

func TestDemoJSONLContract(t *testing.T) {
	rules := writeFiles(t, appCreatedUser)
	code, out, errOut := run(t, "demo", "--format", "jsonl", "--rules", rules)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	rows := map[string]bool{}
	for _, a := range parseAlerts(t, out, demo.InputPrefix) {
		rows[a["guide_row"].(string)] = true
	}
	for _, r := range guide.Rows() {
		if r.Key != "credential-lifetime" && !rows[r.Key] {
			t.Errorf("no alert for guide row %s", r.Key)
		}
	}
	if !rows["app-created-account"] {
		t.Error("the user rule with its own key raised nothing")
	}
	if !strings.Contains(errOut, "17 of 18") {
		t.Errorf("stderr lacks the coverage summary:\n%s", errOut)
	}
}

// parseAlerts checks that every line of out is one alert as the alert
// contract describes it, read from a file whose name starts with prefix,
// and returns them.
func parseAlerts(t *testing.T, out, prefix string) []map[string]any {
	t.Helper()
	var alerts []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var a map[string]any
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", n, err, sc.Text())
		}
		for _, problem := range contractProblems(a, prefix) {
			t.Errorf("line %d (%v): %s", n, a["rule_id"], problem)
		}
		alerts = append(alerts, a)
	}
	if len(alerts) == 0 {
		t.Fatal("no alerts on standard output")
	}
	return alerts
}

var (
	techniqueID = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
	kebab       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	levels      = []string{"informational", "low", "medium", "high", "critical"}
	layouts     = []string{
		decode.LayoutGraph, decode.LayoutDiagnostic, decode.LayoutDiagnostic2018, decode.LayoutLogAnalytics,
		decode.LayoutLogAnalyticsCSV, decode.LayoutLogAnalyticsAPI, decode.LayoutPortalCSV, decode.LayoutActivityLog,
	}
)

// contractProblems lists how a differs from the alert contract, or was
// read from a file whose name does not start with prefix.
func contractProblems(a map[string]any, prefix string) []string {
	var p []string
	str := func(key string) string {
		s, ok := a[key].(string)
		if !ok {
			p = append(p, fmt.Sprintf("%s is %T, want a string", key, a[key]))
		}
		return s
	}
	obj := func(key string) map[string]any {
		m, ok := a[key].(map[string]any)
		if !ok {
			p = append(p, fmt.Sprintf("%s is %T, want an object", key, a[key]))
		}
		return m
	}
	if row := str("guide_row"); !guide.IsRow(row) && !kebab.MatchString(row) {
		p = append(p, fmt.Sprintf("guide_row %q is neither a row key nor a key of its own", row))
	}
	if str("rule_id") == "" || str("title") == "" || str("event_id") == "" {
		p = append(p, "rule_id, title or event_id is empty")
	}
	str("tenant_id")
	if l := str("level"); !slices.Contains(levels, l) {
		p = append(p, fmt.Sprintf("level %q", l))
	}
	if ts := str("time"); !strings.HasSuffix(ts, "Z") {
		p = append(p, fmt.Sprintf("time %q is not UTC", ts))
	} else if _, err := time.Parse(time.RFC3339, ts); err != nil {
		p = append(p, fmt.Sprintf("time: %v", err))
	}
	if actor := obj("actor"); actor != nil && !slices.Contains([]any{"user", "app", "system"}, actor["type"]) {
		p = append(p, fmt.Sprintf("actor type %v", actor["type"]))
	}
	for _, key := range []string{"actor", "target"} {
		for k, v := range obj(key) {
			if _, ok := v.(string); !ok {
				p = append(p, fmt.Sprintf("%s.%s is %T, want a string", key, k, v))
			}
		}
	}
	obj("evidence")
	attack, ok := a["attack"].([]any)
	if !ok {
		p = append(p, fmt.Sprintf("attack is %T, want an array", a["attack"]))
	}
	for _, id := range attack {
		if s, ok := id.(string); !ok || !techniqueID.MatchString(s) {
			p = append(p, fmt.Sprintf("attack id %v", id))
		}
	}
	if _, ok := a["outside_business_hours"].(bool); !ok {
		p = append(p, "outside_business_hours is not a boolean")
	}
	if src := obj("source"); src != nil {
		if f, _ := src["format"].(string); !slices.Contains(layouts, f) {
			p = append(p, fmt.Sprintf("source.format %v", src["format"]))
		}
		if f, ok := src["file"].(string); !ok || !strings.HasPrefix(f, prefix) {
			p = append(p, fmt.Sprintf("source.file %v", src["file"]))
		}
		if _, ok := src["index"].(float64); !ok {
			p = append(p, fmt.Sprintf("source.index %v", src["index"]))
		}
	}
	return p
}

func TestDemoExitStatus(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"demo", "--format", "jsonl"}, exitOK},
		{[]string{"demo", "--format", "jsonl", "--fail-on", "high"}, exitFindings},
		{[]string{"demo", "--format", "csv", "--fail-on", "critical", "--quiet"}, exitFindings},
		{[]string{"demo", "--format", "sarif", "--lang", "it"}, exitOK},
		{[]string{"demo", "--format", "xml"}, exitUsage},
		{[]string{"demo", "logs/"}, exitUsage},
		{[]string{"demo", "--fail-on", "severe"}, exitUsage},
		{[]string{"demo", "--config", "no-such-policy.yaml"}, exitUsage},
		{[]string{"demo", "-h"}, exitOK},
	}
	for _, tt := range tests {
		if code, _, errOut := run(t, tt.args...); code != tt.want {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", tt.args, code, tt.want, errOut)
		}
	}
}

func TestDemoSameEveryRun(t *testing.T) {
	_, first, _ := run(t, "demo", "--format", "jsonl", "--workers", "1")
	times := []string{}
	for _, a := range parseAlerts(t, first, demo.InputPrefix) {
		times = append(times, a["time"].(string))
	}
	if !slices.IsSortedFunc(times, func(a, b string) int {
		x, _ := time.Parse(time.RFC3339, a)
		y, _ := time.Parse(time.RFC3339, b)
		return x.Compare(y)
	}) {
		t.Errorf("alerts are not in time order: %v", times)
	}
	for range 3 {
		if _, out, _ := run(t, "demo", "--format", "jsonl", "--workers", "4"); out != first {
			t.Fatal("four workers wrote other alerts, or in another order, than one")
		}
	}
}

func TestDemoQuiet(t *testing.T) {
	code, out, errOut := run(t, "demo", "--format", "jsonl", "--quiet")
	if code != exitOK || errOut != "" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	parseAlerts(t, out, demo.InputPrefix)
}

func TestDemoTable(t *testing.T) {
	code, out, _ := run(t, "demo", "--format", "table")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"critical", "(ropc-signin)", "looks like Microsoft Graph"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestDemoList(t *testing.T) {
	code, out, errOut := run(t, "demo", "--list")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	files, err := demo.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.Contains(out, "\n"+f.Path+" ") || !strings.Contains(out, " "+f.About+"\n") {
			t.Errorf("--list lacks %s or its description", f.Path)
		}
	}
}

func TestDemoExtract(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, "demo", "--extract", dir)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	logs, pol := filepath.Join(dir, demo.LogDir), filepath.Join(dir, demo.PolicyFile)
	if !strings.Contains(out, "appwatch scan "+logs+" --config "+pol) {
		t.Errorf("the output does not say how to scan the files:\n%s", out)
	}

	// Scanning the files gives the demo's alerts, rule for rule.
	_, demoOut, _ := run(t, "demo", "--format", "jsonl")
	code, scanOut, errOut := run(t, "scan", logs, "--config", pol, "--format", "jsonl")
	if code != exitOK {
		t.Fatalf("scan: exit %d, stderr %s", code, errOut)
	}
	if got, want := ruleIDs(t, scanOut, logs), ruleIDs(t, demoOut, demo.InputPrefix); !slices.Equal(got, want) {
		t.Errorf("scan of the extracted logs fired %v, the demo %v", got, want)
	}
	code, events, errOut := run(t, "events", logs, "--format", "jsonl", "--quiet")
	if code != exitOK || strings.Count(events, "\n") < 800 {
		t.Errorf("events: exit %d, %d lines, stderr %s", code, strings.Count(events, "\n"), errOut)
	}

	if code, _, _ := run(t, "demo", "--extract", dir); code != exitUsage {
		t.Errorf("extracting over the same files: exit %d, want %d", code, exitUsage)
	}
}

// ruleIDs returns the distinct rule ids of JSON Lines alerts, sorted.
func ruleIDs(t *testing.T, out, prefix string) []string {
	t.Helper()
	var ids []string
	for _, a := range parseAlerts(t, out, prefix) {
		if id := a["rule_id"].(string); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func BenchmarkDemo(b *testing.B) {
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	for b.Loop() {
		if code := Main(context.Background(), env, []string{"demo", "--format", "jsonl"}); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

func TestContractProblems(t *testing.T) {
	good := func() map[string]any {
		return map[string]any{
			"guide_row": "owner-added", "rule_id": "owner-added", "title": "Owner added", "level": "medium",
			"time": "2026-06-06T21:17:44Z", "event_id": "Directory_1", "tenant_id": "t",
			"actor": map[string]any{"type": "user", "upn": "a@b"}, "target": map[string]any{"type": "Application"},
			"evidence": map[string]any{}, "attack": []any{"T1098"}, "outside_business_hours": true,
			"source": map[string]any{"format": "graph", "file": "demo:logs/x.json", "index": 0.0},
		}
	}
	tests := []struct {
		key   string
		value any
	}{
		{"", nil}, // unchanged: no problem
		{"guide_row", "Owner Added"},
		{"level", "severe"},
		{"time", "2026-06-06T23:17:44+02:00"},
		{"time", "yesterday Z"},
		{"actor", map[string]any{"type": "robot"}},
		{"target", map[string]any{"id": 7.0}},
		{"evidence", []any{}},
		{"attack", []any{"T10"}},
		{"attack", "T1098"},
		{"outside_business_hours", "no"},
		{"source", map[string]any{"format": "xml", "file": "demo:x", "index": 0.0}},
		{"source", map[string]any{"format": "graph", "file": "other.json", "index": 0.0}},
		{"tenant_id", nil},
	}
	for _, tt := range tests {
		a := good()
		if tt.key != "" {
			a[tt.key] = tt.value
		}
		got := contractProblems(a, demo.InputPrefix)
		if (tt.key == "") != (len(got) == 0) {
			t.Errorf("%s = %v: problems %q", tt.key, tt.value, got)
		}
	}
}
