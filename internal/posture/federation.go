package posture

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// TrustedIssuers returns the issuers of federated identity credentials
// appwatch trusts without being told: GitHub Actions, HCP Terraform,
// GitLab.com, Google, Azure Kubernetes Service workload identity (any
// cluster, "*." marks a domain and its subdomains) and Azure DevOps. The
// tenant's own Microsoft Entra issuers are trusted too; other tenants'
// are not. The caller owns the result.
func TrustedIssuers() []string {
	return []string{
		"token.actions.githubusercontent.com",
		"app.terraform.io",
		"gitlab.com",
		"accounts.google.com",
		"*.oic.prod-aks.azure.com",
		"vstoken.dev.azure.com",
	}
}

// Microsoft Entra ID's token issuers, whose path names the tenant.
var entraIssuerHosts = []string{"login.microsoftonline.com", "sts.windows.net", "login.microsoftonline.us", "login.partner.microsoftonline.cn"}

// issuers tells trusted issuers of federated credentials from others.
type issuers struct {
	tenant string
	hosts  []string // exact host names, or "*.domain"
	urls   []string // exact issuer URLs, without a trailing slash
}

func newIssuers(tenant string, extra []string) issuers {
	is := issuers{tenant: tenant}
	for _, s := range append(TrustedIssuers(), extra...) {
		s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "/"))
		if strings.Contains(s, "://") {
			is.urls = append(is.urls, s)
		} else if s != "" {
			is.hosts = append(is.hosts, s)
		}
	}
	return is
}

// trusted reports whether an issuer is trusted, and says what it is.
func (is issuers) trusted(issuer string) (bool, string) {
	norm := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(issuer), "/"))
	if slices.Contains(is.urls, norm) {
		return true, "listed"
	}
	u, err := url.Parse(norm)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return false, "not an https URL"
	}
	host := u.Hostname()
	if slices.Contains(entraIssuerHosts, host) {
		tenant, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		if is.tenant != "" && strings.EqualFold(tenant, is.tenant) {
			return true, "this tenant"
		}
		return false, "another Microsoft Entra tenant"
	}
	for _, h := range is.hosts {
		if host == h || strings.HasPrefix(h, "*.") && (host == h[2:] || strings.HasSuffix(host, h[1:])) {
			return true, "listed"
		}
	}
	return false, "not in the trusted list"
}

// federationChecks judges federated identity credentials, certificates
// shared by apps, permissions granted outside the app's request, and
// public client and implicit flows on privileged apps.
func (e *evaluator) federationChecks() {
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		obj := appObject(a, i)
		priv := e.appPrivilege(a)
		if len(a.FederatedIdentityCredentials) > 0 {
			e.federated(obj, a, priv)
		}
		e.flows(obj, a, priv)
	}
	e.sharedCertificates()
	e.outOfBand()
}

// federated reports a federated credential's untrusted issuer, its
// wildcard or claims expression, and secrets kept beside it.
func (e *evaluator) federated(obj object, a *snapshot.Application, priv *privilege) {
	e.judged(FederatedCredentialIssuer, 1)
	e.judged(FederatedCredentialWildcard, 1)
	e.judged(SecretBesideFederated, 1)
	var untrusted, loose []map[string]any
	wild := false
	for _, f := range a.FederatedIdentityCredentials {
		fact := map[string]any{"issuer": f.Issuer}
		putStr(fact, "name", f.Name)
		putStr(fact, "id", f.ID)
		putStr(fact, "subject", f.Subject)
		if ok, why := e.issuers.trusted(f.Issuer); !ok {
			u := copyMap(fact)
			u["why"] = why
			untrusted = append(untrusted, u)
		}
		if x := f.ClaimsMatchingExpression; x != nil || strings.Contains(f.Subject, "*") {
			l := copyMap(fact)
			if x != nil {
				l["claims_matching_expression"] = x.Value
				wild = wild || strings.Contains(x.Value, "*")
			} else {
				wild = true
			}
			loose = append(loose, l)
		}
	}
	privLevel := func(base string) string {
		if priv != nil {
			return alert.LevelHigh
		}
		return base
	}
	withPriv := func(m map[string]any) map[string]any {
		if priv != nil {
			m["privileges"] = priv.evidence()
		}
		return m
	}
	if len(untrusted) > 0 {
		e.add(FederatedCredentialIssuer, obj, privLevel(""), withPriv(map[string]any{"federated_credentials": untrusted}))
	}
	if len(loose) > 0 {
		level := ""
		if wild {
			level = alert.LevelHigh
		}
		e.add(FederatedCredentialWildcard, obj, cmp.Or(privLevel(""), level), withPriv(map[string]any{"federated_credentials": loose}))
	}
	var others []map[string]any
	for _, c := range credsOf(a.KeyCredentials, a.PasswordCredentials) {
		if !e.expired(c) {
			others = append(others, credFact(c))
		}
	}
	if len(others) > 0 {
		level := ""
		if priv != nil {
			level = alert.LevelMedium
		}
		e.add(SecretBesideFederated, obj, level, withPriv(map[string]any{"federated_credentials": len(a.FederatedIdentityCredentials), "credentials": others}))
	}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// flows reports public client flows (resource owner password and device
// code) and implicit grant turned on for an app whose service principal
// is privileged or holds privileged delegated grants for all users.
func (e *evaluator) flows(obj object, a *snapshot.Application, priv *privilege) {
	var delegated []map[string]any
	if sp := e.spByAppID[strings.ToLower(a.AppID)]; sp != nil {
		delegated = e.delegated[sp.ID]
	}
	if priv == nil && len(delegated) == 0 {
		return
	}
	e.judged(PublicClientOnPrivilegedApp, 1)
	e.judged(ImplicitFlowOnPrivilegedApp, 1)
	ev := func(m map[string]any) map[string]any {
		if priv != nil {
			m["privileges"] = priv.evidence()
		}
		if len(delegated) > 0 {
			m["delegated_grants"] = delegated
		}
		return m
	}
	if a.IsFallbackPublicClient != nil && *a.IsFallbackPublicClient {
		e.add(PublicClientOnPrivilegedApp, obj, "", ev(map[string]any{"isFallbackPublicClient": true}))
	}
	if a.Web == nil || a.Web.ImplicitGrantSettings == nil {
		return
	}
	ig := a.Web.ImplicitGrantSettings
	switch {
	case ig.EnableAccessTokenIssuance:
		e.add(ImplicitFlowOnPrivilegedApp, obj, "", ev(map[string]any{"access_tokens": true, "id_tokens": ig.EnableIDTokenIssuance}))
	case ig.EnableIDTokenIssuance:
		e.add(ImplicitFlowOnPrivilegedApp, obj, alert.LevelLow, ev(map[string]any{"access_tokens": false, "id_tokens": true}))
	}
}

// holderOf is an app or service principal holding a certificate.
type holderOf struct {
	obj      object
	identity string // the app id, shared by an app and its service principal
}

// maxCertSharers bounds the objects remembered for each certificate.
const maxCertSharers = 4

// sharedCertificates reports current certificates (by thumbprint) that
// several applications hold: one stolen key signs in as all of them. An
// app registration and its own service principal count as one app, and
// certificates that sign SAML tokens are left out.
func (e *evaluator) sharedCertificates() {
	if !e.on(CertificateReused) {
		return
	}
	byThumb := map[string][]holderOf{}
	count := map[string]int{} // distinct identities per thumbprint
	var order []string
	note := func(obj object, identity string, keys []snapshot.Credential) {
		judged := false
		for i := range keys {
			k := &keys[i]
			thumb := strings.ToUpper(strings.TrimSpace(k.CustomKeyIdentifier))
			if thumb == "" || strings.EqualFold(k.Usage, "Sign") || e.expired(cred{k, kindCertificate}) {
				continue
			}
			judged = true
			hs := byThumb[thumb]
			if slices.ContainsFunc(hs, func(h holderOf) bool { return h.obj.id == obj.id }) {
				continue
			}
			if len(hs) == 0 {
				order = append(order, thumb)
			}
			if !slices.ContainsFunc(hs, func(h holderOf) bool { return h.identity == identity }) {
				count[thumb]++
			}
			if len(hs) < maxCertSharers {
				byThumb[thumb] = append(hs, holderOf{obj, identity})
			}
		}
		if judged {
			e.judged(CertificateReused, 1)
		}
	}
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		note(appObject(a, i), strings.ToLower(cmp.Or(a.AppID, a.ID)), a.KeyCredentials)
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		note(e.spObject(sp), strings.ToLower(cmp.Or(sp.AppID, sp.ID)), sp.KeyCredentials)
	}
	for _, thumb := range order {
		if count[thumb] < 2 {
			continue
		}
		hs := byThumb[thumb]
		for _, h := range hs {
			var others []map[string]any
			for _, o := range hs {
				if o.identity == h.identity {
					continue
				}
				m := map[string]any{"id": o.obj.id, "type": o.obj.typ}
				putStr(m, "app_id", o.obj.appID)
				putStr(m, "name", o.obj.name)
				others = append(others, m)
			}
			e.add(CertificateReused, h.obj, "", map[string]any{"thumbprint": thumb, "holders": count[thumb], "also_on": others})
		}
	}
}

// oidcScopes are the OpenID Connect scopes that sign a user in; apps get
// them without listing them.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// defaultAppRole is the id of an app's default access, granted without
// any app role being defined.
const defaultAppRole = "00000000-0000-0000-0000-000000000000"

// outOfBand reports, for the tenant's own apps, permissions granted to
// their service principals that the app registration does not request
// (requiredResourceAccess): granted by a direct API call or by hand
// rather than through consent to what the app asks for.
func (e *evaluator) outOfBand() {
	if !e.on(PermissionOutOfBand) {
		return
	}
	type requested struct{ roles, scopes map[string]bool }
	want := map[string]map[string]requested{} // app id → resource app id → requested
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		if a.RequiredResourceAccess == nil {
			continue
		}
		m := map[string]requested{}
		for _, rra := range a.RequiredResourceAccess {
			r := requested{roles: map[string]bool{}, scopes: map[string]bool{}}
			for _, ra := range rra.ResourceAccess {
				if strings.EqualFold(ra.Type, "Role") {
					r.roles[strings.ToLower(ra.ID)] = true
				} else {
					r.scopes[strings.ToLower(ra.ID)] = true
				}
			}
			m[strings.ToLower(rra.ResourceAppID)] = r
		}
		want[strings.ToLower(a.AppID)] = m
	}
	found := map[string][]map[string]any{}
	top := map[string]refdata.Level{}
	for i := range e.s.AppRoleAssignments {
		ara := &e.s.AppRoleAssignments[i]
		sp, res := e.spByID[ara.PrincipalID], e.spByID[ara.ResourceID]
		if sp == nil || res == nil || strings.EqualFold(ara.AppRoleID, defaultAppRole) {
			continue
		}
		reqs, ok := want[strings.ToLower(sp.AppID)]
		if !ok || reqs[strings.ToLower(res.AppID)].roles[strings.ToLower(ara.AppRoleID)] {
			continue
		}
		p, name := e.appRolePermission(ara)
		top[sp.ID] = max(top[sp.ID], p.Level)
		f := permFact(p, name, ara.AppRoleID, ara.ID)
		f["type"] = "application"
		found[sp.ID] = append(found[sp.ID], f)
	}
	for i := range e.s.Grants {
		g := &e.s.Grants[i]
		sp, res := e.spByID[g.ClientID], e.spByID[g.ResourceID]
		if sp == nil || res == nil {
			continue
		}
		reqs, ok := want[strings.ToLower(sp.AppID)]
		if !ok {
			continue
		}
		asked := reqs[strings.ToLower(res.AppID)].scopes
		for _, scope := range g.Scopes() {
			id := e.scopeID(res, scope)
			if oidcScopes[strings.ToLower(scope)] || id == "" || asked[id] {
				continue
			}
			p := e.ref.Classify(res.AppID, refdata.Delegated, scope)
			top[sp.ID] = max(top[sp.ID], p.Level)
			f := map[string]any{"type": "delegated", "value": scope, "id": id, "level": p.Level.String(), "grant_id": g.ID, "consent_type": g.ConsentType}
			putStr(f, "api", res.DisplayName)
			found[sp.ID] = append(found[sp.ID], f)
		}
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		if _, ok := want[strings.ToLower(sp.AppID)]; !ok {
			continue
		}
		e.judged(PermissionOutOfBand, 1)
		if len(found[sp.ID]) == 0 {
			continue
		}
		level := ""
		if top[sp.ID] >= refdata.LevelHigh {
			level = alert.LevelHigh
		}
		e.add(PermissionOutOfBand, e.spObject(sp), level, map[string]any{"not_requested": found[sp.ID]})
	}
}

// scopeID returns the lower-case id of a delegated scope of a resource,
// from the resource's own list or the reference data, or "" when neither
// knows it.
func (e *evaluator) scopeID(res *snapshot.ServicePrincipal, value string) string {
	for _, s := range res.OAuth2PermissionScopes {
		if strings.EqualFold(s.Value, value) {
			return strings.ToLower(s.ID)
		}
	}
	return e.ref.Classify(res.AppID, refdata.Delegated, value).ID
}
