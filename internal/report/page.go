package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/webui"
)

//go:embed report.tmpl
var reportTemplate string

// Layout of the page.
const (
	// timelineBars is the most bars the timeline draws.
	timelineBars = 60
	// topNames is how many actors and targets the rankings list.
	topNames = 10
	// maxInputs is how many inputs the read summary lists one by one.
	maxInputs = 500
	// maxUnknownHosts is how many host names without a DNS answer a
	// posture report lists.
	maxUnknownHosts = 50
)

// templates returns the report's template, named "report", speaking p's
// language.
func templates(p *i18n.Printer) (*template.Template, error) {
	t, err := webui.New("report", p)
	if err != nil {
		return nil, err
	}
	t.Funcs(template.FuncMap{"ranking": func(items []webui.Ranked, other int, label string) ranking {
		return ranking{Items: items, Other: other, Label: label, Limit: maxNames}
	}})
	if t, err = t.Parse(reportTemplate); err != nil {
		return nil, fmt.Errorf("report: parse template: %w", err)
	}
	return t, nil
}

// page is everything the report's template shows.
type page struct {
	Lang, Title, Command string
	CSS                  template.CSS
	Version              string
	Time                 webui.Time
	Tenants              []string
	MoreTenants          int
	Nav                  []navItem

	Total, Shown, Hidden int
	MaxAlerts            int
	Levels               []webui.LevelCount
	Outside              int
	RowsAlerting         int
	RowsTotal            int
	Suppressed           int
	ByRow                []rowLine

	Timeline *webui.Timeline
	Untimed  int
	// From and To are the times of the earliest and latest alerts.
	From, To webui.Time

	ShowActors                bool
	TopActors, TopTargets     []webui.Ranked
	OtherActors, OtherTargets int

	Groups []group

	Coverage []coverageLine
	Covered  int
	// Posture is set for a posture run, whose checks are listed.
	Posture bool
	Checks  []checkLine
	DNS     *dnsView
	Notes   []string
	Sources []string
	Read    *readView
}

// ranking is a list of names with the most alerts, for the "ranking"
// template: Other counts the alerts of names beyond the Limit counted.
type ranking struct {
	Items        []webui.Ranked
	Other, Limit int
	Label        string
}

// navItem is one entry of the table of contents.
type navItem struct{ ID, Label string }

// rowLine is one guide row of the summary table.
type rowLine struct {
	Key, Name, Section, Anchor string
	ByLevel                    [5]int
	Total                      int
	Stack                      []webui.Seg
}

// group is the alerts of one guide section.
type group struct {
	Name string
	Rows []rowAlerts
}

// rowAlerts is the alerts of one guide row drawn in full, and how many
// more it holds.
type rowAlerts struct {
	Key, Name, Anchor string
	Total, Hidden     int
	Alerts            []webui.Alert
}

// coverageLine says what a scan could tell about one guide row.
type coverageLine struct {
	Section, Key, Name string
	Needs              []string
	Shown              bool
	PostureOnly        bool
	Missing            string
	Alerts             int
}

// checkLine is one posture check and what it found.
type checkLine struct {
	ID, Title, Row     string
	Level              string
	Findings, Silenced int
	// Status is the check's result (posture.StatusPass and so on), ""
	// when the run did not say; Reason says why it was not evaluated.
	Status, Reason string
	Evaluated      int
}

// StatusWord is the check's status as Prowler and Maester write it, and
// as the command line's summary does: PASS, FAIL, N/A or SKIP.
func (l checkLine) StatusWord() string {
	return map[string]string{
		posture.StatusPass: "PASS", posture.StatusFail: "FAIL",
		posture.StatusNotEvaluated: "N/A", posture.StatusSkipped: "SKIP",
	}[l.Status]
}

// dnsView sums up a posture run's host name lookups.
type dnsView struct {
	Enabled                 bool
	Hosts, Looked, Dangling int
	Unknown                 []hostLine
	MoreUnknown, Skipped    int
}

type hostLine struct{ Host, State string }

// readView sums up what a scan read.
type readView struct {
	Totals     ingest.Totals
	Skipped    int
	Layouts    []webui.Ranked
	Reasons    []webui.Ranked
	Inputs     []inputLine
	MoreInputs int
}

type inputLine struct {
	Name, Layouts, Failed        string
	Records, Events, Skip, Error int
	Messages                     []string
	MoreMessages                 int
}

// page builds the page from what the Writer collected.
func (r *Writer) page() *page {
	c, run := r.c, r.run
	pg := &page{
		Lang: r.p.Lang(), Command: cmp.Or(run.Command, CommandScan), CSS: webui.Style(),
		Version: r.opts.Version, Time: webui.TimeOf(run.Time),
		Tenants: c.tenants, MoreTenants: c.others,
		Total: c.total, MaxAlerts: max(r.opts.MaxAlerts, 0), Outside: c.outside,
		Suppressed: sum(run.Suppressed), Untimed: c.untimed,
		Sources: run.Sources, Timeline: r.timeline(),
		From: webui.TimeOf(c.first), To: webui.TimeOf(c.last),
	}
	pg.Title = r.p.Sprintf("report.title." + pg.Command)
	if pg.Command == CommandPosture {
		pg.Timeline = nil // findings carry the time of the evaluation, not of an activity
	}
	pg.ShowActors = pg.Command != CommandPosture
	pg.TopActors, pg.OtherActors = webui.Top(c.actors.m, topNames), c.actors.other
	pg.TopTargets, pg.OtherTargets = webui.Top(c.targets.m, topNames), c.targets.other
	for i, l := range webui.Levels() {
		n := 0
		for _, counts := range c.byRow {
			n += counts[i]
		}
		pg.Levels = append(pg.Levels, webui.LevelCount{Level: l, N: n})
	}
	pg.ByRow = r.byRow()
	for _, row := range pg.ByRow {
		if guide.IsRow(row.Key) {
			pg.RowsAlerting++
		}
	}
	pg.RowsTotal = len(guide.Rows())
	pg.Groups = r.groups(pg.ByRow)
	for _, g := range pg.Groups {
		for _, row := range g.Rows {
			pg.Shown += len(row.Alerts)
		}
	}
	pg.Hidden = pg.Total - pg.Shown
	pg.Coverage, pg.Covered = r.coverage()
	pg.Posture = pg.Command == CommandPosture
	pg.Checks = r.checks()
	if res := run.Posture; res != nil {
		pg.DNS = dnsOf(res.DNS)
		pg.Notes = res.Notes
	}
	if run.Read != nil {
		pg.Read = readOf(run.Read, r.p)
	}
	pg.Nav = r.nav(pg)
	return pg
}

// nav lists the page's sections.
func (r *Writer) nav(pg *page) []navItem {
	items := []navItem{{"summary", r.p.Sprintf("report.summary")}}
	if pg.Timeline != nil {
		items = append(items, navItem{"timeline", r.p.Sprintf("web.timeline")})
	}
	items = append(items, navItem{"top", r.p.Sprintf("report.top")}, navItem{"alerts", r.p.Sprintf("report.alerts")})
	if pg.Coverage != nil {
		items = append(items, navItem{"coverage", r.p.Sprintf("report.coverage")})
	}
	if pg.Posture {
		items = append(items, navItem{"checks", r.p.Sprintf("report.checks")})
	}
	if pg.Read != nil || pg.Sources != nil {
		items = append(items, navItem{"read", r.p.Sprintf("report.read")})
	}
	return items
}

func (r *Writer) timeline() *webui.Timeline {
	buckets, step := r.c.hist.buckets(timelineBars)
	return webui.NewTimeline("timeline", buckets, step)
}

// byRow lists the guide rows with alerts: the guide's rows in the guide's
// order, then other rows by key.
func (r *Writer) byRow() []rowLine {
	var out []rowLine
	add := func(key string) {
		counts := r.c.byRow[key]
		total := 0
		for _, n := range counts {
			total += n
		}
		out = append(out, rowLine{
			Key: key, Name: r.p.Row(key), Section: r.p.Section(i18n.SectionOf(key)),
			Anchor: fmt.Sprintf("row-%d", len(out)+1), ByLevel: *counts, Total: total,
		})
	}
	for _, row := range guide.Rows() {
		if r.c.byRow[row.Key] != nil {
			add(row.Key)
		}
	}
	var others []string
	for key := range r.c.byRow {
		if !guide.IsRow(key) {
			others = append(others, key)
		}
	}
	slices.Sort(others)
	for _, key := range others {
		add(key)
	}
	most := 0
	for _, l := range out {
		most = max(most, l.Total)
	}
	for i := range out {
		out[i].Stack = webui.Stack(out[i].ByLevel, most)
	}
	return out
}

// groups sorts the alerts drawn in full into their guide sections and
// rows, in the order of rows; within a row by time (alerts without one
// last), the more severe first at the same time.
func (r *Writer) groups(rows []rowLine) []group {
	all := slices.Clone(r.c.kept)
	slices.SortFunc(all, func(a, b kept) int {
		return cmp.Or(compareTime(a.view.Time, b.view.Time), cmp.Compare(b.rank, a.rank), cmp.Compare(a.seq, b.seq))
	})
	byRow := map[string][]webui.Alert{}
	for i, k := range all {
		k.view.Anchor = fmt.Sprintf("alert-%d", i+1)
		byRow[k.view.GuideRow] = append(byRow[k.view.GuideRow], k.view)
	}
	var out []group
	for _, row := range rows {
		name := row.Section
		if len(out) == 0 || out[len(out)-1].Name != name {
			out = append(out, group{Name: name})
		}
		g := &out[len(out)-1]
		shown := byRow[row.Key]
		g.Rows = append(g.Rows, rowAlerts{Key: row.Key, Name: row.Name, Anchor: row.Anchor, Total: row.Total, Hidden: row.Total - len(shown), Alerts: shown})
	}
	return out
}

// compareTime orders times, a time before none.
func compareTime(a, b webui.Time) int {
	switch {
	case a.Datetime == "" && b.Datetime == "":
		return 0
	case a.Datetime == "":
		return 1
	case b.Datetime == "":
		return -1
	}
	return strings.Compare(a.Datetime, b.Datetime)
}

// coverage lists every guide row and whether the scan's input could show
// it, and counts those it could.
func (r *Writer) coverage() ([]coverageLine, int) {
	if r.run.Coverage == nil {
		return nil, 0
	}
	var out []coverageLine
	covered := 0
	for _, s := range r.run.Coverage {
		l := coverageLine{
			Section: r.p.Section(i18n.SectionOf(s.Row.Key)), Key: s.Row.Key, Name: r.p.Row(s.Row.Key),
			Shown: s.Shown, PostureOnly: s.Missing == string(guide.Graph), Alerts: s.Alerts,
		}
		for _, src := range s.Row.Sources {
			l.Needs = append(l.Needs, r.p.Sprintf("report.source."+string(src)))
		}
		if !s.Shown && !l.PostureOnly {
			l.Missing = r.p.Sprintf("coverage.no-" + s.Missing)
		}
		if s.Shown {
			covered++
		}
		out = append(out, l)
	}
	return out, covered
}

// checks lists a posture run's checks, in the order given, with their
// findings.
func (r *Writer) checks() []checkLine {
	results := map[string]posture.CheckResult{}
	if r.run.Posture != nil {
		for _, c := range r.run.Posture.Checks {
			results[c.ID] = c
		}
	}
	var out []checkLine
	for _, rule := range r.opts.Rules {
		if rule == nil {
			continue
		}
		res := results[rule.ID]
		out = append(out, checkLine{
			ID: rule.ID, Title: rule.Text(r.p.Lang()).Title, Row: rule.GuideRow, Level: rule.Level,
			Findings: r.c.byRule[rule.ID], Silenced: r.run.Suppressed[rule.ID],
			Status: res.Status, Reason: cmp.Or(res.ReasonText, res.Reason), Evaluated: res.Evaluated,
		})
	}
	return out
}

// readOf sums up what a scan read, with the skip reasons and the
// messages about records and inputs in p's language.
func readOf(sum *ingest.Summary, p *i18n.Printer) *readView {
	t := sum.Totals()
	v := &readView{Totals: t, Layouts: ranked(t.Layouts), Reasons: ranked(t.Skipped)}
	for i, rk := range v.Reasons {
		v.Reasons[i].Name = p.Message(decode.SkipMessage(rk.Name))
	}
	for _, n := range t.Skipped {
		v.Skipped += n
	}
	failed := sum.Failed()
	for _, f := range sum.Files {
		if f == nil {
			continue
		}
		if len(v.Inputs) == maxInputs {
			v.MoreInputs++
			continue
		}
		l := inputLine{
			Name: f.Name, Records: f.Records, Events: f.Events, Skip: f.SkippedCount(), Error: f.ErrorCount,
			MoreMessages: f.ErrorCount - len(f.Notes),
		}
		for _, n := range f.Notes {
			l.Messages = append(l.Messages, fmt.Sprintf("%s:%d: %s", f.Name, n.Line, p.Message(n)))
		}
		var layouts []string
		for _, rk := range ranked(f.Layouts) {
			layouts = append(layouts, rk.Name)
		}
		l.Layouts = strings.Join(layouts, ", ")
		if err := failed[f.Name]; err != nil {
			l.Failed = p.Error(err)
		}
		v.Inputs = append(v.Inputs, l)
	}
	return v
}

// ranked lists counts by name, largest first.
func ranked(m map[string]int) []webui.Ranked {
	return webui.Top(m, len(m))
}

// dnsOf sums up a posture run's host name lookups.
func dnsOf(d posture.DNSSummary) *dnsView {
	v := &dnsView{Enabled: d.Enabled, Hosts: d.Hosts, Looked: d.Hosts - len(d.Skipped), Dangling: d.Dangling, Skipped: len(d.Skipped)}
	for _, u := range d.Unknown {
		if len(v.Unknown) == maxUnknownHosts {
			v.MoreUnknown++
			continue
		}
		v.Unknown = append(v.Unknown, hostLine{Host: u.Host, State: strings.TrimSpace(string(u.State) + " " + u.Detail)})
	}
	return v
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
