package scan

import (
	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/sigma"
)

// correlationAlert builds the alert of a correlation rule's result. Actor,
// target, source and where the time fell (business hours, change window)
// are those of the last contributing event, the one that completed the
// pattern; the correlation lists every contribution.
func correlationAlert(meta *alert.Rule, r *sigma.CorrelationResult, lang string) alert.Alert {
	parts := contributions(r)
	var last alert.Alert
	if len(parts) > 0 {
		last = parts[len(parts)-1]
	}
	t := meta.Text(lang)
	a := alert.Alert{
		GuideRow:      meta.GuideRow,
		RuleID:        meta.ID,
		Title:         t.Title,
		Level:         meta.Level,
		Time:          alert.FormatTime(r.End),
		EventID:       last.EventID,
		TenantID:      last.TenantID,
		Actor:         last.Actor,
		Target:        last.Target,
		Attack:        append([]string{}, meta.Attack...),
		Source:        last.Source,
		Description:   t.Description,
		Remediation:   t.Remediation,
		CorrelationID: last.CorrelationID,
		ChangeWindow:  last.ChangeWindow,
		// The contributions are alerts as FromEvent built them, before
		// raise applied change windows to this field.
		OutsideBusinessHours: last.OutsideBusinessHours,
		Correlation: &alert.Correlation{
			Group: map[string]string{},
			Start: alert.FormatTime(r.Start),
			End:   alert.FormatTime(r.End),
		},
	}
	for i, g := range r.GroupBy {
		if i < len(r.Group) {
			a.Correlation.Group[g] = r.Group[i]
		}
	}
	steps := make([]map[string]any, 0, len(parts))
	for _, p := range parts {
		a.Correlation.Events = append(a.Correlation.Events, alert.EventRef{
			RuleID: p.RuleID, EventID: p.EventID, Time: p.Time, Activity: activityOf(p), Source: p.Source,
		})
		steps = append(steps, map[string]any{"rule_id": p.RuleID, "time": p.Time, "evidence": p.Evidence})
	}
	a.Evidence = map[string]any{"group": a.Correlation.Group, "steps": steps, "count": r.Count}
	return a
}

// contributions flattens a result into the alerts of the detection hits
// behind it, in time order, following inner correlation results.
func contributions(r *sigma.CorrelationResult) []alert.Alert {
	var out []alert.Alert
	for _, c := range r.Events {
		switch ref := c.Ref.(type) {
		case *alert.Alert:
			out = append(out, *ref)
		case *sigma.CorrelationResult:
			out = append(out, contributions(ref)...)
		}
	}
	return out
}

func activityOf(a alert.Alert) string {
	if s, ok := a.Evidence["activity"].(string); ok {
		return s
	}
	return ""
}
