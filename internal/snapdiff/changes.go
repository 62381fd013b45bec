package snapdiff

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// credentials finds the credentials added to applications and to
// service principals, except managed identities, whose credentials Azure
// manages, and SAML apps, whose certificates sign tokens.
func (d *differ) credentials() {
	for i := range d.new.Applications {
		a := &d.new.Applications[i]
		if old := d.oldApps[a.ID]; old != nil {
			d.addedCredentials(appObject(a, i), "application", old.KeyCredentials, old.PasswordCredentials, a.KeyCredentials, a.PasswordCredentials)
		}
	}
	for i := range d.new.ServicePrincipals {
		sp := &d.new.ServicePrincipals[i]
		old := d.oldSPs[sp.ID]
		if old == nil || strings.EqualFold(sp.ServicePrincipalType, "ManagedIdentity") || strings.EqualFold(sp.PreferredSingleSignOnMode, "saml") {
			continue
		}
		d.addedCredentials(d.spObject(sp.ID, sp.DisplayName, i), "service_principal", old.KeyCredentials, old.PasswordCredentials, sp.KeyCredentials, sp.PasswordCredentials)
	}
}

// addedCredentials raises a change for each credential in the new lists
// and not in the old ones. A list one snapshot did not read (nil) is not
// compared.
func (d *differ) addedCredentials(obj object, on string, oldKeys, oldPasswords, keys, passwords []snapshot.Credential) {
	for _, l := range []struct {
		old, new []snapshot.Credential
		kind     string
	}{{oldKeys, keys, "certificate"}, {oldPasswords, passwords, "secret"}} {
		if l.old == nil || l.new == nil {
			continue
		}
		for _, c := range l.new {
			if c.KeyID == "" || slices.ContainsFunc(l.old, func(o snapshot.Credential) bool { return strings.EqualFold(o.KeyID, c.KeyID) }) {
				continue
			}
			fact := credFact(c, l.kind)
			start, _ := when(c.StartDateTime)
			d.add(CredentialAdded, "credential/"+obj.id+"/"+strings.ToLower(c.KeyID), obj, "", d.within(start), map[string]any{
				"credential": map[string]any{"added": []any{fact}, "on": on},
			})
		}
	}
}

// credFact describes a credential as the audit rules' evidence does.
func credFact(c snapshot.Credential, kind string) map[string]any {
	f := map[string]any{"key_id": c.KeyID, "kind": kind}
	putStr(f, "type", cmp.Or(c.Type, map[string]string{"secret": "Password"}[kind]))
	putStr(f, "usage", c.Usage)
	putStr(f, "display_name", c.DisplayName)
	if t, ok := when(c.StartDateTime); ok {
		f["start"] = alert.FormatTime(t)
	}
	if t, ok := when(c.EndDateTime); ok {
		f["end"] = alert.FormatTime(t)
	}
	return f
}

// when returns a readable timestamp, or false.
func when(t snapshot.Time) (time.Time, bool) {
	if _, raw := t.Raw(); raw || t.Time.IsZero() {
		return time.Time{}, false
	}
	return t.Time, true
}

// platformURIs are the redirect URIs of one platform of an app.
type platformURIs struct {
	platform string
	uris     []string
	read     bool // the snapshot read the platform's settings
}

func redirects(a *snapshot.Application) []platformURIs {
	var web, spa, public platformURIs
	web.platform, spa.platform, public.platform = "web", "spa", "public_client"
	if a.Web != nil {
		web.uris, web.read = a.Web.RedirectURIs, true
	}
	if a.SPA != nil {
		spa.uris, spa.read = a.SPA.RedirectURIs, true
	}
	if a.PublicClient != nil {
		public.uris, public.read = a.PublicClient.RedirectURIs, true
	}
	return []platformURIs{web, spa, public}
}

// uris finds the redirect and identifier URIs added to or removed from
// applications, and the logout URLs changed.
func (d *differ) uris() {
	owns := d.owner()
	for i := range d.new.Applications {
		a := &d.new.Applications[i]
		old := d.oldApps[a.ID]
		if old == nil {
			continue
		}
		obj := appObject(a, i)
		oldPlatforms := redirects(old)
		for k, p := range redirects(a) {
			op := oldPlatforms[k]
			if !op.read && len(op.uris) == 0 || !p.read && len(p.uris) == 0 {
				continue // a snapshot without the platform's settings
			}
			d.uriChanges(obj, RedirectURIChanged, "redirect", p.platform, op.uris, p.uris, owns)
		}
		if old.IdentifierURIs != nil && a.IdentifierURIs != nil {
			d.uriChanges(obj, IdentifierURIChanged, "identifier", "", old.IdentifierURIs, a.IdentifierURIs, owns)
		}
		d.logout(obj, old, a, owns)
	}
}

// uriChanges raises a change for each URI added to or removed from a
// list. kind is "redirect" or "identifier".
func (d *differ) uriChanges(obj object, rule, kind, platform string, old, new []string, owns uricheck.OwnerFunc) {
	for _, c := range []struct {
		change string
		from   []string
		to     []string
	}{{"added", old, new}, {"removed", new, old}} {
		for _, u := range c.to {
			if slices.Contains(c.from, u) {
				continue
			}
			item := map[string]any{"uri": u}
			putStr(item, "platform", platform)
			level := alert.LevelMedium
			switch {
			case c.change == "removed":
				level = alert.LevelLow
			case kind == "identifier":
				level = alert.LevelHigh
			}
			if c.change == "added" {
				if issues := uricheck.Issues(u, owns); len(issues) > 0 {
					item["issues"] = issues
					level = alert.LevelHigh
				}
			}
			key := kind + "/" + obj.id + "/" + c.change + "/" + platform + "/" + u
			d.add(rule, key, obj, level, time.Time{}, map[string]any{"uri": map[string]any{kind + "_" + c.change: []any{item}}})
		}
	}
}

// logout raises a change when an app's logout URL changed.
func (d *differ) logout(obj object, old, new *snapshot.Application, owns uricheck.OwnerFunc) {
	if old.Web == nil || new.Web == nil {
		return
	}
	from, to := strings.TrimSpace(old.Web.LogoutURL), strings.TrimSpace(new.Web.LogoutURL)
	if from == to {
		return
	}
	u := map[string]any{"logout_old": from, "logout_new": to}
	level := ""
	if to == "" {
		level = alert.LevelMedium // users can no longer end their sessions
	} else if issues := uricheck.Issues(to, owns); len(issues) > 0 {
		u["logout_issues"] = issues
		level = alert.LevelMedium
	}
	d.add(LogoutURLChanged, "logout/"+obj.id+"/"+from+"\x00"+to, obj, level, time.Time{}, map[string]any{"uri": u})
}

// owner tells whether a host is the tenant's: by the policy's owned
// domains when it lists them, or else by the new snapshot's verified
// domains.
func (d *differ) owner() uricheck.OwnerFunc {
	if _, configured := d.pol.OwnsDomain("localhost"); configured {
		return d.pol.OwnsDomain
	}
	verified := map[string]bool{}
	for _, dom := range d.new.Domains {
		if dom.IsVerified && dom.ID != "" {
			verified[strings.TrimSuffix(strings.ToLower(dom.ID), ".")] = true
		}
	}
	if len(verified) == 0 {
		return nil
	}
	return func(host string) (bool, bool) {
		for h := strings.TrimSuffix(strings.ToLower(host), "."); h != ""; {
			if verified[h] {
				return true, true
			}
			_, rest, found := strings.Cut(h, ".")
			if !found {
				break
			}
			h = rest
		}
		return false, true
	}
}

// owners finds the owners added to applications and service principals.
func (d *differ) owners() {
	for i := range d.new.Applications {
		a := &d.new.Applications[i]
		if old := d.oldApps[a.ID]; old != nil {
			d.addedOwners(appObject(a, i), old.Owners, a.Owners)
		}
	}
	for i := range d.new.ServicePrincipals {
		sp := &d.new.ServicePrincipals[i]
		if old := d.oldSPs[sp.ID]; old != nil {
			d.addedOwners(d.spObject(sp.ID, sp.DisplayName, i), old.Owners, sp.Owners)
		}
	}
}

func (d *differ) addedOwners(obj object, old, new []snapshot.Owner) {
	if old == nil || new == nil {
		return
	}
	for _, o := range new {
		if o.ID == "" || slices.ContainsFunc(old, func(x snapshot.Owner) bool { return strings.EqualFold(x.ID, o.ID) }) {
			continue
		}
		m := map[string]any{"id": o.ID}
		putStr(m, "type", o.Kind())
		putStr(m, "name", o.DisplayName)
		putStr(m, "upn", o.UserPrincipalName)
		d.add(OwnerAdded, "owner/"+obj.id+"/"+strings.ToLower(o.ID), obj, "", time.Time{}, map[string]any{"owner": m})
	}
}

// appPermissions finds the highly privileged application permissions on
// sensitive APIs granted to service principals.
func (d *differ) appPermissions() {
	if !d.old.Has(snapshot.AppRoleAssignments) {
		return
	}
	before := map[string]bool{}
	for _, a := range d.old.AppRoleAssignments {
		before[a.ID] = true
	}
	for i := range d.new.AppRoleAssignments {
		ara := &d.new.AppRoleAssignments[i]
		if before[ara.ID] || !strings.EqualFold(ara.PrincipalType, "ServicePrincipal") && ara.PrincipalType != "" {
			continue
		}
		api, name, ok := d.api(ara.ResourceID, ara.ResourceDisplayName)
		if !ok || !api.Sensitive {
			continue
		}
		perm := d.opts.Ref.Classify(api.AppID, refdata.Application, ara.AppRoleID)
		if v := d.appRoleValue(ara.ResourceID, ara.AppRoleID); !perm.Known && v != "" {
			perm = d.opts.Ref.Classify(api.AppID, refdata.Application, v)
		}
		if perm.Level < refdata.LevelHigh {
			continue
		}
		level := ""
		if perm.Level == refdata.LevelCritical {
			level = alert.LevelCritical
		}
		created, _ := when(ara.CreatedDateTime)
		obj := d.spObject(ara.PrincipalID, ara.PrincipalDisplayName, i)
		d.add(PrivilegedPermissionGranted, "app-permission/"+ara.ID, obj, level, d.within(created), map[string]any{"grant": map[string]any{
			"type": "application", "api": name, "api_id": api.AppID, "api_sensitive": true, "assignment_id": ara.ID,
			"permissions": []any{permFact(perm, name, ara.AppRoleID)},
		}})
	}
}

// delegatedGrants finds the highly privileged scopes on sensitive APIs
// added to delegated grants for all users.
func (d *differ) delegatedGrants() {
	if !d.old.Has(snapshot.Grants) {
		return
	}
	before := map[string][]string{}
	for _, g := range d.old.Grants {
		if strings.EqualFold(g.ConsentType, "AllPrincipals") {
			before[g.ID] = g.Scopes()
		}
	}
	for i := range d.new.Grants {
		g := &d.new.Grants[i]
		if !strings.EqualFold(g.ConsentType, "AllPrincipals") {
			continue
		}
		api, name, ok := d.api(g.ResourceID, "")
		if !ok || !api.Sensitive {
			continue
		}
		var added []string
		for _, s := range g.Scopes() {
			if !slices.ContainsFunc(before[g.ID], func(o string) bool { return strings.EqualFold(o, s) }) {
				added = append(added, s)
			}
		}
		var perms []any
		top := refdata.LevelUnknown
		for _, p := range d.opts.Ref.ClassifyScopes(api.AppID, added) {
			if p.Level >= refdata.LevelHigh {
				perms = append(perms, permFact(p, name, ""))
				top = max(top, p.Level)
			}
		}
		if len(perms) == 0 {
			continue
		}
		level := ""
		if top == refdata.LevelCritical {
			level = alert.LevelCritical
		}
		slices.Sort(added)
		obj := d.spObject(g.ClientID, "", i)
		grant := map[string]any{"id": g.ID, "type": "delegated", "api": name, "api_id": api.AppID, "api_sensitive": true,
			"consent_type": g.ConsentType, "permissions": perms, "client_sp_id": g.ClientID}
		d.add(TenantWideGrantAdded, "grant/"+g.ID+"/"+strings.ToLower(strings.Join(added, " ")), obj, level, time.Time{}, map[string]any{"grant": grant})
	}
}

// roles finds the directory roles newly assigned to service principals,
// active or eligible.
func (d *differ) roles() {
	d.assignedRoles(snapshot.RoleAssignments, d.old.RoleAssignments, d.new.RoleAssignments, false)
	d.assignedRoles(snapshot.RoleEligibilities, d.old.RoleEligibilities, d.new.RoleEligibilities, true)
}

func (d *differ) assignedRoles(c snapshot.Collection, old, new []snapshot.RoleAssignment, eligible bool) {
	if !d.old.Has(c) {
		return
	}
	before := map[string]bool{}
	for _, r := range old {
		before[r.ID] = true
	}
	for i := range new {
		ra := &new[i]
		sp := d.spByID[ra.PrincipalID]
		if before[ra.ID] || sp == nil {
			continue
		}
		role, known := d.directoryRole(ra)
		name := role.Name
		if !known && ra.RoleDefinition != nil {
			name = ra.RoleDefinition.DisplayName
		}
		m := map[string]any{"name": cmp.Or(name, ra.RoleDefinitionID), "privileged": role.Privileged,
			"scope": cmp.Or(ra.DirectoryScopeID, "/"), "assignment_id": ra.ID}
		putStr(m, "id", cmp.Or(role.ID, ra.RoleDefinitionID))
		putStr(m, "app_scope", ra.AppScopeID)
		if eligible {
			m["assignment"] = "eligible"
		}
		level := alert.LevelMedium
		if role.Privileged {
			level = alert.LevelHigh
		}
		d.add(RoleAssigned, "role/"+ra.ID, d.spObject(sp.ID, sp.DisplayName, i), level, time.Time{}, map[string]any{"role": m})
	}
}

// api finds the resource API behind a service principal id, by the
// principal's app id, or else by name.
func (d *differ) api(resourceID, name string) (refdata.API, string, bool) {
	if sp := d.spByID[resourceID]; sp != nil {
		if api, ok := d.opts.Ref.API(sp.AppID); sp.AppID != "" && ok {
			return api, cmp.Or(sp.DisplayName, name, api.Name), true
		}
		name = cmp.Or(sp.DisplayName, name)
	}
	if name == "" {
		return refdata.API{}, "", false
	}
	api, ok := d.opts.Ref.API(name)
	return api, cmp.Or(name, api.Name), ok
}

// appRoleValue returns the value of an app role the resource service
// principal defines, or "".
func (d *differ) appRoleValue(resourceID, roleID string) string {
	if sp := d.spByID[resourceID]; sp != nil {
		for _, r := range sp.AppRoles {
			if strings.EqualFold(r.ID, roleID) {
				return r.Value
			}
		}
	}
	return ""
}

// directoryRole finds the built-in role of an assignment.
func (d *differ) directoryRole(ra *snapshot.RoleAssignment) (refdata.Role, bool) {
	keys := []string{ra.RoleDefinitionID}
	if def := ra.RoleDefinition; def != nil {
		keys = append([]string{def.TemplateID, def.ID}, append(keys, def.DisplayName)...)
	}
	for _, k := range keys {
		if k == "" {
			continue
		}
		if r, ok := d.opts.Ref.DirectoryRole(k); ok {
			return r, true
		}
	}
	return refdata.Role{}, false
}

// permFact describes a permission as the audit rules' evidence does.
func permFact(p refdata.Permission, api, id string) map[string]any {
	m := map[string]any{"value": cmp.Or(p.Value, id), "level": p.Level.String(), "api": api}
	putStr(m, "id", cmp.Or(p.ID, id))
	return m
}
