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
)

// directoryScope is the scope of a directory role assignment that applies
// to the whole tenant, written as Microsoft Graph writes directoryScopeId.
const directoryScope = "/"

// azureRoleAssignment is the Activity Log operation that creates an Azure
// role assignment.
const azureRoleAssignment = "Microsoft.Authorization/roleAssignments/write"

// roleActivities are the activities that assign a directory role,
// directly, as eligible, scoped to an administrative unit, or through
// Privileged Identity Management. PIM activity names spell "timebound" in
// two ways.
var roleActivities = activities(
	"Add member to role",
	"Add eligible member to role",
	"Add scoped member to role",
	"Add member to role completed (PIM activation)",
	"Add member to role in PIM completed (permanent)",
	"Add member to role in PIM completed (timebound)",
	"Add member to role in PIM completed (time bound)",
	"Add eligible member to role in PIM completed (permanent)",
	"Add eligible member to role in PIM completed (timebound)",
	"Add eligible member to role in PIM completed (time bound)",
	"Add member to role outside of PIM (permanent)",
)

// scopedRole is the activity of an assignment scoped to an administrative
// unit.
var scopedRole = event.NormalizeActivity("Add scoped member to role")

// isRoleAssignment reports whether an activity key assigns a directory role.
func isRoleAssignment(key string) bool { return roleActivities[key] }

// isAzureRoleAssignment reports whether e creates an Azure role assignment.
func isAzureRoleAssignment(e *event.Event) bool {
	return e.Kind == event.KindActivity && strings.EqualFold(e.Azure.Operation, azureRoleAssignment)
}

// roleEnricher describes directory and Azure role assignments (see
// event.RoleFacts).
type roleEnricher struct {
	ref *refdata.Data
}

func newRoleEnricher(ref *refdata.Data) *roleEnricher { return &roleEnricher{ref: ref} }

// Name returns "role".
func (r *roleEnricher) Name() string { return "role" }

// Enrich fills e.Derived.Role.
func (r *roleEnricher) Enrich(e *event.Event) {
	switch {
	case isAzureRoleAssignment(e):
		e.Derived.Role = r.azureRole(e)
	case e.Kind == event.KindAudit && isRoleAssignment(e.ActivityKey):
		e.Derived.Role = r.directoryRole(e)
	}
}

// directoryRole reads the role from the Role.* properties of the member
// target, falling back on the Role target and, for PIM records, on the
// TemplateId property or detail.
func (r *roleEnricher) directoryRole(e *event.Event) event.RoleFacts {
	f := event.RoleFacts{Source: sourceEntra}
	m := roleMember(e)
	roleTarget := firstOf(e, typeRole)
	if m != nil {
		f.MemberType, f.MemberID = m.Type, m.ID
		f.TemplateID = cmp.Or(newText(prop(m, "Role.TemplateId")), newText(prop(m, "Role.ObjectID")))
		f.Name = newText(prop(m, "Role.DisplayName"))
	}
	if roleTarget != nil {
		f.TemplateID = cmp.Or(f.TemplateID, newText(prop(roleTarget, "TemplateId")), detail(e, "TemplateId"), roleTarget.ID)
		f.Name = cmp.Or(f.Name, roleTarget.Name)
	}
	role, ok := r.ref.DirectoryRole(f.TemplateID)
	if !ok {
		role, ok = r.ref.DirectoryRole(f.Name)
	}
	if ok {
		f.TemplateID, f.Name = role.ID, cmp.Or(f.Name, role.Name)
		f.Privileged = strconv.FormatBool(role.Privileged)
	}
	f.Scope = directoryScopeOf(e)
	return f
}

// directoryScopeOf returns the administrative unit an assignment is
// scoped to, "/" for the whole directory, or "" when a scoped assignment
// does not say which unit.
func directoryScopeOf(e *event.Event) string {
	if au := firstOf(e, "AdministrativeUnit"); au != nil && au.ID != "" {
		return "/administrativeUnits/" + au.ID
	}
	if e.ActivityKey == scopedRole {
		return ""
	}
	return directoryScope
}

// roleMember returns the target assigned the role: the one carrying the
// Role.* properties, else the first target that is not the role itself.
func roleMember(e *event.Event) *event.Target {
	for i := range e.Targets {
		if prop(&e.Targets[i], "Role.TemplateId") != nil || prop(&e.Targets[i], "Role.ObjectID") != nil {
			return &e.Targets[i]
		}
	}
	for i := range e.Targets {
		if !strings.EqualFold(e.Targets[i].Type, typeRole) {
			return &e.Targets[i]
		}
	}
	return nil
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
