package enrich

import (
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

func checkApp(t *testing.T, e *event.Event, want event.AppFacts) {
	t.Helper()
	if got := e.Derived.App; got != want {
		t.Errorf("app facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestAppReal(t *testing.T) {
	tests := []struct {
		file, activity string
		want           event.AppFacts
	}{
		{"audit/elastic-integrations__auditlogs-sample-sp-credentials.log", "Add service principal credentials", event.AppFacts{
			ID: "a70a7931-c387-4dce-9f35-fbf95bdcc91e", ObjectID: "a7d5dcbe-0627-4ddf-a2f4-86b6785bcc42", Name: "billing-test-wus",
		}},
		{"audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", "Update application – Certificates and secrets management", event.AppFacts{
			ObjectID: "11b49e19-2326-4be6-93cb-7f37439bbd81", Name: "SimuLandApp",
		}},
		// The grantee, not the API that is the first target.
		{"audit/graph2otel__liveAppRoleGrant.json", "Add app role assignment to service principal", event.AppFacts{
			ID: "2c92ce28-126c-47c1-82b0-410b64502989", Name: "graph2otel-poller",
		}},
		{"audit/sekoia-intake-formats__entra-eventhub__app_role.json", "Add app role assignment to service principal", event.AppFacts{
			ID: "77777777-7777-7777-7777-777777777777", ObjectID: "66666666-6666-6666-6666-666666666666", Name: "Apps_Test_SOC",
		}},
		{"audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", "Add delegated permission grant", event.AppFacts{
			ObjectID: "0d2f5969-011b-460d-ac74-3291d227d49f",
		}},
		{"audit/graph2otel__liveRoleAssignment.json", "Add member to role", event.AppFacts{
			ID: "2c92ce28-126c-47c1-82b0-410b64502989", ObjectID: "13371536-9950-4988-90f4-343566456781", Name: "graph2otel-poller",
		}},
		// A Microsoft app whose app id the sample anonymised: nothing
		// tells it from a third-party app borrowing the name.
		{"audit/sekoia-intake-formats__entra-eventhub__add_service_principal_failure.json", "Add service principal", event.AppFacts{
			ID: "66666666-6666-6666-6666-666666666666", ObjectID: "44444444-4444-4444-4444-444444444444",
			Name: "Azure AD Identity Protection", Suspicious: "looks like Azure AD",
		}},
		{"signin/elastic-integrations__signinlogs-interactive-sample.log", "Sign-in activity", event.AppFacts{
			ID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", Name: "Azure Portal", FirstParty: true,
		}},
		{"signin/graph2otel__liveInteractiveSignIn.json", "Sign-in activity", event.AppFacts{
			ID: "9199bf20-a13f-4107-85dc-02114787ef48", Name: "One Outlook Web", FirstParty: true,
		}},
		{"signin/elastic-integrations__signinlogs-service-principal-sample.log", "Sign-in activity", event.AppFacts{
			ID: "6131d760-7fda-4db5-8bb1-b771898e9f15", ObjectID: "b029d485-a308-4311-8720-fb3192e5284e",
		}},
		{"keyvault/unknown-repo-securathesis__keyvault-SecretGet.json", "SecretGet", event.AppFacts{
			ID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", FirstParty: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.activity, func(t *testing.T) {
			checkApp(t, byActivity(t, realSample(t, tt.file), tt.activity), tt.want)
		})
	}
}

func TestAppFixtures(t *testing.T) {
	tests := []struct {
		file, id string
		want     event.AppFacts
	}{
		{"apps.json", "name-leet-teams", event.AppFacts{ID: "e0e0e0e0-0000-4000-8000-000000000001", ObjectID: "dde0e0e0-0000-4000-8000-000000000001",
			Name: "Micros0ft Teams", Suspicious: "looks like Microsoft Teams"}},
		{"apps.json", "name-leet-office", event.AppFacts{ID: "e0e0e0e0-0000-4000-8000-000000000002", ObjectID: "dde0e0e0-0000-4000-8000-000000000002",
			Name: "0ffice 365 Login", Suspicious: "looks like Office 365"}},
		{"apps.json", "name-generic", event.AppFacts{ID: "e0e0e0e0-0000-4000-8000-000000000003", ObjectID: "dde0e0e0-0000-4000-8000-000000000003",
			Name: "Test App", Suspicious: "generic name"}},
		{"apps.json", "name-outlook-3p", event.AppFacts{ID: "e0e0e0e0-0000-4000-8000-000000000004", ObjectID: "dde0e0e0-0000-4000-8000-000000000004",
			Name: "Outlook Sync", Suspicious: "looks like Outlook"}},
		// The same name on a Microsoft app id is not suspicious.
		{"apps.json", "name-outlook-1p", event.AppFacts{ID: "5d661950-3475-41cd-a2c3-d671a3162bc1", ObjectID: "dd661950-3475-41cd-a2c3-d671a3162bc1",
			Name: "Outlook Sync", FirstParty: true}},
		{"apps.json", "name-plain", event.AppFacts{ID: "e0e0e0e0-0000-4000-8000-000000000005", ObjectID: "dde0e0e0-0000-4000-8000-000000000005",
			Name: "Contoso Expense Reports"}},
		{"consent.json", "consent-blocked", event.AppFacts{ID: "b5b5b5b5-5555-4555-8555-555555555555", ObjectID: "a5a5a5a5-5555-4555-8555-555555555555",
			Name: "Micros0ft Teams", Suspicious: "looks like Microsoft Teams"}},
		{"owners.json", "owner-app", event.AppFacts{ID: "ab11ab11-1111-4111-8111-111111111111", ObjectID: "aa11aa11-1111-4111-8111-111111111111",
			Name: "Contoso Portal"}},
		// No Application.* properties: the other target.
		{"owners.json", "owner-sp-noprops", event.AppFacts{ObjectID: "cc33cc33-3333-4333-8333-333333333333", Name: "Contoso Portal"}},
		{"roles.json", "role-ga-sp", event.AppFacts{ID: "f1f1f1f1-1111-4111-8111-111111111111", ObjectID: "e1e1e1e1-1111-4111-8111-111111111111",
			Name: "Tenant Automation"}},
		// A user given a role: no application.
		{"roles.json", "role-scoped", event.AppFacts{}},
		{"uris.json", "uri-update-redirects", event.AppFacts{ID: "ab11ab11-1111-4111-8111-111111111111", ObjectID: "aa11aa11-1111-4111-8111-111111111111",
			Name: "Contoso Portal"}},
		{"uris.json", "uri-sp-same-app", event.AppFacts{ID: "ab11ab11-1111-4111-8111-111111111111", ObjectID: "cc33cc33-3333-4333-8333-333333333333",
			Name: "Contoso Portal"}},
	}
	loaded := map[string]map[string]*event.Event{}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if loaded[tt.file] == nil {
				loaded[tt.file] = fixture(t, tt.file, nil)
			}
			checkApp(t, get(t, loaded[tt.file], tt.id), tt.want)
		})
	}
}

func TestNameCheck(t *testing.T) {
	c := newNameChecker(testRef(t))
	tests := []struct {
		name, want string
	}{
		{"Micros0ft Teams", "looks like Microsoft Teams"},
		{"MicrosoftTeams", "looks like Microsoft Teams"},
		{"microsoftteamsconnector", "looks like Microsoft"},
		{"Mircosoft Graph", "looks like Microsoft Graph"},
		{"Microsoft", "looks like Microsoft"},
		{"0ffice 365 Login", "looks like Office 365"},
		{"Offce 365", "looks like Office 365"},
		{"Office365 Mail Sync", "looks like Office 365"},
		{"Sharepoint Online Sync", "looks like SharePoint"},
		{"Tearns Notifier", "looks like Teams"},
		{"Outlook Sync", "looks like Outlook"},
		{"Test App", "generic name"},
		{"  test-app ", "generic name"},
		{"APP", "generic name"},
		{"Backup", "looks like Backup"},
		// Ordinary words inside a longer name and near misses are fine.
		{"Contoso Backup", ""},
		{"Contoso Account Verification", ""},
		{"Apps", ""},
		{"Steam Sync", ""},
		{"Backoffice Portal", ""},
		{"Contoso Expense Reports", ""},
		{"g2o-misynth-DELETE-ME", ""},
		{"e0e0e0e0-0000-4000-8000-000000000001", ""},
		{"", ""},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := c.check(tt.name); got != tt.want {
			t.Errorf("check(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if got := c.check(tt.name); got != tt.want {
			t.Errorf("cached check(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNameVerdictAllocations checks that judging a new name allocates
// only its folded form and the verdict, not per well-known name compared.
func TestNameVerdictAllocations(t *testing.T) {
	c := newNameChecker(testRef(t))
	for _, tt := range []struct {
		name   string
		allocs float64
	}{
		{"ContosoPayrollSync12", 1},
		{"Fabrikam Reporting Service 3", 1},
		{"Micros0ft Teams Connector 7", 6}, // and the verdict's words
	} {
		c.verdict(tt.name)
		if n := testing.AllocsPerRun(20, func() { c.verdict(tt.name) }); n > tt.allocs {
			t.Errorf("verdict(%q) allocates %.0f times, want at most %.0f", tt.name, n, tt.allocs)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"microsoft", "microsoft", 2, 0},
		{"mircosoft", "microsoft", 2, 1},
		{"microsft", "microsoft", 2, 1},
		{"nicrosoftt", "microsoft", 2, 2},
		{"macrosaft", "microsoft", 2, 2},
		{"teams", "steam", 1, -1},
		{"app", "aad", 2, 2},
		{"app", "aad", 1, -1},
		{"", "abc", 3, 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestFoldName(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"Micros0ft Teams", "microsoft|teams"},
		{"OneDrive", "one|drive"},
		{"0ffice 365", "office|e6s"},
		{"Tearns_App", "teams|app"},
		{"SIGN-IN", "sign|in"},
	}
	for _, tt := range tests {
		f, _ := foldName(nil, nil, tt.name)
		got := ""
		for i := range f.tokens() {
			if i > 0 {
				got += "|"
			}
			got += f.run(i, i+1)
		}
		if got != tt.want {
			t.Errorf("foldName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
