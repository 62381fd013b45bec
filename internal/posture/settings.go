package posture

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// tenantChecks judges the tenant-wide settings that decide who may
// register apps and consent to them, and the app management policies
// that restrict credentials.
func (e *evaluator) tenantChecks() {
	if authz := first(e.s.AuthorizationPolicies); authz != nil {
		obj := object{typ: "Policy", id: cmp.Or(authz.ID, "authorizationPolicy"), name: "Authorization Policy"}
		perms := authz.DefaultUserRolePermissions
		if perms == nil {
			perms = &snapshot.DefaultUserPermissions{}
		}
		e.appRegistration(obj, perms)
		e.userConsent(obj, perms)
		e.riskyConsent(obj, authz, perms)
		e.groupOwnerConsent(obj, perms)
	}
	e.adminConsentWorkflow()
	e.appManagementPolicies()
}

func first[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// Prefixes of the app consent policies assigned to users.
const (
	consentForSelf  = "ManagePermissionGrantsForSelf."
	consentForOwned = "ManagePermissionGrantsForOwnedResource."
)

// assigned returns the ids of the app consent policies assigned with a
// prefix.
func assigned(perms *snapshot.DefaultUserPermissions, prefix string) []string {
	var out []string
	for _, p := range perms.PermissionGrantPoliciesAssigned {
		if id, ok := strings.CutPrefix(p, prefix); ok {
			out = append(out, id)
		}
	}
	return out
}

func (e *evaluator) appRegistration(obj object, perms *snapshot.DefaultUserPermissions) {
	if perms.AllowedToCreateApps == nil {
		return
	}
	e.judged(UsersCanRegisterApps, 1)
	if *perms.AllowedToCreateApps {
		e.add(UsersCanRegisterApps, obj, "", map[string]any{"setting": "defaultUserRolePermissions.allowedToCreateApps", "value": true})
	}
}

// Microsoft's built-in app consent policies for users.
const (
	policyLegacy      = "microsoft-user-default-legacy"
	policyLow         = "microsoft-user-default-low"
	policyRecommended = "microsoft-user-default-recommended"
)

// userConsent reports user consent allowed for any app (Microsoft's
// legacy policy, high), or under a custom policy that lets unverified
// apps in or does not limit the permissions.
func (e *evaluator) userConsent(obj object, perms *snapshot.DefaultUserPermissions) {
	e.judged(UserConsentUnrestricted, 1)
	var loose []map[string]any
	level := ""
	for _, id := range assigned(perms, consentForSelf) {
		switch {
		case strings.EqualFold(id, policyLegacy):
			loose = append(loose, map[string]any{"policy": id, "allows": "any app, any permission that needs no admin consent"})
			level = alert.LevelHigh
		case strings.EqualFold(id, policyLow), strings.EqualFold(id, policyRecommended):
		default:
			if why := e.looseCustomPolicy(id); why != "" {
				loose = append(loose, map[string]any{"policy": id, "allows": why})
			}
		}
	}
	if len(loose) > 0 {
		e.add(UserConsentUnrestricted, obj, level, map[string]any{"user_consent_policies": loose})
	}
}

// looseCustomPolicy says what a custom app consent policy lets users
// consent to that Microsoft's low-risk policy does not, or "" when
// nothing.
func (e *evaluator) looseCustomPolicy(id string) string {
	i := slices.IndexFunc(e.s.PermissionGrantPolicies, func(p snapshot.PermissionGrantPolicy) bool { return strings.EqualFold(p.ID, id) })
	if i < 0 {
		return "a custom policy the snapshot does not hold"
	}
	for _, c := range e.s.PermissionGrantPolicies[i].Includes {
		switch {
		case strings.EqualFold(c.PermissionType, "application"):
			return "application permissions"
		case !c.ClientApplicationsFromVerifiedPublisherOnly:
			return "apps from unverified publishers"
		case !strings.EqualFold(c.PermissionClassification, "low"):
			return "permissions not classified low"
		}
	}
	return ""
}

// consentSettingsTemplate is the template id of the "Consent Policy
// Settings" directory setting.
const consentSettingsTemplate = "dffd5d46-495d-40a9-8e21-954ff55e198a"

// consentSetting returns a value of the tenant's Consent Policy Settings.
func (e *evaluator) consentSetting(name string) (string, bool) {
	for _, d := range e.s.DirectorySettings {
		if strings.EqualFold(d.TemplateID, consentSettingsTemplate) || strings.EqualFold(d.DisplayName, "Consent Policy Settings") {
			return d.Value(name)
		}
	}
	return "", false
}

// riskyConsent reports user consent that Microsoft's risk-based step-up
// does not stop: BlockUserConsentForRiskyApps false, or the authorization
// policy allowing consent to risky apps. It matters only while users may
// consent at all.
func (e *evaluator) riskyConsent(obj object, authz *snapshot.AuthorizationPolicy, perms *snapshot.DefaultUserPermissions) {
	if !e.on(RiskBasedConsentOff) {
		return
	}
	e.judged(RiskBasedConsentOff, 1)
	if len(assigned(perms, consentForSelf)) == 0 {
		return
	}
	ev := map[string]any{}
	if v, ok := e.consentSetting("BlockUserConsentForRiskyApps"); ok && strings.EqualFold(strings.TrimSpace(v), "false") {
		ev["BlockUserConsentForRiskyApps"] = v
	}
	if a := authz.AllowUserConsentForRiskyApps; a != nil && *a {
		ev["allowUserConsentForRiskyApps"] = true
	}
	if len(ev) > 0 {
		ev["user_consent_policies"] = assigned(perms, consentForSelf)
		e.add(RiskBasedConsentOff, obj, "", ev)
	}
}

// groupOwnerConsent reports owners of groups and teams allowed to consent
// for what they own: the legacy EnableGroupSpecificConsent setting, or an
// owned-resource consent policy other than the Microsoft-managed ones.
func (e *evaluator) groupOwnerConsent(obj object, perms *snapshot.DefaultUserPermissions) {
	e.judged(GroupOwnerConsentAllowed, 1)
	var policies []string
	for _, id := range assigned(perms, consentForOwned) {
		if !strings.HasPrefix(strings.ToLower(id), "microsoft-dynamically-managed-permissions-for-") {
			policies = append(policies, id)
		}
	}
	ev := map[string]any{}
	if len(policies) > 0 {
		ev["owner_consent_policies"] = policies
	}
	if v, ok := e.consentSetting("EnableGroupSpecificConsent"); ok && strings.EqualFold(strings.TrimSpace(v), "true") {
		ev["EnableGroupSpecificConsent"] = v
		if g, _ := e.consentSetting("ConstrainGroupSpecificConsentToMembersOfGroupId"); strings.TrimSpace(g) != "" {
			ev["limited_to_group"] = g
		}
	}
	if len(ev) > 0 {
		e.add(GroupOwnerConsentAllowed, obj, "", ev)
	}
}

// adminConsentWorkflow reports an admin consent workflow that is off, or
// on with nobody to review the requests.
func (e *evaluator) adminConsentWorkflow() {
	p := first(e.s.AdminConsentRequestPolicies)
	if p == nil {
		return
	}
	e.judged(AdminConsentWorkflowOff, 1)
	obj := object{typ: "Policy", id: cmp.Or(p.ID, "adminConsentRequestPolicy"), name: "Admin consent request policy"}
	switch {
	case !p.IsEnabled:
		e.add(AdminConsentWorkflowOff, obj, "", map[string]any{"enabled": false})
	case len(p.Reviewers) == 0:
		e.add(AdminConsentWorkflowOff, obj, alert.LevelMedium, map[string]any{"enabled": true, "reviewers": 0})
	}
}

// appManagementPolicies judges the tenant's default app management
// policy and the policies applied to chosen apps.
func (e *evaluator) appManagementPolicies() {
	if !e.anyOn(AppManagementPolicyWeak, AppManagementPolicyExempts) || !e.s.Has(snapshot.AppManagementPolicies) {
		return
	}
	e.judged(AppManagementPolicyWeak, len(e.s.AppManagementPolicies))
	def := -1
	for i := range e.s.AppManagementPolicies {
		p := &e.s.AppManagementPolicies[i]
		if p.IsDefault() {
			def = i
			continue
		}
		if !p.IsEnabled && len(p.AppliesTo) > 0 {
			e.add(AppManagementPolicyWeak, policyObject(p, i), "", map[string]any{"enabled": false, "applies_to": len(p.AppliesTo)})
		}
	}
	if def < 0 {
		e.add(AppManagementPolicyWeak, object{typ: "Policy", id: snapshot.DefaultAppManagementPolicyID}, "", map[string]any{"default_policy": "missing"})
		return
	}
	p := &e.s.AppManagementPolicies[def]
	if !p.IsEnabled {
		e.add(AppManagementPolicyWeak, policyObject(p, def), "", map[string]any{"enabled": false})
		return
	}
	if gaps := e.weakRestrictions(p.ApplicationRestrictions); len(gaps) > 0 {
		e.add(AppManagementPolicyWeak, policyObject(p, def), "", map[string]any{"enabled": true, "weaknesses": gaps})
	}
	e.exemptions(p, def)
}

func policyObject(p *snapshot.AppManagementPolicy, i int) object {
	return object{typ: "Policy", id: cmp.Or(p.ID, snapshot.DefaultAppManagementPolicyID), name: p.DisplayName, index: i}
}

// enabled returns the enabled restriction of a type, if any.
func enabled(rs []snapshot.CredentialRestriction, typ string) *snapshot.CredentialRestriction {
	for i := range rs {
		if strings.EqualFold(rs[i].RestrictionType, typ) && rs[i].Enabled() {
			return &rs[i]
		}
	}
	return nil
}

// weakRestrictions lists what the default policy's app restrictions
// leave open: secrets allowed without a lifetime limit, certificates
// without one, and limits longer than the tenant policy's.
func (e *evaluator) weakRestrictions(r *snapshot.AppRestrictions) []map[string]any {
	if r == nil {
		r = &snapshot.AppRestrictions{}
	}
	var out []map[string]any
	if enabled(r.PasswordCredentials, "passwordAddition") == nil {
		out = append(out, e.lifetimeGap(enabled(r.PasswordCredentials, "passwordLifetime"), "passwordLifetime", e.pol.SecretLifetime())...)
		if enabled(r.PasswordCredentials, "customPasswordAddition") == nil {
			out = append(out, map[string]any{"restriction": "customPasswordAddition", "state": "missing"})
		}
	}
	out = append(out, e.lifetimeGap(enabled(r.KeyCredentials, "asymmetricKeyLifetime"), "asymmetricKeyLifetime", e.pol.CertificateLifetime())...)
	return out
}

// lifetimeGap describes a lifetime restriction that is missing or longer
// than limit.
func (e *evaluator) lifetimeGap(r *snapshot.CredentialRestriction, typ string, limit time.Duration) []map[string]any {
	if r == nil {
		return []map[string]any{{"restriction": typ, "state": "missing"}}
	}
	if d, ok := isoDuration(r.MaxLifetime); ok && d > limit+lifetimeSlack {
		return []map[string]any{{"restriction": typ, "max_lifetime": r.MaxLifetime, "max_lifetime_days": days(d), "limit_days": days(limit)}}
	}
	return nil
}

// exemptions reports restrictions of the default policy that spare the
// apps created before their restrictForAppsCreatedAfterDateTime: those
// apps may still be given the credentials the restriction forbids.
func (e *evaluator) exemptions(p *snapshot.AppManagementPolicy, index int) {
	r := p.ApplicationRestrictions
	if r == nil || !e.on(AppManagementPolicyExempts) {
		return
	}
	var items []map[string]any
	exposed := false
	for _, rs := range []struct {
		list   []snapshot.CredentialRestriction
		secret bool
	}{{r.PasswordCredentials, true}, {r.KeyCredentials, false}} {
		for _, c := range rs.list {
			after, ok := when(c.RestrictForAppsCreatedAfter)
			if !c.Enabled() || !ok {
				continue
			}
			e.judged(AppManagementPolicyExempts, 1)
			item := e.exemptApps(c, after, rs.secret)
			if item == nil {
				continue
			}
			exposed = exposed || item["exempt_with_credentials"].(int) > 0
			items = append(items, item)
		}
	}
	if len(items) == 0 {
		return
	}
	level := alert.LevelLow
	if exposed {
		level = ""
	}
	e.add(AppManagementPolicyExempts, policyObject(p, index), level, map[string]any{"restrictions": items})
}

// maxExamples bounds the example apps named in an exemption.
const maxExamples = 5

// exemptApps describes the apps created before after, which restriction
// c spares, or returns nil when there are none.
func (e *evaluator) exemptApps(c snapshot.CredentialRestriction, after time.Time, secret bool) map[string]any {
	exempt, withCreds := 0, 0
	var examples []string
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		created, ok := when(a.CreatedDateTime)
		if !ok || !created.Before(after) {
			continue
		}
		exempt++
		held := a.KeyCredentials
		if secret {
			held = a.PasswordCredentials
		}
		if e.current(held) > 0 {
			withCreds++
			if len(examples) < maxExamples {
				examples = append(examples, cmp.Or(a.DisplayName, a.ID))
			}
		}
	}
	if exempt == 0 {
		return nil
	}
	m := map[string]any{"restriction": c.RestrictionType, "applies_to_apps_created_after": alert.FormatTime(after),
		"exempt_apps": exempt, "exempt_with_credentials": withCreds}
	putStr(m, "max_lifetime", c.MaxLifetime)
	if len(examples) > 0 {
		m["examples"] = examples
	}
	return m
}

// isoDurationRE matches the ISO 8601 durations Graph writes, such as
// "P90D" or "P1Y2M3DT4H5M6.5S".
var isoDurationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// isoDuration reads an ISO 8601 duration, counting a year as 365 days and
// a month as 30.
func isoDuration(s string) (time.Duration, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := isoDurationRE.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	units := []time.Duration{365 * day, 30 * day, 7 * day, day, time.Hour, time.Minute, time.Second}
	var total float64
	for i, u := range units {
		if m[i+1] == "" {
			continue
		}
		f, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil {
			return 0, false
		}
		total += f * float64(u)
	}
	if total >= math.MaxInt64 {
		return 0, false
	}
	return time.Duration(total), true
}
