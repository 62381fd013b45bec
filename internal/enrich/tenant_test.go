package enrich

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// testSnapshot is a tenant with two verified domains and one unverified,
// the Payroll application with its service principal, and another
// application's redirect URI.
func testSnapshot() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Domains: []snapshot.Domain{
			{ID: "contoso.com", IsVerified: true},
			{ID: "Contoso.onmicrosoft.com", IsVerified: true},
			{ID: "fabrikam.com", IsVerified: false},
		},
		ServicePrincipals: []snapshot.ServicePrincipal{
			{ID: "E1E1E1E1-1111-4111-8111-111111111111", AppID: "a1a1a1a1-1111-4111-8111-111111111111", DisplayName: "Tenant Automation"},
		},
		Applications: []snapshot.Application{
			{ID: "app-obj", AppID: "b2b2b2b2-2222-4222-8222-222222222222", DisplayName: "Billing",
				Web: &snapshot.Web{RedirectURIs: []string{"https://billing.contoso.com/signin"}}},
		},
	}
}

func TestTenantOwnsDomain(t *testing.T) {
	tn := NewTenant(testSnapshot())
	for host, want := range map[string]bool{
		"contoso.com": true, "app.contoso.com": true, "APP.Contoso.COM.": true,
		"portal.contoso.onmicrosoft.com": true, "fabrikam.com": false, "evilcontoso.com": false,
	} {
		if ok, configured := tn.OwnsDomain(host); ok != want || !configured {
			t.Errorf("OwnsDomain(%q) = %v, %v; want %v, true", host, ok, configured, want)
		}
	}
	if _, configured := NewTenant(nil).OwnsDomain("contoso.com"); configured {
		t.Error("a tenant without a snapshot lists domains")
	}
	var none *Tenant
	if _, ok := none.ServicePrincipal("x"); ok {
		t.Error("a nil tenant knows a service principal")
	}
}

// TestURIOwnershipSources checks what decides whether the tenant owns a
// redirect URI's host: the policy, the snapshot, both, or nothing.
func TestURIOwnershipSources(t *testing.T) {
	const uri = "https://portal.contoso.com/cb"
	const foreign = "https://portal.evil-example.net/cb"
	tests := []struct {
		name           string
		policy         string
		snap           *snapshot.Snapshot
		uri            string
		state, from    string
		notOwnedIssued bool
	}{
		{"nothing lists domains", "version: 1\n", nil, uri, "undecided", "", false},
		{"nothing lists domains, foreign", "version: 1\n", nil, foreign, "undecided", "", false},
		{"policy", ownedPolicy, nil, uri, "owned", "policy", false},
		{"snapshot", "version: 1\n", testSnapshot(), uri, "owned", "snapshot", false},
		{"snapshot, foreign", "version: 1\n", testSnapshot(), foreign, "not_owned", "snapshot", true},
		{"both", ownedPolicy, testSnapshot(), uri, "owned", "policy,snapshot", false},
		{"both, foreign", ownedPolicy, testSnapshot(), foreign, "not_owned", "policy,snapshot", true},
		{"policy only owns it", "version: 1\nowned_domains: [evil-example.net]\n", testSnapshot(), foreign, "owned", "policy", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newURIEnricher(testPolicy(t, tt.policy), NewTenant(tt.snap), 8)
			f := u.fact(tt.uri)
			if f.Ownership != tt.state || f.OwnershipFrom != tt.from {
				t.Errorf("ownership %q from %q, want %q from %q", f.Ownership, f.OwnershipFrom, tt.state, tt.from)
			}
			if got := slices.Contains(f.Issues, "not_owned_domain"); got != tt.notOwnedIssued {
				t.Errorf("issues %v, want not_owned_domain: %v", f.Issues, tt.notOwnedIssued)
			}
		})
	}
}

// TestURISharedWithSnapshotApp checks that a redirect URI another
// application of the snapshot uses is reported as shared, and one the
// same application uses is not.
func TestURISharedWithSnapshotApp(t *testing.T) {
	add := func(appID, uri string) []string {
		u := newURIEnricher(testPolicy(t, ownedPolicy), NewTenant(testSnapshot()), 8)
		e := &event.Event{Kind: event.KindAudit, ActivityKey: "update application",
			Derived: event.Derived{App: event.AppFacts{ID: appID, Name: appID}},
			Targets: []event.Target{{Props: []event.Property{{
				Name: "AppAddress",
				New:  modpropValue(`{"AddressType":0,"Address":"` + uri + `"}`),
			}}}}}
		u.Enrich(e)
		return e.Derived.URI.RedirectAdded[0].Issues
	}
	if got := add("c3c3c3c3-3333-4333-8333-333333333333", "https://billing.contoso.com/signin/"); !slices.Equal(got, []string{"shared_with_other_app"}) {
		t.Errorf("another app: issues %v, want shared_with_other_app", got)
	}
	if got := add("b2b2b2b2-2222-4222-8222-222222222222", "https://billing.contoso.com/signin"); got != nil {
		t.Errorf("the same app: issues %v, want none", got)
	}
}

// TestRoleMemberFromSnapshot checks that a member the record gives no
// usable type for is taken for a service principal when the snapshot
// knows it as one, and that the snapshot gives the app id PIM's records
// lack.
func TestRoleMemberFromSnapshot(t *testing.T) {
	const sp = "e1e1e1e1-1111-4111-8111-111111111111"
	role := event.Target{ID: globalAdmin, Type: "Role", Name: "Global Administrator"}
	tests := []struct {
		name     string
		activity string
		member   event.Target
		want     event.RoleFacts
		appID    string
	}{
		{"untyped member", "Add member to role", event.Target{ID: sp, Type: "Other", Props: []event.Property{
			{Name: "Role.TemplateId", New: modpropValue(`"` + globalAdmin + `"`)},
		}}, event.RoleFacts{Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
			MemberType: "ServicePrincipal", MemberID: sp, MemberFrom: "snapshot", Scope: "/", Change: "add", Assignment: "active", Stage: "done"},
			"a1a1a1a1-1111-4111-8111-111111111111"},
		{"PIM record", "Add member to role in PIM completed (permanent)", event.Target{ID: sp, Type: "ServicePrincipal", Name: "Tenant Automation"},
			event.RoleFacts{Name: "Global Administrator", TemplateID: globalAdmin, Privileged: "true", Source: "entra",
				MemberType: "ServicePrincipal", MemberID: sp, Scope: "/", Change: "add", Assignment: "active", Stage: "done"},
			"a1a1a1a1-1111-4111-8111-111111111111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tn := range []*Tenant{nil, NewTenant(testSnapshot())} {
				e := &event.Event{Kind: event.KindAudit, Activity: tt.activity, ActivityKey: event.NormalizeActivity(tt.activity),
					Category: "RoleManagement", Targets: []event.Target{role, tt.member}}
				New(testRef(t), nil, WithTenant(tn)).Enrich(e)
				want, appID := tt.want, tt.appID
				if tn == nil {
					if want.MemberFrom != "" {
						want.MemberType, want.MemberFrom = "Other", ""
					}
					appID = ""
				}
				checkRole(t, e, want)
				if e.Derived.App.ID != appID {
					t.Errorf("tenant %v: app id %q, want %q", tn != nil, e.Derived.App.ID, appID)
				}
			}
		})
	}
}
