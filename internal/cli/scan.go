package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/progress"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/sink"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/source"
	"github.com/appwatch/appwatch/internal/termtext"
)

// scanFlags are the flags scan and demo share.
type scanFlags struct {
	outputFlags
	window    window
	config    string
	dirs      ruleDirs
	noBuiltin bool
	strict    bool
	quiet     bool
	verbose   bool
	workers   positiveInt
	// snapshots are tenant snapshots the enrichers fall back on (scan
	// only).
	snapshots snapshotPaths
	// notify are the sinks the alerts shown are sent to (scan only).
	notify sinkSpecs
}

func (f *scanFlags) register(c *cmdline) {
	f.outputFlags.register(c, "an alert", "alerts")
	f.window.register(c, "alerts")
	c.StringVar(&f.config, "config", "", "tenant policy `FILE` (business hours, change windows, owned domains, suppressions)")
	c.Var(&f.dirs, "rules", "also load the Sigma rules in `DIR` (repeatable)")
	c.BoolVar(&f.noBuiltin, "no-builtin", false, "do not load the built-in rules")
	c.BoolVar(&f.strict, "strict-rules", false, strictRulesHelp)
	c.BoolVar(&f.quiet, "quiet", false, "print nothing on standard error but errors")
	c.BoolVar(&f.verbose, "v", false, "list every input in the summary")
	f.workers = positiveInt{n: runtime.NumCPU()}
	c.Var(&f.workers, "workers", "decode with `N` goroutines, sharing large inputs too (default: the number of CPUs)")
}

func scanCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "scan", "PATH...", "Reads exported Entra audit, sign-in, Key Vault and Activity Log files (any supported layout,\ngzip too; directories recursively; '-' is standard input) and raises an alert for every guide row\nfound in them.\n\n"+exitHelp(true))
	var f scanFlags
	f.register(c)
	c.Var(&f.snapshots, "snapshot", "tenant snapshot in `PATH` (as 'appwatch posture collect' saves it; repeatable): its verified\n"+
		"domains decide whether URI hosts are the tenant's, its service principals and applications fill\n"+
		"in what a record leaves out")
	f.notify.flag = "notify"
	c.Var(&f.notify, "notify", "also send the alerts shown to `SINK` (repeatable): webhook:URL, teams:URL, slack:URL,\n"+
		"syslog:tcp://HOST:PORT, splunk:URL, sentinel:URL, file:PATH (see docs/delivery.md)")
	return c, func(ctx context.Context) int {
		if c.NArg() == 0 {
			return c.usage()
		}
		if !f.check(c) || !f.window.resolve(c, env.now()) {
			return exitUsage
		}
		inputs, err := source.Expand(c.Args(), env.Stdin)
		if err != nil {
			c.errorf("%s", termtext.Clean(c.p.Error(err)))
			return exitUsage
		}
		return scanInputs(ctx, c, &f, inputs)
	}
}

// scanInputs runs the whole pipeline over inputs and writes the alerts.
func scanInputs(ctx context.Context, c *cmdline, f *scanFlags, inputs []source.Input) int {
	pol, ok := loadPolicy(c, f.config)
	if !ok {
		return exitUsage
	}
	tenant, unread, ok := loadTenant(c, f.snapshots)
	if !ok {
		return exitUsage
	}
	cfg, rules, ok := detectorConfig(ctx, c, f, pol, tenant)
	if !ok {
		return exitUsage
	}
	bar := startBar(c.env, inputs, f.quiet, "scanning")
	shown := newTally(f.minLevel.value, &f.window)
	var notify []alert.Alert
	if len(f.notify.configs) > 0 {
		shown.also = func(a alert.Alert) { notify = append(notify, a) }
	}
	res, err := runAndWrite(ctx, c.env, f, cfg, rules, inputs, ingest.Options{Workers: f.workers.n, Progress: bar}, shown)
	bar.Finish()
	if err != nil {
		c.errorf("%s", termtext.Clean(c.p.Error(err)))
		return exitUsage
	}
	writeReadSummary(c, res.Read, f.quiet, f.verbose)
	if !f.quiet {
		writeAliases(c, inputs, f.verbose)
	}
	if !f.quiet {
		writeCoverage(c.env.Stderr, i18n.NewPrinter(f.lang), res, shown, f.summary(c.env))
	}
	read := readStatus(c, res.Read)
	if read == exitOK {
		read = snapshotStatus(c, unread)
	}
	if sent := notifyAlerts(ctx, c, &f.notify, f.lang, rules.Meta(), pol, notify, f.quiet); sent != exitOK && read == exitOK {
		read = sent
	}
	return exitStatus(read, shown.failOn(f.failOn.value))
}

// summary says what the summary on standard error holds besides coverage.
func (f *scanFlags) summary(env Env) summaryParts {
	return summaryParts{totals: !f.tableOnTerminal(env), minLevel: f.minLevel.value}
}

// readStatus returns the exit status what was read calls for, saying on
// standard error when something could not be read: exitUsage when no input
// could be read at all, exitIncomplete when some inputs or records could
// not, exitOK otherwise.
func readStatus(c *cmdline, sum *ingest.Summary) int {
	t := sum.Totals()
	switch {
	case t.NoneRead():
		c.errorf("no input could be read")
		return exitUsage
	case t.Incomplete():
		var what []string
		if t.Unreadable > 0 {
			what = append(what, c.text("%d of %d inputs unreadable", t.Unreadable, t.Inputs))
		}
		if t.Errors > 0 {
			what = append(what, c.text("%d read errors", t.Errors))
		}
		c.errorf("incomplete: %s (listed above); the results cover only what could be read (exit status %d)",
			strings.Join(what, c.text("why.list-sep")), exitIncomplete)
		return exitIncomplete
	}
	return exitOK
}

// exitStatus combines the status of reading and that of --fail-on: a usage
// error first, then findings, then inputs that could not be read.
func exitStatus(read, findings int) int {
	switch {
	case read == exitUsage:
		return exitUsage
	case findings != exitOK:
		return findings
	}
	return read
}

// startBar starts a progress bar over the inputs' bytes on a terminal,
// unless quiet or the inputs are too small to wait for.
func startBar(env Env, inputs []source.Input, quiet bool, label string) *progress.Bar {
	var total int64
	for _, in := range inputs {
		total += max(in.Size, 0)
	}
	return progress.Start(env.Stderr, env.StderrTTY && !quiet && total > 8<<20, label, total, cmp.Or(env.Width, 80))
}

// runAndWrite scans inputs and streams each alert shown to the outputs as
// it is raised, so memory does not grow with the number of alerts.
func runAndWrite(ctx context.Context, env Env, f *scanFlags, cfg scan.Config, rules *ruleset.Set, inputs []source.Input, opts ingest.Options, shown *tally) (*scan.Result, error) {
	out, err := openOutputs(env, f.outputs, f.lang, rules.Meta(), false)
	if err != nil {
		return nil, err
	}
	w := shown.writer(out)
	cfg.Emit = func(a alert.Alert) error {
		if err := w.Write(a); err != nil {
			return fmt.Errorf("write alerts: %w", err)
		}
		return nil
	}
	res, err := scan.Run(ctx, inputs, cfg, opts)
	if err == nil {
		sink.DescribeRun(w, scanRun(report.CommandScan, time.Now(), res))
	}
	if cerr := w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write alerts: %w", cerr)
	}
	return res, err
}

// detectorConfig loads the reference data, rules and enrichers for the
// policy pol and the tenant (nil when no snapshot was given).
func detectorConfig(ctx context.Context, c *cmdline, f *scanFlags, pol *policy.Policy, tenant *enrich.Tenant) (scan.Config, *ruleset.Set, bool) {
	ref, err := refdata.Load()
	if err != nil {
		c.errorf("reference data: %v", err)
		return scan.Config{}, nil, false
	}
	set, ok := loadRules(ctx, c, ruleset.Options{NoBuiltin: f.noBuiltin, Dirs: f.dirs, Placeholders: pol.Placeholders, Strict: f.strict})
	if !ok {
		return scan.Config{}, nil, false
	}
	warnUnknownRules(c, pol, set)
	cfg := scan.Config{
		Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Enricher: enrich.New(ref, pol, enrich.WithTenant(tenant)),
		Policy:   pol,
		Lang:     f.lang,
	}
	return cfg, set, true
}

// loadTenant reads the tenant snapshots given with --snapshot, nil when
// none was given, and says how many of their problems lost data.
func loadTenant(c *cmdline, paths []string) (*enrich.Tenant, int, bool) {
	if len(paths) == 0 {
		return nil, 0, true
	}
	s, problems, err := snapshot.Read(paths...)
	if err != nil {
		c.errorf("--snapshot: %s", termtext.Clean(c.p.Error(err)))
		return nil, 0, false
	}
	for _, p := range problems {
		c.errorf("%s", termtext.Clean(p.String()))
	}
	if len(s.Applications)+len(s.ServicePrincipals)+len(s.Domains) == 0 {
		c.errorf("--snapshot: no application, service principal or domain found in %s", strings.Join(paths, ", "))
		return nil, 0, false
	}
	return enrich.NewTenant(s), snapshot.Unread(problems), true
}

// scanRun describes a scan for the formats that show the whole run.
func scanRun(command string, now time.Time, res *scan.Result) report.Run {
	return report.Run{Command: command, Time: now, Read: res.Read, Coverage: res.Coverage.Rows(), Suppressed: res.Suppressed}
}

// writeAll writes alerts to w in the order given, describes the run to
// the formats that show it, and closes w. what names the alerts in
// errors.
func writeAll(w sink.Writer, alerts []alert.Alert, what string, run report.Run) error {
	for _, a := range alerts {
		if err := w.Write(a); err != nil {
			w.Close()
			return fmt.Errorf("write %s: %w", what, err)
		}
	}
	sink.DescribeRun(w, run)
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}

// writeReadSummary prints what was read: every input with -v, otherwise
// only the inputs with problems, then the totals. When quiet, it prints
// only the problems, if there are any. It writes in the command's
// language.
func writeReadSummary(c *cmdline, sum *ingest.Summary, quiet, verbose bool) {
	switch {
	case quiet && !sum.Totals().Incomplete():
	case verbose && !quiet:
		sum.Write(c.env.Stderr, c.p)
	default:
		sum.WriteProblems(c.env.Stderr, c.p)
	}
}

// writeAliases says how many paths named a file already among the inputs
// and were not read again, and with verbose which ones.
func writeAliases(c *cmdline, inputs []source.Input, verbose bool) {
	n := 0
	for _, in := range inputs {
		for _, alias := range in.Aliases {
			n++
			if verbose {
				fmt.Fprintln(c.env.Stderr, termtext.Clean(c.text("%s: the same file as %s, read once", alias, in.Name)))
			}
		}
	}
	if n > 0 {
		fmt.Fprintln(c.env.Stderr, c.text("%d paths name a file already read (a link, or a path given twice): each file was read once", n))
	}
}

// summaryParts say what a summary on standard error holds besides
// coverage.
type summaryParts struct {
	// totals is false when a table on the terminal already gave them.
	totals bool
	// minLevel is --min-level, named when it held alerts back.
	minLevel string
}

// writeTotals prints the alerts shown by level and the guide rows they
// fall in, unless parts say the table gave them, then what --min-level,
// --since and --until held back.
func writeTotals(w io.Writer, p *i18n.Printer, shown *tally, parts summaryParts) {
	if parts.totals {
		rows := 0
		for key := range shown.byRow {
			if i18n.IsRow(key) {
				rows++
			}
		}
		fmt.Fprintln(w, sink.Totals(p, shown.byLevel))
		fmt.Fprintln(w, p.Sprintf("summary.rows", rows, len(i18n.Rows())))
	}
	if shown.belowLevel > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.below-level", shown.belowLevel, p.Level(parts.minLevel)))
	}
	if shown.outside > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.outside-window", shown.outside))
	}
}

// writeCoverage prints the totals, which guide rows the input could show
// and how many alerts each raised.
func writeCoverage(w io.Writer, p *i18n.Printer, res *scan.Result, shown *tally, parts summaryParts) {
	rows := res.Coverage.Rows()
	could := 0
	for _, r := range rows {
		if r.Shown {
			could++
		}
	}
	fmt.Fprintln(w)
	writeTotals(w, p, shown, parts)
	fmt.Fprintln(w, p.Sprintf("coverage.could-show", could, len(rows)))
	var keys []string
	for _, r := range rows {
		keys = append(keys, r.Row.Key)
	}
	width := nameWidth(p, keys)
	for _, r := range rows {
		state := p.Count("summary.alerts", shown.byRow[r.Row.Key])
		switch {
		case r.Missing == "graph":
			state = p.Sprintf("coverage.posture-only")
		case !r.Shown:
			state = p.Sprintf("coverage.because", p.Sprintf("coverage.not-covered"), p.Sprintf("coverage.no-"+r.Missing))
		}
		fmt.Fprintf(w, "  %s  %s\n", termtext.Pad(p.Row(r.Row.Key), width), state)
	}
	if n := sumCounts(res.Suppressed); n > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.suppressed", n))
	}
	if n := sumCounts(res.Copies); n > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.copies", n))
	}
	if res.LateCorrelationInputs > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.late", res.LateCorrelationInputs))
	}
}

// nameWidth returns the width of the longest name of the guide rows keys
// in p's language, so that what follows the names lines up.
func nameWidth(p *i18n.Printer, keys []string) int {
	w := 0
	for _, k := range keys {
		w = max(w, termtext.Width(p.Row(k)))
	}
	return w
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
