package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// Silence thresholds: a source is silent when nothing arrived for three
// times its usual pause, and at least quietFloor; a source that has not
// paused yet is silent after quietUnknown.
const (
	quietFactor  = 3
	quietFloor   = 15 * time.Minute
	quietUnknown = 6 * time.Hour
)

// silentAfter is how long a source whose usual pause is usual may stay
// quiet before it counts as silent.
func silentAfter(usual time.Duration) time.Duration {
	if usual == 0 {
		return quietUnknown
	}
	return max(quietFactor*usual, quietFloor)
}

// logOf returns the guide's kind of evidence that events of kind carry,
// or "" for kinds no row reads.
func logOf(source, kind string) guide.Source {
	if source == postureSource {
		return guide.Graph
	}
	k, _ := event.ParseKind(kind)
	switch k {
	case event.KindAudit:
		return guide.Audit
	case event.KindSignIn:
		return guide.SignIn
	case event.KindKeyVault, event.KindActivity:
		return guide.KeyVault
	}
	return ""
}

// coverageView is the coverage page.
type coverageView struct {
	Rows    []coverageRow
	Sources []sourceView
	Silent  int
	Now     webui.Time
}

type coverageRow struct {
	Key, Name, Section string
	Logs               []logState
	// State is covered, silent (every source that delivered its logs is
	// silent) or missing (no source ever did).
	State  string
	Alerts int64
}

type logState struct {
	Log     string // the guide's source: audit, signin, keyvault, graph
	Sources []string
	Last    webui.Time
	State   string
}

type sourceView struct {
	Name     string
	Kinds    []string
	Records  int64
	First    webui.Time
	Last     webui.Time
	Usual    string
	Quiet    string
	Silent   bool
	Threshld string
}

func (c *Console) coveragePage(w http.ResponseWriter, r *http.Request) {
	p := i18n.NewPrinter(sessionOf(r).Lang)
	ctx := r.Context()
	arrivals, err := c.store.Arrivals(ctx)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	facets, err := c.store.Facets(ctx, store.Query{})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	alertsByRow := map[string]int64{}
	for _, f := range facets[store.FacetRow] {
		alertsByRow[f.Value] = f.N
	}
	now := c.now()
	v := coverageView{Now: webui.TimeOf(now)}
	// Per log: the sources that delivered it and the last arrival.
	type logInfo struct {
		sources []string
		last    time.Time
		live    bool
	}
	logs := map[guide.Source]*logInfo{}
	silent := map[string]bool{}
	for _, a := range arrivals {
		if a.Kind != "" {
			continue
		}
		quiet := now.Sub(a.Last)
		silent[a.Source] = quiet > silentAfter(a.Usual)
		sv := sourceView{
			Name: a.Source, Records: a.Records, First: webui.TimeOf(a.First), Last: webui.TimeOf(a.Last),
			Quiet: duration(p, quiet), Silent: silent[a.Source], Threshld: duration(p, silentAfter(a.Usual)),
		}
		if a.Usual > 0 {
			sv.Usual = duration(p, a.Usual)
		}
		if sv.Silent {
			v.Silent++
		}
		v.Sources = append(v.Sources, sv)
	}
	for _, a := range arrivals {
		l := logOf(a.Source, a.Kind)
		if (a.Kind == "" && a.Source != postureSource) || l == "" {
			continue
		}
		for i := range v.Sources {
			if v.Sources[i].Name == a.Source && a.Kind != "" {
				v.Sources[i].Kinds = append(v.Sources[i].Kinds, a.Kind)
			}
		}
		li := logs[l]
		if li == nil {
			li = &logInfo{}
			logs[l] = li
		}
		if !slices.Contains(li.sources, a.Source) {
			li.sources = append(li.sources, a.Source)
		}
		if a.Last.After(li.last) {
			li.last = a.Last
		}
		li.live = li.live || !silent[a.Source]
	}
	for _, row := range guide.Rows() {
		cr := coverageRow{Key: row.Key, Name: p.Row(row.Key), Section: p.Section(i18n.SectionOf(row.Key)), State: "missing", Alerts: alertsByRow[row.Key]}
		for _, l := range row.Sources {
			ls := logState{Log: string(l), State: "missing"}
			if li := logs[l]; li != nil {
				ls.Sources, ls.Last = li.sources, webui.TimeOf(li.last)
				ls.State = "silent"
				if li.live {
					ls.State = "covered"
				}
			}
			switch {
			case ls.State == "covered":
				cr.State = "covered"
			case ls.State == "silent" && cr.State == "missing":
				cr.State = "silent"
			}
			cr.Logs = append(cr.Logs, ls)
		}
		v.Rows = append(v.Rows, cr)
	}
	c.render(w, r, http.StatusOK, "coverage", page{Title: "console.nav.coverage", Nav: "coverage", Data: v})
}

// duration writes d roughly, in the largest unit that fits: minutes,
// hours or days.
func duration(p *i18n.Printer, d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return p.Count("web.days", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return p.Count("web.hours", int(d/time.Hour))
	}
	return p.Count("console.minutes", max(int(d/time.Minute), 0))
}

// postureView is the posture page.
type postureView struct {
	Checks []checkView
	Open   int64
	Total  int64
	// Chart draws the findings across the last snapshots; nil before
	// the first snapshot taken with this version's store.
	Chart     *lineChart
	Snapshots int
}

type checkView struct {
	RuleID, Title, Level string
	Open, N              int64
	Href                 string
	Trend                sparkline
}

// postureTrend is how many snapshots the trend shows.
const postureTrend = 30

func (c *Console) posturePage(w http.ResponseWriter, r *http.Request) {
	p := i18n.NewPrinter(sessionOf(r).Lang)
	ctx := r.Context()
	counts, err := c.store.CountByRule(ctx, store.Query{Sources: []string{postureSource}})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	snaps, err := c.store.SnapshotTrend(ctx, postureSource, postureTrend)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v := postureView{Chart: newLineChart("trend", snaps), Snapshots: len(snaps)}
	checks := map[string]bool{}
	for _, ch := range posture.Checks() {
		checks[ch.ID] = true
	}
	for _, rc := range counts {
		title := rc.RuleID
		if rule := c.rules[rc.RuleID]; rule != nil {
			title = rule.Text(p.Lang()).Title
		}
		v.Checks = append(v.Checks, checkView{RuleID: rc.RuleID, Title: title, Level: rc.Level, Open: rc.Open, N: rc.N,
			Href: "/alerts?" + url.Values{paramRule: {rc.RuleID}, paramStatus: {alert.StatusOpen, alert.StatusAcknowledged}}.Encode(),
		})
		if checks[rc.RuleID] {
			v.Checks[len(v.Checks)-1].Trend = newSparkline(rc.RuleID, snaps)
			v.Checks[len(v.Checks)-1].Trend.ID = "spark-" + strconv.Itoa(len(v.Checks))
		}
		v.Open += rc.Open
		v.Total += rc.N
	}
	c.render(w, r, http.StatusOK, "posture", page{Title: "console.nav.posture", Nav: "posture", Data: v})
}
