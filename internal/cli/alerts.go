package cli

import (
	"context"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/store"
)

// alertsFlags are the flags of appwatch alerts.
type alertsFlags struct {
	outputFlags
	window   window
	store    string
	rows     stringList
	statuses stringList
}

var statuses = []string{alert.StatusOpen, alert.StatusAcknowledged, alert.StatusResolved, alert.StatusSuppressed}

func alertsCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "alerts", "", "Writes the alerts a watch store holds, oldest activity first, in the formats of appwatch scan,\n"+
		"each with its alert_key, status and first_seen.")
	var f alertsFlags
	f.outputFlags.register(c, "a stored alert", "stored alerts")
	f.window.register(c, "alerts whose activity is")
	c.StringVar(&f.store, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	c.Var(&f.rows, "row", "show only alerts of guide `ROW` (repeatable, or comma-separated)")
	c.Var(&f.statuses, "status", "show only alerts in `STATUS`: open, acknowledged, resolved, suppressed (repeatable, or comma-separated)")
	return c, func(ctx context.Context) int {
		filter, problem := f.filter()
		switch {
		case c.NArg() > 0:
			problem = msg("unexpected argument %q", c.Arg(0))
		case f.store == "":
			problem = msg("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		}
		if problem != nil {
			return c.fail(problem)
		}
		if !f.check(c) || !f.window.resolve(c, env.now()) {
			return exitUsage
		}
		filter.Since, filter.Until = f.window.since.at, f.window.until.at
		return listAlerts(ctx, c, &f, filter)
	}
}

// listAlerts writes the stored alerts filter selects.
func listAlerts(ctx context.Context, c *cmdline, f *alertsFlags, filter store.Filter) int {
	st, err := store.Open(ctx, f.store, store.Options{MustExist: true})
	if err != nil {
		c.report(err)
		return exitUsage
	}
	defer st.Close()
	out, err := openOutputs(c.env, f.outputs, f.lang, nil, true)
	if err != nil {
		c.report(err)
		return exitUsage
	}
	shown := newTally("", nil)
	w := shown.writer(out)
	err = st.Alerts(ctx, filter, w.Write)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.report(err)
		return exitUsage
	}
	return shown.failOn(f.failOn.value)
}

// filter turns the flags into a store filter, or says what is wrong.
func (f *alertsFlags) filter() (store.Filter, *message) {
	out := store.Filter{Rows: splitList(f.rows), MinLevel: f.minLevel.value, Statuses: splitList(f.statuses)}
	for _, s := range out.Statuses {
		if !slices.Contains(statuses, s) {
			return out, msg("--status %q: want one of %s", s, strings.Join(statuses, ", "))
		}
	}
	return out, nil
}

// splitList splits the comma-separated values of a repeatable flag.
func splitList(l stringList) []string {
	var out []string
	for _, v := range l {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
