// Package snapdiff compares two snapshots of a tenant (package snapshot)
// and raises an alert for each change the guide asks to watch: a
// credential added to an application or service principal, a redirect or
// identifier URI added or removed, a logout URL changed, an owner added, a
// highly privileged application permission or tenant-wide delegated
// grant given, a directory role assigned to a service principal.
//
// It finds changes whose audit records never arrived, or arrived where no
// one looked: each alert's evidence says it was found by comparing
// snapshots ("found_by": "snapshot-comparison") and between which two,
// since the time of the change itself is not known, only that it falls
// between them. Applications and service principals that are new in the
// later snapshot are not compared: their state is what posture checks
// judge (grants and role assignments, new by nature, are). A collection
// or a property that one of the snapshots did not read is not compared
// either, so a partial snapshot raises nothing about what it lacks.
package snapdiff

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// SourceFormat is the source format of every change.
const SourceFormat = "graph-snapshot-diff"

// FoundBy is the evidence's "found_by" value of every change.
const FoundBy = "snapshot-comparison"

// Side describes one of the two snapshots.
type Side struct {
	// Time is when the snapshot was taken; zero when unknown.
	Time time.Time
	// Source names where it was read: a folder, or the watch source.
	Source string
}

// Options tune Diff. Ref is required.
type Options struct {
	Ref *refdata.Data
	// Policy gives level overrides, suppressions and the owned domains.
	// Nil means policy.Default().
	Policy *policy.Policy
	// Lang is the language of the alerts' texts; empty means English.
	Lang string
	// TenantID is the tenant the snapshots are of; empty means the
	// policy's.
	TenantID string
	// Old and New describe the two snapshots.
	Old, New Side
	// Now is the time of the comparison, used in place of New.Time when
	// that is unknown: the time of the alerts of changes whose own time
	// is unknown, and the time suppressions are judged at. Zero means
	// the wall clock.
	Now time.Time
}

// Change is one change found.
type Change struct {
	// Key names the change within the comparison: comparing the same two
	// snapshots again gives the same keys.
	Key   string
	Alert alert.Alert
}

// Result is what Diff found.
type Result struct {
	// Changes are sorted by rule, in the order of Rules, then by key.
	Changes []Change
	// Suppressed counts the changes the policy silenced, by rule id.
	Suppressed map[string]int
}

// Diff compares old with new. It fails only when the options are
// unusable.
func Diff(old, new *snapshot.Snapshot, opts Options) (*Result, error) {
	switch {
	case old == nil || new == nil:
		return nil, errors.New("snapshot diff: a snapshot is missing")
	case opts.Ref == nil:
		return nil, errors.New("snapshot diff: no reference data")
	}
	d := newDiffer(old, new, opts)
	d.credentials()
	d.uris()
	d.owners()
	d.appPermissions()
	d.delegatedGrants()
	d.roles()
	d.sort()
	return &d.res, nil
}

// differ holds the snapshots, their indexes and the changes so far.
type differ struct {
	old, new *snapshot.Snapshot
	opts     Options
	pol      *policy.Policy
	tenant   string
	now      time.Time
	texts    map[string]alert.Text
	res      Result

	oldApps map[string]*snapshot.Application
	oldSPs  map[string]*snapshot.ServicePrincipal
	spIndex map[string]int // new service principals by id
	spByID  map[string]*snapshot.ServicePrincipal
}

func newDiffer(old, new *snapshot.Snapshot, opts Options) *differ {
	d := &differ{
		old: old, new: new, opts: opts,
		pol:   cmp.Or(opts.Policy, policy.Default()),
		now:   cmp.Or(opts.New.Time, opts.Now),
		texts: map[string]alert.Text{},
		res:   Result{Suppressed: map[string]int{}},
	}
	if d.now.IsZero() {
		d.now = time.Now()
	}
	d.tenant = strings.ToLower(cmp.Or(opts.TenantID, d.pol.Tenant().ID))
	for _, r := range rules() {
		d.texts[r.id] = r.rule().Text(opts.Lang)
	}
	d.oldApps = map[string]*snapshot.Application{}
	for i := range old.Applications {
		d.oldApps[old.Applications[i].ID] = &old.Applications[i]
	}
	d.oldSPs = map[string]*snapshot.ServicePrincipal{}
	for i := range old.ServicePrincipals {
		d.oldSPs[old.ServicePrincipals[i].ID] = &old.ServicePrincipals[i]
	}
	d.spIndex, d.spByID = map[string]int{}, map[string]*snapshot.ServicePrincipal{}
	for i := range new.ServicePrincipals {
		sp := &new.ServicePrincipals[i]
		d.spIndex[sp.ID], d.spByID[sp.ID] = i, sp
	}
	return d
}

// object is what a change is about.
type object struct {
	typ, id, appID, name string
	index                int // in its collection of the new snapshot
}

func appObject(a *snapshot.Application, i int) object {
	return object{"Application", a.ID, a.AppID, a.DisplayName, i}
}

func (d *differ) spObject(id, name string, fallback int) object {
	if sp := d.spByID[id]; sp != nil {
		return object{"ServicePrincipal", sp.ID, sp.AppID, sp.DisplayName, d.spIndex[id]}
	}
	return object{"ServicePrincipal", id, "", name, fallback}
}

// add raises the change key of rule about obj, at level (the rule's when
// empty) and at time at (the new snapshot's, or the comparison's, when
// zero), after the policy's overrides and suppressions.
func (d *differ) add(rule, key string, obj object, level string, at time.Time, ev map[string]any) {
	r := ruleByID(rule)
	ev["found_by"] = FoundBy
	if s := d.sides(); len(s) > 0 {
		ev["snapshots"] = s
	}
	t := d.texts[rule]
	a := alert.Alert{
		GuideRow:    r.row,
		RuleID:      r.id,
		Title:       t.Title,
		Level:       d.pol.Level(r.id, r.row, cmp.Or(level, r.level)),
		Time:        alert.FormatTime(cmp.Or(at, d.now)),
		EventID:     obj.id,
		TenantID:    d.tenant,
		Actor:       alert.Actor{Type: "system"},
		Target:      alert.Target{Type: obj.typ, ID: obj.id, AppID: obj.appID, Name: obj.name},
		Evidence:    ev,
		Attack:      slices.Clone(r.attack),
		Source:      alert.Source{Format: SourceFormat, File: d.opts.New.Source, Index: obj.index},
		Description: t.Description,
		Remediation: t.Remediation,
	}
	if _, ok := d.pol.Suppression(a.SuppressionFacts(), d.now); ok {
		d.res.Suppressed[rule]++
		return
	}
	d.res.Changes = append(d.res.Changes, Change{Key: key, Alert: a})
}

// sides describes the two snapshots for the evidence.
func (d *differ) sides() map[string]any {
	m := map[string]any{}
	for name, s := range map[string]Side{"old": d.opts.Old, "new": d.opts.New} {
		side := map[string]any{}
		if !s.Time.IsZero() {
			side["taken"] = alert.FormatTime(s.Time)
		}
		if s.Source != "" {
			side["source"] = s.Source
		}
		if len(side) > 0 {
			m[name] = side
		}
	}
	return m
}

// sort orders the changes by rule, then by key.
func (d *differ) sort() {
	order := map[string]int{}
	for i, r := range rules() {
		order[r.id] = i
	}
	slices.SortStableFunc(d.res.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(order[a.Alert.RuleID], order[b.Alert.RuleID]), strings.Compare(a.Key, b.Key))
	})
}

// within returns t when it falls between the two snapshots, as far as
// their times are known, and the zero time otherwise: a credential's
// start date or an assignment's creation time says when the change
// happened only when it is not older than the old snapshot.
func (d *differ) within(t time.Time) time.Time {
	if t.IsZero() || !d.opts.Old.Time.IsZero() && t.Before(d.opts.Old.Time) || !d.opts.New.Time.IsZero() && t.After(d.opts.New.Time) {
		return time.Time{}
	}
	return t
}

func putStr(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
