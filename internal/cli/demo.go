package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/scan"
)

const demoAbout = `Scans a week of made-up logs of Fabrikam, a fictional company, with Fabrikam's tenant policy,
and prints the alerts and the guide rows they cover. The week is ordinary work and a Saturday-night
attack; the logs come in every layout appwatch reads. --list shows the files, --extract writes
them out for 'appwatch scan' and 'appwatch events'. --config replaces Fabrikam's policy.`

// demoCommand is "appwatch demo": a scan of the embedded sample tenant.
func demoCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "demo", "[--list | --extract DIR]", demoAbout)
	var f scanFlags
	f.register(c)
	list := c.Bool("list", false, "list the embedded files and exit")
	extract := c.String("extract", "", "write the embedded logs, policy and README into `DIR` and exit")
	return c, func(ctx context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q", c.Arg(0))
		}
		switch {
		case *list:
			return listDemo(c)
		case *extract != "":
			return extractDemo(c, *extract)
		}
		if !f.check(c) || !f.window.resolve(c, demo.ReviewTime()) {
			return exitUsage
		}
		return scanDemo(ctx, c, &f)
	}
}

// scanDemo scans the embedded logs and writes what scan writes.
func scanDemo(ctx context.Context, c *cmdline, f *scanFlags) int {
	pol, ok := demoPolicy(c, f.config)
	if !ok {
		return exitUsage
	}
	cfg, rules, ok := detectorConfig(ctx, c, f, pol, nil)
	if !ok {
		return exitUsage
	}
	cfg.Now = demo.ReviewTime() // the demo judges suppressions at its review time, so its output never ages
	inputs, err := demo.Inputs()
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	res, err := scan.Run(ctx, inputs, cfg, ingest.Options{Workers: f.workers.n})
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	// The demo collects its few alerts rather than streaming them, so
	// that they come out in time order and the same on every run.
	shown := newTally(f.minLevel.value, &f.window)
	out, err := openOutputs(c.env, f.outputs, f.lang, rules.Meta(), false)
	if err == nil {
		err = writeAll(shown.writer(out), res.Alerts, "alerts", scanRun(report.CommandDemo, cfg.Now, res))
	}
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	writeReadSummary(c, res.Read, f.quiet, f.verbose)
	if !f.quiet {
		writeCoverage(c.env.Stderr, i18n.NewPrinter(f.lang), res, shown, f.summary(c.env))
		fmt.Fprintln(c.env.Stderr, "\n"+c.text("The logs are made up. 'appwatch demo --extract DIR' writes them out with the policy and the story."))
	}
	return exitStatus(readStatus(c, res.Read), shown.failOn(f.failOn.value))
}

// demoPolicy returns the policy file at path, or Fabrikam's policy when
// path is empty.
func demoPolicy(c *cmdline, path string) (*policy.Policy, bool) {
	if path != "" {
		return loadPolicy(c, path)
	}
	p, err := demo.Policy()
	if err != nil {
		c.errorf("%v", err)
		return nil, false
	}
	return p, true
}

// listDemo prints the embedded files, their sizes and what they hold.
func listDemo(c *cmdline) int {
	files, err := demo.Files()
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\t    SIZE\tCONTENT")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%8s\t%s\n", f.Path, byteSize(f.Size), f.About)
	}
	if err := tw.Flush(); err != nil {
		c.errorf("%v", err)
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
func extractDemo(c *cmdline, dir string) int {
	written, err := demo.Extract(dir)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	out := c.env.Stdout
	logs := filepath.Join(dir, demo.LogDir)
	fmt.Fprintf(out, "%s\n\n", c.text("wrote %d files into %s; try", len(written), dir))
	fmt.Fprintf(out, "    appwatch scan %s --config %s\n", logs, filepath.Join(dir, demo.PolicyFile))
	fmt.Fprintf(out, "    appwatch events %s\n\n", logs)
	fmt.Fprintln(out, c.text("%s tells the story of the week.", filepath.Join(dir, demo.ReadmeFile)))
	return exitOK
}
