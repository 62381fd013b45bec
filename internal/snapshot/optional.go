package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// The optional collections: read when the app may, recorded as a Gap
// when Graph or Azure Resource Manager refuses them, so that the checks
// that need them can say why they did not run.

// API versions of Azure Resource Manager that Collect uses.
const (
	armSubscriptionsVersion    = "2022-12-01"
	armManagementGroupsVersion = "2021-04-01"
	armRoleAssignmentsVersion  = "2022-04-01"
)

// rawList is what an optional task read: undecoded objects and the
// @odata.context of the first page.
type rawList struct {
	items   []json.RawMessage
	context string
}

// optional is one optional collection: what reading it takes, and how.
type optional struct {
	c    Collection
	need access
	// client is the Pager to use; nil records a gap saying so.
	client  Pager
	missing string // why client is nil
	read    func(ctx context.Context, g Pager) (rawList, error)
}

// Access needed for the optional collections.
var (
	needPolicy       = access{permission: "Policy.Read.All"}
	needArmReader    = access{permission: "the Reader role (Microsoft.Authorization/roleAssignments/read) on the management groups and subscriptions"}
	needAuditLog     = access{permission: "AuditLog.Read.All", licence: licenceP1}
	needWorkloadRisk = access{permission: "IdentityRiskyServicePrincipal.Read.All", licence: licenceWorkloadIDs}
)

// optionals returns the optional collections of the first stage.
func (c *collector) optionals() []optional {
	v1, beta, arm := c.g, c.opts.Beta, c.opts.ARM
	noBeta := "Graph beta was not read"
	noARM := "Azure Resource Manager was not read"
	return []optional{
		{c: AuthorizationPolicies, need: needPolicy, client: v1, read: getOne("/policies/authorizationPolicy", nil)},
		{c: AdminConsentPolicies, need: needPolicy, client: v1, read: getOne("/policies/adminConsentRequestPolicy", nil)},
		{c: PermissionGrantPolicies, need: access{permission: "Policy.Read.PermissionGrant"}, client: v1, read: listAll("/policies/permissionGrantPolicies", nil)},
		{c: DirectorySettings, need: access{permission: "Directory.Read.All"}, client: v1, read: listAll("/groupSettings", nil)},
		{c: AppManagementPolicies, need: needPolicy, client: v1, read: appManagementPolicies},
		{c: ConditionalAccessPolicies, need: access{permission: "Policy.Read.All", licence: licenceP1}, client: cmpPager(beta, v1),
			read: listAll("/identity/conditionalAccess/policies", nil)},
		{c: RoleEligibilities, need: access{permission: "RoleEligibilitySchedule.Read.Directory", licence: licenceP2}, client: v1,
			read: listAll("/roleManagement/directory/roleEligibilityScheduleInstances", url.Values{
				"$select": {roleFields}, "$expand": {"roleDefinition($select=" + roleDefFields + ")"}})},
		{c: UserRegistrations, need: needAuditLog, client: v1, read: listAll("/reports/authenticationMethods/userRegistrationDetails", url.Values{
			"$select": {"id,userPrincipalName,userType,isMfaRegistered,methodsRegistered"}, "$top": {pageSize}})},
		{c: SignInActivities, need: needAuditLog, client: beta, missing: noBeta, read: listAll("/reports/servicePrincipalSignInActivities", nil)},
		{c: CredentialActivities, need: needAuditLog, client: beta, missing: noBeta, read: listAll("/reports/appCredentialSignInActivities", nil)},
		{c: Recommendations, need: access{permission: "DirectoryRecommendations.Read.All", licence: licenceP1}, client: beta, missing: noBeta,
			read: listAll("/directory/recommendations", nil)},
		{c: RiskyServicePrincipals, need: needWorkloadRisk, client: v1, read: listAll("/identityProtection/riskyServicePrincipals", nil)},
		{c: RiskDetections, need: access{permission: "IdentityRiskEvent.Read.All", licence: licenceWorkloadIDs}, client: v1,
			read: listAll("/identityProtection/servicePrincipalRiskDetections", nil)},
		{c: Agents, need: access{permission: "Application.Read.All"}, client: v1, read: agents},
		{c: AzureScopes, need: needArmReader, client: arm, missing: noARM, read: c.azureScopes},
	}
}

// cmpPager returns the first Pager that is not nil.
func cmpPager(ps ...Pager) Pager {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// listAll reads every page of path.
func listAll(path string, q url.Values) func(context.Context, Pager) (rawList, error) {
	return func(ctx context.Context, g Pager) (rawList, error) {
		var l rawList
		for p, err := range g.Pages(ctx, path, q) {
			if err != nil {
				return rawList{}, err
			}
			if l.context == "" {
				l.context = p.Context
			}
			l.items = append(l.items, p.Value...)
		}
		return l, nil
	}
}

// getOne reads the single object at path as a list of one.
func getOne(path string, q url.Values) func(context.Context, Pager) (rawList, error) {
	return func(ctx context.Context, g Pager) (rawList, error) {
		raw, err := g.Get(ctx, path, q)
		if err != nil {
			return rawList{}, err
		}
		var head struct {
			Context string `json:"@odata.context"`
		}
		json.Unmarshal(raw, &head)
		return rawList{items: []json.RawMessage{raw}, context: strings.TrimSuffix(head.Context, "/$entity")}, nil
	}
}

// appManagementPolicies reads the tenant's default app management policy
// and the policies applied to chosen apps.
func appManagementPolicies(ctx context.Context, g Pager) (rawList, error) {
	l, err := listAll("/policies/appManagementPolicies", nil)(ctx, g)
	if err != nil {
		return rawList{}, err
	}
	def, err := getOne("/policies/defaultAppManagementPolicy", nil)(ctx, g)
	if err != nil {
		return rawList{}, err
	}
	l.items = append(l.items, def.items...)
	return l, nil
}

// agentCasts are the lists of Agent ID objects, each cast to its type.
var agentCasts = []string{
	"/servicePrincipals/microsoft.graph.agentIdentity",
	"/servicePrincipals/microsoft.graph.agentIdentityBlueprintPrincipal",
	"/applications/microsoft.graph.agentIdentityBlueprint",
}

// agents reads the agent identities, blueprint principals and blueprints
// with their sponsors. Each object gets the type of its list.
func agents(ctx context.Context, g Pager) (rawList, error) {
	var out rawList
	for _, path := range agentCasts {
		l, err := listAll(path, url.Values{"$expand": {"sponsors($select=" + ownerFields + ")"}, "$top": {expandPageSize}})(ctx, g)
		if err != nil {
			return rawList{}, err
		}
		cast := "#" + path[strings.LastIndexByte(path, '/')+1:]
		for _, raw := range l.items {
			var a Agent
			if err := json.Unmarshal(raw, &a); err != nil {
				return rawList{}, fmt.Errorf("%s: %w", path, err)
			}
			if a.ODataType == "" {
				a.ODataType = cast
			}
			b, _ := json.Marshal(a)
			out.items = append(out.items, b)
		}
	}
	return out, nil
}

// azureScopes lists the subscriptions and management groups the app may
// read. Either list may be refused alone, which is recorded as a gap of
// the scopes while the other is kept.
func (c *collector) azureScopes(ctx context.Context, g Pager) (rawList, error) {
	subs, subErr := listAll("/subscriptions", url.Values{"api-version": {armSubscriptionsVersion}})(ctx, g)
	mgs, mgErr := listAll("/providers/Microsoft.Management/managementGroups", url.Values{"api-version": {armManagementGroupsVersion}})(ctx, g)
	switch {
	case subErr != nil && mgErr != nil:
		return rawList{}, errors.Join(subErr, mgErr)
	case ctx.Err() != nil:
		return rawList{}, ctx.Err()
	case subErr != nil:
		c.addGap(partGap(AzureScopes, "subscriptions", subErr))
	case mgErr != nil:
		c.addGap(partGap(AzureScopes, "management groups", mgErr))
	}
	return rawList{items: slices.Concat(subs.items, mgs.items)}, nil
}

// runOptional reads one optional collection, recording a gap when it
// cannot.
func (c *collector) runOptional(o optional) task {
	return task{string(o.c), func(ctx context.Context) error {
		if o.client == nil {
			c.addGap(Gap{Collection: o.c, Message: o.missing})
			return nil
		}
		l, err := o.read(ctx, o.client)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			c.log.DebugContext(ctx, "collection not read", "collection", o.c, "error", err)
			c.addGap(gapOf(o.c, o.need, err))
			return nil
		}
		c.optMu.Lock()
		c.optional[o.c] = l
		c.optMu.Unlock()
		if c.opts.Progress != nil {
			c.opts.Progress(o.c, len(l.items))
		}
		return nil
	}}
}

func (c *collector) addGap(g Gap) {
	c.optMu.Lock()
	c.gaps = append(c.gaps, g)
	c.optMu.Unlock()
}

// optionalFollowUps returns the second-stage tasks of the optional
// collections: the apps each app management policy applies to, the
// objects of each active app recommendation, and the role assignments of
// each Azure scope.
func (c *collector) optionalFollowUps() []task {
	var ts []task
	for _, raw := range c.optional[AppManagementPolicies].items {
		var p AppManagementPolicy
		if json.Unmarshal(raw, &p) != nil || p.ID == "" || p.IsDefault() {
			continue
		}
		ts = append(ts, c.childTask(AppManagementPolicies, p.ID, c.g, "/policies/appManagementPolicies/"+url.PathEscape(p.ID)+"/appliesTo", url.Values{"$select": {"id"}}))
	}
	for _, raw := range c.optional[Recommendations].items {
		var r Recommendation
		if json.Unmarshal(raw, &r) != nil || r.ID == "" || !AppRecommendation(r.Kind()) || !strings.EqualFold(r.Status, "active") {
			continue
		}
		ts = append(ts, c.childTask(Recommendations, r.ID, c.opts.Beta, "/directory/recommendations/"+url.PathEscape(r.ID)+"/impactedResources", nil))
	}
	scopes := c.optional[AzureScopes].items
	if len(scopes) > 0 {
		c.azure = make([]rawList, len(scopes))
	}
	for i, raw := range scopes {
		var s AzureScope
		json.Unmarshal(raw, &s)
		q := url.Values{"api-version": {armRoleAssignmentsVersion}}
		if strings.Contains(strings.ToLower(s.ID), "/managementgroups/") {
			q.Set("$filter", "atScope()")
		}
		ts = append(ts, task{"Azure role assignments of " + s.ID, func(ctx context.Context) error {
			l, err := listAll(s.ID+"/providers/Microsoft.Authorization/roleAssignments", q)(ctx, c.opts.ARM)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				c.addGap(partGap(AzureRoleAssignments, s.ID, err))
				return nil
			}
			c.azure[i] = l
			return nil
		}})
	}
	return ts
}

// partGap describes a part of an Azure collection that could not be read.
func partGap(c Collection, part string, err error) Gap {
	g := gapOf(c, needArmReader, err)
	g.Part = part
	return g
}

// childTask reads the list under one object of an optional collection.
func (c *collector) childTask(coll Collection, id string, g Pager, path string, q url.Values) task {
	return task{path, func(ctx context.Context) error {
		l, err := listAll(path, q)(ctx, g)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			c.addGap(Gap{Collection: coll, Message: fmt.Sprintf("%s: %v", path, err)})
			return nil
		}
		c.optMu.Lock()
		c.children[id] = l.items
		c.optMu.Unlock()
		return nil
	}}
}

// appRecommendations are the recommendation types about applications,
// service principals and their credentials.
var appRecommendations = map[string]bool{
	"staleapps": true, "staleappcreds": true, "applicationcredentialexpiry": true, "serviceprincipalkeyexpiry": true,
	"verifyapppublisher": true, "overprivilegedapps": true, "longlivedcredentials": true, "adaltomsalmigration": true,
	"ownerlessapps": true, "aadgraphdeprecationapplication": true, "aadgraphdeprecationserviceprincipal": true,
	"managedidentity": true, "thirdpartyapps": true,
}

// AppRecommendation reports whether a recommendation type is about apps.
func AppRecommendation(kind string) bool { return appRecommendations[strings.ToLower(kind)] }
