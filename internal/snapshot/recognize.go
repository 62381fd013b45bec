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
	// kindForeign is a collection appwatch does not read.
	kindForeign
)

// target is what a file's @odata.context says its objects are. Owner and
// federated credential lists also name the object they belong to.
type target struct {
	kind     kind
	parent   kind
	parentID string
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
}

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
	t := target{kind: segmentKind(segs[len(segs)-1]), path: frag}
	if (t.kind == kindOwner || t.kind == kindFederatedCredential) && len(segs) > 1 {
		t.parent = segmentKind(segs[len(segs)-2])
		_, t.parentID = segmentParts(segs[len(segs)-2])
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
	switch {
	case has("clientid", "consenttype"):
		return kindGrant
	case has("approleid", "principalid", "resourceid"):
		return kindAppRoleAssignment
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
