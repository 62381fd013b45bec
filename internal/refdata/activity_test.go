package refdata

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/guide"
)

// TestAuditActivityRows checks that every row an activity names is a guide
// row, and that the audit rows of the guide each depend on something.
func TestAuditActivityRows(t *testing.T) {
	d := mustLoad(t)
	for _, a := range d.AuditActivities() {
		for _, r := range a.Rows {
			if !guide.IsRow(r) {
				t.Errorf("%q names %q, which is not a guide row", a.Name, r)
			}
		}
	}
	for _, r := range guide.Rows() {
		if r.HasSource(guide.Audit) && len(d.RowActivities(r.Key)) == 0 {
			t.Errorf("row %s reads audit logs but no activity names it", r.Key)
		}
	}
}

// TestRoleAssignmentActivities checks the kinds of role assignment the
// data must know, with what each records.
func TestRoleAssignmentActivities(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		name              string
		change, kind, stg string
	}{
		{"Add member to role", ChangeAdd, AssignmentActive, StageDone},
		{"Add eligible member to role", ChangeAdd, AssignmentEligible, StageDone},
		{"Add scoped member to role", ChangeAdd, AssignmentActive, StageDone},
		{"Add member to role scoped over Restricted Management Administrative Unit", ChangeAdd, AssignmentActive, StageDone},
		{"Add member to role in PIM requested (permanent)", ChangeAdd, AssignmentActive, StageRequested},
		{"Add member to role in PIM requested (timebound)", ChangeAdd, AssignmentActive, StageRequested},
		{"Add member to role in PIM completed (permanent)", ChangeAdd, AssignmentActive, StageDone},
		{"Add member to role in PIM completed (timebound)", ChangeAdd, AssignmentActive, StageDone},
		{"Add member to role in PIM completed (time bound)", ChangeAdd, AssignmentActive, StageDone},
		{"Add eligible member to role in PIM requested (permanent)", ChangeAdd, AssignmentEligible, StageRequested},
		{"Add eligible member to role in PIM completed (timebound)", ChangeAdd, AssignmentEligible, StageDone},
		{"Add member to role request approved (PIM activation)", ChangeAdd, AssignmentActive, StageApproved},
		{"Remove member from role", ChangeRemove, AssignmentActive, StageDone},
		{"Remove eligible member from role", ChangeRemove, AssignmentEligible, StageDone},
		{"Remove scoped member from role", ChangeRemove, AssignmentActive, StageDone},
		{"Remove member from role scoped over Restricted Management Administrative Unit", ChangeRemove, AssignmentActive, StageDone},
		{"Remove member from role in PIM requested (permanent)", ChangeRemove, AssignmentActive, StageRequested},
		{"Remove member from role in PIM completed (timebound)", ChangeRemove, AssignmentActive, StageDone},
		{"Remove eligible member from role in PIM completed (permanent)", ChangeRemove, AssignmentEligible, StageDone},
		{"Update member in PIM requested (extend)", ChangeExtend, AssignmentActive, StageRequested},
	}
	for _, tt := range tests {
		a, ok := d.AuditActivity(tt.name)
		switch {
		case !ok:
			t.Errorf("%q is not in the data", tt.name)
		case !a.ForRow("sp-role-assigned") || a.Change != tt.change || a.Assignment != tt.kind || a.Stage != tt.stg:
			t.Errorf("%q: rows %v, change %s, assignment %s, stage %s; want sp-role-assigned, %s, %s, %s",
				tt.name, a.Rows, a.Change, a.Assignment, a.Stage, tt.change, tt.kind, tt.stg)
		}
	}
}

// TestEveryAddHasItsRemoval checks that each kind of role assignment a row
// depends on has its removal counterpart in the same row.
func TestEveryAddHasItsRemoval(t *testing.T) {
	d := mustLoad(t)
	type kind struct{ service, assignment, stage string }
	adds, removes := map[kind][]string{}, map[kind]bool{}
	for _, a := range d.RowActivities("sp-role-assigned") {
		for _, s := range a.Services {
			k := kind{s, a.Assignment, a.Stage}
			switch a.Change {
			case ChangeAdd:
				adds[k] = append(adds[k], a.Name)
			case ChangeRemove:
				removes[k] = true
			}
		}
	}
	for k, names := range adds {
		if k.stage == StageApproved {
			continue // PIM logs no approval of a removal
		}
		if !removes[k] {
			t.Errorf("%v: %q have no removal counterpart", k, names)
		}
	}
}

// TestAuditActivityLookup checks that the spellings events carry find their
// activity, and that the lists handed out are copies.
func TestAuditActivityLookup(t *testing.T) {
	d := mustLoad(t)
	for _, name := range []string{
		"Update application – Certificates and secrets management ",
		"update application-certificates and secrets management",
		event.NormalizeActivity("Update application - Certificates and secrets management"),
		"Update service principal.",
	} {
		if _, ok := d.AuditActivity(name); !ok {
			t.Errorf("AuditActivity(%q) not found", name)
		}
	}
	if _, ok := d.AuditActivity("Frob the widget"); ok {
		t.Error("an unknown activity was found")
	}
	a, _ := d.AuditActivity("Add member to role")
	a.Rows[0] = "changed"
	if b, _ := d.AuditActivity("Add member to role"); !slices.Equal(b.Rows, []string{"sp-role-assigned"}) {
		t.Errorf("Rows after a caller changed its copy: %v", b.Rows)
	}
}
