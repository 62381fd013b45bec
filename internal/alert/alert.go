// Package alert defines appwatch's alerts and posture findings as the
// alert contract (docs/alert-contract.md) describes them, and builds them
// from a rule and the event that matched it.
package alert

import (
	"time"
)

// Levels, in increasing order of severity.
const (
	LevelInformational = "informational"
	LevelLow           = "low"
	LevelMedium        = "medium"
	LevelHigh          = "high"
	LevelCritical      = "critical"
)

var levelRank = map[string]int{LevelInformational: 1, LevelLow: 2, LevelMedium: 3, LevelHigh: 4, LevelCritical: 5}

// Rank orders levels: 0 for an unknown level, then informational (1) to
// critical (5).
func Rank(level string) int { return levelRank[level] }

// ValidLevel reports whether level is one of the five levels.
func ValidLevel(level string) bool { return Rank(level) > 0 }

// Alert is one alert or posture finding. Field names and meanings follow the
// alert contract; the fields after Source are appwatch's additions.
type Alert struct {
	GuideRow string `json:"guide_row"`
	RuleID   string `json:"rule_id"`
	Title    string `json:"title"`
	Level    string `json:"level"`
	// Time is when the activity happened, RFC 3339 UTC; empty when the
	// source does not say.
	Time     string         `json:"time"`
	EventID  string         `json:"event_id"`
	TenantID string         `json:"tenant_id"`
	Actor    Actor          `json:"actor"`
	Target   Target         `json:"target"`
	Evidence map[string]any `json:"evidence"`
	Attack   []string       `json:"attack"`
	// OutsideBusinessHours is true when the activity fell outside the
	// configured business hours, on a holiday, or outside every change
	// window when the policy defines change windows for changes.
	OutsideBusinessHours bool   `json:"outside_business_hours"`
	Source               Source `json:"source"`

	Description string `json:"description,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	// ChangeWindow names the approved change window the activity fell in.
	ChangeWindow string `json:"change_window,omitempty"`
	// ApprovedActor is set when the actor is an approved actor or app.
	ApprovedActor bool `json:"approved_actor,omitempty"`
	// Correlation is set for alerts of correlation rules: the events that
	// together made the rule fire.
	Correlation *Correlation `json:"correlation,omitempty"`
	// CorrelationID is the source record's correlation id.
	CorrelationID string `json:"correlation_id,omitempty"`

	// The fields a watch store adds to the alerts it holds (the watch
	// contract); empty for alerts that were not stored.

	// AlertKey is the alert's stable key: the same rule on the same source
	// record (or correlation window) always gives the same key.
	AlertKey string `json:"alert_key,omitempty"`
	// Status is open, acknowledged, resolved or suppressed.
	Status string `json:"status,omitempty"`
	// FirstSeen is when the alert was stored, RFC 3339 UTC.
	FirstSeen string `json:"first_seen,omitempty"`
}

// Statuses of a stored alert.
const (
	StatusOpen         = "open"
	StatusAcknowledged = "acknowledged"
	StatusResolved     = "resolved"
	StatusSuppressed   = "suppressed"
)

// Actor is who performed the activity.
type Actor struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	UPN  string `json:"upn,omitempty"`
	IP   string `json:"ip,omitempty"`
}

// Target is what the activity was about.
type Target struct {
	Type  string `json:"type,omitempty"`
	ID    string `json:"id,omitempty"`
	AppID string `json:"app_id,omitempty"`
	Name  string `json:"name,omitempty"`
}

// Source says where the alert's evidence was read: the layout, the file
// and the line and record index of the record.
type Source struct {
	Format string `json:"format,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Index  int    `json:"index"`
}

// Correlation describes the events behind a correlation rule's alert.
type Correlation struct {
	// Group holds the values of the rule's group-by fields.
	Group map[string]string `json:"group,omitempty"`
	Start string            `json:"start"`
	End   string            `json:"end"`
	// Events are the contributing records, in time order.
	Events []EventRef `json:"events"`
}

// EventRef points at one record that contributed to an alert.
type EventRef struct {
	RuleID   string `json:"rule_id"`
	EventID  string `json:"event_id,omitempty"`
	Time     string `json:"time,omitempty"`
	Activity string `json:"activity,omitempty"`
	Source   Source `json:"source"`
}

// FormatTime writes t as the contract wants it: RFC 3339 in UTC, or empty
// for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
