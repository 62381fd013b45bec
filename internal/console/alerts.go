package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// Filter parameters of the alerts page, as URLs carry them.
const (
	paramTenant   = "tenant"
	paramRow      = "row"
	paramLevel    = "level"
	paramStatus   = "status"
	paramApp      = "app"
	paramActor    = "actor"
	paramOutside  = "outside"
	paramRange    = "range"
	paramSince    = "since"
	paramUntil    = "until"
	paramAssignee = "assignee"
	paramGroup    = "group"
	paramAfter    = "after"
	paramRule     = "rule"
	// paramNew marks as new the alerts stored after the sequence number
	// it gives: the alerts the live notice announced.
	paramNew = "new"
)

// facetParams gives the URL parameter of each facet.
var facetParams = map[string]string{
	store.FacetTenant: paramTenant, store.FacetRow: paramRow, store.FacetLevel: paramLevel,
	store.FacetStatus: paramStatus, store.FacetApp: paramApp, store.FacetActor: paramActor,
	store.FacetOutside: paramOutside,
}

// ranges are the time ranges the alerts page offers.
var ranges = []struct {
	Name string
	D    time.Duration
}{{"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}, {"90d", 90 * 24 * time.Hour}}

// maxValues bounds the values of one filter a URL may carry.
const maxValues = 50

// filter is the filter of the alerts page as its URL gives it.
type filter struct {
	Query store.Query
	// Range is one of ranges' names, or "" for all time or for Since and
	// Until given as dates (YYYY-MM-DD, UTC).
	Range, Since, Until string
	Group               string // "", "app" or "row"
	Values              url.Values
}

// parseFilter reads the filter of the alerts page from q.
func (c *Console) parseFilter(q url.Values) filter {
	f := filter{Values: url.Values{}}
	list := func(param string) []string {
		var out []string
		for _, v := range q[param] {
			if v = strings.TrimSpace(v); v != "" && len(v) <= 256 && !slices.Contains(out, v) && len(out) < maxValues {
				out = append(out, v)
			}
		}
		if len(out) > 0 {
			f.Values[param] = out
		}
		return out
	}
	f.Query.Tenants, f.Query.Rows, f.Query.Levels = list(paramTenant), list(paramRow), list(paramLevel)
	f.Query.Statuses, f.Query.Apps, f.Query.Actors = list(paramStatus), list(paramApp), list(paramActor)
	f.Query.RuleIDs = list(paramRule)
	if a := strings.TrimSpace(q.Get(paramAssignee)); a != "" && len(a) <= 200 {
		f.Query.Assignee = a
		f.Values.Set(paramAssignee, a)
	}
	if q.Get(paramOutside) == "true" {
		f.Query.OutsideHours = true
		f.Values.Set(paramOutside, "true")
	}
	now := c.now()
	for _, r := range ranges {
		if q.Get(paramRange) == r.Name {
			f.Range, f.Query.Since = r.Name, now.Add(-r.D)
			f.Values.Set(paramRange, r.Name)
		}
	}
	if f.Range == "" {
		if t, err := time.Parse(time.DateOnly, q.Get(paramSince)); err == nil {
			f.Since, f.Query.Since = q.Get(paramSince), t
			f.Values.Set(paramSince, f.Since)
		}
		if t, err := time.Parse(time.DateOnly, q.Get(paramUntil)); err == nil {
			f.Until, f.Query.Until = q.Get(paramUntil), t.Add(24*time.Hour)
			f.Values.Set(paramUntil, f.Until)
		}
	}
	switch g := q.Get(paramGroup); g {
	case "app", "row":
		f.Group = g
		f.Values.Set(paramGroup, g)
	}
	return f
}

// with returns the URL of the alerts page with f's filter, changed by
// change (which gets a copy of the values).
func (f filter) with(change func(url.Values)) string {
	v := url.Values{}
	for k, vs := range f.Values {
		v[k] = slices.Clone(vs)
	}
	if change != nil {
		change(v)
	}
	if len(v) == 0 {
		return "/alerts"
	}
	return "/alerts?" + v.Encode()
}

// alertsView is the alerts page.
type alertsView struct {
	Filter     filter
	Facets     []facetView
	Ranges     []string
	Total      int64
	Alerts     []alertRow
	Groups     []groupView
	Next       string // the next page's URL, "" on the last
	First      string // the first page's URL, "" on it
	Live       liveView
	Any        bool // a filter is set
	ClearURL   string
	AssignedTo string
	RuleIDs    []string
}

// facetView is one facet's choices.
type facetView struct {
	Name, Param, Legend string
	Values              []facetChoice
}

// facetChoice is one value of a facet, with its count.
type facetChoice struct {
	ID, Value, Label string
	N                int64
	Checked          bool
}

// alertRow is an alert in a list.
type alertRow struct {
	Key, Href        string
	Level, Title     string
	Row, RowName     string
	Time             webui.Time
	AppID, App       string
	AppHref          string
	Actor            string
	Status, Assignee string
	Verdict          string
	Outside          bool
	// New marks an alert stored since the page was last drawn.
	New bool
}

// groupView is a group of alerts of one app (and guide row).
type groupView struct {
	AppID, App, AppHref string
	Row, RowName        string
	ByLevel             []levelCount
	N                   int64
	Latest              webui.Time
	Href                string
}

type levelCount struct {
	Level string
	N     int64
}

func (c *Console) alertsPage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	f := c.parseFilter(r.URL.Query())
	ctx := r.Context()
	v := alertsView{Filter: f, Any: len(f.Values) > 0 && (len(f.Values) > 1 || f.Group == ""), ClearURL: "/alerts", AssignedTo: f.Query.Assignee, RuleIDs: f.Query.RuleIDs}
	for _, rg := range ranges {
		v.Ranges = append(v.Ranges, rg.Name)
	}
	facets, err := c.store.Facets(ctx, f.Query)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v.Facets = facetViews(p, f, facets)
	for _, fv := range facets[store.FacetStatus] {
		if len(f.Query.Statuses) == 0 || slices.Contains(f.Query.Statuses, fv.Value) {
			v.Total += fv.N
		}
	}
	if f.Group != "" {
		groups, err := c.store.Groups(ctx, f.Query, f.Group == "row")
		if err != nil {
			c.serverError(w, r, err)
			return
		}
		v.Groups = c.groupViews(p, f, groups)
	} else {
		var after *store.Cursor
		if s := r.URL.Query().Get(paramAfter); s != "" {
			if cur, err := store.ParseCursor(s); err == nil {
				after = &cur
				v.First = f.with(nil)
			}
		}
		list, next, err := c.store.List(ctx, f.Query, after, c.opts.PageSize)
		if err != nil {
			c.serverError(w, r, err)
			return
		}
		fresh, _ := strconv.ParseInt(r.URL.Query().Get(paramNew), 10, 64)
		for i := range list {
			row := c.row(p, &list[i])
			row.New = fresh > 0 && list[i].Seq > fresh
			v.Alerts = append(v.Alerts, row)
		}
		if next != nil {
			v.Next = f.with(func(u url.Values) { u.Set(paramAfter, next.String()) })
		}
	}
	newest, err := c.store.Newest(ctx)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v.Live = c.live(f, newest, 0)
	c.render(w, r, http.StatusOK, "alerts", page{Title: "console.nav.alerts", Nav: "alerts", Data: v})
}

func withParam(vals url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vs := range vals {
		out[key] = slices.Clone(vs)
	}
	out.Set(k, v)
	return out
}

// facetViews returns the facets to draw: every value counted, and the
// values chosen even when no alert has them now.
func facetViews(p *i18n.Printer, f filter, counts map[string][]store.FacetValue) []facetView {
	var out []facetView
	for _, name := range store.FacetNames() {
		param := facetParams[name]
		chosen := f.Values[param]
		fv := facetView{Name: name, Param: param, Legend: "console.facet." + name}
		seen := map[string]bool{}
		for _, c := range counts[name] {
			if name == store.FacetOutside && c.Value != "true" {
				continue
			}
			seen[c.Value] = true
			fv.Values = append(fv.Values, facetChoice{Value: c.Value, Label: facetLabel(p, name, c), N: c.N, Checked: slices.Contains(chosen, c.Value)})
		}
		for _, v := range chosen {
			if !seen[v] {
				fv.Values = append(fv.Values, facetChoice{Value: v, Label: facetLabel(p, name, store.FacetValue{Value: v}), Checked: true})
			}
		}
		if name == store.FacetLevel {
			slices.SortStableFunc(fv.Values, func(a, b facetChoice) int { return cmp.Compare(alert.Rank(b.Value), alert.Rank(a.Value)) })
		}
		for i := range fv.Values {
			fv.Values[i].ID = "f-" + param + "-" + strconv.Itoa(i)
		}
		if len(fv.Values) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

// facetLabel is how a facet's value is shown.
func facetLabel(p *i18n.Printer, facet string, v store.FacetValue) string {
	switch facet {
	case store.FacetRow:
		return p.Row(v.Value)
	case store.FacetLevel:
		return p.Level(v.Value)
	case store.FacetStatus:
		return p.Sprintf("console.status." + v.Value)
	case store.FacetOutside:
		return p.Sprintf("ctx.outside-hours")
	}
	if v.Value == "" {
		return p.Sprintf("console.none")
	}
	return cmp.Or(v.Label, v.Value)
}

// row returns the view of a stored alert in a list.
func (c *Console) row(p *i18n.Printer, s *store.Stored) alertRow {
	a := &s.Alert
	return alertRow{
		Key: a.AlertKey, Href: "/alerts/" + url.PathEscape(a.AlertKey),
		Level: a.Level, Title: c.title(p, a), Row: a.GuideRow, RowName: p.Row(a.GuideRow),
		Time: webui.TimeOf(s.Sort), AppID: a.Target.AppID, App: cmp.Or(a.Target.Name, a.Target.AppID),
		AppHref: appHref(a.Target.AppID), Actor: webui.ActorName(a.Actor),
		Status: a.Status, Assignee: s.Assignee, Verdict: s.Verdict, Outside: a.OutsideBusinessHours,
	}
}

// title is the alert's title in p's language, when its rule is known.
func (c *Console) title(p *i18n.Printer, a *alert.Alert) string {
	if r := c.rules[a.RuleID]; r != nil {
		if t := r.Text(p.Lang()).Title; t != "" {
			return t
		}
	}
	return cmp.Or(a.Title, a.RuleID)
}

func appHref(appID string) string {
	if appID == "" {
		return ""
	}
	return "/apps/" + url.PathEscape(appID)
}

func (c *Console) groupViews(p *i18n.Printer, f filter, groups []store.Group) []groupView {
	var out []groupView
	for _, g := range groups {
		gv := groupView{
			AppID: g.AppID, App: cmp.Or(g.AppName, g.AppID, p.Sprintf("console.none")), AppHref: appHref(g.AppID),
			Row: g.Row, RowName: p.Row(g.Row), N: g.N, Latest: webui.TimeOf(g.Latest),
		}
		for _, l := range webui.Levels() {
			if n := g.ByLevel[alert.Rank(l)]; n > 0 {
				gv.ByLevel = append(gv.ByLevel, levelCount{l, n})
			}
		}
		gv.Href = f.with(func(u url.Values) {
			u.Del(paramGroup)
			u[paramApp] = []string{g.AppID}
			if g.Row != "" {
				u[paramRow] = []string{g.Row}
			}
		})
		out = append(out, gv)
	}
	return out
}

// liveView is the notice of new alerts, and the poll that keeps it
// up to date.
type liveView struct {
	// URL is what the poll asks: the page's filter, the newest alert
	// stored when the page was drawn, and the count shown.
	URL  string
	Poll int
	N    int64
	Show string
}

// paramSeen and paramShown are the poll's parameters: the newest alert
// when the page was drawn, and how many new alerts the page shows now.
const (
	paramSeen  = "seen"
	paramShown = "shown"
)

// live returns the notice of n alerts stored after seen that filter f
// selects.
func (c *Console) live(f filter, seen, n int64) liveView {
	v := liveView{N: n, Poll: int(c.opts.Poll / time.Second)}
	u := withParam(f.Values, paramSeen, strconv.FormatInt(seen, 10))
	u.Set(paramShown, strconv.FormatInt(n, 10))
	v.URL = "/alerts/live?" + u.Encode()
	v.Show = f.with(func(u url.Values) {
		if seen > 0 {
			u.Set(paramNew, strconv.FormatInt(seen, 10))
		}
	})
	return v
}

// alertsLive answers the alerts page's polling: how many alerts the
// page's filter selects among those stored since it was drawn, with the
// link that draws the list again with those marked new. When the count
// is the one the page shows, it answers 204, which htmx leaves alone,
// so the notice is not redrawn under the reader's pointer.
func (c *Console) alertsLive(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := c.parseFilter(q)
	seen, _ := strconv.ParseInt(q.Get(paramSeen), 10, 64)
	shown, _ := strconv.ParseInt(q.Get(paramShown), 10, 64)
	n, err := c.store.CountSince(r.Context(), f.Query, seen)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if n == shown {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	c.fragment(w, r, "alerts", "live", c.live(f, seen, n))
}
