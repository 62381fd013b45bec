package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/sink"
)

// alertLevels are the alert levels, lowest first.
var alertLevels = []string{alert.LevelInformational, alert.LevelLow, alert.LevelMedium, alert.LevelHigh, alert.LevelCritical}

// outputFlags are the output flags scan, demo and posture share: where
// alerts go and in what format, their language, which are shown, and
// which make the run fail.
type outputFlags struct {
	formats  formatList
	out      string
	lang     string
	failOn   *choice
	minLevel *choice
	// outputs are the outputs the flags name, set by check.
	outputs []output
}

// register defines the flags; one and many name one alert and alerts in
// their help ("an alert", "alerts").
func (o *outputFlags) register(c *cmdline, one, many string) {
	o.failOn = newChoice("", alertLevels...)
	o.minLevel = newChoice("", alertLevels...)
	c.Var(&o.formats, "format", "output `FORMAT`s: table, jsonl, json, csv, sarif or html, each FORMAT or FORMAT=FILE,\n"+
		"comma-separated or repeated (default auto: table on a terminal, jsonl otherwise)")
	c.StringVar(&o.out, "o", "", "write to `FILE` instead of standard output; with several formats, FILE.txt, FILE.sarif ...")
	c.StringVar(&o.out, "output", "", "the same as -o `FILE`")
	c.StringVar(&o.lang, "lang", "", "`LANGUAGE` of titles and text: en, zh-TW, it, ja (default from $LC_ALL, $LC_MESSAGES or $LANG)")
	c.Var(o.minLevel, "min-level", "show only "+many+" at or above `LEVEL` (informational, low, medium, high, critical)")
	c.Var(o.failOn, "fail-on", "exit 1 when "+one+" shown is at or above `LEVEL`")
}

// check resolves the outputs and the language, printing what is wrong.
func (o *outputFlags) check(c *cmdline) bool {
	if o.lang == "" {
		o.lang = i18n.FromEnv(c.env.lookupEnv)
	} else if l, err := i18n.Parse(o.lang); err != nil {
		c.usageError("--lang %q: want one of %s", o.lang, strings.Join(i18n.Langs(), ", "))
		return false
	} else {
		o.lang = l
	}
	c.p = i18n.NewPrinter(o.lang)
	outs, err := resolveOutputs(c.env, o.formats, o.out)
	if err != nil {
		c.fail(err)
		return false
	}
	o.outputs = outs
	return true
}

// tableOnTerminal reports whether a table goes to standard output on a
// terminal, where its closing totals are in front of the user.
func (o *outputFlags) tableOnTerminal(env Env) bool {
	return env.StdoutTTY && slices.Contains(o.outputs, output{format: "table"})
}

// output is one output of a run: a format and the file it goes to, ""
// for standard output.
type output struct {
	format, path string
}

// formatList is the value of --format: formats, comma-separated and
// repeatable, each alone (to standard output or -o) or with the file it
// goes to, as FORMAT=FILE.
type formatList struct {
	outputs []output
	failed  *message
}

func (l *formatList) failure() *message { return l.failed }

// String lists the formats as they were given.
func (l *formatList) String() string {
	var parts []string
	for _, o := range l.outputs {
		parts = append(parts, strings.TrimSuffix(o.format+"="+o.path, "="))
	}
	return strings.Join(parts, ",")
}

// Set adds the formats in v.
func (l *formatList) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		format, path, _ := strings.Cut(strings.TrimSpace(item), "=")
		format = strings.ToLower(format)
		if format != "auto" && !slices.Contains(sink.Formats(), format) {
			l.failed = msg("want table, jsonl, json, csv, sarif or html, each alone or as FORMAT=FILE")
			return l.failed
		}
		if path == "-" {
			path = ""
		}
		l.outputs = append(l.outputs, output{format: format, path: path})
	}
	return nil
}

// extensions are the file name extensions of the formats, for -o with
// several formats and for a format chosen by a file's name.
var extensions = map[string]string{"table": ".txt", "jsonl": ".jsonl", "json": ".json", "csv": ".csv", "sarif": ".sarif", "html": ".html"}

// resolveOutputs decides where each format goes. Formats without a file
// go to -o when it is given (several of them to -o with each one's
// extension added) and to standard output otherwise, where only one may
// go. Without --format, -o FILE chooses the format from FILE's extension.
// The format auto is table on a terminal and jsonl otherwise.
func resolveOutputs(env Env, formats formatList, out string) ([]output, error) {
	outs := slices.Clone(formats.outputs)
	if len(outs) == 0 {
		outs = []output{{format: "auto"}}
	}
	if out == "-" {
		out = ""
	}
	var bare []int
	for i, o := range outs {
		if o.path == "" {
			bare = append(bare, i)
		}
	}
	switch {
	case out != "" && len(bare) == 0:
		return nil, msg("-o %s: every --format already names its file", out)
	case out != "" && len(bare) == 1:
		outs[bare[0]].path = out
	case out != "":
		for _, i := range bare {
			if outs[i].format == "auto" {
				return nil, msg("--format auto cannot be one of several outputs: name the format")
			}
			outs[i].path = out + extensions[outs[i].format]
		}
	case len(bare) > 1:
		return nil, msg("--format %s: only one output can go to standard output; "+
			"give the others a file (FORMAT=FILE), or give -o BASE to write BASE.txt, BASE.sarif and so on", formats.String())
	}
	seen := map[string]bool{}
	for i := range outs {
		o := &outs[i]
		if o.format == "auto" {
			o.format = autoFormat(env, o.path)
		}
		switch {
		case seen[o.path] && o.path == "":
			return nil, msg("two outputs go to standard output")
		case seen[o.path]:
			return nil, msg("two outputs go to %s", o.path)
		}
		seen[o.path] = true
	}
	return outs, nil
}

// autoFormat is the format for path when none is named: by the file's
// extension, jsonl for other files, and on standard output a table on a
// terminal and jsonl otherwise.
func autoFormat(env Env, path string) string {
	if path == "" {
		return outputFormat(env, "auto")
	}
	ext := strings.ToLower(filepath.Ext(path))
	for format, e := range extensions {
		if e == ext {
			return format
		}
	}
	return "jsonl"
}

// outputFormat resolves the format "auto": a table on a terminal, JSON
// Lines otherwise. Other formats are returned as they are.
func outputFormat(env Env, format string) string {
	switch {
	case format != "auto":
		return format
	case env.StdoutTTY:
		return "table"
	}
	return "jsonl"
}

// openOutputs opens every output for alerts in lang; rules describe the
// rules or checks that raise them. Files are created; a table in a file
// is as wide as $COLUMNS says, or 80 columns.
// openOutputs opens the outputs outs; stored says the alerts are read
// from a watch store, and the outputs show their keys, statuses and
// first-seen times.
func openOutputs(env Env, outs []output, lang string, rules []*alert.Rule, stored bool) (sink.Writer, error) {
	wd, _ := os.Getwd()
	m := &multiSink{}
	for _, o := range outs {
		opts := sink.Options{Lang: lang, Rules: rules, ToolVersion: readBuild().version, BaseDir: wd, Stored: stored}
		w := env.Stdout
		if o.path == "" {
			opts.Width = env.columns()
			opts.Color = env.StdoutTTY && env.getenv("NO_COLOR") == ""
		} else {
			f, err := os.Create(o.path)
			if err != nil {
				m.Close()
				return nil, fmt.Errorf("create output: %w", err)
			}
			m.files = append(m.files, f)
			w = f
			opts.Width = Env{LookupEnv: env.LookupEnv}.columns()
		}
		s, err := sink.New(o.format, w, opts)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.writers = append(m.writers, s)
	}
	return m, nil
}

// multiSink writes every alert to several writers, and closes the files
// they write to.
type multiSink struct {
	writers []sink.Writer
	files   []*os.File
}

// Write writes a to every writer.
func (m *multiSink) Write(a alert.Alert) error {
	for _, w := range m.writers {
		if err := w.Write(a); err != nil {
			return err
		}
	}
	return nil
}

// DescribeRun gives run to the writers whose format shows the run.
func (m *multiSink) DescribeRun(run report.Run) {
	for _, w := range m.writers {
		sink.DescribeRun(w, run)
	}
}

// Close closes every writer and file, and returns the first error.
func (m *multiSink) Close() error {
	var errs []error
	for _, w := range m.writers {
		errs = append(errs, w.Close())
	}
	for _, f := range m.files {
		if err := f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", f.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// window is the time window --since and --until give.
type window struct {
	since, until timeFlag
}

func (w *window) register(c *cmdline, what string) {
	c.Var(&w.since, "since", "keep only "+what+" at or after `TIME`: 2026-06-01, 2026-06-01T08:00, RFC 3339, or a time ago (36h, 7d)")
	c.Var(&w.until, "until", "keep only "+what+" before `TIME`, written as for --since")
}

// resolve turns times ago into times before now, and checks that the
// window is not empty.
func (w *window) resolve(c *cmdline, now time.Time) bool {
	for _, t := range []*timeFlag{&w.since, &w.until} {
		if t.ago != 0 {
			t.at = now.Add(-t.ago)
		}
	}
	if !w.since.at.IsZero() && !w.until.at.IsZero() && !w.since.at.Before(w.until.at) {
		c.usageError("--since %s is not before --until %s", w.since.raw, w.until.raw)
		return false
	}
	return true
}

// set reports whether either bound is given.
func (w *window) set() bool { return w.since.raw != "" || w.until.raw != "" }

// contains reports whether t is in the window. A zero time is in no
// window.
func (w *window) contains(t time.Time) bool {
	if !w.set() {
		return true
	}
	return !t.IsZero() && (w.since.at.IsZero() || !t.Before(w.since.at)) && (w.until.at.IsZero() || t.Before(w.until.at))
}

// timeFlag is a point in time given on the command line: a date, a date
// and time (UTC unless an offset is given), or a duration ago.
type timeFlag struct {
	raw    string
	at     time.Time
	ago    time.Duration
	failed *message
}

func (t *timeFlag) failure() *message { return t.failed }

// String returns the time as given.
func (t *timeFlag) String() string { return t.raw }

// Set parses v.
func (t *timeFlag) Set(v string) error {
	v = strings.TrimSpace(v)
	if d, ok := parseAgo(v); ok {
		*t = timeFlag{raw: v, ago: d}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if at, err := time.Parse(layout, v); err == nil {
			*t = timeFlag{raw: v, at: at.UTC()}
			return nil
		}
	}
	t.failed = msg("want a date (2026-06-01), a date and time (2026-06-01T08:00, UTC unless it has an offset) or a time ago (36h, 7d)")
	return t.failed
}

// parseAgo parses a positive duration, with d for days besides Go's units.
func parseAgo(v string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		if _, err := fmt.Sscan(days, &n); err == nil && fmt.Sprint(n) == days && n > 0 {
			return time.Duration(n) * 24 * time.Hour, true
		}
		return 0, false
	}
	d, err := time.ParseDuration(v)
	return d, err == nil && d > 0
}

// tally filters alerts by level and time before they are written, and
// counts what it lets through and what it holds back.
type tally struct {
	minRank int
	window  *window
	// byLevel and byRow count the alerts shown.
	byLevel, byRow map[string]int
	// belowLevel and outside count the alerts held back by --min-level
	// and by --since and --until.
	belowLevel, outside int
	worst               int // rank of the most severe alert shown
	// also, when set, is given each alert shown too.
	also func(alert.Alert)
}

func newTally(minLevel string, w *window) *tally {
	if w == nil {
		w = &window{}
	}
	return &tally{minRank: alert.Rank(minLevel), window: w, byLevel: map[string]int{}, byRow: map[string]int{}}
}

// keep reports whether a is to be shown, and counts it.
func (t *tally) keep(a alert.Alert) bool {
	if t.window.set() {
		at, _ := time.Parse(time.RFC3339Nano, a.Time)
		if !t.window.contains(at) {
			t.outside++
			return false
		}
	}
	if alert.Rank(a.Level) < t.minRank {
		t.belowLevel++
		return false
	}
	t.byLevel[a.Level]++
	t.byRow[a.GuideRow]++
	t.worst = max(t.worst, alert.Rank(a.Level))
	return true
}

// writer returns a Writer that writes to w the alerts t keeps.
func (t *tally) writer(w sink.Writer) sink.Writer {
	return &filteredSink{Writer: w, t: t}
}

// filteredSink writes the alerts its tally keeps.
type filteredSink struct {
	sink.Writer
	t *tally
}

// Write writes a if the tally keeps it.
func (f *filteredSink) Write(a alert.Alert) error {
	if !f.t.keep(a) {
		return nil
	}
	if f.t.also != nil {
		f.t.also(a)
	}
	return f.Writer.Write(a)
}

// DescribeRun gives run to the writer, when its format shows the run.
func (f *filteredSink) DescribeRun(run report.Run) {
	sink.DescribeRun(f.Writer, run)
}

// failOn returns exitFindings when an alert shown is at or above level.
func (t *tally) failOn(level string) int {
	if level != "" && t.worst >= alert.Rank(level) {
		return exitFindings
	}
	return exitOK
}
