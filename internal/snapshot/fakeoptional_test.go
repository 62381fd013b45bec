package snapshot

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// optionalTenant is what a fake serves beyond the app objects: the
// tenant's policies, reports and risk, Agent ID objects and Azure role
// assignments, as Graph and Azure Resource Manager return them.
type optionalTenant struct {
	authz         AuthorizationPolicy
	consent       AdminConsentRequestPolicy
	grantPolicies []PermissionGrantPolicy
	settings      []DirectorySetting
	defaultPolicy AppManagementPolicy
	policies      []AppManagementPolicy // with the apps they apply to
	ca            []ConditionalAccessPolicy
	eligible      []RoleAssignment   // all, including those Collect drops
	registrations []UserRegistration // all users
	signIns       []ServicePrincipalSignInActivity
	credActivity  []AppCredentialSignInActivity
	recs          []Recommendation // with their impacted resources
	risky         []RiskyServicePrincipal
	detections    []ServicePrincipalRiskDetection
	agents        []Agent
	subs, mgs     []map[string]any                 // ARM list items
	azure         map[string][]AzureRoleAssignment // by the scope listed
}

// Ids of the optional fixtures.
const (
	consentTemplate = "dffd5d46-495d-40a9-8e21-954ff55e198a"
	appAdmin        = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	cloudAppAdmin   = "158c047a-c907-4556-b7ef-446551a6b5f7"
	globalAdmin     = "62e90394-69f5-4237-9190-012177145e10"
	armOwner        = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	armReader       = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	armContributor  = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	tenantGUID      = "11111111-1111-1111-1111-111111111111"
)

// genOptional builds the optional collections of a tenant: one of each
// kind of object, including some Collect must leave out (eligible roles
// and registrations nobody needs, inactive recommendations). With fewer
// than six apps, some objects name the same app.
func genOptional(tn *tenant) optionalTenant {
	yes, no := true, false
	apps := func(i int) Application { return tn.apps[i%len(tn.apps)] }
	sps := func(i int) ServicePrincipal { return tn.sps[i%len(tn.apps)] }
	at := func(s string) Time {
		t, _ := time.Parse(time.RFC3339, s)
		return Time{Time: t}
	}
	sub1, sub2 := "/subscriptions/aaaa0000-0000-4000-8000-000000000001", "/subscriptions/aaaa0000-0000-4000-8000-000000000002"
	mg := "/providers/Microsoft.Management/managementGroups/contoso-root"
	assign := func(id, scope, role, principal, typ string) AzureRoleAssignment {
		return AzureRoleAssignment{ID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + id,
			RoleDefinitionID: sub1 + "/providers/Microsoft.Authorization/roleDefinitions/" + role, PrincipalID: principal, PrincipalType: typ, Scope: scope}
	}
	mgAssignment := assign("ra-mg", mg, armContributor, sps(1).ID, "ServicePrincipal")
	return optionalTenant{
		authz: AuthorizationPolicy{ID: "authorizationPolicy", DefaultUserRolePermissions: &DefaultUserPermissions{AllowedToCreateApps: &yes,
			PermissionGrantPoliciesAssigned: []string{"ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
				"ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat"}}},
		consent: AdminConsentRequestPolicy{IsEnabled: true, NotifyReviewers: true, RemindersEnabled: true, RequestDurationInDays: 30, Version: 2,
			Reviewers: []ReviewerScope{{Query: "/users/" + guid(idUser, 1), QueryType: "MicrosoftGraph"}}},
		grantPolicies: []PermissionGrantPolicy{
			{ID: "microsoft-user-default-low", DisplayName: "Default policy for user consent (low risk)", Includes: []PermissionGrantConditions{{ID: "c1",
				PermissionType: "delegated", PermissionClassification: "low", ResourceApplication: "any", Permissions: []string{"all"}, ClientApplicationsFromVerifiedPublisherOnly: true}},
				Excludes: []PermissionGrantConditions{}},
			{ID: "microsoft-user-default-legacy", DisplayName: "Default policy for user consent (legacy)", Includes: []PermissionGrantConditions{{ID: "c2",
				PermissionType: "delegated", PermissionClassification: "all", ResourceApplication: "any", Permissions: []string{"all"}}}, Excludes: []PermissionGrantConditions{}},
		},
		settings: []DirectorySetting{{ID: "setting-1", DisplayName: "Consent Policy Settings", TemplateID: consentTemplate, Values: []SettingValue{
			{Name: "EnableGroupSpecificConsent", Value: "false"}, {Name: "BlockUserConsentForRiskyApps", Value: "true"},
			{Name: "EnableAdminConsentRequests", Value: "true"}, {Name: "ConstrainGroupSpecificConsentToMembersOfGroupId", Value: ""}}}},
		defaultPolicy: AppManagementPolicy{ID: DefaultAppManagementPolicyID, DisplayName: "Default app management tenant policy", IsEnabled: true,
			ApplicationRestrictions: &AppRestrictions{
				PasswordCredentials: []CredentialRestriction{{RestrictionType: "passwordLifetime", State: "enabled", MaxLifetime: "P90D", RestrictForAppsCreatedAfter: at("2025-01-01T00:00:00Z")}},
				KeyCredentials:      []CredentialRestriction{{RestrictionType: "asymmetricKeyLifetime", State: "enabled", MaxLifetime: "P365D"}}},
			ServicePrincipalRestrictions: &AppRestrictions{PasswordCredentials: []CredentialRestriction{}, KeyCredentials: []CredentialRestriction{}}},
		policies: []AppManagementPolicy{{ID: "policy-no-secrets", DisplayName: "No secrets for payroll", IsEnabled: true,
			Restrictions: &AppRestrictions{PasswordCredentials: []CredentialRestriction{{RestrictionType: "passwordAddition", State: "enabled"}}},
			AppliesTo:    []Owner{{ODataType: "#microsoft.graph.application", ID: apps(0).ID}}}},
		ca: []ConditionalAccessPolicy{
			{ID: "ca-workloads", DisplayName: "Block workload identities outside the office", State: "enabled",
				Conditions: &CAConditions{ClientApplications: &CAClientApplications{IncludeServicePrincipals: []string{"ServicePrincipalsInMyTenant"},
					ExcludeServicePrincipals: []string{sps(1).ID}}},
				GrantControls: &CAGrantControls{Operator: "OR", BuiltInControls: []string{"block"}}},
			{ID: "ca-users-mfa", DisplayName: "MFA for everyone", State: "enabledForReportingButNotEnforced", Conditions: &CAConditions{},
				GrantControls: &CAGrantControls{Operator: "OR", BuiltInControls: []string{"mfa"}}},
		},
		eligible: []RoleAssignment{
			{ID: "elig-1", PrincipalID: guid(idUser, 901), RoleDefinitionID: appAdmin, DirectoryScopeID: "/",
				RoleDefinition: &RoleDefinition{ID: appAdmin, DisplayName: "Application Administrator", TemplateID: appAdmin, IsBuiltIn: &yes}},
			{ID: "elig-2", PrincipalID: guid(idUser, 902), RoleDefinitionID: globalAdmin, DirectoryScopeID: "/",
				RoleDefinition: &RoleDefinition{ID: globalAdmin, DisplayName: "Global Administrator", TemplateID: globalAdmin, IsBuiltIn: &yes}},
			{ID: "elig-3", PrincipalID: guid(idUser, 903), RoleDefinitionID: cloudAppAdmin, DirectoryScopeID: "/" + apps(2).ID,
				RoleDefinition: &RoleDefinition{ID: cloudAppAdmin, DisplayName: "Cloud Application Administrator", TemplateID: cloudAppAdmin, IsBuiltIn: &no}},
		},
		registrations: []UserRegistration{
			{ID: apps(0).Owners[0].ID, UserPrincipalName: apps(0).Owners[0].UserPrincipalName, UserType: "member", IsMfaRegistered: true,
				MethodsRegistered: []string{"microsoftAuthenticatorPush", "fido2"}},
			{ID: guid(idUser, 901), UserPrincipalName: "admin901@contoso.example", UserType: "member", MethodsRegistered: []string{"mobilePhone"}},
			{ID: guid(idUser, 777), UserPrincipalName: "nobody@contoso.example", UserType: "member", MethodsRegistered: []string{}},
		},
		signIns: []ServicePrincipalSignInActivity{
			{ID: "ss-" + apps(0).AppID, AppID: apps(0).AppID, LastSignInActivity: &SignInActivity{LastSignInDateTime: at("2026-05-30T08:00:00Z"), LastSignInRequestID: "req-1"},
				ApplicationClient: &SignInActivity{LastSignInDateTime: at("2026-05-30T08:00:00Z")}},
			{ID: "ss-" + apps(1).AppID, AppID: apps(1).AppID, LastSignInActivity: &SignInActivity{LastSignInDateTime: at("2025-01-10T08:00:00Z")},
				DelegatedClient: &SignInActivity{LastSignInDateTime: at("2025-01-10T08:00:00Z")}},
		},
		credActivity: []AppCredentialSignInActivity{{ID: "ca-" + apps(0).ID, KeyID: apps(0).PasswordCredentials[0].KeyID, KeyType: "clientSecret", KeyUsage: "verify",
			AppID: apps(0).AppID, AppObjectID: apps(0).ID, ServicePrincipalObjectID: sps(0).ID, CredentialOrigin: "application",
			ExpirationDateTime: apps(0).PasswordCredentials[0].EndDateTime, SignInActivity: &SignInActivity{LastSignInDateTime: at("2026-04-01T00:00:00Z")}}},
		recs: []Recommendation{
			{ID: tenantGUID + "_Microsoft.Identity.IAM.Insights.StaleApps", RecommendationType: "staleApps", DisplayName: "Remove unused applications", Status: "active",
				Priority: "medium", ImpactType: "apps", ImpactedResources: []ImpactedResource{{ID: apps(3).ID, SubjectID: apps(3).ID, DisplayName: apps(3).DisplayName,
					ResourceType: "app", Status: "active"}}},
			{ID: tenantGUID + "_Microsoft.Identity.IAM.Insights.OwnerlessApps", RecommendationType: "unknownFutureValue", DisplayName: "Assign owners", Status: "active",
				Priority: "low", ImpactType: "apps", ImpactedResources: []ImpactedResource{}},
			{ID: tenantGUID + "_Microsoft.Identity.IAM.Insights.StaleAppCreds", RecommendationType: "staleAppCreds", Status: "dismissed", Priority: "medium"},
			{ID: tenantGUID + "_Microsoft.Identity.IAM.Insights.TenantMFA", RecommendationType: "tenantMFA", Status: "active", Priority: "high"},
		},
		risky: []RiskyServicePrincipal{{ID: sps(2).ID, AppID: sps(2).AppID, DisplayName: sps(2).DisplayName, RiskLevel: "high", RiskState: "atRisk",
			RiskDetail: "none", RiskLastUpdatedDateTime: at("2026-05-20T10:00:00Z")}},
		detections: []ServicePrincipalRiskDetection{{ID: "det-1", ServicePrincipalID: sps(2).ID, AppID: sps(2).AppID, RiskEventType: "investigationsThreatIntelligence",
			RiskLevel: "high", RiskState: "atRisk", DetectedDateTime: at("2026-05-20T09:00:00Z"), IPAddress: "203.0.113.7"}},
		agents: []Agent{
			{ODataType: "#microsoft.graph.agentIdentity", ID: sps(4).ID, BlueprintAppID: apps(5).AppID,
				Sponsors: []Owner{{ODataType: "#microsoft.graph.user", ID: guid(idUser, 950), DisplayName: "Sponsor", UserPrincipalName: "sponsor@contoso.example"}}},
			{ODataType: "#microsoft.graph.agentIdentityBlueprintPrincipal", ID: sps(5).ID, Sponsors: []Owner{}},
			{ODataType: "#microsoft.graph.agentIdentityBlueprint", ID: apps(5).ID, Sponsors: []Owner{}},
		},
		subs: []map[string]any{{"id": sub1, "subscriptionId": sub1[len("/subscriptions/"):], "displayName": "Production", "state": "Enabled", "tenantId": tenantGUID},
			{"id": sub2, "subscriptionId": sub2[len("/subscriptions/"):], "displayName": "Sandbox", "state": "Enabled", "tenantId": tenantGUID}},
		mgs: []map[string]any{{"id": mg, "name": "contoso-root", "type": "Microsoft.Management/managementGroups",
			"properties": map[string]any{"displayName": "Contoso root", "tenantId": tenantGUID}}},
		azure: map[string][]AzureRoleAssignment{
			sub1: {assign("ra-1", sub1, armOwner, sps(0).ID, "ServicePrincipal"), assign("ra-2", sub1+"/resourceGroups/web", armReader, guid(idUser, 3), "User"),
				assign("ra-3", sub1+"/resourceGroups/web", armContributor, sps(3).ID, "ServicePrincipal"), mgAssignment},
			sub2: {mgAssignment},
			mg:   {mgAssignment},
		},
	}
}

// armAssignment is an Azure role assignment as ARM lists it.
func armAssignment(a AzureRoleAssignment) map[string]any {
	return map[string]any{"id": a.ID, "name": a.ID[strings.LastIndexByte(a.ID, '/')+1:], "type": "Microsoft.Authorization/roleAssignments",
		"properties": map[string]any{"roleDefinitionId": a.RoleDefinitionID, "principalId": a.PrincipalID, "principalType": a.PrincipalType,
			"scope": a.Scope, "condition": nil, "createdOn": "2025-03-01T10:00:00.0000000Z", "updatedOn": "2025-03-01T10:00:00.0000000Z"}}
}

// routeOptional answers the optional collections' paths under /v1.0,
// /beta and /arm (Azure Resource Manager), and reports whether it did.
func (fg *fakeGraph) routeOptional(w http.ResponseWriter, r *http.Request) bool {
	version, path, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	path = "/" + path
	o := &fg.tenant.opt
	meta := fg.srv.URL + "/" + version + "/$metadata"
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case version == "arm":
		fg.routeARM(w, r, path)
	case version == "beta" && path == "/reports/servicePrincipalSignInActivities":
		pageAt(fg, w, r, meta, "reports/servicePrincipalSignInActivities", o.signIns)
	case version == "beta" && path == "/reports/appCredentialSignInActivities":
		pageAt(fg, w, r, meta, "reports/appCredentialSignInActivities", o.credActivity)
	case version == "beta" && path == "/directory/recommendations":
		pageAt(fg, w, r, meta, "directory/recommendations", mapSlice(o.recs, func(rec Recommendation) Recommendation {
			rec.ImpactedResources = nil
			return rec
		}))
	case version == "beta" && len(segs) == 4 && segs[1] == "recommendations" && segs[3] == "impactedResources":
		i := slices.IndexFunc(o.recs, func(rec Recommendation) bool { return rec.ID == segs[2] })
		fg.found(w, r, i, func() {
			pageAt(fg, w, r, meta, "directory/recommendations('"+segs[2]+"')/impactedResources", o.recs[i].ImpactedResources)
		})
	case path == "/identity/conditionalAccess/policies":
		pageAt(fg, w, r, meta, "identity/conditionalAccess/policies", o.ca)
	case version != "v1.0":
		return false
	case path == "/policies/authorizationPolicy":
		object(w, meta+"#policies/authorizationPolicy/$entity", o.authz)
	case path == "/policies/adminConsentRequestPolicy":
		object(w, meta+"#policies/adminConsentRequestPolicy/$entity", o.consent)
	case path == "/policies/defaultAppManagementPolicy":
		object(w, meta+"#policies/defaultAppManagementPolicy/$entity", o.defaultPolicy)
	case path == "/policies/permissionGrantPolicies":
		page(fg, w, r, "policies/permissionGrantPolicies", o.grantPolicies)
	case path == "/groupSettings":
		page(fg, w, r, "groupSettings", o.settings)
	case path == "/policies/appManagementPolicies":
		page(fg, w, r, "policies/appManagementPolicies", mapSlice(o.policies, func(p AppManagementPolicy) AppManagementPolicy {
			p.AppliesTo = nil
			return p
		}))
	case len(segs) == 4 && segs[1] == "appManagementPolicies" && segs[3] == "appliesTo":
		i := slices.IndexFunc(o.policies, func(p AppManagementPolicy) bool { return p.ID == segs[2] })
		fg.found(w, r, i, func() { page(fg, w, r, "directoryObjects", o.policies[i].AppliesTo) })
	case path == "/roleManagement/directory/roleEligibilityScheduleInstances":
		fg.want(r, "$expand", "roleDefinition($select="+roleDefFields+")")
		page(fg, w, r, "roleManagement/directory/roleEligibilityScheduleInstances", o.eligible)
	case path == "/reports/authenticationMethods/userRegistrationDetails":
		page(fg, w, r, "reports/authenticationMethods/userRegistrationDetails", o.registrations)
	case path == "/identityProtection/riskyServicePrincipals":
		page(fg, w, r, "identityProtection/riskyServicePrincipals", o.risky)
	case path == "/identityProtection/servicePrincipalRiskDetections":
		page(fg, w, r, "identityProtection/servicePrincipalRiskDetections", o.detections)
	case len(segs) == 2 && strings.HasPrefix(segs[1], "microsoft.graph.agentIdentity"):
		var out []Agent
		for _, a := range o.agents {
			if a.ODataType == "#"+segs[1] {
				a.ODataType = "" // a cast list does not repeat the type
				out = append(out, a)
			}
		}
		page(fg, w, r, segs[0]+"/"+segs[1], out)
	default:
		return false
	}
	return true
}

// routeARM answers Azure Resource Manager's lists, two items a page with
// "nextLink".
func (fg *fakeGraph) routeARM(w http.ResponseWriter, r *http.Request, path string) {
	o := &fg.tenant.opt
	q := r.URL.Query()
	var items []any
	switch scope, ok := strings.CutSuffix(path, "/providers/Microsoft.Authorization/roleAssignments"); {
	case path == "/subscriptions":
		fg.want(r, "api-version", armSubscriptionsVersion)
		for _, s := range o.subs {
			items = append(items, s)
		}
	case path == "/providers/Microsoft.Management/managementGroups":
		fg.want(r, "api-version", armManagementGroupsVersion)
		for _, m := range o.mgs {
			items = append(items, m)
		}
	case ok:
		fg.want(r, "api-version", armRoleAssignmentsVersion)
		if strings.Contains(scope, "managementGroups") {
			fg.want(r, "$filter", "atScope()")
		}
		for _, a := range o.azure[scope] {
			items = append(items, armAssignment(a))
		}
	default:
		fg.t.Errorf("unexpected ARM request %s", r.URL)
		graphError(w, http.StatusNotFound, "NotFound", "no such path")
		return
	}
	start, _ := strconv.Atoi(q.Get("$skipToken"))
	end := min(start+2, len(items))
	doc := map[string]any{"value": nonNil(items[min(start, end):end])}
	if end < len(items) {
		next := *r.URL
		nq := next.Query()
		nq.Set("$skipToken", strconv.Itoa(end))
		next.RawQuery = nq.Encode()
		doc["nextLink"] = fg.srv.URL + next.RequestURI()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

// object writes a single object with its context, as Graph returns a
// singleton.
func object(w http.ResponseWriter, context string, v any) {
	b, _ := json.Marshal(v)
	var m map[string]any
	json.Unmarshal(b, &m)
	m["@odata.context"] = context
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(m)
}

// expectOptional adds to s what Collect should make of the optional
// collections, read with or without Graph beta and Azure Resource
// Manager.
func (tn *tenant) expectOptional(s *Snapshot, metadata string, beta, arm bool) {
	o := tn.opt
	betaMeta := strings.Replace(metadata, "/v1.0/", "/beta/", 1)
	s.AuthorizationPolicies = []AuthorizationPolicy{o.authz}
	s.AdminConsentRequestPolicies = []AdminConsentRequestPolicy{o.consent}
	s.PermissionGrantPolicies = slices.Clone(o.grantPolicies)
	s.DirectorySettings = slices.Clone(o.settings)
	s.AppManagementPolicies = append(slices.Clone(o.policies), o.defaultPolicy)
	s.ConditionalAccessPolicies = slices.Clone(o.ca)
	s.RoleEligibilities = []RoleAssignment{o.eligible[0], o.eligible[2]}
	s.UserRegistrations = o.registrations[:2]
	s.RiskyServicePrincipals = slices.Clone(o.risky)
	s.RiskDetections = slices.Clone(o.detections)
	s.Agents = slices.Clone(o.agents)
	for _, a := range o.agents {
		if i := slices.IndexFunc(s.ServicePrincipals, func(sp ServicePrincipal) bool { return sp.ID == a.ID }); i >= 0 {
			s.ServicePrincipals[i].ODataType = a.ODataType
		}
		if i := slices.IndexFunc(s.Applications, func(app Application) bool { return app.ID == a.ID }); i >= 0 {
			s.Applications[i].ODataType = a.ODataType
		}
	}
	ca := metadata
	for c, path := range map[Collection]string{
		AuthorizationPolicies: "policies/authorizationPolicy", AdminConsentPolicies: "policies/adminConsentRequestPolicy",
		PermissionGrantPolicies: "policies/permissionGrantPolicies", DirectorySettings: "groupSettings",
		AppManagementPolicies: "policies/appManagementPolicies", RoleEligibilities: "roleManagement/directory/roleEligibilityScheduleInstances",
		UserRegistrations: "reports/authenticationMethods/userRegistrationDetails", RiskyServicePrincipals: "identityProtection/riskyServicePrincipals",
		RiskDetections: "identityProtection/servicePrincipalRiskDetections", Agents: "agents",
	} {
		s.Contexts[c] = metadata + "#" + path
	}
	if beta {
		ca = betaMeta
		s.SignInActivities = slices.Clone(o.signIns)
		s.CredentialActivities = slices.Clone(o.credActivity)
		s.Recommendations = slices.Clone(o.recs)
		s.Recommendations[2].ImpactedResources, s.Recommendations[3].ImpactedResources = nil, nil
		s.Contexts[SignInActivities] = betaMeta + "#reports/servicePrincipalSignInActivities"
		s.Contexts[CredentialActivities] = betaMeta + "#reports/appCredentialSignInActivities"
		s.Contexts[Recommendations] = betaMeta + "#directory/recommendations"
	} else {
		for _, c := range []Collection{SignInActivities, CredentialActivities, Recommendations} {
			s.Gaps = append(s.Gaps, Gap{Collection: c, Message: "Graph beta was not read"})
		}
	}
	s.Contexts[ConditionalAccessPolicies] = ca + "#identity/conditionalAccess/policies"
	if arm {
		for _, scope := range []string{"/subscriptions/aaaa0000-0000-4000-8000-000000000001", "/subscriptions/aaaa0000-0000-4000-8000-000000000002",
			"/providers/Microsoft.Management/managementGroups/contoso-root"} {
			s.AzureRoleAssignments = append(s.AzureRoleAssignments, o.azure[scope]...)
		}
		s.AzureScopes = []AzureScope{{ID: "/subscriptions/aaaa0000-0000-4000-8000-000000000001", DisplayName: "Production"},
			{ID: "/subscriptions/aaaa0000-0000-4000-8000-000000000002", DisplayName: "Sandbox"},
			{ID: "/providers/Microsoft.Management/managementGroups/contoso-root", DisplayName: "Contoso root"}}
		s.Contexts[AzureRoleAssignments] = metadata + "#azureRoleAssignments"
		s.Contexts[AzureScopes] = metadata + "#azureScopes"
	} else {
		for _, c := range []Collection{AzureScopes, AzureRoleAssignments} {
			s.Gaps = append(s.Gaps, Gap{Collection: c, Message: "Azure Resource Manager was not read"})
		}
	}
}
