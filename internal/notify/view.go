package notify

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/sink"
)

// entraAdminCenter is the Microsoft Entra admin center, where the links
// of a chat message lead.
const entraAdminCenter = "https://entra.microsoft.com/"

// view is an alert as a chat message shows it, in one language: what the
// Teams and Slack sinks lay out, each in its own format. Every string in
// it is plain text, not yet escaped for any format.
type view struct {
	Title       string
	Level       string // the level's key, for colours
	Facts       []fact // level, row, time, actor, target, hours, ATT&CK, rule, key, tenant
	Why         []string
	Evidence    []fact
	Remediation string
	Links       []link
	// Line is the alert in one line, for a list of grouped alerts.
	Line string
}

// fact is one labelled value.
type fact struct{ Name, Value string }

// link is a labelled URL.
type link struct{ Title, URL string }

// labels are the headings of a message, in its language.
type labels struct {
	Why, Evidence, Remediation, Truncated string
}

func labelsOf(p *i18n.Printer) labels {
	return labels{
		Why:         p.Sprintf("col.why"),
		Evidence:    p.Sprintf("col.evidence"),
		Remediation: p.Sprintf("notify.remediation"),
		Truncated:   p.Sprintf("notify.truncated"),
	}
}

// newView lays a out in p's language.
func newView(p *i18n.Printer, a *alert.Alert) view {
	yes := p.Sprintf("notify.no")
	if a.OutsideBusinessHours {
		yes = p.Sprintf("notify.yes")
	}
	facts := []fact{
		{p.Sprintf("col.level"), p.Level(a.Level)},
		{p.Sprintf("col.row"), rowName(p, a.GuideRow)},
		{p.Sprintf("col.time"), a.Time},
		{p.Sprintf("col.actor"), actorText(a.Actor)},
		{p.Sprintf("col.target"), targetText(a.Target)},
		{p.Sprintf("notify.outside-hours"), yes},
		{"ATT&CK", strings.Join(a.Attack, ", ")},
		{p.Sprintf("col.rule"), a.RuleID},
		{p.Sprintf("notify.alert-key"), a.AlertKey},
		{p.Sprintf("notify.tenant"), a.TenantID},
	}
	facts = slices.DeleteFunc(facts, func(f fact) bool { return f.Value == "" })
	return view{
		Title:       cmp.Or(a.Title, a.RuleID),
		Level:       a.Level,
		Facts:       facts,
		Why:         sink.Explain(p.Lang(), a),
		Evidence:    flatten(a.Evidence),
		Remediation: a.Remediation,
		Links:       entraLinks(p, a.Target),
		Line:        line(p, a),
	}
}

// rowName is a guide row's short name followed by its key.
func rowName(p *i18n.Printer, row string) string {
	if name := p.Row(row); name != row {
		return name + " (" + row + ")"
	}
	return row
}

// actorText names who acted: their sign-in name or name, and where from.
func actorText(a alert.Actor) string {
	s := cmp.Or(a.UPN, a.Name, a.ID)
	if a.Name != "" && a.UPN != "" {
		s = a.Name + " (" + a.UPN + ")"
	}
	if a.IP != "" {
		s = strings.TrimSpace(s + " · " + a.IP)
	}
	return cmp.Or(s, a.Type)
}

// targetText names what the activity was about, with its application id.
func targetText(t alert.Target) string {
	s := cmp.Or(t.Name, t.ID)
	if t.AppID != "" && t.AppID != s {
		s = strings.TrimSpace(s + " (appId " + t.AppID + ")")
	}
	if t.Type != "" && s != "" {
		s = t.Type + ": " + s
	}
	return s
}

// line is the alert in one line: level, title, actor and target, time.
func line(p *i18n.Printer, a *alert.Alert) string {
	parts := []string{p.Level(a.Level), cmp.Or(a.Title, a.RuleID)}
	who := actorText(a.Actor)
	if what := cmp.Or(a.Target.Name, a.Target.AppID, a.Target.ID); what != "" {
		who += " → " + what
	}
	parts = append(parts, who, a.Time)
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " · ")
}

// entraLinks returns links to the target application's pages in the
// Entra admin center: its app registration (by application id) and, for
// a service principal, its enterprise application (by object id). Ids
// that are not GUIDs give no link, so nothing from a log ends up in a URL
// unchecked.
func entraLinks(p *i18n.Printer, t alert.Target) []link {
	if !isGUID(t.AppID) {
		return nil
	}
	out := []link{{p.Sprintf("notify.app-registration"),
		entraAdminCenter + "#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + t.AppID}}
	if t.Type == "ServicePrincipal" && isGUID(t.ID) {
		out = append(out, link{p.Sprintf("notify.enterprise-app"),
			entraAdminCenter + "#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/" + t.ID + "/appId/" + t.AppID})
	}
	return out
}

// isGUID reports whether s is a GUID written 8-4-4-4-12 in hexadecimal.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}

// flatten lists the evidence as facts named by their path (grant.api,
// credential.added[0].type), sorted by name. A list of plain values is one
// fact, its values joined by commas.
func flatten(ev map[string]any) []fact {
	var out []fact
	var walk func(name string, v any)
	walk = func(name string, v any) {
		switch v := plain(v).(type) {
		case nil:
		case map[string]any:
			for k, x := range v {
				walk(join(name, k), x)
			}
		case []any:
			if s, ok := scalars(v); ok {
				if s != "" {
					out = append(out, fact{name, s})
				}
				return
			}
			for i, x := range v {
				walk(name+"["+strconv.Itoa(i)+"]", x)
			}
		default:
			if s := scalar(v); s != "" {
				out = append(out, fact{name, s})
			}
		}
	}
	walk("", ev)
	slices.SortFunc(out, func(a, b fact) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// plain turns typed values (structs, typed slices and maps, which the
// enrichers may leave in evidence) into the maps, slices and scalars JSON
// decoding gives.
func plain(v any) any {
	switch v.(type) {
	case nil, string, bool, float64, map[string]any, []any:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return string(b)
	}
	return out
}

// scalars joins a list of plain values, or reports that it holds more.
func scalars(vs []any) (string, bool) {
	var parts []string
	for _, v := range vs {
		switch v.(type) {
		case map[string]any, []any:
			return "", false
		}
		if s := scalar(v); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", "), true
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// group is several alerts as one message lists them.
type group struct {
	Title string
	Level string // the most severe level
	Lines []groupLine
	Links []link // the target's pages, when every alert has the same target
}

// groupLine is one alert of a group.
type groupLine struct {
	Level, Text string
}

// newGroup lays out alerts as one message in p's language: a title that
// counts them and names the row and target they share, and a line each.
func newGroup(p *i18n.Printer, alerts []alert.Alert) group {
	g := group{}
	parts := []string{p.Count("summary.alerts", len(alerts))}
	if row, ok := same(alerts, func(a *alert.Alert) string { return a.GuideRow }); ok && row != "" {
		parts = append(parts, p.Row(row))
	}
	target, sameTarget := same(alerts, func(a *alert.Alert) string { return cmp.Or(a.Target.Name, a.Target.AppID, a.Target.ID) })
	if sameTarget && target != "" {
		parts = append(parts, target)
	}
	g.Title = strings.Join(parts, " · ")
	for i := range alerts {
		a := &alerts[i]
		if alert.Rank(a.Level) > alert.Rank(g.Level) {
			g.Level = a.Level
		}
		g.Lines = append(g.Lines, groupLine{a.Level, line(p, a)})
	}
	if _, ok := same(alerts, func(a *alert.Alert) string { return a.Target.Type + "/" + a.Target.ID + "/" + a.Target.AppID }); ok {
		g.Links = entraLinks(p, alerts[0].Target)
	}
	return g
}

// same returns the value key gives every alert, and whether it is the
// same for all of them.
func same(alerts []alert.Alert, key func(*alert.Alert) string) (string, bool) {
	if len(alerts) == 0 {
		return "", false
	}
	v := key(&alerts[0])
	for i := range alerts[1:] {
		if key(&alerts[i+1]) != v {
			return "", false
		}
	}
	return v, true
}
