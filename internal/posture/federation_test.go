package posture

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

func fic(name, issuer, subject string) snapshot.FederatedIdentityCredential {
	return snapshot.FederatedIdentityCredential{ID: "fic-" + name, Name: name, Issuer: issuer, Subject: subject, Audiences: []string{"api://AzureADTokenExchange"}}
}

func TestIssuerTrust(t *testing.T) {
	is := newIssuers(tenantID, []string{"https://idp.contoso.com/realms/ci/", "jenkins.contoso.com"})
	for issuer, want := range map[string]bool{
		"https://token.actions.githubusercontent.com":                     true,
		"https://token.actions.githubusercontent.com/":                    true,
		"https://westeurope.oic.prod-aks.azure.com/" + tenantID + "/abc/": true,
		"https://login.microsoftonline.com/" + tenantID + "/v2.0":         true,
		"https://sts.windows.net/" + tenantID + "/":                       true,
		"https://login.microsoftonline.com/" + otherOrg + "/v2.0":         false,
		"https://idp.contoso.com/realms/ci":                               true,
		"https://idp.contoso.com/realms/other":                            false,
		"https://jenkins.contoso.com/oidc":                                true,
		"http://token.actions.githubusercontent.com":                      false,
		"https://token.actions.githubusercontent.com.evil.example":        false,
		"https://evil-oic.prod-aks.azure.com.example/x":                   false,
		"token.actions.githubusercontent.com":                             false,
		"https://oic.prod-aks.azure.com":                                  true,
		"https://vstoken.dev.azure.com/" + otherOrg:                       true,
		"https://app.terraform.io":                                        true,
		"https://gitlab.example.com":                                      false,
	} {
		if got, why := is.trusted(issuer); got != want {
			t.Errorf("trusted(%q) = %v (%s), want %v", issuer, got, why, want)
		}
	}
}

func TestFederatedCredentials(t *testing.T) {
	gh := "https://token.actions.githubusercontent.com"
	clean, cleanSP := app("clean")
	clean.FederatedIdentityCredentials = []snapshot.FederatedIdentityCredential{fic("main", gh, "repo:contoso/app:ref:refs/heads/main")}
	foreign, _ := app("foreign")
	foreign.FederatedIdentityCredentials = []snapshot.FederatedIdentityCredential{fic("partner", "https://login.microsoftonline.com/"+otherOrg+"/v2.0", "x")}
	loose, looseSP := app("loose")
	flex := fic("all-branches", gh, "")
	flex.ClaimsMatchingExpression = &snapshot.ClaimsExpression{Value: "claims['sub'] matches 'repo:contoso/app:ref:refs/heads/*'", LanguageVersion: 1}
	loose.FederatedIdentityCredentials = []snapshot.FederatedIdentityCredential{flex}
	loose.PasswordCredentials = []snapshot.Credential{secret("left-behind", -day, 100*day), secret("expired", -300*day, -day)}
	s := &snapshot.Snapshot{
		Applications:      []snapshot.Application{clean, foreign, loose},
		ServicePrincipals: []snapshot.ServicePrincipal{cleanSP, looseSP},
		RoleAssignments:   []snapshot.RoleAssignment{{ID: "ra", PrincipalID: "sp-loose", RoleDefinitionID: globalAdm, DirectoryScopeID: "/"}},
	}
	res := evaluate(t, s, Options{})
	if got := of(res, FederatedCredentialIssuer); len(got) != 1 || got[0].EventID != "app-foreign" || items(t, got[0], "federated_credentials")[0]["why"] != "another Microsoft Entra tenant" {
		t.Errorf("untrusted issuers = %+v", got)
	}
	wild := of(res, FederatedCredentialWildcard)
	if len(wild) != 1 || wild[0].EventID != "app-loose" || wild[0].Level != alert.LevelHigh || wild[0].Evidence["privileges"] == nil {
		t.Errorf("wildcards = %+v", wild)
	}
	beside := of(res, SecretBesideFederated)
	if len(beside) != 1 || beside[0].Level != alert.LevelMedium || !slices.Equal(values(items(t, beside[0], "credentials"), "key_id"), []string{"left-behind"}) {
		t.Errorf("secrets beside = %+v", beside)
	}
	if r := result(t, res, FederatedCredentialIssuer); r.Evaluated != 3 {
		t.Errorf("result = %+v", r)
	}
	trusting := evaluate(t, s, Options{TrustedIssuers: []string{"https://login.microsoftonline.com/" + otherOrg + "/v2.0"}})
	if got := of(trusting, FederatedCredentialIssuer); len(got) != 0 {
		t.Errorf("an issuer trusted by option is still reported: %+v", got)
	}
}

func TestCertificateReuse(t *testing.T) {
	shared := func(id string) snapshot.Credential {
		c := cert(id, -day, 300*day)
		c.CustomKeyIdentifier = "52D9B1E3C0A5F7E8D0C4B2A19F8E7D6C5B4A3928"
		return c
	}
	a, aSP := app("a")
	a.KeyCredentials = []snapshot.Credential{shared("a1")}
	aSP.KeyCredentials = []snapshot.Credential{shared("a-sp")} // the same app: not reuse
	b, _ := app("b")
	b.KeyCredentials = []snapshot.Credential{shared("b1")}
	saml, samlSP := app("saml")
	signing := shared("sign")
	signing.Usage = "Sign"
	samlSP.KeyCredentials = []snapshot.Credential{signing}
	lone, _ := app("lone")
	other := cert("o", -day, 300*day)
	other.CustomKeyIdentifier = "00FF"
	lone.KeyCredentials = []snapshot.Credential{other}
	s := &snapshot.Snapshot{Applications: []snapshot.Application{a, b, saml, lone}, ServicePrincipals: []snapshot.ServicePrincipal{aSP, samlSP}}
	res := evaluate(t, s, Options{})
	if got := targets(res, CertificateReused); !slices.Equal(got, []string{"app-a", "app-b", "sp-a"}) {
		t.Fatalf("reused on %v", got)
	}
	for _, f := range of(res, CertificateReused) {
		others := values(items(t, f, "also_on"), "id")
		want := []string{"app-b"}
		if f.EventID == "app-b" {
			want = []string{"app-a", "sp-a"}
		}
		if !slices.Equal(others, want) || f.Evidence["holders"] != 2 {
			t.Errorf("%s: also on %v, holders %v", f.EventID, others, f.Evidence["holders"])
		}
	}
	if r := result(t, res, CertificateReused); r.Evaluated != 4 {
		t.Errorf("evaluated %d objects, want the 4 with a current verify certificate", r.Evaluated)
	}
}

func TestPermissionsOutOfBand(t *testing.T) {
	g := graphSP()
	g.OAuth2PermissionScopes = []snapshot.PermissionScope{{ID: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", Value: "User.Read"}}
	a, sp := app("a")
	a.RequiredResourceAccess = []snapshot.RequiredResourceAccess{{ResourceAppID: graphAppID, ResourceAccess: []snapshot.ResourceAccess{
		{ID: mailRead, Type: "Role"}, {ID: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", Type: "Scope"}}}}
	unread, unreadSP := app("unread") // requiredResourceAccess not read: not judged
	s := &snapshot.Snapshot{
		Applications:      []snapshot.Application{a, unread},
		ServicePrincipals: []snapshot.ServicePrincipal{g, sp, unreadSP},
		AppRoleAssignments: []snapshot.AppRoleAssignment{
			{ID: "ara-asked", AppRoleID: mailRead, PrincipalID: "sp-a", PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
			{ID: "ara-extra", AppRoleID: roleMgmtRW, PrincipalID: "sp-a", PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
			{ID: "ara-unread", AppRoleID: roleMgmtRW, PrincipalID: "sp-unread", PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
		},
		Grants: []snapshot.Grant{{ID: "g1", ClientID: "sp-a", ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "openid User.Read Mail.Send"}},
	}
	res := evaluate(t, s, Options{})
	got := of(res, PermissionOutOfBand)
	if len(got) != 1 || got[0].EventID != "sp-a" || got[0].Level != alert.LevelHigh {
		t.Fatalf("findings = %+v", got)
	}
	if v := values(items(t, got[0], "not_requested"), "value"); !slices.Equal(v, []string{"RoleManagement.ReadWrite.Directory", "Mail.Send"}) {
		t.Errorf("not requested = %v", v)
	}
	if r := result(t, res, PermissionOutOfBand); r.Evaluated != 1 {
		t.Errorf("result = %+v", r)
	}
}

func TestFlowsOnPrivilegedApps(t *testing.T) {
	yes := true
	priv, privSP := app("priv")
	priv.IsFallbackPublicClient = &yes
	priv.Web = &snapshot.Web{ImplicitGrantSettings: &snapshot.ImplicitGrantSettings{EnableAccessTokenIssuance: true, EnableIDTokenIssuance: true}}
	deleg, delegSP := app("deleg")
	deleg.Web = &snapshot.Web{ImplicitGrantSettings: &snapshot.ImplicitGrantSettings{EnableIDTokenIssuance: true}}
	plain, plainSP := app("plain")
	plain.IsFallbackPublicClient = &yes
	s := &snapshot.Snapshot{
		Applications:       []snapshot.Application{priv, deleg, plain},
		ServicePrincipals:  []snapshot.ServicePrincipal{graphSP(), privSP, delegSP, plainSP},
		AppRoleAssignments: []snapshot.AppRoleAssignment{{ID: "ara", AppRoleID: mailRead, PrincipalID: "sp-priv", PrincipalType: "ServicePrincipal", ResourceID: graphSPID}},
		Grants:             []snapshot.Grant{{ID: "g", ClientID: "sp-deleg", ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "Mail.ReadWrite"}},
	}
	res := evaluate(t, s, Options{})
	if got := targets(res, PublicClientOnPrivilegedApp); !slices.Equal(got, []string{"app-priv"}) {
		t.Errorf("public client = %v", got)
	}
	implicit := of(res, ImplicitFlowOnPrivilegedApp)
	if len(implicit) != 2 || implicit[0].EventID != "app-deleg" || implicit[0].Level != alert.LevelLow || implicit[0].Evidence["delegated_grants"] == nil ||
		implicit[1].Level != alert.LevelMedium {
		t.Errorf("implicit = %+v", implicit)
	}
	if r := result(t, res, PublicClientOnPrivilegedApp); r.Evaluated != 2 {
		t.Errorf("result = %+v", r)
	}
}
