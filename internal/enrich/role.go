package enrich

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/refdata"
)

// Role sources.
const (
	sourceEntra = "entra"
	sourceAzure = "azure"
	sourceGroup = "group"
)

// directoryScope is the scope of a directory role assignment that applies
// to the whole tenant, written as Microsoft Graph writes directoryScopeId.
const directoryScope = "/"

// azureRoleAssignment is the Activity Log operation that creates an Azure
// role assignment.
const azureRoleAssignment = "Microsoft.Authorization/roleAssignments/write"

// pimAppID and pimName identify Privileged Identity Management's service
// principal, the actor of the directory's own records of PIM's changes.
const (
	pimAppID = "01fc33a7-78ba-4d2f-a4b7-768e336e890e"
	pimName  = "MS-PIM"
)

// Types of the targets that can be given a role.
var principalTypes = []string{"User", typeServicePrincipal, "Group"}

// roleActivities returns the activities that add, remove or extend a role
// assignment and that a guide row depends on, by key, from the reference
// data.
func roleActivities(ref *refdata.Data) map[string]refdata.AuditActivity {
	out := map[string]refdata.AuditActivity{}
	for _, a := range ref.AuditActivities() {
		if a.IsRoleAssignment() && len(a.Rows) > 0 {
			out[a.Key] = a
		}
	}
	return out
}

// isAzureRoleAssignment reports whether e creates an Azure role assignment.
func isAzureRoleAssignment(e *event.Event) bool {
	return e.Kind == event.KindActivity && strings.EqualFold(e.Azure.Operation, azureRoleAssignment)
}

// roleEnricher describes directory and Azure role assignments (see
// event.RoleFacts).
type roleEnricher struct {
	ref    *refdata.Data
	acts   map[string]refdata.AuditActivity
	tenant *Tenant // may be nil
}

func newRoleEnricher(ref *refdata.Data, tenant *Tenant) *roleEnricher {
	return &roleEnricher{ref: ref, acts: roleActivities(ref), tenant: tenant}
}

// Name returns "role".
func (r *roleEnricher) Name() string { return "role" }

// Enrich fills e.Derived.Role.
func (r *roleEnricher) Enrich(e *event.Event) {
	switch {
	case isAzureRoleAssignment(e):
		e.Derived.Role = r.azureRole(e)
	case e.Kind == event.KindAudit:
		if act, ok := r.acts[e.ActivityKey]; ok {
			e.Derived.Role = r.auditRole(e, act)
		}
	}
}

// auditRole describes the assignment an audit record adds, removes or
// extends. Where each fact sits differs between the directory's records
// and PIM's, so targets are found by their type and properties, never by
// their position.
func (r *roleEnricher) auditRole(e *event.Event, act refdata.AuditActivity) event.RoleFacts {
	f := event.RoleFacts{
		Source:     roleSource(e.Category),
		Change:     act.Change,
		Assignment: act.Assignment,
		Stage:      act.Stage,
		ViaPIM:     initiatedByPIM(e),
	}
	m := roleMember(e)
	if m != nil {
		f.MemberType, f.MemberID = principalType(m.Type), m.ID
		f.TemplateID = cmp.Or(newText(prop(m, "Role.TemplateId")), newText(prop(m, "Role.ObjectID")))
		f.Name = newText(prop(m, "Role.DisplayName"))
		if _, ok := r.tenant.ServicePrincipal(m.ID); ok && !isPrincipalType(m.Type) {
			f.MemberType, f.MemberFrom = typeServicePrincipal, "snapshot"
		}
	}
	if t := firstOf(e, typeRole, "RoleDefinition"); t != nil {
		f.TemplateID = cmp.Or(f.TemplateID, newText(prop(t, "TemplateId")), newText(prop(t, "RoleDefinitionOriginId")), t.ID)
		f.Name = cmp.Or(f.Name, t.Name)
	}
	f.TemplateID = cmp.Or(f.TemplateID, detail(e, "TemplateId"), detail(e, "RoleDefinitionOriginId"))
	r.classify(&f)
	if f.Source == sourceEntra {
		f.Scope = directoryScopeOf(e, act)
	}
	return f
}

// classify looks the role up in the reference data of its source.
func (r *roleEnricher) classify(f *event.RoleFacts) {
	var (
		role refdata.Role
		ok   bool
	)
	switch f.Source {
	case sourceEntra:
		if role, ok = r.ref.DirectoryRole(f.TemplateID); !ok {
			role, ok = r.ref.DirectoryRole(f.Name)
		}
	case sourceAzure:
		if role, ok = r.ref.AzureRole(f.TemplateID); !ok {
			role, ok = r.ref.AzureRole(f.Name)
		}
	}
	if ok {
		f.TemplateID, f.Name = role.ID, cmp.Or(f.Name, role.Name)
		f.Privileged = strconv.FormatBool(role.Privileged)
	}
}

// roleSource tells from an audit category what kind of role PIM manages:
// Azure resource roles are logged under ResourceManagement, group
// membership and ownership under GroupManagement, directory roles under
// RoleManagement (and a few under ApplicationManagement).
func roleSource(category string) string {
	switch {
	case strings.EqualFold(category, "ResourceManagement"):
		return sourceAzure
	case strings.EqualFold(category, "GroupManagement"):
		return sourceGroup
	}
	return sourceEntra
}

// initiatedByPIM reports whether PIM's own service principal made the
// change.
func initiatedByPIM(e *event.Event) bool {
	a := e.Actor
	return a.Type == event.ActorApp && (strings.EqualFold(a.AppID, pimAppID) || strings.EqualFold(a.Name, pimName))
}

// directoryScopeOf returns the administrative unit an assignment is
// scoped to, "/" for the whole directory, or "" when a scoped assignment
// does not say which unit.
func directoryScopeOf(e *event.Event, act refdata.AuditActivity) string {
	if au := firstOf(e, "AdministrativeUnit"); au != nil && au.ID != "" {
		return "/administrativeUnits/" + au.ID
	}
	if strings.Contains(act.Key, "scoped") {
		return ""
	}
	return directoryScope
}

// roleMember returns the target given or losing the role. The directory's
// records carry Role.* properties on the member; PIM's records put the
// role first and the member later, next to a request and the resource. So
// the member is the target with Role.* properties, else a user or service
// principal, else a group.
func roleMember(e *event.Event) *event.Target {
	for i := range e.Targets {
		if prop(&e.Targets[i], "Role.TemplateId") != nil || prop(&e.Targets[i], "Role.ObjectID") != nil {
			return &e.Targets[i]
		}
	}
	for _, types := range [][]string{{"User", typeServicePrincipal}, {"Group"}} {
		if t := firstOf(e, types...); t != nil {
			return t
		}
	}
	return nil
}

// isPrincipalType reports whether t is a type that can be given a role.
func isPrincipalType(t string) bool {
	for _, p := range principalTypes {
		if strings.EqualFold(t, p) {
			return true
		}
	}
	return false
}

// principalType writes a member's type as the catalog documents it
// (ServicePrincipal, User, Group), whatever its case in the record.
func principalType(t string) string {
	for _, p := range principalTypes {
		if strings.EqualFold(t, p) {
			return p
		}
	}
	return t
}

// azureRole reads an Azure role assignment from the request body the
// Activity Log recorded.
func (r *roleEnricher) azureRole(e *event.Event) event.RoleFacts {
	f := event.RoleFacts{
		Source:     sourceAzure,
		TemplateID: lastSegment(e.Azure.RoleDefinitionID),
		MemberType: e.Azure.PrincipalType,
		MemberID:   e.Azure.PrincipalID,
		Scope:      e.Azure.Scope,
		Change:     refdata.ChangeAdd,
		Assignment: refdata.AssignmentActive,
		Stage:      refdata.StageDone,
	}
	if role, ok := r.ref.AzureRole(e.Azure.RoleDefinitionID); ok {
		f.Name, f.TemplateID = role.Name, role.ID
		f.Privileged = strconv.FormatBool(role.Privileged)
	}
	return f
}

// lastSegment returns what follows the last "/" of a resource id, lower
// case: the role definition id of /providers/.../roleDefinitions/<id>.
func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return strings.ToLower(id)
}
