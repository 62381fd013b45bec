package snapshot

import (
	"encoding/json"
	"strings"
)

// What apps did and what Microsoft's own engines say about them: sign-in
// activity, risk, recommendations; and who holds what, beyond the app
// objects themselves: eligible roles, registered authentication methods,
// agent identities and Azure role assignments.

// SignInActivity is the last time something signed in.
type SignInActivity struct {
	LastSignInDateTime  Time   `json:"lastSignInDateTime,omitzero"`
	LastSignInRequestID string `json:"lastSignInRequestId,omitempty"`
}

// ServicePrincipalSignInActivity is a service principal's row of the
// sign-in activity report (Graph beta,
// /reports/servicePrincipalSignInActivities).
type ServicePrincipalSignInActivity struct {
	ID                  string          `json:"id"`
	AppID               string          `json:"appId,omitempty"`
	LastSignInActivity  *SignInActivity `json:"lastSignInActivity,omitempty"`
	DelegatedClient     *SignInActivity `json:"delegatedClientSignInActivity,omitempty"`
	DelegatedResource   *SignInActivity `json:"delegatedResourceSignInActivity,omitempty"`
	ApplicationClient   *SignInActivity `json:"applicationAuthenticationClientSignInActivity,omitempty"`
	ApplicationResource *SignInActivity `json:"applicationAuthenticationResourceSignInActivity,omitempty"`
}

// AppCredentialSignInActivity is one credential's row of the credential
// activity report (Graph beta, /reports/appCredentialSignInActivities).
type AppCredentialSignInActivity struct {
	ID                       string          `json:"id"`
	KeyID                    string          `json:"keyId,omitempty"`
	KeyType                  string          `json:"keyType,omitempty"`
	KeyUsage                 string          `json:"keyUsage,omitempty"`
	AppID                    string          `json:"appId,omitempty"`
	AppObjectID              string          `json:"appObjectId,omitempty"`
	ServicePrincipalObjectID string          `json:"servicePrincipalObjectId,omitempty"`
	ResourceID               string          `json:"resourceId,omitempty"`
	CredentialOrigin         string          `json:"credentialOrigin,omitempty"`
	ExpirationDateTime       Time            `json:"expirationDateTime,omitzero"`
	CreatedDateTime          Time            `json:"createdDateTime,omitzero"`
	SignInActivity           *SignInActivity `json:"signInActivity,omitempty"`
}

// Recommendation is one of the tenant's Microsoft Entra recommendations
// (Graph beta, /directory/recommendations), with the objects it names.
type Recommendation struct {
	ID                  string             `json:"id"`
	RecommendationType  string             `json:"recommendationType,omitempty"`
	DisplayName         string             `json:"displayName,omitempty"`
	Status              string             `json:"status,omitempty"`
	Priority            string             `json:"priority,omitempty"`
	ImpactType          string             `json:"impactType,omitempty"`
	LastCheckedDateTime Time               `json:"lastCheckedDateTime,omitzero"`
	ImpactedResources   []ImpactedResource `json:"impactedResources,omitzero"`
}

// ImpactedResource is an object a recommendation names.
type ImpactedResource struct {
	ID           string `json:"id,omitempty"`
	SubjectID    string `json:"subjectId,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	ResourceType string `json:"resourceType,omitempty"`
	Status       string `json:"status,omitempty"`
}

// Kind returns the recommendation's type: RecommendationType, or, when
// Graph answers unknownFutureValue (newer types need a Prefer header),
// the nickname at the end of its id ("..._Microsoft.Identity.IAM.Insights.StaleApps"
// gives "staleApps").
func (r Recommendation) Kind() string {
	if t := r.RecommendationType; t != "" && !strings.EqualFold(t, "unknownFutureValue") {
		return t
	}
	i := strings.LastIndexAny(r.ID, "._")
	if i < 0 || i == len(r.ID)-1 {
		return r.RecommendationType
	}
	nick := r.ID[i+1:]
	return strings.ToLower(nick[:1]) + nick[1:]
}

// RiskyServicePrincipal is a service principal Microsoft Entra ID
// Protection considers at risk (/identityProtection/riskyServicePrincipals).
type RiskyServicePrincipal struct {
	ID                      string `json:"id"`
	AppID                   string `json:"appId,omitempty"`
	DisplayName             string `json:"displayName,omitempty"`
	RiskLevel               string `json:"riskLevel,omitempty"`
	RiskState               string `json:"riskState,omitempty"`
	RiskDetail              string `json:"riskDetail,omitempty"`
	RiskLastUpdatedDateTime Time   `json:"riskLastUpdatedDateTime,omitzero"`
}

// ServicePrincipalRiskDetection is one risk detection on a service
// principal (/identityProtection/servicePrincipalRiskDetections).
type ServicePrincipalRiskDetection struct {
	ID                 string `json:"id"`
	ServicePrincipalID string `json:"servicePrincipalId,omitempty"`
	AppID              string `json:"appId,omitempty"`
	RiskEventType      string `json:"riskEventType,omitempty"`
	RiskLevel          string `json:"riskLevel,omitempty"`
	RiskState          string `json:"riskState,omitempty"`
	ActivityDateTime   Time   `json:"activityDateTime,omitzero"`
	DetectedDateTime   Time   `json:"detectedDateTime,omitzero"`
	IPAddress          string `json:"ipAddress,omitempty"`
}

// UserRegistration is the authentication methods a user has registered
// (/reports/authenticationMethods/userRegistrationDetails). Collect keeps
// the owners' and sponsors' only.
type UserRegistration struct {
	ID                string   `json:"id"`
	UserPrincipalName string   `json:"userPrincipalName,omitempty"`
	UserType          string   `json:"userType,omitempty"`
	IsMfaRegistered   bool     `json:"isMfaRegistered"`
	MethodsRegistered []string `json:"methodsRegistered,omitzero"`
}

// Agent is a Microsoft Entra Agent ID object: an agent identity, an agent
// identity blueprint principal (both service principals) or an agent
// identity blueprint (an application), with its sponsors.
type Agent struct {
	ODataType      string  `json:"@odata.type,omitempty"`
	ID             string  `json:"id"`
	BlueprintAppID string  `json:"agentIdentityBlueprintId,omitempty"`
	Sponsors       []Owner `json:"sponsors,omitzero"`
}

// Kinds of Agent ID objects, as Agent.Kind and ServicePrincipal.Kind
// return them.
const (
	KindAgentIdentity      = "agentIdentity"
	KindBlueprintPrincipal = "agentIdentityBlueprintPrincipal"
	KindBlueprint          = "agentIdentityBlueprint"
)

// Kind returns the agent's type without its namespace.
func (a Agent) Kind() string { return typeName(a.ODataType) }

// Kind returns the service principal's subtype without its namespace,
// such as "agentIdentity", or "" for a plain service principal.
func (sp ServicePrincipal) Kind() string {
	if t := typeName(sp.ODataType); !strings.EqualFold(t, "servicePrincipal") {
		return t
	}
	return ""
}

func typeName(odataType string) string {
	return strings.TrimPrefix(strings.TrimPrefix(odataType, "#"), "microsoft.graph.")
}

// AzureRoleAssignment is an Azure RBAC role assignment read from Azure
// Resource Manager. It reads both ARM's shape (the fields under
// "properties") and the flat shape of "az role assignment list".
type AzureRoleAssignment struct {
	ID               string `json:"id"`
	RoleDefinitionID string `json:"roleDefinitionId,omitempty"`
	// RoleDefinitionName is given by "az role assignment list" only.
	RoleDefinitionName string `json:"roleDefinitionName,omitempty"`
	PrincipalID        string `json:"principalId,omitempty"`
	PrincipalType      string `json:"principalType,omitempty"`
	Scope              string `json:"scope,omitempty"`
	Condition          string `json:"condition,omitempty"`
}

// UnmarshalJSON reads either shape.
func (a *AzureRoleAssignment) UnmarshalJSON(b []byte) error {
	type flat AzureRoleAssignment
	var wire struct {
		flat
		Properties *flat `json:"properties"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return err
	}
	*a = AzureRoleAssignment(wire.flat)
	if p := wire.Properties; p != nil {
		id := a.ID
		*a = AzureRoleAssignment(*p)
		a.ID = id
		if a.RoleDefinitionName == "" {
			a.RoleDefinitionName = wire.RoleDefinitionName
		}
	}
	return nil
}

// AzureScope is a management group or subscription appwatch could read.
type AzureScope struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
}

// UnmarshalJSON reads a subscription ({"id", "displayName"}) or a
// management group ({"id", "properties": {"displayName"}}).
func (s *AzureScope) UnmarshalJSON(b []byte) error {
	var wire struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
		Properties  struct {
			DisplayName string `json:"displayName"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return err
	}
	*s = AzureScope{ID: wire.ID, DisplayName: wire.DisplayName}
	if s.DisplayName == "" {
		s.DisplayName = wire.Properties.DisplayName
	}
	return nil
}
