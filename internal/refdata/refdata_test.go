package refdata

import (
	"slices"
	"testing"
)

const (
	graphID = "00000003-0000-0000-c000-000000000000"
	exoID   = "00000002-0000-0ff1-ce00-000000000000"
	spoID   = "00000003-0000-0ff1-ce00-000000000000"
	aadID   = "00000002-0000-0000-c000-000000000000"
)

func mustLoad(t testing.TB) *Data {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func TestVersion(t *testing.T) {
	if got := mustLoad(t).Version(); got != "2026-12-07" {
		t.Errorf("Version() = %q, want 2026-12-07", got)
	}
}

func TestAPI(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		in      string
		wantKey string // "" means not found
	}{
		{graphID, "graph"},
		{"00000003-0000-0000-C000-000000000000", "graph"},
		{"Microsoft Graph", "graph"},
		{"  microsoft graph ", "graph"},
		{"https://graph.microsoft.com", "graph"},
		{"https://graph.microsoft.com/", "graph"},
		{"00000003-0000-0000-c000-000000000000/ags.windows.net", "graph"},
		{exoID, "exo"},
		{"Office 365 Exchange Online", "exo"},
		{"https://outlook.office365.com", "exo"},
		{"Microsoft.Exchange", "exo"},
		{spoID, "spo"},
		{"00000003-0000-0ff1-ce00-000000000000/contoso.sharepoint.com", "spo"},
		{"https://contoso.sharepoint.com/sites/finance", "spo"},
		{"contoso-my.sharepoint.com", "spo"},
		{"Windows Azure Active Directory", "aadgraph"},
		{"https://graph.windows.net/", "aadgraph"},
		{"Azure Resource Manager", "arm"},
		{"Windows Azure Service Management API", "arm"},
		{"https://myvault.vault.azure.net", "keyvault"},
		{"Azure Key Vault", "keyvault"},
		{"e406a681-f3d4-42a8-90b6-c2b029497af1", "storage"},
		// The TargetId.ServicePrincipalNames value of a real audit record.
		{"https://outlook.office.com;https://ps.outlook.com;Office 365 Exchange Online;Microsoft.Exchange", "exo"},
		{"a70a7931-c387-4dce-9f35-fbf95bdcc91e;https://identity.azure.net/x", ""},
		{"https://example.com", ""},
		{"sharepoint.com.evil.example", ""},
		{"", ""},
		{";;", ""},
	}
	for _, tt := range tests {
		got, ok := d.API(tt.in)
		if ok != (tt.wantKey != "") || got.Key != tt.wantKey {
			t.Errorf("API(%q) = %q, %v; want %q", tt.in, got.Key, ok, tt.wantKey)
		}
	}
}

func TestAPIFields(t *testing.T) {
	d := mustLoad(t)
	g, ok := d.API("graph.microsoft.com")
	if ok {
		t.Errorf("a bare host that is not an alias should not match, got %q", g.Key)
	}
	g, _ = d.API(graphID)
	if g.AppID != graphID || g.Name != "Microsoft Graph" || !g.Sensitive {
		t.Errorf("Graph API = %+v", g)
	}
	g.Aliases[0] = "changed"
	again, _ := d.API(graphID)
	if again.Aliases[0] == "changed" {
		t.Error("API returned an alias slice shared with the data")
	}
	if s, _ := d.API("Skype for Business Online"); s.Sensitive {
		t.Error("Skype for Business Online should not be sensitive")
	}
}

// known returns the permission Classify finds in the data for idOrValue
// on resource, and false when the data does not hold it.
func known(d *Data, resource string, typ PermissionType, idOrValue string) (Permission, bool) {
	p := d.Classify(resource, typ, idOrValue)
	return p, p.Known
}

func TestPermissionLookup(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		resource string
		typ      PermissionType
		in       string
		wantID   string
		wantVal  string
	}{
		{graphID, Application, "df021288-bdef-4463-88db-98f22de89214", "df021288-bdef-4463-88db-98f22de89214", "User.Read.All"},
		{graphID, Application, "user.read.all", "df021288-bdef-4463-88db-98f22de89214", "User.Read.All"},
		{graphID, Delegated, "User.Read.All", "a154be20-db9c-4678-8ab7-66f6cc099a59", "User.Read.All"},
		{graphID, Application, "Mail.ReadWrite", "e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite"},
		{graphID, Delegated, "MAIL.READWRITE", "024d486e-b451-40bb-833d-3e66d98c5c73", "Mail.ReadWrite"},
		{graphID, Delegated, "E1FE6DD8-BA31-4D61-89E7-88639DA4683D", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read"},
		{"Microsoft Graph", Application, "242607bd-1d2c-432c-82eb-bdb27baa23ab", "242607bd-1d2c-432c-82eb-bdb27baa23ab", "TeamSettings.Read.All"},
		{"https://graph.microsoft.com", Application, "RoleManagement.ReadWrite.Directory", "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "RoleManagement.ReadWrite.Directory"},
		{graphID, Application, "Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All"},
		{exoID, Application, "full_access_as_app", "dc890d15-9560-4a4c-9b7f-a736ec74ec40", "full_access_as_app"},
		{"Office 365 Exchange Online", Application, "SMTP.SendAsApp", "7146a1f0-8703-45b3-9eae-527a64c00995", "SMTP.SendAsApp"},
		{spoID, Application, "Sites.FullControl.All", "678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All"},
		{aadID, Application, "Application.ReadWrite.All", "1cda74f2-2616-4834-b122-5cb1b07f8a59", "Application.ReadWrite.All"},
		{aadID, Application, "abefe9df-d5a9-41c6-a60b-27b38eac3efb", "abefe9df-d5a9-41c6-a60b-27b38eac3efb", "Domain.ReadWrite.All"},
	}
	for _, tt := range tests {
		p, ok := known(d, tt.resource, tt.typ, tt.in)
		if !ok || p.ID != tt.wantID || p.Value != tt.wantVal || p.Type != tt.typ {
			t.Errorf("%s(%q, %q) = %+v, %v; want id %s value %s", tt.typ, tt.resource, tt.in, p, ok, tt.wantID, tt.wantVal)
		}
	}
	if _, ok := known(d, graphID, Delegated, "df021288-bdef-4463-88db-98f22de89214"); ok {
		t.Error("an app role id must not resolve as a scope")
	}
	if _, ok := known(d, graphID, Application, "User.Read"); ok {
		t.Error("User.Read is a scope, not an app role")
	}
	if _, ok := known(d, "https://example.com", Application, "User.Read.All"); ok {
		t.Error("lookup on an unknown API succeeded")
	}
}

func TestPermissionLevels(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		resource string
		typ      PermissionType
		value    string
		want     Level
	}{
		{graphID, Application, "RoleManagement.ReadWrite.Directory", LevelCritical},
		{graphID, Application, "AppRoleAssignment.ReadWrite.All", LevelCritical},
		{graphID, Application, "Application.ReadWrite.All", LevelCritical},
		{graphID, Application, "Directory.ReadWrite.All", LevelCritical},
		{graphID, Application, "ServicePrincipalEndpoint.ReadWrite.All", LevelCritical},
		{graphID, Application, "Policy.ReadWrite.ConditionalAccess", LevelCritical},
		{graphID, Delegated, "Policy.ReadWrite.PermissionGrant", LevelCritical},
		{graphID, Application, "UserAuthenticationMethod.ReadWrite.All", LevelCritical},
		{graphID, Application, "Sites.FullControl.All", LevelCritical},
		{exoID, Application, "full_access_as_app", LevelCritical},
		{spoID, Application, "Sites.FullControl.All", LevelCritical},
		{aadID, Application, "Directory.ReadWrite.All", LevelCritical},
		{graphID, Application, "Application.ReadWrite.OwnedBy", LevelHigh},
		{graphID, Application, "Mail.Read", LevelHigh},
		{graphID, Delegated, "Mail.ReadWrite", LevelHigh},
		{graphID, Application, "Mail.Send", LevelHigh},
		{graphID, Application, "Files.Read.All", LevelHigh},
		{graphID, Application, "Sites.Read.All", LevelHigh},
		{graphID, Application, "User.ReadWrite.All", LevelHigh},
		{graphID, Application, "Group.ReadWrite.All", LevelHigh},
		{graphID, Application, "Calendars.Read", LevelHigh},
		{graphID, Application, "DeviceLocalCredential.Read.All", LevelHigh},
		{exoID, Application, "Exchange.ManageAsApp", LevelHigh},
		{exoID, Application, "SMTP.SendAsApp", LevelHigh},
		{graphID, Delegated, "User.Read", LevelLow},
		{graphID, Delegated, "openid", LevelLow},
		{graphID, Delegated, "offline_access", LevelLow},
		{graphID, Delegated, "Calendars.Read", LevelLow},
		{graphID, Application, "TeamSettings.Read.All", LevelLow},
		{graphID, Application, "Application.Read.All", LevelLow},
		{graphID, Application, "Files.ReadWrite.AppFolder", LevelLow},
	}
	for _, tt := range tests {
		p := d.Classify(tt.resource, tt.typ, tt.value)
		if !p.Known || p.Level != tt.want {
			t.Errorf("Classify(%s, %s, %s) = %s (known %v), want %s", tt.resource, tt.typ, tt.value, p.Level, p.Known, tt.want)
		}
	}
}

func TestConsent(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		resource string
		typ      PermissionType
		value    string
		want     Consent
	}{
		{graphID, Application, "User.Read.All", ConsentAdmin},
		{graphID, Delegated, "User.Read", ConsentUser},
		{graphID, Delegated, "Mail.ReadWrite", ConsentUser},
		{graphID, Delegated, "Directory.Read.All", ConsentAdmin},
		{exoID, Delegated, "EWS.AccessAsUser.All", ConsentUnknown},
	}
	for _, tt := range tests {
		p := d.Classify(tt.resource, tt.typ, tt.value)
		if p.Consent != tt.want {
			t.Errorf("consent of %s %s = %q, want %q", tt.typ, tt.value, p.Consent, tt.want)
		}
	}
}

func TestClassifyFallback(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		resource  string
		typ       PermissionType
		in        string
		want      Level
		wantID    string
		wantValue string
	}{
		{graphID, Application, "Widget.ReadWrite.All", LevelHigh, "", "Widget.ReadWrite.All"},
		{graphID, Delegated, "Widget.Read", LevelLow, "", "Widget.Read"},
		{graphID, Application, "Policy.ReadWrite.SomethingNew", LevelCritical, "", "Policy.ReadWrite.SomethingNew"},
		{graphID, Delegated, "UserAuthMethod-Future.ReadWrite.All", LevelCritical, "", "UserAuthMethod-Future.ReadWrite.All"},
		{graphID, Application, "Calendars.ReadSomething", LevelHigh, "", "Calendars.ReadSomething"},
		{graphID, Delegated, "Calendars.ReadSomething", LevelLow, "", "Calendars.ReadSomething"},
		{exoID, Application, "Mail.Read", LevelHigh, "", "Mail.Read"},
		{"https://management.azure.com", Delegated, "user_impersonation", LevelHigh, "41094075-9dad-400e-a0bd-54e686782033", "user_impersonation"},
		{graphID, Application, "11111111-2222-3333-4444-555555555555", LevelUnknown, "11111111-2222-3333-4444-555555555555", ""},
		{graphID, Application, "", LevelUnknown, "", ""},
		{"Skype for Business Online", Delegated, "Widget.ReadWrite.All", LevelLow, "", "Widget.ReadWrite.All"},
		{"api://contoso-orders", Delegated, "Orders.ReadWrite.All", LevelUnknown, "", "Orders.ReadWrite.All"},
	}
	for _, tt := range tests {
		p := d.Classify(tt.resource, tt.typ, tt.in)
		if p.Level != tt.want || p.ID != tt.wantID || p.Value != tt.wantValue || p.Type != tt.typ {
			t.Errorf("Classify(%q, %s, %q) = %+v, want level %s id %q value %q", tt.resource, tt.typ, tt.in, p, tt.want, tt.wantID, tt.wantValue)
		}
	}
	if p := d.Classify(graphID, Application, "Widget.ReadWrite.All"); p.Known || p.Resource != graphID {
		t.Errorf("fallback permission = %+v, want unknown permission of Graph", p)
	}
}

func TestClassifyScopes(t *testing.T) {
	d := mustLoad(t)
	got := d.ClassifyScopes("Microsoft Graph", []string{" openid profile User.Read offline_access", "User.Read Mail.ReadWrite", ""})
	var values []string
	for _, p := range got {
		values = append(values, p.Value)
	}
	want := []string{"openid", "profile", "User.Read", "offline_access", "Mail.ReadWrite"}
	if !slices.Equal(values, want) {
		t.Errorf("ClassifyScopes values = %q, want %q", values, want)
	}
	if got := MaxLevel(got); got != LevelHigh {
		t.Errorf("MaxLevel = %s, want high", got)
	}
	if got := MaxLevel(nil); got != LevelUnknown {
		t.Errorf("MaxLevel(nil) = %s, want unknown", got)
	}
	if got := d.ClassifyScopes(graphID, nil); len(got) != 0 {
		t.Errorf("ClassifyScopes(nil) = %v, want none", got)
	}
}

func TestDirectoryRole(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		in             string
		wantName       string
		wantPrivileged bool
	}{
		{"62e90394-69f5-4237-9190-012177145e10", "Global Administrator", true},
		{"62E90394-69F5-4237-9190-012177145E10", "Global Administrator", true},
		{"global administrator", "Global Administrator", true},
		{"Company Administrator", "Global Administrator", true},
		{"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", true},
		{"Application Administrator", "Application Administrator", true},
		{"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", true},
		{"Privileged Authentication Administrator", "Privileged Authentication Administrator", true},
		{"Directory Readers", "Directory Readers", false},
		{"Exchange Service Administrator", "Exchange Administrator", false},
		{"4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader", false},
	}
	for _, tt := range tests {
		r, ok := d.DirectoryRole(tt.in)
		if !ok || r.Name != tt.wantName || r.Privileged != tt.wantPrivileged {
			t.Errorf("DirectoryRole(%q) = %+v, %v; want %s privileged=%v", tt.in, r, ok, tt.wantName, tt.wantPrivileged)
		}
	}
	if _, ok := d.DirectoryRole("Chief Coffee Officer"); ok {
		t.Error("unknown role found")
	}
}

func TestAzureRole(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		in             string
		wantName       string
		wantPrivileged bool
		wantCategory   string
	}{
		{"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", true, "admin"},
		{"/subscriptions/0f5c0b8a-1111-2222-3333-444455556666/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-A8FF-443C-A75C-2FE8C4BCB635", "Owner", true, "admin"},
		{"/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer", true, "keyvault"},
		{"/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9/", "User Access Administrator", true, "admin"},
		{"Contributor", "Contributor", true, "admin"},
		{"role based access control administrator", "Role Based Access Control Administrator", true, "admin"},
		{"00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator", true, "keyvault"},
		{"Key Vault Reader", "Key Vault Reader", false, "keyvault"},
		{"9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "Virtual Machine Contributor", true, "compute"},
		{"Reader", "Reader", false, "general"},
	}
	for _, tt := range tests {
		r, ok := d.AzureRole(tt.in)
		if !ok || r.Name != tt.wantName || r.Privileged != tt.wantPrivileged || r.Category != tt.wantCategory {
			t.Errorf("AzureRole(%q) = %+v, %v; want %s privileged=%v %s", tt.in, r, ok, tt.wantName, tt.wantPrivileged, tt.wantCategory)
		}
	}
	for _, in := range []string{"", "/providers/Microsoft.Authorization/roleDefinitions/", "Global Administrator"} {
		if r, ok := d.AzureRole(in); ok {
			t.Errorf("AzureRole(%q) = %+v, want not found", in, r)
		}
	}
}

// TestPermissionList checks that Permissions holds each permission once,
// as the lookups find it by id, with the counts of Microsoft Graph the
// documentation gives.
func TestPermissionList(t *testing.T) {
	d := mustLoad(t)
	graph := map[PermissionType]int{}
	seen := map[string]bool{}
	for _, p := range d.Permissions() {
		k := p.Resource + "/" + string(p.Type) + "/" + p.ID
		if seen[k] {
			t.Errorf("%s listed twice", k)
		}
		seen[k] = true
		if got := d.Classify(p.Resource, p.Type, p.ID); got != p {
			t.Errorf("%s: listed as %+v, found as %+v", k, p, got)
		}
		if p.Resource == "00000003-0000-0000-c000-000000000000" {
			graph[p.Type]++
		}
	}
	if graph[Application] != 574 || graph[Delegated] != 695 {
		t.Errorf("Microsoft Graph: %d app roles and %d scopes, want 574 and 695", graph[Application], graph[Delegated])
	}
}

// TestRoleLists checks that the role lists hold each role once, as the
// lookups find it, with the counts the documentation gives.
func TestRoleLists(t *testing.T) {
	d := mustLoad(t)
	for _, tt := range []struct {
		kind   string
		list   []Role
		lookup func(string) (Role, bool)
		want   int
	}{
		{"directory", d.DirectoryRoles(), d.DirectoryRole, 123},
		{"azure", d.AzureRoles(), d.AzureRole, 45},
	} {
		if len(tt.list) != tt.want {
			t.Errorf("%s: %d roles, want %d", tt.kind, len(tt.list), tt.want)
		}
		for _, r := range tt.list {
			if got, ok := tt.lookup(r.ID); !ok || got != r {
				t.Errorf("%s role %s listed as %+v, found as %+v", tt.kind, r.ID, r, got)
			}
		}
	}
}

func TestFirstPartyApps(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		appID, wantName, wantOwner string
	}{
		{"04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI", ""},
		{"1950A258-227B-4E31-A9CF-717495945FC2", "Microsoft Azure PowerShell", ""},
		{"14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
		{"de8bc8b5-d9f9-48b1-a8ad-b748da725064", "Graph Explorer", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
		{"d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office", ""},
		{"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams", ""},
		{"5d661950-3475-41cd-a2c3-d671a3162bc1", "Microsoft Outlook", ""},
		{"29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker", ""},
		{"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal", ""},
	}
	for _, tt := range tests {
		a, ok := d.FirstPartyApp(tt.appID)
		if !ok || a.Name != tt.wantName || a.OwnerTenant != tt.wantOwner {
			t.Errorf("FirstPartyApp(%s) = %+v, %v; want %s owner %q", tt.appID, a, ok, tt.wantName, tt.wantOwner)
		}
	}
	if a, ok := d.FirstPartyApp("77777777-7777-7777-7777-777777777777"); ok {
		t.Errorf("anonymised app id resolved to %+v", a)
	}
}

func TestMicrosoftTenants(t *testing.T) {
	d := mustLoad(t)
	for _, id := range []string{"f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72F988BF-86F1-41AF-91AB-2D7CD011DB47"} {
		if !d.IsMicrosoftTenant(id) {
			t.Errorf("IsMicrosoftTenant(%s) = false", id)
		}
	}
	for _, id := range []string{"4bbb79f7-5724-4c9e-95f3-de075f6ec090", "", "not-a-tenant"} {
		if d.IsMicrosoftTenant(id) {
			t.Errorf("IsMicrosoftTenant(%q) = true", id)
		}
	}
}

func TestAppNames(t *testing.T) {
	d := mustLoad(t)
	known := d.WellKnownAppNames()
	for _, n := range []string{"Microsoft", "Office 365", "Outlook", "OneDrive", "SharePoint", "Teams", "Azure", "Windows", "Security", "Defender", "Admin", "Mail", "Login"} {
		if !slices.Contains(known, n) {
			t.Errorf("WellKnownAppNames lacks %q", n)
		}
	}
	generic := d.GenericAppNames()
	for _, n := range []string{"test", "app", "my app", "application", "demo"} {
		if !slices.Contains(generic, n) {
			t.Errorf("GenericAppNames lacks %q", n)
		}
	}
	known[0], generic[0] = "changed", "changed"
	if d.WellKnownAppNames()[0] == "changed" || d.GenericAppNames()[0] == "changed" {
		t.Error("name lists are shared with the caller")
	}
}

func TestLevel(t *testing.T) {
	for _, l := range []Level{LevelUnknown, LevelLow, LevelHigh, LevelCritical} {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), got, err)
		}
	}
	if _, err := ParseLevel("severe"); err == nil {
		t.Error("ParseLevel accepted an unknown name")
	}
	if got := Level(7).String(); got != "Level(7)" {
		t.Errorf("Level(7).String() = %q", got)
	}
	if !(LevelUnknown < LevelLow && LevelLow < LevelHigh && LevelHigh < LevelCritical) {
		t.Error("levels are not ordered by risk")
	}
}
