package webui

import (
	"cmp"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Alert is one alert or posture finding as the "alert" partial draws it:
// an expandable entry whose summary line says level, time, title, who
// and what, and whose body holds the explanation, the decoded evidence,
// ATT&CK techniques, remediation, the business-hours context and where
// the record was read.
type Alert struct {
	// Anchor is the element id of the entry, unique in its page.
	Anchor   string
	Level    string
	Title    string
	Time     Time
	GuideRow string
	RuleID   string
	// Actor and Target are short names for the summary line; ActorFields
	// and TargetFields hold everything known about them.
	Actor, Target             string
	ActorFields, TargetFields []Field
	// Why holds short clauses saying why the alert fired.
	Why         []string
	Description string
	Remediation string
	Attack      []Technique
	// OutsideHours says the activity fell outside business hours or
	// outside every change window; ChangeWindow names the window it fell
	// in; ApprovedActor says the actor is approved by the policy.
	OutsideHours  bool
	ChangeWindow  string
	ApprovedActor bool
	Evidence      Value
	Source        Source
	EventID       string
	TenantID      string
	CorrelationID string
	// Related lists the records behind a correlation rule's alert.
	Related []Related
}

// Time is an instant as pages show it: in UTC, with the machine-readable
// form for a <time> element. Text is the raw value when it could not be
// read as a time, and empty when there was none.
type Time struct {
	Text     string
	Datetime string
}

// Technique is an ATT&CK technique id and its page, empty for ids not
// shaped like one.
type Technique struct {
	ID  string
	URL string
}

// Source says where an alert's record was read.
type Source struct {
	Format string
	File   string
	// Line is the line the record starts on, 0 when unknown; Index is
	// the record's position in the file.
	Line, Index int
}

// Related is one record behind a correlation rule's alert.
type Related struct {
	Time     Time
	RuleID   string
	Activity string
	EventID  string
	Source   Source
}

// Field is one named value.
type Field struct {
	Name  string
	Value Value
}

// TimeFormat is how pages write an instant, always followed by "UTC".
const TimeFormat = "2006-01-02 15:04:05"

// FormatTime returns s, an RFC 3339 time, as pages show it. A value that
// does not parse is shown as it is.
func FormatTime(s string) Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Time{Text: s}
	}
	return TimeOf(t)
}

// TimeOf returns t as pages show it.
func TimeOf(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	t = t.UTC()
	return Time{Text: t.Format(TimeFormat) + " UTC", Datetime: t.Format(time.RFC3339)}
}

// NewAlert returns the view of a, titled and explained by the caller:
// text holds the rule's title, description and remediation in the page's
// language, and why the clauses explaining the alert. Empty texts fall
// back to the alert's own.
func NewAlert(a *alert.Alert, text alert.Text, why []string) Alert {
	text = text.Or(alert.Text{Title: a.Title, Description: a.Description, Remediation: a.Remediation})
	v := Alert{
		Level:         a.Level,
		Title:         cmp.Or(text.Title, a.RuleID),
		Time:          FormatTime(a.Time),
		GuideRow:      a.GuideRow,
		RuleID:        a.RuleID,
		Actor:         ActorName(a.Actor),
		Target:        TargetName(a.Target),
		ActorFields:   fields("type", a.Actor.Type, "name", a.Actor.Name, "upn", a.Actor.UPN, "id", a.Actor.ID, "ip", a.Actor.IP),
		TargetFields:  fields("type", a.Target.Type, "name", a.Target.Name, "app_id", a.Target.AppID, "id", a.Target.ID),
		Why:           why,
		Description:   text.Description,
		Remediation:   text.Remediation,
		OutsideHours:  a.OutsideBusinessHours,
		ChangeWindow:  a.ChangeWindow,
		ApprovedActor: a.ApprovedActor,
		Evidence:      Decode(a.Evidence),
		Source:        sourceOf(a.Source),
		EventID:       a.EventID,
		TenantID:      a.TenantID,
		CorrelationID: a.CorrelationID,
	}
	for _, id := range a.Attack {
		v.Attack = append(v.Attack, Technique{ID: id, URL: AttackURL(id)})
	}
	if c := a.Correlation; c != nil {
		for _, e := range c.Events {
			v.Related = append(v.Related, Related{Time: FormatTime(e.Time), RuleID: e.RuleID, Activity: e.Activity, EventID: e.EventID, Source: sourceOf(e.Source)})
		}
	}
	return v
}

// ActorName is the best short name of an actor.
func ActorName(a alert.Actor) string {
	return cmp.Or(a.UPN, a.Name, a.ID, a.IP, a.Type)
}

// TargetName is the best short name of a target.
func TargetName(t alert.Target) string {
	return cmp.Or(t.Name, t.AppID, t.ID, t.Type)
}

func sourceOf(s alert.Source) Source {
	return Source{Format: s.Format, File: s.File, Line: s.Line, Index: s.Index}
}

// fields returns the non-empty values of name, value pairs.
func fields(kv ...string) []Field {
	var out []Field
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, Field{Name: kv[i], Value: Value{Text: kv[i+1]}})
		}
	}
	return out
}

// Location writes the source as file:line, or file#index when the line
// is unknown.
func (s Source) Location() string {
	if s.File == "" {
		return ""
	}
	if s.Line > 0 {
		return s.File + ":" + strconv.Itoa(s.Line)
	}
	return s.File + "#" + strconv.Itoa(s.Index)
}
