package posture

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// Where a URI sits on an application.
const (
	whereWeb        = "web"
	whereSPA        = "spa"
	wherePublic     = "public_client"
	whereIdentifier = "identifier"
	whereLogout     = "logout"
)

// maxSharers bounds the applications remembered for each redirect URI.
const maxSharers = 4

// placedURI is a URI and where it sits.
type placedURI struct {
	uri, where string
}

// redirectsOf lists the redirect URIs of every platform of an app.
func redirectsOf(a *snapshot.Application) []placedURI {
	var out []placedURI
	if a.Web != nil {
		for _, u := range a.Web.RedirectURIs {
			out = append(out, placedURI{u, whereWeb})
		}
	}
	if a.SPA != nil {
		for _, u := range a.SPA.RedirectURIs {
			out = append(out, placedURI{u, whereSPA})
		}
	}
	if a.PublicClient != nil {
		for _, u := range a.PublicClient.RedirectURIs {
			out = append(out, placedURI{u, wherePublic})
		}
	}
	return out
}

// urisOf lists every URI of an app whose host matters: redirect URIs,
// identifier URIs and the logout URL.
func urisOf(a *snapshot.Application) []placedURI {
	out := redirectsOf(a)
	for _, u := range a.IdentifierURIs {
		out = append(out, placedURI{u, whereIdentifier})
	}
	if a.Web != nil && strings.TrimSpace(a.Web.LogoutURL) != "" {
		out = append(out, placedURI{strings.TrimSpace(a.Web.LogoutURL), whereLogout})
	}
	return out
}

// hostOf returns the host of a URI when the tenant should own it: a
// domain name (not loopback, not an IP address), without a wildcard,
// outside the identity platform's own hosts. Otherwise it returns "".
func hostOf(uri string) string {
	scheme, host := uricheck.Parts(uri)
	if !uricheck.HasDomain(scheme, host) || uricheck.IsIP(host) || strings.Contains(host, "*") ||
		!strings.Contains(host, ".") || uricheck.PlatformHost(host) {
		return ""
	}
	return host
}

// lookUp resolves the host of every URI once and sums up the answers.
func (e *evaluator) lookUp(ctx context.Context, r HostResolver) {
	set := map[string]bool{}
	for i := range e.s.Applications {
		for _, p := range urisOf(&e.s.Applications[i]) {
			if h := hostOf(p.uri); h != "" {
				set[h] = true
			}
		}
	}
	hosts := make([]string, 0, len(set))
	for h := range set {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	e.dns = r.LookupAll(ctx, hosts)
	sum := &e.res.DNS
	sum.Enabled, sum.Hosts = true, len(hosts)
	skipped := map[string]int{}
	for _, h := range hosts {
		switch res := e.dns[h]; {
		case res.Dangling():
			sum.Dangling++
		case res.State == dnscheck.Skipped:
			sum.Skipped = append(sum.Skipped, res)
			skipped[res.Detail]++
		case !res.Known():
			sum.Unknown = append(sum.Unknown, res)
		}
	}
	if len(sum.Unknown) > 0 {
		e.note("%d of %d host names got no answer from DNS (timeout, SERVFAIL or error) and were not judged", len(sum.Unknown), len(hosts))
	}
	reasons := slices.Collect(maps.Keys(skipped))
	slices.SortFunc(reasons, func(a, b string) int { return cmp.Or(skipped[b]-skipped[a], strings.Compare(a, b)) })
	for _, why := range reasons {
		e.note("%d of %d host names were not checked in DNS: %s", skipped[why], len(hosts), why)
	}
}

// uriChecks runs the redirect, identifier and logout URI checks on every
// application.
func (e *evaluator) uriChecks() {
	n := len(e.s.Applications)
	for _, id := range []string{RedirectURINotHTTPS, RedirectURIWildcard, RedirectURIShared, RedirectURIUnownedDomain, RedirectURIDangling,
		IdentifierURIDangling, IdentifierURIUnownedDomain} {
		e.judged(id, n)
	}
	shared := e.sharedRedirects()
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		obj := appObject(a, i)
		e.redirectChecks(obj, a, shared)
		e.identifierChecks(obj, a)
		e.logoutChecks(obj, a)
	}
}

// sharedRedirects maps each hosted redirect URI to the applications
// (indexes into Applications) that list it, up to maxSharers of them.
func (e *evaluator) sharedRedirects() map[string][]int {
	out := map[string][]int{}
	for i := range e.s.Applications {
		for _, p := range redirectsOf(&e.s.Applications[i]) {
			if hostOf(p.uri) == "" {
				continue
			}
			k := uricheck.Key(p.uri)
			if apps := out[k]; len(apps) < maxSharers && !slices.Contains(apps, i) {
				out[k] = append(apps, i)
			}
		}
	}
	return out
}

// uriFindings collects the problem URIs of one application, by check.
type uriFindings struct {
	byCheck map[string][]map[string]any
	level   map[string]string
}

func (f *uriFindings) add(check string, item map[string]any) {
	if f.byCheck == nil {
		f.byCheck = map[string][]map[string]any{}
	}
	f.byCheck[check] = append(f.byCheck[check], item)
}

// raise sets the level of a check's finding to at least level.
func (f *uriFindings) raise(check, level string) {
	if f.level == nil {
		f.level = map[string]string{}
	}
	if alert.Rank(level) > alert.Rank(f.level[check]) {
		f.level[check] = level
	}
}

// report adds one finding per check that has problem URIs, in the order
// of ids.
func (f *uriFindings) report(e *evaluator, obj object, ids ...string) {
	for _, id := range ids {
		if items := f.byCheck[id]; len(items) > 0 {
			e.add(id, obj, f.level[id], map[string]any{"uris": items})
		}
	}
}

func (e *evaluator) redirectChecks(obj object, a *snapshot.Application, shared map[string][]int) {
	var f uriFindings
	for _, p := range redirectsOf(a) {
		scheme, host := uricheck.Parts(p.uri)
		bare := strings.TrimLeft(strings.TrimPrefix(host, "*"), ".")
		if strings.Contains(p.uri, "*") {
			f.add(RedirectURIWildcard, uriFact(p))
		}
		if scheme == "http" && !uricheck.IsLoopback(bare) {
			f.add(RedirectURINotHTTPS, uriFact(p))
		}
		exact := hostOf(p.uri)
		hosted := exact
		if hosted == "" && strings.Contains(host, "*") {
			hosted = hostOf(scheme + "://" + bare) // judge *.contoso.com by contoso.com
		}
		if hosted == "" {
			continue
		}
		if owned, known := e.owns.owned(hosted); known && !owned {
			f.add(RedirectURIUnownedDomain, hostFact(p, hosted))
		}
		if others := e.sharers(shared[uricheck.Key(p.uri)], obj.index); len(others) > 0 {
			item := uriFact(p)
			item["also_on"] = others
			f.add(RedirectURIShared, item)
		}
		if exact != "" {
			e.dangling(&f, RedirectURIDangling, p, exact)
		}
	}
	f.report(e, obj, RedirectURINotHTTPS, RedirectURIWildcard, RedirectURIShared, RedirectURIUnownedDomain, RedirectURIDangling)
}

// sharers describes the applications other than self among apps.
func (e *evaluator) sharers(apps []int, self int) []map[string]any {
	var out []map[string]any
	for _, i := range apps {
		if i == self {
			continue
		}
		a := &e.s.Applications[i]
		m := map[string]any{"id": a.ID}
		putStr(m, "app_id", a.AppID)
		putStr(m, "name", a.DisplayName)
		out = append(out, m)
	}
	return out
}

func (e *evaluator) identifierChecks(obj object, a *snapshot.Application) {
	var f uriFindings
	for _, u := range a.IdentifierURIs {
		p := placedURI{u, whereIdentifier}
		host := hostOf(u)
		if host == "" {
			continue
		}
		if owned, known := e.owns.owned(host); known && !owned {
			f.add(IdentifierURIUnownedDomain, hostFact(p, host))
		}
		e.dangling(&f, IdentifierURIDangling, p, host)
	}
	f.report(e, obj, IdentifierURIDangling, IdentifierURIUnownedDomain)
}

// logoutChecks judges the logout URL of an app that signs users in on
// the web platform: missing or blank, plain HTTP, or dangling.
func (e *evaluator) logoutChecks(obj object, a *snapshot.Application) {
	if a.Web == nil {
		return
	}
	e.judged(LogoutURLMissing, 1)
	e.judged(LogoutURLNotHTTPS, 1)
	e.judged(LogoutURLDangling, 1)
	raw := a.Web.LogoutURL
	u := strings.TrimSpace(raw)
	if u == "" {
		if len(a.Web.RedirectURIs) > 0 {
			state := "missing"
			if raw != "" {
				state = uricheck.IssueBlank
			}
			e.add(LogoutURLMissing, obj, "", map[string]any{"logout_url": raw, "state": state})
		}
		return
	}
	var f uriFindings
	p := placedURI{u, whereLogout}
	if scheme, host := uricheck.Parts(u); scheme == "http" && !uricheck.IsLoopback(host) {
		f.add(LogoutURLNotHTTPS, uriFact(p))
	}
	if host := hostOf(u); host != "" {
		e.dangling(&f, LogoutURLDangling, p, host)
	}
	f.report(e, obj, LogoutURLNotHTTPS, LogoutURLDangling)
}

// dangling records p under check when DNS says its host leads nowhere.
// A name anyone can claim, or one outside the tenant's domains, makes the
// finding high; a missing name under an owned domain, which no outsider
// can register, leaves the check's level.
func (e *evaluator) dangling(f *uriFindings, check string, p placedURI, host string) {
	r, ok := e.dns[host]
	if !ok || !r.Dangling() {
		return
	}
	item := hostFact(p, host)
	item["dns"] = string(r.State)
	if len(r.Chain) > 0 {
		item["chain"] = r.Chain
	}
	item["claimable"] = r.Claimable
	f.add(check, item)
	if owned, known := e.owns.owned(chainEnd(r)); r.Claimable || !known || !owned {
		f.raise(check, alert.LevelHigh)
	}
}

// chainEnd is the name whose absence makes a result dangling.
func chainEnd(r dnscheck.Result) string {
	if len(r.Chain) > 0 {
		return r.Chain[len(r.Chain)-1]
	}
	return r.Host
}

func uriFact(p placedURI) map[string]any {
	return map[string]any{"uri": p.uri, "where": p.where}
}

func hostFact(p placedURI, host string) map[string]any {
	m := uriFact(p)
	m["host"] = host
	return m
}

// ownership tells the tenant's hosts from others': by the policy's owned
// domains when it lists any, else by the tenant's verified domains.
type ownership struct {
	pol      *policy.Policy
	byPolicy bool
	verified map[string]bool
}

func newOwnership(pol *policy.Policy, domains []snapshot.Domain) ownership {
	o := ownership{pol: pol, verified: map[string]bool{}}
	if _, configured := pol.OwnsDomain("localhost"); configured {
		o.byPolicy = true
		return o
	}
	for _, d := range domains {
		if d.IsVerified && d.ID != "" {
			o.verified[strings.TrimSuffix(strings.ToLower(d.ID), ".")] = true
		}
	}
	return o
}

// known reports whether anything is known of the tenant's domains.
func (o ownership) known() bool { return o.byPolicy || len(o.verified) > 0 }

// owned reports whether host is one of the tenant's domains or under one;
// known is false when nothing is known of them.
func (o ownership) owned(host string) (ok, known bool) {
	if o.byPolicy {
		return o.pol.OwnsDomain(host)
	}
	if len(o.verified) == 0 {
		return false, false
	}
	for h := strings.TrimSuffix(strings.ToLower(host), "."); h != ""; {
		if o.verified[h] {
			return true, true
		}
		_, rest, found := strings.Cut(h, ".")
		if !found {
			break
		}
		h = rest
	}
	return false, true
}
