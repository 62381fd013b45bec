package enrich

import (
	"strings"

	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// Tenant is what a snapshot of the tenant (appwatch posture collect, or
// Graph exports) tells the enrichers when a record alone cannot: the
// domains the tenant has verified, its service principals, and the
// redirect URIs its applications already use. It is read-only once built
// and safe for concurrent use.
type Tenant struct {
	domains   []string                             // verified domains, lower case
	sps       map[string]snapshot.ServicePrincipal // by lower-case object id
	redirects map[string][]uriOwner                // by uricheck.Key
}

// NewTenant indexes a snapshot. A nil snapshot gives a Tenant that knows
// nothing.
func NewTenant(s *snapshot.Snapshot) *Tenant {
	t := &Tenant{sps: map[string]snapshot.ServicePrincipal{}, redirects: map[string][]uriOwner{}}
	if s == nil {
		return t
	}
	for _, d := range s.Domains {
		if d.IsVerified && d.ID != "" {
			t.domains = append(t.domains, strings.Trim(strings.ToLower(d.ID), "."))
		}
	}
	for _, sp := range s.ServicePrincipals {
		t.sps[strings.ToLower(sp.ID)] = sp
		for _, u := range sp.ReplyURLs {
			t.addRedirect(u, uriOwner{key: sp.AppID, name: sp.DisplayName})
		}
	}
	for _, app := range s.Applications {
		owner := uriOwner{key: app.AppID, name: app.DisplayName}
		for _, u := range appRedirects(app) {
			t.addRedirect(u, owner)
		}
	}
	return t
}

// appRedirects lists an application's redirect URIs on every platform.
func appRedirects(app snapshot.Application) []string {
	var out []string
	if app.Web != nil {
		out = append(out, app.Web.RedirectURIs...)
	}
	for _, p := range []*snapshot.RedirectURIs{app.SPA, app.PublicClient} {
		if p != nil {
			out = append(out, p.RedirectURIs...)
		}
	}
	return out
}

func (t *Tenant) addRedirect(uri string, owner uriOwner) {
	k := uricheck.Key(uri)
	for _, o := range t.redirects[k] {
		if o.same(owner) {
			return
		}
	}
	t.redirects[k] = append(t.redirects[k], owner)
}

// OwnsDomain reports whether host is one of the tenant's verified domains
// or under one. configured is false when the snapshot lists no domain.
func (t *Tenant) OwnsDomain(host string) (ok, configured bool) {
	if t == nil || len(t.domains) == 0 {
		return false, false
	}
	host = strings.Trim(strings.ToLower(strings.TrimSpace(host)), ".")
	for _, d := range t.domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true, true
		}
	}
	return false, true
}

// ServicePrincipal returns the service principal with object id id.
func (t *Tenant) ServicePrincipal(id string) (snapshot.ServicePrincipal, bool) {
	if t == nil {
		return snapshot.ServicePrincipal{}, false
	}
	sp, ok := t.sps[strings.ToLower(id)]
	return sp, ok
}

// redirectOwners returns the applications the snapshot shows using a
// redirect URI, by uricheck.Key.
func (t *Tenant) redirectOwners(key string) []uriOwner {
	if t == nil {
		return nil
	}
	return t.redirects[key]
}
