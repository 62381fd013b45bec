package snapdiff

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// Ids of the test tenant's objects.
const (
	appID       = "11111111-1111-4111-8111-111111111111" // the app registration's object id
	appAppID    = "22222222-2222-4222-8222-222222222222"
	spID        = "33333333-3333-4333-8333-333333333333" // its service principal
	graphSPID   = "44444444-4444-4444-8444-444444444444" // Microsoft Graph's
	graphAppID  = "00000003-0000-0000-c000-000000000000"
	roleMgmtID  = "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8" // RoleManagement.ReadWrite.Directory
	accessRevID = "d07a8cc0-3d51-4b77-b3b0-32704d1f69fa" // AccessReview.Read.All, low
	globalAdmin = "62e90394-69f5-4237-9190-012177145e10"
	aiAdmin     = "d2562ede-74db-457e-a7b6-544e236ebb61"
)

var (
	t1 = time.Date(2026, 5, 4, 6, 0, 0, 0, time.UTC)
	t2 = t1.Add(6 * time.Hour)
)

func ts(t time.Time) snapshot.Time { return snapshot.Time{Time: t} }

// base is the tenant at the first snapshot.
func base() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Applications: []snapshot.Application{{
			ID: appID, AppID: appAppID, DisplayName: "Payroll Sync",
			IdentifierURIs:      []string{"api://" + appAppID},
			KeyCredentials:      []snapshot.Credential{{KeyID: "aaaaaaaa-0000-4000-8000-000000000001", Type: "AsymmetricX509Cert", Usage: "Verify"}},
			PasswordCredentials: []snapshot.Credential{},
			Web:                 &snapshot.Web{RedirectURIs: []string{"https://payroll.contoso.com/auth"}, LogoutURL: "https://payroll.contoso.com/logout"},
			SPA:                 &snapshot.RedirectURIs{RedirectURIs: []string{}},
			PublicClient:        &snapshot.RedirectURIs{RedirectURIs: []string{}},
			Owners:              []snapshot.Owner{{ODataType: "#microsoft.graph.user", ID: "owner-1", UserPrincipalName: "ana@contoso.com"}},
		}},
		ServicePrincipals: []snapshot.ServicePrincipal{
			{ID: spID, AppID: appAppID, DisplayName: "Payroll Sync", ServicePrincipalType: "Application",
				KeyCredentials: []snapshot.Credential{}, PasswordCredentials: []snapshot.Credential{}, Owners: []snapshot.Owner{}},
			{ID: graphSPID, AppID: graphAppID, DisplayName: "Microsoft Graph", ServicePrincipalType: "Application",
				AppRoles: []snapshot.AppRole{{ID: roleMgmtID, Value: "RoleManagement.ReadWrite.Directory", AllowedMemberTypes: []string{"Application"}}}},
		},
		Grants: []snapshot.Grant{{ID: "grant-1", ClientID: spID, ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "User.Read"}},
		AppRoleAssignments: []snapshot.AppRoleAssignment{{ID: "ara-1", AppRoleID: accessRevID, PrincipalID: spID, PrincipalType: "ServicePrincipal",
			ResourceID: graphSPID, ResourceDisplayName: "Microsoft Graph"}},
		RoleAssignments:   []snapshot.RoleAssignment{},
		RoleEligibilities: []snapshot.RoleAssignment{},
		Domains:           []snapshot.Domain{{ID: "contoso.com", IsVerified: true}},
		Contexts: map[snapshot.Collection]string{
			snapshot.Applications: "x", snapshot.ServicePrincipals: "x", snapshot.Grants: "x",
			snapshot.AppRoleAssignments: "x", snapshot.RoleAssignments: "x", snapshot.Domains: "x",
			snapshot.RoleEligibilities: "x",
		},
	}
}

// clone returns a deep copy of s.
func clone(t *testing.T, s *snapshot.Snapshot) *snapshot.Snapshot {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var c snapshot.Snapshot
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func diff(t *testing.T, old, new *snapshot.Snapshot) *Result {
	t.Helper()
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Diff(old, new, Options{Ref: ref, Old: Side{Time: t1, Source: "old"}, New: Side{Time: t2, Source: "new"}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIdenticalSnapshots(t *testing.T) {
	s := base()
	if res := diff(t, s, clone(t, s)); len(res.Changes) != 0 {
		t.Errorf("changes between identical snapshots: %+v", res.Changes)
	}
}

// TestEachChange makes each kind of change to the base tenant and
// expects exactly the alerts it should raise.
func TestEachChange(t *testing.T) {
	type want struct {
		rule, level, row, key string
		// evidence holds a fragment of the evidence's JSON.
		evidence string
	}
	tests := []struct {
		name   string
		change func(s *snapshot.Snapshot)
		want   []want
	}{
		{"secret added to the app", func(s *snapshot.Snapshot) {
			s.Applications[0].PasswordCredentials = append(s.Applications[0].PasswordCredentials,
				snapshot.Credential{KeyID: "BBBBBBBB-0000-4000-8000-000000000002", DisplayName: "ci", StartDateTime: ts(t1.Add(time.Hour))})
		}, []want{{CredentialAdded, "high", "credential-added", "credential/" + appID + "/bbbbbbbb-0000-4000-8000-000000000002",
			`"credential":{"added":[{"display_name":"ci","key_id":"BBBBBBBB-0000-4000-8000-000000000002","kind":"secret","start":"2026-05-04T07:00:00Z","type":"Password"}],"on":"application"}`}}},
		{"certificate added to the service principal", func(s *snapshot.Snapshot) {
			s.ServicePrincipals[0].KeyCredentials = append(s.ServicePrincipals[0].KeyCredentials, snapshot.Credential{KeyID: "cccccccc-0000-4000-8000-000000000003", Type: "AsymmetricX509Cert"})
		}, []want{{CredentialAdded, "high", "credential-added", "credential/" + spID + "/cccccccc-0000-4000-8000-000000000003", `"on":"service_principal"`}}},
		{"wildcard redirect URI added, one removed", func(s *snapshot.Snapshot) {
			s.Applications[0].Web.RedirectURIs = []string{"https://*.azurewebsites.net/auth"}
		}, []want{
			{RedirectURIChanged, "high", "redirect-uri-change", "redirect/" + appID + "/added/web/https://*.azurewebsites.net/auth", `"redirect_added":[{"issues":["wildcard"`},
			{RedirectURIChanged, "low", "redirect-uri-change", "redirect/" + appID + "/removed/web/https://payroll.contoso.com/auth", `"redirect_removed":[{"platform":"web","uri":"https://payroll.contoso.com/auth"}]`},
		}},
		{"spa redirect URI added on an owned domain", func(s *snapshot.Snapshot) {
			s.Applications[0].SPA.RedirectURIs = []string{"https://app.contoso.com/"}
		}, []want{{RedirectURIChanged, "medium", "redirect-uri-change", "redirect/" + appID + "/added/spa/https://app.contoso.com/", `"platform":"spa"`}}},
		{"identifier URI added", func(s *snapshot.Snapshot) {
			s.Applications[0].IdentifierURIs = append(s.Applications[0].IdentifierURIs, "https://payroll.fabrikam.net")
		}, []want{{IdentifierURIChanged, "high", "appid-uri-change", "identifier/" + appID + "/added//https://payroll.fabrikam.net", `"identifier_added":[{"issues":["not_owned_domain"],"uri":"https://payroll.fabrikam.net"}]`}}},
		{"logout URL blanked", func(s *snapshot.Snapshot) {
			s.Applications[0].Web.LogoutURL = ""
		}, []want{{LogoutURLChanged, "medium", "logout-url-change", "logout/" + appID + "/https://payroll.contoso.com/logout\x00", `"logout_new":"","logout_old":"https://payroll.contoso.com/logout"`}}},
		{"owner added to both", func(s *snapshot.Snapshot) {
			o := snapshot.Owner{ODataType: "#microsoft.graph.user", ID: "Owner-2", DisplayName: "Eve", UserPrincipalName: "eve@fabrikam.net"}
			s.Applications[0].Owners = append(s.Applications[0].Owners, o)
			s.ServicePrincipals[0].Owners = append(s.ServicePrincipals[0].Owners, o)
		}, []want{
			{OwnerAdded, "medium", "owner-added", "owner/" + appID + "/owner-2", `"owner":{"id":"Owner-2","name":"Eve","type":"user","upn":"eve@fabrikam.net"}`},
			{OwnerAdded, "medium", "owner-added", "owner/" + spID + "/owner-2", `"upn":"eve@fabrikam.net"`},
		}},
		{"privileged application permission granted", func(s *snapshot.Snapshot) {
			s.AppRoleAssignments = append(s.AppRoleAssignments, snapshot.AppRoleAssignment{ID: "ara-2", AppRoleID: roleMgmtID, PrincipalID: spID,
				PrincipalType: "ServicePrincipal", ResourceID: graphSPID, CreatedDateTime: ts(t1.Add(2 * time.Hour))})
			// A low permission granted as well raises nothing.
			s.AppRoleAssignments = append(s.AppRoleAssignments, snapshot.AppRoleAssignment{ID: "ara-3", AppRoleID: accessRevID, PrincipalID: spID,
				PrincipalType: "ServicePrincipal", ResourceID: graphSPID})
		}, []want{{PrivilegedPermissionGranted, "critical", "privileged-app-permission", "app-permission/ara-2", `"value":"RoleManagement.ReadWrite.Directory"`}}},
		{"privileged scope added to a tenant-wide grant", func(s *snapshot.Snapshot) {
			s.Grants[0].Scope = "User.Read Directory.ReadWrite.All"
		}, []want{{TenantWideGrantAdded, "critical", "tenant-wide-delegated-grant", "grant/grant-1/directory.readwrite.all", `"consent_type":"AllPrincipals"`}}},
		{"roles assigned to the service principal", func(s *snapshot.Snapshot) {
			s.RoleAssignments = append(s.RoleAssignments,
				snapshot.RoleAssignment{ID: "ra-1", PrincipalID: spID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"},
				snapshot.RoleAssignment{ID: "ra-2", PrincipalID: spID, RoleDefinitionID: aiAdmin, DirectoryScopeID: "/"})
			s.RoleEligibilities = append(s.RoleEligibilities,
				snapshot.RoleAssignment{ID: "re-1", PrincipalID: spID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"})
		}, []want{
			{RoleAssigned, "high", "sp-role-assigned", "role/ra-1", `"name":"Global Administrator","privileged":true`},
			{RoleAssigned, "medium", "sp-role-assigned", "role/ra-2", `"privileged":false`},
			{RoleAssigned, "high", "sp-role-assigned", "role/re-1", `"assignment":"eligible"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := base()
			new := clone(t, old)
			tt.change(new)
			res := diff(t, old, new)
			if len(res.Changes) != len(tt.want) {
				var got []string
				for _, c := range res.Changes {
					got = append(got, c.Alert.RuleID+" "+c.Key)
				}
				t.Fatalf("%d changes, want %d:\n%s", len(res.Changes), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				c := res.Changes[i]
				a := c.Alert
				ev, _ := json.Marshal(a.Evidence)
				if a.RuleID != w.rule || a.Level != w.level || a.GuideRow != w.row || c.Key != w.key || !strings.Contains(string(ev), w.evidence) {
					t.Errorf("change %d: %s %s %s %q\n%s\nwant %s %s %s %q with %s", i, a.RuleID, a.Level, a.GuideRow, c.Key, ev, w.rule, w.level, w.row, w.key, w.evidence)
				}
				if !strings.Contains(string(ev), `"found_by":"snapshot-comparison"`) || !strings.Contains(string(ev), `"old":{"source":"old","taken":"2026-05-04T06:00:00Z"}`) {
					t.Errorf("change %d: evidence %s does not say it was found by comparing the snapshots", i, ev)
				}
				if a.Title == "" || a.Description == "" || a.Remediation == "" || len(a.Attack) == 0 || a.Source.Format != SourceFormat {
					t.Errorf("change %d: incomplete alert %+v", i, a)
				}
			}
		})
	}
}

// TestChangeTimes dates a change by the object when its date falls
// between the snapshots, and by the new snapshot otherwise.
func TestChangeTimes(t *testing.T) {
	old := base()
	new := clone(t, old)
	new.Applications[0].PasswordCredentials = []snapshot.Credential{
		{KeyID: "k-in", StartDateTime: ts(t1.Add(time.Hour))},
		{KeyID: "k-before", StartDateTime: ts(t1.Add(-48 * time.Hour))},
	}
	var got []string
	for _, c := range diff(t, old, new).Changes {
		got = append(got, c.Alert.Time)
	}
	slices.Sort(got)
	want := []string{alert.FormatTime(t1.Add(time.Hour)), alert.FormatTime(t2)}
	if !slices.Equal(got, want) {
		t.Errorf("times %v, want %v", got, want)
	}
}

// TestPartialSnapshots compares nothing that one of the snapshots did
// not read, and nothing about objects new in the second.
func TestPartialSnapshots(t *testing.T) {
	old := base()
	old.Applications[0].Owners = nil
	old.RoleAssignments = nil
	delete(old.Contexts, snapshot.RoleAssignments)
	new := clone(t, base())
	new.Applications[0].Owners = append(new.Applications[0].Owners, snapshot.Owner{ID: "owner-2"})
	new.RoleAssignments = []snapshot.RoleAssignment{{ID: "ra-1", PrincipalID: spID, RoleDefinitionID: globalAdmin}}
	other := new.Applications[0]
	other.ID, other.PasswordCredentials = "55555555-5555-4555-8555-555555555555", []snapshot.Credential{{KeyID: "k-1"}}
	new.Applications = append(new.Applications, other)
	if res := diff(t, old, new); len(res.Changes) != 0 {
		t.Errorf("changes %+v, want none", res.Changes)
	}
}

func TestRules(t *testing.T) {
	rs := Rules()
	if len(rs) != len(rules()) {
		t.Fatalf("%d rules", len(rs))
	}
	for _, r := range rs {
		for _, lang := range []string{"en", "zh-TW", "it", "ja"} {
			if tx, ok := r.Texts[lang]; !ok || tx.Title == "" || tx.Description == "" || tx.Remediation == "" {
				t.Errorf("%s: no complete %s text", r.ID, lang)
			}
		}
		if !alert.ValidLevel(r.Level) || r.GuideRow == "" {
			t.Errorf("%s: level %q, row %q", r.ID, r.Level, r.GuideRow)
		}
	}
}

// TestPolicy applies the policy's levels and suppressions to changes.
func TestPolicy(t *testing.T) {
	pol, diags, err := policy.Parse("policy.yaml", []byte(`version: 1
severity:
  rules:
    snapshot-owner-added: high
suppressions:
  - rule: snapshot-credential-*
    target: Payroll Sync
    reason: Rotated by the pipeline every week.
    expires: 2099-01-01
`))
	if err != nil {
		t.Fatal(err, diags)
	}
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	old := base()
	new := clone(t, old)
	new.Applications[0].PasswordCredentials = []snapshot.Credential{{KeyID: "k-1"}}
	new.Applications[0].Owners = append(new.Applications[0].Owners, snapshot.Owner{ID: "owner-2"})
	res, err := Diff(old, new, Options{Ref: ref, Policy: pol, New: Side{Time: t2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Alert.RuleID != OwnerAdded || res.Changes[0].Alert.Level != alert.LevelHigh {
		t.Errorf("changes %+v, want the owner added, at high", res.Changes)
	}
	if res.Suppressed[CredentialAdded] != 1 {
		t.Errorf("suppressed %v, want the credential", res.Suppressed)
	}
}
