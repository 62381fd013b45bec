package snapshot

import (
	"encoding/json"
	"strings"
)

// The tenant's settings and policies that decide who may register apps,
// consent to them and add credentials to them, and that Conditional
// Access applies to workload identities.

// AuthorizationPolicy is the tenant's authorization policy
// (/policies/authorizationPolicy).
type AuthorizationPolicy struct {
	ID                         string                  `json:"id"`
	DefaultUserRolePermissions *DefaultUserPermissions `json:"defaultUserRolePermissions,omitempty"`
	// AllowUserConsentForRiskyApps is read from Graph beta only; nil when
	// the snapshot does not say.
	AllowUserConsentForRiskyApps *bool `json:"allowUserConsentForRiskyApps,omitempty"`
}

// DefaultUserPermissions is what every member user may do.
type DefaultUserPermissions struct {
	AllowedToCreateApps *bool `json:"allowedToCreateApps,omitempty"`
	// PermissionGrantPoliciesAssigned names the app consent policies
	// users may consent under: "ManagePermissionGrantsForSelf.<policy>"
	// for their own consent, "ManagePermissionGrantsForOwnedResource.<policy>"
	// for consent on the groups and chats they own.
	PermissionGrantPoliciesAssigned []string `json:"permissionGrantPoliciesAssigned,omitzero"`
}

// AdminConsentRequestPolicy is the admin consent workflow
// (/policies/adminConsentRequestPolicy).
type AdminConsentRequestPolicy struct {
	ID                    string          `json:"id,omitempty"`
	IsEnabled             bool            `json:"isEnabled"`
	NotifyReviewers       bool            `json:"notifyReviewers,omitempty"`
	RemindersEnabled      bool            `json:"remindersEnabled,omitempty"`
	RequestDurationInDays int             `json:"requestDurationInDays,omitempty"`
	Reviewers             []ReviewerScope `json:"reviewers,omitzero"`
	Version               int             `json:"version,omitempty"`
}

// ReviewerScope names reviewers by a Graph query such as "/users/{id}".
type ReviewerScope struct {
	Query     string `json:"query,omitempty"`
	QueryType string `json:"queryType,omitempty"`
	QueryRoot string `json:"queryRoot,omitempty"`
}

// PermissionGrantPolicy is an app consent policy: the conditions under
// which a consent may be granted.
type PermissionGrantPolicy struct {
	ID          string                      `json:"id"`
	DisplayName string                      `json:"displayName,omitempty"`
	Includes    []PermissionGrantConditions `json:"includes,omitzero"`
	Excludes    []PermissionGrantConditions `json:"excludes,omitzero"`
}

// PermissionGrantConditions is one condition set of an app consent policy.
type PermissionGrantConditions struct {
	ID                                          string   `json:"id,omitempty"`
	PermissionType                              string   `json:"permissionType,omitempty"`
	PermissionClassification                    string   `json:"permissionClassification,omitempty"`
	ResourceApplication                         string   `json:"resourceApplication,omitempty"`
	Permissions                                 []string `json:"permissions,omitzero"`
	ClientApplicationsFromVerifiedPublisherOnly bool     `json:"clientApplicationsFromVerifiedPublisherOnly,omitempty"`
}

// DirectorySetting is a tenant-wide directory setting (/groupSettings),
// such as the "Consent Policy Settings".
type DirectorySetting struct {
	ID          string         `json:"id"`
	DisplayName string         `json:"displayName,omitempty"`
	TemplateID  string         `json:"templateId,omitempty"`
	Values      []SettingValue `json:"values,omitzero"`
}

// SettingValue is one name and value of a directory setting.
type SettingValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Value returns the value of the named setting, ignoring case, and
// whether it is present.
func (d DirectorySetting) Value(name string) (string, bool) {
	for _, v := range d.Values {
		if strings.EqualFold(v.Name, name) {
			return v.Value, true
		}
	}
	return "", false
}

// AppManagementPolicy is the tenant's default app management policy
// (ID "defaultAppManagementPolicy", with ApplicationRestrictions and
// ServicePrincipalRestrictions) or a policy applied to chosen apps (with
// Restrictions and AppliesTo).
type AppManagementPolicy struct {
	ID                           string           `json:"id"`
	DisplayName                  string           `json:"displayName,omitempty"`
	IsEnabled                    bool             `json:"isEnabled"`
	Restrictions                 *AppRestrictions `json:"restrictions,omitempty"`
	ApplicationRestrictions      *AppRestrictions `json:"applicationRestrictions,omitempty"`
	ServicePrincipalRestrictions *AppRestrictions `json:"servicePrincipalRestrictions,omitempty"`
	AppliesTo                    []Owner          `json:"appliesTo,omitzero"`
}

// DefaultAppManagementPolicyID is the id of the tenant's default app
// management policy.
const DefaultAppManagementPolicyID = "defaultAppManagementPolicy"

// IsDefault reports whether p is the tenant's default policy.
func (p AppManagementPolicy) IsDefault() bool {
	return strings.EqualFold(p.ID, DefaultAppManagementPolicyID) || p.ApplicationRestrictions != nil || p.ServicePrincipalRestrictions != nil
}

// AppRestrictions are the credential restrictions of an app management
// policy.
type AppRestrictions struct {
	PasswordCredentials []CredentialRestriction `json:"passwordCredentials,omitzero"`
	KeyCredentials      []CredentialRestriction `json:"keyCredentials,omitzero"`
}

// CredentialRestriction restricts adding one kind of credential, or its
// lifetime, on apps created on or after RestrictForAppsCreatedAfter (all
// apps when absent).
type CredentialRestriction struct {
	RestrictionType string `json:"restrictionType"`
	// State is "enabled" or "disabled"; empty means enabled.
	State                       string `json:"state,omitempty"`
	MaxLifetime                 string `json:"maxLifetime,omitempty"`
	RestrictForAppsCreatedAfter Time   `json:"restrictForAppsCreatedAfterDateTime,omitzero"`
}

// Enabled reports whether the restriction is in force.
func (r CredentialRestriction) Enabled() bool { return !strings.EqualFold(r.State, "disabled") }

// ConditionalAccessPolicy is a Conditional Access policy, with the
// conditions that decide whether it covers workload identities.
type ConditionalAccessPolicy struct {
	ID            string           `json:"id"`
	DisplayName   string           `json:"displayName,omitempty"`
	State         string           `json:"state,omitempty"`
	Conditions    *CAConditions    `json:"conditions,omitempty"`
	GrantControls *CAGrantControls `json:"grantControls,omitempty"`
}

// CAConditions holds the conditions appwatch reads.
type CAConditions struct {
	ClientApplications         *CAClientApplications `json:"clientApplications,omitempty"`
	ServicePrincipalRiskLevels []string              `json:"servicePrincipalRiskLevels,omitzero"`
}

// CAClientApplications are the service principals and agent identities a
// policy includes and excludes.
type CAClientApplications struct {
	IncludeServicePrincipals        []string        `json:"includeServicePrincipals,omitzero"`
	ExcludeServicePrincipals        []string        `json:"excludeServicePrincipals,omitzero"`
	ServicePrincipalFilter          json.RawMessage `json:"servicePrincipalFilter,omitempty"`
	IncludeAgentIDServicePrincipals []string        `json:"includeAgentIdServicePrincipals,omitzero"`
	ExcludeAgentIDServicePrincipals []string        `json:"excludeAgentIdServicePrincipals,omitzero"`
	AgentIDServicePrincipalFilter   json.RawMessage `json:"agentIdServicePrincipalFilter,omitempty"`
}

// CAGrantControls are what a policy requires or blocks.
type CAGrantControls struct {
	Operator        string   `json:"operator,omitempty"`
	BuiltInControls []string `json:"builtInControls,omitzero"`
}

// RoleAssignments of the roles that can add credentials to any app are
// kept whoever holds them; of other roles, only those held by service
// principals.
var credentialRoles = map[string]bool{
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": true, // Application Administrator
	"158c047a-c907-4556-b7ef-446551a6b5f7": true, // Cloud Application Administrator
}

// CredentialRole reports whether the role definition id names a built-in
// role that can add credentials to any application: Application
// Administrator or Cloud Application Administrator.
func CredentialRole(roleDefinitionID string) bool {
	return credentialRoles[strings.ToLower(roleDefinitionID)]
}
