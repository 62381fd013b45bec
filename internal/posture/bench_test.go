package posture

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// generate builds a tenant of n app registrations with their service
// principals, shaped so that every check has work: long-lived and
// expiring secrets, certificates (a few shared), redirect URIs of every
// kind, logout URLs, identifier URIs, federated credentials, grants, app
// roles, directory and Azure roles, owners of every kind, sign-in
// activity, tenant policies, risk, third-party apps and agents.
func generate(n int) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Domains: contoso()}
	g := graphSP()
	s.ServicePrincipals = append(s.ServicePrincipals, g)
	yes := true
	for i := range n {
		a, sp := app(fmt.Sprintf("%06d", i))
		a.CreatedDateTime = at(-time.Duration(i%1000) * day)
		host := fmt.Sprintf("app%d.contoso.com", i)
		a.Web = &snapshot.Web{RedirectURIs: []string{"https://" + host + "/signin", "http://localhost:5000/signin"}, LogoutURL: "https://" + host + "/signout"}
		switch {
		case i%100 == 0:
			a.Web.RedirectURIs = append(a.Web.RedirectURIs, "https://shared.contoso.com/cb", "https://*.contoso.com/cb")
			a.Web.ImplicitGrantSettings = &snapshot.ImplicitGrantSettings{EnableAccessTokenIssuance: true}
			a.IsFallbackPublicClient = &yes
		case i%10 == 0:
			a.Web.RedirectURIs = append(a.Web.RedirectURIs, "http://"+host+"/legacy")
			a.Web.LogoutURL = "http://" + host + "/signout"
		case i%7 == 0:
			a.Web.RedirectURIs = append(a.Web.RedirectURIs, fmt.Sprintf("https://app%d.partner.example/cb", i))
			a.Web.LogoutURL = ""
		}
		a.SPA = &snapshot.RedirectURIs{RedirectURIs: []string{"https://" + host + "/spa"}}
		a.IdentifierURIs = []string{"api://" + a.AppID}
		if i%20 == 0 {
			a.IdentifierURIs = append(a.IdentifierURIs, fmt.Sprintf("https://api%d.fabrikam.example", i))
		}
		c := cert("c", -day, 364*day)
		c.CustomKeyIdentifier = fmt.Sprintf("C%06d", i)
		if i%500 == 0 {
			c.CustomKeyIdentifier = "SHARED"
		}
		a.KeyCredentials = []snapshot.Credential{c}
		a.PasswordCredentials = []snapshot.Credential{secret("s1", -day, 90*day)}
		if i%3 == 0 {
			a.PasswordCredentials = append(a.PasswordCredentials, secret("s2", -10*day, 720*day), secret("s3", -200*day, 10*day), secret("s4", -400*day, -30*day))
		}
		if i%10 == 0 {
			f := fic("gh", "https://token.actions.githubusercontent.com", fmt.Sprintf("repo:contoso/app%d:ref:refs/heads/main", i))
			switch {
			case i%200 == 0:
				f.Issuer = "https://login.microsoftonline.com/" + otherOrg + "/v2.0"
			case i%500 == 10:
				f.ClaimsMatchingExpression = &snapshot.ClaimsExpression{Value: "claims['sub'] matches 'repo:contoso/*'"}
			}
			a.FederatedIdentityCredentials = []snapshot.FederatedIdentityCredential{f}
			a.RequiredResourceAccess = []snapshot.RequiredResourceAccess{{ResourceAppID: graphAppID, ResourceAccess: []snapshot.ResourceAccess{{ID: mailRead, Type: "Role"}}}}
		}
		if i%50 == 0 {
			a.SignInAudience = "AzureADMultipleOrgs"
		}
		owner := user("u", "dev@contoso.com", "Member")
		switch {
		case i%60 == 0:
			a.Owners = []snapshot.Owner{}
		case i%30 == 0:
			a.Owners = []snapshot.Owner{owner, user("g", "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Guest")}
		case i%40 == 0:
			a.Owners = []snapshot.Owner{owner, {ODataType: "#microsoft.graph.servicePrincipal", ID: "sp-000001"}}
		case i%50 == 1:
			a.Owners = []snapshot.Owner{owner, user("w", "weak@contoso.com", "Member")}
		default:
			a.Owners = []snapshot.Owner{owner}
		}
		sp.Owners = []snapshot.Owner{owner}
		if i%25 == 0 {
			sp.PasswordCredentials = []snapshot.Credential{secret("sp", -day, 90*day)}
		}
		if i%250 == 0 {
			sp.ODataType = "#microsoft.graph.agentIdentity"
			s.Agents = append(s.Agents, snapshot.Agent{ODataType: sp.ODataType, ID: sp.ID})
		}
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
		if i%10 == 0 {
			s.AppRoleAssignments = append(s.AppRoleAssignments,
				snapshot.AppRoleAssignment{ID: "ara1-" + sp.ID, AppRoleID: mailRead, PrincipalID: sp.ID, PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
				snapshot.AppRoleAssignment{ID: "ara2-" + sp.ID, AppRoleID: userReadAl, PrincipalID: sp.ID, PrincipalType: "ServicePrincipal", ResourceID: graphSPID})
		}
		if i%5 == 0 {
			s.Grants = append(s.Grants, snapshot.Grant{ID: "g-" + sp.ID, ClientID: sp.ID, ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "openid profile User.Read Mail.ReadWrite"})
		}
		if i%100 == 0 {
			s.RoleAssignments = append(s.RoleAssignments, snapshot.RoleAssignment{ID: "ra-" + sp.ID, PrincipalID: sp.ID, RoleDefinitionID: globalAdm, DirectoryScopeID: "/"})
		}
		if i%20 == 0 {
			s.AzureRoleAssignments = append(s.AzureRoleAssignments, azureRole(sp.ID, sub, ownerDef, sp.ID, "ServicePrincipal"))
		}
		if last := -time.Duration(i%60+1) * day; i%4 != 0 {
			if i%20 == 1 {
				last = -200 * day
			}
			s.SignInActivities = append(s.SignInActivities, signedIn(a.AppID, last, last, -time.Duration(i%120+1)*day))
		}
		if i%2 == 0 {
			s.CredentialActivities = append(s.CredentialActivities, snapshot.AppCredentialSignInActivity{ID: "ca-" + a.ID, KeyID: "s1", AppID: a.AppID,
				SignInActivity: &snapshot.SignInActivity{LastSignInDateTime: at(-time.Duration(i%120) * day)}})
		}
		if i%1000 == 0 {
			s.RiskyServicePrincipals = append(s.RiskyServicePrincipals, snapshot.RiskyServicePrincipal{ID: sp.ID, RiskLevel: "medium", RiskState: "atRisk"})
		}
	}
	generateThirdParty(s, n/10)
	generateTenant(s)
	return s
}

// generateThirdParty adds n service principals of other organisations'
// apps, some unverified with Mail.Read, each consented to by two users.
func generateThirdParty(s *snapshot.Snapshot, n int) {
	for i := range n {
		sp := snapshot.ServicePrincipal{ID: fmt.Sprintf("sp-x%06d", i), AppID: fmt.Sprintf("appid-x%06d", i), DisplayName: fmt.Sprintf("Vendor %d", i),
			AppOwnerOrganizationID: otherOrg, ServicePrincipalType: "Application"}
		if i%2 == 0 {
			sp.VerifiedPublisher = &snapshot.VerifiedPublisher{DisplayName: "Vendor", VerifiedPublisherID: "42"}
		}
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
		if i%5 == 0 {
			s.AppRoleAssignments = append(s.AppRoleAssignments, snapshot.AppRoleAssignment{ID: "ara-" + sp.ID, AppRoleID: mailRead, PrincipalID: sp.ID,
				PrincipalType: "ServicePrincipal", ResourceID: graphSPID})
		}
		for u := range 2 {
			s.Grants = append(s.Grants, snapshot.Grant{ID: fmt.Sprintf("gp-%s-%d", sp.ID, u), ClientID: sp.ID, ConsentType: "Principal",
				PrincipalID: fmt.Sprintf("u%d", u), ResourceID: graphSPID, Scope: "User.Read Mail.Read"})
		}
	}
}

// generateTenant adds the tenant's policies, roles and recommendations,
// each weak in one way, and marks every collection held.
func generateTenant(s *snapshot.Snapshot) {
	s.AuthorizationPolicies = []snapshot.AuthorizationPolicy{authz(true, consentForSelf+policyLegacy, consentForOwned+"custom")}
	s.DirectorySettings = []snapshot.DirectorySetting{consentSettings("BlockUserConsentForRiskyApps", "false")}
	s.AdminConsentRequestPolicies = []snapshot.AdminConsentRequestPolicy{{IsEnabled: false}}
	s.AppManagementPolicies = []snapshot.AppManagementPolicy{{ID: snapshot.DefaultAppManagementPolicyID, IsEnabled: true,
		ApplicationRestrictions: &snapshot.AppRestrictions{PasswordCredentials: []snapshot.CredentialRestriction{restriction("passwordLifetime", "P1Y", -500*day)}}}}
	s.RoleAssignments = append(s.RoleAssignments, snapshot.RoleAssignment{ID: "ra-app-admin", PrincipalID: "u-admin", RoleDefinitionID: appAdminRole, DirectoryScopeID: "/"})
	s.RoleEligibilities = []snapshot.RoleAssignment{{ID: "el-1", PrincipalID: "u-ed", RoleDefinitionID: cloudAppAdminRole, DirectoryScopeID: "/"}}
	s.UserRegistrations = []snapshot.UserRegistration{{ID: "u", MethodsRegistered: []string{"fido2"}}, {ID: "w", MethodsRegistered: []string{"mobilePhone"}}}
	s.Recommendations = []snapshot.Recommendation{{ID: "t_Microsoft.Identity.IAM.Insights.StaleApps", RecommendationType: "staleApps", Status: "active", Priority: "medium"}}
	s.ConditionalAccessPolicies = []snapshot.ConditionalAccessPolicy{caPolicyOf("enabled", []string{"ServicePrincipalsInMyTenant"}, []string{"sp-000100"}, nil, "")}
	hold(s, snapshot.AuthorizationPolicies, snapshot.DirectorySettings, snapshot.AdminConsentPolicies, snapshot.AppManagementPolicies, snapshot.RoleEligibilities,
		snapshot.UserRegistrations, snapshot.Recommendations, snapshot.ConditionalAccessPolicies, snapshot.SignInActivities, snapshot.CredentialActivities,
		snapshot.RiskyServicePrincipals, snapshot.AzureRoleAssignments, snapshot.Agents, snapshot.PermissionGrantPolicies, snapshot.RiskDetections)
	s.Contexts[snapshot.Applications] = snapshot.DefaultMetadata + "#applications(id,servicePrincipalLockConfiguration)"
}

// BenchmarkEvaluate50k evaluates a generated tenant of 50,000 app
// registrations, with every check on and without DNS. Besides the time,
// it reports the processor time per evaluation (cpu-ns/op), which the
// load of a shared machine does not inflate. Run with
//
//	go test -run XXX -bench Evaluate50k -benchtime 3x -cpu 1 ./internal/posture
func BenchmarkEvaluate50k(b *testing.B) {
	s := generate(50_000)
	opts := Options{Ref: ref(b), Now: now, TenantID: tenantID}
	b.ReportAllocs()
	b.ResetTimer()
	start, measured := cpuTime()
	for b.Loop() {
		res, err := Evaluate(context.Background(), s, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Findings)), "findings")
	}
	if end, ok := cpuTime(); measured && ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

func TestGeneratedTenant(t *testing.T) {
	s := generate(1000)
	res := evaluate(t, s, Options{TenantID: tenantID})
	for _, r := range Checks() {
		switch r.ID {
		case RedirectURIDangling, IdentifierURIDangling, LogoutURLDangling, CredentialOnExternalServicePrincipal:
			continue // need DNS or foreign apps with credentials
		}
		if len(of(res, r.ID)) == 0 {
			t.Errorf("the generated tenant raises no %s; the benchmark would not exercise it", r.ID)
		}
	}
}

// everythingDangles answers that no host exists.
type everythingDangles struct{}

func (everythingDangles) LookupAll(_ context.Context, hosts []string) map[string]dnscheck.Result {
	out := make(map[string]dnscheck.Result, len(hosts))
	for _, h := range hosts {
		out[h] = dnscheck.Result{Host: h, State: dnscheck.NXDomain, Claimable: len(h)%2 == 0}
	}
	return out
}

// fuzzTenant is a snapshot as JSON, one list per collection.
type fuzzTenant struct {
	Applications       []snapshot.Application       `json:"applications"`
	ServicePrincipals  []snapshot.ServicePrincipal  `json:"servicePrincipals"`
	Grants             []snapshot.Grant             `json:"grants"`
	AppRoleAssignments []snapshot.AppRoleAssignment `json:"appRoleAssignments"`
	RoleAssignments    []snapshot.RoleAssignment    `json:"roleAssignments"`
	Domains            []snapshot.Domain            `json:"domains"`

	AuthorizationPolicies     []snapshot.AuthorizationPolicy            `json:"authorizationPolicies"`
	AdminConsent              []snapshot.AdminConsentRequestPolicy      `json:"adminConsent"`
	PermissionGrantPolicies   []snapshot.PermissionGrantPolicy          `json:"permissionGrantPolicies"`
	DirectorySettings         []snapshot.DirectorySetting               `json:"directorySettings"`
	AppManagementPolicies     []snapshot.AppManagementPolicy            `json:"appManagementPolicies"`
	ConditionalAccessPolicies []snapshot.ConditionalAccessPolicy        `json:"conditionalAccessPolicies"`
	RoleEligibilities         []snapshot.RoleAssignment                 `json:"roleEligibilities"`
	UserRegistrations         []snapshot.UserRegistration               `json:"userRegistrations"`
	SignInActivities          []snapshot.ServicePrincipalSignInActivity `json:"signInActivities"`
	CredentialActivities      []snapshot.AppCredentialSignInActivity    `json:"credentialActivities"`
	Recommendations           []snapshot.Recommendation                 `json:"recommendations"`
	RiskyServicePrincipals    []snapshot.RiskyServicePrincipal          `json:"riskyServicePrincipals"`
	RiskDetections            []snapshot.ServicePrincipalRiskDetection  `json:"riskDetections"`
	Agents                    []snapshot.Agent                          `json:"agents"`
	AzureRoleAssignments      []snapshot.AzureRoleAssignment            `json:"azureRoleAssignments"`
	AzureScopes               []snapshot.AzureScope                     `json:"azureScopes"`
}

// snapshot returns the tenant as a snapshot that holds every collection.
func (ft fuzzTenant) snapshot() *snapshot.Snapshot {
	s := &snapshot.Snapshot{Applications: ft.Applications, ServicePrincipals: ft.ServicePrincipals, Grants: ft.Grants,
		AppRoleAssignments: ft.AppRoleAssignments, RoleAssignments: ft.RoleAssignments, Domains: ft.Domains,
		AuthorizationPolicies: ft.AuthorizationPolicies, AdminConsentRequestPolicies: ft.AdminConsent, PermissionGrantPolicies: ft.PermissionGrantPolicies,
		DirectorySettings: ft.DirectorySettings, AppManagementPolicies: ft.AppManagementPolicies, ConditionalAccessPolicies: ft.ConditionalAccessPolicies,
		RoleEligibilities: ft.RoleEligibilities, UserRegistrations: ft.UserRegistrations, SignInActivities: ft.SignInActivities,
		CredentialActivities: ft.CredentialActivities, Recommendations: ft.Recommendations, RiskyServicePrincipals: ft.RiskyServicePrincipals,
		RiskDetections: ft.RiskDetections, Agents: ft.Agents, AzureRoleAssignments: ft.AzureRoleAssignments, AzureScopes: ft.AzureScopes}
	return hold(s, snapshot.Collections()...)
}

// FuzzEvaluate evaluates arbitrary tenants, with every host dangling.
func FuzzEvaluate(f *testing.F) {
	seed := generate(3)
	b, err := json.Marshal(fuzzTenant{Applications: seed.Applications, ServicePrincipals: seed.ServicePrincipals, Grants: seed.Grants,
		AppRoleAssignments: seed.AppRoleAssignments, RoleAssignments: seed.RoleAssignments, Domains: seed.Domains,
		AuthorizationPolicies: seed.AuthorizationPolicies, AdminConsent: seed.AdminConsentRequestPolicies, DirectorySettings: seed.DirectorySettings,
		AppManagementPolicies: seed.AppManagementPolicies, ConditionalAccessPolicies: seed.ConditionalAccessPolicies, RoleEligibilities: seed.RoleEligibilities,
		UserRegistrations: seed.UserRegistrations, SignInActivities: seed.SignInActivities, CredentialActivities: seed.CredentialActivities,
		Recommendations: seed.Recommendations, RiskyServicePrincipals: seed.RiskyServicePrincipals, Agents: seed.Agents, AzureRoleAssignments: seed.AzureRoleAssignments})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"appManagementPolicies":[{"id":"defaultAppManagementPolicy","isEnabled":true,"applicationRestrictions":{"passwordCredentials":[{"restrictionType":"passwordLifetime","maxLifetime":"P9999999999999Y"}]}}],` +
		`"agents":[{"id":"x"}],"azureRoleAssignments":[{"id":"a","principalType":"ServicePrincipal","scope":"/"}],"authorizationPolicies":[{}]}`))
	f.Add([]byte(`{"applications":[{"id":"a","web":{"redirectUris":["http://*.[::1]:x","https://a..b/"],"logoutUrl":" "},"identifierUris":["api://x.y"]}]}`))
	f.Add([]byte(`{"grants":[{"id":"g","consentType":"AllPrincipals","scope":"  "}],"roleAssignments":[{"id":"r","roleDefinition":{}}]}`))
	r := ref(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ft fuzzTenant
		if json.Unmarshal(data, &ft) != nil {
			return
		}
		res, err := Evaluate(context.Background(), ft.snapshot(), Options{Ref: r, Now: now, DNS: everythingDangles{}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Findings {
			if _, err := json.Marshal(a); err != nil {
				t.Errorf("finding does not encode: %v", err)
			}
		}
	})
}
