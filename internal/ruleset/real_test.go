package ruleset

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/realdata"
	"github.com/appwatch/appwatch/internal/sigma"
)

// realAlerts says which rules raise alerts on each published sample, and
// how many, with the default policy (Monday to Friday, 08:00 to 18:00
// UTC). Every other file must raise none.
var realAlerts = map[string]map[string]int{
	// "Add service principal credentials": a certificate added to a
	// service principal that had two. The two "Update service principal"
	// records of the operation add nothing.
	"audit/elastic-integrations__auditlogs-sample-sp-credentials.log": {"credential-added-to-app": 1},
	// Five secrets added through "Update application – Certificates and
	// secrets management": four to applications that had none.
	"audit/azure-sentinel__training-lab-AuditLogs_Hunting.csv": {"credential-added-to-app": 1, "first-credential-added-to-app": 4},
	// A secret added to SimuLandApp, which had none (the record appears
	// twice), and a grant for all users that adds Mail.ReadWrite on
	// Microsoft Graph.
	"audit/otrf-security-datasets__goldensaml-AADAuditEvents.json": {
		"first-credential-added-to-app": 2,
		"admin-consent-privileged":      1,
		"sensitive-api-permission":      1,
		"tenant-wide-delegated-grant":   1,
	},
	// TeamSettings.Read.All on Microsoft Graph: a sensitive API, not a
	// privileged permission.
	"audit/graph2otel__liveAppRoleGrant.json": {"admin-consent-privileged": 1, "sensitive-api-permission": 1},
	// SMTP.SendAsApp on Exchange Online: sensitive and privileged.
	"audit/sekoia-intake-formats__entra-eventhub__app_role.json": {
		"admin-consent-privileged":  1,
		"privileged-app-permission": 1,
		"sensitive-api-permission":  1,
	},
	// Purview Workload Content Writer given to a service principal: not a
	// privileged role.
	"audit/graph2otel__liveRoleAssignment.json": {"sp-role-assigned": 1},
	// The only published ROPC and device code sign-ins.
	"signin/sekoia-intake-formats__entra-eventhub__empty_geolocalisation.json": {"ropc-signin": 1},
	"signin/sekoia-intake-formats__entra-eventhub__sign-in_activity4.json":     {"device-code-signin": 1},
	// Key Vault requests by people before 08:00 UTC on weekdays, and
	// requests refused as forbidden.
	"keyvault/azure-docs__keyvault-auditevent-storage-PT1H-jsonlines.json":          {"keyvault-access-outside-hours": 2},
	"keyvault/azure-docs__keyvault-auditevent-storage-records-array-pre2018.json":   {"keyvault-access-outside-hours": 2},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__certificate_update.json":  {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_backup.json":          {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_delete.json":          {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_delete_1.json":        {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_get_1.json":           {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_list.json":            {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_list_1.json":          {"keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_list_deleted.json":    {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_list_versions.json":   {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_purge.json":           {"keyvault-access-outside-hours": 1, "keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__key_purge_1.json":         {"keyvault-access-outside-hours": 1, "keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_backup.json":       {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_delete.json":       {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_get_1.json":        {"keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_list.json":         {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_list_deleted.json": {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_purge.json":        {"keyvault-access-outside-hours": 1, "keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_purge_1.json":      {"keyvault-access-outside-hours": 1, "keyvault-request-refused": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__secret_restore.json":      {"keyvault-access-outside-hours": 1},
	"keyvault/sekoia-intake-formats__keyvault-auditevent__vault_get_2.json":         {"keyvault-access-outside-hours": 1},
	// Refused with HTTP 200 and the signature Forbidden, at 01:32.
	"keyvault/sekoia-intake-formats__keyvault-auditevent__vault_get_3.json": {"keyvault-access-outside-hours": 1, "keyvault-request-refused": 1},
}

// TestRealSamples runs every published sample through decode, enrich,
// match and correlate, and checks which rules raise alerts on it.
func TestRealSamples(t *testing.T) {
	dir := realdata.Dir(t)
	s := loadBuiltin(t)
	newEnricher := enricherFactory(t)
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		got := alertsOf(t, s, newEnricher(policy.Default()), p)
		want := realAlerts[rel]
		if want == nil {
			want = map[string]int{}
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: alerts %v, want %v", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range realAlerts {
		if !seen[rel] {
			t.Errorf("%s: sample not found", rel)
		}
	}
}

// alertsOf counts the alerts each rule raises on the file at p: hits of
// rules that generate alerts, and correlation results.
func alertsOf(tb testing.TB, s *Set, en Enricher, p string) map[string]int {
	tb.Helper()
	f, err := os.Open(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	got := map[string]int{}
	adapter := match.NewEvent(s.Schema)
	corr := sigma.NewCorrelator(s.Compiled)
	var hits []int
	_, err = decode.NewDecoder(decode.Options{}).Decode(context.Background(), p, f, func(e *event.Event) error {
		en.Enrich(e)
		adapter.Reset(e)
		hits = s.Compiled.Match(adapter, hits[:0])
		for _, h := range hits {
			if s.Rules[h].Generates {
				got[s.Rules[h].Meta.ID]++
			}
			corr.Add(h, adapter, e)
		}
		return nil
	})
	if err != nil {
		tb.Logf("%s: %v", p, err)
	}
	for _, r := range corr.Flush() {
		got[s.Rules[r.Rule].Meta.ID]++
	}
	return got
}
