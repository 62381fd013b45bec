package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/snapshot"
)

const (
	armSub    = "/subscriptions/aaaa0000-0000-4000-8000-000000000001"
	armOwner  = armSub + "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	licenceNo = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
)

// postureTenantFull is postureTenant with what the optional collections
// hold: user consent for any app, an app management policy that spares
// old apps, no Conditional Access for workload identities, a payroll app
// silent for 200 days and an Owner of a subscription; its credential
// activity report is empty, and Graph refuses the risk collections for
// want of a licence and the authentication method registrations for
// want of a permission.
func postureTenantFull() *snapshot.Snapshot {
	s := postureTenant()
	yes := true
	ts := func(d time.Duration) snapshot.Time {
		return snapshot.Time{Time: time.Now().UTC().Add(d).Truncate(time.Second)}
	}
	s.Applications[0].CreatedDateTime = ts(-800 * 24 * time.Hour)
	s.AuthorizationPolicies = []snapshot.AuthorizationPolicy{{ID: "authorizationPolicy", DefaultUserRolePermissions: &snapshot.DefaultUserPermissions{
		AllowedToCreateApps: &yes, PermissionGrantPoliciesAssigned: []string{"ManagePermissionGrantsForSelf.microsoft-user-default-legacy"}}}}
	s.AdminConsentRequestPolicies = []snapshot.AdminConsentRequestPolicy{{IsEnabled: true, Reviewers: []snapshot.ReviewerScope{{Query: "/users/u-ada"}}}}
	s.PermissionGrantPolicies = []snapshot.PermissionGrantPolicy{}
	s.DirectorySettings = []snapshot.DirectorySetting{{ID: "set-1", DisplayName: "Consent Policy Settings", TemplateID: "dffd5d46-495d-40a9-8e21-954ff55e198a",
		Values: []snapshot.SettingValue{{Name: "BlockUserConsentForRiskyApps", Value: "true"}}}}
	s.AppManagementPolicies = []snapshot.AppManagementPolicy{{ID: snapshot.DefaultAppManagementPolicyID, IsEnabled: true,
		ApplicationRestrictions: &snapshot.AppRestrictions{
			PasswordCredentials: []snapshot.CredentialRestriction{{RestrictionType: "passwordAddition", RestrictForAppsCreatedAfter: ts(-300 * 24 * time.Hour)}},
			KeyCredentials:      []snapshot.CredentialRestriction{{RestrictionType: "asymmetricKeyLifetime", MaxLifetime: "P180D"}}}}}
	s.ConditionalAccessPolicies = []snapshot.ConditionalAccessPolicy{}
	s.RoleEligibilities = []snapshot.RoleAssignment{}
	s.SignInActivities = []snapshot.ServicePrincipalSignInActivity{{ID: "si-1", AppID: "appid-payroll",
		LastSignInActivity: &snapshot.SignInActivity{LastSignInDateTime: ts(-200 * 24 * time.Hour)}}}
	s.CredentialActivities = []snapshot.AppCredentialSignInActivity{}
	s.Recommendations = []snapshot.Recommendation{{ID: ourTenant + "_Microsoft.Identity.IAM.Insights.StaleApps", RecommendationType: "staleApps",
		Status: "active", Priority: "medium", ImpactedResources: []snapshot.ImpactedResource{{ID: "app-payroll", SubjectID: "app-payroll", DisplayName: "Payroll"}}}}
	s.Agents = []snapshot.Agent{}
	s.AzureRoleAssignments = []snapshot.AzureRoleAssignment{{ID: armSub + "/providers/Microsoft.Authorization/roleAssignments/ra-1",
		RoleDefinitionID: armOwner, PrincipalID: "sp-payroll", PrincipalType: "ServicePrincipal", Scope: armSub}}
	s.Contexts = map[snapshot.Collection]string{}
	for _, c := range snapshot.Collections() {
		s.Contexts[c] = ""
	}
	for _, c := range []snapshot.Collection{snapshot.RiskyServicePrincipals, snapshot.RiskDetections, snapshot.UserRegistrations} {
		delete(s.Contexts, c)
	}
	return s
}

// serveTenant answers the optional collections and Azure Resource
// Manager (under /arm) as Graph and ARM do, for the collections s holds;
// it refuses the risk collections for want of a licence and the rest for
// want of a permission. It reports whether it answered.
func serveTenant(w http.ResponseWriter, r *http.Request, s *snapshot.Snapshot) bool {
	path := r.URL.Path
	for _, prefix := range []string{"/v1.0", "/beta"} {
		path = strings.TrimPrefix(path, prefix)
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/arm"); ok {
		return serveARM(w, rest, s)
	}
	one := func(context string, v any) bool {
		b, _ := json.Marshal(v)
		var m map[string]any
		json.Unmarshal(b, &m)
		m["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + context + "/$entity"
		return reply(w, m)
	}
	list := func(context string, v any) bool {
		return reply(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#" + context, "value": v})
	}
	if strings.HasPrefix(path, "/identityProtection/") && s.Contexts != nil && !s.Has(snapshot.RiskyServicePrincipals) {
		w.WriteHeader(http.StatusForbidden)
		return reply(w, map[string]any{"error": map[string]any{"code": licenceNo, "message": "Tenant does not have a Workload Identities Premium license."}})
	}
	switch {
	case !s.Has(snapshot.AuthorizationPolicies):
		return false
	case path == "/policies/authorizationPolicy":
		return one("policies/authorizationPolicy", s.AuthorizationPolicies[0])
	case path == "/policies/adminConsentRequestPolicy":
		return one("policies/adminConsentRequestPolicy", s.AdminConsentRequestPolicies[0])
	case path == "/policies/defaultAppManagementPolicy":
		return one("policies/defaultAppManagementPolicy", s.AppManagementPolicies[0])
	case path == "/policies/appManagementPolicies":
		return list("policies/appManagementPolicies", []any{})
	case path == "/policies/permissionGrantPolicies":
		return list("policies/permissionGrantPolicies", s.PermissionGrantPolicies)
	case path == "/groupSettings":
		return list("groupSettings", s.DirectorySettings)
	case path == "/identity/conditionalAccess/policies":
		return list("identity/conditionalAccess/policies", s.ConditionalAccessPolicies)
	case path == "/roleManagement/directory/roleEligibilityScheduleInstances":
		return list("roleManagement/directory/roleEligibilityScheduleInstances", s.RoleEligibilities)
	case path == "/reports/servicePrincipalSignInActivities":
		return list("reports/servicePrincipalSignInActivities", s.SignInActivities)
	case path == "/reports/appCredentialSignInActivities":
		return list("reports/appCredentialSignInActivities", s.CredentialActivities)
	case path == "/directory/recommendations":
		recs := slices.Clone(s.Recommendations)
		for i := range recs {
			recs[i].ImpactedResources = nil
		}
		return list("directory/recommendations", recs)
	case strings.HasPrefix(path, "/directory/recommendations/") && strings.HasSuffix(path, "/impactedResources"):
		return list("impactedResources", s.Recommendations[0].ImpactedResources)
	case strings.HasPrefix(path, "/servicePrincipals/microsoft.graph.") || strings.HasPrefix(path, "/applications/microsoft.graph."):
		return list(strings.TrimPrefix(path, "/"), s.Agents)
	}
	return false
}

// serveARM answers Azure Resource Manager's lists.
func serveARM(w http.ResponseWriter, path string, s *snapshot.Snapshot) bool {
	switch path {
	case "/subscriptions":
		return reply(w, map[string]any{"value": []any{map[string]any{"id": armSub, "subscriptionId": "aaaa0000-0000-4000-8000-000000000001", "displayName": "Production"}}})
	case "/providers/Microsoft.Management/managementGroups":
		w.WriteHeader(http.StatusForbidden)
		return reply(w, map[string]any{"error": map[string]any{"code": "AuthorizationFailed", "message": "no access to management groups"}})
	case armSub + "/providers/Microsoft.Authorization/roleAssignments":
		var items []any
		for _, a := range s.AzureRoleAssignments {
			items = append(items, map[string]any{"id": a.ID, "type": "Microsoft.Authorization/roleAssignments",
				"properties": map[string]any{"roleDefinitionId": a.RoleDefinitionID, "principalId": a.PrincipalID, "principalType": a.PrincipalType, "scope": a.Scope}})
		}
		return reply(w, map[string]any{"value": items})
	}
	http.NotFound(w, nil)
	return true
}

func reply(w http.ResponseWriter, v any) bool {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
	return true
}

// TestPostureWholeTenant reads a tenant whose optional collections Graph
// partly refuses, saves it, evaluates it, and checks that each check ends
// as it should: failed with what it found, not evaluated with the licence
// or permission to get, and the rest passed.
func TestPostureWholeTenant(t *testing.T) {
	srv := fakeGraph(t, postureTenantFull())
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte(testToken), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	code, _, errOut := run(t, "posture", "collect", "--out", dir, "--graph-url", srv.URL+"/v1.0", "--access-token-file", tok,
		"--arm-url", srv.URL+"/arm", "--arm-access-token-file", tok, "--graph-rate", "-1")
	if code != exitOK {
		t.Fatalf("collect: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"not read: riskyServicePrincipals not read: the tenant lacks Microsoft Entra Workload ID Premium (403 " + licenceNo + ")",
		"not read: userRegistrationDetails not read: grant AuditLog.Read.All (403 Authorization_RequestDenied)",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("collect output lacks %q:\n%s", want, errOut)
		}
	}
	results := filepath.Join(t.TempDir(), "results.json")
	code, out, errOut := run(t, "posture", "--snapshot", dir, "--no-dns", "--format", "jsonl", "--tenant", ourTenant, "--results", results)
	if code != exitOK {
		t.Fatalf("evaluate: exit %d: %s", code, errOut)
	}
	got := readFindings(t, out)
	for _, want := range []string{
		"app-dormant sp-payroll", "user-consent-unrestricted authorizationPolicy", "users-can-register-apps authorizationPolicy",
		"app-management-policy-exempts-existing defaultAppManagementPolicy", "entra-recommendation " + ourTenant + "_Microsoft.Identity.IAM.Insights.StaleApps",
		"service-principal-azure-role sp-payroll", "workload-identity-no-conditional-access sp-payroll", "workload-identity-no-conditional-access sp-portal",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no finding %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Checks []posture.CheckResult }
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Checks) != len(posture.Checks()) {
		t.Fatalf("results: %v, %d checks", err, len(doc.Checks))
	}
	status := map[string]posture.CheckResult{}
	for _, r := range doc.Checks {
		status[r.ID] = r
	}
	for id, want := range map[string]string{
		posture.RiskyServicePrincipal:     "not_evaluated lacks Microsoft Entra Workload ID Premium",
		posture.AppOwnerWeakAuth:          "not_evaluated grant AuditLog.Read.All",
		posture.CredentialUnused:          "not_evaluated holds no records",
		posture.ServicePrincipalAzureRole: "fail",
		posture.AdminConsentWorkflowOff:   "pass",
		posture.RiskBasedConsentOff:       "pass",
		posture.AgentWithoutSponsor:       "pass",
		posture.RedirectURIDangling:       "not_evaluated DNS lookups are off",
	} {
		st, reason, _ := strings.Cut(want, " ")
		if r := status[id]; r.Status != st || !strings.Contains(r.Reason, reason) {
			t.Errorf("%s = %+v, want %s", id, r, want)
		}
	}
	// Payroll has been silent for 200 days; Portal, a Global
	// Administrator of unknown age, never signed in; Microsoft Graph's own
	// service principal is not judged.
	if r := status[posture.AppDormant]; r.Evaluated != 2 || r.Findings != 2 {
		t.Errorf("app-dormant = %+v", r)
	}
	for _, want := range []string{"Checks:", "FAIL  service-principal-azure-role", "N/A   risky-service-principal", fmt.Sprintf("%d checks:", len(posture.Checks()))} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
}
