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
		}},
		// A hand-edited record without Role.* properties: only the member is known.
		{"audit/elastic-integrations__auditlogs-result-reason-add-member-to-role.log", "Add member to role", event.RoleFacts{
			Source: "entra", MemberType: "ServicePrincipal", MemberID: "a7d5dcbe-0627-4ddf-a2f4-86b6785bcc42", Scope: "/",
		}},
		// The sample's ids are redacted, so the role cannot be looked up.
		{"activitylog/wazuh__loganalytics-query-api-response-azureactivity.json", "Create role assignment", event.RoleFacts{
			TemplateID: x, Source: "azure", MemberType: "User", MemberID: x, Scope: "/subscriptions/" + x,
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
	tests := []struct {
		id   string
		want event.RoleFacts
	}{
		{"role-ga-sp", event.RoleFacts{
			Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: "e1e1e1e1-1111-4111-8111-111111111111", Scope: "/",
		}},
		// No template id in the record: the role is found by name.
		{"role-pra-eligible-byname", event.RoleFacts{
			Name: "Privileged Role Administrator", TemplateID: privRoleAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: "e1e1e1e1-1111-4111-8111-111111111111", Scope: "/",
		}},
		{"role-scoped", event.RoleFacts{
			Name: "User Administrator", TemplateID: "fe930be7-5e62-47db-91af-98c3a49a38b1", Privileged: "true", Source: "entra",
			MemberType: "User", MemberID: "7a7a7a7a-7777-4777-8777-777777777777",
			Scope: "/administrativeUnits/8b8b8b8b-8888-4888-8888-888888888888",
		}},
		// PIM: the template id is a property of the Role target.
		{"role-pim-timebound", event.RoleFacts{
			Name: "Privileged Role Administrator", TemplateID: privRoleAdmin, Privileged: "true", Source: "entra",
			MemberType: "User", MemberID: "7a7a7a7a-7777-4777-8777-777777777777", Scope: "/",
		}},
		// A request is not an assignment yet.
		{"role-pim-requested", event.RoleFacts{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) { checkRole(t, get(t, evs, tt.id), tt.want) })
	}
}

func TestRoleAzureServicePrincipal(t *testing.T) {
	evs := fixture(t, "azure_role.json", nil)
	e := get(t, evs, "corr-azure-owner-sp")
	checkRole(t, e, event.RoleFacts{
		Name: "Owner", TemplateID: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", Privileged: "true", Source: "azure",
		MemberType: "ServicePrincipal", MemberID: "e1e1e1e1-1111-4111-8111-111111111111",
		Scope: "/subscriptions/0f0f0f0f-0000-4000-8000-000000000000/resourceGroups/payroll",
	})
	if got := e.Derived.App; got.ObjectID != "e1e1e1e1-1111-4111-8111-111111111111" {
		t.Errorf("app object id = %q, want the principal", got.ObjectID)
	}
}

func TestRoleActivityKeys(t *testing.T) {
	tests := []struct {
		activity string
		want     bool
	}{
		{"Add member to role", true},
		{"Add eligible member to role", true},
		{"Add scoped member to role", true},
		{"Add member to role in PIM completed (timebound)", true},
		{"Add member to role in PIM completed (time bound)", true},
		{"Add eligible member to role in PIM completed (time bound)", true},
		{"Add member to role completed (PIM activation)", true},
		{"Add member to role outside of PIM (permanent)", true},
		{"Add member to role requested (PIM activation)", false},
		{"Add member to role request denied (PIM activation)", false},
		{"Remove member from role", false},
		{"Add member to group", false},
	}
	for _, tt := range tests {
		if got := isRoleAssignment(event.NormalizeActivity(tt.activity)); got != tt.want {
			t.Errorf("isRoleAssignment(%q) = %v, want %v", tt.activity, got, tt.want)
		}
	}
}
