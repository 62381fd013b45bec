package posture

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

const (
	sub      = "/subscriptions/aaaa0000-0000-4000-8000-000000000001"
	rootMG   = "/providers/Microsoft.Management/managementGroups/contoso-root"
	ownerDef = sub + "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	readDef  = sub + "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
	kvDef    = "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6" // Key Vault Secrets User
)

func azureRole(id, scope, def, principal, typ string) snapshot.AzureRoleAssignment {
	return snapshot.AzureRoleAssignment{ID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + id, RoleDefinitionID: def,
		PrincipalID: principal, PrincipalType: typ, Scope: scope}
}

func TestAzureRoles(t *testing.T) {
	_, owner := app("owner")
	_, reader := app("reader")
	_, vault := app("vault")
	_, custom := app("custom")
	s := hold(&snapshot.Snapshot{
		ServicePrincipals: []snapshot.ServicePrincipal{owner, reader, vault, custom},
		AzureScopes:       []snapshot.AzureScope{{ID: sub, DisplayName: "Production"}, {ID: rootMG, DisplayName: "Contoso root"}},
		AzureRoleAssignments: []snapshot.AzureRoleAssignment{
			azureRole("1", sub, ownerDef, "sp-owner", "ServicePrincipal"),
			azureRole("2", sub+"/resourceGroups/web", kvDef, "sp-vault", "ServicePrincipal"),
			azureRole("3", rootMG, readDef, "sp-reader", "ServicePrincipal"),
			azureRole("4", sub, sub+"/providers/Microsoft.Authorization/roleDefinitions/0bad0000-0000-4000-8000-00000000c0de", "sp-custom", "ServicePrincipal"),
			azureRole("5", sub, ownerDef, "u-someone", "User"),
			{ID: "az-cli", RoleDefinitionName: "Owner", PrincipalID: "sp-gone", PrincipalType: "ServicePrincipal", Scope: rootMG},
		}}, snapshot.AzureRoleAssignments, snapshot.AzureScopes)
	res := evaluate(t, s, Options{})
	got := map[string]alert.Alert{}
	for _, f := range of(res, ServicePrincipalAzureRole) {
		got[f.EventID] = f
	}
	if len(got) != 4 {
		t.Fatalf("findings for %v", got)
	}
	o := got["sp-owner"]
	role := items(t, o, "azure_roles")[0]
	if o.Level != alert.LevelHigh || role["role"] != "Owner" || role["scope_name"] != "Production" || role["category"] != "admin" || o.GuideRow != "sp-role-assigned" {
		t.Errorf("Owner on a subscription = %+v", o)
	}
	if v := got["sp-vault"]; v.Level != alert.LevelMedium || items(t, v, "azure_roles")[0]["role"] != "Key Vault Secrets User" {
		t.Errorf("Key Vault role on a resource group = %+v", v)
	}
	if c := got["sp-custom"]; c.Level != alert.LevelMedium || items(t, c, "azure_roles")[0]["privileged"] != "unknown" {
		t.Errorf("custom role = %+v", c)
	}
	if g := got["sp-gone"]; g.Level != alert.LevelHigh || g.Target.ID != "sp-gone" || items(t, g, "azure_roles")[0]["scope_name"] != "Contoso root" {
		t.Errorf("az role assignment list row = %+v", g)
	}
	if r := result(t, res, ServicePrincipalAzureRole); r.Evaluated != 5 {
		t.Errorf("evaluated %d service principals, want 5 (the reader too)", r.Evaluated)
	}
	if slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "part of the data") }) {
		t.Errorf("notes = %q", res.Notes)
	}
	s.Gaps = []snapshot.Gap{{Collection: snapshot.AzureRoleAssignments, Part: sub + "2", Status: 403, Code: "AuthorizationFailed", Permission: "the Reader role"}}
	want := "service-principal-azure-role ran on part of the data: azureRoleAssignments (" + sub + "2) not read: grant the Reader role (403 AuthorizationFailed)"
	if notes := evaluate(t, s, Options{}).Notes; !slices.Contains(notes, want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

func TestAzureRolesNotRead(t *testing.T) {
	s := &snapshot.Snapshot{Gaps: []snapshot.Gap{{Collection: snapshot.AzureRoleAssignments, Message: "Azure Resource Manager was not read"}}}
	_, sp := app("a")
	s.ServicePrincipals = []snapshot.ServicePrincipal{sp}
	if r := result(t, evaluate(t, s, Options{}), ServicePrincipalAzureRole); r.Status != StatusNotEvaluated || !strings.Contains(r.Reason, "Azure Resource Manager was not read") {
		t.Errorf("result = %+v", r)
	}
}

func TestRiskyServicePrincipals(t *testing.T) {
	_, sp := app("a")
	s := hold(&snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{sp},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "ra", PrincipalID: "sp-a", RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}},
		RiskyServicePrincipals: []snapshot.RiskyServicePrincipal{
			{ID: "sp-a", RiskLevel: "high", RiskState: "atRisk", RiskDetail: "none", RiskLastUpdatedDateTime: at(-day)},
			{ID: "sp-b", DisplayName: "Old", RiskLevel: "medium", RiskState: "confirmedCompromised"},
			{ID: "sp-c", RiskLevel: "low", RiskState: "remediated"},
			{ID: "sp-d", RiskLevel: "low", RiskState: "dismissed"},
		},
		RiskDetections: []snapshot.ServicePrincipalRiskDetection{
			{ID: "d1", ServicePrincipalID: "sp-a", RiskEventType: "leakedCredentials", RiskLevel: "high", DetectedDateTime: at(-2 * day), IPAddress: "203.0.113.9"},
		}}, snapshot.RiskyServicePrincipals, snapshot.RiskDetections)
	res := evaluate(t, s, Options{})
	got := of(res, RiskyServicePrincipal)
	if len(got) != 2 {
		t.Fatalf("findings = %+v", got)
	}
	if a := got[0]; a.Level != alert.LevelHigh || items(t, a, "detections")[0]["risk_event_type"] != "leakedCredentials" || a.Evidence["privileges"] == nil || a.GuideRow != RowWorkloadRisk {
		t.Errorf("at risk = %+v", a)
	}
	if b := got[1]; b.Level != alert.LevelCritical || b.Target.Name != "Old" {
		t.Errorf("confirmed compromised = %+v", b)
	}
}

// caTenant has two privileged single-tenant apps, "covered" and
// "excluded", a privileged multi-tenant app "shared", an unprivileged
// app, and an agent identity.
func caTenant(policies ...snapshot.ConditionalAccessPolicy) *snapshot.Snapshot {
	s := &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{graphSP()}}
	for _, id := range []string{"covered", "excluded", "shared", "plain", "agent"} {
		a, sp := app(id)
		a.SignInAudience = "AzureADMyOrg"
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
	}
	s.Applications[2].SignInAudience = "AzureADMultipleOrgs"
	s.ServicePrincipals[5].ODataType = "#microsoft.graph.agentIdentity"
	for _, id := range []string{"covered", "excluded", "shared"} {
		s.AppRoleAssignments = append(s.AppRoleAssignments, snapshot.AppRoleAssignment{ID: "ara-" + id, AppRoleID: mailRead, PrincipalID: "sp-" + id,
			PrincipalType: "ServicePrincipal", ResourceID: graphSPID})
	}
	s.ConditionalAccessPolicies = policies
	return hold(s, snapshot.ConditionalAccessPolicies)
}

func caPolicyOf(state string, include, exclude, agents []string, filter string) snapshot.ConditionalAccessPolicy {
	c := &snapshot.CAClientApplications{IncludeServicePrincipals: include, ExcludeServicePrincipals: exclude, IncludeAgentIDServicePrincipals: agents}
	if filter != "" {
		c.ServicePrincipalFilter = json.RawMessage(filter)
	}
	return snapshot.ConditionalAccessPolicy{ID: "p-" + state, DisplayName: "Workloads " + state, State: state,
		Conditions: &snapshot.CAConditions{ClientApplications: c}, GrantControls: &snapshot.CAGrantControls{BuiltInControls: []string{"block"}}}
}

func TestConditionalAccessForWorkloads(t *testing.T) {
	tests := []struct {
		name     string
		policies []snapshot.ConditionalAccessPolicy
		want     []string
	}{
		{"no policy", nil, []string{"sp-agent", "sp-covered", "sp-excluded"}},
		{"all in my tenant but one", []snapshot.ConditionalAccessPolicy{caPolicyOf("enabled", []string{"ServicePrincipalsInMyTenant"}, []string{"sp-excluded"}, nil, "")},
			[]string{"sp-agent", "sp-excluded"}},
		{"report-only enforces nothing", []snapshot.ConditionalAccessPolicy{caPolicyOf("enabledForReportingButNotEnforced", []string{"ServicePrincipalsInMyTenant"}, nil, []string{"All"}, "")},
			[]string{"sp-agent", "sp-covered", "sp-excluded"}},
		{"by id, and all agents", []snapshot.ConditionalAccessPolicy{caPolicyOf("enabled", []string{"sp-covered"}, nil, []string{"AllAgentIdServicePrincipals"}, "")},
			[]string{"sp-excluded"}},
		{"a filter appwatch cannot evaluate counts as covering", []snapshot.ConditionalAccessPolicy{caPolicyOf("enabled", nil, nil, nil, `{"mode":"include","rule":"CustomSecurityAttribute.tier -eq \"0\""}`)},
			[]string{"sp-agent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evaluate(t, caTenant(tt.policies...), Options{})
			if got := targets(res, WorkloadIdentityNoCA); !slices.Equal(got, tt.want) {
				t.Errorf("uncovered = %v, want %v", got, tt.want)
			}
			if r := result(t, res, WorkloadIdentityNoCA); r.Evaluated != 3 {
				t.Errorf("evaluated %d, want the two single-tenant privileged apps and the agent", r.Evaluated)
			}
		})
	}
	res := evaluate(t, caTenant(caPolicyOf("enabled", []string{"ServicePrincipalsInMyTenant"}, []string{"sp-excluded"}, nil, "")), Options{})
	for _, f := range of(res, WorkloadIdentityNoCA) {
		if f.EventID == "sp-excluded" && !slices.Equal(f.Evidence["excluded_by"].([]string), []string{"Workloads enabled"}) {
			t.Errorf("excluded = %+v", f.Evidence)
		}
		if f.EventID == "sp-agent" && f.Target.Type != "AgentIdentity" {
			t.Errorf("agent = %+v", f.Target)
		}
	}
}

// thirdPartyTenant has the tenant's own multi-tenant apps "locked",
// "open" and "unknown" (lock not read), and other organisations' apps:
// "vendor" (verified, Mail.Read), "shady" (unverified, Mail.Read),
// "quiz" (unverified, consented to by two users for Mail.ReadWrite) and
// "calendar" (unverified, one user, low scopes).
func thirdPartyTenant() *snapshot.Snapshot {
	s := &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{graphSP()}, Domains: contoso()}
	for _, id := range []string{"locked", "open", "unknown"} {
		a, sp := app(id)
		a.SignInAudience = "AzureADMultipleOrgs"
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
	}
	s.Applications[0].ServicePrincipalLock = &snapshot.LockConfiguration{IsEnabled: true, AllProperties: true}
	s.Applications[1].ServicePrincipalLock = &snapshot.LockConfiguration{IsEnabled: true, IdentifierURIs: true}
	for _, id := range []string{"vendor", "shady", "quiz", "calendar"} {
		s.ServicePrincipals = append(s.ServicePrincipals, snapshot.ServicePrincipal{ID: "sp-" + id, AppID: "appid-" + id, DisplayName: id,
			AppOwnerOrganizationID: otherOrg, ServicePrincipalType: "Application"})
	}
	s.ServicePrincipals[4].VerifiedPublisher = &snapshot.VerifiedPublisher{DisplayName: "Vendor Ltd", VerifiedPublisherID: "1234567"}
	for _, id := range []string{"vendor", "shady"} {
		s.AppRoleAssignments = append(s.AppRoleAssignments, snapshot.AppRoleAssignment{ID: "ara-" + id, AppRoleID: mailRead, PrincipalID: "sp-" + id,
			PrincipalType: "ServicePrincipal", ResourceID: graphSPID})
	}
	s.Grants = []snapshot.Grant{
		{ID: "g1", ClientID: "sp-quiz", ConsentType: "Principal", PrincipalID: "u1", ResourceID: graphSPID, Scope: "User.Read Mail.ReadWrite"},
		{ID: "g2", ClientID: "sp-quiz", ConsentType: "Principal", PrincipalID: "u2", ResourceID: graphSPID, Scope: "User.Read"},
		{ID: "g3", ClientID: "sp-calendar", ConsentType: "Principal", PrincipalID: "u1", ResourceID: graphSPID, Scope: "openid User.Read"},
		{ID: "g4", ClientID: "sp-vendor", ConsentType: "Principal", PrincipalID: "u1", ResourceID: graphSPID, Scope: "User.Read"},
	}
	s.Contexts = map[snapshot.Collection]string{snapshot.Applications: "https://graph.microsoft.com/v1.0/$metadata#applications(id,servicePrincipalLockConfiguration)"}
	return s
}

func TestThirdPartyApps(t *testing.T) {
	res := evaluate(t, thirdPartyTenant(), Options{TenantID: tenantID})
	if got := targets(res, AppInstanceLockOff); !slices.Equal(got, []string{"app-open", "app-unknown"}) {
		t.Errorf("without the lock = %v", got)
	}
	if got := targets(res, UnverifiedPrivilegedApp); !slices.Equal(got, []string{"sp-shady"}) {
		t.Errorf("unverified privileged = %v", got)
	}
	perms := of(res, ThirdPartyAppPermission)
	if len(perms) != 2 || perms[1].EventID != "sp-vendor" || perms[1].Evidence["publisher"] != "Vendor Ltd" || perms[1].Evidence["verified_publisher"] != true {
		t.Errorf("third-party application permissions = %+v", perms)
	}
	consents := of(res, UserConsentUnverifiedApp)
	if len(consents) != 2 {
		t.Fatalf("consents = %+v", consents)
	}
	cal, quiz := consents[0], consents[1]
	if quiz.EventID != "sp-quiz" || quiz.Level != alert.LevelMedium || quiz.Evidence["users"] != 2 || !slices.Contains(quiz.Evidence["scopes"].([]string), "Mail.ReadWrite") {
		t.Errorf("quiz = %+v", quiz)
	}
	if cal.EventID != "sp-calendar" || cal.Level != alert.LevelLow {
		t.Errorf("calendar = %+v", cal)
	}
	// Without a tenant id there is no telling other organisations' apps.
	s := thirdPartyTenant()
	s.Applications = nil
	if got := of(evaluate(t, s, Options{}), UnverifiedPrivilegedApp); len(got) != 0 {
		t.Errorf("without a tenant id: %+v", got)
	}
	// A snapshot that never asked for the lock says nothing of it.
	s = thirdPartyTenant()
	s.Contexts = nil
	if got := targets(evaluate(t, s, Options{TenantID: tenantID}), AppInstanceLockOff); !slices.Equal(got, []string{"app-open"}) {
		t.Errorf("lock not asked for: %v", got)
	}
}
