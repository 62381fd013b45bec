package enrich

import (
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// Names of the properties that hold URIs. The logout URL has no documented
// property name; any property whose name holds logoutWord is taken for it.
const (
	propAppAddress    = "AppAddress"
	propIdentifierURI = "AppIdentifierUri"
	logoutWord        = "logout"
)

// maxSeenURIs bounds how many redirect URIs the uri enricher remembers to
// spot URIs shared between applications, and maxOwners how many
// applications it remembers for each.
const (
	maxSeenURIs = 100_000
	maxOwners   = 4
)

// uriOwner is the application a redirect URI was seen on.
type uriOwner struct {
	key  string // app id, or object id
	name string
}

// same reports whether o and p are the same application. An application
// and its service principal may be logged with different ids, so the same
// display name counts as the same application too.
func (o uriOwner) same(p uriOwner) bool {
	return o.key != "" && strings.EqualFold(o.key, p.key) || o.name != "" && strings.EqualFold(o.name, p.name)
}

// uriActivities are the activities whose records may carry redirect,
// identifier or logout URIs.
func uriActivities() activitySet {
	return activities(
		"Add application", "Add service principal",
		"Update application", "Update application with safe rollout", "Update service principal",
	)
}

// uriEnricher describes changes to redirect URIs, identifier URIs and the
// logout URL (see event.URIFacts). It remembers which application each
// redirect URI was seen on.
type uriEnricher struct {
	pol    *policy.Policy
	tenant *Tenant // may be nil
	acts   activitySet
	seen   *fifoMap[[]uriOwner]
}

func newURIEnricher(pol *policy.Policy, tenant *Tenant, maxSeen int) *uriEnricher {
	return &uriEnricher{
		pol:    pol,
		tenant: tenant,
		acts:   uriActivities(),
		seen:   newFIFOMap[[]uriOwner](maxSeen),
	}
}

// Name returns "uri".
func (u *uriEnricher) Name() string { return "uri" }

// Enrich fills e.Derived.URI. It needs e.Derived.App, so it runs after
// the app enricher.
func (u *uriEnricher) Enrich(e *event.Event) {
	if !u.handles(e) {
		return
	}
	f := &e.Derived.URI
	if p := anyProp(e, propAppAddress); p != nil {
		u.redirects(e, p)
	}
	if p := anyProp(e, propIdentifierURI); p != nil {
		added, removed := diff(p.Old.Items, p.New.Items)
		f.IdentifierRemoved = removed
		for _, uri := range added {
			f.IdentifierAdded = append(f.IdentifierAdded, u.fact(uri))
		}
	}
	if p := logoutProp(e); p != nil {
		u.logout(f, p)
	}
}

// handles reports whether e is a record the enricher looks at.
func (u *uriEnricher) handles(e *event.Event) bool {
	return e.Kind == event.KindAudit && u.acts[e.ActivityKey]
}

// redirects compares the old and new AppAddress lists and remembers every
// URI in them as the application's.
func (u *uriEnricher) redirects(e *event.Event, p *event.Property) {
	old := modprop.URIs(modprop.ParseAppAddress(p.Old.Items))
	cur := modprop.URIs(modprop.ParseAppAddress(p.New.Items))
	added, removed := diff(old, cur)
	f := &e.Derived.URI
	f.RedirectRemoved = removed
	owner := uriOwner{key: e.Derived.App.Key(), name: e.Derived.App.Name}
	if t := firstOf(e, typeApplication, typeServicePrincipal); owner.key == "" && owner.name == "" && t != nil {
		owner = uriOwner{key: t.ID, name: t.Name}
	}
	for _, uri := range added {
		fact := u.fact(uri)
		if u.sharedWithOther(uricheck.Key(uri), owner) {
			fact.Issues = append(fact.Issues, uricheck.IssueShared)
		}
		f.RedirectAdded = append(f.RedirectAdded, fact)
	}
	for _, list := range [][]string{old, cur} {
		for _, uri := range list {
			u.remember(uricheck.Key(uri), owner)
		}
	}
}

// sharedWithOther reports whether the URI was seen on an application other
// than owner, in the logs or in the tenant snapshot.
func (u *uriEnricher) sharedWithOther(key string, owner uriOwner) bool {
	owners, _ := u.seen.get(key)
	for _, list := range [][]uriOwner{owners, u.tenant.redirectOwners(key)} {
		for _, o := range list {
			if !o.same(owner) {
				return true
			}
		}
	}
	return false
}

// remember records that owner has the URI, keeping up to maxOwners
// applications for each URI.
func (u *uriEnricher) remember(key string, owner uriOwner) {
	owners, _ := u.seen.get(key)
	if len(owners) >= maxOwners || slices.ContainsFunc(owners, owner.same) {
		return
	}
	owner = uriOwner{key: strings.Clone(owner.key), name: strings.Clone(owner.name)}
	u.seen.put(key, append(slices.Clip(owners), owner))
}

// logout records a change of the logout URL.
func (u *uriEnricher) logout(f *event.URIFacts, p *event.Property) {
	old, cur := strings.TrimSpace(p.Old.String()), strings.TrimSpace(p.New.String())
	if old == cur {
		return
	}
	f.LogoutChanged, f.LogoutOld, f.LogoutNew = true, old, cur
	if cur == "" {
		f.LogoutIssues = []string{uricheck.IssueBlank}
		return
	}
	fact := u.fact(cur)
	f.LogoutIssues, f.LogoutHost, f.LogoutOwnership = fact.Issues, fact.Host, fact.Ownership
}

// fact describes a URI added to an application: what is wrong with it
// (see uricheck.Issues), the shared domain its host is under, and whether
// the tenant owns the host.
func (u *uriEnricher) fact(uri string) event.URIFact {
	f := event.URIFact{URI: uri, Issues: uricheck.Issues(uri, u.owns)}
	if sh, ok := uricheck.ClassifyURI(uri); ok {
		f.Host = &event.SharedHost{Category: sh.Category, Suffix: sh.Suffix, Owner: sh.Owner}
	}
	if host, ok := uricheck.Domain(uri); ok {
		f.Ownership, f.OwnershipFrom = u.ownership(host)
	}
	return f
}

// owns tells whether the tenant owns host by the policy's owned domains
// or the snapshot's verified ones; configured is false when neither lists
// any.
func (u *uriEnricher) owns(host string) (ok, configured bool) {
	byPolicy, inPolicy := u.pol.OwnsDomain(host)
	bySnapshot, inSnapshot := u.tenant.OwnsDomain(host)
	return byPolicy || bySnapshot, inPolicy || inSnapshot
}

// ownership says whether the tenant owns host (event.OwnershipOwned,
// OwnershipNotOwned) and what says so ("policy", "snapshot" or both), or
// OwnershipUndecided when neither the policy nor a snapshot lists the
// tenant's domains, so that the record alone cannot tell.
func (u *uriEnricher) ownership(host string) (state, from string) {
	byPolicy, inPolicy := u.pol.OwnsDomain(host)
	bySnapshot, inSnapshot := u.tenant.OwnsDomain(host)
	if !inPolicy && !inSnapshot {
		return event.OwnershipUndecided, ""
	}
	state = event.OwnershipNotOwned
	if byPolicy || bySnapshot {
		state = event.OwnershipOwned
		// Only what owns the host says so.
		inPolicy, inSnapshot = byPolicy, bySnapshot
	}
	var sources []string
	if inPolicy {
		sources = append(sources, "policy")
	}
	if inSnapshot {
		sources = append(sources, "snapshot")
	}
	return state, strings.Join(sources, ",")
}

// logoutProp returns the property holding the logout URL: no name is
// documented, so any property whose name mentions "logout".
func logoutProp(e *event.Event) *event.Property {
	for i := range e.Targets {
		for j := range e.Targets[i].Props {
			if p := &e.Targets[i].Props[j]; hasFold(p.Name, logoutWord) {
				return p
			}
		}
	}
	return nil
}

// diff returns the entries of cur not in old and those of old not in cur.
func diff(old, cur []string) (added, removed []string) {
	for _, s := range cur {
		if !slices.Contains(old, s) && !slices.Contains(added, s) {
			added = append(added, s)
		}
	}
	for _, s := range old {
		if !slices.Contains(cur, s) && !slices.Contains(removed, s) {
			removed = append(removed, s)
		}
	}
	return added, removed
}

// hasFold reports whether s contains sub, ignoring ASCII case.
func hasFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
