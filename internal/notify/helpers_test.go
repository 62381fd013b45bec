package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
)

// The fixtures below are made up for these tests.

const (
	testTenant = "6f0c2a52-7c1e-4c8e-9a4b-2d5f0e1a9b33"
	testAppID  = "3c9a1e7f-52b4-4d1a-9e0c-7b2f5a8d6e41"
	testSPID   = "a8e2c4d6-1f3b-4a5c-8d7e-9f0a1b2c3d4e"
)

// firstSeen is when the fixtures were stored.
var firstSeen = time.Date(2026, 6, 7, 1, 15, 0, 0, time.UTC)

// key makes an alert key the way the store does: 32 hex digits.
func key(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// stored returns a with the fields a store adds.
func stored(a alert.Alert, i int) alert.Alert {
	a.AlertKey = key(a.RuleID, a.EventID, fmt.Sprint(i))
	a.Status = alert.StatusOpen
	a.FirstSeen = alert.FormatTime(firstSeen.Add(time.Duration(i) * time.Second))
	return a
}

// credentialAlert is an ordinary stored alert: a secret added to a
// service principal at night.
func credentialAlert() alert.Alert {
	return stored(alert.Alert{
		GuideRow: "credential-added", RuleID: "aw-credential-added", Title: "Credential added to an application",
		Level: alert.LevelHigh, Time: "2026-06-06T23:41:07Z", EventID: "Directory_7f3e9a2b-0c1d-4e5f-8a9b-1c2d3e4f5a6b",
		TenantID: testTenant,
		Actor:    alert.Actor{Type: "user", ID: "0b1c2d3e-0000-4000-8000-00000000a11c", UPN: "alice@contoso.com", Name: "Alice Rossi", IP: "203.0.113.7"},
		Target:   alert.Target{Type: "ServicePrincipal", ID: testSPID, AppID: testAppID, Name: "Payroll Export"},
		Evidence: map[string]any{
			"activity":   "Add service principal credentials",
			"credential": map[string]any{"added": []any{map[string]any{"type": "Password", "key_id": "9d1f0c2e", "display_name": "ci"}}},
		},
		Attack:               []string{"T1098.001"},
		OutsideBusinessHours: true,
		Source:               alert.Source{Format: "graph-audit", File: "audit.json", Line: 12, Index: 11},
		Remediation:          "Ask the owner of the application whether the secret was expected; remove it if not.",
	}, 0)
}

// tenKB is a 10 KB string of mixed scripts.
var tenKB = strings.Repeat("應用程式|a=b\\c]d\"e\n", 10<<10/24)

// hostileAlert carries, in every field a sink writes, what could break
// out of an encoding: separators and escapes of CEF, syslog, Markdown,
// mrkdwn and JSON, line breaks, Chinese and Japanese text, an emoji, and
// a 10 KB value.
func hostileAlert() alert.Alert {
	a := credentialAlert()
	a.Title = `Credential | added = \ ] " <!channel> [click](https://evil.example) *bold* 資格情報が追加されました 🔑`
	a.Actor.Name = "Mallory|x=y\\z\nnext line"
	a.Actor.UPN = `m"al]lory@evil.example`
	a.Target.Name = "<https://evil.example|Payroll> &amp; 給与"
	a.Evidence = map[string]any{
		"activity": "Update application – Certificates and secrets management ",
		"long":     tenKB,
		"nested":   map[string]any{"k=v": []any{"a|b", `c\d`, "e]f"}},
	}
	a.Remediation = "Line one\r\nLine two = \\ | ]"
	return a
}

// demoAlerts are the alerts of the embedded demo tenant, scanned with
// the built-in rules in lang as appwatch demo does, then stored.
func demoAlerts(tb testing.TB, lang string) ([]alert.Alert, []*alert.Rule) {
	tb.Helper()
	ctx := tb.Context()
	pol, err := demo.Policy()
	if err != nil {
		tb.Fatal(err)
	}
	ref, err := refdata.Load()
	if err != nil {
		tb.Fatal(err)
	}
	set, err := ruleset.Load(ctx, ruleset.Options{Placeholders: pol.Placeholders})
	if err != nil {
		tb.Fatal(err)
	}
	inputs, err := demo.Inputs()
	if err != nil {
		tb.Fatal(err)
	}
	cfg := scan.Config{
		Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Enricher: enrich.New(ref, pol),
		Policy:   pol,
		Now:      demo.ReviewTime(),
		Lang:     lang,
	}
	res, err := scan.Run(ctx, inputs, cfg, ingest.Options{Workers: 1})
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Alerts) < 10 {
		tb.Fatalf("the demo raised %d alerts, want at least 10", len(res.Alerts))
	}
	out := make([]alert.Alert, len(res.Alerts))
	for i, a := range res.Alerts {
		out[i] = stored(a, i)
	}
	return out, set.Meta()
}

// fixedClock returns a clock stopped at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// env returns a LookupEnv over m.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// mustSink parses spec and builds its sink with opts, closing it when the
// test ends.
func mustSink(t *testing.T, spec string, opts Options) *Sink {
	t.Helper()
	cfg, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = env(nil)
	}
	if opts.Now == nil {
		opts.Now = fixedClock(firstSeen.Add(time.Hour))
	}
	s, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
