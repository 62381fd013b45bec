package demo_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
)

// attackStart is Saturday 6 June 2026, 21:00 in Rome: everything before it
// is Fabrikam's ordinary week.
var attackStart = time.Date(2026, 6, 6, 19, 0, 0, 0, time.UTC)

// scanDemo scans the embedded logs with the built-in rules and the demo
// policy, as "appwatch demo" does.
func scanDemo(tb testing.TB, workers int) (*scan.Result, *ruleset.Set) {
	tb.Helper()
	ctx := context.Background()
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
	}
	res, err := scan.Run(ctx, inputs, cfg, ingest.Options{Workers: workers})
	if err != nil {
		tb.Fatal(err)
	}
	return res, set
}

func TestEveryInputIsRead(t *testing.T) {
	res, _ := scanDemo(t, 2)
	tot := res.Read.Totals()
	if tot.Unreadable > 0 || tot.Errors > 0 || len(tot.Skipped) > 0 {
		t.Errorf("totals: %d unreadable, %d errors, skipped %v", tot.Unreadable, tot.Errors, tot.Skipped)
	}
	if tot.Events != tot.Records {
		t.Errorf("%d records gave %d events", tot.Records, tot.Events)
	}
	// Every layout in the demo shows part of the attack.
	alerting := map[string]bool{}
	for _, a := range res.Alerts {
		alerting[a.Source.Format] = true
	}
	for layout := range tot.Layouts {
		if !alerting[layout] {
			t.Errorf("no alert comes from the %s files", layout)
		}
	}
	if len(tot.Layouts) < 5 {
		t.Errorf("layouts read: %v, want at least five", tot.Layouts)
	}
}

func TestEveryLogRowAlerts(t *testing.T) {
	res, _ := scanDemo(t, 2)
	logRows := 0
	for _, r := range guide.Rows() {
		if len(r.Sources) == 1 && r.Sources[0] == guide.Graph {
			continue // only appwatch posture can show it
		}
		logRows++
		if res.Coverage.Alerts[r.Key] == 0 {
			t.Errorf("guide row %s has no alert", r.Key)
		}
	}
	if logRows != 17 {
		t.Errorf("%d rows can be shown from logs, want 17 (all but credential-lifetime)", logRows)
	}
}

func TestCorrelationsFire(t *testing.T) {
	res, set := scanDemo(t, 2)
	fired := map[string]int{}
	for _, a := range res.Alerts {
		if a.Correlation != nil {
			fired[a.RuleID]++
		}
	}
	n := 0
	for _, r := range set.Rules {
		if !r.Builtin || !r.Correlation || !r.Generates {
			continue
		}
		n++
		if fired[r.Meta.ID] == 0 {
			t.Errorf("correlation rule %s did not fire", r.Meta.ID)
		}
	}
	if n == 0 {
		t.Fatal("the catalog has no correlation rules")
	}
}

func TestOrdinaryWeekIsQuiet(t *testing.T) {
	res, _ := scanDemo(t, 2)
	benign := []string{
		"chiara.esposito@fabrikam.example", "giorgio.romano@fabrikam.example", "anna.bruno@fabrikam.example",
		"francesca.greco@fabrikam.example", "davide.colombo@fabrikam.example", "nicola.villa@fabrikam.example",
	}
	for _, a := range res.Alerts {
		when, err := time.Parse(time.RFC3339, a.Time)
		if err != nil {
			t.Fatalf("alert %s: time %q: %v", a.RuleID, a.Time, err)
		}
		if a.Level == alert.LevelInformational {
			continue
		}
		switch {
		case when.Before(attackStart):
			t.Errorf("%s at %s by %s is %s, before the attack", a.RuleID, a.Time, actorOf(a), a.Level)
		case slices.Contains(benign, a.Actor.UPN):
			t.Errorf("%s at %s by %s is %s", a.RuleID, a.Time, actorOf(a), a.Level)
		}
		// The week's vault stream is the payroll app's daytime reads,
		// Chiara's approved write and Luca's daytime look.
		if a.Source.File == demo.InputPrefix+"logs/keyvault/AuditEvent-eventhub.json" {
			t.Errorf("%s raised on the ordinary vault stream: %s by %s", a.RuleID, a.Time, actorOf(a))
		}
	}
	if n := res.Suppressed["sensitive-api-permission"]; n != 1 {
		t.Errorf("%d sensitive-api-permission alerts suppressed, want the Tailspin grant only", n)
	}
}

func TestExpectedChanges(t *testing.T) {
	res, _ := scanDemo(t, 2)
	tests := []struct {
		name, rule, actor string
		window            string
		outside           bool
	}{
		{"rotation in the change window", "credential-added-to-app", "chiara.esposito@fabrikam.example", "CHG-2291 payroll secret rotation", false},
		{"redirect URI on an owned domain", "redirect-uri-added", "giorgio.romano@fabrikam.example", "", false},
		{"consent to sign-in scopes", "user-consent", "anna.bruno@fabrikam.example", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []alert.Alert
			for _, a := range res.Alerts {
				if a.RuleID == tt.rule && a.Actor.UPN == tt.actor {
					got = append(got, a)
				}
			}
			if len(got) != 1 {
				t.Fatalf("%d %s alerts by %s, want 1", len(got), tt.rule, tt.actor)
			}
			a := got[0]
			if a.Level != alert.LevelInformational || a.ChangeWindow != tt.window || a.OutsideBusinessHours != tt.outside {
				t.Errorf("level %s, window %q, outside hours %v; want informational, %q, %v",
					a.Level, a.ChangeWindow, a.OutsideBusinessHours, tt.window, tt.outside)
			}
		})
	}
}

func TestAttackIsOutsideHours(t *testing.T) {
	res, _ := scanDemo(t, 2)
	signIn := []string{"ropc-signin", "device-code-signin", "device-code-signin-risky"}
	n := 0
	for _, a := range res.Alerts {
		if a.Time < attackStart.Format(time.RFC3339) || a.Correlation != nil || slices.Contains(signIn, a.RuleID) {
			continue
		}
		n++
		if !a.OutsideBusinessHours {
			t.Errorf("%s at %s is not outside business hours", a.RuleID, a.Time)
		}
	}
	if n < 30 {
		t.Errorf("%d attack alerts from audit, vault and Azure records, want at least 30", n)
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := scanDemo(t, 1)
	b, _ := scanDemo(t, 4)
	if x, y := alertsJSON(t, a.Alerts), alertsJSON(t, b.Alerts); x != y {
		t.Errorf("one worker and four give different alerts, or in another order:\n%s\n%s", x, y)
	}
}

func alertsJSON(t *testing.T, alerts []alert.Alert) string {
	t.Helper()
	lines := make([]string, len(alerts))
	for i, a := range alerts {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		lines[i] = string(b)
	}
	b, err := json.Marshal(lines)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func actorOf(a alert.Alert) string {
	for _, s := range []string{a.Actor.UPN, a.Actor.Name, a.Actor.ID} {
		if s != "" {
			return s
		}
	}
	return a.Actor.Type
}

func BenchmarkScanDemo(b *testing.B) {
	for b.Loop() {
		scanDemo(b, 2)
	}
}
