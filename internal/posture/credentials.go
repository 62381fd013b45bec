package posture

import (
	"math"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// Credential kinds as findings name them.
const (
	kindSecret      = "secret"
	kindCertificate = "certificate"
)

// lifetimeSlack forgives the fraction of a second by which end minus
// start can pass a whole number of days when the portal truncates the
// end date, so a 180-day secret is not reported against a 180-day limit.
const lifetimeSlack = time.Minute

const day = 24 * time.Hour

// cred is one credential of an object and its kind.
type cred struct {
	c    *snapshot.Credential
	kind string
}

// credsOf lists the key credentials (certificates) and password
// credentials (secrets) of an object.
func credsOf(keys, passwords []snapshot.Credential) []cred {
	return appendCreds(make([]cred, 0, len(keys)+len(passwords)), keys, passwords)
}

// appendCreds appends the credentials of an object to dst, so that a
// loop over many objects can reuse one slice.
func appendCreds(dst []cred, keys, passwords []snapshot.Credential) []cred {
	for i := range keys {
		dst = append(dst, cred{&keys[i], kindCertificate})
	}
	for i := range passwords {
		dst = append(dst, cred{&passwords[i], kindSecret})
	}
	return dst
}

// when returns a readable timestamp, or false for an absent or unreadable
// one.
func when(t snapshot.Time) (time.Time, bool) {
	if _, raw := t.Raw(); raw || t.Time.IsZero() {
		return time.Time{}, false
	}
	return t.Time, true
}

// expired reports whether the credential's end date has passed.
func (e *evaluator) expired(c cred) bool {
	end, ok := when(c.c.EndDateTime)
	return ok && end.Before(e.now)
}

// credentialChecks runs the credential checks on every application and
// on every service principal but managed identities, whose credentials
// Azure manages.
func (e *evaluator) credentialChecks() {
	judge := func(n int, ids ...string) {
		for _, id := range ids {
			e.judged(id, n)
		}
	}
	var cs []cred
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		obj := appObject(a, i)
		cs = appendCreds(cs[:0], a.KeyCredentials, a.PasswordCredentials)
		e.lifecycle(obj, cs, false)
		e.secretInsteadOfCertificate(obj, cs, e.appPrivilege(a))
	}
	judge(len(e.s.Applications), CredentialLifetimeExceeded, CredentialExpired, CredentialExpiringSoon, SecretInsteadOfCertificate)
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		if strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") {
			continue
		}
		obj := e.spObject(sp)
		cs = appendCreds(cs[:0], sp.KeyCredentials, sp.PasswordCredentials)
		saml := strings.EqualFold(sp.PreferredSingleSignOnMode, "saml")
		e.lifecycle(obj, cs, saml)
		judge(1, CredentialLifetimeExceeded, CredentialExpired, CredentialExpiringSoon)
		if saml {
			continue // its keys sign SAML tokens; they do not sign the app in
		}
		judge(1, SecretInsteadOfCertificate, CredentialOnServicePrincipal, CredentialOnExternalServicePrincipal)
		e.secretInsteadOfCertificate(obj, cs, e.privilege[sp.ID])
		e.credentialsOnServicePrincipal(sp, obj, cs)
	}
}

// lifecycle reports credentials that have expired, that expire within
// the warning period, and those issued for longer than the policy allows.
// The lifetime is the end date minus the start date, whatever the
// credential's age. SAML signing certificates are spared the lifetime
// limit, which is about credentials that authenticate an app.
func (e *evaluator) lifecycle(obj object, cs []cred, saml bool) {
	var long, expired, soon []map[string]any
	for _, c := range cs {
		end, ok := when(c.c.EndDateTime)
		if !ok {
			continue
		}
		switch {
		case end.Before(e.now):
			f := credFact(c)
			f["expired_days_ago"] = days(e.now.Sub(end))
			expired = append(expired, f)
			continue
		case e.warn > 0 && end.Before(e.now.Add(e.warn)):
			f := credFact(c)
			f["expires_in_days"] = days(end.Sub(e.now))
			soon = append(soon, f)
		}
		start, ok := when(c.c.StartDateTime)
		if !ok || saml && c.kind == kindCertificate {
			continue
		}
		if life, limit := end.Sub(start), e.limit(c.kind); life > limit+lifetimeSlack {
			f := credFact(c)
			f["lifetime_days"] = days(life)
			f["limit_days"] = days(limit)
			long = append(long, f)
		}
	}
	if len(long) > 0 {
		e.add(CredentialLifetimeExceeded, obj, "", map[string]any{"credentials": long})
	}
	if len(expired) > 0 {
		e.add(CredentialExpired, obj, "", map[string]any{"credentials": expired})
	}
	if len(soon) > 0 {
		e.add(CredentialExpiringSoon, obj, "", map[string]any{"credentials": soon, "warning_days": days(e.warn)})
	}
}

// limit is the policy's longest lifetime for a kind of credential.
func (e *evaluator) limit(kind string) time.Duration {
	if kind == kindSecret {
		return e.pol.SecretLifetime()
	}
	return e.pol.CertificateLifetime()
}

// secretInsteadOfCertificate reports current client secrets on an object
// that could use a certificate: it already has one, or it is privileged.
func (e *evaluator) secretInsteadOfCertificate(obj object, cs []cred, priv *privilege) {
	var secrets []cred
	hasCert := false
	for _, c := range cs {
		switch {
		case e.expired(c):
		case c.kind == kindSecret:
			secrets = append(secrets, c)
		case !strings.EqualFold(c.c.Type, "Symmetric"):
			hasCert = true
		}
	}
	if len(secrets) == 0 || !hasCert && priv == nil {
		return
	}
	facts := make([]map[string]any, 0, len(secrets))
	for _, c := range secrets {
		facts = append(facts, credFact(c))
	}
	ev := map[string]any{"secrets": facts}
	var reasons []string
	level := ""
	if hasCert {
		reasons = append(reasons, "has_certificate")
	}
	if priv != nil {
		reasons = append(reasons, "privileged")
		ev["privileges"] = priv.evidence()
		level = alert.LevelMedium
	}
	ev["reasons"] = reasons
	e.add(SecretInsteadOfCertificate, obj, level, ev)
}

// credentialsOnServicePrincipal reports current credentials placed on a
// service principal, more severely when its app is registered in another
// tenant or is one of Microsoft's.
func (e *evaluator) credentialsOnServicePrincipal(sp *snapshot.ServicePrincipal, obj object, cs []cred) {
	var current []map[string]any
	for _, c := range cs {
		if !e.expired(c) {
			current = append(current, credFact(c))
		}
	}
	if len(current) == 0 {
		return
	}
	ev := map[string]any{"credentials": current}
	origin := e.origin(sp)
	if origin == "" {
		e.add(CredentialOnServicePrincipal, obj, "", ev)
		return
	}
	ev["app_origin"] = origin
	if sp.AppOwnerOrganizationID != "" {
		ev["app_owner_tenant"] = sp.AppOwnerOrganizationID
	}
	e.add(CredentialOnExternalServicePrincipal, obj, "", ev)
}

// Origins of an app registered outside the tenant.
const (
	originFirstParty  = "first_party"
	originMultiTenant = "multi_tenant"
)

// origin says where the app of a service principal is registered when it
// is not the tenant itself: originFirstParty for a Microsoft app,
// originMultiTenant for another organisation's. It returns "" for the
// tenant's own apps and when it cannot tell.
func (e *evaluator) origin(sp *snapshot.ServicePrincipal) string {
	if _, ok := e.ref.FirstPartyApp(sp.AppID); ok || e.ref.IsMicrosoftTenant(sp.AppOwnerOrganizationID) {
		return originFirstParty
	}
	if _, own := e.appIndex[strings.ToLower(sp.AppID)]; own {
		return ""
	}
	if e.tenantID != "" && sp.AppOwnerOrganizationID != "" && !strings.EqualFold(sp.AppOwnerOrganizationID, e.tenantID) {
		return originMultiTenant
	}
	return ""
}

// credFact describes a credential for the evidence.
func credFact(c cred) map[string]any {
	f := map[string]any{"key_id": c.c.KeyID, "kind": c.kind}
	putStr(f, "type", c.c.Type)
	putStr(f, "usage", c.c.Usage)
	putStr(f, "display_name", c.c.DisplayName)
	if t, ok := when(c.c.StartDateTime); ok {
		f["start"] = alert.FormatTime(t)
	}
	if t, ok := when(c.c.EndDateTime); ok {
		f["end"] = alert.FormatTime(t)
	}
	return f
}

func putStr(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// days writes a duration in days, to a tenth of a day.
func days(d time.Duration) float64 {
	return math.Round(d.Hours()/24*10) / 10
}
