package snapshot

import (
	"strings"
)

// Snapshot is what appwatch knows of a tenant's applications at one time:
// the app registrations, their service principals, the permissions they
// were granted, the directory roles held by service principals, and the
// tenant's domains. Every collection is sorted by id.
type Snapshot struct {
	Applications       []Application
	ServicePrincipals  []ServicePrincipal
	Grants             []Grant
	AppRoleAssignments []AppRoleAssignment
	RoleAssignments    []RoleAssignment
	Domains            []Domain
	// Contexts holds the @odata.context of each collection as Graph gave
	// it, so that a written snapshot reads like Graph's own responses.
	Contexts map[Collection]string
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
	return []Collection{Applications, ServicePrincipals, Grants, AppRoleAssignments, RoleAssignments, Domains}
}

// Application is an app registration (a Graph application object). A nil
// slice means the property was not read; an empty one means it is empty.
type Application struct {
	ID                           string                        `json:"id"`
	AppID                        string                        `json:"appId,omitempty"`
	DisplayName                  string                        `json:"displayName,omitempty"`
	CreatedDateTime              Time                          `json:"createdDateTime,omitzero"`
	SignInAudience               string                        `json:"signInAudience,omitempty"`
	PublisherDomain              string                        `json:"publisherDomain,omitempty"`
	IdentifierURIs               []string                      `json:"identifierUris,omitzero"`
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
}

// Owner is an owner of an application or service principal: a user or a
// service principal.
type Owner struct {
	// ODataType is Graph's type, such as "#microsoft.graph.user".
	ODataType         string `json:"@odata.type,omitempty"`
	ID                string `json:"id,omitempty"`
	DisplayName       string `json:"displayName,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
}

// Kind returns the owner's type without its namespace, such as "user" or
// "servicePrincipal", or "" when unknown.
func (o Owner) Kind() string {
	return strings.TrimPrefix(o.ODataType, "#microsoft.graph.")
}

// ServicePrincipal is an app's instance in the tenant (an enterprise app).
type ServicePrincipal struct {
	ID                        string       `json:"id"`
	AppID                     string       `json:"appId,omitempty"`
	DisplayName               string       `json:"displayName,omitempty"`
	ServicePrincipalType      string       `json:"servicePrincipalType,omitempty"`
	AppOwnerOrganizationID    string       `json:"appOwnerOrganizationId,omitempty"`
	PreferredSingleSignOnMode string       `json:"preferredSingleSignOnMode,omitempty"`
	AccountEnabled            *bool        `json:"accountEnabled,omitempty"`
	KeyCredentials            []Credential `json:"keyCredentials,omitzero"`
	PasswordCredentials       []Credential `json:"passwordCredentials,omitzero"`
	ReplyURLs                 []string     `json:"replyUrls,omitzero"`
	ServicePrincipalNames     []string     `json:"servicePrincipalNames,omitzero"`
	// AppRoles is read for the sensitive APIs only.
	AppRoles []AppRole `json:"appRoles,omitzero"`
	Owners   []Owner   `json:"owners,omitzero"`
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
