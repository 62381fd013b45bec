// Package event defines the normalized event: one record of an Entra audit
// log, an Entra sign-in log, an Entra ID Protection risk detection, an Azure
// Key Vault log or the Azure Activity Log, in the same shape whatever layout
// it was read from.
//
// The fields rules and enrichers may use are listed in the catalog (see
// Catalog and docs/fields.md), with the names each layout gives them.
package event

import (
	"fmt"
	"time"

	"github.com/appwatch/appwatch/internal/modprop"
)

// Kind says which log an event comes from.
type Kind uint8

// The kinds of events.
const (
	KindUnknown  Kind = iota
	KindAudit         // Entra audit log (directory audits)
	KindSignIn        // Entra sign-in logs, all categories
	KindKeyVault      // Azure Key Vault AuditEvent resource log
	KindActivity      // Azure Activity Log (control plane)
	KindRisk          // Entra ID Protection risk detections (users and service principals)
	numKinds
)

var kindNames = [numKinds]string{"unknown", "audit", "signin", "keyvault", "activity", "risk"}

// String returns the kind's name as used in output and rules: audit, signin,
// keyvault, activity or risk.
func (k Kind) String() string {
	if k >= numKinds {
		return kindNames[KindUnknown]
	}
	return kindNames[k]
}

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := ParseKind(string(b))
	if !ok {
		return fmt.Errorf("unknown event kind %q", b)
	}
	*k = v
	return nil
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for k, n := range kindNames {
		if n == s && k != int(KindUnknown) {
			return Kind(k), true
		}
	}
	return KindUnknown, false
}

// Result values. Sources write many spellings (success, Success, 0, OK,
// Succeeded, HTTP status codes); normalization maps them to these.
const (
	ResultSuccess = "success"
	ResultFailure = "failure"
)

// Actor types.
const (
	ActorUser   = "user"
	ActorApp    = "app"
	ActorSystem = "system"
)

// Event is one normalized log record. Strings are empty when the source does
// not say; slices are nil.
type Event struct {
	Kind Kind `json:"kind,omitzero"`
	// Time is when the activity happened (activityDateTime, createdDateTime),
	// not when it was ingested, in UTC.
	Time time.Time `json:"time,omitzero"`
	// ID is the record's own id: the audit or sign-in id; for Key Vault and
	// Activity Log records, the correlation id (they have no record id).
	ID            string `json:"id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	TenantID      string `json:"tenant_id,omitempty"`
	// Stream is the log category the record belongs to: AuditLogs,
	// SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
	// ManagedIdentitySignInLogs, MicrosoftServicePrincipalSignInLogs,
	// AuditEvent, Administrative, ...
	Stream string `json:"stream,omitempty"`
	// Activity is the activity or operation name as logged; for Activity
	// Log events, the operation (Microsoft.KeyVault/vaults/write) in every
	// layout, whose localized name is in Azure.OperationDisplay.
	Activity string `json:"activity,omitempty"`
	// ActivityKey is Activity normalized by NormalizeActivity, so that
	// spellings differing only in dashes, spacing, trailing periods or case
	// compare equal.
	ActivityKey string `json:"activity_key,omitempty"`
	// Category is the directory category of an audit record
	// (ApplicationManagement, RoleManagement, ...).
	Category      string `json:"category,omitempty"`
	Service       string `json:"service,omitempty"`        // loggedByService
	OperationType string `json:"operation_type,omitempty"` // Add, Update, Assign, ...
	// Result is ResultSuccess, ResultFailure or empty when unknown.
	Result       string   `json:"result,omitempty"`
	ResultReason string   `json:"result_reason,omitempty"`
	Actor        Actor    `json:"actor,omitzero"`
	Targets      []Target `json:"targets,omitempty"`
	Details      []Detail `json:"details,omitempty"` // additionalDetails
	UserAgent    string   `json:"user_agent,omitempty"`

	SignIn   SignIn   `json:"signin,omitzero"`   // set for KindSignIn
	KeyVault KeyVault `json:"keyvault,omitzero"` // set for KindKeyVault
	Azure    Azure    `json:"azure,omitzero"`    // set for KindActivity
	Risk     Risk     `json:"risk,omitzero"`     // set for KindRisk

	// Derived holds what enrichers added (package enrich).
	Derived Derived `json:"derived,omitzero"`

	Source Source `json:"source,omitzero"`

	// Present says which fields the record holds, even empty or null; see
	// Has. It is kept for matching and not written out.
	Present Presence `json:"-"`
}

// Actor is who performed the activity.
type Actor struct {
	// Type is ActorUser, ActorApp or ActorSystem.
	Type string `json:"type,omitempty"`
	// ID is the user's object id, or for an app the service principal id
	// (apps initiating audit records often have a null appId).
	ID    string `json:"id,omitempty"`
	AppID string `json:"app_id,omitempty"`
	// ServicePrincipalID is set for apps.
	ServicePrincipalID string `json:"sp_id,omitempty"`
	Name               string `json:"name,omitempty"` // display name or service principal name
	UPN                string `json:"upn,omitempty"`
	IP                 string `json:"ip,omitempty"`
}

// Target is one object an audit record acted on.
type Target struct {
	ID    string     `json:"id,omitempty"`
	Type  string     `json:"type,omitempty"` // ServicePrincipal, Application, User, Role, ...
	Name  string     `json:"name,omitempty"` // displayName
	UPN   string     `json:"upn,omitempty"`
	Props []Property `json:"properties,omitempty"` // modifiedProperties, decoded
}

// Property is one modified property of a target.
type Property struct {
	Name string        `json:"name,omitempty"`
	Old  modprop.Value `json:"old,omitzero"`
	New  modprop.Value `json:"new,omitzero"`
}

// Detail is one additionalDetails entry.
type Detail struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value,omitempty"`
}

// SignIn holds the fields only sign-in records have.
type SignIn struct {
	// Protocol is authenticationProtocol: none, oAuth2, ropc, deviceCode,
	// saml20, wsFederation, ...
	Protocol string `json:"protocol,omitempty"`
	// TransferMethod is originalTransferMethod: none, deviceCodeFlow,
	// authenticationTransfer, ...
	TransferMethod string `json:"transfer_method,omitempty"`
	// Status is the error code as text: "0" on success.
	Status        string `json:"status,omitempty"`
	FailureReason string `json:"failure_reason,omitempty"`
	AppID         string `json:"app_id,omitempty"`
	AppName       string `json:"app_name,omitempty"`
	ResourceID    string `json:"resource_id,omitempty"`
	ResourceName  string `json:"resource_name,omitempty"`
	// ServicePrincipalID and ServicePrincipalName identify the signing-in
	// service principal or managed identity.
	ServicePrincipalID   string `json:"sp_id,omitempty"`
	ServicePrincipalName string `json:"sp_name,omitempty"`
	// CredentialType is clientCredentialType: none, clientSecret,
	// clientAssertion, certificate, federatedIdentityCredential, ...
	CredentialType  string `json:"credential_type,omitempty"`
	CredentialKeyID string `json:"credential_key_id,omitempty"` // servicePrincipalCredentialKeyId
	// Interactive is "true", "false" or empty when the source does not say.
	Interactive       string   `json:"interactive,omitempty"`
	EventTypes        []string `json:"event_types,omitempty"` // signInEventTypes
	IncomingTokenType string   `json:"incoming_token_type,omitempty"`
	ClientApp         string   `json:"client_app,omitempty"`         // clientAppUsed
	ConditionalAccess string   `json:"conditional_access,omitempty"` // conditionalAccessStatus
	RiskLevel         string   `json:"risk_level,omitempty"`         // riskLevelDuringSignIn
	RiskState         string   `json:"risk_state,omitempty"`         // riskState: none, atRisk, confirmedCompromised, ...
	Country           string   `json:"country,omitempty"`
	// StatusDetail is status.additionalDetails: "MFA denied; user declined
	// the authentication", "MFA completed in Azure AD", ...
	StatusDetail string `json:"status_detail,omitempty"`
	// AuthRequirement is authenticationRequirement: singleFactorAuthentication
	// or multiFactorAuthentication.
	AuthRequirement string `json:"auth_requirement,omitempty"`
	// Device is deviceDetail; nil when the record has none.
	Device *Device `json:"device,omitempty"`
	// NetworkLocations is networkLocationDetails as compact JSON ("[]" when
	// the record lists none); empty when the record does not have it.
	NetworkLocations string `json:"network_locations,omitempty"`
}

// Device is the device a sign-in came from, as far as the record says.
type Device struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	OS        string `json:"os,omitempty"`
	Browser   string `json:"browser,omitempty"`
	TrustType string `json:"trust_type,omitempty"` // Azure AD joined, Hybrid Azure AD joined, Azure AD registered
	Compliant string `json:"compliant,omitempty"`  // "true", "false" or empty
	Managed   string `json:"managed,omitempty"`    // "true", "false" or empty
}

// Risk holds the fields of Entra ID Protection risk detections.
type Risk struct {
	// EventType is riskEventType: unfamiliarFeatures, anonymizedIPAddress,
	// leakedCredentials, ...
	EventType string `json:"event_type,omitempty"`
	State     string `json:"state,omitempty"`  // riskState: atRisk, dismissed, remediated, ...
	Level     string `json:"level,omitempty"`  // riskLevel: low, medium, high, hidden, none
	Detail    string `json:"detail,omitempty"` // riskDetail: the reason of the last state change
	Source    string `json:"source,omitempty"` // IdentityProtection, MicrosoftCloudAppSecurity, ...
	Timing    string `json:"timing,omitempty"` // detectionTimingType: realtime, nearRealtime, offline
	// Activity is what the detection is about: signin, user or
	// servicePrincipal.
	Activity string `json:"activity,omitempty"`
}

// KeyVault holds the fields only Key Vault records have.
type KeyVault struct {
	Operation       string `json:"operation,omitempty"` // operationName: VaultGet, SecretGet, VaultPatch, ...
	Vault           string `json:"vault,omitempty"`     // vault name, lower case
	ResourceID      string `json:"resource_id,omitempty"`
	Object          string `json:"object,omitempty"` // properties.id: the vault, secret, key or certificate URI
	RequestURI      string `json:"request_uri,omitempty"`
	HTTPStatus      string `json:"http_status,omitempty"` // properties.httpStatusCode as text
	ResultSignature string `json:"result_signature,omitempty"`
	ClientInfo      string `json:"client_info,omitempty"`
	// Added and Removed are the access policy changes of VaultPut and
	// VaultPatch; nil when the record shows none.
	Added   *AccessPolicy `json:"added,omitempty"`
	Removed *AccessPolicy `json:"removed,omitempty"`
}

// AccessPolicy is a Key Vault access policy entry.
type AccessPolicy struct {
	ObjectID     string   `json:"object_id,omitempty"`
	TenantID     string   `json:"tenant_id,omitempty"`
	Keys         []string `json:"keys,omitempty"`
	Secrets      []string `json:"secrets,omitempty"`
	Certificates []string `json:"certificates,omitempty"`
	Storage      []string `json:"storage,omitempty"`
}

// Azure holds the fields of Azure Activity Log records.
type Azure struct {
	Operation string `json:"operation,omitempty"` // operationName value, e.g. Microsoft.KeyVault/vaults/write
	// OperationDisplay is the localized operation name the REST export and
	// Log Analytics give ("Create or Update Vault"); empty in Event Hub
	// records.
	OperationDisplay string `json:"operation_display,omitempty"`
	Provider         string `json:"provider,omitempty"` // resource provider
	ResourceID       string `json:"resource_id,omitempty"`
	Status           string `json:"status,omitempty"` // Started, Succeeded, Failed, ...
	// Role assignment facts, from the request body of
	// Microsoft.Authorization/roleAssignments/write.
	PrincipalID      string `json:"principal_id,omitempty"`
	PrincipalType    string `json:"principal_type,omitempty"`
	RoleDefinitionID string `json:"role_definition_id,omitempty"`
	Scope            string `json:"scope,omitempty"`
}

// Source says where an event was read from.
type Source struct {
	Format string `json:"format,omitempty"` // the detected layout, see decode.Layout
	File   string `json:"file,omitempty"`
	// Line is the 1-based line where the record starts; for records that
	// share a line (a one-line JSON array), Index tells them apart.
	Line  int `json:"line,omitempty"`
	Index int `json:"index,omitempty"` // 0-based record index within the file
}
