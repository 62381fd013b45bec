// Package silence reads and applies silences: an operator's statement
// that the alerts matching some matchers are expected for a while. A
// silenced alert is still stored, with status suppressed, and never
// delivered; silences themselves, and who added and expired them, are
// kept in the store.
//
// A matcher is NAME OP VALUE, as in Alertmanager: OP is = (equal,
// ignoring case), != (not equal), =~ (matches the regular expression,
// anchored at both ends) or !~ (does not match it). NAME is one of row
// (the guide row), rule (the rule id), level, tenant (the tenant id), app
// (the target application's id, object id or name) and actor (the actor's
// id, sign-in name or name). For app and actor, = and =~ hold when one of
// the values matches, != and !~ when none does.
package silence

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
)

// Names lists what a matcher may look at.
func Names() []string { return []string{"row", "rule", "level", "tenant", "app", "actor"} }

// operators, longest first so that "!=" is not read as "!" and "=".
var operators = []string{"=~", "!~", "!=", "="}

// Matcher is one condition of a silence.
type Matcher struct {
	Name, Op, Value string
	re              *regexp.Regexp
}

// ParseMatcher reads NAME OP VALUE, such as row=owner-added or
// actor=~.*@contoso\.com.
func ParseMatcher(s string) (Matcher, error) {
	i := strings.IndexAny(s, "=!")
	if i <= 0 {
		return Matcher{}, i18n.Errorf("matcher %q: write NAME=VALUE, NAME!=VALUE, NAME=~REGEXP or NAME!~REGEXP, NAME one of %s", s, strings.Join(Names(), ", "))
	}
	m := Matcher{Name: strings.TrimSpace(s[:i])}
	for _, op := range operators {
		if v, ok := strings.CutPrefix(s[i:], op); ok {
			m.Op, m.Value = op, strings.TrimSpace(v)
			break
		}
	}
	switch {
	case m.Op == "":
		return Matcher{}, i18n.Errorf("matcher %q: the operator is one of =, !=, =~, !~", s)
	case !slices.Contains(Names(), m.Name):
		return Matcher{}, i18n.Errorf("matcher %q: %q is not one of %s", s, m.Name, strings.Join(Names(), ", "))
	case m.Value == "" && (m.Op == "=" || m.Op == "!="):
		return Matcher{}, i18n.Errorf("matcher %q: no value", s)
	case m.Name == "level" && (m.Op == "=" || m.Op == "!=") && !alert.ValidLevel(strings.ToLower(m.Value)):
		return Matcher{}, i18n.Errorf("matcher %q: %q is not one of informational, low, medium, high, critical", s, m.Value)
	}
	if m.Op == "=~" || m.Op == "!~" {
		re, err := regexp.Compile("^(?:" + m.Value + ")$")
		if err != nil {
			return Matcher{}, i18n.Errorf("matcher %q: %w", s, err)
		}
		m.re = re
	}
	return m, nil
}

// String writes m as ParseMatcher reads it.
func (m Matcher) String() string { return m.Name + m.Op + m.Value }

// Match reports whether a meets m.
func (m Matcher) Match(a *alert.Alert) bool {
	any := slices.ContainsFunc(values(m.Name, a), func(v string) bool {
		if m.re != nil {
			return m.re.MatchString(v)
		}
		return strings.EqualFold(v, m.Value)
	})
	if m.Op == "!=" || m.Op == "!~" {
		return !any
	}
	return any
}

// values returns what the matcher name looks at in a, leaving out empty
// values.
func values(name string, a *alert.Alert) []string {
	var vs []string
	switch name {
	case "row":
		vs = []string{a.GuideRow}
	case "rule":
		vs = []string{a.RuleID}
	case "level":
		vs = []string{a.Level}
	case "tenant":
		vs = []string{a.TenantID}
	case "app":
		vs = []string{a.Target.AppID, a.Target.ID, a.Target.Name}
	case "actor":
		vs = []string{a.Actor.ID, a.Actor.UPN, a.Actor.Name}
	}
	return slices.DeleteFunc(vs, func(v string) bool { return v == "" })
}

// Silence is a silence that applies now: its id and its matchers, all of
// which an alert must meet.
type Silence struct {
	ID       int64
	Matchers []Matcher
	// Expires is the first instant the silence no longer applies.
	Expires time.Time
}

// Parse reads matchers as written. A silence needs at least one, and
// one that matches every alert (such as row=~.*) is refused.
func Parse(matchers []string) ([]Matcher, error) {
	if len(matchers) == 0 {
		return nil, i18n.Errorf("a silence needs at least one matcher")
	}
	out := make([]Matcher, 0, len(matchers))
	for _, s := range matchers {
		m, err := ParseMatcher(s)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if slices.IndexFunc(out, func(m Matcher) bool { return !matchesAll(m) }) < 0 {
		return nil, i18n.Errorf("these matchers match every alert: silence something narrower")
	}
	return out, nil
}

// matchesAll reports whether m holds for every alert, even one without
// the value it looks at.
func matchesAll(m Matcher) bool {
	return m.Op == "=~" && m.re.MatchString("") && (m.Value == ".*" || m.Value == ".*?" || m.Value == "")
}

// Match reports whether a meets every matcher of s.
func (s Silence) Match(a *alert.Alert) bool {
	for _, m := range s.Matchers {
		if !m.Match(a) {
			return false
		}
	}
	return true
}

// Set is the silences that apply at one time.
type Set []Silence

// Match returns the first silence of the set that a meets.
func (set Set) Match(a *alert.Alert) (Silence, bool) {
	for _, s := range set {
		if s.Match(a) {
			return s, true
		}
	}
	return Silence{}, false
}

// Active keeps the silences of a store that apply now, read again when
// they are older than a TTL. It is safe for concurrent use.
type Active struct {
	st  *store.Store
	ttl time.Duration
	now func() time.Time

	mu   sync.Mutex
	set  Set
	read time.Time
}

// NewActive reads the silences of st at most every ttl, by the clock now.
func NewActive(st *store.Store, ttl time.Duration, now func() time.Time) *Active {
	return &Active{st: st, ttl: ttl, now: now}
}

// Set returns the silences that apply now, as read at most ttl ago. A
// stored silence whose matchers this version cannot read is left out and
// reported in the error, with the others returned.
func (a *Active) Set(ctx context.Context) (Set, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if !a.read.IsZero() && now.Sub(a.read) < a.ttl && !now.Before(a.read) {
		return a.active(now), nil
	}
	stored, err := a.st.Silences(ctx, true)
	if err != nil {
		return a.active(now), err
	}
	var errs []error
	a.set, a.read = a.set[:0], now
	for _, sl := range stored {
		ms, err := Parse(sl.Matchers)
		if err != nil {
			errs = append(errs, fmt.Errorf("silence %d: %w", sl.ID, err))
			continue
		}
		a.set = append(a.set, Silence{ID: sl.ID, Matchers: ms, Expires: sl.Expires})
	}
	return a.active(now), errors.Join(errs...)
}

// active returns the silences read last that still apply at now.
func (a *Active) active(now time.Time) Set {
	var out Set
	for _, s := range a.set {
		if now.Before(s.Expires) {
			out = append(out, s)
		}
	}
	return out
}

// Invalidate makes the next Set read the store.
func (a *Active) Invalidate() {
	a.mu.Lock()
	a.read = time.Time{}
	a.mu.Unlock()
}
