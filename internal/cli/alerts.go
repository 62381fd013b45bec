package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/store"
)

// alertsFlags are the flags of appwatch alerts.
type alertsFlags struct {
	outputFlags
	store        string
	since, until string
	rows         stringList
	minLevel     string
	statuses     stringList
}

var statuses = []string{alert.StatusOpen, alert.StatusAcknowledged, alert.StatusResolved, alert.StatusSuppressed}

func runAlerts(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "alerts", "", "Writes the alerts a watch store holds, oldest activity first, in the formats of appwatch scan,\neach with its alert_key, status and first_seen.")
	var f alertsFlags
	f.outputFlags.register(fs, "a stored alert")
	fs.StringVar(&f.store, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	fs.StringVar(&f.since, "since", "", "only activity at or after `TIME`: RFC 3339, a date (2026-05-04, UTC) or a duration ago (24h)")
	fs.StringVar(&f.until, "until", "", "only activity before `TIME`, written as for --since")
	fs.Var(&f.rows, "row", "only alerts of guide `ROW` (repeatable, or comma-separated)")
	fs.StringVar(&f.minLevel, "min-level", "", "only alerts at or above `LEVEL`")
	fs.Var(&f.statuses, "status", "only alerts in `STATUS`: open, acknowledged, resolved, suppressed (repeatable, or comma-separated)")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	filter, msg := f.filter(time.Now())
	switch {
	case fs.NArg() > 0:
		msg = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case f.store == "":
		msg = "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)"
	}
	if msg != "" {
		fmt.Fprintf(env.Stderr, "appwatch alerts: %s\n", msg)
		return exitUsage
	}
	if !f.check(env, "alerts") {
		return exitUsage
	}
	st, err := store.Open(ctx, f.store, store.Options{MustExist: true})
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch alerts: %v\n", err)
		return exitUsage
	}
	defer st.Close()
	w, err := openSink(env, f.format, f.lang, nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch alerts: %v\n", err)
		return exitUsage
	}
	worst := 0
	err = st.Alerts(ctx, filter, func(a alert.Alert) error {
		worst = max(worst, alert.Rank(a.Level))
		return w.Write(a)
	})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch alerts: %v\n", err)
		return exitUsage
	}
	return failOnRank(f.failOn, worst)
}

// filter turns the flags into a store filter, or says what is wrong.
func (f *alertsFlags) filter(now time.Time) (store.Filter, string) {
	var out store.Filter
	var err error
	if out.Since, err = parseWhen(f.since, now); err != nil {
		return out, "--since: " + err.Error()
	}
	if out.Until, err = parseWhen(f.until, now); err != nil {
		return out, "--until: " + err.Error()
	}
	out.Rows = splitList(f.rows)
	if f.minLevel != "" && !alert.ValidLevel(f.minLevel) {
		return out, fmt.Sprintf("--min-level %q: want informational, low, medium, high or critical", f.minLevel)
	}
	out.MinLevel = f.minLevel
	out.Statuses = splitList(f.statuses)
	for _, s := range out.Statuses {
		if !slices.Contains(statuses, s) {
			return out, fmt.Sprintf("--status %q: want %s", s, strings.Join(statuses, ", "))
		}
	}
	return out, ""
}

// parseWhen reads a time given as RFC 3339, a date (UTC) or a duration
// before now; empty gives the zero time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339 (2026-05-04T10:00:00Z), a date (2026-05-04) or a duration ago (24h)", s)
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
