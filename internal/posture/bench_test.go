package posture

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// generate builds a tenant of n app registrations with their service
// principals, shaped so that every check has work: long-lived and
// expiring secrets, certificates, redirect URIs of every kind, logout
// URLs, identifier URIs, grants, app roles, directory roles and owners.
func generate(n int) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Domains: contoso()}
	g := graphSP()
	s.ServicePrincipals = append(s.ServicePrincipals, g)
	for i := range n {
		a, sp := app(fmt.Sprintf("%06d", i))
		host := fmt.Sprintf("app%d.contoso.com", i)
		a.Web = &snapshot.Web{RedirectURIs: []string{"https://" + host + "/signin", "http://localhost:5000/signin"}, LogoutURL: "https://" + host + "/signout"}
		switch {
		case i%100 == 0:
			a.Web.RedirectURIs = append(a.Web.RedirectURIs, "https://shared.contoso.com/cb", "https://*.contoso.com/cb")
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
		a.KeyCredentials = []snapshot.Credential{cert("c", -day, 364*day)}
		a.PasswordCredentials = []snapshot.Credential{secret("s1", -day, 90*day)}
		if i%3 == 0 {
			a.PasswordCredentials = append(a.PasswordCredentials, secret("s2", -10*day, 720*day), secret("s3", -200*day, 10*day), secret("s4", -400*day, -30*day))
		}
		a.Owners = []snapshot.Owner{{ODataType: "#microsoft.graph.user", ID: "u", UserPrincipalName: "dev@contoso.com"}}
		sp.Owners = a.Owners
		if i%25 == 0 {
			sp.PasswordCredentials = []snapshot.Credential{secret("sp", -day, 90*day)}
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
	}
	return s
}

// BenchmarkEvaluate50k evaluates a generated tenant of 50,000 app
// registrations without DNS. Run with
//
//	go test -run XXX -bench Evaluate50k -benchtime 3x -cpu 1 ./internal/posture
func BenchmarkEvaluate50k(b *testing.B) {
	s := generate(50_000)
	opts := Options{Ref: ref(b), Now: now}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Evaluate(context.Background(), s, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Findings)), "findings")
	}
}

func TestGeneratedTenant(t *testing.T) {
	s := generate(1000)
	res := evaluate(t, s, Options{})
	for _, r := range Checks() {
		switch r.ID {
		case RedirectURIDangling, IdentifierURIDangling, LogoutURLDangling, CredentialOnExternalServicePrincipal:
			continue // need DNS or foreign apps
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
}

// FuzzEvaluate evaluates arbitrary tenants, with every host dangling.
func FuzzEvaluate(f *testing.F) {
	seed := generate(3)
	b, err := json.Marshal(fuzzTenant{seed.Applications, seed.ServicePrincipals, seed.Grants, seed.AppRoleAssignments, seed.RoleAssignments, seed.Domains})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"applications":[{"id":"a","web":{"redirectUris":["http://*.[::1]:x","https://a..b/"],"logoutUrl":" "},"identifierUris":["api://x.y"]}]}`))
	f.Add([]byte(`{"grants":[{"id":"g","consentType":"AllPrincipals","scope":"  "}],"roleAssignments":[{"id":"r","roleDefinition":{}}]}`))
	r := ref(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ft fuzzTenant
		if json.Unmarshal(data, &ft) != nil {
			return
		}
		s := &snapshot.Snapshot{Applications: ft.Applications, ServicePrincipals: ft.ServicePrincipals, Grants: ft.Grants,
			AppRoleAssignments: ft.AppRoleAssignments, RoleAssignments: ft.RoleAssignments, Domains: ft.Domains}
		res, err := Evaluate(context.Background(), s, Options{Ref: r, Now: now, DNS: everythingDangles{}})
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
