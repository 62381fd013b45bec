package cli

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/snapdiff"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/termtext"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// diffCommand is "appwatch posture diff OLD NEW".
func diffCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "posture diff", "OLD NEW", "Compares two snapshots of a tenant (folders or files saved by 'appwatch posture collect', or\n"+
		"exported by other tools) and raises an alert for each change the guide asks to watch that\n"+
		"happened between them: credentials added, redirect and identifier URIs added or removed,\n"+
		"logout URLs changed, owners added, highly privileged permissions granted, roles assigned to\n"+
		"service principals. It finds changes whose audit records are missing. Apps and service\n"+
		"principals new in NEW are not compared; posture checks judge them.")
	var out outputFlags
	out.register(c, "a change", "changes")
	config := c.String("config", "", "tenant policy `FILE` (levels, suppressions, owned domains)")
	tenant := c.String("tenant", "", "directory (tenant) `ID` the snapshots are of")
	quiet := c.Bool("quiet", false, "print nothing on standard error but errors")
	return c, func(context.Context) int {
		if c.NArg() != 2 {
			return c.usageError("want two snapshots, OLD and NEW")
		}
		if !out.check(c) {
			return exitUsage
		}
		pol, ok := loadPolicy(c, *config)
		if !ok {
			return exitUsage
		}
		var snaps [2]*snapshot.Snapshot
		for i, path := range c.Args() {
			if snaps[i], ok = readSnapshot(c, path); !ok {
				return exitUsage
			}
		}
		ref, err := refdata.Load()
		if err != nil {
			c.errorf("reference data: %v", err)
			return exitUsage
		}
		opts := snapdiff.Options{Ref: ref, Policy: pol, Lang: out.lang,
			Old: snapdiff.Side{Source: c.Arg(0)}, New: snapdiff.Side{Source: c.Arg(1)}, Now: env.now()}
		if uricheck.IsGUID(*tenant) {
			opts.TenantID = *tenant
		}
		res, err := snapdiff.Diff(snaps[0], snaps[1], opts)
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		alerts := make([]alert.Alert, len(res.Changes))
		for i, ch := range res.Changes {
			alerts[i] = ch.Alert
		}
		shown := newTally(out.minLevel.value, nil)
		run := report.Run{Command: report.CommandPosture, Time: env.now(), Suppressed: res.Suppressed, Sources: c.Args()}
		w, err := openOutputs(env, out.outputs, out.lang, snapdiff.Rules(), false)
		if err == nil {
			err = writeAll(shown.writer(w), alerts, "changes", run)
		}
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		if !*quiet {
			parts := summaryParts{totals: !out.tableOnTerminal(env), minLevel: out.minLevel.value}
			writeDiffSummary(env.Stderr, i18n.NewPrinter(out.lang), res, shown, parts)
		}
		return shown.failOn(out.failOn.value)
	}
}

// readSnapshot reads the snapshot at path, printing what it left out,
// and refuses one that holds nothing.
func readSnapshot(c *cmdline, path string) (*snapshot.Snapshot, bool) {
	s, problems, err := snapshot.Read(path)
	if err != nil {
		c.errorf("%s", termtext.Clean(c.p.Error(err)))
		return nil, false
	}
	for _, p := range problems {
		c.errorf("%s", termtext.Clean(p.String()))
	}
	if s.Empty() {
		c.errorf("no application, service principal, grant, role, domain or policy found in %s", path)
		return nil, false
	}
	return s, true
}

// writeDiffSummary prints the totals, how many changes each guide row
// with changes has, and how many the policy suppressed.
func writeDiffSummary(w io.Writer, p *i18n.Printer, res *snapdiff.Result, shown *tally, parts summaryParts) {
	fmt.Fprintln(w)
	writeTotals(w, p, shown, parts)
	var rows []string
	for _, r := range snapdiff.Rules() {
		if shown.byRow[r.GuideRow] > 0 && !slices.Contains(rows, r.GuideRow) {
			rows = append(rows, r.GuideRow)
		}
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %s  %s\n", termtext.Pad(p.Row(row), 44), p.Count("summary.alerts", shown.byRow[row]))
	}
	if n := sumCounts(res.Suppressed); n > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.suppressed", n))
	}
}
