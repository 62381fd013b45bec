package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
)

const demoAbout = `Scans a week of made-up logs of Fabrikam, a fictional company, with Fabrikam's tenant policy,
and prints the alerts and the guide rows they cover. The week is ordinary work and a Saturday-night
attack; the logs come in every layout appwatch reads. --list shows the files, --extract writes
them out for 'appwatch scan' and 'appwatch events'. --config replaces Fabrikam's policy.`

// runDemo runs "appwatch demo": a scan of the embedded sample tenant.
func runDemo(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "demo", "[--list | --extract DIR]", demoAbout)
	var f scanFlags
	f.register(fs)
	list := fs.Bool("list", false, "list the embedded files and exit")
	extract := fs.String("extract", "", "write the embedded logs, policy and README into `DIR` and exit")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	switch {
	case *list:
		return listDemo(env)
	case *extract != "":
		return extractDemo(env, *extract)
	}
	if !f.check(env, "demo") {
		return exitUsage
	}
	return scanDemo(ctx, env, &f)
}

// scanDemo scans the embedded logs and writes what scan writes.
func scanDemo(ctx context.Context, env Env, f *scanFlags) int {
	pol, ok := demoPolicy(env, f.config)
	if !ok {
		return exitUsage
	}
	cfg, rules, ok := detectorConfig(ctx, env, f, pol)
	if !ok {
		return exitUsage
	}
	cfg.Now = demo.ReviewTime() // the demo judges suppressions at its review time, so its output never ages
	inputs, err := demo.Inputs()
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	res, err := scan.Run(ctx, inputs, cfg, ingest.Options{Workers: f.workers})
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	worst, err := writeSorted(env, f, rules, res.Alerts, scanRun(report.CommandDemo, cfg.Now, res))
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	writeReadSummary(env.Stderr, res.Read, f.quiet, f.verbose)
	if !f.quiet {
		writeCoverage(env.Stderr, i18n.NewPrinter(f.lang), res)
		fmt.Fprintln(env.Stderr, "\nThe logs are made up. 'appwatch demo --extract DIR' writes them out with the policy and the story.")
	}
	return exitStatus(readStatus(env, "demo", res.Read), failOnRank(f.failOn, worst))
}

// writeSorted writes alerts in the order given and returns the rank of
// the most severe. The demo collects its few alerts rather than streaming
// them, so that they come out in time order and the same on every run.
func writeSorted(env Env, f *scanFlags, rules *ruleset.Set, alerts []alert.Alert, run report.Run) (int, error) {
	w, err := openSink(env, f.format, f.lang, rules.Meta())
	if err != nil {
		return 0, err
	}
	return writeAll(w, alerts, "alerts", run)
}

// demoPolicy returns the policy file at path, or Fabrikam's policy when
// path is empty.
func demoPolicy(env Env, path string) (*policy.Policy, bool) {
	if path != "" {
		return loadPolicy(env, path)
	}
	p, err := demo.Policy()
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return nil, false
	}
	return p, true
}

// listDemo prints the embedded files, their sizes and what they hold.
func listDemo(env Env) int {
	files, err := demo.Files()
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\t    SIZE\tCONTENT")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%8s\t%s\n", f.Path, byteSize(f.Size), f.About)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// byteSize writes n in bytes, KB or MB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// extractDemo writes the embedded files into dir and says how to scan
// them.
func extractDemo(env Env, dir string) int {
	written, err := demo.Extract(dir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch demo: %v\n", err)
		return exitUsage
	}
	logs := filepath.Join(dir, demo.LogDir)
	fmt.Fprintf(env.Stdout, "wrote %d files into %s; try\n\n", len(written), dir)
	fmt.Fprintf(env.Stdout, "    appwatch scan %s --config %s\n", logs, filepath.Join(dir, demo.PolicyFile))
	fmt.Fprintf(env.Stdout, "    appwatch events %s\n\n", logs)
	fmt.Fprintf(env.Stdout, "%s tells the story of the week.\n", filepath.Join(dir, demo.ReadmeFile))
	return exitOK
}
