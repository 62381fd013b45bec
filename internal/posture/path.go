package posture

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// Application permissions of Microsoft Graph that let their holder add a
// credential to an app, or give itself that power. The agent blueprint
// one reaches agent identity blueprints only.
const (
	permAppReadWrite      = "Application.ReadWrite.All"
	permAppRoleAssignment = "AppRoleAssignment.ReadWrite.All"
	permRoleManagement    = "RoleManagement.ReadWrite.Directory"
	permBlueprintCreds    = "AgentIdentityBlueprint.AddRemoveCreds.All"
)

// credentialPermissions maps those permissions to how they lead to a
// credential.
var credentialPermissions = map[string]string{
	strings.ToLower(permAppReadWrite):      "adds a credential to any app",
	strings.ToLower(permAppRoleAssignment): "grants itself Application.ReadWrite.All, then adds a credential",
	strings.ToLower(permRoleManagement):    "assigns itself Application Administrator, then adds a credential",
	strings.ToLower(permBlueprintCreds):    "adds a credential to any agent identity blueprint",
}

// writer is someone who can add a credential to an app, and how.
type writer struct {
	holder map[string]any // type, id, name, upn
	via    string         // owner, role or permission
	detail map[string]any
	how    string // the step from holder to credential
}

// pathChecks reports, for each privileged app, everyone who can add a
// credential to it without already being a Global Administrator: its
// owners, holders of Application Administrator and Cloud Application
// Administrator (active or eligible, tenant-wide or on the app), and
// service principals holding an application permission that leads to a
// credential. Each path is spelt out in the evidence.
func (e *evaluator) pathChecks() {
	if !e.on(PrivilegedAppCredentialPath) {
		return
	}
	roles := e.credentialRoleHolders()
	perms := e.credentialPermissionHolders()
	ids := make([]string, 0, len(e.privilege))
	for id := range e.privilege {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		sp := e.spByID[id]
		if sp == nil {
			continue
		}
		e.judged(PrivilegedAppCredentialPath, 1)
		p := e.privilege[id]
		app := e.appOf(sp)
		var ws []writer
		ws = append(ws, ownerWriters(sp.Owners, "owner of the service principal")...)
		if app != nil {
			ws = append(ws, ownerWriters(app.Owners, "owner of the app registration")...)
		}
		for _, w := range roles {
			scope, _ := w.detail["scope"].(string)
			if scope == "/" || app != nil && strings.EqualFold(scope, "/"+app.ID) || strings.EqualFold(scope, "/"+sp.ID) {
				ws = append(ws, w)
			}
		}
		blueprint := strings.HasPrefix(strings.ToLower(sp.Kind()), "agentidentityblueprint") || app != nil && strings.EqualFold(typeName(app.ODataType), snapshot.KindBlueprint)
		for _, w := range perms {
			if w.holder["id"] == sp.ID || w.detail["permission"] == permBlueprintCreds && !blueprint {
				continue
			}
			ws = append(ws, w)
		}
		if len(ws) == 0 {
			continue
		}
		e.add(PrivilegedAppCredentialPath, p.obj, pathLevel(p), map[string]any{
			"paths": e.pathFacts(ws, sp, p), "privileges": p.evidence(),
		})
	}
}

// pathLevel is critical when the app holds a critical permission or a
// privileged role tenant-wide.
func pathLevel(p *privilege) string {
	if p.permLevel == refdata.LevelCritical || p.tenantWide {
		return alert.LevelCritical
	}
	return ""
}

// maxPaths bounds the paths listed for one app.
const maxPaths = 50

func (e *evaluator) pathFacts(ws []writer, sp *snapshot.ServicePrincipal, p *privilege) []map[string]any {
	target := cmp.Or(sp.DisplayName, sp.ID)
	gain := privilegeSummary(p)
	var out []map[string]any
	for _, w := range ws[:min(len(ws), maxPaths)] {
		steps := []string{holderText(w.holder), w.via, w.how, "signs in as " + target, gain}
		out = append(out, map[string]any{"holder": w.holder, "via": w.via, "detail": w.detail, "path": strings.Join(steps, " → ")})
	}
	return out
}

// holderText names a holder: its type and its user principal name, name
// or id, whichever is known first.
func holderText(h map[string]any) string {
	typ, _ := h["type"].(string)
	for _, k := range []string{"upn", "name", "id"} {
		if s, _ := h[k].(string); s != "" {
			return strings.TrimSpace(typ + " " + s)
		}
	}
	return typ
}

// privilegeSummary names what acting as the app gives.
func privilegeSummary(p *privilege) string {
	var parts []string
	if len(p.roles) > 0 {
		parts = append(parts, "role "+roleNames(p.roles))
	}
	var perms []string
	for _, m := range p.permissions {
		if v, _ := m["value"].(string); !slices.Contains(perms, v) {
			perms = append(perms, v)
		}
	}
	if len(perms) > 0 {
		parts = append(parts, strings.Join(perms, ", "))
	}
	return "holds " + strings.Join(parts, "; ")
}

// ownerWriters turns owners into writers.
func ownerWriters(owners []snapshot.Owner, via string) []writer {
	var out []writer
	for _, o := range owners {
		f := ownerFact(o)
		if _, ok := f["type"]; !ok {
			f["type"] = "user"
		}
		out = append(out, writer{holder: f, via: via, how: "adds a credential"})
	}
	return out
}

// credentialRoleHolders lists the active and eligible assignments of
// Application Administrator and Cloud Application Administrator.
func (e *evaluator) credentialRoleHolders() []writer {
	var out []writer
	for _, list := range []struct {
		ras      []snapshot.RoleAssignment
		eligible bool
	}{{e.s.RoleAssignments, false}, {e.s.RoleEligibilities, true}} {
		for i := range list.ras {
			ra := &list.ras[i]
			role, ok := e.directoryRole(ra)
			if !ok || !snapshot.CredentialRole(role.ID) {
				continue
			}
			scope := cmp.Or(ra.DirectoryScopeID, "/")
			holder := map[string]any{"id": ra.PrincipalID, "type": "principal"}
			if sp := e.spByID[ra.PrincipalID]; sp != nil {
				holder = map[string]any{"id": sp.ID, "type": "servicePrincipal", "name": sp.DisplayName}
			}
			assignment := "active"
			if list.eligible {
				assignment = "eligible"
			}
			via := fmt.Sprintf("%s (%s, %s)", role.Name, assignment, scopeWords(scope))
			out = append(out, writer{holder: holder, via: via, how: "adds a credential",
				detail: map[string]any{"role": role.Name, "assignment": assignment, "scope": scope, "assignment_id": ra.ID}})
		}
	}
	return out
}

func scopeWords(scope string) string {
	if scope == "/" {
		return "tenant-wide"
	}
	return "on " + strings.TrimPrefix(scope, "/")
}

// credentialPermissionHolders lists the service principals holding an
// application permission of Microsoft Graph that leads to a credential.
func (e *evaluator) credentialPermissionHolders() []writer {
	var out []writer
	for i := range e.s.AppRoleAssignments {
		a := &e.s.AppRoleAssignments[i]
		api, _, ok := e.api(a.ResourceID, a.ResourceDisplayName)
		if !ok || api.Key != "graph" {
			continue
		}
		p := e.ref.Classify(api.AppID, refdata.Application, a.AppRoleID)
		if v := e.appRoleValue(a.ResourceID, a.AppRoleID); !p.Known && v != "" {
			p = e.ref.Classify(api.AppID, refdata.Application, v)
		}
		how, ok := credentialPermissions[strings.ToLower(p.Value)]
		if !ok {
			continue
		}
		holder := map[string]any{"id": a.PrincipalID, "type": "servicePrincipal"}
		putStr(holder, "name", a.PrincipalDisplayName)
		if sp := e.spByID[a.PrincipalID]; sp != nil {
			putStr(holder, "name", sp.DisplayName)
		}
		out = append(out, writer{holder: holder, via: p.Value + " on Microsoft Graph", how: how,
			detail: map[string]any{"permission": p.Value, "assignment_id": a.ID}})
	}
	return out
}
