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
	minColumn = 6
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
// row in the guide's order, each group sorted by time.
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
		actor:    termtext.Clean(actorName(a.Actor)),
		target:   termtext.Clean(targetName(a.Target)),
		title:    termtext.Clean(t.rules.title(&a, t.p.Lang())),
		why:      termtext.Clean(strings.Join(why(t.p, &a), t.p.Sprintf("why.sep"))),
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
	cols := t.widths()
	for i, g := range groups {
		if i > 0 {
			bw.WriteString("\n")
		}
		t.writeGroup(bw, g, cols)
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

// widths fits the columns into the width: time and level take what they
// need; actor and target get up to a quarter each of what is left and the
// title the rest, space a column does not need going to the others.
func (t *tableWriter) widths() columns {
	c := columns{level: termtext.Width(t.p.Sprintf("col.level"))}
	for _, l := range []string{alert.LevelInformational, alert.LevelLow, alert.LevelMedium, alert.LevelHigh, alert.LevelCritical} {
		c.level = max(c.level, termtext.Width(t.p.Level(l)))
	}
	actor := termtext.Width(t.p.Sprintf("col.actor"))
	target := termtext.Width(t.p.Sprintf("col.target"))
	title := termtext.Width(t.p.Sprintf("col.title"))
	for _, r := range t.rows {
		actor = max(actor, termtext.Width(r.actor))
		target = max(target, termtext.Width(r.target))
		title = max(title, termtext.Width(r.title))
	}
	rest := t.opts.Width - timeWidth - c.level - 4*len(gap)
	side := max(rest/4, minColumn)
	c.actor, c.target = min(actor, side), min(target, side)
	c.title = max(rest-c.actor-c.target, minColumn)
	if spare := c.title - title; spare > 0 {
		c.title = title
		grow := min(spare, actor-c.actor)
		c.actor += grow
		c.target += min(spare-grow, target-c.target)
	}
	return c
}

func (t *tableWriter) writeGroup(w *bufio.Writer, g group, c columns) {
	p := t.p
	name := p.Row(g.key)
	heading := p.Section(i18n.SectionOf(g.key)) + " / " + name
	if name != g.key {
		heading += " (" + g.key + ")"
	}
	heading += " [" + p.Count("summary.alerts", len(g.rows)) + "]"
	t.line(w, bold, termtext.Clip(termtext.Clean(heading), t.opts.Width))
	header := strings.Join([]string{
		termtext.Pad(p.Sprintf("col.time"), timeWidth),
		termtext.Pad(p.Sprintf("col.level"), c.level),
		termtext.Pad(p.Sprintf("col.actor"), c.actor),
		termtext.Pad(p.Sprintf("col.target"), c.target),
		termtext.Clip(p.Sprintf("col.title"), c.title),
	}, gap)
	t.line(w, dim, strings.TrimRight(header, " "))
	for _, r := range g.rows {
		level := termtext.Pad(r.level, c.level)
		if t.opts.Color && levelColor[r.rawLevel] != "" {
			level = levelColor[r.rawLevel] + level + reset
		}
		cells := []string{termtext.Pad(r.time, timeWidth), level, termtext.Pad(r.actor, c.actor), termtext.Pad(r.target, c.target), termtext.Clip(r.title, c.title)}
		w.WriteString(strings.TrimRight(strings.Join(cells, gap), " ") + "\n")
		if r.why != "" {
			w.WriteString(whyIndent + termtext.Clip(r.why, t.opts.Width-len(whyIndent)) + "\n")
		}
	}
}

// writeSummary ends the table with the number of alerts and of guide rows
// they fall in.
func (t *tableWriter) writeSummary(w *bufio.Writer, groups []group) {
	if len(t.rows) == 0 {
		w.WriteString(t.p.Sprintf("summary.none") + "\n")
		return
	}
	guide := 0
	for _, g := range groups {
		if i18n.IsRow(g.key) {
			guide++
		}
	}
	w.WriteString("\n" + t.p.Count("summary.alerts", len(t.rows)) + t.p.Sprintf("why.sep") +
		t.p.Sprintf("summary.rows", guide, len(i18n.Rows())) + "\n")
}

// line writes s, in the ANSI attribute attr when colours are on.
func (t *tableWriter) line(w *bufio.Writer, attr, s string) {
	if t.opts.Color {
		s = attr + s + reset
	}
	w.WriteString(s + "\n")
}
