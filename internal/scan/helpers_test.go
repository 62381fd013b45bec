package scan

import (
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/sigma"
)

// compileRules compiles Sigma rules given as YAML text. Each rule's alert
// metadata is read from the rule: its name as id, its guide_row key, its
// level and its title.
func compileRules(t testing.TB, src string) Rules {
	t.Helper()
	parsed, err := sigma.Parse("test.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := event.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	schema := match.NewSchema(cat)
	set, err := sigma.Compile(parsed, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	meta := make([]*alert.Rule, len(parsed))
	for i, r := range parsed {
		var row string
		if _, err := r.Decode("guide_row", &row); err != nil {
			t.Fatal(err)
		}
		meta[i] = &alert.Rule{
			ID: r.Name, GuideRow: row, Level: r.Level,
			Texts: map[string]alert.Text{"en": {Title: r.Title}},
		}
	}
	return Rules{Set: set, Schema: schema, Meta: meta}
}

// testPolicy parses a policy file given as text.
func testPolicy(t testing.TB, src string) *policy.Policy {
	t.Helper()
	p, _, err := policy.Parse("policy.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// day is a Wednesday, 10:00 UTC: inside the default business hours.
var day = time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)

// app is an application the test events are about.
type app struct{ id, objectID, name string }

var (
	payroll = app{"app-payroll", "obj-payroll", "Payroll Sync"}
	billing = app{"app-billing", "obj-billing", "Contoso Billing"}
)

// credentialEvent is an audit record, as the enrichers leave it, of a
// client secret with key id keyID added to a's application object by the
// operation corr.
func credentialEvent(corr, activity, keyID string, a app, at time.Time) *event.Event {
	return &event.Event{
		Kind:          event.KindAudit,
		Time:          at,
		ID:            "Directory_" + corr + "_" + event.NormalizeActivity(activity),
		CorrelationID: corr,
		Activity:      activity,
		ActivityKey:   event.NormalizeActivity(activity),
		Category:      "ApplicationManagement",
		Result:        event.ResultSuccess,
		Actor:         event.Actor{Type: event.ActorUser, ID: "u-ana", UPN: "ana@contoso.com"},
		Targets:       []event.Target{{ID: a.objectID, Type: "Application", Name: a.name}},
		Derived: event.Derived{
			App: event.AppFacts{ID: a.id, ObjectID: a.objectID, Name: a.name},
			Credential: event.CredentialFacts{
				Added:  []modprop.Credential{{KeyID: keyID, Type: "Password", Usage: "Verify"}},
				Before: 1,
				Target: "Application",
			},
		},
		Source: event.Source{Format: "graph", File: "audit.json"},
	}
}

// auditEvent is a plain audit record about a's service principal.
func auditEvent(id, activity string, a app, at time.Time) *event.Event {
	return &event.Event{
		Kind:          event.KindAudit,
		Time:          at,
		ID:            id,
		CorrelationID: "corr-" + id,
		Activity:      activity,
		ActivityKey:   event.NormalizeActivity(activity),
		Result:        event.ResultSuccess,
		Actor:         event.Actor{Type: event.ActorUser, ID: "u-ana", UPN: "ana@contoso.com"},
		Targets:       []event.Target{{ID: a.objectID, Type: "ServicePrincipal", Name: a.name}},
		Derived:       event.Derived{App: event.AppFacts{ID: a.id, ObjectID: a.objectID, Name: a.name}},
		Source:        event.Source{Format: "graph", File: "audit.json"},
	}
}

// detect runs a detector over events and returns its alerts.
func detect(t testing.TB, cfg Config, events ...*event.Event) ([]alert.Alert, *Detector) {
	t.Helper()
	d := NewDetector(cfg)
	for _, e := range events {
		d.Observe(e)
	}
	return d.Finish(), d
}

// ruleIDs lists the rule ids of alerts, in order.
func ruleIDs(alerts []alert.Alert) []string {
	out := make([]string, len(alerts))
	for i, a := range alerts {
		out[i] = a.RuleID
	}
	return out
}
