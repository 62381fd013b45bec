package console

import (
	"cmp"
	"net/http"
	"net/url"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// postureSource is the name under which appwatch watch stores posture
// findings and the changes found between snapshots.
const postureSource = "posture"

// appsView is the list of applications.
type appsView struct {
	Apps []groupView
}

func (c *Console) appsPage(w http.ResponseWriter, r *http.Request) {
	p := i18n.NewPrinter(sessionOf(r).Lang)
	groups, err := c.store.Groups(r.Context(), store.Query{}, false)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v := appsView{}
	for _, g := range c.groupViews(p, filter{}, groups) {
		if g.AppID != "" {
			v.Apps = append(v.Apps, g)
		}
	}
	c.render(w, r, http.StatusOK, "apps", page{Title: "console.nav.apps", Nav: "apps", Data: v})
}

// appView is everything about one application.
type appView struct {
	AppID, Name string
	Entra       []link
	ByLevel     []levelCount
	ByStatus    []store.FacetValue
	Total       int64
	AlertsHref  string
	// Sections are the app's alerts by the guide's sections: credentials
	// (its credential timeline), permissions and consent, owners, the
	// other configuration changes, and the rest.
	Sections []appSection
	Findings []alertRow
	// Snapshot is when the latest snapshot was taken; zero without one.
	Snapshot webui.Time
}

type appSection struct {
	ID, Heading string
	Alerts      []alertRow
	More        string // the alerts page of the section, when it has more
	// History is what the snapshots held of the section's kind of item
	// (credentials, permissions, owners); Chart draws the credentials'
	// validity. HasHistory says the section has a kind of item.
	HasHistory bool
	History    []historyRow
	Chart      *credentialChart
}

// appSections are the app page's sections, by the guide rows they show.
var appSections = []struct {
	ID   string
	Rows func(string) bool
}{
	{"credentials", func(r string) bool { return i18n.SectionOf(r) == i18n.SectionCredentials }},
	{"permissions", func(r string) bool { return i18n.SectionOf(r) == i18n.SectionPermissions }},
	{"owners", func(r string) bool { return r == "owner-added" }},
	{"configuration", func(r string) bool { return i18n.SectionOf(r) == i18n.SectionConfiguration && r != "owner-added" }},
	{"signins", func(r string) bool {
		s := i18n.SectionOf(r)
		return s == i18n.SectionAuthFlows || s == i18n.SectionKeyVault || s == i18n.SectionOther
	}},
}

// appSectionSize bounds the alerts each section of the app page lists.
const appSectionSize = 25

func (c *Console) appPage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	ctx := r.Context()
	app := r.PathValue("app")
	q := store.Query{Apps: []string{app}}
	facets, err := c.store.Facets(ctx, q)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	history, taken, err := c.store.AppHistory(ctx, postureSource, app)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if len(facets[store.FacetStatus]) == 0 && len(history) == 0 {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	}
	v := appView{AppID: app, ByStatus: facets[store.FacetStatus], AlertsHref: "/alerts?" + url.Values{paramApp: {app}}.Encode(),
		Snapshot: webui.TimeOf(taken)}
	v.Name = app
	for _, f := range facets[store.FacetApp] {
		if f.Value == app {
			v.Name = cmp.Or(f.Label, app)
		}
	}
	byLevel := map[string]int64{}
	for _, f := range facets[store.FacetLevel] {
		byLevel[f.Value] = f.N
		v.Total += f.N
	}
	for _, l := range webui.Levels() {
		if byLevel[l] > 0 {
			v.ByLevel = append(v.ByLevel, levelCount{l, byLevel[l]})
		}
	}
	var rowsPresent []string
	for _, f := range facets[store.FacetRow] {
		rowsPresent = append(rowsPresent, f.Value)
	}
	for _, sec := range appSections {
		var rows []string
		for _, row := range rowsPresent {
			if sec.Rows(row) {
				rows = append(rows, row)
			}
		}
		as := appSection{ID: sec.ID, Heading: p.Sprintf("console.app-section." + sec.ID)}
		if kind, ok := historyKinds[sec.ID]; ok {
			as.HasHistory, as.History = true, historyRows(p, history, kind, c.now())
			if kind == store.ItemCredential {
				as.Chart = newCredentialChart(as.History, c.now())
			}
		}
		if len(rows) > 0 {
			list, next, err := c.store.List(ctx, store.Query{Apps: []string{app}, Rows: rows}, nil, appSectionSize)
			if err != nil {
				c.serverError(w, r, err)
				return
			}
			for i := range list {
				as.Alerts = append(as.Alerts, c.row(p, &list[i]))
			}
			if next != nil {
				as.More = "/alerts?" + url.Values{paramApp: {app}, paramRow: rows}.Encode()
			}
		}
		v.Sections = append(v.Sections, as)
	}
	findings, _, err := c.store.List(ctx, store.Query{Apps: []string{app}, Sources: []string{postureSource},
		Statuses: []string{alert.StatusOpen, alert.StatusAcknowledged}}, nil, appSectionSize)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	var target alert.Target
	for i := range findings {
		v.Findings = append(v.Findings, c.row(p, &findings[i]))
	}
	latest, _, err := c.store.List(ctx, q, nil, 20)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	for _, s := range latest {
		if t := s.Alert.Target; t.AppID == app && (target.ID == "" || t.Type == "ServicePrincipal") {
			target = t
		}
	}
	v.Entra = entraLinks(p, target)
	if len(latest) > 0 && latest[0].Alert.Target.Name != "" {
		v.Name = latest[0].Alert.Target.Name
	}
	c.render(w, r, http.StatusOK, "app", page{Heading: v.Name, Nav: "apps", Data: v})
}
