package enrich

import (
	"reflect"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

const graphSP = "Microsoft Graph"

func perm(value, id, level string) event.Permission {
	return event.Permission{Value: value, ID: id, Level: level}
}

func checkGrant(t *testing.T, e *event.Event, want event.GrantFacts) {
	t.Helper()
	if got := e.Derived.Grant; !reflect.DeepEqual(got, want) {
		t.Errorf("grant facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestPermissionReal(t *testing.T) {
	tests := []struct {
		file, activity string
		want           event.GrantFacts
	}{
		{"audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", "Add delegated permission grant", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true,
			Permissions: []event.Permission{perm("Mail.ReadWrite", "024d486e-b451-40bb-833d-3e66d98c5c73", "high")},
			Level:       "high", ConsentType: "AllPrincipals", AdminConsent: "true",
			ClientSPID: "0d2f5969-011b-460d-ac74-3291d227d49f",
		}},
		{"audit/graph2otel__liveAppRoleGrant.json", "Add app role assignment to service principal", event.GrantFacts{
			Type: "application", API: graphSP, APIID: graphAppID, APISensitive: true,
			Permissions: []event.Permission{perm("TeamSettings.Read.All", "242607bd-1d2c-432c-82eb-bdb27baa23ab", "low")},
			Level:       "low", AdminConsent: "true",
			ClientAppID: "2c92ce28-126c-47c1-82b0-410b64502989", ClientName: "graph2otel-poller",
		}},
		{"audit/sekoia-intake-formats__entra-eventhub__app_role.json", "Add app role assignment to service principal", event.GrantFacts{
			Type: "application", API: "Office 365 Exchange Online", APIID: "00000002-0000-0ff1-ce00-000000000000", APISensitive: true,
			// The sample's role id was anonymised; the record's id is kept.
			Permissions: []event.Permission{perm("SMTP.SendAsApp", "55555555-5555-5555-5555-555555555555", "high")},
			Level:       "high", AdminConsent: "true",
			ClientSPID: "66666666-6666-6666-6666-666666666666", ClientAppID: "77777777-7777-7777-7777-777777777777", ClientName: "Apps_Test_SOC",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			checkGrant(t, byActivity(t, realSample(t, tt.file), tt.activity), tt.want)
		})
	}
}

func TestPermissionAppRoleFixtures(t *testing.T) {
	evs := fixture(t, "approle.json", nil)
	tests := []struct {
		id   string
		want event.GrantFacts
	}{
		{"approle-critical", event.GrantFacts{
			Type: "application", API: graphSP, APIID: graphAppID, APISensitive: true,
			Permissions: []event.Permission{perm("RoleManagement.ReadWrite.Directory", "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "critical")},
			Level:       "critical", AdminConsent: "true",
			ClientSPID: "c1c1c1c1-1111-4111-8111-111111111111", ClientAppID: "d1d1d1d1-1111-4111-8111-111111111111", ClientName: "Deploy Pipeline",
		}},
		{"approle-nonsensitive", event.GrantFacts{
			Type: "application", API: "Viva Engage", APIID: "00000005-0000-0ff1-ce00-000000000000",
			Permissions: []event.Permission{perm("access_as_app", "4e1b2c3d-0000-4000-8000-00000000abcd", "low")},
			Level:       "low", AdminConsent: "true",
			ClientSPID: "c2c2c2c2-2222-4222-8222-222222222222", ClientAppID: "d2d2d2d2-2222-4222-8222-222222222222", ClientName: "Intranet Feed",
		}},
		{"approle-own-api", event.GrantFacts{
			Type: "application", API: "Contoso Payroll API", APIID: "e7e7e7e7-7777-4777-8777-777777777777",
			Permissions:  []event.Permission{perm("Payroll.Read.All", "5f2a3b4c-0000-4000-8000-00000000beef", "")},
			AdminConsent: "true",
			ClientSPID:   "c3c3c3c3-3333-4333-8333-333333333333", ClientAppID: "d3d3d3d3-3333-4333-8333-333333333333", ClientName: "HR Sync",
		}},
		{"approle-id-only", event.GrantFacts{
			Type: "application", API: graphSP, APIID: graphAppID, APISensitive: true,
			Permissions: []event.Permission{perm("Application.ReadWrite.All", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "critical")},
			Level:       "critical", AdminConsent: "true",
			ClientSPID: "c4c4c4c4-4444-4444-8444-444444444444", ClientAppID: "d4d4d4d4-4444-4444-8444-444444444444", ClientName: "Backup Agent",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) { checkGrant(t, get(t, evs, tt.id), tt.want) })
	}
}

func TestPermissionConsentFixtures(t *testing.T) {
	evs := fixture(t, "consent.json", nil)
	tests := []struct {
		id   string
		want event.GrantFacts
	}{
		{"consent-admin-all", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true, APIInferred: true,
			Permissions: []event.Permission{
				perm("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "low"),
				perm("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "high"),
				perm("Files.ReadWrite.All", "863451e7-0667-486c-a5d6-d135439485f0", "high"),
			},
			Level: "high", ConsentType: "AllPrincipals", AdminConsent: "true",
			ClientSPID: "a1a1a1a1-1111-4111-8111-111111111111", ClientAppID: "b1b1b1b1-1111-4111-8111-111111111111", ClientName: "Contoso Mail Helper",
		}},
		{"consent-user", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true, APIInferred: true,
			Permissions: []event.Permission{
				perm("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "low"),
				perm("openid", "37f7f235-527c-4136-accd-4a02d197296e", "low"),
				perm("profile", "14dad69e-099b-42c9-810b-d002981feec1", "low"),
				perm("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "low"),
			},
			Level: "low", ConsentType: "Principal", AdminConsent: "false",
			ClientSPID: "a2a2a2a2-2222-4222-8222-222222222222", ClientAppID: "b2b2b2b2-2222-4222-8222-222222222222", ClientName: "Expense Tracker",
		}},
		// An administrator consenting for themselves only.
		{"consent-admin-self", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true, APIInferred: true,
			Permissions: []event.Permission{perm("Directory.AccessAsUser.All", "0e263e50-5827-48a4-b97c-d940288653c7", "high")},
			Level:       "high", ConsentType: "Principal", AdminConsent: "true",
			ClientSPID: "a3a3a3a3-3333-4333-8333-333333333333", ClientAppID: "b3b3b3b3-3333-4333-8333-333333333333", ClientName: "Graph Explorer Clone",
		}},
		// A scope Graph does not have: the API stays unknown, scopes are
		// classified by name and carry no ids.
		{"consent-other-api", event.GrantFacts{
			Type:        "delegated",
			Permissions: []event.Permission{perm("user_impersonation", "", "high"), perm("User.Read", "", "low")},
			Level:       "high", ConsentType: "Principal", AdminConsent: "false",
			ClientSPID: "a4a4a4a4-4444-4444-8444-444444444444", ClientAppID: "b4b4b4b4-4444-4444-8444-444444444444", ClientName: "Contoso Ops Portal",
		}},
		{"consent-amended", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true, APIInferred: true,
			Permissions: []event.Permission{perm("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0", "high")},
			Level:       "high", ConsentType: "Principal", AdminConsent: "false",
			ClientSPID: "a2a2a2a2-2222-4222-8222-222222222222", ClientAppID: "b2b2b2b2-2222-4222-8222-222222222222", ClientName: "Expense Tracker",
		}},
		// Blocked by risk-based step-up consent: the facts of the consent
		// that was attempted.
		{"consent-blocked", event.GrantFacts{
			Type: "delegated", API: graphSP, APIID: graphAppID, APISensitive: true, APIInferred: true,
			Permissions: []event.Permission{
				perm("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "high"),
				perm("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0", "high"),
				perm("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "low"),
			},
			Level: "high", ConsentType: "Principal", AdminConsent: "false",
			ClientSPID: "a5a5a5a5-5555-4555-8555-555555555555", ClientAppID: "b5b5b5b5-5555-4555-8555-555555555555", ClientName: "Micros0ft Teams",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) { checkGrant(t, get(t, evs, tt.id), tt.want) })
	}
	if e := get(t, evs, "consent-blocked"); e.Result != event.ResultFailure {
		t.Errorf("consent-blocked result = %q, want failure", e.Result)
	}
}

func TestPermissionLeavesOtherRecordsAlone(t *testing.T) {
	evs := fixture(t, "uris.json", nil)
	for _, id := range []string{"uri-update-redirects", "uri-identifier"} {
		if g := get(t, evs, id).Derived.Grant; !reflect.DeepEqual(g, event.GrantFacts{}) {
			t.Errorf("%s: grant facts %+v on a record that grants nothing", id, g)
		}
	}
}
