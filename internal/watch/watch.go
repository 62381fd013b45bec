package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/outbox"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// Defaults for Options.
const (
	DefaultLateness    = time.Hour
	DefaultStopTimeout = 8 * time.Second
	DefaultSweep       = 30 * time.Second
	pruneEvery         = time.Hour
)

// Config is what detection runs with: Options.Load builds one at start
// and at each reload.
type Config struct {
	Rules  scan.Rules
	Policy *policy.Policy
	Lang   string
	// Enricher returns a new enricher; each source gets its own, since
	// enrichers remember what they saw. Nil means none.
	Enricher func() scan.Enricher
	// Skipped lists the user rules that could not be loaded and were left
	// out. At start they are logged; a reload with any fails, keeping the
	// rules in use.
	Skipped []error
	// Sinks are where stored alerts are delivered, through the store's
	// outbox (package outbox); with none, alerts are only stored. Their
	// names must differ. The service closes them when a reload replaces
	// them, when a reload fails, and when it stops.
	Sinks []*notify.Sink
}

// close closes the sinks of a configuration not taken up.
func (c *Config) close() {
	for _, s := range c.Sinks {
		s.Close()
	}
}

// detector returns a new detector for c. It leaves copies (the alerts of
// other records of a change alerted on) to the store, which decides them
// across restarts and processes.
func (c *Config) detector() *scan.Detector {
	var en scan.Enricher
	if c.Enricher != nil {
		en = c.Enricher()
	}
	return scan.NewDetector(scan.Config{Rules: c.Rules, Enricher: en, Policy: c.Policy, Lang: c.Lang, KeepCopies: true})
}

// Options configure a run of the service.
type Options struct {
	// Store is the store, sqlite:PATH or a postgres:// URL.
	Store   string
	Sources []feed.Source
	// Load reads the rules and policy; it is called at start and on
	// every value of Reload.
	Load   func(context.Context) (*Config, error)
	Reload <-chan struct{}
	// Listener, when set, serves /healthz, /readyz and /metrics.
	Listener net.Listener
	// Console, when set with Listener, returns the handler of every
	// other path on Listener (the web console, package console) over the
	// store the service opened.
	Console func(*store.Store) (http.Handler, error)
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Lateness is how far behind the newest event a record may arrive and
	// still be correlated with it by rules whose windows must close
	// before they alert.
	Lateness time.Duration
	// Retention is how long stored alerts and rejected records are kept.
	Retention time.Duration
	// StopTimeout bounds the time from ctx being done to Run returning.
	StopTimeout time.Duration
	// Sweep is how often correlation state is swept for groups to
	// evaluate.
	Sweep time.Duration
	// Registry is where metrics are registered; nil means a new one.
	Registry *prometheus.Registry
	// Delivery tunes the dispatcher of the configuration's sinks: its
	// retries, dead letters and polling. Run sets its Store, Sinks,
	// Holder, Now, Logger, Registerer and Silences.
	Delivery outbox.Options
}

// silencePoll is how often the stored silences are read again.
const silencePoll = 5 * time.Second

// service is one run of the watch service.
type service struct {
	opts    Options
	log     *slog.Logger
	store   *store.Store
	metrics *metrics
	reg     *prometheus.Registry
	cfg     atomic.Pointer[Config]
	// silences are the stored silences, applied as alerts are stored.
	silences *silence.Active
	// outbox sends stored alerts to the configuration's sinks.
	outbox *outbox.Dispatcher
	holder string // names this process in leases
	// newest is the newest event time seen, in Unix nanoseconds.
	newest atomic.Int64
	// up counts the sources reading now.
	up atomic.Int32
	// console serves the paths of Listener other than the probes and
	// metrics; nil without Options.Console.
	console http.Handler
}

// Run runs the service until ctx is done, then stores what is in flight
// and returns nil within Options.StopTimeout, or an error when it cannot
// start.
func Run(ctx context.Context, opts Options) error {
	s, err := start(ctx, opts)
	if err != nil {
		return err
	}
	defer s.store.Close()
	defer s.outbox.Close()
	return s.run(ctx)
}

// start checks opts, loads the rules and opens the store.
func start(ctx context.Context, opts Options) (*service, error) {
	opts.Lateness = cmp.Or(opts.Lateness, DefaultLateness)
	opts.Retention = cmp.Or(opts.Retention, store.DefaultRetention)
	opts.StopTimeout = cmp.Or(opts.StopTimeout, DefaultStopTimeout)
	opts.Sweep = cmp.Or(opts.Sweep, DefaultSweep)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	if len(opts.Sources) == 0 {
		return nil, errors.New("watch: no source")
	}
	seen := map[string]bool{}
	for _, src := range opts.Sources {
		if seen[src.Name()] {
			return nil, fmt.Errorf("watch: source %s given twice", src.Name())
		}
		seen[src.Name()] = true
	}
	host, _ := os.Hostname()
	s := &service{opts: opts, log: opts.Logger, reg: opts.Registry, holder: host + "/" + strconv.Itoa(os.Getpid())}
	s.metrics = newMetrics(opts.Registry)
	for _, src := range opts.Sources {
		if c, ok := src.(prometheus.Collector); ok {
			if err := opts.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("watch: metrics of %s: %w", src.Name(), err)
			}
		}
	}
	cfg, err := opts.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	for _, err := range cfg.Skipped {
		s.log.Warn("rule not loaded", "error", err)
	}
	s.cfg.Store(cfg)
	st, err := store.Open(ctx, opts.Store, store.Options{
		Now: opts.Now,
		Observe: func(op string, d time.Duration) {
			s.metrics.store.WithLabelValues(op).Observe(d.Seconds())
		},
	})
	if err != nil {
		cfg.close()
		return nil, fmt.Errorf("watch: %w", err)
	}
	s.store = st
	if opts.Console != nil && opts.Listener != nil {
		if s.console, err = opts.Console(st); err != nil {
			st.Close()
			return nil, fmt.Errorf("watch: console: %w", err)
		}
	}
	s.silences = silence.NewActive(st, silencePoll, opts.Now)
	d := opts.Delivery
	d.Store, d.Sinks, d.Holder, d.Now, d.Logger, d.Registerer, d.Silences = st, cfg.Sinks, s.holder, opts.Now, opts.Logger, opts.Registry, s.silences
	if s.outbox, err = outbox.New(d); err != nil {
		cfg.close()
		st.Close()
		return nil, fmt.Errorf("watch: %w", err)
	}
	return s, nil
}

// run runs the sources, their processing and the correlation sweeps.
func (s *service) run(ctx context.Context) error {
	// grace is the context in-flight work finishes under: done
	// StopTimeout after ctx, less a little for the last steps.
	grace, cancelGrace := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelGrace()
	go func() {
		select {
		case <-ctx.Done():
			t := time.NewTimer(s.opts.StopTimeout - s.opts.StopTimeout/8)
			defer t.Stop()
			select {
			case <-t.C:
				cancelGrace()
			case <-grace.Done():
			}
		case <-grace.Done():
		}
	}()
	stopHTTP := s.serve()
	defer stopHTTP()

	scopes := make(chan []string, 256)
	corr := newCorrelator(s)
	corrDone := make(chan struct{})
	go func() {
		defer close(corrDone)
		corr.run(ctx, grace, scopes)
	}()

	outboxDone := make(chan struct{})
	go func() {
		defer close(outboxDone)
		s.outbox.Run(ctx)
	}()

	var wg sync.WaitGroup
	for _, src := range s.opts.Sources {
		batches := make(chan *feed.Batch, 1)
		wg.Add(2)
		go func() {
			defer wg.Done()
			s.runSource(ctx, src, batches)
		}()
		go func() {
			defer wg.Done()
			s.process(grace, src.Name(), batches, scopes)
		}()
	}
	s.log.Info("watching", "store", s.store.String(), "sources", len(s.opts.Sources), "sinks", len(s.outbox.Sinks()))
	s.reloads(ctx)
	wg.Wait()
	close(scopes)
	<-corrDone
	<-outboxDone
	s.log.Info("stopped")
	return nil
}

// reloads reloads the rules, policy and sinks on each value of Reload
// until ctx is done.
func (s *service) reloads(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.opts.Reload:
			s.reload(ctx)
		}
	}
}

// reload takes up a new configuration, or keeps the one in use and
// says why. The sinks in use finish their sends in flight and stop
// before the new ones start; deliveries stored meanwhile wait in the
// store, as do those of a sink no longer configured.
func (s *service) reload(ctx context.Context) {
	cfg, err := s.opts.Load(ctx)
	if err == nil && len(cfg.Skipped) > 0 {
		cfg.close()
		err = fmt.Errorf("rules not loaded: %w", errors.Join(cfg.Skipped...))
	}
	if err == nil {
		if err = outbox.CheckNames(cfg.Sinks); err != nil {
			cfg.close()
		}
	}
	if err != nil {
		s.metrics.reloads.WithLabelValues("failure").Inc()
		s.log.Error("reload failed; the rules, policy and sinks in use stay", "error", err)
		return
	}
	before := sinkNames(s.outbox.Sinks())
	s.cfg.Store(cfg)
	if err := s.outbox.SetSinks(cfg.Sinks); err != nil {
		s.log.Warn("the sinks replaced did not close cleanly", "error", err)
	}
	after := sinkNames(cfg.Sinks)
	for _, n := range before {
		if !slices.Contains(after, n) {
			s.log.Warn("sink removed; its pending deliveries stay in the store until a sink of that name is configured again (appwatch deliveries list)", "sink", n)
		}
	}
	s.metrics.reloads.WithLabelValues("success").Inc()
	s.log.Info("reloaded rules, policy and sinks", "rules", len(cfg.Rules.Meta), "sinks", after)
}

// sinkNames returns the names of sinks.
func sinkNames(sinks []*notify.Sink) []string {
	out := make([]string, len(sinks))
	for i, sk := range sinks {
		out[i] = sk.Name()
	}
	return out
}

// runSource runs src until ctx is done, starting it again after errors,
// and closes out at the end.
func (s *service) runSource(ctx context.Context, src feed.Source, out chan<- *feed.Batch) {
	defer close(out)
	up := s.metrics.sourceUp.WithLabelValues(src.Name())
	wait := time.Second
	for {
		up.Set(1)
		s.up.Add(1)
		err := src.Run(ctx, s.store, out)
		s.up.Add(-1)
		up.Set(0)
		if ctx.Err() != nil {
			return
		}
		s.log.Error("source stopped; starting it again", "source", src.Name(), "error", err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, time.Minute)
	}
}

// retry runs op until it succeeds or ctx is done, waiting longer after
// each failure.
func (s *service) retry(ctx context.Context, name string, op func() error) error {
	wait := 100 * time.Millisecond
	for {
		err := op()
		if err == nil || ctx.Err() != nil {
			return err
		}
		s.metrics.retries.WithLabelValues(name).Inc()
		s.log.Warn("store operation failed; trying again", "op", name, "error", err, "in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// watermark is the newest event time seen, less the lateness allowed.
func (s *service) watermark() time.Time {
	n := s.newest.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).Add(-s.opts.Lateness)
}

// see notes the time of an event.
func (s *service) see(t time.Time) {
	n := t.UnixNano()
	for {
		old := s.newest.Load()
		if n <= old || s.newest.CompareAndSwap(old, n) {
			return
		}
	}
}
