package scan

import (
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/guide"
)

func TestCoverageRows(t *testing.T) {
	// Rows by the log they need: audit only, sign-in only, Key Vault only,
	// Graph only, and audit or Graph.
	const (
		auditRow    = "owner-added"
		signInRow   = "device-code-signin"
		keyVaultRow = "keyvault-access"
		graphRow    = "credential-lifetime"
		eitherRow   = "dangling-uri"
	)
	type state struct {
		shown   bool
		missing string
	}
	tests := []struct {
		name  string
		kinds []event.Kind
		want  map[string]state
	}{
		{"nothing read", nil, map[string]state{
			auditRow: {false, "audit"}, signInRow: {false, "signin"}, keyVaultRow: {false, "keyvault"},
			graphRow: {false, "graph"}, eitherRow: {false, "audit"},
		}},
		{"audit logs", []event.Kind{event.KindAudit}, map[string]state{
			auditRow: {true, ""}, signInRow: {false, "signin"}, keyVaultRow: {false, "keyvault"},
			graphRow: {false, "graph"}, eitherRow: {true, ""},
		}},
		{"sign-in logs", []event.Kind{event.KindSignIn, event.KindSignIn}, map[string]state{
			auditRow: {false, "audit"}, signInRow: {true, ""}, keyVaultRow: {false, "keyvault"},
			graphRow: {false, "graph"}, eitherRow: {false, "audit"},
		}},
		{"key vault logs", []event.Kind{event.KindKeyVault}, map[string]state{
			auditRow: {false, "audit"}, signInRow: {false, "signin"}, keyVaultRow: {true, ""},
			graphRow: {false, "graph"}, eitherRow: {false, "audit"},
		}},
		{"activity log shows vault changes", []event.Kind{event.KindActivity}, map[string]state{
			auditRow: {false, "audit"}, keyVaultRow: {true, ""},
		}},
		{"unknown events show nothing", []event.Kind{event.KindUnknown}, map[string]state{
			auditRow: {false, "audit"}, signInRow: {false, "signin"}, keyVaultRow: {false, "keyvault"},
		}},
		{"every log", []event.Kind{event.KindAudit, event.KindSignIn, event.KindKeyVault}, map[string]state{
			auditRow: {true, ""}, signInRow: {true, ""}, keyVaultRow: {true, ""},
			graphRow: {false, "graph"}, eitherRow: {true, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCoverage()
			for _, k := range tt.kinds {
				c.see(&event.Event{Kind: k})
			}
			rows := c.Rows()
			checkRowOrder(t, rows)
			for _, r := range rows {
				want, ok := tt.want[r.Row.Key]
				if !ok {
					continue
				}
				if r.Shown != want.shown || r.Missing != want.missing {
					t.Errorf("%s: shown %v, missing %q; want %v, %q", r.Row.Key, r.Shown, r.Missing, want.shown, want.missing)
				}
			}
		})
	}
}

func checkRowOrder(t *testing.T, rows []RowState) {
	t.Helper()
	want := guide.Rows()
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if rows[i].Row.Key != want[i].Key {
			t.Errorf("row %d is %s, want %s", i, rows[i].Row.Key, want[i].Key)
		}
	}
}

func TestCoverageAlerts(t *testing.T) {
	rules := compileRules(t, detectionRules+`---
title: Extra rule with its own key
name: extra
guide_row: user-extra
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add owner to service principal
  condition: sel
level: low
`)
	_, d := detect(t, Config{Rules: rules},
		credentialEvent("op-1", secretsActivity, "key-1", payroll, day),
		credentialEvent("op-1", updateActivity, "key-1", payroll, day),
		credentialEvent("op-2", secretsActivity, "key-2", billing, day.Add(time.Hour)),
		auditEvent("rec-3", "Add owner to service principal", payroll, day),
		&event.Event{Kind: event.KindSignIn, ID: "s-1", Time: day},
	)
	if got := d.Coverage.Kinds; got[event.KindAudit] != 4 || got[event.KindSignIn] != 1 || len(got) != 2 {
		t.Errorf("Kinds = %v, want 4 audit and 1 sign-in", got)
	}
	if got := d.Coverage.Alerts["user-extra"]; got != 1 {
		t.Errorf("Alerts[user-extra] = %d, want 1", got)
	}
	want := map[string]int{"credential-added": 2, "owner-added": 1}
	for _, r := range d.Coverage.Rows() {
		if r.Row.Key == "user-extra" {
			t.Error("a rule's own key is listed among the guide rows")
		}
		if r.Alerts != want[r.Row.Key] {
			t.Errorf("%s: %d alerts, want %d", r.Row.Key, r.Alerts, want[r.Row.Key])
		}
		if r.Row.HasSource(guide.Audit) && !r.Shown {
			t.Errorf("%s not shown by audit logs", r.Row.Key)
		}
	}
}
