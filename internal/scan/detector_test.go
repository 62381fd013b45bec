package scan

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/sigma"
)

// detectionRules are two plain detection rules on audit records.
const detectionRules = `title: Credential added
name: cred-added
guide_row: credential-added
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    credential.added_count|gt: 0
  condition: sel
level: high
---
title: Owner added
name: owner-added
guide_row: owner-added
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add owner to service principal
  condition: sel
level: medium
`

const (
	secretsActivity = "Update application – Certificates and secrets management "
	updateActivity  = "Update application"
)

func TestDedupe(t *testing.T) {
	tests := []struct {
		name   string
		events []*event.Event
		want   int
	}{
		{
			name: "paired records of one change",
			events: []*event.Event{
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				credentialEvent("op-1", updateActivity, "key-1", payroll, day),
			},
			want: 1,
		},
		{
			name: "paired records a second apart, in reverse order",
			events: []*event.Event{
				credentialEvent("op-1", updateActivity, "key-1", payroll, day.Add(time.Second)),
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
			},
			want: 1,
		},
		{
			name: "one operation, two credentials",
			events: []*event.Event{
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				credentialEvent("op-1", updateActivity, "key-2", payroll, day),
			},
			want: 2,
		},
		{
			name: "same credential id in two operations",
			events: []*event.Event{
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				credentialEvent("op-2", secretsActivity, "key-1", payroll, day.Add(time.Hour)),
			},
			want: 2,
		},
		{
			name: "one operation on two applications",
			events: []*event.Event{
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				credentialEvent("op-1", secretsActivity, "key-1", billing, day),
			},
			want: 2,
		},
		{
			name: "two pairs and a third record",
			events: []*event.Event{
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				credentialEvent("op-1", updateActivity, "key-1", payroll, day),
				credentialEvent("op-2", secretsActivity, "key-2", payroll, day.Add(time.Minute)),
				credentialEvent("op-2", updateActivity, "key-2", payroll, day.Add(time.Minute)),
				credentialEvent("op-2", updateActivity, "key-2", payroll, day.Add(time.Minute)),
			},
			want: 2,
		},
	}
	rules := compileRules(t, detectionRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alerts, d := detect(t, Config{Rules: rules}, tt.events...)
			if len(alerts) != tt.want {
				t.Fatalf("%d alerts, want %d: %+v", len(alerts), tt.want, alerts)
			}
			for _, a := range alerts {
				if a.RuleID != "cred-added" {
					t.Errorf("alert of rule %s, want cred-added", a.RuleID)
				}
			}
			if got := d.Coverage.Alerts["credential-added"]; got != tt.want {
				t.Errorf("coverage counts %d alerts, want %d", got, tt.want)
			}
		})
	}
}

// TestDedupeKeepsFirst checks that the alert kept of a pair is the first
// record seen, with its own activity and event id.
func TestDedupeKeepsFirst(t *testing.T) {
	first := credentialEvent("op-1", secretsActivity, "key-1", payroll, day)
	alerts, _ := detect(t, Config{Rules: compileRules(t, detectionRules)},
		first, credentialEvent("op-1", updateActivity, "key-1", payroll, day))
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1", len(alerts))
	}
	if a := alerts[0]; a.EventID != first.ID || a.Evidence["activity"] != secretsActivity {
		t.Errorf("kept %s (%v), want the first record %s", a.EventID, a.Evidence["activity"], first.ID)
	}
}

func TestLevelOverrides(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		want   map[string]string // level by rule id
	}{
		{"no policy", "", map[string]string{"cred-added": "high", "owner-added": "medium"}},
		{"by rule", "version: 1\nseverity:\n  rules:\n    cred-added: critical\n",
			map[string]string{"cred-added": "critical", "owner-added": "medium"}},
		{"by guide row", "version: 1\nseverity:\n  guide_rows:\n    owner-added: low\n",
			map[string]string{"cred-added": "high", "owner-added": "low"}},
		{"rule wins over row", "version: 1\nseverity:\n  guide_rows:\n    credential-added: low\n  rules:\n    cred-added: informational\n",
			map[string]string{"cred-added": "informational", "owner-added": "medium"}},
	}
	rules := compileRules(t, detectionRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Rules: rules}
			if tt.policy != "" {
				cfg.Policy = testPolicy(t, tt.policy)
			}
			alerts, _ := detect(t, cfg,
				credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
				auditEvent("rec-2", "Add owner to service principal", payroll, day.Add(time.Minute)))
			got := map[string]string{}
			for _, a := range alerts {
				got[a.RuleID] = a.Level
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("levels %v, want %v", got, tt.want)
			}
		})
	}
}

const suppressionPolicy = `version: 1
suppressions:
  - rule: cred-added
    target: "Payroll*"
    reason: The payroll team rotates its secret every month.
    expires: 2026-04-01T00:00:00Z
`

func TestSuppression(t *testing.T) {
	tests := []struct {
		name           string
		now            time.Time
		app            app
		wantSuppressed int
	}{
		{"before expiry", time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), payroll, 1},
		{"at expiry", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), payroll, 0},
		{"after expiry", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), payroll, 0},
		{"other target", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), billing, 0},
	}
	rules := compileRules(t, detectionRules)
	pol := testPolicy(t, suppressionPolicy)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Rules: rules, Policy: pol, Now: tt.now}
			alerts, d := detect(t, cfg,
				credentialEvent("op-1", secretsActivity, "key-1", tt.app, day),
				credentialEvent("op-1", updateActivity, "key-1", tt.app, day),
				auditEvent("rec-2", "Add owner to service principal", tt.app, day.Add(time.Minute)))
			want := []string{"owner-added"}
			if tt.wantSuppressed == 0 {
				want = []string{"cred-added", "owner-added"}
			}
			if got := ruleIDs(alerts); !slices.Equal(got, want) {
				t.Errorf("alerts %v, want %v", got, want)
			}
			if got := d.Suppressed["cred-added"]; got != tt.wantSuppressed {
				t.Errorf("Suppressed[cred-added] = %d, want %d (the paired record counts once)", got, tt.wantSuppressed)
			}
			if got, want := d.Coverage.Alerts["credential-added"], 1-tt.wantSuppressed; got != want {
				t.Errorf("coverage counts %d credential-added alerts, want %d", got, want)
			}
			if got := d.Suppressed["owner-added"]; got != 0 {
				t.Errorf("Suppressed[owner-added] = %d, want 0", got)
			}
		})
	}
}

func TestContext(t *testing.T) {
	tests := []struct {
		name        string
		ctx         event.ContextFacts
		wantLevel   string
		wantOutside bool
		wantExpect  bool
	}{
		{"inside hours", event.ContextFacts{Evaluated: true}, "high", false, false},
		{"outside hours", event.ContextFacts{Evaluated: true, OutsideHours: true}, "high", true, false},
		{"outside hours in a change window", event.ContextFacts{Evaluated: true, OutsideHours: true, ChangeWindow: "patch night"}, "high", false, false},
		{"approved actor outside any window", event.ContextFacts{Evaluated: true, OutsideHours: true, ApprovedActor: true}, "high", true, false},
		{"approved actor in a change window", event.ContextFacts{Evaluated: true, OutsideHours: true, ChangeWindow: "patch night", ApprovedActor: true}, "informational", false, true},
		{"approved actor in a window during hours", event.ContextFacts{Evaluated: true, ChangeWindow: "patch night", ApprovedActor: true}, "informational", false, true},
	}
	rules := compileRules(t, detectionRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := credentialEvent("op-1", secretsActivity, "key-1", payroll, day)
			e.Derived.Context = tt.ctx
			alerts, _ := detect(t, Config{Rules: rules}, e)
			if len(alerts) != 1 {
				t.Fatalf("%d alerts, want 1", len(alerts))
			}
			a := alerts[0]
			if a.Level != tt.wantLevel {
				t.Errorf("Level = %s, want %s", a.Level, tt.wantLevel)
			}
			if a.OutsideBusinessHours != tt.wantOutside {
				t.Errorf("OutsideBusinessHours = %v, want %v", a.OutsideBusinessHours, tt.wantOutside)
			}
			expect, ok := a.Evidence["expected_change"].(string)
			if ok != tt.wantExpect {
				t.Fatalf("expected_change = %q (%v), want present %v", expect, ok, tt.wantExpect)
			}
			if ok && !strings.Contains(expect, "patch night") {
				t.Errorf("expected_change = %q, want it to name the window", expect)
			}
			if a.ChangeWindow != tt.ctx.ChangeWindow || a.ApprovedActor != tt.ctx.ApprovedActor {
				t.Errorf("ChangeWindow %q, ApprovedActor %v; want %q, %v", a.ChangeWindow, a.ApprovedActor, tt.ctx.ChangeWindow, tt.ctx.ApprovedActor)
			}
		})
	}
}

// TestContextOverridesPolicyLevel checks that an expected change is
// informational whatever level the policy gives the rule.
func TestContextOverridesPolicyLevel(t *testing.T) {
	e := credentialEvent("op-1", secretsActivity, "key-1", payroll, day)
	e.Derived.Context = event.ContextFacts{Evaluated: true, ChangeWindow: "w", ApprovedActor: true}
	pol := testPolicy(t, "version: 1\nseverity:\n  rules:\n    cred-added: critical\n")
	alerts, _ := detect(t, Config{Rules: compileRules(t, detectionRules), Policy: pol}, e)
	if len(alerts) != 1 || alerts[0].Level != alert.LevelInformational {
		t.Fatalf("alerts %+v, want one informational", alerts)
	}
}

// TestExpectedChangeLevelFromPolicy checks that the policy decides how an
// expected change is graded, and that the evidence says what was lowered.
func TestExpectedChangeLevelFromPolicy(t *testing.T) {
	tests := []struct {
		name, policy, level, want, note string
	}{
		{"default", "", "critical", "informational", "approved actor inside change window w; level critical lowered to informational"},
		{"critical spared", "expected_changes: {up_to: high}\n", "critical", "critical", "approved actor inside change window w"},
		{"high lowered to low", "expected_changes: {level: low, up_to: high}\n", "high", "low", "approved actor inside change window w; level high lowered to low"},
		{"unchanged", "expected_changes: {level: unchanged}\n", "high", "high", "approved actor inside change window w"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := credentialEvent("op-1", secretsActivity, "key-1", payroll, day)
			e.Derived.Context = event.ContextFacts{Evaluated: true, ChangeWindow: "w", ApprovedActor: true}
			pol := testPolicy(t, "version: 1\nseverity:\n  rules:\n    cred-added: "+tt.level+"\n"+tt.policy)
			alerts, _ := detect(t, Config{Rules: compileRules(t, detectionRules), Policy: pol}, e)
			if len(alerts) != 1 || alerts[0].Level != tt.want || alerts[0].Evidence["expected_change"] != tt.note {
				t.Fatalf("alerts %+v, want one at %s saying %q", alerts, tt.want, tt.note)
			}
		})
	}
}

func TestFinishOrder(t *testing.T) {
	rules := compileRules(t, detectionRules)
	events := []*event.Event{
		credentialEvent("op-3", secretsActivity, "key-3", payroll, day.Add(time.Second)),
		auditEvent("rec-b", "Add owner to service principal", payroll, day.Add(500*time.Millisecond)),
		credentialEvent("op-2", secretsActivity, "key-2", payroll, day.Add(500*time.Millisecond)),
		auditEvent("rec-a", "Add owner to service principal", payroll, day),
		credentialEvent("op-4", secretsActivity, "key-4", payroll, day.Add(1250*time.Millisecond)),
		credentialEvent("op-1", secretsActivity, "key-1", payroll, day.Add(-time.Hour)),
	}
	alerts, _ := detect(t, Config{Rules: rules}, events...)
	var got []string
	for _, a := range alerts {
		got = append(got, a.EventID)
	}
	want := []string{events[5].ID, "rec-a", events[2].ID, "rec-b", events[0].ID, events[4].ID}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (time, then rule)", got, want)
	}
}

func TestLanguage(t *testing.T) {
	rules := compileRules(t, detectionRules)
	rules.Meta[0].Texts["it"] = alert.Text{Title: "Credenziali aggiunte"}
	for _, tt := range []struct{ lang, want string }{{"", "Credential added"}, {"en", "Credential added"}, {"it", "Credenziali aggiunte"}, {"ja", "Credential added"}} {
		alerts, _ := detect(t, Config{Rules: rules, Lang: tt.lang}, credentialEvent("op-1", secretsActivity, "key-1", payroll, day))
		if len(alerts) != 1 || alerts[0].Title != tt.want {
			t.Errorf("lang %q: alerts %+v, want title %q", tt.lang, alerts, tt.want)
		}
	}
}

// correlationRules feed a temporal_ordered correlation: a service
// principal created, then given a credential, within an hour, per app.
const correlationRules = `title: Service principal created
name: sp-created
guide_row: privileged-app-permission
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add service principal
  condition: sel
level: low
---
title: Credential added (input)
name: credential-input
guide_row: credential-added
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    credential.added_count|gt: 0
  condition: sel
level: medium
---
title: New app given a credential
name: new-app-credential
guide_row: credential-added
correlation:
  type: temporal_ordered
  rules:
    - sp-created
    - credential-input
  group-by:
    - app.id
  timespan: 1h
level: critical
`

func TestCorrelation(t *testing.T) {
	rules := compileRules(t, correlationRules)
	created := auditEvent("rec-created", "Add service principal", payroll, day)
	created.Source.Line = 1
	credential := credentialEvent("op-cred", secretsActivity, "key-1", payroll, day.Add(10*time.Minute))
	credential.Actor = event.Actor{Type: event.ActorApp, ID: "sp-attacker", Name: "Backdoor Tool"}
	credential.Source.Line = 9
	events := []*event.Event{
		created, credential,
		// billing: the credential came first, so the order is wrong.
		credentialEvent("op-b", secretsActivity, "key-b", billing, day),
		auditEvent("rec-b", "Add service principal", billing, day.Add(5*time.Minute)),
		// hr: two hours apart, outside the timespan.
		auditEvent("rec-hr", "Add service principal", app{"app-hr", "obj-hr", "HR"}, day),
		credentialEvent("op-hr", secretsActivity, "key-hr", app{"app-hr", "obj-hr", "HR"}, day.Add(2*time.Hour)),
	}
	orders := [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {1, 3, 5, 0, 2, 4}, {3, 1, 4, 0, 5, 2}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			shuffled := make([]*event.Event, len(order))
			for i, j := range order {
				shuffled[i] = events[j]
			}
			alerts, d := detect(t, Config{Rules: rules}, shuffled...)
			if len(alerts) != 1 {
				t.Fatalf("alerts %v, want only the correlation's", ruleIDs(alerts))
			}
			checkCorrelation(t, alerts[0], created, credential)
			if got := d.Coverage.Alerts["credential-added"]; got != 1 {
				t.Errorf("coverage counts %d credential-added alerts, want 1", got)
			}
		})
	}
}

func checkCorrelation(t *testing.T, a alert.Alert, first, last *event.Event) {
	t.Helper()
	if a.RuleID != "new-app-credential" || a.Level != "critical" || a.GuideRow != "credential-added" || a.Title != "New app given a credential" {
		t.Errorf("alert %s %s %s %q, want the correlation rule's metadata", a.RuleID, a.Level, a.GuideRow, a.Title)
	}
	if a.Time != alert.FormatTime(last.Time) || a.EventID != last.ID || a.CorrelationID != last.CorrelationID {
		t.Errorf("time %s, event %s, correlation %s; want those of the last event", a.Time, a.EventID, a.CorrelationID)
	}
	wantActor := alert.Actor{Type: "app", ID: "sp-attacker", Name: "Backdoor Tool"}
	if a.Actor != wantActor {
		t.Errorf("Actor = %+v, want the last event's %+v", a.Actor, wantActor)
	}
	wantTarget := alert.Target{Type: "Application", ID: payroll.objectID, AppID: payroll.id, Name: payroll.name}
	if a.Target != wantTarget {
		t.Errorf("Target = %+v, want %+v", a.Target, wantTarget)
	}
	if a.Source != alert.SourceOf(last) {
		t.Errorf("Source = %+v, want %+v", a.Source, alert.SourceOf(last))
	}
	c := a.Correlation
	if c == nil {
		t.Fatal("no correlation details")
	}
	if !reflect.DeepEqual(c.Group, map[string]string{"app.id": payroll.id}) {
		t.Errorf("Group = %v, want app.id %s", c.Group, payroll.id)
	}
	if c.Start != alert.FormatTime(first.Time) || c.End != alert.FormatTime(last.Time) {
		t.Errorf("window %s to %s, want %s to %s", c.Start, c.End, alert.FormatTime(first.Time), alert.FormatTime(last.Time))
	}
	want := []alert.EventRef{
		{RuleID: "sp-created", EventID: first.ID, Time: alert.FormatTime(first.Time), Activity: first.Activity, Source: alert.SourceOf(first)},
		{RuleID: "credential-input", EventID: last.ID, Time: alert.FormatTime(last.Time), Activity: last.Activity, Source: alert.SourceOf(last)},
	}
	if !reflect.DeepEqual(c.Events, want) {
		t.Errorf("Events:\n got %+v\nwant %+v", c.Events, want)
	}
	steps, _ := a.Evidence["steps"].([]map[string]any)
	if len(steps) != 2 || steps[0]["rule_id"] != "sp-created" || steps[1]["rule_id"] != "credential-input" {
		t.Errorf("evidence steps %v, want sp-created then credential-input", steps)
	}
	if cred, ok := steps[1]["evidence"].(map[string]any)["credential"]; !ok || cred == nil {
		t.Errorf("the credential step lacks its credential evidence: %v", steps[1]["evidence"])
	}
	if a.Evidence["count"] != int64(2) {
		t.Errorf("evidence count %v, want 2", a.Evidence["count"])
	}
}

// TestCorrelationGenerate checks that rules a correlation uses alert on
// their own when the correlation asks for it.
func TestCorrelationGenerate(t *testing.T) {
	src := strings.Replace(correlationRules, "  timespan: 1h\n", "  timespan: 1h\n  generate: true\n", 1)
	rules := compileRules(t, src)
	alerts, _ := detect(t, Config{Rules: rules},
		auditEvent("rec-created", "Add service principal", payroll, day),
		credentialEvent("op-cred", secretsActivity, "key-1", payroll, day.Add(10*time.Minute)))
	want := []string{"sp-created", "credential-input", "new-app-credential"}
	if got := ruleIDs(alerts); !slices.Equal(got, want) {
		t.Errorf("alerts %v, want %v", got, want)
	}
}

// TestCorrelationSuppressed checks that suppressions apply to correlation
// alerts like to any other.
func TestCorrelationSuppressed(t *testing.T) {
	pol := testPolicy(t, `version: 1
suppressions:
  - rule: new-app-*
    reason: Onboarding of new apps this quarter.
    expires: 2026-07-01
`)
	rules := compileRules(t, correlationRules)
	alerts, d := detect(t, Config{Rules: rules, Policy: pol, Now: day},
		auditEvent("rec-created", "Add service principal", payroll, day),
		credentialEvent("op-cred", secretsActivity, "key-1", payroll, day.Add(10*time.Minute)))
	if len(alerts) != 0 || d.Suppressed["new-app-credential"] != 1 {
		t.Errorf("alerts %v, suppressed %v; want the correlation alert suppressed", ruleIDs(alerts), d.Suppressed)
	}
}

// TestCorrelationContext checks that a correlation alert says where the
// time of its last event fell, and that an approved actor does not make
// the pattern informational.
func TestCorrelationContext(t *testing.T) {
	tests := []struct {
		name        string
		first, last event.ContextFacts
		wantOutside bool
		wantWindow  string
	}{
		{"inside hours", event.ContextFacts{}, event.ContextFacts{}, false, ""},
		{"last event outside hours", event.ContextFacts{}, event.ContextFacts{OutsideHours: true}, true, ""},
		{"only the first event outside hours", event.ContextFacts{OutsideHours: true}, event.ContextFacts{}, false, ""},
		{"last event in a change window", event.ContextFacts{}, event.ContextFacts{OutsideHours: true, ChangeWindow: "w"}, false, "w"},
		{"approved actor in a change window", event.ContextFacts{ApprovedActor: true, ChangeWindow: "w"},
			event.ContextFacts{OutsideHours: true, ApprovedActor: true, ChangeWindow: "w"}, false, "w"},
	}
	rules := compileRules(t, correlationRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := auditEvent("rec-created", "Add service principal", payroll, day)
			first.Derived.Context = tt.first
			last := credentialEvent("op-cred", secretsActivity, "key-1", payroll, day.Add(10*time.Minute))
			last.Derived.Context = tt.last
			alerts, _ := detect(t, Config{Rules: rules}, first, last)
			if len(alerts) != 1 {
				t.Fatalf("alerts %v, want the correlation's", ruleIDs(alerts))
			}
			a := alerts[0]
			if a.OutsideBusinessHours != tt.wantOutside || a.ChangeWindow != tt.wantWindow {
				t.Errorf("outside %v, window %q; want %v, %q", a.OutsideBusinessHours, a.ChangeWindow, tt.wantOutside, tt.wantWindow)
			}
			if a.Level != "critical" {
				t.Errorf("Level = %s, want critical", a.Level)
			}
			if _, ok := a.Evidence["expected_change"]; ok {
				t.Error("a correlation alert is marked as an expected change")
			}
		})
	}
}

// TestDedupeWithoutCorrelationID checks records that carry no correlation
// id: the same record read twice (from overlapping exports) raises one
// alert, two records two.
func TestDedupeWithoutCorrelationID(t *testing.T) {
	record := func(id string, at time.Time) *event.Event {
		e := auditEvent(id, "Add owner to service principal", payroll, at)
		e.CorrelationID = ""
		return e
	}
	tests := []struct {
		name   string
		events []*event.Event
		want   int
	}{
		{"same record twice", []*event.Event{record("rec-1", day), record("rec-1", day)}, 1},
		{"two records", []*event.Event{record("rec-1", day), record("rec-2", day)}, 2},
		{"one id at two times", []*event.Event{record("rec-1", day), record("rec-1", day.Add(time.Hour))}, 2},
	}
	rules := compileRules(t, detectionRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alerts, _ := detect(t, Config{Rules: rules}, tt.events...)
			if len(alerts) != tt.want {
				t.Errorf("%d alerts, want %d", len(alerts), tt.want)
			}
		})
	}
}

// TestCorrelationOfCorrelations checks that the alert of a correlation
// over another correlation lists the detection hits behind both.
func TestCorrelationOfCorrelations(t *testing.T) {
	rules := compileRules(t, correlationRules+`---
title: Several new apps given credentials
name: new-apps-burst
guide_row: credential-added
correlation:
  type: event_count
  rules:
    - new-app-credential
  timespan: 1d
  condition:
    gte: 2
level: critical
`)
	hr := app{"app-hr", "obj-hr", "HR"}
	alerts, _ := detect(t, Config{Rules: rules},
		credentialEvent("op-hr", secretsActivity, "key-hr", hr, day.Add(3*time.Hour)),
		auditEvent("rec-payroll", "Add service principal", payroll, day),
		auditEvent("rec-hr", "Add service principal", hr, day.Add(2*time.Hour)),
		credentialEvent("op-payroll", secretsActivity, "key-payroll", payroll, day.Add(time.Hour)),
	)
	var burst *alert.Alert
	for i := range alerts {
		if alerts[i].RuleID == "new-apps-burst" {
			burst = &alerts[i]
		}
	}
	if burst == nil {
		t.Fatalf("alerts %v, want new-apps-burst", ruleIDs(alerts))
	}
	var got []string
	for _, e := range burst.Correlation.Events {
		got = append(got, e.RuleID+":"+e.EventID)
	}
	want := []string{"sp-created:rec-payroll", "credential-input:" + credentialEvent("op-payroll", secretsActivity, "", payroll, day).ID,
		"sp-created:rec-hr", "credential-input:" + credentialEvent("op-hr", secretsActivity, "", hr, day).ID}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
	if burst.Evidence["count"] != int64(2) {
		t.Errorf("count %v, want 2 correlations", burst.Evidence["count"])
	}
}

// TestDetect checks the per-event outcome: standalone alerts, suppressed
// ones, and correlation hits that, evaluated outside the detector, give
// the alert Finish gives.
func TestDetect(t *testing.T) {
	src := strings.Replace(correlationRules, "  timespan: 1h\n", "  timespan: 1h\n  generate: true\n", 1)
	rules := compileRules(t, src)
	pol := testPolicy(t, `version: 1
suppressions:
  - rule: sp-created
    reason: Onboarding of new apps this quarter.
    expires: 2026-07-01
`)
	events := func() []*event.Event {
		return []*event.Event{
			auditEvent("rec-created", "Add service principal", payroll, day),
			credentialEvent("op-cred", secretsActivity, "key-1", payroll, day.Add(10*time.Minute)),
		}
	}
	want, _ := detect(t, Config{Rules: rules, Policy: pol, Now: day}, events()...)

	d := NewDetector(Config{Rules: rules, Policy: pol, Now: day})
	var got []alert.Alert
	var hits []sigma.Hit
	for i, e := range events() {
		out := d.Detect(e)
		got = append(got, out.Alerts...)
		hits = append(hits, out.Hits...)
		if wantSup := 1 - i; len(out.Suppressed) != wantSup {
			t.Errorf("event %d: %d suppressed alerts, want %d", i, len(out.Suppressed), wantSup)
		}
		if len(out.Hits) != 1 {
			t.Fatalf("event %d: %d hits, want 1", i, len(out.Hits))
		}
		if ref, ok := out.Hits[0].Ref.(*alert.Alert); !ok || ref.EventID != e.ID {
			t.Errorf("event %d: hit ref %#v, want the rule's alert for the event", i, out.Hits[0].Ref)
		}
	}
	results, rest := rules.Set.Evaluate(hits, time.Time{}, true)
	if len(results) != 1 || len(rest) != 0 {
		t.Fatalf("Evaluate gave %d results and left %d hits, want 1 and 0", len(results), len(rest))
	}
	a, silenced := d.CorrelationAlert(results[0])
	if silenced {
		t.Errorf("the correlation alert is suppressed; only sp-created is")
	}
	got = append(got, a)
	if !reflect.DeepEqual(ruleIDs(got), ruleIDs(want)) {
		t.Fatalf("Detect and CorrelationAlert raised %v, Finish %v", ruleIDs(got), ruleIDs(want))
	}
	for i := range got {
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want[i])
		if string(g) != string(w) {
			t.Errorf("alert %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// TestKeepCopies checks that a detector that leaves copies to its caller
// returns the alerts of both records of one change, with one change, the
// change a detector that recognises copies itself goes by.
func TestKeepCopies(t *testing.T) {
	rules := compileRules(t, detectionRules)
	events := func() []*event.Event {
		return []*event.Event{
			credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
			credentialEvent("op-1", updateActivity, "key-1", payroll, day),
			credentialEvent("op-2", updateActivity, "key-2", payroll, day),
		}
	}
	keep := NewDetector(Config{Rules: rules, KeepCopies: true})
	var changes []Change
	for i, e := range events() {
		out := keep.Detect(e)
		if len(out.Alerts) != 1 || len(out.AlertChanges) != 1 {
			t.Fatalf("event %d: %d alerts, %d changes; want 1 and 1", i, len(out.Alerts), len(out.AlertChanges))
		}
		if got := ChangeOf(out.Alerts[0], e.CopyKey()); got != out.AlertChanges[0] {
			t.Errorf("event %d: change %v, ChangeOf gives %v", i, out.AlertChanges[0], got)
		}
		changes = append(changes, out.AlertChanges[0])
	}
	if changes[0] != changes[1] || changes[0] == changes[2] || changes[0].Within != 0 {
		t.Errorf("changes %v: want the twins' alike, the other change's not, at any time", changes)
	}
	if len(keep.Copies) != 0 {
		t.Errorf("copies %v counted by a detector that keeps them", keep.Copies)
	}
	plain := NewDetector(Config{Rules: rules})
	var raised int
	for _, e := range events() {
		raised += len(plain.Detect(e).Alerts)
	}
	if raised != 2 || plain.Copies["cred-added"] != 1 {
		t.Errorf("a detector that recognises copies raised %d alerts (copies %v), want 2 and 1", raised, plain.Copies)
	}
}
