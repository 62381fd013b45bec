package posture

import (
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

func user(id, upn, userType string) snapshot.Owner {
	return snapshot.Owner{ODataType: "#microsoft.graph.user", ID: id, DisplayName: id, UserPrincipalName: upn, UserType: userType}
}

// ownersTenant has "lonely" (no owners, no notes), "noted" (no owners,
// notes), "unread" (owners not read), "guest" (a guest and a member
// owner), and "powerful" (Global Administrator, owned by a member with
// only a phone and by another service principal).
func ownersTenant() *snapshot.Snapshot {
	s := &snapshot.Snapshot{}
	add := func(id string, owners []snapshot.Owner, notes string) {
		a, sp := app(id)
		a.Owners, a.Notes = owners, notes
		sp.Owners = []snapshot.Owner{}
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
	}
	add("lonely", []snapshot.Owner{}, "")
	add("noted", []snapshot.Owner{}, "Payments team, ticket PAY-12")
	add("unread", nil, "")
	add("guest", []snapshot.Owner{user("u-guest", "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", ""), user("u-bob", "bob@contoso.com", "Member")}, "")
	add("powerful", []snapshot.Owner{user("u-eve", "eve@contoso.com", "Member"),
		{ODataType: "#microsoft.graph.servicePrincipal", ID: "sp-guest", DisplayName: "App guest"}}, "")
	s.RoleAssignments = []snapshot.RoleAssignment{{ID: "ra-1", PrincipalID: "sp-powerful", RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}}
	s.UserRegistrations = []snapshot.UserRegistration{
		{ID: "u-eve", MethodsRegistered: []string{"mobilePhone", "email"}},
		{ID: "u-bob", IsMfaRegistered: true, MethodsRegistered: []string{"microsoftAuthenticatorPush", "mobilePhone"}},
	}
	return hold(s, snapshot.UserRegistrations)
}

func TestOwnership(t *testing.T) {
	res := evaluate(t, ownersTenant(), Options{})
	if got := targets(res, AppWithoutOwner); !slices.Equal(got, []string{"app-lonely"}) {
		t.Errorf("without owner = %v", got)
	}
	if r := result(t, res, AppWithoutOwner); r.Evaluated != 4 {
		t.Errorf("evaluated %d apps, want the 4 whose owners were read", r.Evaluated)
	}
	guests := of(res, AppOwnerGuest)
	if len(guests) != 1 || guests[0].EventID != "app-guest" || guests[0].Level != alert.LevelMedium || items(t, guests[0], "owners")[0]["id"] != "u-guest" {
		t.Errorf("guest owners = %+v", guests)
	}
	weak := of(res, AppOwnerWeakAuth)
	if len(weak) != 1 || weak[0].EventID != "app-powerful" || weak[0].Level != alert.LevelHigh || weak[0].Evidence["privileges"] == nil {
		t.Errorf("weak owners = %+v", weak)
	}
	sps := of(res, AppOwnerServicePrincipal)
	if len(sps) != 1 || sps[0].EventID != "app-powerful" || sps[0].Level != alert.LevelHigh || items(t, sps[0], "owners")[0]["type"] != "servicePrincipal" {
		t.Errorf("service principal owners = %+v", sps)
	}
	// Bob has a phone and the Authenticator app: strong enough.
	if r := result(t, res, AppOwnerWeakAuth); r.Evaluated != 2 {
		t.Errorf("weak auth evaluated %d objects, want the 2 whose user owners are registered", r.Evaluated)
	}
}

func TestOwnershipWithoutRegistrations(t *testing.T) {
	s := ownersTenant()
	s.UserRegistrations = nil
	delete(s.Contexts, snapshot.UserRegistrations)
	s.Gaps = []snapshot.Gap{{Collection: snapshot.UserRegistrations, Status: 403, Code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", Licence: "Microsoft Entra ID P1"}}
	res := evaluate(t, s, Options{})
	if r := result(t, res, AppOwnerWeakAuth); r.Status != StatusNotEvaluated || !strings.Contains(r.Reason, "Microsoft Entra ID P1") {
		t.Errorf("weak auth = %+v", r)
	}
	if r := result(t, res, AppOwnerGuest); r.Status != StatusFail {
		t.Errorf("the guest check needs no registrations: %+v", r)
	}
}

func TestAgentSponsors(t *testing.T) {
	a, sp := app("agent")
	sp.ODataType = "#microsoft.graph.agentIdentity"
	sp.Owners = []snapshot.Owner{user("u1", "u1@contoso.com", "Member")}
	bp, bpSP := app("blueprint")
	bp.ODataType = "#microsoft.graph.agentIdentityBlueprint"
	bpSP.ODataType = "#microsoft.graph.agentIdentityBlueprintPrincipal"
	s := hold(&snapshot.Snapshot{
		Applications:      []snapshot.Application{a, bp},
		ServicePrincipals: []snapshot.ServicePrincipal{sp, bpSP},
		Agents: []snapshot.Agent{
			{ODataType: sp.ODataType, ID: sp.ID, BlueprintAppID: bp.AppID},
			{ODataType: bpSP.ODataType, ID: bpSP.ID, Sponsors: []snapshot.Owner{user("u2", "u2@contoso.com", "Member")}},
			{ODataType: bp.ODataType, ID: bp.ID},
			{ODataType: "#microsoft.graph.agentIdentity", ID: "agent-gone"},
		}}, snapshot.Agents)
	res := evaluate(t, s, Options{})
	got := of(res, AgentWithoutSponsor)
	if len(got) != 3 {
		t.Fatalf("findings = %+v", got)
	}
	byID := map[string]alert.Alert{}
	for _, f := range got {
		byID[f.EventID] = f
	}
	if f := byID["sp-agent"]; f.Target.Type != "AgentIdentity" || f.Evidence["owners"] != 1 || f.Evidence["blueprint_app_id"] != bp.AppID {
		t.Errorf("agent identity = %+v", f)
	}
	if f := byID["app-blueprint"]; f.Target.Type != "AgentIdentityBlueprint" || f.Evidence["kind"] != snapshot.KindBlueprint {
		t.Errorf("blueprint = %+v", f)
	}
	if f := byID["agent-gone"]; f.Target.Type != "AgentIdentity" {
		t.Errorf("an agent missing from the service principals = %+v", f)
	}
	// Every other check sees agents as what they are.
	sp.PasswordCredentials = []snapshot.Credential{secret("x", -day, 30*day)}
	s.ServicePrincipals[0] = sp
	if f := of(evaluate(t, s, Options{}), CredentialOnServicePrincipal); len(f) != 1 || f[0].Target.Type != "AgentIdentity" {
		t.Errorf("a secret on an agent identity = %+v", f)
	}
}
