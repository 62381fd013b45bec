package snapshot

import (
	"encoding/json"
	"strings"

	"github.com/appwatch/appwatch/internal/uricheck"
)

// kind is what a JSON object in a file is.
type kind int

const (
	kindUnknown kind = iota
	kindApplication
	kindServicePrincipal
	kindGrant
	kindAppRoleAssignment
	kindRoleAssignment
	kindDomain
	kindOwner
	kindFederatedCredential
	kindDirectoryRole
	kindAuthorizationPolicy
	kindAdminConsentPolicy
	kindPermissionGrantPolicy
	kindDirectorySetting
	kindAppManagementPolicy
	kindConditionalAccessPolicy
	kindRoleEligibility
	kindUserRegistration
	kindSignInActivity
	kindCredentialActivity
	kindRecommendation
	kindRiskyServicePrincipal
	kindRiskDetection
	kindAgent
	kindAzureRoleAssignment
	kindAzureScope
	kindGaps
	kindImpactedResource // the objects of one recommendation
	kindAppliesTo        // the apps one app management policy applies to
	// kindForeign is a collection appwatch does not read.
	kindForeign
)

// target is what a file's @odata.context says its objects are. Owner and
// federated credential lists also name the object they belong to.
type target struct {
	kind     kind
	parent   kind
	parentID string
	// cast is the type a context casts its collection to, as in
	// "servicePrincipals/microsoft.graph.agentIdentity".
	cast string
	// path is the context after "#", for messages.
	path string
}

// segmentKinds maps the collection names found in @odata.context values,
// in lower case, to the kind of their objects.
var segmentKinds = map[string]kind{
	"applications":                 kindApplication,
	"serviceprincipals":            kindServicePrincipal,
	"oauth2permissiongrants":       kindGrant,
	"approleassignments":           kindAppRoleAssignment,
	"approleassignedto":            kindAppRoleAssignment,
	"roleassignments":              kindRoleAssignment,
	"domains":                      kindDomain,
	"owners":                       kindOwner,
	"federatedidentitycredentials": kindFederatedCredential,
	"directoryroles":               kindDirectoryRole,
	"directoryobjects":             kindUnknown,

	"authorizationpolicy":              kindAuthorizationPolicy,
	"adminconsentrequestpolicy":        kindAdminConsentPolicy,
	"permissiongrantpolicies":          kindPermissionGrantPolicy,
	"groupsettings":                    kindDirectorySetting,
	"settings":                         kindDirectorySetting,
	"defaultappmanagementpolicy":       kindAppManagementPolicy,
	"appmanagementpolicies":            kindAppManagementPolicy,
	"roleeligibilityscheduleinstances": kindRoleEligibility,
	"roleeligibilityschedules":         kindRoleEligibility,
	"userregistrationdetails":          kindUserRegistration,
	"serviceprincipalsigninactivities": kindSignInActivity,
	"appcredentialsigninactivities":    kindCredentialActivity,
	"recommendations":                  kindRecommendation,
	"riskyserviceprincipals":           kindRiskyServicePrincipal,
	"serviceprincipalriskdetections":   kindRiskDetection,
	"agents":                           kindAgent,
	"azureroleassignments":             kindAzureRoleAssignment,
	"azurescopes":                      kindAzureScope,
	"unavailable":                      kindGaps,
	"impactedresources":                kindImpactedResource,
	"appliesto":                        kindAppliesTo,
}

// typeKinds maps Graph type names, in lower case and without their
// namespace, to kinds.
var typeKinds = map[string]kind{
	"application":                 kindApplication,
	"serviceprincipal":            kindServicePrincipal,
	"oauth2permissiongrant":       kindGrant,
	"approleassignment":           kindAppRoleAssignment,
	"unifiedroleassignment":       kindRoleAssignment,
	"domain":                      kindDomain,
	"user":                        kindOwner,
	"federatedidentitycredential": kindFederatedCredential,
	"directoryrole":               kindDirectoryRole,

	"agentidentity":                          kindServicePrincipal,
	"agentidentityblueprintprincipal":        kindServicePrincipal,
	"agentidentityblueprint":                 kindApplication,
	"authorizationpolicy":                    kindAuthorizationPolicy,
	"adminconsentrequestpolicy":              kindAdminConsentPolicy,
	"permissiongrantpolicy":                  kindPermissionGrantPolicy,
	"directorysetting":                       kindDirectorySetting,
	"groupsetting":                           kindDirectorySetting,
	"tenantappmanagementpolicy":              kindAppManagementPolicy,
	"appmanagementpolicy":                    kindAppManagementPolicy,
	"conditionalaccesspolicy":                kindConditionalAccessPolicy,
	"unifiedroleeligibilityscheduleinstance": kindRoleEligibility,
	"userregistrationdetails":                kindUserRegistration,
	"serviceprincipalsigninactivity":         kindSignInActivity,
	"appcredentialsigninactivity":            kindCredentialActivity,
	"recommendation":                         kindRecommendation,
	"riskyserviceprincipal":                  kindRiskyServicePrincipal,
	"serviceprincipalriskdetection":          kindRiskDetection,
}

// subtypes are the casts, in lower case, whose type Read gives to the
// service principals and applications of the list.
var subtypes = map[string]bool{
	"microsoft.graph.agentidentity":                   true,
	"microsoft.graph.agentidentityblueprintprincipal": true,
	"microsoft.graph.agentidentityblueprint":          true,
}

// childKinds are the kinds whose lists belong to one parent object.
var childKinds = map[kind]bool{kindOwner: true, kindFederatedCredential: true, kindImpactedResource: true, kindAppliesTo: true}

// parseContext reads an @odata.context such as
// ".../$metadata#servicePrincipals('1d3...')/appRoleAssignedTo". An empty
// or unreadable context gives kindUnknown: the objects must speak for
// themselves.
func parseContext(s string) target {
	_, frag, ok := strings.Cut(s, "#")
	if !ok || frag == "" {
		return target{}
	}
	var segs []string
	for _, seg := range splitSegments(frag) {
		if seg != "" && !strings.HasPrefix(seg, "$") {
			segs = append(segs, seg)
		}
	}
	if len(segs) == 0 {
		return target{}
	}
	last := segs[len(segs)-1]
	t := target{kind: segmentKind(last), path: frag}
	if name, _ := segmentParts(last); subtypes[strings.ToLower(name)] {
		t.cast = "#" + name
	}
	if len(segs) > 1 {
		prev := segs[len(segs)-2]
		if strings.EqualFold(last, "policies") && strings.EqualFold(prev, "conditionalAccess") {
			t.kind = kindConditionalAccessPolicy
		}
		if childKinds[t.kind] {
			t.parent = segmentKind(prev)
			_, t.parentID = segmentParts(prev)
		}
	}
	return t
}

// segmentKind returns the kind a context segment names: a collection or
// a type cast.
func segmentKind(seg string) kind {
	name, _ := segmentParts(seg)
	name = strings.ToLower(name)
	if cast, ok := strings.CutPrefix(name, "microsoft.graph."); ok {
		if k, ok := typeKinds[cast]; ok {
			return k
		}
		return kindForeign
	}
	if k, ok := segmentKinds[name]; ok {
		return k
	}
	return kindForeign
}

// splitSegments splits a context path on the slashes outside parentheses.
func splitSegments(s string) []string {
	var segs []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case '/':
			if depth == 0 {
				segs = append(segs, s[start:i])
				start = i + 1
			}
		}
	}
	return append(segs, s[start:])
}

// segmentParts splits "applications('id')" into its name and key. A
// parenthesised property list, as in "applications(id,appId)", is not a
// key.
func segmentParts(seg string) (name, key string) {
	open := strings.IndexByte(seg, '(')
	if open < 0 {
		return seg, ""
	}
	name = seg[:open]
	inner := seg[open+1:]
	if close := strings.LastIndexByte(inner, ')'); close >= 0 {
		inner = inner[:close]
	}
	switch {
	case len(inner) >= 2 && inner[0] == '\'' && inner[len(inner)-1] == '\'':
		return name, strings.ReplaceAll(inner[1:len(inner)-1], "''", "'")
	case uricheck.IsGUID(inner):
		return name, inner
	}
	return name, ""
}

// Properties that only one kind of object has, in lower case. The
// service principal list comes before the application list because
// service principals share some application properties.
var (
	spOnly = []string{"serviceprincipaltype", "serviceprincipalnames", "appownerorganizationid",
		"replyurls", "approleassignmentrequired", "preferredsinglesignonmode", "appdisplayname"}
	appOnly = []string{"requiredresourceaccess", "identifieruris", "web", "spa", "publicclient",
		"publisherdomain", "isfallbackpublicclient", "signinaudience", "federatedidentitycredentials"}
	domainOnly = []string{"isverified", "supportedservices", "authenticationtype", "isadminmanaged"}
)

// classify tells what an object is from its @odata.type or, failing
// that, from the properties only one kind has.
func classify(raw json.RawMessage) kind {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return kindUnknown
	}
	keys := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		keys[strings.ToLower(k)] = v
	}
	var typ string
	if json.Unmarshal(keys["@odata.type"], &typ) == nil && typ != "" {
		name := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(typ, "#"), "microsoft.graph."))
		if k, ok := typeKinds[name]; ok {
			return k
		}
		if name == "group" {
			return kindOwner
		}
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := keys[n]; !ok {
				return false
			}
		}
		return true
	}
	hasAny := func(names []string) bool {
		for _, n := range names {
			if has(n) {
				return true
			}
		}
		return false
	}
	if k := classifyTenant(has, keys); k != kindUnknown {
		return k
	}
	switch {
	case has("clientid", "consenttype"):
		return kindGrant
	case has("approleid", "principalid", "resourceid"):
		return kindAppRoleAssignment
	case has("roleeligibilityscheduleid"):
		return kindRoleEligibility
	case has("roledefinitionid", "principalid"):
		return kindRoleAssignment
	case has("issuer", "subject", "audiences"):
		return kindFederatedCredential
	case has("roletemplateid"):
		return kindDirectoryRole
	case hasAny(spOnly):
		return kindServicePrincipal
	case hasAny(appOnly):
		return kindApplication
	case hasAny(domainOnly):
		return kindDomain
	case has("userprincipalname"):
		return kindOwner
	}
	return kindUnknown
}

// classifyTenant recognises, by their properties, the objects of the
// collections beyond the app objects, or returns kindUnknown. Risk and
// Azure objects come first: they share properties with service
// principals and directory role assignments.
func classifyTenant(has func(...string) bool, keys map[string]json.RawMessage) kind {
	var id string
	json.Unmarshal(keys["id"], &id)
	id = strings.ToLower(id)
	switch {
	case has("riskeventtype", "serviceprincipalid"):
		return kindRiskDetection
	case has("risklevel", "riskstate") && !has("userprincipalname") && !has("riskeventtype"):
		return kindRiskyServicePrincipal
	case strings.Contains(id, "/providers/microsoft.authorization/roleassignments/") || has("principalid", "roledefinitionid", "scope"):
		return kindAzureRoleAssignment
	case strings.HasPrefix(id, "/subscriptions/") && !strings.Contains(id[len("/subscriptions/"):], "/"),
		strings.HasPrefix(id, "/providers/microsoft.management/managementgroups/"):
		return kindAzureScope
	case has("defaultuserrolepermissions"):
		return kindAuthorizationPolicy
	case has("reviewers", "requestdurationindays"):
		return kindAdminConsentPolicy
	case has("includes", "excludes"):
		return kindPermissionGrantPolicy
	case has("templateid", "values"):
		return kindDirectorySetting
	case has("applicationrestrictions"), has("restrictions", "isenabled"):
		return kindAppManagementPolicy
	case has("conditions", "grantcontrols"):
		return kindConditionalAccessPolicy
	case has("methodsregistered"):
		return kindUserRegistration
	case has("lastsigninactivity"), has("applicationauthenticationclientsigninactivity"):
		return kindSignInActivity
	case has("keyid", "signinactivity"):
		return kindCredentialActivity
	case has("recommendationtype"):
		return kindRecommendation
	}
	return kindUnknown
}
