package cli

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/appwatch/appwatch/internal/console"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/dir"
	"github.com/appwatch/appwatch/internal/feed/kafka"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/outbox"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/watch"
)

// stringList collects a repeatable flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// watchFlags are the flags of appwatch watch.
type watchFlags struct {
	store     string
	sources   stringList
	sinks     sinkSpecs
	deadAfter time.Duration
	retryMax  time.Duration
	config    string
	dirs      ruleDirs
	noBuiltin bool
	lang      string
	// logLang is the language --lang names, for the messages of the log
	// lines; without --lang they stay English whatever the locale.
	logLang   string
	listen    string
	logFormat string
	lateness  time.Duration
	retention time.Duration
	poll      time.Duration
	settle    time.Duration
	graph     graphFlags
	gw        graphWatchFlags
	console   consoleFlags
	// policy is the policy loaded last, which the posture source uses.
	policy atomic.Pointer[policy.Policy]
}

func (f *watchFlags) register(fs *cmdline) {
	fs.StringVar(&f.store, "store", "", "`STORE` where alerts and progress are kept: sqlite:PATH or postgres://USER@HOST:PORT/DB")
	fs.Var(&f.sources, "source", "`SOURCE` to read (repeatable): dir:PATH, kafka://HOST:PORT[,HOST:PORT]/TOPIC?group=NAME, kafkas://..., eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME,\n"+
		"graph (the audit and sign-in logs polled from Microsoft Graph), posture (a snapshot of the tenant's apps every --posture-every: findings and changes)")
	f.sinks.flag = "sink"
	fs.Var(&f.sinks, "sink", "deliver stored alerts to `SINK` (repeatable): webhook:URL, teams:URL, slack:URL,\n"+
		"syslog:tcp://HOST:PORT, splunk:URL, sentinel:URL, file:PATH (see docs/delivery.md)")
	fs.DurationVar(&f.deadAfter, "dead-after", outbox.DefaultDeadAfter, "give up a delivery still failing this long after its alert was stored (appwatch deliveries retry sends it again)")
	fs.DurationVar(&f.retryMax, "retry-max", outbox.DefaultMaxBackoff, "the longest wait between two attempts to send to a failing sink")
	fs.StringVar(&f.config, "config", "", "tenant policy `FILE`; reread on SIGHUP")
	fs.Var(&f.dirs, "rules", "also load the Sigma rules in `DIR` (repeatable); reread on SIGHUP")
	fs.BoolVar(&f.noBuiltin, "no-builtin", false, "do not load the built-in rules")
	fs.StringVar(&f.lang, "lang", "", "language of alert titles and text, and of log messages (not their attributes): en, zh-TW, it, ja;\nwithout it, alerts follow $LANG and log messages stay English")
	fs.StringVar(&f.listen, "listen", "", "serve /healthz, /readyz and /metrics on `ADDR` (host:port), and the web console as appwatch serve does")
	fs.StringVar(&f.logFormat, "log-format", "text", "log lines on standard error as text or json")
	fs.DurationVar(&f.lateness, "lateness", watch.DefaultLateness, "how late a record may arrive and still close a correlation window with an upper bound")
	fs.DurationVar(&f.retention, "retention", store.DefaultRetention, "how long stored alerts and rejected records are kept")
	fs.DurationVar(&f.poll, "poll", dir.DefaultPoll, "how often dir: sources look for new files and lines")
	fs.DurationVar(&f.settle, "settle", dir.DefaultSettle, "how long a file must stay unchanged before dir: reads a whole document or a last line without its end")
	f.graph.register(fs)
	f.gw.register(fs)
	f.console.register(fs)
}

func watchCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "watch", "", "Watches sources of Entra logs as they grow (folders of exported logs, Azure Event Hubs or\n"+
		"Kafka, the tenant's audit and sign-in logs polled from Microsoft Graph), raises an alert for\n"+
		"every guide row found, and keeps each alert once in the store, with the position reached in\n"+
		"every source, so that a restart resumes where the last run stopped. The posture source takes a\n"+
		"snapshot of the tenant's apps every --posture-every, stores its posture findings (resolved when\n"+
		"they go away) and the changes since the snapshot before. The graph and posture sources sign in\n"+
		"with the flags of 'appwatch posture' (docs/setup-posture.md); with several instances on one\n"+
		"PostgreSQL store, one of them polls Graph at a time. With --sink, every stored alert is delivered\n"+
		"to each sink at least once, through the store: see appwatch deliveries and appwatch silence.\n"+
		"\n"+
		"With --listen, watch also serves the web console there, with the flags of 'appwatch serve' for\n"+
		"sign-in and HTTPS; /healthz, /readyz and /metrics stay open without sign-in. Over plain HTTP the\n"+
		"console is served on a loopback address only: elsewhere give --tls-cert and --tls-key, or\n"+
		"--behind-proxy, or only the probes and metrics are served.")
	var f watchFlags
	f.register(c)
	return c, func(ctx context.Context) int {
		if m := f.check(c); m != nil {
			return c.fail(m)
		}
		log := newLogger(env, f.logFormat)
		if f.logLang != "" {
			log = slog.New(i18n.LogHandler(log.Handler(), i18n.NewPrinter(f.logLang)))
		}
		sources, err := f.openSources(env, log)
		if err != nil {
			return c.fail(err)
		}
		load := f.loader(log)
		first, err := load(ctx)
		if err != nil {
			c.report(err)
			return exitUsage
		}
		withConsole := f.listen != "" && f.console.reachable(f.listen)
		if f.listen != "" && !withConsole {
			log.Warn("the web console is not served: plain HTTP is served to a loopback address only; give --tls-cert and --tls-key, or --behind-proxy",
				"listen", f.listen)
		}
		if withConsole {
			if code := f.prepareConsole(ctx, env, c); code != exitOK {
				return code
			}
		}
		var ln net.Listener
		if f.listen != "" {
			if ln, err = f.console.listen(f.listen); err != nil {
				return c.usageError("%s", err.Error())
			}
		}
		var consoleHandler func(*store.Store) (http.Handler, error)
		if withConsole {
			consoleHandler = func(st *store.Store) (http.Handler, error) {
				return console.New(f.console.options(env, st, first.Rules.Meta, f.lang, log))
			}
		}
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		var started atomic.Bool
		err = watch.Run(ctx, watch.Options{
			Store:   f.store,
			Sources: sources,
			Load: func(ctx context.Context) (*watch.Config, error) {
				if !started.Swap(true) {
					return first, nil
				}
				return load(ctx)
			},
			Delivery:  outbox.Options{DeadAfter: f.deadAfter, MaxBackoff: f.retryMax},
			Reload:    hangups(ctx),
			Listener:  ln,
			Console:   consoleHandler,
			Logger:    log,
			Lateness:  f.lateness,
			Retention: f.retention,
		})
		if err != nil {
			c.report(err)
			return exitUsage
		}
		return exitOK
	}
}

// check validates the flags and returns what is wrong, or nil.
func (f *watchFlags) check(fs *cmdline) *message {
	switch {
	case fs.NArg() > 0:
		return msg("unexpected argument %q: sources are given with --source", fs.Arg(0))
	case f.store == "":
		return msg("--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
	case len(f.sources) == 0:
		return msg("at least one --source is required (dir:PATH, kafka://, kafkas://, eventhub://, graph or posture)")
	case f.deadAfter <= 0 || f.retryMax <= 0:
		return msg("--dead-after and --retry-max must be longer than zero")
	case f.logFormat != "text" && f.logFormat != "json":
		return msg("--log-format %q: want text or json", f.logFormat)
	case f.graph.timeout < 0:
		return msg("--graph-timeout %s: want zero (no limit) or more", f.graph.timeout)
	}
	if m := f.gw.check(); m != nil {
		return m
	}
	if f.listen != "" {
		if problem := f.console.check(f.listen); problem != "" {
			return msg("%s", problem)
		}
	} else if f.console != (consoleFlags{idle: console.DefaultIdle, lifetime: console.DefaultLifetime}) {
		return msg("the web console's flags need --listen")
	}
	if f.lang != "" {
		l, err := i18n.Parse(f.lang)
		if err != nil {
			return msg("--lang %q: want one of %s", f.lang, strings.Join(i18n.Langs(), ", "))
		}
		f.lang, f.logLang = l, l
		fs.p = i18n.NewPrinter(l)
	} else {
		f.lang = i18n.FromEnv(fs.env.lookupEnv)
	}
	return nil
}

// prepareConsole opens the store to create the first admin with
// --init-admin and to warn when no one can sign in, before watch opens
// it for good. It returns the exit status of a failure it reported, or
// exitOK.
func (f *watchFlags) prepareConsole(ctx context.Context, env Env, c *cmdline) int {
	st, err := store.Open(ctx, f.store, store.Options{})
	if err != nil {
		c.errorf("%s", err.Error())
		return exitUsage
	}
	defer st.Close()
	return f.console.prepare(ctx, env, c, st)
}

// openSources makes the sources named by --source.
func (f *watchFlags) openSources(env Env, log *slog.Logger) ([]feed.Source, error) {
	var out []feed.Source
	for _, s := range f.sources {
		kind, rest, _ := strings.Cut(s, ":")
		switch kind {
		case "dir":
			info, err := os.Stat(rest)
			if err != nil {
				return nil, msg("--source %s: %v", s, err)
			}
			if !info.IsDir() {
				return nil, msg("--source %s: not a directory", s)
			}
			out = append(out, dir.New(rest, dir.Options{Poll: f.poll, Settle: f.settle, Logger: log}))
		case "kafka", "kafkas", "eventhub":
			cfg, err := kafka.Parse(s, os.Getenv)
			if err != nil {
				return nil, msg("--source %s: %v", s, err)
			}
			src, err := kafka.New(cfg, kafka.Options{Logger: log})
			if err != nil {
				return nil, msg("--source %s: %v", s, err)
			}
			out = append(out, src)
		case "graph", "posture":
			if s != kind {
				return nil, msg("--source %s: want %s alone; the tenant is the one the sign-in flags name", s, kind)
			}
			open := f.graphSource
			if kind == "posture" {
				open = f.postureSource
			}
			src, err := open(env, log)
			if err != nil {
				return nil, msg("--source %s: %v", s, err)
			}
			out = append(out, src)
		default:
			return nil, msg("--source %s: want dir:PATH, kafka://, kafkas://, eventhub://, 'graph' or 'posture'", s)
		}
	}
	return out, nil
}

// loader returns the function that reads the rules and policy and opens
// the sinks (those of --sink, then those of the policy), at start and on
// SIGHUP.
func (f *watchFlags) loader(log *slog.Logger) func(context.Context) (*watch.Config, error) {
	return func(ctx context.Context) (*watch.Config, error) {
		pol := policy.Default()
		if f.config != "" {
			p, err := policy.Load(f.config)
			if err != nil {
				return nil, msg("policy %s:\n%v", f.config, err)
			}
			pol = p
		}
		ref, err := refdata.Load()
		if err != nil {
			return nil, msg("reference data: %v", err)
		}
		set, err := ruleset.Load(ctx, ruleset.Options{NoBuiltin: f.noBuiltin, Dirs: f.dirs, Placeholders: pol.Placeholders})
		if err != nil {
			return nil, msg("rules could not be loaded:\n%v", err)
		}
		cfg := &watch.Config{
			Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
			Policy:   pol,
			Lang:     f.lang,
			Enricher: func() scan.Enricher { return enrich.New(ref, pol) },
		}
		for _, sk := range set.Skipped {
			cfg.Skipped = append(cfg.Skipped, sk)
		}
		specs, err := f.sinks.withPolicy(f.config, pol)
		if err != nil {
			return nil, err
		}
		if cfg.Sinks, err = specs.open(f.lang, cfg.Rules.Meta, pol, log); err != nil {
			return nil, err
		}
		if err := outbox.CheckNames(cfg.Sinks); err != nil {
			for _, sk := range cfg.Sinks {
				sk.Close()
			}
			return nil, err
		}
		f.policy.Store(pol)
		return cfg, nil
	}
}

// hangups turns SIGHUP into values on the returned channel until ctx is
// done.
func hangups(ctx context.Context) <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP)
	out := make(chan struct{}, 1)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case out <- struct{}{}:
				default: // a reload is already waiting
				}
			}
		}
	}()
	return out
}

// newLogger logs to standard error as text or JSON.
func newLogger(env Env, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, nil))
}
