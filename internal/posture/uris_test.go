package posture

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/dnscheck/dnstest"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// web returns an app whose web platform has the redirect URIs and a
// logout URL on an owned host.
func web(id string, redirects ...string) snapshot.Application {
	a, _ := app(id)
	a.Web = &snapshot.Web{RedirectURIs: redirects, LogoutURL: "https://" + id + ".contoso.com/signout"}
	return a
}

func TestRedirectURIChecks(t *testing.T) {
	tests := []struct {
		uri  string
		want []string // checks expected to report it
	}{
		{"https://app.contoso.com/signin", nil},
		{"https://app.contoso.onmicrosoft.com/signin", nil},
		{"http://app.contoso.com/signin", []string{RedirectURINotHTTPS}},
		{"http://localhost:5000/signin", nil},
		{"http://127.0.0.1/cb", nil},
		{"https://*.contoso.com/signin", []string{RedirectURIWildcard}},
		{"https://app.contoso.com/*", []string{RedirectURIWildcard}},
		{"https://*.fabrikam.com/signin", []string{RedirectURIWildcard, RedirectURIUnownedDomain}},
		{"https://app.fabrikam.com/signin", []string{RedirectURIUnownedDomain}},
		{"https://evilcontoso.com/signin", []string{RedirectURIUnownedDomain}},
		{"https://www.unverified.example/cb", []string{RedirectURIUnownedDomain}},
		{"http://10.0.0.5/cb", []string{RedirectURINotHTTPS}},
		{"https://login.microsoftonline.com/common/oauth2/nativeclient", nil},
		{"msal0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d://auth", nil},
		{"urn:ietf:wg:oauth:2.0:oob", nil},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			s := &snapshot.Snapshot{Applications: []snapshot.Application{web("a", tt.uri)}, Domains: contoso()}
			res := evaluate(t, s, Options{})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.RuleID)
				if f.GuideRow != "redirect-uri-change" || f.EventID != "app-a" || !slices.Equal(values(items(t, f, "uris"), "uri"), []string{tt.uri}) {
					t.Errorf("finding = %+v", f)
				}
			}
			if !same(got, tt.want) {
				t.Errorf("checks %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRedirectURIsOfEveryPlatform(t *testing.T) {
	a, _ := app("a")
	a.SPA = &snapshot.RedirectURIs{RedirectURIs: []string{"http://spa.contoso.com"}}
	a.PublicClient = &snapshot.RedirectURIs{RedirectURIs: []string{"http://desktop.contoso.com", "http://localhost"}}
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}, Options{})
	got := of(res, RedirectURINotHTTPS)
	if len(got) != 1 || !slices.Equal(values(items(t, got[0], "uris"), "where"), []string{whereSPA, wherePublic}) {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestSharedRedirectURIs(t *testing.T) {
	apps := []snapshot.Application{
		web("a", "https://portal.contoso.com/signin", "http://localhost:3000"),
		web("b", "https://PORTAL.contoso.com/signin/", "http://localhost:3000"),
		web("c", "https://c.contoso.com/signin"),
	}
	res := evaluate(t, &snapshot.Snapshot{Applications: apps, Domains: contoso()}, Options{})
	got := of(res, RedirectURIShared)
	if ids := targets(res, RedirectURIShared); !slices.Equal(ids, []string{"app-a", "app-b"}) {
		t.Fatalf("shared on %v, want the two apps that list the portal", ids)
	}
	other := items(t, got[0], "uris")[0]["also_on"].([]map[string]any)
	if len(other) != 1 || other[0]["id"] != "app-b" || other[0]["name"] != "App b" {
		t.Errorf("app-a's URI is also on %v", other)
	}
}

func TestOwnedDomainsFromPolicyOrTenant(t *testing.T) {
	uri := "https://app.fabrikam.com/cb"
	s := &snapshot.Snapshot{Applications: []snapshot.Application{web("a", uri)}, Domains: contoso()}
	if got := targets(evaluate(t, s, Options{}), RedirectURIUnownedDomain); len(got) != 1 {
		t.Errorf("verified domains: findings on %v, want one", got)
	}
	owned := parsePolicy(t, "version: 1\nowned_domains: [fabrikam.com]\n")
	if res := evaluate(t, s, Options{Policy: owned}); len(of(res, RedirectURIUnownedDomain)) != 0 {
		t.Errorf("the policy's owned domains must replace the verified ones: %+v", res.Findings)
	}
	s.Domains = nil
	res := evaluate(t, s, Options{})
	if len(of(res, RedirectURIUnownedDomain)) != 0 || len(res.Notes) != 1 {
		t.Errorf("no domains known: findings %+v, notes %q", res.Findings, res.Notes)
	}
}

func TestIdentifierURIs(t *testing.T) {
	a, _ := app("a")
	a.IdentifierURIs = []string{
		"api://ab11ab11-1111-4111-8111-111111111111",
		"api://contoso.com/payroll",
		"https://contoso.onmicrosoft.com/payroll",
		"api://fabrikam.com/payroll",
		"https://payroll.partner.example",
		"api://payroll",
	}
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}, Options{})
	got := of(res, IdentifierURIUnownedDomain)
	if len(got) != 1 || got[0].GuideRow != "dangling-uri" {
		t.Fatalf("findings = %+v", res.Findings)
	}
	list := items(t, got[0], "uris")
	if !slices.Equal(values(list, "host"), []string{"fabrikam.com", "payroll.partner.example"}) {
		t.Errorf("unowned identifier hosts = %v", values(list, "host"))
	}
}

func TestLogoutURL(t *testing.T) {
	tests := []struct {
		name   string
		web    *snapshot.Web
		want   string
		state  string
		counts bool
	}{
		{"missing", &snapshot.Web{RedirectURIs: []string{"https://a.contoso.com"}}, LogoutURLMissing, "missing", true},
		{"blank", &snapshot.Web{RedirectURIs: []string{"https://a.contoso.com"}, LogoutURL: "  "}, LogoutURLMissing, "blank", true},
		{"missing on an app that signs no one in", &snapshot.Web{}, "", "", false},
		{"plain HTTP", &snapshot.Web{RedirectURIs: []string{"https://a.contoso.com"}, LogoutURL: "http://a.contoso.com/out"}, LogoutURLNotHTTPS, "", true},
		{"loopback HTTP", &snapshot.Web{RedirectURIs: []string{"http://localhost"}, LogoutURL: "http://localhost/out"}, "", "", false},
		{"HTTPS", &snapshot.Web{RedirectURIs: []string{"https://a.contoso.com"}, LogoutURL: "https://a.contoso.com/out"}, "", "", false},
		{"no web platform read", nil, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := app("a")
			a.Web = tt.web
			res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}, Options{})
			if !tt.counts {
				if len(res.Findings) != 0 {
					t.Errorf("findings = %+v", res.Findings)
				}
				return
			}
			got := of(res, tt.want)
			if len(got) != 1 || got[0].GuideRow != "logout-url-change" || got[0].Level != alert.LevelLow {
				t.Fatalf("findings = %+v", res.Findings)
			}
			if tt.state != "" && got[0].Evidence["state"] != tt.state {
				t.Errorf("state = %v, want %s", got[0].Evidence["state"], tt.state)
			}
		})
	}
}

// dnsZone is what the fixtures' DNS server knows.
var dnsZone = map[string]dnstest.Name{
	"app.contoso.com":               {A: "192.0.2.1"},
	"b.contoso.com":                 {A: "192.0.2.3"},
	"login.contoso.com":             {CNAME: "contoso-login.azurewebsites.net"}, // web app deleted
	"www.contoso.com":               {CNAME: "contoso-www.azurewebsites.net"},
	"contoso-www.azurewebsites.net": {A: "192.0.2.2"},
	"slow.contoso.com":              {Drop: true},
	"broken.contoso.com":            {ServFail: true},
}

// resolver starts a DNS server on loopback and returns a resolver that
// asks it.
func resolver(t *testing.T) (*dnscheck.Resolver, *dnstest.Server) {
	t.Helper()
	srv, err := dnstest.Start(dnsZone, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	r, err := dnscheck.New(dnscheck.Config{Server: srv.Addr, Timeout: 100 * time.Millisecond, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r, srv
}

func TestDanglingURIs(t *testing.T) {
	a := web("a", "https://login.contoso.com/signin", "https://www.contoso.com/signin", "https://app.contoso.com/signin",
		"https://slow.contoso.com/cb", "https://broken.contoso.com/cb", "http://localhost/cb")
	a.IdentifierURIs = []string{"https://api.retired-partner.example/payroll", "api://ab11ab11-1111-4111-8111-111111111111"}
	a.Web.LogoutURL = "https://gone.contoso.com/signout"
	b := web("b", "https://app.contoso.com/signin")
	s := &snapshot.Snapshot{Applications: []snapshot.Application{a, b}, Domains: contoso()}
	r, srv := resolver(t)
	res := evaluate(t, s, Options{DNS: r})

	red := of(res, RedirectURIDangling)
	if len(red) != 1 || red[0].Level != alert.LevelHigh || red[0].GuideRow != "dangling-uri" {
		t.Fatalf("redirect findings = %+v", red)
	}
	u := items(t, red[0], "uris")
	if len(u) != 1 || u[0]["uri"] != "https://login.contoso.com/signin" || u[0]["dns"] != "dangling_cname" || u[0]["claimable"] != true ||
		!slices.Equal(u[0]["chain"].([]string), []string{"contoso-login.azurewebsites.net"}) {
		t.Errorf("dangling redirect = %v", u)
	}
	id := of(res, IdentifierURIDangling)
	if len(id) != 1 || items(t, id[0], "uris")[0]["dns"] != "nxdomain" || id[0].Level != alert.LevelHigh {
		t.Errorf("identifier findings = %+v", id)
	}
	out := of(res, LogoutURLDangling)
	if len(out) != 1 || out[0].Level != alert.LevelMedium || out[0].GuideRow != "logout-url-change" {
		t.Errorf("a missing name under an owned domain that no one can claim keeps the check's level; findings = %+v", out)
	}
	d := res.DNS
	if !d.Enabled || d.Hosts != 8 || d.Dangling != 3 || len(d.Unknown) != 2 ||
		d.Unknown[0].Host != "broken.contoso.com" || d.Unknown[1].State != dnscheck.Timeout {
		t.Errorf("DNS summary = %+v", d)
	}
	if n := srv.Queries("app.contoso.com"); n != 1 {
		t.Errorf("app.contoso.com, on two apps, asked %d times", n)
	}
}

func TestDNSOff(t *testing.T) {
	a := web("a", "https://login.contoso.com/signin")
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}, Options{})
	if res.DNS.Enabled || len(of(res, RedirectURIDangling)) != 0 {
		t.Errorf("DNS off: %+v, findings %+v", res.DNS, res.Findings)
	}
}

// stubDNS answers from a table without any network.
type stubDNS map[string]dnscheck.Result

func (s stubDNS) LookupAll(_ context.Context, hosts []string) map[string]dnscheck.Result {
	out := map[string]dnscheck.Result{}
	for _, h := range hosts {
		if r, ok := s[h]; ok {
			out[h] = r
		} else {
			out[h] = dnscheck.Result{Host: h, State: dnscheck.Resolves}
		}
	}
	return out
}

// TestDNSSkippedNamesSayWhy checks that names DNS did not check are kept
// apart from names it could not judge, and that a note counts them by
// reason.
func TestDNSSkippedNamesSayWhy(t *testing.T) {
	limit := "time limit of 2m0s for DNS lookups reached"
	stub := stubDNS{
		"a.contoso.com": {Host: "a.contoso.com", State: dnscheck.Skipped, Detail: limit},
		"b.contoso.com": {Host: "b.contoso.com", State: dnscheck.Skipped, Detail: limit},
		"c.contoso.com": {Host: "c.contoso.com", State: dnscheck.Timeout},
		"d.contoso.com": {Host: "d.contoso.com", State: dnscheck.Skipped, Detail: "lookup limit of 3 names reached"},
	}
	a := web("a", "https://a.contoso.com/x", "https://b.contoso.com/x", "https://c.contoso.com/x", "https://d.contoso.com/x", "https://e.contoso.com/x")
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()}, Options{DNS: stub})
	d := res.DNS
	if d.Hosts != 5 || len(d.Skipped) != 3 || len(d.Unknown) != 1 || d.Unknown[0].Host != "c.contoso.com" || d.Skipped[0].Host != "a.contoso.com" {
		t.Errorf("DNS summary = %+v", d)
	}
	for _, want := range []string{
		"1 of 5 host names got no answer from DNS (timeout, SERVFAIL or error) and were not judged",
		"2 of 5 host names were not checked in DNS: " + limit,
		"1 of 5 host names were not checked in DNS: lookup limit of 3 names reached",
	} {
		if !slices.Contains(res.Notes, want) {
			t.Errorf("notes %q lack %q", res.Notes, want)
		}
	}
}

func TestDanglingLevels(t *testing.T) {
	tests := []struct {
		name string
		res  dnscheck.Result
		want string
	}{
		{"claimable name", dnscheck.Result{State: dnscheck.NXDomain, Claimable: true}, alert.LevelHigh},
		{"missing owned name", dnscheck.Result{State: dnscheck.NXDomain}, alert.LevelMedium},
		{"alias of a lapsed foreign domain", dnscheck.Result{State: dnscheck.DanglingCNAME, Chain: []string{"x.lapsed.example"}}, alert.LevelHigh},
		{"alias of a missing owned name", dnscheck.Result{State: dnscheck.DanglingCNAME, Chain: []string{"y.contoso.com"}}, alert.LevelMedium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := web("a")
			a.Web.LogoutURL = "https://x.contoso.com/out"
			tt.res.Host = "x.contoso.com"
			res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}, Domains: contoso()},
				Options{DNS: stubDNS{"x.contoso.com": tt.res}})
			if got := of(res, LogoutURLDangling); len(got) != 1 || got[0].Level != tt.want {
				t.Errorf("findings = %+v, want level %s", got, tt.want)
			}
		})
	}
}

// countingResolver answers every host as resolving and counts lookups.
type countingResolver struct{ hosts int }

func (r *countingResolver) LookupAll(_ context.Context, hosts []string) map[string]dnscheck.Result {
	r.hosts += len(hosts)
	return map[string]dnscheck.Result{}
}

func TestOnlySomeChecks(t *testing.T) {
	s := &snapshot.Snapshot{Applications: []snapshot.Application{web("a", "https://*.fabrikam.com/signin")}}
	tests := []struct {
		checks     []string
		want       []string
		lookups    bool
		domainNote bool
	}{
		{nil, []string{RedirectURIWildcard}, true, true},
		{[]string{RedirectURIWildcard}, []string{RedirectURIWildcard}, false, false},
		{[]string{RedirectURIUnownedDomain, LogoutURLDangling}, nil, true, true},
		{[]string{CredentialExpired}, nil, false, false},
	}
	for _, tt := range tests {
		dns := &countingResolver{}
		res := evaluate(t, s, Options{Checks: tt.checks, DNS: dns})
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.RuleID)
		}
		if !same(got, tt.want) {
			t.Errorf("checks %v: findings %v, want %v", tt.checks, got, tt.want)
		}
		if (dns.hosts > 0) != tt.lookups {
			t.Errorf("checks %v: %d host names looked up", tt.checks, dns.hosts)
		}
		if (len(res.Notes) > 0) != tt.domainNote {
			t.Errorf("checks %v: notes %q", tt.checks, res.Notes)
		}
	}
	if _, err := Evaluate(t.Context(), s, Options{Ref: ref(t), Checks: []string{"no-such-check"}}); err == nil {
		t.Error("an unknown check id raised no error")
	}
}
