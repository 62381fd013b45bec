package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/termtext"
)

// deliveriesFlags are the flags of appwatch deliveries list and retry.
type deliveriesFlags struct {
	store  string
	sinks  stringList
	states stringList
	key    string
	json   bool
	limit  int
}

func (f *deliveriesFlags) register(c *cmdline, list bool) {
	c.StringVar(&f.store, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	c.Var(&f.sinks, "sink", "only deliveries to the sink named `NAME` (as in the metrics; repeatable, or comma-separated)")
	c.StringVar(&f.key, "alert", "", "only deliveries of the alert whose alert_key is `KEY`")
	if list {
		c.Var(&f.states, "state", "only deliveries in `STATE`: pending, sent, dead, silenced (repeatable, or comma-separated)")
		c.BoolVar(&f.json, "json", false, "write one JSON object per delivery, with its alert")
		c.IntVar(&f.limit, "limit", 0, "list at most `N` deliveries (0: all)")
	}
}

// filter checks the flags and turns them into a store filter.
func (f *deliveriesFlags) filter(c *cmdline) (store.DeliveryFilter, *message) {
	out := store.DeliveryFilter{Sinks: splitList(f.sinks), States: splitList(f.states), AlertKey: f.key, Limit: f.limit, WithAlert: f.json}
	for _, s := range out.States {
		if !slices.Contains(store.DeliveryStates(), s) {
			return out, msg("--state %q: want one of %s", s, strings.Join(store.DeliveryStates(), ", "))
		}
	}
	switch {
	case c.NArg() > 0:
		return out, msg("unexpected argument %q", c.Arg(0))
	case f.store == "":
		return out, msg("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
	case f.limit < 0:
		return out, msg("--limit must be zero or more")
	}
	return out, nil
}

// openStore opens an existing store for a command, saying why not.
func openStore(ctx context.Context, c *cmdline, dsn string) (*store.Store, bool) {
	st, err := store.Open(ctx, dsn, store.Options{MustExist: true})
	if err != nil {
		c.report(err)
		return nil, false
	}
	return st, true
}

func deliveriesListCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "deliveries list", "", "Lists the deliveries of stored alerts to sinks, oldest first: pending ones with their next\n"+
		"attempt, sent ones, dead letters with the last error, and those a silence held back.")
	var f deliveriesFlags
	f.register(c, true)
	return c, func(ctx context.Context) int {
		filter, problem := f.filter(c)
		if problem != nil {
			return c.fail(problem)
		}
		st, ok := openStore(ctx, c, f.store)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		if err := listDeliveries(ctx, env, c.p, st, filter, f.json); err != nil {
			c.report(err)
			return exitUsage
		}
		return exitOK
	}
}

// deliveryJSON is a delivery as deliveries list --json writes it.
type deliveryJSON struct {
	ID        int64        `json:"id"`
	AlertKey  string       `json:"alert_key"`
	Sink      string       `json:"sink"`
	Group     string       `json:"group,omitempty"`
	State     string       `json:"state"`
	Attempts  int          `json:"attempts"`
	Created   string       `json:"created"`
	Due       string       `json:"due,omitempty"`
	Done      string       `json:"done,omitempty"`
	LastError string       `json:"last_error,omitempty"`
	Alert     *alert.Alert `json:"alert,omitempty"`
}

func listDeliveries(ctx context.Context, env Env, p *i18n.Printer, st *store.Store, filter store.DeliveryFilter, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		return st.Deliveries(ctx, filter, func(d store.Delivery) error {
			return enc.Encode(deliveryJSON{ID: d.ID, AlertKey: d.AlertKey, Sink: d.Sink, Group: d.Group, State: d.State,
				Attempts: d.Attempts, Created: alert.FormatTime(d.Created), Due: formatOptional(d.Due), Done: formatOptional(d.Done),
				LastError: d.LastError, Alert: &d.Alert})
		})
	}
	rows := [][]string{strings.Split(p.Sprintf("head.deliveries"), "\t")}
	err := st.Deliveries(ctx, filter, func(d store.Delivery) error {
		when := cmp.Or(formatOptional(d.Due), formatOptional(d.Done), "-")
		rows = append(rows, []string{strconv.FormatInt(d.ID, 10), termtext.Clean(d.Sink), d.State, strconv.Itoa(d.Attempts),
			alert.FormatTime(d.Created), when, d.AlertKey, termtext.Clean(cmp.Or(d.LastError, "-"))})
		return nil
	})
	if err != nil {
		return err
	}
	return writeColumns(env.Stdout, rows)
}

// formatOptional writes t in RFC 3339, or nothing for the zero time.
func formatOptional(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return alert.FormatTime(t)
}

func deliveriesRetryCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "deliveries retry", "", "Makes dead deliveries pending again, due now: a running appwatch watch with the same sinks sends\n"+
		"them, and gives them up again only --dead-after from now. Without --sink or --alert, every dead\n"+
		"delivery is retried.")
	var f deliveriesFlags
	f.register(c, false)
	return c, func(ctx context.Context) int {
		filter, problem := f.filter(c)
		if problem != nil {
			return c.fail(problem)
		}
		st, ok := openStore(ctx, c, f.store)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		n, err := st.RetryDeliveries(ctx, filter)
		if err != nil {
			c.report(err)
			return exitUsage
		}
		fmt.Fprintln(env.Stdout, c.text("%d dead deliveries are pending again", n))
		return exitOK
	}
}

// silenceFlags are the flags of appwatch silence add, list and expire.
type silenceFlags struct {
	store    string
	reason   string
	author   string
	duration time.Duration
	all      bool
}

func (f *silenceFlags) registerStore(c *cmdline) {
	c.StringVar(&f.store, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	c.StringVar(&f.author, "author", "", "who does this, for the audit trail (default: the user name)")
}

// whoever returns --author, or the user running appwatch.
func (f *silenceFlags) whoever() string {
	if f.author != "" {
		return f.author
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func silenceAddCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "silence add", "MATCHER...", "Silences the alerts that meet every MATCHER for a while: they are still stored, with status\n"+
		"suppressed, but not delivered. A MATCHER is NAME=VALUE, NAME!=VALUE, NAME=~REGEXP or NAME!~REGEXP,\n"+
		"NAME one of "+strings.Join(silence.Names(), ", ")+". Prints the new silence's id.")
	var f silenceFlags
	f.registerStore(c)
	c.StringVar(&f.reason, "reason", "", "why these alerts are expected (required)")
	c.DurationVar(&f.duration, "for", 2*time.Hour, "how long the silence lasts")
	return c, func(ctx context.Context) int {
		_, err := silence.Parse(c.Args())
		switch {
		case f.store == "":
			return c.usageError("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		case err != nil:
			return c.fail(err)
		case strings.TrimSpace(f.reason) == "":
			return c.usageError("--reason is required: say why these alerts are expected")
		case f.duration <= 0:
			return c.usageError("--for must be longer than zero")
		}
		st, ok := openStore(ctx, c, f.store)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		id, err := st.AddSilence(ctx, store.Silence{Matchers: c.Args(), Reason: f.reason, Author: f.whoever(), Expires: env.now().Add(f.duration)})
		if err != nil {
			c.report(err)
			return exitUsage
		}
		fmt.Fprintln(env.Stdout, id)
		return exitOK
	}
}

func silenceListCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "silence list", "", "Lists the silences that apply now (with --all, every silence ever added), with how many alerts\n"+
		"each suppressed, and their audit trail with --all.")
	var f silenceFlags
	c.StringVar(&f.store, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	c.BoolVar(&f.all, "all", false, "list expired silences too, and who added and expired each")
	return c, func(ctx context.Context) int {
		if f.store == "" {
			return c.usageError("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		}
		st, ok := openStore(ctx, c, f.store)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		if err := listSilences(ctx, env, c.p, st, f.all); err != nil {
			c.report(err)
			return exitUsage
		}
		return exitOK
	}
}

func listSilences(ctx context.Context, env Env, p *i18n.Printer, st *store.Store, all bool) error {
	sls, err := st.Silences(ctx, !all)
	if err != nil {
		return err
	}
	rows := [][]string{strings.Split(p.Sprintf("head.silences"), "\t")}
	for _, sl := range sls {
		rows = append(rows, []string{strconv.FormatInt(sl.ID, 10), termtext.Clean(strings.Join(sl.Matchers, " ")), alert.FormatTime(sl.Expires),
			termtext.Clean(sl.Author), strconv.FormatInt(sl.Suppressed, 10), termtext.Clean(sl.Reason)})
	}
	if err := writeColumns(env.Stdout, rows); err != nil || !all {
		return err
	}
	events, err := st.SilenceEvents(ctx, 0)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout)
	rows = [][]string{strings.Split(p.Sprintf("head.silence-events"), "\t")}
	for _, e := range events {
		rows = append(rows, []string{strconv.FormatInt(e.SilenceID, 10), e.Action, alert.FormatTime(e.At), termtext.Clean(e.Author), termtext.Clean(cmp.Or(e.Detail, "-"))})
	}
	return writeColumns(env.Stdout, rows)
}

func silenceExpireCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "silence expire", "ID...", "Ends silences now; alerts stored from now on are delivered again. The audit trail keeps who\n"+
		"did it.")
	var f silenceFlags
	f.registerStore(c)
	return c, func(ctx context.Context) int {
		var ids []int64
		for _, a := range c.Args() {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil || id <= 0 {
				return c.usageError("%q is not a silence id", a)
			}
			ids = append(ids, id)
		}
		switch {
		case len(ids) == 0:
			return c.usage()
		case f.store == "":
			return c.usageError("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		}
		st, ok := openStore(ctx, c, f.store)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		status := exitOK
		for _, id := range ids {
			if err := st.ExpireSilence(ctx, id, f.whoever()); errors.Is(err, store.ErrNoSilence) {
				c.errorf("no silence has the id %d", id)
				status = exitUsage
			} else if err != nil {
				c.report(err)
				status = exitUsage
			}
		}
		return status
	}
}
