package enrich

import (
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

const (
	globalAdmin   = "62e90394-69f5-4237-9190-012177145e10"
	privRoleAdmin = "e8611ab8-c189-46e8-94e1-60213ab1f814"
)

func checkRole(t *testing.T, e *event.Event, want event.RoleFacts) {
	t.Helper()
	if got := e.Derived.Role; got != want {
		t.Errorf("role facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestRoleReal(t *testing.T) {
	const x = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	tests := []struct {
		file, activity string
		want           event.RoleFacts
	}{
		// The record's Role.ObjectID names the role too; Role.TemplateId wins.
		{"audit/graph2otel__liveRoleAssignment.json", "Add member to role", event.RoleFacts{
			Name: "Purview Workload Content Writer", TemplateID: "02d5655b-c1cf-4e5f-98da-5fb919085bf6",
			Source: "entra", MemberType: "ServicePrincipal", MemberID: "13371536-9950-4988-90f4-343566456781", Scope: "/",
			Change: "add", Assignment: "active", Stage: "done",
		}},
		// A hand-edited record without Role.* properties: only the member is known.
		{"audit/elastic-integrations__auditlogs-result-reason-add-member-to-role.log", "Add member to role", event.RoleFacts{
			Source: "entra", MemberType: "ServicePrincipal", MemberID: "a7d5dcbe-0627-4ddf-a2f4-86b6785bcc42", Scope: "/",
			Change: "add", Assignment: "active", Stage: "done",
		}},
		// The sample's ids are redacted, so the role cannot be looked up.
		{"activitylog/wazuh__loganalytics-query-api-response-azureactivity.json", "Microsoft.Authorization/roleAssignments/write", event.RoleFacts{
			TemplateID: x, Source: "azure", MemberType: "User", MemberID: x, Scope: "/subscriptions/" + x,
			Change: "add", Assignment: "active", Stage: "done",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := byActivity(t, realSample(t, tt.file), tt.activity)
			got := e.Derived.Role
			// The reference data may not list every role; an unlisted role
			// is unknown (""), a listed one must be unprivileged here.
			if got.Privileged == "true" {
				t.Errorf("privileged = true, want false or unknown")
			}
			got.Privileged = ""
			if got != tt.want {
				t.Errorf("role facts:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRoleFixtures(t *testing.T) {
	evs := fixture(t, "roles.json", nil)
	const (
		sp   = "e1e1e1e1-1111-4111-8111-111111111111"
		user = "7a7a7a7a-7777-4777-8777-777777777777"
	)
	tests := []struct {
		id   string
		want event.RoleFacts
	}{
		{"role-ga-sp", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "active", Stage: "done",
		}},
		// No template id in the record: the role is found by name.
		{"role-pra-eligible-byname", event.RoleFacts{
			Name: "Privileged Role Administrator", TemplateID: privRoleAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "eligible", Stage: "done",
		}},
		{"role-scoped", event.RoleFacts{
			Name: "User Administrator", TemplateID: "fe930be7-5e62-47db-91af-98c3a49a38b1", Privileged: "true", Source: "entra",
			MemberType: "User", MemberID: user,
			Scope:  "/administrativeUnits/8b8b8b8b-8888-4888-8888-888888888888",
			Change: "add", Assignment: "active", Stage: "done",
		}},
		// The template id is a property of the Role target.
		{"role-pim-timebound", event.RoleFacts{
			Name: "Privileged Role Administrator", TemplateID: privRoleAdmin, Privileged: "true", Source: "entra",
			MemberType: "User", MemberID: user, Scope: "/", Change: "add", Assignment: "active", Stage: "done",
		}},
		// A request is described too, and says it is one.
		{"role-pim-requested", event.RoleFacts{
			Name: "Privileged Role Administrator", TemplateID: privRoleAdmin, Privileged: "true", Source: "entra",
			MemberType: "User", MemberID: user, Scope: "/", Change: "add", Assignment: "active", Stage: "requested",
		}},
		// PIM's record: the role first, the service principal third.
		{"role-pim-sp-completed", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "active", Stage: "done",
		}},
		// The same facts with the member last.
		{"role-pim-sp-eligible", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "eligible", Stage: "requested",
		}},
		// The directory's copy of PIM's change names the role by template id.
		{"role-core-via-pim", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "active", Stage: "done",
			ViaPIM: true,
		}},
		// PIM for Azure resources: an Azure role, by its definition id.
		{"role-pim-azure", event.RoleFacts{
			Name: "Owner", TemplateID: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", Privileged: "true", Source: "azure",
			MemberType: "ServicePrincipal", MemberID: sp, Change: "add", Assignment: "active", Stage: "done",
		}},
		{"role-pim-removed", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "remove", Assignment: "active", Stage: "done",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) { checkRole(t, get(t, evs, tt.id), tt.want) })
	}
	// The PIM record and the directory's copy describe one change.
	if a, b := get(t, evs, "role-pim-sp-completed").CopyKey(), get(t, evs, "role-core-via-pim").CopyKey(); a == "" || a != b {
		t.Errorf("copy keys %q and %q, want the same one", a, b)
	}
	for _, id := range []string{"role-pim-sp-completed", "role-core-via-pim"} {
		if got := get(t, evs, id).Derived.App; got.ObjectID != sp {
			t.Errorf("%s: app %+v, want the service principal %s", id, got, sp)
		}
	}
}

func TestRoleAzureServicePrincipal(t *testing.T) {
	evs := fixture(t, "azure_role.json", nil)
	e := get(t, evs, "corr-azure-owner-sp")
	checkRole(t, e, event.RoleFacts{
		Name: "Owner", TemplateID: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", Privileged: "true", Source: "azure",
		MemberType: "ServicePrincipal", MemberID: "e1e1e1e1-1111-4111-8111-111111111111",
		Scope:  "/subscriptions/0f0f0f0f-0000-4000-8000-000000000000/resourceGroups/payroll",
		Change: "add", Assignment: "active", Stage: "done",
	})
	if got := e.Derived.App; got.ObjectID != "e1e1e1e1-1111-4111-8111-111111111111" {
		t.Errorf("app object id = %q, want the principal", got.ObjectID)
	}
}

func TestRoleActivityKeys(t *testing.T) {
	acts := roleActivities(testRef(t))
	tests := []struct {
		activity string
		want     bool
	}{
		{"Add member to role", true},
		{"Add eligible member to role", true},
		{"Add scoped member to role", true},
		{"Add member to role scoped over Restricted Management Administrative Unit", true},
		{"Add member to role in PIM completed (timebound)", true},
		{"Add member to role in PIM completed (time bound)", true},
		{"Add eligible member to role in PIM completed (time bound)", true},
		{"Add member to role completed (PIM activation)", true},
		{"Add member to role outside of PIM (permanent)", true},
		{"Add member to role requested (PIM activation)", true},
		{"Remove member from role", true},
		{"Remove permanent eligible role assignment", true},
		{"Add member to role request denied (PIM activation)", false},
		{"Add member to role in PIM canceled (timebound)", false},
		{"Add member to group", false},
	}
	for _, tt := range tests {
		if _, got := acts[event.NormalizeActivity(tt.activity)]; got != tt.want {
			t.Errorf("roleActivities has %q: %v, want %v", tt.activity, got, tt.want)
		}
	}
}

// TestEnrichersKnowReferenceActivities checks that the enrichers a row's
// rules rely on read every activity the reference data gives the row.
func TestEnrichersKnowReferenceActivities(t *testing.T) {
	ref := testRef(t)
	app := newAppEnricher(ref, nil)
	tests := []struct {
		row  string
		name string
		has  func(key string) bool
	}{
		{"credential-added", "credential", func(k string) bool { return credentialActivities()[k] }},
		{"dangling-uri", "uri", func(k string) bool { return uriActivities()[k] }},
		{"redirect-uri-change", "uri", func(k string) bool { return uriActivities()[k] }},
		{"appid-uri-change", "uri", func(k string) bool { return uriActivities()[k] }},
		{"logout-url-change", "uri", func(k string) bool { return uriActivities()[k] }},
		{"sp-role-assigned", "role", func(k string) bool { _, ok := roleActivities(ref)[k]; return ok }},
	}
	for _, tt := range tests {
		for _, a := range ref.RowActivities(tt.row) {
			if !tt.has(a.Key) {
				t.Errorf("row %s depends on %q, which the %s enricher does not read", tt.row, a.Name, tt.name)
			}
			if _, ok := app.roles[a.Key]; app.from[a.Key] == 0 && !ok {
				t.Errorf("row %s depends on %q, for which the app enricher finds no application", tt.row, a.Name)
			}
		}
	}
}
