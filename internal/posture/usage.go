package posture

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// usageChecks finds apps, credentials and permissions nobody uses, and
// the app recommendations Microsoft Entra makes.
func (e *evaluator) usageChecks() {
	e.dormancy()
	e.unusedCredentials()
	e.recommendations()
}

// holding is what a service principal holds that an attacker would want.
type holding struct {
	appPerms    []*snapshot.AppRoleAssignment
	grants      []*snapshot.Grant
	roles       int // directory roles, active
	azureRoles  int
	credentials int // current
}

func (h *holding) empty() bool {
	return len(h.appPerms)+len(h.grants)+h.roles+h.azureRoles+h.credentials == 0
}

// holdings returns what each service principal holds, in the order of
// ServicePrincipals.
func (e *evaluator) holdings() []holding {
	out := make([]holding, len(e.s.ServicePrincipals))
	get := func(id string) *holding {
		if i, ok := e.spIndex[id]; ok {
			return &out[i]
		}
		return nil
	}
	for i := range e.s.AppRoleAssignments {
		a := &e.s.AppRoleAssignments[i]
		if h := get(a.PrincipalID); h != nil {
			h.appPerms = append(h.appPerms, a)
		}
	}
	for i := range e.s.Grants {
		g := &e.s.Grants[i]
		if h := get(g.ClientID); h != nil {
			h.grants = append(h.grants, g)
		}
	}
	for i := range e.s.RoleAssignments {
		if h := get(e.s.RoleAssignments[i].PrincipalID); h != nil {
			h.roles++
		}
	}
	for i := range e.s.AzureRoleAssignments {
		if h := get(e.s.AzureRoleAssignments[i].PrincipalID); h != nil {
			h.azureRoles++
		}
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		n := e.current(sp.KeyCredentials) + e.current(sp.PasswordCredentials)
		if a := e.appOf(sp); a != nil {
			n += e.current(a.KeyCredentials) + e.current(a.PasswordCredentials)
		}
		out[i].credentials = n
	}
	return out
}

// current counts the credentials whose end date has not passed.
func (e *evaluator) current(cs []snapshot.Credential) int {
	n := 0
	for i := range cs {
		if end, ok := when(cs[i].EndDateTime); !ok || !end.Before(e.now) {
			n++
		}
	}
	return n
}

// appOf returns the tenant's app registration behind a service
// principal, or nil.
func (e *evaluator) appOf(sp *snapshot.ServicePrincipal) *snapshot.Application {
	if i, ok := e.appIndex[strings.ToLower(sp.AppID)]; ok {
		return &e.s.Applications[i]
	}
	return nil
}

// lastSignIn returns the time of an activity, if it has one.
func lastSignIn(a *snapshot.SignInActivity) (time.Time, bool) {
	if a == nil {
		return time.Time{}, false
	}
	return when(a.LastSignInDateTime)
}

// emptyReport says why a usage check cannot judge anything.
// Why the checks of sign-in activity did not run, when Graph's reports
// of it are empty.
const (
	emptySignIns     = "the service principal sign-in activity report (Graph beta) holds no records although the tenant has service principals; it needs Microsoft Entra ID P1 or P2 and may lag while in preview"
	emptyCredentials = "the app credential sign-in activity report (Graph beta) holds no records although the tenant has applications; it needs Microsoft Entra ID P1 or P2 and may lag while in preview"
)

// dormancy reports service principals that hold something but have not
// signed in for the dormancy period, and permissions their app never
// used in that period.
func (e *evaluator) dormancy() {
	if !e.anyOn(AppDormant, PermissionUnused) {
		return
	}
	if len(e.s.SignInActivities) == 0 && len(e.s.ServicePrincipals) > 0 {
		e.cannot(AppDormant, emptySignIns)
		e.cannot(PermissionUnused, emptySignIns)
		e.note("%s: the dormant app and unused permission checks did not run", e.p.Sprintf(emptySignIns))
		return
	}
	activity := make(map[string]*snapshot.ServicePrincipalSignInActivity, len(e.s.SignInActivities))
	for i := range e.s.SignInActivities {
		a := &e.s.SignInActivities[i]
		activity[strings.ToLower(a.AppID)] = a
	}
	holds := e.holdings()
	cutoff := e.now.Add(-e.dormant)
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		h := &holds[i]
		if h.empty() || strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") || e.origin(sp) == originFirstParty {
			continue
		}
		act := activity[strings.ToLower(sp.AppID)]
		if act == nil {
			act = &snapshot.ServicePrincipalSignInActivity{}
		}
		e.judged(AppDormant, 1)
		if e.dormantApp(sp, h, act, cutoff) {
			continue
		}
		e.unusedPermissions(sp, h, act, cutoff)
	}
}

// dormantApp reports a service principal whose last sign-in is older
// than cutoff, or that has none recorded and is older than cutoff (or of
// unknown age and privileged), and says whether it did.
func (e *evaluator) dormantApp(sp *snapshot.ServicePrincipal, h *holding, act *snapshot.ServicePrincipalSignInActivity, cutoff time.Time) bool {
	last, seen := lastSignIn(act.LastSignInActivity)
	priv := e.privilege[sp.ID]
	created, known := time.Time{}, false
	if a := e.appOf(sp); a != nil {
		created, known = when(a.CreatedDateTime)
	}
	switch {
	case seen && !last.Before(cutoff):
		return false
	case !seen && known && !created.Before(cutoff):
		return false
	case !seen && !known && priv == nil:
		return false
	}
	ev := map[string]any{"dormant_after_days": days(e.dormant), "holds": h.facts()}
	if seen {
		ev["last_sign_in"] = alert.FormatTime(last)
		ev["days_since_sign_in"] = days(e.now.Sub(last))
	} else {
		ev["last_sign_in"] = nil
	}
	if known {
		ev["created"] = alert.FormatTime(created)
	}
	level := ""
	if priv != nil {
		ev["privileges"] = priv.evidence()
		level = alert.LevelMedium
	}
	e.add(AppDormant, e.spObject(sp), level, ev)
	return true
}

func (h *holding) facts() map[string]any {
	m := map[string]any{}
	for k, n := range map[string]int{"application_permissions": len(h.appPerms), "delegated_grants": len(h.grants),
		"directory_roles": h.roles, "azure_roles": h.azureRoles, "current_credentials": h.credentials} {
		if n > 0 {
			m[k] = n
		}
	}
	return m
}

// unusedPermissions reports the application permissions of an app that
// has made no app-only sign-in since cutoff, and the delegated grants of
// one that has made no delegated sign-in since then.
func (e *evaluator) unusedPermissions(sp *snapshot.ServicePrincipal, h *holding, act *snapshot.ServicePrincipalSignInActivity, cutoff time.Time) {
	if len(h.appPerms)+len(h.grants) == 0 {
		return
	}
	e.judged(PermissionUnused, 1)
	var unused []map[string]any
	top := refdata.LevelUnknown
	if last, seen := lastSignIn(act.ApplicationClient); len(h.appPerms) > 0 && (!seen || last.Before(cutoff)) {
		var perms []map[string]any
		for _, a := range h.appPerms {
			p, name := e.appRolePermission(a)
			top = max(top, p.Level)
			perms = append(perms, permFact(p, name, a.AppRoleID, a.ID))
		}
		unused = append(unused, usage("application", last, seen, map[string]any{"permissions": perms}))
	}
	if last, seen := lastSignIn(act.DelegatedClient); len(h.grants) > 0 && (!seen || last.Before(cutoff)) {
		var grants []map[string]any
		for _, g := range h.grants {
			api, name, _ := e.api(g.ResourceID, "")
			for _, p := range e.ref.ClassifyScopes(api.AppID, g.Scopes()) {
				top = max(top, p.Level)
			}
			m := map[string]any{"id": g.ID, "consent_type": g.ConsentType, "scope": strings.TrimSpace(g.Scope)}
			putStr(m, "api", name)
			grants = append(grants, m)
		}
		unused = append(unused, usage("delegated", last, seen, map[string]any{"grants": grants}))
	}
	if len(unused) == 0 {
		return
	}
	level := ""
	if top >= refdata.LevelHigh {
		level = alert.LevelMedium
	}
	e.add(PermissionUnused, e.spObject(sp), level, map[string]any{"unused": unused, "dormant_after_days": days(e.dormant)})
}

func usage(kind string, last time.Time, seen bool, m map[string]any) map[string]any {
	m["type"] = kind
	m["last_used"] = nil
	if seen {
		m["last_used"] = alert.FormatTime(last)
	}
	return m
}

// appRolePermission classifies an app role granted to a service
// principal, on any API, with the API's name.
func (e *evaluator) appRolePermission(a *snapshot.AppRoleAssignment) (refdata.Permission, string) {
	api, name, ok := e.api(a.ResourceID, a.ResourceDisplayName)
	if !ok {
		name = cmp.Or(a.ResourceDisplayName, e.resourceNames[a.ResourceID], a.ResourceID)
		return refdata.Permission{ID: a.AppRoleID, Value: e.appRoleValue(a.ResourceID, a.AppRoleID)}, name
	}
	p := e.ref.Classify(api.AppID, refdata.Application, a.AppRoleID)
	if v := e.appRoleValue(a.ResourceID, a.AppRoleID); !p.Known && v != "" {
		p = e.ref.Classify(api.AppID, refdata.Application, v)
	}
	return p, name
}

// unusedCredentials reports current credentials, older than the dormancy
// period, that signed nothing in during it.
func (e *evaluator) unusedCredentials() {
	if !e.on(CredentialUnused) {
		return
	}
	if len(e.s.CredentialActivities) == 0 && (len(e.s.Applications) > 0 || len(e.s.ServicePrincipals) > 0) {
		e.cannot(CredentialUnused, emptyCredentials)
		e.note("%s: the unused credential check did not run", e.p.Sprintf(emptyCredentials))
		return
	}
	lastUse := map[string]time.Time{}
	for i := range e.s.CredentialActivities {
		a := &e.s.CredentialActivities[i]
		if t, ok := lastSignIn(a.SignInActivity); ok {
			k := strings.ToLower(a.KeyID)
			if t.After(lastUse[k]) {
				lastUse[k] = t
			}
		}
	}
	cutoff := e.now.Add(-e.dormant)
	check := func(obj object, cs []cred, priv *privilege) {
		var unused []map[string]any
		judged := false
		for _, c := range cs {
			start, ok := when(c.c.StartDateTime)
			if e.expired(c) || strings.EqualFold(c.c.Usage, "Sign") || !ok {
				continue
			}
			judged = true
			last, used := lastUse[strings.ToLower(c.c.KeyID)]
			if start.After(cutoff) || used && !last.Before(cutoff) {
				continue
			}
			f := credFact(c)
			f["last_sign_in"] = nil
			if used {
				f["last_sign_in"] = alert.FormatTime(last)
			}
			unused = append(unused, f)
		}
		if judged {
			e.judged(CredentialUnused, 1)
		}
		if len(unused) == 0 {
			return
		}
		ev := map[string]any{"credentials": unused, "dormant_after_days": days(e.dormant)}
		level := ""
		if priv != nil {
			ev["privileges"] = priv.evidence()
			level = alert.LevelMedium
		}
		e.add(CredentialUnused, obj, level, ev)
	}
	var cs []cred
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		cs = appendCreds(cs[:0], a.KeyCredentials, a.PasswordCredentials)
		check(appObject(a, i), cs, e.appPrivilege(a))
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		if strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") || strings.EqualFold(sp.PreferredSingleSignOnMode, "saml") {
			continue
		}
		cs = appendCreds(cs[:0], sp.KeyCredentials, sp.PasswordCredentials)
		check(e.spObject(sp), cs, e.privilege[sp.ID])
	}
}

// maxImpacted bounds the objects listed for one recommendation.
const maxImpacted = 20

// recommendations reports the active Microsoft Entra recommendations
// about apps, with the objects they name.
func (e *evaluator) recommendations() {
	if !e.on(EntraRecommendation) {
		return
	}
	e.judged(EntraRecommendation, len(e.s.Recommendations))
	for i := range e.s.Recommendations {
		r := &e.s.Recommendations[i]
		if !strings.EqualFold(r.Status, "active") || !snapshot.AppRecommendation(r.Kind()) {
			continue
		}
		var objs []map[string]any
		for _, res := range r.ImpactedResources {
			if len(objs) == maxImpacted {
				break
			}
			if strings.EqualFold(res.Status, "completedBySystem") || strings.EqualFold(res.Status, "dismissed") {
				continue
			}
			m := map[string]any{"id": cmp.Or(res.SubjectID, res.ID)}
			putStr(m, "name", res.DisplayName)
			putStr(m, "type", res.ResourceType)
			objs = append(objs, m)
		}
		ev := map[string]any{"recommendation": r.Kind(), "priority": r.Priority, "impacted_count": len(r.ImpactedResources), "impacted": objs}
		putStr(ev, "title", r.DisplayName)
		level := ""
		if strings.EqualFold(r.Priority, "high") || slices.Contains(legacyAuthRecommendations, strings.ToLower(r.Kind())) {
			level = alert.LevelMedium
		}
		e.add(EntraRecommendation, object{typ: "Recommendation", id: r.ID, name: r.DisplayName, index: i}, level, ev)
	}
}

// legacyAuthRecommendations are the recommendations about apps still on
// Azure AD Graph or ADAL, whose retirement breaks them and whose old
// tokens and libraries miss later protections.
var legacyAuthRecommendations = []string{"adaltomsalmigration", "aadgraphdeprecationapplication", "aadgraphdeprecationserviceprincipal"}
