package refdata

import (
	"slices"

	"github.com/appwatch/appwatch/internal/event"
)

// Changes an audit activity records.
const (
	ChangeAdd    = "add"
	ChangeRemove = "remove"
	ChangeUpdate = "update"
	// ChangeExtend is a role assignment prolonged or renewed.
	ChangeExtend = "extend"
)

// Kinds of role assignment.
const (
	AssignmentActive   = "active"
	AssignmentEligible = "eligible"
)

// Stages of a role assignment change.
const (
	// StageDone says the change took effect: the directory's own record,
	// or PIM's "completed" one.
	StageDone = "done"
	// StageRequested is a PIM request not yet carried out.
	StageRequested = "requested"
	// StageApproved is a PIM request approved and not yet carried out.
	StageApproved = "approved"
)

// Sources of activity names.
const (
	// SourceReference is Microsoft's audit log activity reference.
	SourceReference = "reference"
	// SourceGuide is Microsoft's security operations guides, which spell
	// some PIM activities differently from the reference.
	SourceGuide = "guide"
)

// AuditActivity is a Microsoft Entra audit activity and the guide rows that
// depend on it (see data/audit_activities.csv).
type AuditActivity struct {
	// Name is the activity as its source spells it.
	Name string
	// Key is Name folded by event.NormalizeActivity, as events carry it.
	Key string
	// Services and Categories are where the activity is logged.
	Services   []string
	Categories []string
	// Rows are the keys of the guide rows whose rules match the activity;
	// empty when none does, and Note then says why.
	Rows []string
	// Change is add, remove, update or extend.
	Change string
	// Assignment is active or eligible for role assignments, else empty.
	Assignment string
	// Stage is done, requested or approved for role assignments, else
	// empty.
	Stage string
	// Source is where the name comes from: reference or guide.
	Source string
	Note   string
}

// ForRow reports whether the row with key row depends on the activity.
func (a AuditActivity) ForRow(row string) bool { return slices.Contains(a.Rows, row) }

// IsRoleAssignment reports whether the activity adds, removes or extends a
// role assignment.
func (a AuditActivity) IsRoleAssignment() bool { return a.Assignment != "" }

// AuditActivity finds an activity by name, spelled in any of the ways
// event.NormalizeActivity folds together, or by its key.
func (d *Data) AuditActivity(name string) (AuditActivity, bool) {
	i, ok := d.activityIndex[event.NormalizeActivity(name)]
	if !ok {
		return AuditActivity{}, false
	}
	return d.activities[i].clone(), true
}

// AuditActivities returns every activity in the data, in file order.
func (d *Data) AuditActivities() []AuditActivity {
	out := make([]AuditActivity, len(d.activities))
	for i, a := range d.activities {
		out[i] = a.clone()
	}
	return out
}

// RowActivities returns the activities the row with key row depends on, in
// file order.
func (d *Data) RowActivities(row string) []AuditActivity {
	var out []AuditActivity
	for _, a := range d.activities {
		if a.ForRow(row) {
			out = append(out, a.clone())
		}
	}
	return out
}

// clone copies a's lists, so that callers cannot change the data.
func (a AuditActivity) clone() AuditActivity {
	a.Services = slices.Clone(a.Services)
	a.Categories = slices.Clone(a.Categories)
	a.Rows = slices.Clone(a.Rows)
	return a
}
