package posture

import (
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// Ids of the roles and permissions that lead to a credential.
const (
	appAdminRole      = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	cloudAppAdminRole = "158c047a-c907-4556-b7ef-446551a6b5f7"
	appReadWriteAll   = "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"
	appRoleAssignRW   = "06b708a9-e830-4db3-a914-8e69da51d44f"
)

// pathTenant has "crown" (RoleManagement.ReadWrite.Directory: critical)
// and "mail" (Mail.Read: high), each with a user owner of its app
// registration; "deployer" holding Application.ReadWrite.All; a Cloud
// Application Administrator eligible tenant-wide, an Application
// Administrator scoped to "mail", and one scoped to an unrelated app.
func pathTenant() *snapshot.Snapshot {
	g := graphSP()
	g.AppRoles = append(g.AppRoles, snapshot.AppRole{ID: appReadWriteAll, Value: "Application.ReadWrite.All"})
	s := &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{g}}
	for _, id := range []string{"crown", "mail", "deployer", "other"} {
		a, sp := app(id)
		a.Owners = []snapshot.Owner{}
		sp.Owners = []snapshot.Owner{}
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
	}
	s.Applications[0].Owners = []snapshot.Owner{user("u-ada", "ada@contoso.com", "Member")}
	s.Applications[1].Owners = []snapshot.Owner{user("u-bo", "bo@contoso.com", "Member")}
	grant := func(id, role, principal string) snapshot.AppRoleAssignment {
		return snapshot.AppRoleAssignment{ID: id, AppRoleID: role, PrincipalID: principal, PrincipalType: "ServicePrincipal", ResourceID: graphSPID, ResourceDisplayName: "Microsoft Graph"}
	}
	s.AppRoleAssignments = []snapshot.AppRoleAssignment{
		grant("ara-crown", roleMgmtRW, "sp-crown"), grant("ara-mail", mailRead, "sp-mail"), grant("ara-deployer", appReadWriteAll, "sp-deployer"),
	}
	s.RoleAssignments = []snapshot.RoleAssignment{
		{ID: "ra-mail-admin", PrincipalID: "u-cy", RoleDefinitionID: appAdminRole, DirectoryScopeID: "/app-mail"},
		{ID: "ra-other-admin", PrincipalID: "u-di", RoleDefinitionID: appAdminRole, DirectoryScopeID: "/app-other"},
	}
	s.RoleEligibilities = []snapshot.RoleAssignment{{ID: "el-1", PrincipalID: "u-ed", RoleDefinitionID: cloudAppAdminRole, DirectoryScopeID: "/"}}
	return hold(s, snapshot.RoleEligibilities)
}

func TestCredentialPaths(t *testing.T) {
	res := evaluate(t, pathTenant(), Options{})
	got := of(res, PrivilegedAppCredentialPath)
	// deployer is itself privileged (Application.ReadWrite.All is
	// critical), and crown's RoleManagement.ReadWrite.Directory reaches
	// every other app.
	if ids := targets(res, PrivilegedAppCredentialPath); !slices.Equal(ids, []string{"sp-crown", "sp-deployer", "sp-mail"}) {
		t.Fatalf("apps with paths = %v", ids)
	}
	holders := func(f alert.Alert) []string {
		var out []string
		for _, p := range items(t, f, "paths") {
			out = append(out, p["holder"].(map[string]any)["id"].(string))
		}
		return out
	}
	crown, deployer, mail := got[0], got[1], got[2]
	if h := holders(crown); crown.Level != alert.LevelCritical || !same(h, []string{"u-ada", "u-ed", "sp-deployer"}) {
		t.Errorf("crown: level %s, holders %v", crown.Level, h)
	}
	if h := holders(mail); mail.Level != alert.LevelHigh || !same(h, []string{"u-bo", "u-cy", "u-ed", "sp-crown", "sp-deployer"}) {
		t.Errorf("mail: level %s, holders %v", mail.Level, h)
	}
	if h := holders(deployer); !same(h, []string{"u-ed", "sp-crown"}) {
		t.Errorf("deployer: holders %v", h)
	}
	var ada string
	for _, p := range items(t, crown, "paths") {
		if p["holder"].(map[string]any)["id"] == "u-ada" {
			ada = p["path"].(string)
		}
	}
	if want := "user ada@contoso.com → owner of the app registration → adds a credential → signs in as App crown → holds RoleManagement.ReadWrite.Directory"; ada != want {
		t.Errorf("path = %q\nwant %q", ada, want)
	}
	for _, p := range items(t, mail, "paths") {
		if p["holder"].(map[string]any)["id"] == "u-ed" && !strings.Contains(p["via"].(string), "Cloud Application Administrator (eligible, tenant-wide)") {
			t.Errorf("eligible path = %+v", p)
		}
	}
	if r := result(t, res, PrivilegedAppCredentialPath); r.Evaluated != 3 || r.GuideRow != "credential-added" {
		t.Errorf("result = %+v", r)
	}
}

func TestCredentialPathsNone(t *testing.T) {
	s := pathTenant()
	s.Applications[0].Owners, s.Applications[1].Owners = []snapshot.Owner{}, []snapshot.Owner{}
	s.RoleAssignments, s.RoleEligibilities = nil, nil
	s.AppRoleAssignments = s.AppRoleAssignments[1:2]
	res := evaluate(t, s, Options{})
	if got := of(res, PrivilegedAppCredentialPath); len(got) != 0 {
		t.Errorf("paths with nobody to take them: %+v", got)
	}
	if r := result(t, res, PrivilegedAppCredentialPath); r.Status != StatusPass || r.Evaluated != 1 {
		t.Errorf("result = %+v", r)
	}
}
