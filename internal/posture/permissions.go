package posture

import (
	"cmp"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// privilege is what makes a service principal privileged: highly
// privileged application permissions on sensitive APIs, and privileged
// directory roles.
type privilege struct {
	obj         object
	permissions []map[string]any
	apis        []string
	permLevel   refdata.Level
	roles       []map[string]any
	tenantWide  bool // holds a privileged role at the tenant's scope
}

// evidence sums up a privilege for findings about something else, such
// as the owners of the app.
func (p *privilege) evidence() map[string]any {
	m := map[string]any{}
	if len(p.permissions) > 0 {
		m["permissions"] = p.permissions
	}
	if len(p.roles) > 0 {
		m["roles"] = p.roles
	}
	return m
}

// privileges finds the privileged service principals, by id.
func (e *evaluator) privileges() map[string]*privilege {
	out := map[string]*privilege{}
	get := func(id string, obj object) *privilege {
		p := out[id]
		if p == nil {
			p = &privilege{obj: obj}
			out[id] = p
		}
		return p
	}
	for i := range e.s.AppRoleAssignments {
		ara := &e.s.AppRoleAssignments[i]
		perm, api, ok := e.privilegedAppRole(ara)
		if !ok {
			continue
		}
		p := get(ara.PrincipalID, e.principal(ara.PrincipalID, ara.PrincipalDisplayName, i))
		p.permissions = append(p.permissions, permFact(perm, api, ara.AppRoleID, ara.ID))
		if !slices.Contains(p.apis, api) {
			p.apis = append(p.apis, api)
		}
		p.permLevel = max(p.permLevel, perm.Level)
	}
	for i := range e.s.RoleAssignments {
		ra := &e.s.RoleAssignments[i]
		sp := e.spByID[ra.PrincipalID]
		role, ok := e.directoryRole(ra)
		if sp == nil || !ok || !role.Privileged {
			continue
		}
		p := get(sp.ID, e.spObject(sp))
		scope := cmp.Or(ra.DirectoryScopeID, "/")
		r := map[string]any{"name": role.Name, "id": role.ID, "scope": scope, "assignment_id": ra.ID}
		putStr(r, "app_scope", ra.AppScopeID)
		p.roles = append(p.roles, r)
		p.tenantWide = p.tenantWide || scope == "/"
	}
	return out
}

// principal describes the service principal with id, which may be
// missing from the snapshot; index is then the position of the record
// that names it.
func (e *evaluator) principal(id, name string, index int) object {
	if sp := e.spByID[id]; sp != nil {
		return e.spObject(sp)
	}
	return object{typ: "ServicePrincipal", id: id, name: name, index: index}
}

// privilegedAppRole classifies an app role granted to a service principal
// and reports whether it is a highly privileged permission on a
// sensitive API, with the API's name.
func (e *evaluator) privilegedAppRole(ara *snapshot.AppRoleAssignment) (refdata.Permission, string, bool) {
	if !strings.EqualFold(ara.PrincipalType, "ServicePrincipal") && (ara.PrincipalType != "" || e.spByID[ara.PrincipalID] == nil) {
		return refdata.Permission{}, "", false
	}
	api, name, ok := e.api(ara.ResourceID, ara.ResourceDisplayName)
	if !ok || !api.Sensitive {
		return refdata.Permission{}, "", false
	}
	perm := e.ref.Classify(api.AppID, refdata.Application, ara.AppRoleID)
	if value := e.appRoleValue(ara.ResourceID, ara.AppRoleID); !perm.Known && value != "" {
		perm = e.ref.Classify(api.AppID, refdata.Application, value)
	}
	return perm, name, perm.Level >= refdata.LevelHigh
}

// api finds the resource API behind a service principal id, by the
// principal's app id or display name, or else by name, a display name
// found elsewhere.
func (e *evaluator) api(resourceID, name string) (refdata.API, string, bool) {
	name = cmp.Or(name, e.resourceNames[resourceID])
	if sp := e.spByID[resourceID]; sp != nil {
		if api, ok := e.ref.API(sp.AppID); sp.AppID != "" && ok {
			return api, cmp.Or(sp.DisplayName, name, api.Name), true
		}
		name = cmp.Or(sp.DisplayName, name)
	}
	if name == "" {
		return refdata.API{}, "", false
	}
	api, ok := e.ref.API(name)
	return api, cmp.Or(name, api.Name), ok
}

// appRoleValue returns the value of an app role the resource service
// principal defines, or "" when the snapshot does not hold it.
func (e *evaluator) appRoleValue(resourceID, roleID string) string {
	if sp := e.spByID[resourceID]; sp != nil {
		for _, r := range sp.AppRoles {
			if strings.EqualFold(r.ID, roleID) {
				return r.Value
			}
		}
	}
	return ""
}

// directoryRole finds the built-in role of an assignment.
func (e *evaluator) directoryRole(ra *snapshot.RoleAssignment) (refdata.Role, bool) {
	keys := []string{ra.RoleDefinitionID}
	if d := ra.RoleDefinition; d != nil {
		keys = append([]string{d.TemplateID, d.ID}, append(keys, d.DisplayName)...)
	}
	for _, k := range keys {
		if k == "" {
			continue
		}
		if r, ok := e.ref.DirectoryRole(k); ok {
			return r, true
		}
	}
	return refdata.Role{}, false
}

// permFact describes a permission for the evidence.
func permFact(p refdata.Permission, api, id, assignmentID string) map[string]any {
	m := map[string]any{"value": cmp.Or(p.Value, id), "level": p.Level.String(), "api": api}
	putStr(m, "id", cmp.Or(p.ID, id))
	putStr(m, "assignment_id", assignmentID)
	return m
}

// permissionChecks reports tenant-wide privileged grants, privileged
// application permissions and roles, and user owners of privileged apps.
func (e *evaluator) permissionChecks() {
	e.tenantWideGrants()
	e.judged(PrivilegedApplicationPermission, len(e.s.AppRoleAssignments))
	e.judged(ServicePrincipalPrivilegedRole, len(e.s.RoleAssignments))
	e.judged(PrivilegedAppUserOwner, len(e.privilege))
	ids := make([]string, 0, len(e.privilege))
	for id := range e.privilege {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p := e.privilege[id]
		if len(p.permissions) > 0 {
			level := ""
			if p.permLevel == refdata.LevelCritical {
				level = alert.LevelCritical
			}
			e.add(PrivilegedApplicationPermission, p.obj, level, map[string]any{"grant": map[string]any{
				"type": "application", "api": strings.Join(p.apis, ", "), "permissions": p.permissions,
			}})
		}
		if len(p.roles) > 0 {
			level := ""
			if !p.tenantWide {
				level = alert.LevelMedium
			}
			e.add(ServicePrincipalPrivilegedRole, p.obj, level, map[string]any{"role": map[string]any{
				"name": roleNames(p.roles), "privileged": true, "assignments": p.roles,
			}})
		}
		e.userOwners(id, p)
	}
}

func roleNames(roles []map[string]any) string {
	var names []string
	for _, r := range roles {
		if n, _ := r["name"].(string); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// privilegedGrant returns the highly privileged scopes of a delegated
// grant for all users on a sensitive API, with the API and the highest
// level, or false for any other grant.
func (e *evaluator) privilegedGrant(g *snapshot.Grant) (perms []map[string]any, api refdata.API, name string, top refdata.Level, ok bool) {
	if !strings.EqualFold(g.ConsentType, "AllPrincipals") {
		return nil, api, "", top, false
	}
	api, name, ok = e.api(g.ResourceID, "")
	if !ok || !api.Sensitive {
		return nil, api, "", top, false
	}
	for _, p := range e.ref.ClassifyScopes(api.AppID, g.Scopes()) {
		if p.Level >= refdata.LevelHigh {
			perms = append(perms, permFact(p, name, "", ""))
			top = max(top, p.Level)
		}
	}
	return perms, api, name, top, len(perms) > 0
}

// privGrant is a privileged delegated grant for all users.
type privGrant struct {
	index int // in Grants
	perms []map[string]any
	api   refdata.API
	name  string
	top   refdata.Level
}

// delegatedPrivileges finds the privileged delegated grants for all
// users, keeping them in order for tenantWideGrants and returning them by
// client service principal id.
func (e *evaluator) delegatedPrivileges() map[string][]map[string]any {
	out := map[string][]map[string]any{}
	e.privGrants = nil
	for i := range e.s.Grants {
		g := &e.s.Grants[i]
		if perms, api, name, top, ok := e.privilegedGrant(g); ok {
			e.privGrants = append(e.privGrants, privGrant{i, perms, api, name, top})
			out[g.ClientID] = append(out[g.ClientID], map[string]any{"id": g.ID, "api": name, "permissions": perms})
		}
	}
	return out
}

// tenantWideGrants reports delegated grants for all users that hold
// highly privileged scopes on a sensitive API.
func (e *evaluator) tenantWideGrants() {
	e.judged(TenantWidePrivilegedGrant, len(e.s.Grants))
	for _, pg := range e.privGrants {
		i, g := pg.index, &e.s.Grants[pg.index]
		perms, api, name, top := pg.perms, pg.api, pg.name, pg.top
		obj := e.principal(g.ClientID, "", i)
		obj.eventID, obj.index = g.ID, i
		grant := map[string]any{"id": g.ID, "type": "delegated", "api": name, "api_id": api.AppID,
			"api_sensitive": true, "consent_type": g.ConsentType, "permissions": perms, "client_sp_id": g.ClientID}
		putStr(grant, "client_name", obj.name)
		level := ""
		if top == refdata.LevelCritical {
			level = alert.LevelCritical
		}
		e.add(TenantWidePrivilegedGrant, obj, level, map[string]any{"grant": grant})
	}
}

// userOwners reports users among the owners of a privileged service
// principal and of the tenant's app registration behind it.
func (e *evaluator) userOwners(spID string, p *privilege) {
	sp := e.spByID[spID]
	if sp == nil {
		return
	}
	if owners := userOwnerFacts(sp.Owners); len(owners) > 0 {
		e.add(PrivilegedAppUserOwner, p.obj, "", map[string]any{"owners": owners, "privileges": p.evidence()})
	}
	i, ok := e.appIndex[strings.ToLower(sp.AppID)]
	if !ok {
		return
	}
	a := &e.s.Applications[i]
	if owners := userOwnerFacts(a.Owners); len(owners) > 0 {
		e.add(PrivilegedAppUserOwner, appObject(a, i), "", map[string]any{
			"owners": owners, "privileges": p.evidence(), "service_principal_id": sp.ID,
		})
	}
}

// userOwnerFacts describes the owners that are users. An owner listed
// without a type but with a user principal name is a user.
func userOwnerFacts(owners []snapshot.Owner) []map[string]any {
	var out []map[string]any
	for _, o := range owners {
		kind := o.Kind()
		if !strings.EqualFold(kind, "user") && (kind != "" || o.UserPrincipalName == "") {
			continue
		}
		m := map[string]any{}
		putStr(m, "id", o.ID)
		putStr(m, "name", o.DisplayName)
		putStr(m, "upn", o.UserPrincipalName)
		out = append(out, m)
	}
	return out
}

// appPrivilege returns the privilege of the tenant's service principal
// for an app registration, or nil.
func (e *evaluator) appPrivilege(a *snapshot.Application) *privilege {
	if sp := e.spByAppID[strings.ToLower(a.AppID)]; sp != nil {
		return e.privilege[sp.ID]
	}
	return nil
}
