package refdata

import (
	"cmp"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/uricheck"
)

// API finds a resource API by application id, display name, alias, or
// service principal name. It also accepts "<app id>/<anything>" names,
// URLs or host names under an API's "*." host suffix, and a ";"-separated
// list such as the TargetId.ServicePrincipalNames value of an audit record,
// in which case the first entry that names an API wins. Matching ignores
// case, surrounding spaces and a trailing "/".
func (d *Data) API(name string) (API, bool) {
	i, ok := d.find(name)
	if !ok {
		return API{}, false
	}
	api := d.apis[i]
	api.Aliases = slices.Clone(api.Aliases)
	return api, true
}

// find returns the index in d.apis of the API that name names, as API
// reads it.
func (d *Data) find(name string) (int, bool) {
	for part := range strings.SplitSeq(name, ";") {
		if i, ok := d.apiFor(strings.ToLower(strings.TrimSpace(part))); ok {
			return i, true
		}
	}
	return 0, false
}

// apiFor looks up one lower-case name.
func (d *Data) apiFor(k string) (int, bool) {
	if k == "" {
		return 0, false
	}
	if i, ok := d.apiIndex[k]; ok {
		return i, true
	}
	if i, ok := d.apiIndex[strings.TrimSuffix(k, "/")]; ok {
		return i, true
	}
	if len(k) > 36 && k[36] == '/' && uricheck.IsGUID(k[:36]) {
		if i, ok := d.apiIndex[k[:36]]; ok {
			return i, true
		}
	}
	host := hostOf(k)
	for _, s := range d.apiSuffixes {
		if host != "" && strings.HasSuffix(host, s.suffix) {
			return s.api, true
		}
	}
	return 0, false
}

// hostOf returns the host of a URL, or k itself when k looks like a bare
// host name; otherwise "".
func hostOf(k string) string {
	if strings.Contains(k, "://") {
		u, err := url.Parse(k)
		if err != nil {
			return ""
		}
		return u.Hostname()
	}
	if strings.ContainsAny(k, " /:@") || !strings.Contains(k, ".") {
		return ""
	}
	return k
}

// Classify returns the permission idOrValue of the given type on resource.
// A permission in the data is returned as is, with Known set. Otherwise
// the result has Known unset and its level is:
//   - derived from the name (see permissions.csv) when the API is
//     sensitive, so that new permissions of Microsoft Graph and the other
//     sensitive APIs are not silently treated as low;
//   - LevelUnknown for an unknown id on a sensitive API, since an id alone
//     says nothing;
//   - LevelLow on a known API that is not sensitive;
//   - LevelUnknown when the API itself is unknown, such as an
//     organisation's own API.
func (d *Data) Classify(resource string, typ PermissionType, idOrValue string) Permission {
	v := strings.TrimSpace(idOrValue)
	var api API
	i, apiKnown := d.find(resource)
	if apiKnown {
		api = d.apis[i]
		if p, ok := d.perms[permKey{api.AppID, typ, strings.ToLower(v)}]; ok {
			return p
		}
	}
	p := Permission{Type: typ, Resource: api.AppID}
	if uricheck.IsGUID(v) {
		p.ID = strings.ToLower(v)
	} else {
		p.Value = v
	}
	switch {
	case !apiKnown, v == "":
		p.Level = LevelUnknown
	case !api.Sensitive:
		p.Level = LevelLow
	case p.ID != "":
		p.Level = LevelUnknown
	default:
		p.Level = patternLevel(v, typ)
	}
	return p
}

// ClassifyScopes classifies delegated scopes of resource, as found in a
// consent or grant record. Each element may itself hold several scopes
// separated by spaces, as the scope field of an OAuth2 grant does. Empty
// entries are dropped and repeated scopes are returned once, in order of
// first appearance.
func (d *Data) ClassifyScopes(resource string, scopes []string) []Permission {
	var out []Permission
	seen := map[string]bool{}
	for _, s := range scopes {
		for _, scope := range strings.Fields(s) {
			k := strings.ToLower(scope)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, d.Classify(resource, Delegated, scope))
		}
	}
	return out
}

// MaxLevel returns the highest level among perms, or LevelUnknown when
// perms is empty.
func MaxLevel(perms []Permission) Level {
	max := LevelUnknown
	for _, p := range perms {
		if p.Level > max {
			max = p.Level
		}
	}
	return max
}

// DirectoryRole finds a Microsoft Entra built-in role by template id, name
// or older name, ignoring case.
func (d *Data) DirectoryRole(templateIDOrName string) (Role, bool) {
	r, ok := d.dirRoles[strings.ToLower(strings.TrimSpace(templateIDOrName))]
	return r, ok
}

// AzureRole finds an Azure built-in role by role definition id or name,
// ignoring case. It also accepts a role definition resource id such as
// /subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<id>.
func (d *Data) AzureRole(definitionIDOrName string) (Role, bool) {
	k := strings.ToLower(strings.TrimSpace(definitionIDOrName))
	const marker = "/roledefinitions/"
	if i := strings.LastIndex(k, marker); i >= 0 {
		k = strings.Trim(k[i+len(marker):], "/")
	}
	r, ok := d.azureRoles[k]
	return r, ok
}

// Permissions returns every permission in the data, once each, sorted by
// resource, type, name and id.
func (d *Data) Permissions() []Permission {
	var out []Permission
	for k, p := range d.perms {
		if k.key == p.ID {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Permission) int {
		return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Value, b.Value), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// DirectoryRoles returns every Microsoft Entra built-in role in the data,
// once each, by template id.
func (d *Data) DirectoryRoles() []Role { return uniqueRoles(d.dirRoles) }

// AzureRoles returns every Azure built-in role in the data, once each, by
// role definition id.
func (d *Data) AzureRoles() []Role { return uniqueRoles(d.azureRoles) }

// uniqueRoles lists the roles of an index that holds each role under its
// id and its names, sorted by id.
func uniqueRoles(index map[string]Role) []Role {
	byID := map[string]Role{}
	for _, r := range index {
		byID[r.ID] = r
	}
	out := make([]Role, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		out = append(out, byID[id])
	}
	return out
}

// FirstPartyApp finds a Microsoft first-party application by app id.
func (d *Data) FirstPartyApp(appID string) (App, bool) {
	a, ok := d.apps[strings.ToLower(strings.TrimSpace(appID))]
	return a, ok
}

// IsMicrosoftTenant reports whether tenantID is one of the tenants in which
// Microsoft registers its own applications.
func (d *Data) IsMicrosoftTenant(tenantID string) bool {
	_, ok := d.tenants[strings.ToLower(strings.TrimSpace(tenantID))]
	return ok
}

// WellKnownAppNames returns the names that look-alike applications borrow,
// such as "Microsoft" or "Outlook". The caller owns the returned slice.
func (d *Data) WellKnownAppNames() []string { return slices.Clone(d.wellKnown) }

// GenericAppNames returns names that say nothing about an application, such
// as "test" or "my app". The caller owns the returned slice.
func (d *Data) GenericAppNames() []string { return slices.Clone(d.generic) }
