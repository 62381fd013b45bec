package event

import (
	"cmp"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/modprop"
)

// Derived holds what enrichers work out from an event before rules match
// it: facts that need reference data, the tenant policy or decoding across
// several properties. Package enrich fills it; the catalog exposes it as the
// app.*, credential.*, grant.*, role.*, uri.* and context.* fields.
type Derived struct {
	App        AppFacts        `json:"app,omitzero"`
	Credential CredentialFacts `json:"credential,omitzero"`
	Grant      GrantFacts      `json:"grant,omitzero"`
	Role       RoleFacts       `json:"role,omitzero"`
	URI        URIFacts        `json:"uri,omitzero"`
	Context    ContextFacts    `json:"context,omitzero"`
}

// AppFacts identify the application a record is about: the one given a
// credential, a permission, a role, an owner or a new URI, or the one
// consented to. It is not the resource API of a grant.
type AppFacts struct {
	ID         string `json:"id,omitempty"`        // app id (client id) when known
	ObjectID   string `json:"object_id,omitempty"` // object id of the application or service principal
	Name       string `json:"name,omitempty"`
	FirstParty bool   `json:"first_party,omitempty"` // a Microsoft first-party application
	// Suspicious names why the app's name deserves a look ("generic name",
	// "looks like Microsoft Teams"), or is empty.
	Suspicious string `json:"suspicious,omitempty"`
}

// Key returns the best identifier of the application: its app id, or else
// its object id.
func (a AppFacts) Key() string {
	if a.ID != "" {
		return a.ID
	}
	return a.ObjectID
}

// CredentialFacts describe a change to an application's or service
// principal's credentials (the KeyDescription property).
type CredentialFacts struct {
	Added   []modprop.Credential `json:"added,omitempty"`
	Removed []modprop.Credential `json:"removed,omitempty"`
	// Before is how many credentials existed before the change, -1 when
	// the record does not say.
	Before int `json:"before,omitzero"`
	// Target is Application or ServicePrincipal.
	Target string `json:"target,omitempty"`
}

// Permission is one permission granted, with its classification.
type Permission struct {
	Value string `json:"value"`
	ID    string `json:"id,omitempty"`
	// Level is critical, high or low (see docs/reference-data.md).
	Level string `json:"level,omitempty"`
}

// GrantFacts describe permissions granted to an application: an app role
// assignment (application permission), a delegated permission grant, or a
// consent.
type GrantFacts struct {
	// Type is application or delegated.
	Type string `json:"type,omitempty"`
	// API is the resource the permissions are for.
	API          string `json:"api,omitempty"`
	APIID        string `json:"api_id,omitempty"` // the API's app id
	APISensitive bool   `json:"api_sensitive,omitempty"`
	// APIInferred is set when the record does not name the API and it was
	// inferred from the permissions: a consent record gives only the API's
	// service principal object id, so when every scope granted is a
	// Microsoft Graph permission the API is taken to be Microsoft Graph.
	APIInferred bool `json:"api_inferred,omitempty"`
	// Permissions are those granted by this record (for an amended grant,
	// the scopes added).
	Permissions []Permission `json:"permissions,omitempty"`
	// Level is the highest level among Permissions.
	Level       string `json:"level,omitempty"`
	ConsentType string `json:"consent_type,omitempty"` // AllPrincipals or Principal
	// AdminConsent is "true" for consent by an administrator (including
	// every application permission and AllPrincipals grant), "false" for a
	// user's consent, "" when unknown.
	AdminConsent string `json:"admin_consent,omitempty"`
	// ClientSPID, ClientAppID and ClientName identify the application
	// granted the permissions.
	ClientSPID  string `json:"client_sp_id,omitempty"`
	ClientAppID string `json:"client_app_id,omitempty"`
	ClientName  string `json:"client_name,omitempty"`
}

// RoleFacts describe a role assignment added, removed or extended: a
// Microsoft Entra directory role, an Azure RBAC role, or membership of a
// group managed by PIM.
type RoleFacts struct {
	Name       string `json:"name,omitempty"`
	TemplateID string `json:"template_id,omitempty"` // role template or definition id
	// Privileged is "true" or "false" from the reference data, "" when the
	// role is unknown.
	Privileged string `json:"privileged,omitempty"`
	Source     string `json:"source,omitempty"` // entra, azure or group
	MemberType string `json:"member_type,omitempty"`
	MemberID   string `json:"member_id,omitempty"`
	// MemberFrom says where MemberType came from when the record did not
	// say it: "snapshot" when the tenant snapshot knows the object.
	MemberFrom string `json:"member_from,omitempty"`
	Scope      string `json:"scope,omitempty"`
	// Change is add, remove or extend; Assignment is active or eligible;
	// Stage is done, requested or approved (see refdata.AuditActivity).
	Change     string `json:"change,omitempty"`
	Assignment string `json:"assignment,omitempty"`
	Stage      string `json:"stage,omitempty"`
	// ViaPIM is set on the directory's own record of a change that
	// Privileged Identity Management made: its actor is PIM's service
	// principal, and PIM's record of the same change names who asked.
	ViaPIM bool `json:"via_pim,omitempty"`
}

// CopyKey identifies the change a role record describes, so that the
// records Entra writes for one change (PIM's request and completion, the
// directory's own record) can be recognised as copies of each other. It is
// empty when the record does not name both the member and the role.
func (r RoleFacts) CopyKey() string {
	if r.MemberID == "" || r.TemplateID == "" || r.Change == "" {
		return ""
	}
	return strings.Join([]string{"role", r.Change, r.Assignment, r.Source, strings.ToLower(r.MemberID), strings.ToLower(r.TemplateID), strings.ToLower(r.Scope)}, "|")
}

// CopyKey identifies the permissions a grant record gives, so that the
// records Entra writes for one consent (Consent to application, and Add
// delegated permission grant for the same scopes) can be recognised as
// copies of each other. actor is who gave them: two users consenting to
// the same scopes are two changes. It is empty when the record names no
// client or no permission.
func (g GrantFacts) CopyKey(actor string) string {
	if g.ClientSPID == "" || len(g.Permissions) == 0 {
		return ""
	}
	perms := make([]string, len(g.Permissions))
	for i, p := range g.Permissions {
		perms[i] = strings.ToLower(p.Value)
	}
	slices.Sort(perms)
	return strings.Join([]string{"grant", g.Type, strings.ToLower(g.ClientSPID), strings.ToLower(g.APIID), g.ConsentType, actor, strings.Join(perms, " ")}, "|")
}

// CopyKey identifies the change the event describes across the records
// Entra writes for it (see RoleFacts.CopyKey and GrantFacts.CopyKey);
// empty when the event says too little.
func (e *Event) CopyKey() string {
	if k := e.Derived.Role.CopyKey(); k != "" {
		return k
	}
	return e.Derived.Grant.CopyKey(strings.ToLower(cmp.Or(e.Actor.ID, e.Actor.UPN, e.Actor.Name)))
}

// Ownership of a URI's domain by the tenant.
const (
	OwnershipOwned    = "owned"
	OwnershipNotOwned = "not_owned"
	// OwnershipUndecided means that nothing lists the tenant's domains:
	// neither the policy file nor a tenant snapshot.
	OwnershipUndecided = "undecided"
)

// URIFact is one URI with what is wrong with it.
type URIFact struct {
	URI string `json:"uri"`
	// Issues are codes: not_https, wildcard, not_owned_domain,
	// shared_with_other_app, claimable_host, blank.
	Issues []string `json:"issues,omitempty"`
	// Host is the shared domain the URI's host is under, when it is one
	// no tenant can own.
	Host *SharedHost `json:"host,omitempty"`
	// Ownership is owned, not_owned or undecided for a URI whose host a
	// tenant should own (not for loopback addresses or native clients'
	// schemes); OwnershipFrom says what decided it: policy, snapshot or
	// both, separated by a comma.
	Ownership     string `json:"ownership,omitempty"`
	OwnershipFrom string `json:"ownership_from,omitempty"`
}

// SharedHost is a shared domain a host is under (see uricheck.Classify).
type SharedHost struct {
	// Category is cloud_hosting, tunnel, dynamic_dns or url_shortener.
	Category string `json:"category"`
	Suffix   string `json:"suffix"`
	Owner    string `json:"owner,omitempty"`
}

// URIFacts describe changes to an application's redirect URIs (AppAddress),
// identifier URIs (AppIdentifierUri) and logout URL.
type URIFacts struct {
	RedirectAdded     []URIFact `json:"redirect_added,omitempty"`
	RedirectRemoved   []string  `json:"redirect_removed,omitempty"`
	IdentifierAdded   []URIFact `json:"identifier_added,omitempty"`
	IdentifierRemoved []string  `json:"identifier_removed,omitempty"`
	// LogoutChanged is set when the logout URL changed; LogoutOld and
	// LogoutNew may then be empty (removed, added).
	LogoutChanged bool     `json:"logout_changed,omitempty"`
	LogoutOld     string   `json:"logout_old,omitempty"`
	LogoutNew     string   `json:"logout_new,omitempty"`
	LogoutIssues  []string `json:"logout_issues,omitempty"`
	// LogoutHost and LogoutOwnership are those of the new logout URL (see
	// URIFact).
	LogoutHost      *SharedHost `json:"logout_host,omitempty"`
	LogoutOwnership string      `json:"logout_ownership,omitempty"`
}

// ContextFacts place the event in the tenant's working pattern, from the
// policy file.
type ContextFacts struct {
	// Evaluated is set once the context enricher ran; without a known time
	// nothing can be said.
	Evaluated bool `json:"evaluated,omitempty"`
	// OutsideHours is set outside business hours (holidays included).
	OutsideHours bool `json:"outside_business_hours,omitempty"`
	// ChangeWindow names the approved change window the event fell in.
	ChangeWindow string `json:"change_window,omitempty"`
	// ApprovedActor is set when the actor is an approved actor or app.
	ApprovedActor bool `json:"approved_actor,omitempty"`
}
