package snapshot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/graph"
)

// collectAll collects from the fake with Graph v1.0, Graph beta and Azure
// Resource Manager.
func collectAll(t *testing.T, fg *fakeGraph) (*Snapshot, error) {
	t.Helper()
	return Collect(t.Context(), fg.client(t, graph.Config{}), Options{
		Beta: fg.client(t, graph.Config{BaseURL: fg.srv.URL + "/beta"}),
		ARM:  fg.client(t, graph.Config{BaseURL: fg.srv.URL + "/arm"}),
	})
}

func TestCollectOptional(t *testing.T) {
	tn := genTenant(12)
	fg := newFakeGraph(t, tn)
	snap, err := collectAll(t, fg)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, snap, tn.expectedWith(fg.metadata(), true, true))
	fg.onlyOnce(t)
	// Two ARM pages for the first subscription's four assignments.
	fg.mu.Lock()
	pages := 0
	for u := range fg.hits {
		if strings.HasPrefix(u, "/arm/subscriptions/aaaa0000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleAssignments") {
			pages++
		}
	}
	fg.mu.Unlock()
	if pages != 2 {
		t.Errorf("%d pages of the first subscription's role assignments, want 2", pages)
	}
	if len(snap.Gaps) != 0 {
		t.Errorf("gaps = %v", snap.Gaps)
	}
	// Only active app recommendations have their objects read.
	for _, r := range snap.Recommendations {
		if want := r.Status == "active" && AppRecommendation(r.Kind()); (r.ImpactedResources != nil) != want {
			t.Errorf("%s (%s): impacted resources %v", r.ID, r.Kind(), r.ImpactedResources)
		}
	}

	dir := filepath.Join(t.TempDir(), "snap")
	if err := snap.Write(dir); err != nil {
		t.Fatal(err)
	}
	read, problems, err := Read(dir)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Read = %v, %v", problems, err)
	}
	compare(t, read, snap)
}

// TestCollectOptionalRefused refuses optional collections the ways Graph
// and ARM do, and answers an empty beta report: the core collections are
// still read, every refusal is a gap naming the permission or licence to
// get, and the gaps survive a round trip through files.
func TestCollectOptionalRefused(t *testing.T) {
	tn := genTenant(8)
	tn.opt.signIns = nil // an empty beta report
	fg := newFakeGraph(t, tn)
	fg.licence["/v1.0/identityProtection/riskyServicePrincipals"] = true
	fg.forbid["/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"] = true
	fg.forbid["/beta/reports/appCredentialSignInActivities"] = true
	fg.forbid["/v1.0/policies/defaultAppManagementPolicy"] = true
	fg.forbid["/arm/subscriptions/aaaa0000-0000-4000-8000-000000000002/providers/Microsoft.Authorization/roleAssignments"] = true
	fg.forbid["/arm/providers/Microsoft.Management/managementGroups/contoso-root/providers/Microsoft.Authorization/roleAssignments"] = true
	snap, err := collectAll(t, fg)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Applications) != 8 {
		t.Errorf("%d applications", len(snap.Applications))
	}
	want := map[Collection]string{
		RiskyServicePrincipals: "the tenant lacks Microsoft Entra Workload ID Premium",
		RoleEligibilities:      "grant RoleEligibilitySchedule.Read.Directory (403 Authorization_RequestDenied)",
		CredentialActivities:   "grant AuditLog.Read.All",
		AppManagementPolicies:  "grant Policy.Read.All",
		AzureRoleAssignments:   "azureRoleAssignments (/providers/Microsoft.Management/managementGroups/contoso-root) not read: grant the Reader role",
	}
	// Two scopes' role assignments are refused: two gaps of one collection.
	if len(snap.Gaps) != len(want)+1 || snap.Gaps[3].Part != "/subscriptions/aaaa0000-0000-4000-8000-000000000002" {
		t.Errorf("gaps = %v", snap.Gaps)
	}
	for c, reason := range want {
		g, ok := snap.Gap(c)
		if !ok || !strings.Contains(g.Reason(), reason) {
			t.Errorf("gap of %s = %q, want %q", c, g.Reason(), reason)
		}
		if c != AzureRoleAssignments && snap.Has(c) {
			t.Errorf("%s is both held and missing", c)
		}
	}
	// The first subscription's assignments were still read, with the
	// management group's one that it inherits.
	if !snap.Has(AzureRoleAssignments) || len(snap.AzureRoleAssignments) != 4 {
		t.Errorf("Azure role assignments = %d, held %v", len(snap.AzureRoleAssignments), snap.Has(AzureRoleAssignments))
	}
	if !snap.Has(SignInActivities) || snap.SignInActivities != nil {
		t.Errorf("an empty report must be held and empty: %v", snap.SignInActivities)
	}

	dir := filepath.Join(t.TempDir(), "snap")
	if err := snap.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"unavailable.json", "servicePrincipalSignInActivities.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "riskyServicePrincipals.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a collection that was not read was written: %v", err)
	}
	read, problems, err := Read(dir)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Read = %v, %v", problems, err)
	}
	compare(t, read, snap)
}

func TestCollectOptionalCancelled(t *testing.T) {
	fg := newFakeGraph(t, genTenant(6))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Collect(ctx, fg.client(t, graph.Config{}), Options{Beta: fg.client(t, graph.Config{BaseURL: fg.srv.URL + "/beta"})}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRecommendationKind(t *testing.T) {
	for _, tc := range []struct {
		rec  Recommendation
		want string
	}{
		{Recommendation{RecommendationType: "staleApps"}, "staleApps"},
		{Recommendation{ID: "t_Microsoft.Identity.IAM.Insights.AdalToMsalMigration", RecommendationType: "unknownFutureValue"}, "adalToMsalMigration"},
		{Recommendation{ID: "t_Microsoft.Identity.IAM.Insights.", RecommendationType: "unknownFutureValue"}, "unknownFutureValue"},
		{Recommendation{ID: "plain"}, ""},
	} {
		if got := tc.rec.Kind(); got != tc.want {
			t.Errorf("%+v.Kind() = %q, want %q", tc.rec, got, tc.want)
		}
	}
}

func TestReadForeignTenantLayouts(t *testing.T) {
	s, problems, err := Read(filepath.Join("testdata", "foreign-tenant"))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	if len(s.AzureRoleAssignments) != 2 {
		t.Fatalf("Azure role assignments = %+v", s.AzureRoleAssignments)
	}
	mg, owner := s.AzureRoleAssignments[0], s.AzureRoleAssignments[1]
	if owner.RoleDefinitionName != "Owner" || owner.PrincipalType != "ServicePrincipal" || owner.Scope != "/subscriptions/aaaa0000-0000-4000-8000-000000000001" ||
		!strings.HasSuffix(owner.RoleDefinitionID, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635") {
		t.Errorf("az role assignment list = %+v", owner)
	}
	if mg.PrincipalID != "5b000000-0000-4000-8000-000000000010" || mg.Scope != "/providers/Microsoft.Management/managementGroups/contoso-root" {
		t.Errorf("ARM list = %+v", mg)
	}
	if len(s.AuthorizationPolicies) != 1 || len(s.AuthorizationPolicies[0].DefaultUserRolePermissions.PermissionGrantPoliciesAssigned) != 3 ||
		!*s.AuthorizationPolicies[0].DefaultUserRolePermissions.AllowedToCreateApps || s.AuthorizationPolicies[0].AllowUserConsentForRiskyApps != nil {
		t.Errorf("authorization policy = %+v", s.AuthorizationPolicies)
	}
	if len(s.ConditionalAccessPolicies) != 1 || s.ConditionalAccessPolicies[0].Conditions.ClientApplications.IncludeServicePrincipals[0] != "ServicePrincipalsInMyTenant" {
		t.Errorf("Conditional Access = %+v", s.ConditionalAccessPolicies)
	}
	if r := s.RiskyServicePrincipals; len(r) != 1 || r[0].RiskLevel != "high" || r[0].RiskState != "atRisk" || r[0].RiskLastUpdatedDateTime.Year() != 2026 {
		t.Errorf("risky service principals = %+v", r)
	}
	if r := s.Recommendations; len(r) != 1 || r[0].Kind() != "staleApps" || len(r[0].ImpactedResources) != 1 || r[0].ImpactedResources[0].DisplayName != "Payroll Export" {
		t.Errorf("recommendations = %+v", r)
	}
	if sp := s.ServicePrincipals; len(sp) != 1 || sp[0].Kind() != KindAgentIdentity || sp[0].DisplayName != "Invoice triage agent" {
		t.Errorf("agent identities = %+v", sp)
	}
	for _, c := range []Collection{AzureRoleAssignments, AuthorizationPolicies, ConditionalAccessPolicies, RiskyServicePrincipals, Recommendations, ServicePrincipals} {
		if !s.Has(c) {
			t.Errorf("%s not held", c)
		}
	}
	if s.Has(UserRegistrations) || s.Has(Agents) {
		t.Error("collections held that no file holds")
	}
}
