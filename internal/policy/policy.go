// Package policy reads the tenant policy file, which tells appwatch what is
// normal for one Entra ID tenant: its business hours, holidays and approved
// change windows, the people and applications whose changes are expected,
// the domains it owns, its limits on credential lifetimes, and how alerts
// are silenced or re-graded.
//
// Parse and Load validate the file and report problems with their line and
// column; the methods of Policy answer the questions enrichers and posture
// checks ask. Default gives the policy used when there is no file.
//
// The package embeds the IANA time zone database, so zone names resolve the
// same way on every machine.
package policy

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	_ "time/tzdata" // zone names must not depend on the host
)

// The default credential lifetime limits.
const (
	DefaultSecretLifetime      = 180 * day
	DefaultCertificateLifetime = 365 * day
)

// The names of the placeholders every policy defines, for Sigma's
// "|expand" modifier (written %approved_actors% and so on in a rule).
const (
	PlaceholderApprovedActors = "approved_actors"
	PlaceholderApprovedApps   = "approved_apps"
	PlaceholderOwnedDomains   = "owned_domains"
)

// Tenant names the tenant a policy is written for.
type Tenant struct {
	ID   string // directory (tenant) id, lowercase; empty when not given
	Name string // display name; empty when not given
}

// Policy is a validated tenant policy. Its methods are safe for concurrent
// use; a Policy never changes once built.
type Policy struct {
	tenant       Tenant
	hours        schedule
	holidays     map[date]bool // days off, read in the zone of hours
	windows      []window
	actorList    []string
	appList      []string
	actors       idSet
	apps         idSet
	domains      []string
	secretMax    time.Duration
	certMax      time.Duration
	suppressions []Suppression
	ruleLevels   map[string]string
	rowLevels    map[string]string
	expected     expectedChanges
	ruleRefs     []RuleRef
	file         string // the name the policy was read as, for diagnostics
	placeholders map[string][]string
	warnings     []Diagnostic
	delivery     delivery
}

// Default returns the policy used without a policy file: business hours
// Monday to Friday, 08:00 to 18:00 UTC, no holidays, change windows,
// approvals, owned domains, suppressions or overrides, and the default
// credential lifetime limits.
func Default() *Policy {
	return &Policy{
		hours:        defaultSchedule(),
		holidays:     make(map[date]bool),
		actors:       newIDSet(nil),
		apps:         newIDSet(nil),
		secretMax:    DefaultSecretLifetime,
		certMax:      DefaultCertificateLifetime,
		ruleLevels:   make(map[string]string),
		rowLevels:    make(map[string]string),
		placeholders: make(map[string][]string),
		expected:     expectedChanges{level: "informational", upTo: "critical"},
		delivery:     delivery{quiet: DefaultFirstSeenWindow},
	}
}

// MaxFileSize is the largest policy file read, in bytes; a real one is a
// few kilobytes.
const MaxFileSize = 1 << 20

// ReadFile reads the policy file at path, refusing one larger than
// MaxFileSize before reading it all.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", path, err)
	}
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("read policy %s: the file is larger than %d MiB; a policy file is a few kilobytes", path, MaxFileSize>>20)
	}
	return src, nil
}

// Load reads and validates the policy file at path. When the file has
// errors, the error is an Errors listing all of them. Warnings are kept on
// the policy; see Warnings.
func Load(path string) (*Policy, error) {
	src, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, _, err := Parse(path, src)
	return p, err
}

// Parse validates src, the text of a policy file called name (used in
// diagnostics). It returns every diagnostic, errors and warnings, sorted by
// position. When there is an error, the policy is nil and err is an Errors
// holding the error diagnostics.
func Parse(name string, src []byte) (*Policy, []Diagnostic, error) {
	p, diags := parse(name, src)
	if HasErrors(diags) {
		return nil, diags, errorsOf(diags)
	}
	p.warnings = warningsOf(diags)
	return p, diags, nil
}

// parse reads as much of the policy as it can, whatever the errors. The
// policy is nil when the file is not a readable YAML document.
func parse(name string, src []byte) (*Policy, []Diagnostic) {
	c := &checker{file: name}
	if len(src) > MaxFileSize {
		c.errorf(nil, "", "the file is larger than %d MiB; a policy file is a few kilobytes", MaxFileSize>>20)
		return nil, sortDiagnostics(c.diags)
	}
	var p *Policy
	if root := c.document(src); root != nil {
		p = c.policy(root)
		p.ruleRefs, p.file = c.refs, name
	}
	return p, sortDiagnostics(c.diags)
}

// Check validates src as Parse does and adds a warning for each
// suppression that has expired by now. It is what "appwatch config check"
// prints.
func Check(name string, src []byte) []Diagnostic {
	return CheckAt(name, src, time.Now())
}

// CheckRules is Check, and also reports as errors the rule ids the policy
// names that none of ruleIDs (the ids of the rules loaded) has.
func CheckRules(name string, src []byte, ruleIDs []string) []Diagnostic {
	return checkAt(name, src, time.Now(), ruleIDs)
}

// CheckAt is Check with the current time given.
func CheckAt(name string, src []byte, now time.Time) []Diagnostic {
	return checkAt(name, src, now, nil)
}

// checkAt checks src at the time now, and its rule ids against ruleIDs
// unless that is nil.
func checkAt(name string, src []byte, now time.Time, ruleIDs []string) []Diagnostic {
	p, diags := parse(name, src)
	if p == nil {
		return diags
	}
	if ruleIDs != nil {
		diags = append(diags, p.UnknownRules(ruleIDs, SeverityError)...)
	}
	for _, s := range p.Expired(now) {
		diags = append(diags, Diagnostic{
			File: name, Line: s.expiresLine, Column: s.expiresColumn, Severity: SeverityWarning,
			Message: fmt.Sprintf("suppressions: the suppression on line %d expired at %s and no longer applies", s.Line, s.Expires.Format(time.RFC3339)),
		})
	}
	return sortDiagnostics(diags)
}

func sortDiagnostics(diags []Diagnostic) []Diagnostic {
	sort.SliceStable(diags, func(i, j int) bool {
		if diags[i].Line != diags[j].Line {
			return diags[i].Line < diags[j].Line
		}
		return diags[i].Column < diags[j].Column
	})
	return diags
}

// Tenant returns the tenant the policy says it is for.
func (p *Policy) Tenant() Tenant {
	return p.tenant
}

// Warnings returns the warnings found when the policy was parsed. It does
// not include expired suppressions, which depend on the time; see Check.
func (p *Policy) Warnings() []Diagnostic {
	return slices.Clone(p.warnings)
}

// OutsideBusinessHours reports whether t falls outside business hours: on a
// day or at a time of day the policy does not list, or on a holiday. Days
// and times are read on the wall clock of the policy's time zone.
func (p *Policy) OutsideBusinessHours(t time.Time) bool {
	lt := t.In(p.hours.loc)
	if p.holidays[dateOf(lt)] {
		return true
	}
	return !p.hours.contains(lt)
}

// InChangeWindow returns the name of the first approved change window, in
// file order, that contains t.
func (p *Policy) InChangeWindow(t time.Time) (name string, ok bool) {
	for _, w := range p.windows {
		if w.contains(t) {
			return w.name, true
		}
	}
	return "", false
}

// ApprovedActor reports whether one of ids (an actor's object id, UPN or
// other identifier; empty ones are ignored) is an approved actor. Case does
// not matter.
func (p *Policy) ApprovedActor(ids ...string) bool {
	return p.actors.any(ids...)
}

// ApprovedApp reports whether one of ids (an app id, service principal id
// or display name; empty ones are ignored) is an approved application. Case
// does not matter.
func (p *Policy) ApprovedApp(ids ...string) bool {
	return p.apps.any(ids...)
}

// OwnsDomain reports whether host is one of the owned domains or a
// subdomain of one; "evilcontoso.com" is not under "contoso.com". A port
// and a trailing dot are ignored. configured is false when the policy lists
// no owned domains, in which case ok is always false and callers should
// fall back on what they know of the tenant's domains.
func (p *Policy) OwnsDomain(host string) (ok bool, configured bool) {
	if len(p.domains) == 0 {
		return false, false
	}
	h := normHost(host)
	if h == "" {
		return false, true
	}
	for _, d := range p.domains {
		if underDomain(h, d) {
			return true, true
		}
	}
	return false, true
}

// SecretLifetime returns the longest lifetime allowed for a password
// credential (client secret).
func (p *Policy) SecretLifetime() time.Duration {
	return p.secretMax
}

// CertificateLifetime returns the longest lifetime allowed for a key
// credential (certificate).
func (p *Policy) CertificateLifetime() time.Duration {
	return p.certMax
}

// Level returns the level an alert should have: the override for ruleID if
// there is one, else the override for its guide row, else def.
func (p *Policy) Level(ruleID, row string, def string) string {
	if l, ok := p.ruleLevels[ruleID]; ok {
		return l
	}
	if l, ok := p.rowLevels[row]; ok {
		return l
	}
	return def
}

// expectedChanges says how the level of an alert changes when an approved
// actor acted inside a change window: it becomes level, if the alert's
// level is at most upTo; level "" keeps every alert's level.
type expectedChanges struct {
	level, upTo string
}

// ExpectedChangeLevel returns the level an alert of the given level gets
// when its actor is approved and it fell inside a change window, and
// whether that lowers it. By default every such alert becomes
// informational; the policy's expected_changes section can choose another
// level, spare the alerts above a level, or keep every level.
func (p *Policy) ExpectedChangeLevel(level string) (string, bool) {
	e := p.expected
	if e.level == "" || rank(level) > rank(e.upTo) || rank(level) <= rank(e.level) {
		return level, false
	}
	return e.level, true
}

// rank orders levels: informational is 1, critical 5, anything else 0.
func rank(level string) int { return slices.Index(levels, level) + 1 }

// RuleRef is a rule id the policy names: a suppression's rule pattern or a
// severity override's rule.
type RuleRef struct {
	// ID is the id or pattern as written.
	ID string
	// Pattern is set when ID may match several rules (it holds * or ?).
	Pattern bool
	// Where the id is written.
	Line, Column int
	// Path is where it is in the file, as diagnostics name it
	// (suppressions[2].rule, severity.rules.x).
	Path string
}

// RuleRefs returns the rule ids the policy names, in file order.
func (p *Policy) RuleRefs() []RuleRef { return slices.Clone(p.ruleRefs) }

// UnknownRules returns a diagnostic of severity sev for every rule id the
// policy names that no rule has: a severity override for a rule that does
// not exist, a suppression's rule pattern that matches none. ids are the
// ids of the rules loaded. The closest id is suggested.
func (p *Policy) UnknownRules(ids []string, sev Severity) []Diagnostic {
	var out []Diagnostic
	for _, r := range p.ruleRefs {
		if slices.ContainsFunc(ids, func(id string) bool { return glob(r.ID, id) }) {
			continue
		}
		msg := fmt.Sprintf("no rule has the id %q%s", r.ID, didYouMean(r.ID, ids))
		if r.Pattern {
			msg = fmt.Sprintf("the pattern %q matches no rule", r.ID)
		}
		out = append(out, Diagnostic{File: p.file, Line: r.Line, Column: r.Column, Severity: sev,
			Message: withPath(r.Path, msg+" (see appwatch rules list)")})
	}
	return out
}

// Placeholders returns the values of the named placeholder, written with or
// without the surrounding % signs. The built-in placeholders
// (PlaceholderApprovedActors, PlaceholderApprovedApps,
// PlaceholderOwnedDomains) always exist, possibly empty; values the policy
// lists under the same name are added to them. ok is false for a name that
// is neither built in nor defined by the policy.
func (p *Policy) Placeholders(name string) ([]string, bool) {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "%"), "%")
	var builtin []string
	isBuiltin := true
	switch name {
	case PlaceholderApprovedActors:
		builtin = p.actorList
	case PlaceholderApprovedApps:
		builtin = p.appList
	case PlaceholderOwnedDomains:
		builtin = p.domains
	default:
		isBuiltin = false
	}
	own, isOwn := p.placeholders[name]
	if !isBuiltin && !isOwn {
		return nil, false
	}
	out := make([]string, 0, len(builtin)+len(own))
	seen := make(map[string]bool, cap(out))
	for _, v := range slices.Concat(builtin, own) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, true
}
