package posture

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

func TestTenantWidePrivilegedGrants(t *testing.T) {
	tests := []struct {
		name      string
		grant     snapshot.Grant
		wantLevel string
		wantPerms []string
	}{
		{"critical scope for all users", snapshot.Grant{ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: " openid User.Read Directory.ReadWrite.All"},
			alert.LevelCritical, []string{"Directory.ReadWrite.All"}},
		{"high scope for all users", snapshot.Grant{ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "Mail.ReadWrite offline_access"},
			alert.LevelHigh, []string{"Mail.ReadWrite"}},
		{"low scopes for all users", snapshot.Grant{ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "openid profile User.Read"}, "", nil},
		{"critical scope for one user", snapshot.Grant{ConsentType: "Principal", PrincipalID: "u1", ResourceID: graphSPID, Scope: "Directory.ReadWrite.All"}, "", nil},
		{"an API appwatch does not know", snapshot.Grant{ConsentType: "AllPrincipals", ResourceID: "sp-a", Scope: "Directory.ReadWrite.All"}, "", nil},
		{"a resource missing from the snapshot", snapshot.Grant{ConsentType: "AllPrincipals", ResourceID: "sp-gone", Scope: "Directory.ReadWrite.All"}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sp := app("a")
			g := tt.grant
			g.ID, g.ClientID = "grant-1", sp.ID
			s := &snapshot.Snapshot{Applications: []snapshot.Application{a}, ServicePrincipals: []snapshot.ServicePrincipal{graphSP(), sp}, Grants: []snapshot.Grant{g}}
			got := of(evaluate(t, s, Options{}), TenantWidePrivilegedGrant)
			if tt.wantLevel == "" {
				if len(got) != 0 {
					t.Errorf("findings = %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("findings = %+v", got)
			}
			f := got[0]
			gr := f.Evidence["grant"].(map[string]any)
			if f.Level != tt.wantLevel || f.EventID != "grant-1" || f.Target.ID != "sp-a" || f.Target.Name != "App a" || f.GuideRow != "tenant-wide-delegated-grant" ||
				gr["api"] != "Microsoft Graph" || gr["consent_type"] != "AllPrincipals" || !slices.Equal(values(gr["permissions"].([]map[string]any), "value"), tt.wantPerms) {
				t.Errorf("finding = %+v", f)
			}
		})
	}
}

func TestPrivilegedApplicationPermissions(t *testing.T) {
	tests := []struct {
		name      string
		aras      []snapshot.AppRoleAssignment
		wantLevel string
		wantPerms []string
	}{
		{"a high permission", []snapshot.AppRoleAssignment{{AppRoleID: mailRead, PrincipalType: "ServicePrincipal"}}, alert.LevelHigh, []string{"Mail.Read"}},
		{"a critical and a low one", []snapshot.AppRoleAssignment{{AppRoleID: userReadAl, PrincipalType: "ServicePrincipal"}, {AppRoleID: roleMgmtRW, PrincipalType: "ServicePrincipal"}},
			alert.LevelCritical, []string{"RoleManagement.ReadWrite.Directory"}},
		{"a low permission", []snapshot.AppRoleAssignment{{AppRoleID: userReadAl, PrincipalType: "ServicePrincipal"}}, "", nil},
		{"a user holding an app role", []snapshot.AppRoleAssignment{{AppRoleID: mailRead, PrincipalType: "User"}}, "", nil},
		{"no principal type, principal known", []snapshot.AppRoleAssignment{{AppRoleID: mailRead}}, alert.LevelHigh, []string{"Mail.Read"}},
		{"an app role of the tenant's own API", []snapshot.AppRoleAssignment{{AppRoleID: mailRead, PrincipalType: "ServicePrincipal", ResourceID: "sp-api"}}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sp := app("a")
			api, apiSP := app("api")
			apiSP.AppRoles = []snapshot.AppRole{{ID: mailRead, Value: "Mail.Read"}}
			s := &snapshot.Snapshot{Applications: []snapshot.Application{a, api}, ServicePrincipals: []snapshot.ServicePrincipal{graphSP(), sp, apiSP}}
			for i, ara := range tt.aras {
				ara.ID, ara.PrincipalID = "ara-"+string(rune('0'+i)), sp.ID
				if ara.ResourceID == "" {
					ara.ResourceID = graphSPID
				}
				s.AppRoleAssignments = append(s.AppRoleAssignments, ara)
			}
			got := of(evaluate(t, s, Options{}), PrivilegedApplicationPermission)
			if tt.wantLevel == "" {
				if len(got) != 0 {
					t.Errorf("findings = %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("findings = %+v", got)
			}
			gr := got[0].Evidence["grant"].(map[string]any)
			if got[0].Level != tt.wantLevel || got[0].EventID != "sp-a" || got[0].GuideRow != "privileged-app-permission" || gr["type"] != "application" ||
				!slices.Equal(values(gr["permissions"].([]map[string]any), "value"), tt.wantPerms) {
				t.Errorf("finding = %+v", got[0])
			}
		})
	}
}

func TestAppRolesByNameWhenTheResourceHasNoAppID(t *testing.T) {
	a, sp := app("a")
	graph := snapshot.ServicePrincipal{ID: graphSPID} // only its id, as a list of app roles gives it
	s := &snapshot.Snapshot{
		Applications:      []snapshot.Application{a},
		ServicePrincipals: []snapshot.ServicePrincipal{graph, sp},
		AppRoleAssignments: []snapshot.AppRoleAssignment{{ID: "ara", AppRoleID: mailRead, PrincipalID: sp.ID, PrincipalType: "ServicePrincipal",
			ResourceID: graphSPID, ResourceDisplayName: "Microsoft Graph"}},
		Grants: []snapshot.Grant{{ID: "g", ClientID: sp.ID, ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "Mail.ReadWrite"}},
	}
	res := evaluate(t, s, Options{})
	if len(of(res, PrivilegedApplicationPermission)) != 1 || len(of(res, TenantWidePrivilegedGrant)) != 1 {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestPrivilegedRoles(t *testing.T) {
	tests := []struct {
		name      string
		ra        snapshot.RoleAssignment
		wantLevel string
	}{
		{"Global Administrator for the tenant", snapshot.RoleAssignment{RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}, alert.LevelHigh},
		{"Global Administrator by its definition's template", snapshot.RoleAssignment{RoleDefinitionID: "custom-id", RoleDefinition: &snapshot.RoleDefinition{TemplateID: globalAdm}}, alert.LevelHigh},
		{"a privileged role in an administrative unit", snapshot.RoleAssignment{RoleDefinitionID: globalAdm, DirectoryScopeID: "/administrativeUnits/au1"}, alert.LevelMedium},
		{"Directory Readers", snapshot.RoleAssignment{RoleDefinitionID: dirReaders, DirectoryScopeID: "/"}, ""},
		{"a custom role", snapshot.RoleAssignment{RoleDefinitionID: "custom-id", RoleDefinition: &snapshot.RoleDefinition{DisplayName: "Helpdesk light"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sp := app("a")
			ra := tt.ra
			ra.ID, ra.PrincipalID = "ra-1", sp.ID
			user := snapshot.RoleAssignment{ID: "ra-2", PrincipalID: "user-1", RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}
			s := &snapshot.Snapshot{Applications: []snapshot.Application{a}, ServicePrincipals: []snapshot.ServicePrincipal{sp}, RoleAssignments: []snapshot.RoleAssignment{ra, user}}
			got := of(evaluate(t, s, Options{}), ServicePrincipalPrivilegedRole)
			if tt.wantLevel == "" {
				if len(got) != 0 {
					t.Errorf("findings = %+v", got)
				}
				return
			}
			role := got[0].Evidence["role"].(map[string]any)
			if len(got) != 1 || got[0].Level != tt.wantLevel || got[0].EventID != "sp-a" || got[0].GuideRow != "sp-role-assigned" ||
				role["name"] != "Global Administrator" || role["privileged"] != true {
				t.Errorf("findings = %+v", got)
			}
		})
	}
}

func TestPrivilegedAppUserOwners(t *testing.T) {
	user := snapshot.Owner{ODataType: "#microsoft.graph.user", ID: "u1", DisplayName: "Ada", UserPrincipalName: "ada@contoso.com"}
	untyped := snapshot.Owner{DisplayName: "Bob", UserPrincipalName: "bob@contoso.com"}
	spOwner := snapshot.Owner{ODataType: "#microsoft.graph.servicePrincipal", ID: "sp-x", DisplayName: "Deployer"}
	priv, privSP := app("priv")
	priv.Owners = []snapshot.Owner{user, spOwner}
	privSP.Owners = []snapshot.Owner{untyped}
	plain, plainSP := app("plain")
	plain.Owners = []snapshot.Owner{user}
	robot, robotSP := app("robot")
	robot.Owners = []snapshot.Owner{spOwner}
	s := &snapshot.Snapshot{
		Applications:      []snapshot.Application{plain, priv, robot},
		ServicePrincipals: []snapshot.ServicePrincipal{graphSP(), plainSP, privSP, robotSP},
		AppRoleAssignments: []snapshot.AppRoleAssignment{
			{ID: "ara", AppRoleID: roleMgmtRW, PrincipalID: privSP.ID, PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
		},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "ra", PrincipalID: robotSP.ID, RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}},
	}
	res := evaluate(t, s, Options{})
	got := of(res, PrivilegedAppUserOwner)
	if ids := targets(res, PrivilegedAppUserOwner); !slices.Equal(ids, []string{"app-priv", "sp-priv"}) {
		t.Fatalf("owner findings on %v, want the privileged app and its service principal", ids)
	}
	for _, f := range got {
		owners := items(t, f, "owners")
		want := map[string]string{"app-priv": "ada@contoso.com", "sp-priv": "bob@contoso.com"}[f.EventID]
		privs := f.Evidence["privileges"].(map[string]any)
		if len(owners) != 1 || owners[0]["upn"] != want || f.GuideRow != "owner-added" || privs["permissions"] == nil {
			t.Errorf("%s: owners %v privileges %v", f.EventID, owners, privs)
		}
	}
}

func TestPolicyLevelsAndSuppressions(t *testing.T) {
	a := web("a", "http://a.contoso.com/signin")
	b := web("b", "http://b.contoso.com/signin")
	pol := parsePolicy(t, `version: 1
severity:
  rules:
    redirect-uri-not-https: critical
suppressions:
  - rule: redirect-uri-not-https
    target: "App b"
    reason: Lab app, retired next month.
    expires: 2026-07-01
  - rule: redirect-uri-*
    target: app-a
    reason: Expired long ago.
    expires: 2026-01-01
`)
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a, b}, Domains: contoso()}, Options{Policy: pol})
	got := of(res, RedirectURINotHTTPS)
	if len(got) != 1 || got[0].EventID != "app-a" || got[0].Level != alert.LevelCritical {
		t.Errorf("findings = %+v", got)
	}
	if res.Suppressed[RedirectURINotHTTPS] != 1 {
		t.Errorf("suppressed = %v", res.Suppressed)
	}
}

func TestTextsInEveryLanguage(t *testing.T) {
	a := web("a", "http://a.contoso.com/signin")
	s := &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}
	titles := map[string]bool{}
	for _, lang := range []string{"en", "zh-TW", "it", "ja"} {
		f := of(evaluate(t, s, Options{Lang: lang}), RedirectURINotHTTPS)[0]
		if f.Title == "" || f.Description == "" || f.Remediation == "" || titles[f.Title] {
			t.Errorf("%s: %q / %q / %q", lang, f.Title, f.Description, f.Remediation)
		}
		titles[f.Title] = true
	}
}

func TestChecksCatalog(t *testing.T) {
	rows := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range Checks() {
		if ids[r.ID] {
			t.Errorf("check %s listed twice", r.ID)
		}
		ids[r.ID] = true
		rows[r.GuideRow] = true
		if !alert.ValidLevel(r.Level) || len(r.Attack) == 0 {
			t.Errorf("%s: level %q attack %v", r.ID, r.Level, r.Attack)
		}
		for _, lang := range []string{"en", "zh-TW", "it", "ja"} {
			tx, ok := r.Texts[lang]
			if !ok || tx.Title == "" || tx.Description == "" || tx.Remediation == "" {
				t.Errorf("%s: %s texts incomplete: %+v", r.ID, lang, tx)
			}
		}
		for _, c := range r.ID {
			if !('a' <= c && c <= 'z' || c == '-') {
				t.Errorf("check id %q is not kebab-case", r.ID)
				break
			}
		}
	}
	for _, row := range []string{"credential-lifetime", "credential-added", "redirect-uri-change", "dangling-uri", "logout-url-change",
		"tenant-wide-delegated-grant", "privileged-app-permission", "sp-role-assigned", "owner-added"} {
		if !rows[row] {
			t.Errorf("no check for guide row %s", row)
		}
	}
	c := Checks()
	c[0].Texts["en"] = alert.Text{Title: "changed"}
	c[0].Attack[0] = "changed"
	if r := Checks()[0]; r.Texts["en"].Title == "changed" || r.Attack[0] == "changed" {
		t.Error("Checks shares its tables with the caller")
	}
}
