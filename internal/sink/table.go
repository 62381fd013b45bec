package sink

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/termtext"
)

// Table layout.
const (
	gap       = "  "
	whyIndent = "    "
	timeWidth = len("2006-01-02T15:04:05Z")
	// minTitle is the narrowest a title may wrap in beside the time and
	// level; narrower, it goes on lines of its own.
	minTitle = 20
)

// ANSI attributes.
const (
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

// levelColor is the ANSI colour of each level.
var levelColor = map[string]string{
	alert.LevelCritical:      "\x1b[1;31m",
	alert.LevelHigh:          "\x1b[31m",
	alert.LevelMedium:        "\x1b[33m",
	alert.LevelLow:           "\x1b[36m",
	alert.LevelInformational: "\x1b[2m",
}

// tableWriter keeps the alerts and prints them on Close, grouped by guide
// row in the guide's order, each group sorted by time. Nothing is cut:
// when the columns fit the width at their natural size they are printed
// side by side; otherwise each alert is stacked over several lines, its
// time, level and title first, and long text wraps.
type tableWriter struct {
	w      io.Writer
	opts   Options
	p      *i18n.Printer
	rules  *ruleIndex
	rows   []row
	closed bool
}

// row is one alert as the table shows it, its text already cleaned.
type row struct {
	guideRow                    string
	when                        time.Time
	time, level, rawLevel, rule string
	actor, target, title, why   string
	stored                      string // the line of a stored alert
}

func newTable(w io.Writer, opts Options) *tableWriter {
	return &tableWriter{w: w, opts: opts, p: i18n.NewPrinter(opts.Lang), rules: newRuleIndex(opts.Rules)}
}

func (t *tableWriter) Write(a alert.Alert) error {
	if t.closed {
		return ErrClosed
	}
	when, err := time.Parse(time.RFC3339Nano, a.Time)
	shown := termtext.Clean(a.Time)
	if err == nil {
		shown = when.UTC().Format("2006-01-02T15:04:05Z")
	}
	t.rows = append(t.rows, row{
		guideRow: a.GuideRow,
		when:     when,
		time:     cmp.Or(shown, "-"),
		level:    termtext.Clean(t.p.Level(a.Level)),
		rawLevel: a.Level,
		rule:     a.RuleID,
		actor:    termtext.Clean(doer(a.Actor)),
		target:   termtext.Clean(cmp.Or(targetName(a.Target), "-")),
		title:    termtext.Clean(t.rules.title(&a, t.p.Lang())),
		why:      termtext.Clean(strings.Join(why(t.p, &a), t.p.Sprintf("why.sep"))),
		stored:   t.stored(&a),
	})
	return nil
}

func (t *tableWriter) Close() error {
	if t.closed {
		return ErrClosed
	}
	t.closed = true
	bw := bufio.NewWriter(t.w)
	groups := t.groups()
	cols, side := t.widths()
	for i, g := range groups {
		if i > 0 {
			bw.WriteString("\n")
		}
		t.writeGroup(bw, g, cols, side)
	}
	t.writeSummary(bw, groups)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write alert table: %w", err)
	}
	return nil
}

// group is the alerts of one guide row.
type group struct {
	key  string
	rows []row
}

// groups sorts the alerts into their guide rows: the guide's rows in the
// guide's order, then other rows by key; within a row, by time (alerts
// without a time last), then rule.
func (t *tableWriter) groups() []group {
	order := map[string]int{}
	for i, r := range i18n.Rows() {
		order[r.Key] = i
	}
	rank := func(key string) int {
		if i, ok := order[key]; ok {
			return i
		}
		return len(order)
	}
	rows := slices.Clone(t.rows)
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(
			cmp.Compare(rank(a.guideRow), rank(b.guideRow)),
			strings.Compare(a.guideRow, b.guideRow),
			compareTime(a.when, b.when),
			strings.Compare(a.rule, b.rule),
		)
	})
	var out []group
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].key != r.guideRow {
			out = append(out, group{key: r.guideRow})
		}
		out[len(out)-1].rows = append(out[len(out)-1].rows, r)
	}
	return out
}

// compareTime orders times, the zero time last.
func compareTime(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// columns are the widths of the level, actor, target and title columns.
type columns struct {
	level, actor, target, title int
}

// widths measures the columns at the width their longest cell needs, and
// reports whether they fit side by side in the output's width.
func (t *tableWriter) widths() (columns, bool) {
	c := columns{
		level:  termtext.Width(t.p.Sprintf("col.level")),
		actor:  termtext.Width(t.p.Sprintf("col.actor")),
		target: termtext.Width(t.p.Sprintf("col.target")),
		title:  termtext.Width(t.p.Sprintf("col.title")),
	}
	for _, l := range []string{alert.LevelInformational, alert.LevelLow, alert.LevelMedium, alert.LevelHigh, alert.LevelCritical} {
		c.level = max(c.level, termtext.Width(t.p.Level(l)))
	}
	for _, r := range t.rows {
		c.actor = max(c.actor, termtext.Width(r.actor))
		c.target = max(c.target, termtext.Width(r.target))
		c.title = max(c.title, termtext.Width(r.title))
	}
	need := timeWidth + c.level + c.actor + c.target + c.title + 4*len(gap)
	return c, need <= t.opts.Width
}

func (t *tableWriter) writeGroup(w *bufio.Writer, g group, c columns, side bool) {
	p := t.p
	name := p.Row(g.key)
	heading := p.Section(i18n.SectionOf(g.key)) + " / " + name
	if name != g.key {
		heading += " (" + g.key + ")"
	}
	heading += " [" + p.Count("summary.alerts", len(g.rows)) + "]"
	for _, l := range termtext.Wrap(termtext.Clean(heading), t.opts.Width) {
		t.line(w, bold, l)
	}
	if side {
		t.writeSideBySide(w, g, c)
		return
	}
	t.writeStacked(w, g, c)
}

// writeSideBySide writes one line per alert in columns, and its
// explanation wrapped below it.
func (t *tableWriter) writeSideBySide(w *bufio.Writer, g group, c columns) {
	p := t.p
	header := strings.Join([]string{
		termtext.Pad(p.Sprintf("col.time"), timeWidth),
		termtext.Pad(p.Sprintf("col.level"), c.level),
		termtext.Pad(p.Sprintf("col.actor"), c.actor),
		termtext.Pad(p.Sprintf("col.target"), c.target),
		p.Sprintf("col.title"),
	}, gap)
	t.line(w, dim, strings.TrimRight(header, " "))
	for _, r := range g.rows {
		cells := []string{termtext.Pad(r.time, timeWidth), t.level(r, c.level), termtext.Pad(r.actor, c.actor), termtext.Pad(r.target, c.target), r.title}
		w.WriteString(strings.TrimRight(strings.Join(cells, gap), " ") + "\n")
		t.indented(w, r.why)
		t.indented(w, r.stored)
	}
}

// writeStacked writes each alert over several lines: time, level and
// title (wrapped under itself), then who did it on what, then why, both
// indented.
func (t *tableWriter) writeStacked(w *bufio.Writer, g group, c columns) {
	p := t.p
	titleAt := timeWidth + len(gap) + c.level + len(gap)
	header := termtext.Pad(p.Sprintf("col.time"), timeWidth) + gap + termtext.Pad(p.Sprintf("col.level"), c.level) + gap + p.Sprintf("col.title")
	t.line(w, dim, header)
	for _, r := range g.rows {
		lead := termtext.Pad(r.time, timeWidth) + gap + t.level(r, c.level) + gap
		room := t.opts.Width - titleAt
		if room < minTitle {
			w.WriteString(strings.TrimRight(lead, " ") + "\n")
			t.indented(w, r.title)
		} else {
			for i, l := range termtext.Wrap(r.title, room) {
				if i > 0 {
					lead = strings.Repeat(" ", titleAt)
				}
				w.WriteString(lead + l + "\n")
			}
		}
		who := p.Sprintf("msg.on", r.target)
		if r.actor != "-" {
			who = p.Sprintf("msg.by", r.actor) + " " + who
		}
		t.indented(w, who)
		t.indented(w, r.why)
		t.indented(w, r.stored)
	}
}

// doer names the actor, or "-" when nothing is known of it or it is the
// system, as for posture findings.
func doer(a alert.Actor) string {
	if a == (alert.Actor{Type: "system"}) {
		return "-"
	}
	return cmp.Or(actorName(a), "-")
}

// level returns the level cell of r, w columns wide, coloured when
// colours are on.
func (t *tableWriter) level(r row, w int) string {
	s := termtext.Pad(r.level, w)
	if t.opts.Color && levelColor[r.rawLevel] != "" {
		s = levelColor[r.rawLevel] + s + reset
	}
	return s
}

// stored returns the line that says what the store keeps of a: its key,
// status and first-seen time, when Options.Stored.
func (t *tableWriter) stored(a *alert.Alert) string {
	if !t.opts.Stored {
		return ""
	}
	return termtext.Clean(t.p.Sprintf("msg.stored", cmp.Or(a.AlertKey, "-"), cmp.Or(a.Status, "-"), cmp.Or(a.FirstSeen, "-")))
}

// indented writes s wrapped to the width, each line indented.
func (t *tableWriter) indented(w *bufio.Writer, s string) {
	for _, l := range termtext.Wrap(s, t.opts.Width-len(whyIndent)) {
		w.WriteString(whyIndent + l + "\n")
	}
}

// writeSummary ends the table with the number of alerts by level and of
// guide rows they fall in.
func (t *tableWriter) writeSummary(w *bufio.Writer, groups []group) {
	if len(t.rows) == 0 {
		w.WriteString(t.p.Sprintf("summary.none") + "\n")
		return
	}
	byLevel := map[string]int{}
	for _, r := range t.rows {
		byLevel[r.rawLevel]++
	}
	guide := 0
	for _, g := range groups {
		if i18n.IsRow(g.key) {
			guide++
		}
	}
	w.WriteString("\n")
	for _, l := range termtext.Wrap(Totals(t.p, byLevel), t.opts.Width) {
		w.WriteString(l + "\n")
	}
	w.WriteString(t.p.Sprintf("summary.rows", guide, len(i18n.Rows())) + "\n")
}

// Totals writes the number of alerts and how many there are of each
// level, most severe first, in p's language: "5 alerts: 2 high, 3 low".
// Levels outside the five are counted under their own name.
func Totals(p *i18n.Printer, byLevel map[string]int) string {
	total := 0
	var parts []string
	levels := []string{alert.LevelCritical, alert.LevelHigh, alert.LevelMedium, alert.LevelLow, alert.LevelInformational}
	for l := range byLevel {
		if !alert.ValidLevel(l) {
			levels = append(levels, l)
		}
	}
	slices.Sort(levels[5:])
	for _, l := range levels {
		if n := byLevel[l]; n > 0 {
			total += n
			parts = append(parts, p.Sprintf("summary.level-count", n, p.Level(l)))
		}
	}
	if total == 0 {
		return p.Sprintf("summary.none")
	}
	return p.Sprintf("summary.by-level", p.Count("summary.alerts", total), strings.Join(parts, p.Sprintf("why.list-sep")))
}

// line writes s, in the ANSI attribute attr when colours are on.
func (t *tableWriter) line(w *bufio.Writer, attr, s string) {
	if t.opts.Color {
		s = attr + s + reset
	}
	w.WriteString(s + "\n")
}
