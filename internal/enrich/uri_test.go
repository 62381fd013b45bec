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

// owned sets what the fact says of the tenant's ownership of its host.
func owned(f event.URIFact, state, from string) event.URIFact {
	f.Ownership, f.OwnershipFrom = state, from
	return f
}

// azureWebsites is the shared domain of App Service.
var azureWebsites = &event.SharedHost{Category: "cloud_hosting", Suffix: "azurewebsites.net", Owner: "Microsoft Corporation"}

// onHost sets the shared domain of the fact's host.
func onHost(f event.URIFact, h *event.SharedHost) event.URIFact {
	f.Host = h
	return f
}

func checkURI(t *testing.T, e *event.Event, want event.URIFacts) {
	t.Helper()
	if got := e.Derived.URI; !reflect.DeepEqual(got, want) {
		t.Errorf("uri facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestURIFixtures(t *testing.T) {
	redirectsAdded := func(policy bool) []event.URIFact {
		// Without owned domains in the policy, ownership is undecided.
		own := func(f event.URIFact, state string) event.URIFact {
			if !policy {
				return owned(f, "undecided", "")
			}
			if state == "not_owned" {
				f.Issues = append([]string{"not_owned_domain"}, f.Issues...)
			}
			return owned(f, state, "policy")
		}
		return []event.URIFact{
			own(fact("http://portal.contoso.com/callback", "not_https"), "owned"),
			own(fact("https://*.contoso.com/callback", "wildcard"), "owned"),
			own(fact("https://login.evil-example.net/cb"), "not_owned"),
			onHost(own(fact("https://contoso-portal.azurewebsites.net/signin", "claimable_host"), "not_owned"), azureWebsites),
			fact("http://localhost:5000/cb"),
			fact("http://127.0.0.1/cb"),
			fact(msalURI),
			fact("ms-appx-web://microsoft.aad.brokerplugin/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
			// AddressType 4 is not a reply URL but is reported all the same.
			own(fact("https://portal.contoso.com/reply"), "owned"),
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
		{ownedPolicy, "uri-sp-same-app", event.URIFacts{RedirectAdded: []event.URIFact{owned(fact("https://portal.contoso.com/signin"), "owned", "policy")}}},
		// Another application registers the same URI (with a trailing slash).
		{ownedPolicy, "uri-shared", event.URIFacts{RedirectAdded: []event.URIFact{
			owned(fact("https://portal.contoso.com/signin/", "shared_with_other_app"), "owned", "policy"),
		}}},
		{ownedPolicy, "uri-identifier", event.URIFacts{
			IdentifierAdded: []event.URIFact{
				owned(fact("api://contoso.com/portal"), "owned", "policy"),
				owned(fact("https://portal.fabrikam-lookalike.net", "not_owned_domain"), "not_owned", "policy"),
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
			LogoutHost:   azureWebsites, LogoutOwnership: "not_owned",
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
		owned(fact("https://main.protectioncenter.ext.azure.com"), "undecided", ""),
		owned(fact("https://s2.cloudappdiscovery.ext.azure.com/"), "undecided", ""),
	}})
}

func TestURISharedMemoryIsBounded(t *testing.T) {
	u := newURIEnricher(testPolicy(t, "version: 1\n"), nil, 2)
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
	u := newURIEnricher(testPolicy(t, ownedPolicy), nil, 1)
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
		if got := u.fact(tt.uri).Issues; !slices.Equal(got, tt.want) {
			t.Errorf("fact(%q).Issues = %v, want %v", tt.uri, got, tt.want)
		}
	}
}
