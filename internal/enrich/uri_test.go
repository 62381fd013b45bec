package enrich

import (
	"reflect"
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

const ownedPolicy = "version: 1\nowned_domains: [contoso.com]\n"

const msalURI = "msal0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d://auth"

func fact(uri string, issues ...string) event.URIFact {
	if len(issues) == 0 {
		issues = nil
	}
	return event.URIFact{URI: uri, Issues: issues}
}

func checkURI(t *testing.T, e *event.Event, want event.URIFacts) {
	t.Helper()
	if got := e.Derived.URI; !reflect.DeepEqual(got, want) {
		t.Errorf("uri facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestURIFixtures(t *testing.T) {
	redirectsAdded := func(owned bool) []event.URIFact {
		notOwned := func(issues ...string) []string {
			if owned {
				return append([]string{"not_owned_domain"}, issues...)
			}
			return issues
		}
		return []event.URIFact{
			fact("http://portal.contoso.com/callback", "not_https"),
			fact("https://*.contoso.com/callback", "wildcard"),
			fact("https://login.evil-example.net/cb", notOwned()...),
			fact("https://contoso-portal.azurewebsites.net/signin", notOwned("claimable_host")...),
			fact("http://localhost:5000/cb"),
			fact("http://127.0.0.1/cb"),
			fact(msalURI),
			fact("ms-appx-web://microsoft.aad.brokerplugin/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
			// AddressType 4 is not a reply URL but is reported all the same.
			fact("https://portal.contoso.com/reply"),
		}
	}
	tests := []struct {
		policy string
		id     string
		want   event.URIFacts
	}{
		{ownedPolicy, "uri-update-redirects", event.URIFacts{RedirectAdded: redirectsAdded(true)}},
		{"", "uri-update-redirects", event.URIFacts{RedirectAdded: redirectsAdded(false)}},
		{ownedPolicy, "uri-update-removed", event.URIFacts{RedirectRemoved: []string{"https://old.contoso.com/cb"}}},
		// The service principal of the same application, logged under
		// another object id, does not share the URI with another app.
		{ownedPolicy, "uri-sp-same-app", event.URIFacts{RedirectAdded: []event.URIFact{fact("https://portal.contoso.com/signin")}}},
		// Another application registers the same URI (with a trailing slash).
		{ownedPolicy, "uri-shared", event.URIFacts{RedirectAdded: []event.URIFact{
			fact("https://portal.contoso.com/signin/", "shared_with_other_app"),
		}}},
		{ownedPolicy, "uri-identifier", event.URIFacts{
			IdentifierAdded: []event.URIFact{
				fact("api://contoso.com/portal"),
				fact("https://portal.fabrikam-lookalike.net", "not_owned_domain"),
			},
			IdentifierRemoved: []string{"api://ab11ab11-1111-4111-8111-111111111111"},
		}},
		{ownedPolicy, "uri-logout-removed", event.URIFacts{
			LogoutChanged: true, LogoutOld: "https://portal.contoso.com/logout", LogoutIssues: []string{"blank"},
		}},
		{ownedPolicy, "uri-logout-http", event.URIFacts{
			LogoutChanged: true, LogoutOld: "https://portal.contoso.com/logout",
			LogoutNew:    "http://contoso-portal.azurewebsites.net/logout",
			LogoutIssues: []string{"not_https", "not_owned_domain", "claimable_host"},
		}},
	}
	cache := map[string]map[string]*event.Event{}
	for _, tt := range tests {
		name := tt.id
		if tt.policy == "" {
			name += " without owned domains"
		}
		t.Run(name, func(t *testing.T) {
			evs, ok := cache[tt.policy]
			if !ok {
				pol := testPolicy(t, "version: 1\n")
				if tt.policy != "" {
					pol = testPolicy(t, tt.policy)
				}
				evs = fixture(t, "uris.json", pol)
				cache[tt.policy] = evs
			}
			checkURI(t, get(t, evs, tt.id), tt.want)
		})
	}
}

func TestURIRealAddServicePrincipal(t *testing.T) {
	e := byActivity(t, realSample(t, "audit/sekoia-intake-formats__entra-eventhub__add_service_principal_failure.json"), "Add service principal")
	checkURI(t, e, event.URIFacts{RedirectAdded: []event.URIFact{
		fact("https://main.protectioncenter.ext.azure.com"),
		fact("https://s2.cloudappdiscovery.ext.azure.com/"),
	}})
}

func TestURISharedMemoryIsBounded(t *testing.T) {
	u := newURIEnricher(testPolicy(t, "version: 1\n"), 2)
	add := func(app, uri string) []string {
		e := &event.Event{Kind: event.KindAudit, ActivityKey: "update application",
			Derived: event.Derived{App: event.AppFacts{ID: app, Name: app}},
			Targets: []event.Target{{Props: []event.Property{{
				Name: "AppAddress",
				New:  modpropValue(`{"AddressType":0,"Address":"` + uri + `"}`),
			}}}}}
		u.Enrich(e)
		return e.Derived.URI.RedirectAdded[0].Issues
	}
	add("a", "https://one.contoso.com")
	if got := add("b", "https://one.contoso.com"); !slices.Equal(got, []string{"shared_with_other_app"}) {
		t.Fatalf("issues = %v, want shared_with_other_app", got)
	}
	add("a", "https://two.contoso.com")
	add("a", "https://three.contoso.com") // forgets one.contoso.com
	if got := add("c", "https://one.contoso.com"); got != nil {
		t.Errorf("issues = %v after the URI was forgotten, want none", got)
	}
	if n := len(u.seen.m); n != 2 {
		t.Errorf("remembered %d URIs, want 2", n)
	}
}

func TestURIIssues(t *testing.T) {
	u := newURIEnricher(testPolicy(t, ownedPolicy), 1)
	tests := []struct {
		uri  string
		want []string
	}{
		{"https://app.contoso.com/cb", nil},
		{"https://contoso.com", nil},
		{"https://evilcontoso.com/cb", []string{"not_owned_domain"}},
		{"http://localhost/cb", nil},
		{"http://127.0.0.2:8080/cb", nil},
		{"http://[::1]/cb", nil},
		{"http://10.0.0.5/cb", []string{"not_https", "not_owned_domain"}},
		{"https://contoso.azurewebsites.net", []string{"not_owned_domain", "claimable_host"}},
		{"https://azurewebsites.net.contoso.com", nil},
		{"https://x.blob.core.windows.net/c", []string{"not_owned_domain", "claimable_host"}},
		{"https://*.azurewebsites.net", []string{"wildcard", "not_owned_domain", "claimable_host"}},
		{"https://app.contoso.com/*", []string{"wildcard"}},
		{"api://ab11ab11-1111-4111-8111-111111111111", nil},
		{"api://fabrikam.com/app", []string{"not_owned_domain"}},
		{"api://payroll", nil},
		{"myapp://callback", nil},
		{"urn:ietf:wg:oauth:2.0:oob", nil},
	}
	for _, tt := range tests {
		if got := u.issues(tt.uri); !slices.Equal(got, tt.want) {
			t.Errorf("issues(%q) = %v, want %v", tt.uri, got, tt.want)
		}
	}
}
