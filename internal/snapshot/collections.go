package snapshot

import (
	"cmp"
	"slices"
)

// The collections beyond the app objects. Each is optional: Collect reads
// what it may and records a Gap for the rest.
const (
	AuthorizationPolicies     Collection = "authorizationPolicy"
	AdminConsentPolicies      Collection = "adminConsentRequestPolicy"
	PermissionGrantPolicies   Collection = "permissionGrantPolicies"
	DirectorySettings         Collection = "groupSettings"
	AppManagementPolicies     Collection = "appManagementPolicies"
	ConditionalAccessPolicies Collection = "conditionalAccessPolicies"
	RoleEligibilities         Collection = "roleEligibilityScheduleInstances"
	UserRegistrations         Collection = "userRegistrationDetails"
	SignInActivities          Collection = "servicePrincipalSignInActivities"
	CredentialActivities      Collection = "appCredentialSignInActivities"
	Recommendations           Collection = "recommendations"
	RiskyServicePrincipals    Collection = "riskyServicePrincipals"
	RiskDetections            Collection = "servicePrincipalRiskDetections"
	Agents                    Collection = "agents"
	AzureRoleAssignments      Collection = "azureRoleAssignments"
	AzureScopes               Collection = "azureScopes"
	// Unavailable is the file that lists the collections that could not
	// be read.
	Unavailable Collection = "unavailable"
)

// def describes one collection: the context path Write gives it, the kind
// of its objects, and how to reach its slice in a Snapshot.
type def struct {
	c        Collection
	context  string // after '#' in the @odata.context
	kind     kind
	count    func(*Snapshot) int
	values   func(*Snapshot) any // never a nil slice
	sort     func(*Snapshot)
	newStore func() store
}

// defOf builds the def of a collection of T held in field, whose objects
// are keyed by id.
func defOf[T any](c Collection, context string, k kind, field func(*Snapshot) *[]T, id func(T) string) def {
	return def{
		c: c, context: context, kind: k,
		count:  func(s *Snapshot) int { return len(*field(s)) },
		values: func(s *Snapshot) any { return nonNil(*field(s)) },
		sort:   func(s *Snapshot) { *field(s) = sortByID(*field(s), id) },
		newStore: func() store {
			return &storeOf[T]{m: map[string]*T{}, id: id, field: field}
		},
	}
}

// defs lists every collection in the order Write writes them.
var defs = []def{
	defOf(Applications, "applications", kindApplication, func(s *Snapshot) *[]Application { return &s.Applications }, func(v Application) string { return v.ID }),
	defOf(ServicePrincipals, "servicePrincipals", kindServicePrincipal, func(s *Snapshot) *[]ServicePrincipal { return &s.ServicePrincipals }, func(v ServicePrincipal) string { return v.ID }),
	defOf(Grants, "oauth2PermissionGrants", kindGrant, func(s *Snapshot) *[]Grant { return &s.Grants }, func(v Grant) string { return v.ID }),
	defOf(AppRoleAssignments, "appRoleAssignments", kindAppRoleAssignment, func(s *Snapshot) *[]AppRoleAssignment { return &s.AppRoleAssignments }, func(v AppRoleAssignment) string { return v.ID }),
	defOf(RoleAssignments, "roleManagement/directory/roleAssignments", kindRoleAssignment, func(s *Snapshot) *[]RoleAssignment { return &s.RoleAssignments }, func(v RoleAssignment) string { return v.ID }),
	defOf(Domains, "domains", kindDomain, func(s *Snapshot) *[]Domain { return &s.Domains }, func(v Domain) string { return v.ID }),
	defOf(AuthorizationPolicies, "policies/authorizationPolicy", kindAuthorizationPolicy, func(s *Snapshot) *[]AuthorizationPolicy { return &s.AuthorizationPolicies },
		func(v AuthorizationPolicy) string { return cmp.Or(v.ID, "authorizationPolicy") }),
	defOf(AdminConsentPolicies, "policies/adminConsentRequestPolicy", kindAdminConsentPolicy, func(s *Snapshot) *[]AdminConsentRequestPolicy { return &s.AdminConsentRequestPolicies },
		func(v AdminConsentRequestPolicy) string { return cmp.Or(v.ID, "adminConsentRequestPolicy") }),
	defOf(PermissionGrantPolicies, "policies/permissionGrantPolicies", kindPermissionGrantPolicy, func(s *Snapshot) *[]PermissionGrantPolicy { return &s.PermissionGrantPolicies }, func(v PermissionGrantPolicy) string { return v.ID }),
	defOf(DirectorySettings, "groupSettings", kindDirectorySetting, func(s *Snapshot) *[]DirectorySetting { return &s.DirectorySettings }, func(v DirectorySetting) string { return v.ID }),
	defOf(AppManagementPolicies, "policies/appManagementPolicies", kindAppManagementPolicy, func(s *Snapshot) *[]AppManagementPolicy { return &s.AppManagementPolicies },
		func(v AppManagementPolicy) string { return cmp.Or(v.ID, DefaultAppManagementPolicyID) }),
	defOf(ConditionalAccessPolicies, "identity/conditionalAccess/policies", kindConditionalAccessPolicy, func(s *Snapshot) *[]ConditionalAccessPolicy { return &s.ConditionalAccessPolicies }, func(v ConditionalAccessPolicy) string { return v.ID }),
	defOf(RoleEligibilities, "roleManagement/directory/roleEligibilityScheduleInstances", kindRoleEligibility, func(s *Snapshot) *[]RoleAssignment { return &s.RoleEligibilities }, func(v RoleAssignment) string { return v.ID }),
	defOf(UserRegistrations, "reports/authenticationMethods/userRegistrationDetails", kindUserRegistration, func(s *Snapshot) *[]UserRegistration { return &s.UserRegistrations }, func(v UserRegistration) string { return v.ID }),
	defOf(SignInActivities, "reports/servicePrincipalSignInActivities", kindSignInActivity, func(s *Snapshot) *[]ServicePrincipalSignInActivity { return &s.SignInActivities }, func(v ServicePrincipalSignInActivity) string { return v.ID }),
	defOf(CredentialActivities, "reports/appCredentialSignInActivities", kindCredentialActivity, func(s *Snapshot) *[]AppCredentialSignInActivity { return &s.CredentialActivities }, func(v AppCredentialSignInActivity) string { return v.ID }),
	defOf(Recommendations, "directory/recommendations", kindRecommendation, func(s *Snapshot) *[]Recommendation { return &s.Recommendations }, func(v Recommendation) string { return v.ID }),
	defOf(RiskyServicePrincipals, "identityProtection/riskyServicePrincipals", kindRiskyServicePrincipal, func(s *Snapshot) *[]RiskyServicePrincipal { return &s.RiskyServicePrincipals }, func(v RiskyServicePrincipal) string { return v.ID }),
	defOf(RiskDetections, "identityProtection/servicePrincipalRiskDetections", kindRiskDetection, func(s *Snapshot) *[]ServicePrincipalRiskDetection { return &s.RiskDetections }, func(v ServicePrincipalRiskDetection) string { return v.ID }),
	defOf(Agents, "agents", kindAgent, func(s *Snapshot) *[]Agent { return &s.Agents }, func(v Agent) string { return v.ID }),
	defOf(AzureRoleAssignments, "azureRoleAssignments", kindAzureRoleAssignment, func(s *Snapshot) *[]AzureRoleAssignment { return &s.AzureRoleAssignments }, func(v AzureRoleAssignment) string { return v.ID }),
	defOf(AzureScopes, "azureScopes", kindAzureScope, func(s *Snapshot) *[]AzureScope { return &s.AzureScopes }, func(v AzureScope) string { return v.ID }),
}

// defFor returns the def of a collection.
func defFor(c Collection) (def, bool) {
	i := slices.IndexFunc(defs, func(d def) bool { return d.c == c })
	if i < 0 {
		return def{}, false
	}
	return defs[i], true
}

// defOfKind returns the def of the collection whose objects are of kind k.
func defOfKind(k kind) (def, bool) {
	i := slices.IndexFunc(defs, func(d def) bool { return d.kind == k })
	if i < 0 {
		return def{}, false
	}
	return defs[i], true
}

// Core reports whether c is one of the six collections every snapshot
// is expected to hold; the checks of the others run only when the
// snapshot holds them.
func Core(c Collection) bool {
	switch c {
	case Applications, ServicePrincipals, Grants, AppRoleAssignments, RoleAssignments, Domains:
		return true
	}
	return false
}

// Has reports whether the snapshot holds collection c: Collect read it,
// or Read found a file or an object of it. A collection held may be
// empty.
func (s *Snapshot) Has(c Collection) bool {
	_, ok := s.Contexts[c]
	return ok
}

// Gap returns why collection c is missing, when the snapshot says.
func (s *Snapshot) Gap(c Collection) (Gap, bool) {
	i := slices.IndexFunc(s.Gaps, func(g Gap) bool { return g.Collection == c })
	if i < 0 {
		return Gap{}, false
	}
	return s.Gaps[i], true
}

// Count returns how many objects collection c holds.
func (s *Snapshot) Count(c Collection) int {
	if d, ok := defFor(c); ok {
		return d.count(s)
	}
	return 0
}

// Empty reports whether the snapshot holds no object of any collection.
func (s *Snapshot) Empty() bool {
	for _, d := range defs {
		if d.count(s) > 0 {
			return false
		}
	}
	return true
}
