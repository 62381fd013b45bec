package posture

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// azureChecks reports service principals holding Azure roles: high for a
// privileged role on a management group or subscription, medium for one
// on a resource group or resource, or for a role appwatch does not know
// (a custom role).
func (e *evaluator) azureChecks() {
	if !e.on(ServicePrincipalAzureRole) {
		return
	}
	names := map[string]string{}
	for _, s := range e.s.AzureScopes {
		names[strings.ToLower(s.ID)] = s.DisplayName
	}
	type held struct {
		facts []map[string]any
		high  bool
		index int
	}
	byPrincipal := map[string]*held{}
	var order []string
	for i := range e.s.AzureRoleAssignments {
		a := &e.s.AzureRoleAssignments[i]
		if !strings.EqualFold(a.PrincipalType, "ServicePrincipal") && e.spByID[a.PrincipalID] == nil {
			continue
		}
		h := byPrincipal[a.PrincipalID]
		if h == nil {
			h = &held{index: i}
			byPrincipal[a.PrincipalID] = h
			order = append(order, a.PrincipalID)
		}
		role, known := e.ref.AzureRole(a.RoleDefinitionID)
		if !known && a.RoleDefinitionName != "" {
			role, known = e.ref.AzureRole(a.RoleDefinitionName)
		}
		if known && !role.Privileged {
			continue
		}
		broad := !strings.Contains(strings.ToLower(a.Scope), "/resourcegroups/")
		f := map[string]any{"role": cmp.Or(role.Name, a.RoleDefinitionName, a.RoleDefinitionID), "role_id": a.RoleDefinitionID,
			"scope": a.Scope, "assignment_id": a.ID, "privileged": known}
		if !known {
			f["privileged"] = "unknown"
		}
		putStr(f, "scope_name", names[strings.ToLower(scopeRoot(a.Scope))])
		putStr(f, "category", role.Category)
		putStr(f, "condition", a.Condition)
		h.facts = append(h.facts, f)
		h.high = h.high || known && broad
	}
	e.judged(ServicePrincipalAzureRole, len(order))
	for _, id := range order {
		h := byPrincipal[id]
		if len(h.facts) == 0 {
			continue
		}
		obj := object{typ: "ServicePrincipal", id: id, index: h.index}
		if sp := e.spByID[id]; sp != nil {
			obj = e.spObject(sp)
		}
		level := alert.LevelMedium
		if h.high {
			level = ""
		}
		e.add(ServicePrincipalAzureRole, obj, level, map[string]any{"azure_roles": h.facts})
	}
}

// scopeRoot returns the subscription or management group an Azure scope
// lies in.
func scopeRoot(scope string) string {
	parts := strings.Split(strings.Trim(scope, "/"), "/")
	switch {
	case len(parts) >= 2 && strings.EqualFold(parts[0], "subscriptions"):
		return "/" + parts[0] + "/" + parts[1]
	case len(parts) >= 4 && strings.EqualFold(parts[2], "managementGroups"):
		return "/" + strings.Join(parts[:4], "/")
	}
	return scope
}

// workloadChecks reports risky service principals and the privileged
// workload identities and agents no Conditional Access policy covers.
func (e *evaluator) workloadChecks() {
	e.riskyServicePrincipals()
	e.conditionalAccess()
}

// riskLevels maps Identity Protection's risk levels to finding levels.
var riskLevels = map[string]string{"high": alert.LevelHigh, "medium": alert.LevelMedium, "low": alert.LevelLow}

// maxDetections bounds the detections listed for one service principal.
const maxDetections = 10

func (e *evaluator) riskyServicePrincipals() {
	if !e.on(RiskyServicePrincipal) {
		return
	}
	detections := map[string][]map[string]any{}
	for i := range e.s.RiskDetections {
		d := &e.s.RiskDetections[i]
		if len(detections[d.ServicePrincipalID]) == maxDetections {
			continue
		}
		m := map[string]any{"id": d.ID, "risk_event_type": d.RiskEventType, "risk_level": d.RiskLevel}
		if t, ok := when(d.DetectedDateTime); ok {
			m["detected"] = alert.FormatTime(t)
		}
		putStr(m, "ip", d.IPAddress)
		putStr(m, "risk_state", d.RiskState)
		detections[d.ServicePrincipalID] = append(detections[d.ServicePrincipalID], m)
	}
	e.judged(RiskyServicePrincipal, len(e.s.RiskyServicePrincipals))
	for i := range e.s.RiskyServicePrincipals {
		r := &e.s.RiskyServicePrincipals[i]
		state := strings.ToLower(r.RiskState)
		if state != "atrisk" && state != "confirmedcompromised" {
			continue
		}
		level := cmp.Or(riskLevels[strings.ToLower(r.RiskLevel)], alert.LevelMedium)
		if state == "confirmedcompromised" {
			level = alert.LevelCritical
		}
		obj := object{typ: "ServicePrincipal", id: r.ID, appID: r.AppID, name: r.DisplayName, index: i}
		if sp := e.spByID[r.ID]; sp != nil {
			obj = e.spObject(sp)
		}
		ev := map[string]any{"risk_level": r.RiskLevel, "risk_state": r.RiskState}
		putStr(ev, "risk_detail", r.RiskDetail)
		if t, ok := when(r.RiskLastUpdatedDateTime); ok {
			ev["risk_updated"] = alert.FormatTime(t)
		}
		if d := detections[r.ID]; len(d) > 0 {
			ev["detections"] = d
		}
		if p := e.privilege[r.ID]; p != nil {
			ev["privileges"] = p.evidence()
		}
		e.add(RiskyServicePrincipal, obj, level, ev)
	}
}

// caPolicy is an enabled Conditional Access policy's reach over workload
// identities and agents.
type caPolicy struct {
	name                    string
	include, exclude        map[string]bool
	allSPs, filter          bool
	agentInclude, agentExcl map[string]bool
	allAgents, agentFilter  bool
}

// workloadPolicies returns the enabled Conditional Access policies that
// name service principals or agents; report-only ones enforce nothing.
func (e *evaluator) workloadPolicies() []caPolicy {
	var out []caPolicy
	for _, p := range e.s.ConditionalAccessPolicies {
		if !strings.EqualFold(p.State, "enabled") || p.Conditions == nil || p.Conditions.ClientApplications == nil {
			continue
		}
		c := p.Conditions.ClientApplications
		cp := caPolicy{name: cmp.Or(p.DisplayName, p.ID), include: lowerSet(c.IncludeServicePrincipals), exclude: lowerSet(c.ExcludeServicePrincipals),
			agentInclude: lowerSet(c.IncludeAgentIDServicePrincipals), agentExcl: lowerSet(c.ExcludeAgentIDServicePrincipals),
			filter: present(c.ServicePrincipalFilter), agentFilter: present(c.AgentIDServicePrincipalFilter)}
		cp.allSPs = cp.include["serviceprincipalsinmytenant"]
		for k := range cp.agentInclude {
			cp.allAgents = cp.allAgents || strings.HasPrefix(k, "all")
		}
		if len(cp.include)+len(cp.agentInclude) > 0 || cp.filter || cp.agentFilter {
			out = append(out, cp)
		}
	}
	return out
}

func lowerSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[strings.ToLower(id)] = true
	}
	return m
}

// present reports whether a JSON value is there and not null.
func present(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null"
}

// covers says whether a policy applies to a service principal or agent
// identity: by id or to all of them, not excluded; or by a filter on
// custom security attributes, which appwatch cannot evaluate and counts
// as covering. Agent identities are reached by a policy's agent
// conditions only.
func (p caPolicy) covers(id string, agent bool) (bool, string) {
	id = strings.ToLower(id)
	if agent {
		switch {
		case p.agentExcl[id]:
			return false, "excluded"
		case p.agentInclude[id] || p.allAgents:
			return true, "included"
		case p.agentFilter:
			return true, "filter"
		}
		return false, ""
	}
	switch {
	case p.exclude[id]:
		return false, "excluded"
	case p.include[id] || p.allSPs:
		return true, "included"
	case p.filter:
		return true, "filter"
	}
	return false, ""
}

// conditionalAccess reports the privileged service principals of the
// tenant's own single-tenant apps, and the agent identities, that no
// enabled Conditional Access policy covers. Conditional Access for
// workload identities applies to neither managed identities nor
// multi-tenant apps.
func (e *evaluator) conditionalAccess() {
	if !e.on(WorkloadIdentityNoCA) {
		return
	}
	policies := e.workloadPolicies()
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		agent := strings.EqualFold(sp.Kind(), snapshot.KindAgentIdentity)
		p := e.privilege[sp.ID]
		d := e.delegated[sp.ID]
		if !agent && (p == nil || !e.singleTenantOwn(sp)) {
			continue
		}
		e.judged(WorkloadIdentityNoCA, 1)
		var excluded []string
		covered := false
		for _, cp := range policies {
			ok, how := cp.covers(sp.ID, agent)
			covered = covered || ok
			if how == "excluded" {
				excluded = append(excluded, cp.name)
			}
		}
		if covered {
			continue
		}
		ev := map[string]any{"workload_policies": len(policies)}
		if len(excluded) > 0 {
			ev["excluded_by"] = excluded
		}
		if p != nil {
			ev["privileges"] = p.evidence()
		}
		if len(d) > 0 {
			ev["delegated_grants"] = d
		}
		e.add(WorkloadIdentityNoCA, e.spObject(sp), "", ev)
	}
}

// singleTenantOwn reports whether a service principal is that of one of
// the tenant's single-tenant app registrations.
func (e *evaluator) singleTenantOwn(sp *snapshot.ServicePrincipal) bool {
	if strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") {
		return false
	}
	a := e.appOf(sp)
	if a == nil {
		return false
	}
	aud := cmp.Or(a.SignInAudience, sp.SignInAudience)
	return aud == "" || strings.EqualFold(aud, "AzureADMyOrg")
}

// thirdPartyChecks judges apps shared across tenants: the tenant's own
// multi-tenant apps without the instance lock, and other organisations'
// apps that are privileged without a verified publisher, read the
// tenant's data with application permissions, or were consented to by
// users without a verified publisher.
func (e *evaluator) thirdPartyChecks() {
	// A lock read as absent means "not configured" only when the list of
	// apps asked for it; otherwise the snapshot does not say.
	lockAsked := strings.Contains(e.s.Contexts[snapshot.Applications], "servicePrincipalLockConfiguration")
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		if !multiTenant(a.SignInAudience) || a.ServicePrincipalLock == nil && !lockAsked {
			continue
		}
		e.judged(AppInstanceLockOff, 1)
		if a.ServicePrincipalLock.LocksCredentials() {
			continue
		}
		ev := map[string]any{"sign_in_audience": a.SignInAudience, "lock": "not configured"}
		if l := a.ServicePrincipalLock; l != nil {
			ev["lock"] = map[string]any{"enabled": l.IsEnabled, "all_properties": l.AllProperties,
				"credentials_with_usage_verify": l.CredentialsWithUsageVerify, "credentials_with_usage_sign": l.CredentialsWithUsageSign}
		}
		e.add(AppInstanceLockOff, appObject(a, i), "", ev)
	}
	perms := map[string][]map[string]any{}
	for i := range e.s.AppRoleAssignments {
		ara := &e.s.AppRoleAssignments[i]
		api, name, ok := e.api(ara.ResourceID, ara.ResourceDisplayName)
		if !ok || !api.Sensitive {
			continue
		}
		p := e.ref.Classify(api.AppID, refdata.Application, ara.AppRoleID)
		if v := e.appRoleValue(ara.ResourceID, ara.AppRoleID); !p.Known && v != "" {
			p = e.ref.Classify(api.AppID, refdata.Application, v)
		}
		perms[ara.PrincipalID] = append(perms[ara.PrincipalID], permFact(p, name, ara.AppRoleID, ara.ID))
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		if e.origin(sp) != originMultiTenant {
			continue
		}
		e.judged(UnverifiedPrivilegedApp, 1)
		e.judged(ThirdPartyAppPermission, 1)
		obj := e.spObject(sp)
		if p, d := e.privilege[sp.ID], e.delegated[sp.ID]; !sp.VerifiedPublisher.Verified() && (p != nil || len(d) > 0) {
			ev := map[string]any{"verified_publisher": false, "app_owner_tenant": sp.AppOwnerOrganizationID}
			if p != nil {
				ev["privileges"] = p.evidence()
			}
			if len(d) > 0 {
				ev["delegated_grants"] = d
			}
			e.add(UnverifiedPrivilegedApp, obj, "", ev)
		}
		if ps := perms[sp.ID]; len(ps) > 0 {
			ev := map[string]any{"permissions": ps, "app_owner_tenant": sp.AppOwnerOrganizationID, "verified_publisher": sp.VerifiedPublisher.Verified()}
			putStr(ev, "publisher", publisherName(sp.VerifiedPublisher))
			e.add(ThirdPartyAppPermission, obj, "", ev)
		}
	}
	e.unverifiedConsents()
}

func publisherName(v *snapshot.VerifiedPublisher) string {
	if v == nil {
		return ""
	}
	return v.DisplayName
}

func multiTenant(audience string) bool {
	return strings.EqualFold(audience, "AzureADMultipleOrgs") || strings.EqualFold(audience, "AzureADandPersonalMicrosoftAccount")
}

// unverifiedConsents reports other organisations' apps without a
// verified publisher that users consented to for themselves.
func (e *evaluator) unverifiedConsents() {
	if !e.on(UserConsentUnverifiedApp) {
		return
	}
	type consents struct {
		users  map[string]bool
		scopes []string
		top    refdata.Level
		apis   []string
	}
	byClient := map[string]*consents{}
	var order []string
	for i := range e.s.Grants {
		g := &e.s.Grants[i]
		if !strings.EqualFold(g.ConsentType, "Principal") {
			continue
		}
		c := byClient[g.ClientID]
		if c == nil {
			c = &consents{users: map[string]bool{}}
			byClient[g.ClientID] = c
			order = append(order, g.ClientID)
		}
		c.users[g.PrincipalID] = true
		api, name, _ := e.api(g.ResourceID, "")
		if name != "" && !slices.Contains(c.apis, name) {
			c.apis = append(c.apis, name)
		}
		for _, p := range e.ref.ClassifyScopes(api.AppID, g.Scopes()) {
			c.top = max(c.top, p.Level)
			if !slices.Contains(c.scopes, p.Value) {
				c.scopes = append(c.scopes, p.Value)
			}
		}
	}
	slices.Sort(order)
	for _, id := range order {
		sp := e.spByID[id]
		if sp == nil {
			continue
		}
		e.judged(UserConsentUnverifiedApp, 1)
		if e.origin(sp) != originMultiTenant || sp.VerifiedPublisher.Verified() {
			continue
		}
		c := byClient[id]
		level := ""
		if c.top >= refdata.LevelHigh {
			level = alert.LevelMedium
		}
		e.add(UserConsentUnverifiedApp, e.spObject(sp), level, map[string]any{"users": len(c.users), "scopes": c.scopes,
			"apis": c.apis, "app_owner_tenant": sp.AppOwnerOrganizationID, "verified_publisher": false})
	}
}
