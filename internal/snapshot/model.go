package snapshot

import (
	"strings"
)

// Snapshot is what appwatch knows of a tenant's applications at one time:
// the app registrations, their service principals, the permissions they
// were granted, the directory roles held by service principals, and the
// tenant's domains; and, when they could be read, the tenant's consent,
// app management and Conditional Access policies, sign-in activity,
// risk, recommendations, eligible roles, owners' authentication methods,
// Agent ID objects and Azure role assignments. Every collection is sorted
// by id.
type Snapshot struct {
	Applications       []Application
	ServicePrincipals  []ServicePrincipal
	Grants             []Grant
	AppRoleAssignments []AppRoleAssignment
	// RoleAssignments are the active directory role assignments of
	// service principals, and those of any principal to a role that can
	// add credentials to any app (see CredentialRole).
	RoleAssignments []RoleAssignment
	Domains         []Domain

	AuthorizationPolicies       []AuthorizationPolicy
	AdminConsentRequestPolicies []AdminConsentRequestPolicy
	PermissionGrantPolicies     []PermissionGrantPolicy
	DirectorySettings           []DirectorySetting
	// AppManagementPolicies holds the tenant's default policy and the
	// policies applied to chosen apps.
	AppManagementPolicies     []AppManagementPolicy
	ConditionalAccessPolicies []ConditionalAccessPolicy
	// RoleEligibilities are eligible role assignments, kept as
	// RoleAssignments are.
	RoleEligibilities      []RoleAssignment
	UserRegistrations      []UserRegistration
	SignInActivities       []ServicePrincipalSignInActivity
	CredentialActivities   []AppCredentialSignInActivity
	Recommendations        []Recommendation
	RiskyServicePrincipals []RiskyServicePrincipal
	RiskDetections         []ServicePrincipalRiskDetection
	Agents                 []Agent
	AzureRoleAssignments   []AzureRoleAssignment
	AzureScopes            []AzureScope

	// Contexts holds the @odata.context of each collection the snapshot
	// holds, as Graph gave it, so that a written snapshot reads like
	// Graph's own responses. A collection without an entry was not read.
	Contexts map[Collection]string
	// Gaps says why collections are missing, sorted by collection.
	Gaps []Gap
}

// Collection names one collection of a Snapshot. It is also the base name
// of the file Write gives it.
type Collection string

// The collections of a snapshot.
const (
	Applications       Collection = "applications"
	ServicePrincipals  Collection = "servicePrincipals"
	Grants             Collection = "oauth2PermissionGrants"
	AppRoleAssignments Collection = "appRoleAssignments"
	RoleAssignments    Collection = "roleAssignments"
	Domains            Collection = "domains"
)

// Collections lists every collection in the order Write writes them.
func Collections() []Collection {
	out := make([]Collection, len(defs))
	for i, d := range defs {
		out[i] = d.c
	}
	return out
}

// Application is an app registration (a Graph application object). A nil
// slice means the property was not read; an empty one means it is empty.
type Application struct {
	// ODataType is Graph's type when it is a subtype of application,
	// such as "#microsoft.graph.agentIdentityBlueprint".
	ODataType                    string                        `json:"@odata.type,omitempty"`
	ID                           string                        `json:"id"`
	AppID                        string                        `json:"appId,omitempty"`
	DisplayName                  string                        `json:"displayName,omitempty"`
	CreatedDateTime              Time                          `json:"createdDateTime,omitzero"`
	SignInAudience               string                        `json:"signInAudience,omitempty"`
	PublisherDomain              string                        `json:"publisherDomain,omitempty"`
	IdentifierURIs               []string                      `json:"identifierUris,omitzero"`
	IsFallbackPublicClient       *bool                         `json:"isFallbackPublicClient,omitempty"`
	Notes                        string                        `json:"notes,omitempty"`
	VerifiedPublisher            *VerifiedPublisher            `json:"verifiedPublisher,omitempty"`
	ServicePrincipalLock         *LockConfiguration            `json:"servicePrincipalLockConfiguration,omitempty"`
	KeyCredentials               []Credential                  `json:"keyCredentials,omitzero"`
	PasswordCredentials          []Credential                  `json:"passwordCredentials,omitzero"`
	Web                          *Web                          `json:"web,omitempty"`
	SPA                          *RedirectURIs                 `json:"spa,omitempty"`
	PublicClient                 *RedirectURIs                 `json:"publicClient,omitempty"`
	RequiredResourceAccess       []RequiredResourceAccess      `json:"requiredResourceAccess,omitzero"`
	AppRoles                     []AppRole                     `json:"appRoles,omitzero"`
	Owners                       []Owner                       `json:"owners,omitzero"`
	FederatedIdentityCredentials []FederatedIdentityCredential `json:"federatedIdentityCredentials,omitzero"`
}

// VerifiedPublisher is the Microsoft Partner Network identity Microsoft
// verified for an app's publisher; an empty VerifiedPublisherID means
// none.
type VerifiedPublisher struct {
	DisplayName         string `json:"displayName,omitempty"`
	VerifiedPublisherID string `json:"verifiedPublisherId,omitempty"`
	AddedDateTime       Time   `json:"addedDateTime,omitzero"`
}

// Verified reports whether v names a verified publisher.
func (v *VerifiedPublisher) Verified() bool {
	return v != nil && strings.TrimSpace(v.VerifiedPublisherID) != ""
}

// LockConfiguration is an app's instance property lock: which properties
// of its service principals in other tenants may not be changed there.
type LockConfiguration struct {
	IsEnabled                  bool `json:"isEnabled"`
	AllProperties              bool `json:"allProperties,omitempty"`
	CredentialsWithUsageVerify bool `json:"credentialsWithUsageVerify,omitempty"`
	CredentialsWithUsageSign   bool `json:"credentialsWithUsageSign,omitempty"`
	IdentifierURIs             bool `json:"identifierUris,omitempty"`
	TokenEncryptionKeyID       bool `json:"tokenEncryptionKeyId,omitempty"`
}

// LocksCredentials reports whether the lock keeps other tenants from
// adding credentials to the app's service principals.
func (l *LockConfiguration) LocksCredentials() bool {
	return l != nil && l.IsEnabled && (l.AllProperties || l.CredentialsWithUsageVerify && l.CredentialsWithUsageSign)
}

// Web holds an application's web platform settings.
type Web struct {
	RedirectURIs          []string               `json:"redirectUris,omitzero"`
	LogoutURL             string                 `json:"logoutUrl,omitempty"`
	HomePageURL           string                 `json:"homePageUrl,omitempty"`
	ImplicitGrantSettings *ImplicitGrantSettings `json:"implicitGrantSettings,omitempty"`
}

// ImplicitGrantSettings says whether the implicit flow may issue tokens.
type ImplicitGrantSettings struct {
	EnableIDTokenIssuance     bool `json:"enableIdTokenIssuance"`
	EnableAccessTokenIssuance bool `json:"enableAccessTokenIssuance"`
}

// RedirectURIs holds the redirect URIs of the spa and publicClient
// platforms.
type RedirectURIs struct {
	RedirectURIs []string `json:"redirectUris,omitzero"`
}

// RequiredResourceAccess lists the permissions an app asks for on one API.
type RequiredResourceAccess struct {
	ResourceAppID  string           `json:"resourceAppId"`
	ResourceAccess []ResourceAccess `json:"resourceAccess,omitzero"`
}

// ResourceAccess is one requested permission: Type "Scope" for a delegated
// permission, "Role" for an app role.
type ResourceAccess struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// AppRole is a role an API defines. Apps hold the ones whose
// AllowedMemberTypes include "Application" as application permissions.
type AppRole struct {
	ID                 string   `json:"id"`
	Value              string   `json:"value,omitempty"`
	DisplayName        string   `json:"displayName,omitempty"`
	AllowedMemberTypes []string `json:"allowedMemberTypes,omitzero"`
	IsEnabled          *bool    `json:"isEnabled,omitempty"`
}

// ForApplications reports whether apps can be granted the role.
func (r AppRole) ForApplications() bool {
	for _, t := range r.AllowedMemberTypes {
		if strings.EqualFold(t, "Application") {
			return true
		}
	}
	return false
}

// PermissionScope is a delegated permission an API defines.
type PermissionScope struct {
	ID    string `json:"id"`
	Value string `json:"value,omitempty"`
	Type  string `json:"type,omitempty"` // "User" or "Admin": who may consent
}

// Credential is a certificate or key (in keyCredentials) or a client
// secret (in passwordCredentials). Graph never returns secret values.
type Credential struct {
	KeyID       string `json:"keyId"`
	DisplayName string `json:"displayName,omitempty"`
	// Type is the key type of a key credential: "AsymmetricX509Cert",
	// "X509CertAndPassword" or "Symmetric". Empty for a secret.
	Type string `json:"type,omitempty"`
	// Usage is "Verify" or "Sign" for a key credential.
	Usage         string `json:"usage,omitempty"`
	StartDateTime Time   `json:"startDateTime,omitzero"`
	EndDateTime   Time   `json:"endDateTime,omitzero"`
	// Hint is the first characters of a secret.
	Hint                string `json:"hint,omitempty"`
	CustomKeyIdentifier string `json:"customKeyIdentifier,omitempty"`
}

// FederatedIdentityCredential lets tokens from an external issuer stand
// for the application (workload identity federation).
type FederatedIdentityCredential struct {
	ID          string   `json:"id,omitempty"`
	Name        string   `json:"name,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	Subject     string   `json:"subject,omitempty"`
	Audiences   []string `json:"audiences,omitzero"`
	Description string   `json:"description,omitempty"`
	// ClaimsMatchingExpression replaces Subject in a flexible federated
	// credential (Graph beta): an expression over the token's claims.
	ClaimsMatchingExpression *ClaimsExpression `json:"claimsMatchingExpression,omitempty"`
}

// ClaimsExpression is the claims-matching expression of a flexible
// federated identity credential.
type ClaimsExpression struct {
	Value           string `json:"value,omitempty"`
	LanguageVersion int    `json:"languageVersion,omitempty"`
}

// Owner is an owner of an application or service principal: a user or a
// service principal.
type Owner struct {
	// ODataType is Graph's type, such as "#microsoft.graph.user".
	ODataType         string `json:"@odata.type,omitempty"`
	ID                string `json:"id,omitempty"`
	DisplayName       string `json:"displayName,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
	// UserType is "Member" or "Guest" for a user.
	UserType string `json:"userType,omitempty"`
}

// Kind returns the owner's type without its namespace, such as "user" or
// "servicePrincipal", or "" when unknown.
func (o Owner) Kind() string {
	return strings.TrimPrefix(o.ODataType, "#microsoft.graph.")
}

// ServicePrincipal is an app's instance in the tenant (an enterprise app).
type ServicePrincipal struct {
	// ODataType is Graph's type when it is a subtype of servicePrincipal,
	// such as "#microsoft.graph.agentIdentity".
	ODataType                 string             `json:"@odata.type,omitempty"`
	ID                        string             `json:"id"`
	AppID                     string             `json:"appId,omitempty"`
	DisplayName               string             `json:"displayName,omitempty"`
	ServicePrincipalType      string             `json:"servicePrincipalType,omitempty"`
	AppOwnerOrganizationID    string             `json:"appOwnerOrganizationId,omitempty"`
	PreferredSingleSignOnMode string             `json:"preferredSingleSignOnMode,omitempty"`
	AccountEnabled            *bool              `json:"accountEnabled,omitempty"`
	SignInAudience            string             `json:"signInAudience,omitempty"`
	Notes                     string             `json:"notes,omitempty"`
	VerifiedPublisher         *VerifiedPublisher `json:"verifiedPublisher,omitempty"`
	KeyCredentials            []Credential       `json:"keyCredentials,omitzero"`
	PasswordCredentials       []Credential       `json:"passwordCredentials,omitzero"`
	ReplyURLs                 []string           `json:"replyUrls,omitzero"`
	ServicePrincipalNames     []string           `json:"servicePrincipalNames,omitzero"`
	// AppRoles and OAuth2PermissionScopes are read for the sensitive APIs
	// only.
	AppRoles               []AppRole         `json:"appRoles,omitzero"`
	OAuth2PermissionScopes []PermissionScope `json:"oauth2PermissionScopes,omitzero"`
	Owners                 []Owner           `json:"owners,omitzero"`
}

// Grant is a delegated permission grant (oAuth2PermissionGrant): client
// may call resource with the scopes on behalf of one user (ConsentType
// "Principal", PrincipalID set) or of all users ("AllPrincipals").
type Grant struct {
	ID          string `json:"id"`
	ClientID    string `json:"clientId,omitempty"`
	ConsentType string `json:"consentType,omitempty"`
	PrincipalID string `json:"principalId,omitempty"`
	ResourceID  string `json:"resourceId,omitempty"`
	Scope       string `json:"scope,omitempty"`
}

// Scopes returns the grant's scopes, split on spaces.
func (g Grant) Scopes() []string { return strings.Fields(g.Scope) }

// AppRoleAssignment grants an app role of the resource service principal
// to a principal: for a service principal, an application permission.
type AppRoleAssignment struct {
	ID                   string `json:"id"`
	AppRoleID            string `json:"appRoleId,omitempty"`
	CreatedDateTime      Time   `json:"createdDateTime,omitzero"`
	PrincipalID          string `json:"principalId,omitempty"`
	PrincipalType        string `json:"principalType,omitempty"`
	PrincipalDisplayName string `json:"principalDisplayName,omitempty"`
	ResourceID           string `json:"resourceId,omitempty"`
	ResourceDisplayName  string `json:"resourceDisplayName,omitempty"`
}

// RoleAssignment assigns a Microsoft Entra role to a principal, here a
// service principal.
type RoleAssignment struct {
	ID               string          `json:"id"`
	PrincipalID      string          `json:"principalId,omitempty"`
	RoleDefinitionID string          `json:"roleDefinitionId,omitempty"`
	DirectoryScopeID string          `json:"directoryScopeId,omitempty"`
	AppScopeID       string          `json:"appScopeId,omitempty"`
	RoleDefinition   *RoleDefinition `json:"roleDefinition,omitempty"`
}

// RoleDefinition is the role of a RoleAssignment.
type RoleDefinition struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	TemplateID  string `json:"templateId,omitempty"`
	IsBuiltIn   *bool  `json:"isBuiltIn,omitempty"`
}

// Domain is a domain name added to the tenant.
type Domain struct {
	ID                 string   `json:"id"`
	IsVerified         bool     `json:"isVerified"`
	IsDefault          bool     `json:"isDefault,omitempty"`
	IsInitial          bool     `json:"isInitial,omitempty"`
	AuthenticationType string   `json:"authenticationType,omitempty"`
	SupportedServices  []string `json:"supportedServices,omitzero"`
}
