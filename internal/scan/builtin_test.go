package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/source"
)

// tenantPolicy has business hours on weekdays from 08:00 to 18:00 UTC, a
// weekly change window on Saturday night and one approved actor.
const tenantPolicy = `version: 1
business_hours:
  timezone: UTC
  days: [mon, tue, wed, thu, fri]
  start: "08:00"
  end: "18:00"
change_windows:
  - name: weekend maintenance
    days: [sat]
    start: "22:00"
    end: "04:00"
approved:
  actors:
    - ops@contoso.com
`

// builtinConfig loads the built-in rules and the enrichers with pol.
func builtinConfig(t testing.TB, pol *policy.Policy) Config {
	t.Helper()
	set, err := ruleset.Load(context.Background(), ruleset.Options{Placeholders: pol.Placeholders})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Rules:    Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Enricher: enrich.New(ref, pol),
		Policy:   pol,
		Now:      time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC),
	}
}

// keyDescription writes the KeyDescription value of an application with
// the given client secrets.
func keyDescription(keyIDs ...string) string {
	items := make([]string, len(keyIDs))
	for i, k := range keyIDs {
		items[i] = fmt.Sprintf("[KeyIdentifier=%s,KeyType=Password,KeyUsage=Verify,DisplayName=%s]", k, k)
	}
	b, _ := json.Marshal(items)
	return string(b)
}

// graphAudit is a Microsoft Graph directoryAudit object on one line, of an
// operation on the Payroll Sync application by actor.
func graphAudit(id, corr, activity, actor string, at time.Time, targets ...any) string {
	rec := map[string]any{
		"id":                  id,
		"category":            "ApplicationManagement",
		"correlationId":       corr,
		"result":              "success",
		"activityDisplayName": activity,
		"activityDateTime":    at.Format(time.RFC3339Nano),
		"loggedByService":     "Core Directory",
		"initiatedBy": map[string]any{"user": map[string]any{
			"id": "u-" + actor, "userPrincipalName": actor, "ipAddress": "203.0.113.10",
		}},
		"targetResources":   targets,
		"additionalDetails": []any{map[string]any{"key": "AppId", "value": payroll.id}},
	}
	b, _ := json.Marshal(rec) // strings, maps and slices always marshal
	return string(b) + "\n"
}

// target is a target resource with its modified properties, given as
// name, old value, new value triples.
func target(id, typ, name string, props ...string) map[string]any {
	mods := []any{}
	for i := 0; i+2 < len(props); i += 3 {
		mods = append(mods, map[string]any{"displayName": props[i], "oldValue": props[i+1], "newValue": props[i+2]})
	}
	return map[string]any{"id": id, "type": typ, "displayName": name, "modifiedProperties": mods}
}

// credentialRecord is a client secret added to the Payroll Sync
// application by actor: the application had the secrets before and has
// the secrets after.
func credentialRecord(id, corr, activity, actor string, at time.Time, before, after []string) string {
	return graphAudit(id, corr, activity, actor, at, target(payroll.objectID, "Application", payroll.name,
		"KeyDescription", keyDescription(before...), keyDescription(after...),
		"Included Updated Properties", "", `"KeyDescription"`))
}

// deviceCodeSignIn is a Graph signIn object of a device code sign-in.
func deviceCodeSignIn(id string, at time.Time) string {
	return fmt.Sprintf(`{"id":%q,"createdDateTime":%q,"userPrincipalName":"li.wei@contoso.com","userId":"u-li",`+
		`"appId":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","appDisplayName":"Microsoft Azure CLI","ipAddress":"198.51.100.24",`+
		`"correlationId":"c-%s","authenticationProtocol":"deviceCode","originalTransferMethod":"deviceCodeFlow",`+
		`"riskLevelDuringSignIn":"none","resourceDisplayName":"Microsoft Graph","resourceId":"00000003-0000-0000-c000-000000000000",`+
		`"status":{"errorCode":0}}`+"\n", id, at.Format(time.RFC3339Nano), id)
}

var (
	wednesday      = time.Date(2026, 3, 11, 10, 15, 0, 0, time.UTC)
	wednesdayNight = time.Date(2026, 3, 11, 21, 0, 0, 0, time.UTC)
	saturdayNight  = time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC)
)

const secretsActivityGraph = "Update application – Certificates and secrets management "

// auditLog holds, in time order: a secret added on Wednesday morning,
// logged twice (the Certificates and secrets management record and its
// Update application twin); a second secret added by another operation
// that evening; and a third added by the approved actor on Saturday night,
// inside the change window.
func auditLog() string {
	return credentialRecord("rec-1a", "op-1", secretsActivityGraph, "ana@contoso.com", wednesday, []string{"k0"}, []string{"k0", "k1"}) +
		credentialRecord("rec-1b", "op-1", "Update application", "ana@contoso.com", wednesday, []string{"k0"}, []string{"k0", "k1"}) +
		credentialRecord("rec-2", "op-2", secretsActivityGraph, "ana@contoso.com", wednesdayNight, []string{"k0", "k1"}, []string{"k0", "k1", "k2"}) +
		credentialRecord("rec-3", "op-3", secretsActivityGraph, "ops@contoso.com", saturdayNight, []string{"k0", "k1", "k2"}, []string{"k0", "k1", "k2", "k3"})
}

func decodeText(t testing.TB, text string) []*event.Event {
	t.Helper()
	var out []*event.Event
	st, err := decode.NewDecoder(decode.Options{}).Decode(context.Background(), "test.json", strings.NewReader(text), func(e *event.Event) error {
		out = append(out, e)
		return nil
	})
	if err != nil || st.ErrorCount > 0 {
		t.Fatalf("decode: %v, %v", err, st.Errors)
	}
	return out
}

// wantCredentialAlert is what the built-in rule says about one added
// secret.
type wantCredentialAlert struct {
	eventID  string
	keyID    string
	level    string
	outside  bool
	window   string
	approved bool
}

var wantCredentialAlerts = []wantCredentialAlert{
	{"rec-1a", "k1", "high", false, "", false},
	{"rec-2", "k2", "high", true, "", false},
	{"rec-3", "k3", "informational", false, "weekend maintenance", true},
}

func checkCredentialAlerts(t *testing.T, alerts []alert.Alert) {
	t.Helper()
	var got []alert.Alert
	for _, a := range alerts {
		if a.RuleID == "credential-added-to-app" {
			got = append(got, a)
		}
	}
	if len(got) != len(wantCredentialAlerts) {
		t.Fatalf("%d credential-added-to-app alerts, want %d: %v", len(got), len(wantCredentialAlerts), alerts)
	}
	for i, w := range wantCredentialAlerts {
		a := got[i]
		if a.EventID != w.eventID || a.Level != w.level || a.OutsideBusinessHours != w.outside ||
			a.ChangeWindow != w.window || a.ApprovedActor != w.approved {
			t.Errorf("alert %d: event %s, level %s, outside %v, window %q, approved %v; want %+v",
				i, a.EventID, a.Level, a.OutsideBusinessHours, a.ChangeWindow, a.ApprovedActor, w)
		}
		cred, _ := a.Evidence["credential"].(map[string]any)
		added, _ := cred["added"].([]map[string]string)
		if len(added) != 1 || added[0]["key_id"] != w.keyID {
			t.Errorf("alert %d: added %v, want key %s", i, added, w.keyID)
		}
		if _, ok := a.Evidence["expected_change"]; ok != w.approved {
			t.Errorf("alert %d: expected_change present %v, want %v", i, ok, w.approved)
		}
		if a.GuideRow != "credential-added" || a.Target.ID != payroll.objectID || a.Target.Type != "Application" {
			t.Errorf("alert %d: row %s, target %+v", i, a.GuideRow, a.Target)
		}
	}
}

func TestBuiltinRules(t *testing.T) {
	cfg := builtinConfig(t, testPolicy(t, tenantPolicy))
	events := decodeText(t, auditLog()+deviceCodeSignIn("s-1", wednesday.Add(time.Minute)))
	alerts, d := detect(t, cfg, events...)
	checkCredentialAlerts(t, alerts)
	var signIns []string
	for _, a := range alerts {
		if a.RuleID == "device-code-signin" {
			signIns = append(signIns, a.EventID)
		}
	}
	if !slices.Equal(signIns, []string{"s-1"}) {
		t.Errorf("device code alerts for %v, want s-1", signIns)
	}
	if len(d.Suppressed) != 0 {
		t.Errorf("Suppressed = %v, want none", d.Suppressed)
	}
}

func TestBuiltinSuppression(t *testing.T) {
	pol := testPolicy(t, tenantPolicy+`suppressions:
  - guide_row: credential-added
    actor: ana@contoso.com
    target: Payroll Sync
    reason: Payroll secrets are rotated by hand this month.
    expires: 2026-04-01
`)
	tests := []struct {
		name           string
		now            time.Time
		wantSuppressed int
	}{
		{"in force", time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), 2},
		{"expired", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := builtinConfig(t, pol)
			cfg.Now = tt.now
			alerts, d := detect(t, cfg, decodeText(t, auditLog())...)
			var ids []string
			for _, a := range alerts {
				if a.GuideRow == "credential-added" {
					ids = append(ids, a.EventID)
				}
			}
			want := []string{"rec-1a", "rec-2", "rec-3"}
			if tt.wantSuppressed > 0 {
				want = []string{"rec-3"}
			}
			if !slices.Equal(ids, want) {
				t.Errorf("credential alerts for %v, want %v", ids, want)
			}
			if got := d.Suppressed["credential-added-to-app"]; got != tt.wantSuppressed {
				t.Errorf("Suppressed = %v, want %d for credential-added-to-app", d.Suppressed, tt.wantSuppressed)
			}
		})
	}
}

// TestBuiltinCorrelation checks a built-in correlation rule on events
// given in reverse time order: a service principal created, given a
// secret and then a privileged Graph permission.
func TestBuiltinCorrelation(t *testing.T) {
	cfg := builtinConfig(t, policy.Default())
	events := decodeText(t, correlationLog())
	slices.Reverse(events)
	alerts, _ := detect(t, cfg, events...)
	var corr []alert.Alert
	for _, a := range alerts {
		if a.RuleID == "new-app-credential-and-privilege" {
			corr = append(corr, a)
		}
	}
	if len(corr) != 1 {
		t.Fatalf("%d correlation alerts, want 1; alerts: %v", len(corr), ruleIDs(alerts))
	}
	a := corr[0]
	var got []string
	for _, e := range a.Correlation.Events {
		got = append(got, e.EventID)
	}
	if want := []string{"rec-sp", "rec-cred", "rec-grant"}; !slices.Equal(got, want) {
		t.Errorf("correlation events %v, want %v in time order", got, want)
	}
	if a.EventID != "rec-grant" || a.Correlation.Group["app.id"] != payroll.id || a.Level != "critical" {
		t.Errorf("alert on %s, group %v, level %s; want a critical alert on the grant, grouped by %s",
			a.EventID, a.Correlation.Group, a.Level, payroll.id)
	}
}

// TestLateCorrelationInput reads the steps of the same pattern after a
// record five hours newer, beyond the detector's allowance for lateness:
// the first step was decided and dropped before the others came, so the
// pattern is missed and counted as late; with a larger allowance it is
// found.
func TestLateCorrelationInput(t *testing.T) {
	events := decodeText(t, correlationLog())
	later := *events[0]
	later.Time = later.Time.Add(5 * time.Hour)
	input := []*event.Event{events[0], &later, events[1], events[2]}
	for _, tc := range []struct {
		lateness time.Duration
		alerts   int
		late     bool
	}{
		{0, 0, true},
		{6 * time.Hour, 1, false},
	} {
		cfg := builtinConfig(t, policy.Default())
		cfg.Lateness = tc.lateness
		alerts, d := detect(t, cfg, input...)
		n := 0
		for _, a := range alerts {
			if a.RuleID == "new-app-credential-and-privilege" {
				n++
			}
		}
		if n != tc.alerts || (d.LateCorrelationInputs() > 0) != tc.late {
			t.Errorf("lateness %v: %d correlation alerts, %d late inputs; want %d alerts, late %v", tc.lateness, n, d.LateCorrelationInputs(), tc.alerts, tc.late)
		}
	}
}

// correlationLog holds a new service principal for Payroll Sync, a secret
// added to it and Microsoft Graph's RoleManagement.ReadWrite.Directory
// granted to it, ten minutes apart.
func correlationLog() string {
	const sp = "sp-payroll"
	quoted := func(s string) string { return `"` + s + `"` }
	return graphAudit("rec-sp", "op-sp", "Add service principal", "ana@contoso.com", wednesday,
		target(sp, "ServicePrincipal", payroll.name,
			"AppPrincipalId", "", `["`+payroll.id+`"]`,
			"DisplayName", "", `["`+payroll.name+`"]`)) +
		graphAudit("rec-cred", "op-cred", "Update service principal", "ana@contoso.com", wednesday.Add(10*time.Minute),
			target(sp, "ServicePrincipal", payroll.name,
				"KeyDescription", "[]", keyDescription("k1"),
				"Included Updated Properties", "", `"KeyDescription"`)) +
		graphAudit("rec-grant", "op-grant", "Add app role assignment to service principal", "ana@contoso.com", wednesday.Add(20*time.Minute),
			target("sp-graph", "ServicePrincipal", "Microsoft Graph",
				"AppRole.Id", "", quoted("9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"),
				"AppRole.Value", "", quoted("RoleManagement.ReadWrite.Directory"),
				"ServicePrincipal.ObjectID", "", quoted(sp),
				"ServicePrincipal.DisplayName", "", quoted(payroll.name),
				"ServicePrincipal.AppId", "", quoted(payroll.id)),
			target(sp, "ServicePrincipal", payroll.id))
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"audit.json":   auditLog(),
		"signins.json": deviceCodeSignIn("s-1", wednesday) + deviceCodeSignIn("s-2", wednesdayNight),
		"notes.txt":    "not a log\n",
	}
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	inputs, err := source.Expand(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			res, err := Run(context.Background(), inputs, builtinConfig(t, testPolicy(t, tenantPolicy)), ingest.Options{Workers: workers})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkCredentialAlerts(t, res.Alerts)
			if got := res.Read.Totals(); got.Inputs != 3 || got.Unreadable != 1 || got.Events != 6 {
				t.Errorf("read %+v, want 3 inputs, 1 unreadable, 6 events", got)
			}
			if got := res.Coverage.Kinds; got[event.KindAudit] != 4 || got[event.KindSignIn] != 2 {
				t.Errorf("Coverage.Kinds = %v, want 4 audit and 2 sign-in", got)
			}
			rows := map[string]RowState{}
			for _, r := range res.Coverage.Rows() {
				rows[r.Row.Key] = r
			}
			if r := rows["credential-added"]; !r.Shown || r.Alerts != 3 {
				t.Errorf("credential-added: %+v, want shown with 3 alerts", r)
			}
			if r := rows["device-code-signin"]; !r.Shown || r.Alerts != 2 {
				t.Errorf("device-code-signin: %+v, want shown with 2 alerts", r)
			}
			if r := rows["keyvault-access"]; r.Shown || r.Missing != "keyvault" {
				t.Errorf("keyvault-access: %+v, want missing keyvault", r)
			}
			for i := 1; i < len(res.Alerts); i++ {
				prev, _ := time.Parse(time.RFC3339Nano, res.Alerts[i-1].Time)
				cur, _ := time.Parse(time.RFC3339Nano, res.Alerts[i].Time)
				if cur.Before(prev) {
					t.Errorf("alert %d at %s comes after one at %s", i, res.Alerts[i].Time, res.Alerts[i-1].Time)
				}
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	p := filepath.Join(t.TempDir(), "audit.json")
	if err := os.WriteFile(p, []byte(auditLog()), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, err := source.Expand([]string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, inputs, builtinConfig(t, policy.Default()), ingest.Options{})
	if err == nil {
		t.Fatal("Run succeeded on a cancelled context")
	}
	if res == nil || res.Read == nil || len(res.Alerts) != 0 {
		t.Errorf("result %+v, want the summary and no alerts", res)
	}
}
