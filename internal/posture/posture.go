// Package posture checks the state of a tenant's applications, as a
// snapshot read from Microsoft Graph holds it, against what the Microsoft
// Entra security operations guide for applications asks to watch:
// credential lifetimes and placement, redirect, identifier and logout
// URIs (including host names that no longer resolve), highly privileged
// grants and roles, and owners of privileged apps; and beyond the guide's
// rows, what identity admins check with other posture tools: app usage,
// the tenant's consent and app management settings, who can add a
// credential to a privileged app, Azure roles, workload identity risk and
// Conditional Access, third-party and Agent ID apps, and federated
// credentials.
//
// Each problem found is an alert.Alert, as scan alerts are, with the guide
// row it belongs to, a level, its evidence, ATT&CK techniques and texts in
// the languages appwatch speaks; the alert's event id is the id of the
// object checked. Checks lists the checks. Each check ends passed, failed
// or not evaluated, with the number of objects it judged and, when it
// could not run, why: the collection the snapshot lacks and the
// permission or licence that would bring it.
package posture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
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
	// Checks, when not empty, runs only the checks whose id matches one
	// of these patterns (path.Match syntax, such as "redirect-uri-*").
	Checks []string
	// Skip leaves out the checks whose id matches one of these patterns.
	Skip []string
	// DormantAfter is how long without a sign-in makes an app or a
	// credential unused. Default DefaultDormantAfter.
	DormantAfter time.Duration
	// TrustedIssuers are issuers of federated identity credentials to
	// trust beyond the built-in ones (see TrustedIssuers), as URLs or as
	// host names.
	TrustedIssuers []string
}

// DefaultDormantAfter is how long without a sign-in makes an app or a
// credential unused when Options.DormantAfter is zero.
const DefaultDormantAfter = 90 * 24 * time.Hour

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
	// Checks says how each check ended, in the order of Checks().
	Checks []CheckResult
}

// How a check ended.
const (
	// StatusPass: the check judged its objects and found nothing.
	StatusPass = "pass"
	// StatusFail: the check raised at least one finding, suppressed or not.
	StatusFail = "fail"
	// StatusNotEvaluated: the snapshot lacks what the check needs.
	StatusNotEvaluated = "not_evaluated"
	// StatusSkipped: the check was not selected.
	StatusSkipped = "skipped"
)

// CheckResult is how one check ended.
type CheckResult struct {
	ID       string `json:"id"`
	GuideRow string `json:"guide_row"`
	Status   string `json:"status"`
	// Evaluated is how many objects the check judged: applications,
	// service principals, grants, policies, as the check's docs say.
	Evaluated int `json:"evaluated"`
	// Findings and Suppressed count the findings raised and the ones the
	// policy silenced.
	Findings   int `json:"findings"`
	Suppressed int `json:"suppressed,omitempty"`
	// Reason says why a check was not evaluated: the collection missing
	// and the permission or licence to get, or what else was lacking.
	Reason string `json:"reason,omitempty"`
	// ReasonText is Reason in the language of the evaluation, for people.
	ReasonText string `json:"-"`
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
	e, err := newEvaluator(s, opts)
	if err != nil {
		return nil, err
	}
	if opts.DNS != nil && e.anyOn(RedirectURIDangling, IdentifierURIDangling, LogoutURLDangling) {
		e.lookUp(ctx, opts.DNS)
	} else {
		for _, id := range []string{RedirectURIDangling, IdentifierURIDangling, LogoutURLDangling} {
			e.cannot(id, "DNS lookups are off")
		}
	}
	for _, phase := range e.phases() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("posture: %w", err)
		}
		phase()
	}
	e.sort()
	return &e.res, nil
}

// phases returns the passes over the snapshot, each running a family of
// checks.
func (e *evaluator) phases() []func() {
	return []func(){e.credentialChecks, e.uriChecks, e.permissionChecks, e.usageChecks, e.tenantChecks,
		e.ownershipChecks, e.pathChecks, e.azureChecks, e.workloadChecks, e.thirdPartyChecks, e.federationChecks}
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
	dormant  time.Duration
	p        *i18n.Printer        // writes the notes
	runs     []*checkRun          // in the order of checks()
	byID     map[string]*checkRun // the same, by check id
	issuers  issuers

	spByID        map[string]*snapshot.ServicePrincipal
	spIndex       map[string]int
	spByAppID     map[string]*snapshot.ServicePrincipal
	appIndex      map[string]int    // the tenant's app registrations by lower-case app id
	appByID       map[string]int    // the same by object id
	resourceNames map[string]string // resource service principal id → display name, from assignments
	owns          ownership
	dns           map[string]dnscheck.Result
	privilege     map[string]*privilege // by service principal id
	// delegated holds the privileged delegated grants for all users, by
	// client service principal id.
	delegated  map[string][]map[string]any
	privGrants []privGrant // in the order of Grants

	res Result
}

// checkRun is one check, its texts in the evaluation's language, whether
// it runs, and what it has done so far.
type checkRun struct {
	check
	text alert.Text
	// on is false for a check that was not selected or cannot run.
	on         bool
	status     string // set when the check does not run
	reason     string
	reasonText string
	evaluated  int
	found      []*alert.Alert
}

func newEvaluator(s *snapshot.Snapshot, opts Options) (*evaluator, error) {
	e := &evaluator{
		s:       s,
		ref:     opts.Ref,
		pol:     cmp.Or(opts.Policy, policy.Default()),
		now:     opts.Now,
		warn:    cmp.Or(opts.ExpiryWarning, DefaultExpiryWarning),
		dormant: cmp.Or(opts.DormantAfter, DefaultDormantAfter),
		source:  opts.Source,
		byID:    map[string]*checkRun{},
		p:       i18n.NewPrinter(opts.Lang),
		res:     Result{Suppressed: map[string]int{}},
	}
	if e.now.IsZero() {
		e.now = time.Now()
	}
	e.now = e.now.UTC()
	if err := e.selectChecks(opts); err != nil {
		return nil, err
	}
	e.index()
	e.tenantID = strings.ToLower(cmp.Or(opts.TenantID, e.pol.Tenant().ID, e.inferTenant()))
	e.owns = newOwnership(e.pol, s.Domains)
	if !e.owns.known() {
		if e.anyOn(RedirectURIUnownedDomain, IdentifierURIUnownedDomain) {
			e.note("the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy): the unowned-domain checks did not run")
		}
		e.cannot(RedirectURIUnownedDomain, "the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy)")
		e.cannot(IdentifierURIUnownedDomain, "the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy)")
	}
	e.issuers = newIssuers(e.tenantID, opts.TrustedIssuers)
	e.privilege = e.privileges()
	e.delegated = e.delegatedPrivileges()
	return e, nil
}

// selectChecks decides which checks run: those the options select, whose
// collections the snapshot holds.
func (e *evaluator) selectChecks(opts Options) error {
	all := checks()
	for _, patterns := range [][]string{opts.Checks, opts.Skip} {
		for _, p := range patterns {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("posture: check pattern %q: %w", p, err)
			}
			if !slices.ContainsFunc(all, func(c check) bool { return matches([]string{p}, c.id) }) {
				return fmt.Errorf("posture: no check matches %q (appwatch posture --list-checks lists them)", p)
			}
		}
	}
	for _, c := range all {
		r := &checkRun{check: c, text: c.rule().Text(opts.Lang), on: true}
		if (len(opts.Checks) > 0 && !matches(opts.Checks, c.id)) || matches(opts.Skip, c.id) {
			r.on, r.status = false, StatusSkipped
		}
		e.runs = append(e.runs, r)
		e.byID[c.id] = r
	}
	for _, r := range e.runs {
		for _, coll := range r.needs {
			if !e.s.Has(coll) && !snapshot.Core(coll) {
				format, args := e.missing(coll)
				e.cannot(r.id, format, args...)
				break
			}
		}
	}
	e.partial()
	return nil
}

// partial notes the collections held in part: the checks that need them
// ran on what was read.
func (e *evaluator) partial() {
	for _, g := range e.s.Gaps {
		if !e.s.Has(g.Collection) {
			continue
		}
		var ids []string
		for _, r := range e.runs {
			if r.on && slices.Contains(r.needs, g.Collection) {
				ids = append(ids, r.id)
			}
		}
		if len(ids) > 0 {
			e.note("%s ran on part of the data: %s", strings.Join(ids, ", "), g.Reason())
		}
	}
}

// matches reports whether id matches one of the patterns.
func matches(patterns []string, id string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, id); ok {
			return true
		}
	}
	return false
}

// missing says why the snapshot lacks a collection, as a message format
// and its arguments.
func (e *evaluator) missing(c snapshot.Collection) (string, []any) {
	if g, ok := e.s.Gap(c); ok {
		return g.Format()
	}
	return "the snapshot holds no %s", []any{c}
}

// cannot marks a check as not evaluated, with the reason format makes of
// args, in English and in the evaluation's language, unless it was not
// selected or is already marked.
func (e *evaluator) cannot(id, format string, args ...any) {
	r := e.byID[id]
	if r == nil || r.status != "" {
		return
	}
	r.on, r.status = false, StatusNotEvaluated
	r.reason, r.reasonText = fmt.Sprintf(format, args...), e.p.Sprintf(format, args...)
}

// on reports whether a check runs.
func (e *evaluator) on(id string) bool { return e.byID[id].on }

// anyOn reports whether any of the checks runs.
func (e *evaluator) anyOn(ids ...string) bool {
	return slices.ContainsFunc(ids, e.on)
}

// judged counts n more objects as evaluated by check id.
func (e *evaluator) judged(id string, n int) { e.byID[id].evaluated += n }

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
	e.appByID = make(map[string]int, len(s.Applications))
	for i := range s.Applications {
		if id := strings.ToLower(s.Applications[i].AppID); id != "" {
			e.appIndex[id] = i
		}
		e.appByID[s.Applications[i].ID] = i
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
	typ := "Application"
	if k := typeName(a.ODataType); k != "" && !strings.EqualFold(k, "application") {
		typ = typeOf(k)
	}
	return object{typ: typ, id: a.ID, appID: a.AppID, name: a.DisplayName, index: i}
}

// spObject describes a service principal; an Agent ID object is typed as
// what it is, such as "AgentIdentity".
func (e *evaluator) spObject(sp *snapshot.ServicePrincipal) object {
	return object{typ: typeOf(sp.Kind()), id: sp.ID, appID: sp.AppID, name: sp.DisplayName, index: e.spIndex[sp.ID]}
}

// typeName returns a Graph type without "#microsoft.graph.".
func typeName(odataType string) string {
	return strings.TrimPrefix(strings.TrimPrefix(odataType, "#"), "microsoft.graph.")
}

// add raises a finding of check id about obj with the given evidence, at
// level (the check's default when empty), after the policy's overrides
// and suppressions.
func (e *evaluator) add(id string, obj object, level string, ev map[string]any) {
	c := e.byID[id]
	if !c.on {
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

// results sums up how each check ended.
func (e *evaluator) results() []CheckResult {
	out := make([]CheckResult, 0, len(e.runs))
	for _, c := range e.runs {
		r := CheckResult{ID: c.id, GuideRow: c.row, Status: c.status, Evaluated: c.evaluated, Findings: len(c.found),
			Suppressed: e.res.Suppressed[c.id], Reason: c.reason, ReasonText: c.reasonText}
		switch {
		case r.Status != "":
		case r.Findings+r.Suppressed > 0:
			r.Status = StatusFail
		default:
			r.Status = StatusPass
		}
		out = append(out, r)
	}
	return out
}

// sort lists the findings by check, then by the id of the object
// checked. Each check's findings mostly come in that order already.
func (e *evaluator) sort() {
	e.res.Checks = e.results()
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
