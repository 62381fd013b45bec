package console

import (
	"cmp"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// historyRow is one credential, permission or owner of an app across
// the snapshots that had it.
type historyRow struct {
	// Name names it: a credential's display name (or key id), a
	// permission, an owner; Sub adds a key id, an API or a user name.
	Name, Sub string
	// Type is its kind in words; On says whether the app registration or
	// the enterprise application holds it.
	Type, On string
	// Level is a permission's risk level.
	Level string
	// Start and End are a credential's validity.
	Start, End  webui.Time
	First, Last webui.Time
	// State is "current", "expired" (a credential still there, past its
	// end) or "removed" (gone from the latest snapshot).
	State string
}

// historyKinds gives the app page's section that shows each kind of
// item.
var historyKinds = map[string]string{
	"credentials": store.ItemCredential, "permissions": store.ItemPermission, "owners": store.ItemOwner,
}

// historyRows returns the rows of records of kind, in p's language.
func historyRows(p *i18n.Printer, records []store.AppRecord, kind string, now time.Time) []historyRow {
	var out []historyRow
	for _, r := range records {
		if r.Kind != kind {
			continue
		}
		d := func(k string) string { s, _ := r.Detail[k].(string); return s }
		h := historyRow{First: webui.TimeOf(r.First), Last: webui.TimeOf(r.Last), State: "current"}
		if r.Gone {
			h.State = "removed"
		}
		if on := d("on"); on != "" {
			h.On = p.Sprintf(map[string]string{"application": "console.entra-registration", "servicePrincipal": "console.entra-enterprise"}[on])
		}
		switch kind {
		case store.ItemCredential:
			h.Name, h.Sub = cmp.Or(d("name"), d("hint"), d("key_id"), d("issuer")), d("key_id")
			if d("type") == "federated" {
				h.Name, h.Sub = cmp.Or(d("name"), d("issuer")), d("issuer")+" · "+d("subject")
			}
			h.Type = p.Sprintf("console.history.type." + d("type"))
			start, _ := time.Parse(time.RFC3339, d("start"))
			end, _ := time.Parse(time.RFC3339, d("end"))
			h.Start, h.End = webui.TimeOf(start), webui.TimeOf(end)
			if !r.Gone && !end.IsZero() && end.Before(now) {
				h.State = "expired"
			}
		case store.ItemPermission:
			h.Name, h.Sub, h.Level = d("permission"), d("api"), d("level")
			h.Type = p.Sprintf("console.history.type." + d("type"))
			if c := d("consent"); c != "" {
				h.Type += " · " + p.Sprintf("console.history.consent."+c)
			}
		case store.ItemOwner:
			h.Name, h.Sub = cmp.Or(d("name"), d("upn"), d("id")), d("upn")
			if h.Sub == h.Name {
				h.Sub = ""
			}
			h.Type = d("type")
			if h.Type == "user" || h.Type == "servicePrincipal" {
				h.Type = p.Sprintf("console.history.type." + h.Type)
			}
		}
		out = append(out, h)
	}
	return out
}

// credentialChart draws the validity of an app's credentials as bars on
// a time axis, with today marked, in SVG user units.
type credentialChart struct {
	Width, Height float64
	Plot          webui.Rect
	Bars          []credentialBar
	XTicks        []webui.Tick
	// Now is today's x; NowText says it.
	Now     float64
	NowText string
	From    webui.Time
	To      webui.Time
}

// credentialBar is one credential's validity.
type credentialBar struct {
	webui.Rect
	State, Label string
	// LabelY places its name, left of the plot.
	LabelY float64
}

// clip shortens s to n characters, ending it with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Geometry of the credential chart, in SVG user units.
const (
	credWidth  = 720
	credRow    = 26
	credPadTop = 8
	credPadBot = 28
	credLabels = 190 // the width of the credentials' names, left of the bars
	credPadEnd = 12
	credLabel  = 26 // the most characters of a name shown
)

// newCredentialChart lays out the credentials of rows that have a
// validity; nil when none has.
func newCredentialChart(rows []historyRow, now time.Time) *credentialChart {
	type span struct {
		from, to time.Time
		row      historyRow
	}
	var spans []span
	from, to := now, now
	for _, r := range rows {
		s, e := parseTime(r.Start), parseTime(r.End)
		if s.IsZero() || e.IsZero() || !e.After(s) {
			continue
		}
		spans = append(spans, span{s, e, r})
		from, to = minTime(from, s), maxTime(to, e)
	}
	if len(spans) == 0 {
		return nil
	}
	total := to.Sub(from)
	c := &credentialChart{Width: credWidth, Height: float64(credPadTop + credRow*len(spans) + credPadBot),
		From: webui.TimeOf(from), To: webui.TimeOf(to)}
	c.Plot = webui.Rect{X: credLabels, Y: credPadTop, W: credWidth - credLabels - credPadEnd, H: float64(credRow * len(spans))}
	x := func(t time.Time) float64 { return c.Plot.X + c.Plot.W*float64(t.Sub(from))/float64(total) }
	c.Now, c.NowText = x(now), now.UTC().Format(time.DateOnly)
	for i, s := range spans {
		y := c.Plot.Y + float64(i*credRow)
		b := credentialBar{Rect: webui.Rect{X: x(s.from), Y: y + 4, W: max(x(s.to)-x(s.from), 2), H: credRow - 8},
			State: s.row.State, Label: clip(s.row.Name, credLabel), LabelY: y + credRow/2 + 4}
		c.Bars = append(c.Bars, b)
	}
	step := max(1, (to.Year()-from.Year())/8)
	for y := from.Year() + 1; y <= to.Year(); y += step {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		c.XTicks = append(c.XTicks, webui.Tick{Pos: x(t), Label: strconv.Itoa(y)})
	}
	return c
}

func parseTime(t webui.Time) time.Time {
	v, _ := time.Parse(time.RFC3339, t.Datetime)
	return v
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
