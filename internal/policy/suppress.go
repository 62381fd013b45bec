package policy

import (
	"slices"
	"strings"
	"time"
)

// AlertFacts are the facts about an alert that suppressions match on.
type AlertFacts struct {
	RuleID   string
	GuideRow string
	// Actor holds whatever identifies the actor: object id, UPN, name.
	Actor []string
	// Target holds whatever identifies the targets: ids, app ids, names.
	Target []string
	// AppID is the application (client) id the alert concerns.
	AppID string
}

// Suppression silences the alerts it matches until it expires. Every field
// that is set must match; patterns ignore case, and in them "*" stands for
// any run of characters and "?" for one character.
type Suppression struct {
	Rule     string   // pattern for the rule id; empty matches any rule
	GuideRow string   // pattern for the guide row; empty matches any row
	Actor    []string // patterns of which one must match an actor identifier
	Target   []string // patterns of which one must match a target identifier
	AppID    []string // patterns of which one must match the app id
	Reason   string   // why the alerts are expected
	// Expires is the first instant at which the suppression no longer
	// applies.
	Expires time.Time
	// Line is where the suppression starts in the policy file.
	Line int

	expiresLine, expiresColumn int
}

// Suppression returns the first suppression, in file order, that matches a
// and has not expired at the time at (usually the time of the run).
func (p *Policy) Suppression(a AlertFacts, at time.Time) (*Suppression, bool) {
	for _, s := range p.suppressions {
		if at.Before(s.Expires) && s.matches(a) {
			c := s.clone()
			return &c, true
		}
	}
	return nil, false
}

// Expired returns the suppressions that no longer apply at the time at.
func (p *Policy) Expired(at time.Time) []Suppression {
	var out []Suppression
	for _, s := range p.suppressions {
		if !at.Before(s.Expires) {
			out = append(out, s.clone())
		}
	}
	return out
}

// clone copies s so that callers cannot change the policy's own lists.
func (s *Suppression) clone() Suppression {
	c := *s
	c.Actor = slices.Clone(s.Actor)
	c.Target = slices.Clone(s.Target)
	c.AppID = slices.Clone(s.AppID)
	return c
}

func (s *Suppression) matches(a AlertFacts) bool {
	return matchOne(s.Rule, a.RuleID) &&
		matchOne(s.GuideRow, a.GuideRow) &&
		matchList(s.Actor, a.Actor...) &&
		matchList(s.Target, a.Target...) &&
		matchList(s.AppID, a.AppID)
}

// matchOne matches a single optional pattern.
func matchOne(pattern, value string) bool {
	return pattern == "" || glob(pattern, value)
}

// matchList matches an optional list of patterns against the non-empty
// values.
func matchList(patterns []string, values ...string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, v := range values {
		if v != "" && matchAny(patterns, v) {
			return true
		}
	}
	return false
}

// silencesAll reports whether the suppression matches every alert.
func (s *Suppression) silencesAll() bool {
	return matchesAll(s.Rule) && matchesAll(s.GuideRow) &&
		len(s.Actor) == 0 && len(s.Target) == 0 && len(s.AppID) == 0
}

// matchesAll reports whether an optional pattern matches any value.
func matchesAll(pattern string) bool {
	return strings.Trim(pattern, "*") == ""
}
