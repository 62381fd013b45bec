// Package posture checks the state of a tenant's applications, as a
// snapshot read from Microsoft Graph holds it, against what the Microsoft
// Entra security operations guide for applications asks to watch:
// credential lifetimes and placement, redirect, identifier and logout
// URIs (including host names that no longer resolve), highly privileged
// grants and roles, and user owners of privileged apps.
//
// Each problem found is an alert.Alert, as scan alerts are, with the guide
// row it belongs to, a level, its evidence, ATT&CK techniques and texts in
// the languages appwatch speaks; the alert's event id is the id of the
// object checked. Checks lists the checks.
package posture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// DefaultExpiryWarning is how long before its end date a credential is
// reported as expiring soon when Options.ExpiryWarning is zero.
const DefaultExpiryWarning = 30 * 24 * time.Hour

// SourceFormat is the source format of every finding.
const SourceFormat = "graph-snapshot"

// HostResolver looks up host names; *dnscheck.Resolver is one.
type HostResolver interface {
	LookupAll(ctx context.Context, hosts []string) map[string]dnscheck.Result
}

// Options tune Evaluate. Ref is required.
type Options struct {
	// Ref is the reference data: sensitive APIs, permission levels,
	// privileged roles, first-party apps.
	Ref *refdata.Data
	// Policy gives the credential lifetime limits, the owned domains,
	// level overrides and suppressions. Nil means policy.Default().
	Policy *policy.Policy
	// Now is the time of the evaluation, which decides what has expired.
	// Zero means time.Now().
	Now time.Time
	// ExpiryWarning is how long before its end date a credential counts
	// as expiring soon. Default DefaultExpiryWarning; a negative value
	// leaves the expiring-soon check out.
	ExpiryWarning time.Duration
	// TenantID is the tenant the snapshot is of. When empty it is taken
	// from the policy, or else from the service principals of the
	// tenant's own app registrations.
	TenantID string
	// Lang is the language of the findings' texts and of the notes;
	// empty means English.
	Lang string
	// DNS looks up the host names of URIs to find dangling ones. Nil
	// leaves the dangling URI checks out, as in an offline run.
	DNS HostResolver
	// Source is where the snapshot was read, written into each finding's
	// source.
	Source string
	// Checks are the ids of the checks to run (see Checks); empty runs
	// them all. The host names of URIs are looked up only when a dangling
	// URI check runs.
	Checks []string
}

// Result is what Evaluate found.
type Result struct {
	// Findings are sorted by check, then by the id of the object checked.
	Findings []alert.Alert
	// Suppressed counts the findings the policy silenced, by check id.
	Suppressed map[string]int
	// DNS says what the host name lookups gave.
	DNS DNSSummary
	// Notes say which checks could not run, or ran on partial data.
	Notes []string
}

// DNSSummary sums up the host name lookups of an evaluation.
type DNSSummary struct {
	// Enabled is false when no resolver was given.
	Enabled bool
	// Hosts is how many distinct host names there were to look up.
	Hosts int
	// Dangling is how many of them lead nowhere.
	Dangling int
	// Unknown holds the lookups that gave no answer about the name, such
	// as timeouts and SERVFAIL, sorted by host.
	Unknown []dnscheck.Result
	// Skipped holds the names that were not looked up, or whose lookup
	// was cut short, sorted by host; Detail says why (the lookup limit,
	// the time limit, a server that answered nothing).
	Skipped []dnscheck.Result
}

// Evaluate runs every check on s. It fails only when the options are
// unusable or ctx ends.
func Evaluate(ctx context.Context, s *snapshot.Snapshot, opts Options) (*Result, error) {
	if s == nil {
		return nil, errors.New("posture: no snapshot")
	}
	if opts.Ref == nil {
		return nil, errors.New("posture: no reference data")
	}
	for _, id := range opts.Checks {
		if !slices.ContainsFunc(checks(), func(c check) bool { return c.id == id }) {
			return nil, fmt.Errorf("posture: no check %q", id)
		}
	}
	e := newEvaluator(s, opts)
	if opts.DNS != nil && e.running(RedirectURIDangling, IdentifierURIDangling, LogoutURLDangling) {
		e.lookUp(ctx, opts.DNS)
	}
	for _, phase := range []func(){e.credentialChecks, e.uriChecks, e.permissionChecks} {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("posture: %w", err)
		}
		phase()
	}
	e.sort()
	return &e.res, nil
}

// evaluator holds the snapshot, its indexes and the findings so far.
type evaluator struct {
	s        *snapshot.Snapshot
	ref      *refdata.Data
	pol      *policy.Policy
	now      time.Time
	warn     time.Duration
	source   string
	tenantID string
	p        *i18n.Printer        // writes the notes
	runs     []*checkRun          // in the order of checks()
	byID     map[string]*checkRun // the same, by check id

	spByID        map[string]*snapshot.ServicePrincipal
	spIndex       map[string]int
	spByAppID     map[string]*snapshot.ServicePrincipal
	appIndex      map[string]int    // the tenant's app registrations by lower-case app id
	resourceNames map[string]string // resource service principal id → display name, from assignments
	owns          ownership
	dns           map[string]dnscheck.Result
	privilege     map[string]*privilege // by service principal id

	res Result
}

// checkRun is one check, its texts in the evaluation's language and the
// findings it has raised so far.
type checkRun struct {
	check
	text  alert.Text
	found []*alert.Alert
	off   bool // left out by Options.Checks
}

func newEvaluator(s *snapshot.Snapshot, opts Options) *evaluator {
	e := &evaluator{
		s:      s,
		ref:    opts.Ref,
		pol:    cmp.Or(opts.Policy, policy.Default()),
		now:    opts.Now,
		warn:   cmp.Or(opts.ExpiryWarning, DefaultExpiryWarning),
		source: opts.Source,
		byID:   map[string]*checkRun{},
		p:      i18n.NewPrinter(opts.Lang),
		res:    Result{Suppressed: map[string]int{}},
	}
	if e.now.IsZero() {
		e.now = time.Now()
	}
	e.now = e.now.UTC()
	for _, c := range checks() {
		off := len(opts.Checks) > 0 && !slices.Contains(opts.Checks, c.id)
		r := &checkRun{check: c, text: c.rule().Text(opts.Lang), off: off}
		e.runs = append(e.runs, r)
		e.byID[c.id] = r
	}
	e.index()
	e.tenantID = strings.ToLower(cmp.Or(opts.TenantID, e.pol.Tenant().ID, e.inferTenant()))
	e.owns = newOwnership(e.pol, s.Domains)
	if !e.owns.known() && e.running(RedirectURIUnownedDomain, IdentifierURIUnownedDomain) {
		e.note("the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy): the unowned-domain checks did not run")
	}
	e.privilege = e.privileges()
	return e
}

// index builds the lookups the checks share.
func (e *evaluator) index() {
	s := e.s
	e.spByID = make(map[string]*snapshot.ServicePrincipal, len(s.ServicePrincipals))
	e.spIndex = make(map[string]int, len(s.ServicePrincipals))
	e.spByAppID = make(map[string]*snapshot.ServicePrincipal, len(s.ServicePrincipals))
	for i := range s.ServicePrincipals {
		sp := &s.ServicePrincipals[i]
		e.spByID[sp.ID] = sp
		e.spIndex[sp.ID] = i
		if sp.AppID != "" {
			e.spByAppID[strings.ToLower(sp.AppID)] = sp
		}
	}
	e.appIndex = make(map[string]int, len(s.Applications))
	for i := range s.Applications {
		if id := strings.ToLower(s.Applications[i].AppID); id != "" {
			e.appIndex[id] = i
		}
	}
	e.resourceNames = map[string]string{}
	for i := range s.AppRoleAssignments {
		if a := &s.AppRoleAssignments[i]; a.ResourceDisplayName != "" {
			e.resourceNames[a.ResourceID] = a.ResourceDisplayName
		}
	}
}

// inferTenant finds the tenant id from the service principal of one of
// the tenant's own app registrations, whose owner organisation is the
// tenant itself.
func (e *evaluator) inferTenant() string {
	for i := range e.s.Applications {
		if sp := e.spByAppID[strings.ToLower(e.s.Applications[i].AppID)]; sp != nil && sp.AppOwnerOrganizationID != "" {
			return sp.AppOwnerOrganizationID
		}
	}
	return ""
}

// running reports whether any of the checks ids runs.
func (e *evaluator) running(ids ...string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return !e.byID[id].off })
}

// note adds a note in the evaluation's language.
func (e *evaluator) note(format string, args ...any) {
	e.res.Notes = append(e.res.Notes, e.p.Sprintf(format, args...))
}

// object is what a finding is about.
type object struct {
	typ   string // Application or ServicePrincipal
	id    string
	appID string
	name  string
	index int // position in its collection
	// eventID is the id of the object checked when it is not the target
	// itself, such as a grant to the target.
	eventID string
}

func appObject(a *snapshot.Application, i int) object {
	return object{typ: "Application", id: a.ID, appID: a.AppID, name: a.DisplayName, index: i}
}

func (e *evaluator) spObject(sp *snapshot.ServicePrincipal) object {
	return object{typ: "ServicePrincipal", id: sp.ID, appID: sp.AppID, name: sp.DisplayName, index: e.spIndex[sp.ID]}
}

// add raises a finding of check id about obj with the given evidence, at
// level (the check's default when empty), after the policy's overrides
// and suppressions.
func (e *evaluator) add(id string, obj object, level string, ev map[string]any) {
	c := e.byID[id]
	if c.off {
		return
	}
	t := c.text
	a := &alert.Alert{
		GuideRow:    c.row,
		RuleID:      c.id,
		Title:       t.Title,
		Level:       e.pol.Level(c.id, c.row, cmp.Or(level, c.level)),
		Time:        alert.FormatTime(e.now),
		EventID:     cmp.Or(obj.eventID, obj.id),
		TenantID:    e.tenantID,
		Actor:       alert.Actor{Type: "system"},
		Target:      alert.Target{Type: obj.typ, ID: obj.id, AppID: obj.appID, Name: obj.name},
		Evidence:    ev,
		Attack:      append([]string{}, c.attack...),
		Source:      alert.Source{Format: SourceFormat, File: e.source, Index: obj.index},
		Description: t.Description,
		Remediation: t.Remediation,
	}
	if _, ok := e.pol.Suppression(a.SuppressionFacts(), e.now); ok {
		e.res.Suppressed[id]++
		return
	}
	c.found = append(c.found, a)
}

// sort lists the findings by check, then by the id of the object
// checked. Each check's findings mostly come in that order already.
func (e *evaluator) sort() {
	total := 0
	for _, c := range e.runs {
		total += len(c.found)
	}
	e.res.Findings = make([]alert.Alert, 0, total)
	byEvent := func(a, b *alert.Alert) int { return strings.Compare(a.EventID, b.EventID) }
	for _, c := range e.runs {
		if !slices.IsSortedFunc(c.found, byEvent) {
			slices.SortStableFunc(c.found, byEvent)
		}
		for _, a := range c.found {
			e.res.Findings = append(e.res.Findings, *a)
		}
		c.found = nil
	}
}
