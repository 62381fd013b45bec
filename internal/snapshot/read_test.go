package snapshot

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/appwatch/appwatch/internal/graph"
)

func TestRoundTrip(t *testing.T) {
	tn := genTenant(120)
	fg := newFakeGraph(t, tn)
	collected, err := Collect(context.Background(), fg.client(t, graph.Config{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if err := collected.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, c := range Collections() {
		if collected.Has(c) {
			checkListFile(t, filepath.Join(dir, string(c)+".json"), collected.Contexts[c])
		}
	}
	read, problems, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems reading our own snapshot: %v", problems)
	}
	compare(t, read, collected)

	// Writing what was read gives the same files.
	again := filepath.Join(t.TempDir(), "again")
	if err := read.Write(again); err != nil {
		t.Fatal(err)
	}
	for _, c := range Collections() {
		a, _ := os.ReadFile(filepath.Join(dir, string(c)+".json"))
		b, _ := os.ReadFile(filepath.Join(again, string(c)+".json"))
		if string(a) != string(b) {
			t.Errorf("%s differs after a second round trip", c)
		}
	}
}

// checkListFile checks that a written file is a Graph list response with
// the given context, readable by the Graph client's own page decoder.
func checkListFile(t *testing.T, path, context string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var ctx string
	json.Unmarshal(doc["@odata.context"], &ctx)
	if ctx != context || len(doc) != 2 || !strings.HasPrefix(strings.TrimSpace(string(doc["value"])), "[") {
		t.Errorf("%s: keys %v, context %q (want %q)", path, slices.Collect(mapKeys(doc)), ctx, context)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, fi.Mode())
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := (&Snapshot{}).Write(dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "domains.json"))
	if want := "{\n  \"@odata.context\": \"" + DefaultMetadata + "#domains\",\n  \"value\": []\n}\n"; string(data) != want {
		t.Errorf("domains.json = %q, want %q", data, want)
	}
	s, problems, err := Read(dir)
	core := slices.DeleteFunc(Collections(), func(c Collection) bool { return !Core(c) })
	if err != nil || len(problems) > 0 || s.Applications != nil || len(s.Contexts) != len(core) {
		t.Errorf("Read of an empty snapshot = %+v, %v, %v", s, problems, err)
	}
}

func TestReadForeignLayouts(t *testing.T) {
	s, problems, err := Read(filepath.Join("testdata", "foreign"))
	if err != nil {
		t.Fatal(err)
	}
	app := find(t, s.Applications, "0a000000-0000-4000-8000-000000000001", func(a Application) string { return a.ID })
	if app.DisplayName != "Payroll Export" || app.PublisherDomain != "fabrikam.example" || app.SignInAudience != "AzureADMultipleOrgs" {
		t.Errorf("PowerShell app merged with the expanded list = %+v", app)
	}
	if got := app.CreatedDateTime.Time; !got.Equal(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("/Date()/ created time = %v", got)
	}
	if pc := app.PasswordCredentials; len(pc) != 1 || pc[0].Hint != "Qx~" ||
		!pc[0].EndDateTime.Equal(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		!pc[0].StartDateTime.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("password credentials = %+v", pc)
	}
	if kc := app.KeyCredentials; len(kc) != 1 || kc[0].Type != "AsymmetricX509Cert" || kc[0].Usage != "Verify" {
		t.Errorf("key credentials = %+v", kc)
	}
	if app.Web == nil || len(app.Web.RedirectURIs) != 2 || app.Web.LogoutURL == "" || !app.Web.ImplicitGrantSettings.EnableAccessTokenIssuance {
		t.Errorf("web = %+v", app.Web)
	}
	if app.SPA == nil || app.SPA.RedirectURIs == nil || len(app.SPA.RedirectURIs) != 0 {
		t.Errorf("an empty spa redirect list must stay empty, not unknown: %+v", app.SPA)
	}
	if app.PublicClient == nil || !slices.Equal(app.PublicClient.RedirectURIs, []string{"http://localhost:8400"}) {
		t.Errorf("public client = %+v", app.PublicClient)
	}
	// The owner list saved apart wins over the owners expanded inline.
	if len(app.Owners) != 2 || app.Owners[0].UserPrincipalName != "dana@fabrikam.example" || app.Owners[1].Kind() != "servicePrincipal" {
		t.Errorf("owners = %+v", app.Owners)
	}
	bad := find(t, s.Applications, "0a000000-0000-4000-8000-000000000002", func(a Application) string { return a.ID })
	if bad.DisplayName != "Badly exported" || bad.Owners != nil {
		t.Errorf("app with a mangled owners value = %+v", bad)
	}
	portal := find(t, s.Applications, "0a000000-0000-4000-8000-000000000003", func(a Application) string { return a.ID })
	if portal.Owners == nil || len(portal.Owners) != 0 || len(portal.FederatedIdentityCredentials) != 1 ||
		portal.FederatedIdentityCredentials[0].Subject != "repo:fabrikam/helpdesk:environment:production" ||
		!portal.Web.ImplicitGrantSettings.EnableIDTokenIssuance || len(portal.RequiredResourceAccess) != 1 {
		t.Errorf("single object merged with its credentials and empty owners = %+v", portal)
	}
	sp := find(t, s.ServicePrincipals, "5b000000-0000-4000-8000-000000000009", func(v ServicePrincipal) string { return v.ID })
	if sp.AccountEnabled == nil || *sp.AccountEnabled || sp.PreferredSingleSignOnMode != "saml" || sp.Owners == nil || len(sp.Owners) != 0 {
		t.Errorf("service principal 9 = %+v", sp)
	}
	if len(s.ServicePrincipals) != 2 || len(s.Grants) != 2 || len(s.AppRoleAssignments) != 1 || len(s.Domains) != 0 {
		t.Errorf("counts: %d service principals, %d grants, %d assignments, %d domains",
			len(s.ServicePrincipals), len(s.Grants), len(s.AppRoleAssignments), len(s.Domains))
	}
	if g := find(t, s.Grants, "grant-one-user", func(g Grant) string { return g.ID }); !slices.Equal(g.Scopes(), []string{"offline_access", "Files.ReadWrite.All"}) {
		t.Errorf("scopes = %q", g.Scopes())
	}
	if len(s.RoleAssignments) != 1 || s.RoleAssignments[0].PrincipalID != "5b000000-0000-4000-8000-000000000009" ||
		s.RoleAssignments[0].RoleDefinition.DisplayName != "Application Administrator" {
		t.Errorf("role assignments from directory role members = %+v", s.RoleAssignments)
	}
	wantProblems := map[string]string{
		"broken.json":          "not valid JSON",
		"users.json":           "holds users",
		"orphan-owners.json":   "does not say whose",
		"powershell-apps.json": "left out owners",
	}
	if len(problems) != len(wantProblems) {
		t.Errorf("problems = %v, want %d", problems, len(wantProblems))
	}
	for _, p := range problems {
		if want := wantProblems[filepath.Base(p.File)]; want == "" || !strings.Contains(p.Reason, want) {
			t.Errorf("unexpected problem %s", p)
		}
	}
}

func find[T any](t *testing.T, items []T, id string, key func(T) string) T {
	t.Helper()
	i := slices.IndexFunc(items, func(v T) bool { return key(v) == id })
	if i < 0 {
		t.Fatalf("%s not found", id)
	}
	return items[i]
}

func TestReadUTF16(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "foreign", "powershell-sps-value.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := Read(filepath.Join("testdata", "foreign", "powershell-sps-value.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, bom := range map[string][]byte{"le": {0xFF, 0xFE}, "be": {0xFE, 0xFF}, "utf8": {0xEF, 0xBB, 0xBF}} {
		var enc []byte
		if name == "utf8" {
			enc = append(bom, data...)
		} else {
			enc = bom
			for _, u := range utf16.Encode([]rune(string(data))) {
				if name == "le" {
					enc = append(enc, byte(u), byte(u>>8))
				} else {
					enc = append(enc, byte(u>>8), byte(u))
				}
			}
		}
		path := filepath.Join(t.TempDir(), "sps.json")
		os.WriteFile(path, enc, 0o600)
		got, problems, err := Read(path)
		if err != nil || len(problems) > 0 {
			t.Fatalf("%s: %v, %v", name, problems, err)
		}
		if len(got.ServicePrincipals) != 2 {
			t.Errorf("%s: %d service principals", name, len(got.ServicePrincipals))
		}
		compare(t, got, want)
	}
}

func TestReadErrors(t *testing.T) {
	if _, _, err := Read(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing path")
	}
	s, problems, err := Read()
	if err != nil || len(problems) > 0 || s.Applications != nil {
		t.Errorf("Read() = %+v, %v, %v", s, problems, err)
	}
}

func TestParseContext(t *testing.T) {
	const m = "https://graph.microsoft.com/v1.0/$metadata#"
	for ctx, want := range map[string]target{
		"":                                   {},
		"no hash":                            {},
		m + "applications":                   {kind: kindApplication, path: "applications"},
		m + "applications(id,appId)":         {kind: kindApplication, path: "applications(id,appId)"},
		m + "applications/$entity":           {kind: kindApplication, path: "applications/$entity"},
		m + "servicePrincipals(id,appRoles)": {kind: kindServicePrincipal, path: "servicePrincipals(id,appRoles)"},
		m + "oauth2PermissionGrants":         {kind: kindGrant, path: "oauth2PermissionGrants"},
		m + "appRoleAssignments":             {kind: kindAppRoleAssignment, path: "appRoleAssignments"},
		m + "domains":                        {kind: kindDomain, path: "domains"},
		m + "directoryObjects":               {kind: kindUnknown, path: "directoryObjects"},
		m + "users":                          {kind: kindForeign, path: "users"},
		m + "auditLogs/directoryAudits":      {kind: kindForeign, path: "auditLogs/directoryAudits"},
		m + "directoryObjects/microsoft.graph.servicePrincipal":          {kind: kindServicePrincipal, path: "directoryObjects/microsoft.graph.servicePrincipal"},
		m + "roleManagement/directory/roleAssignments(roleDefinition())": {kind: kindRoleAssignment, path: "roleManagement/directory/roleAssignments(roleDefinition())"},
		m + "servicePrincipals('8e88-x')/appRoleAssignedTo":              {kind: kindAppRoleAssignment, path: "servicePrincipals('8e88-x')/appRoleAssignedTo"},
		m + "applications('it''s')/owners":                               {kind: kindOwner, parent: kindApplication, parentID: "it's", path: "applications('it''s')/owners"},
		m + "servicePrincipals(5b000000-0000-4000-8000-000000000009)/owners": {kind: kindOwner, parent: kindServicePrincipal,
			parentID: "5b000000-0000-4000-8000-000000000009", path: "servicePrincipals(5b000000-0000-4000-8000-000000000009)/owners"},
		m + "applications(id)/owners": {kind: kindOwner, parent: kindApplication, path: "applications(id)/owners"},
		m + "applications('a/b')/federatedIdentityCredentials/$entity": {kind: kindFederatedCredential, parent: kindApplication,
			parentID: "a/b", path: "applications('a/b')/federatedIdentityCredentials/$entity"},
	} {
		if got := parseContext(ctx); got != want {
			t.Errorf("parseContext(%q) = %+v, want %+v", ctx, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	for obj, want := range map[string]kind{
		`{"@odata.type":"#microsoft.graph.servicePrincipal","id":"x"}`:                                kindServicePrincipal,
		`{"@odata.type":"#microsoft.graph.group","id":"x"}`:                                           kindOwner,
		`{"id":"x","appId":"y","servicePrincipalType":"Application","signInAudience":"AzureADMyOrg"}`: kindServicePrincipal,
		`{"Id":"x","AppId":"y","SignInAudience":"AzureADMyOrg"}`:                                      kindApplication,
		`{"id":"x","appId":"y","keyCredentials":[]}`:                                                  kindUnknown,
		`{"clientId":"c","consentType":"Principal","id":"g"}`:                                         kindGrant,
		`{"appRoleId":"r","principalId":"p","resourceId":"s","id":"a"}`:                               kindAppRoleAssignment,
		`{"roleDefinitionId":"r","principalId":"p","id":"a"}`:                                         kindRoleAssignment,
		`{"issuer":"i","subject":"s","audiences":[]}`:                                                 kindFederatedCredential,
		`{"id":"contoso.com","isVerified":true}`:                                                      kindDomain,
		`{"id":"r","roleTemplateId":"t"}`:                                                             kindDirectoryRole,
		`{"userPrincipalName":"a@b"}`:                                                                 kindOwner,
		`[1]`:                                                                                         kindUnknown,
	} {
		if got := classify(json.RawMessage(obj)); got != want {
			t.Errorf("classify(%s) = %v, want %v", obj, got, want)
		}
	}
}

// TestReadGoesOn checks that a file that cannot be opened, or a directory
// that cannot be listed, is a problem that loses data while the rest is
// read, and that a recognised list appwatch does not evaluate loses none.
func TestReadGoesOn(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join("testdata", "foreign", "powershell-sps-value.json"))
	if err != nil {
		t.Fatal(err)
	}
	mustWriteFile(t, filepath.Join(dir, "sps.json"), good)
	mustWriteFile(t, filepath.Join(dir, "users.json"), []byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[]}`))
	if err := os.Symlink(filepath.Join(dir, "removed.json"), filepath.Join(dir, "gone.json")); err != nil {
		t.Fatal(err)
	}
	s, problems, err := Read(dir)
	if err != nil {
		t.Fatalf("a file that cannot be opened stopped the read: %v", err)
	}
	if len(s.ServicePrincipals) != 2 {
		t.Errorf("%d service principals read beside the broken link, want 2", len(s.ServicePrincipals))
	}
	if len(problems) != 2 || Unread(problems) != 1 {
		t.Fatalf("problems = %+v, want one unread (gone.json) and one ignored (users.json)", problems)
	}
	for _, p := range problems {
		switch filepath.Base(p.File) {
		case "gone.json":
			if p.Ignored || !strings.Contains(p.Reason, "cannot be read") {
				t.Errorf("broken link: %+v", p)
			}
		case "users.json":
			if !p.Ignored {
				t.Errorf("a list of users loses no data: %+v", p)
			}
		default:
			t.Errorf("unexpected problem %+v", p)
		}
	}
}

// TestReadUnlistableDirectory is TestReadGoesOn with a directory that
// cannot be listed, which only an unprivileged user can be denied.
func TestReadUnlistableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	mustWriteFile(t, filepath.Join(locked, "apps.json"), []byte(`[]`))
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	_, problems, err := Read(dir)
	if err != nil || Unread(problems) != 1 || problems[0].File != locked {
		t.Errorf("Read = %+v, %v; want one problem naming %s", problems, err, locked)
	}
}

func mustWriteFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
