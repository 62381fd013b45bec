package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// Defaults for Options.
const (
	DefaultPoll        = time.Second
	DefaultDeadAfter   = 24 * time.Hour
	DefaultMinBackoff  = time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	DefaultStopTimeout = 5 * time.Second
)

// maxGroup bounds how many alerts one group message lists; the rest go in
// the next one.
const maxGroup = 200

// Options configure a Dispatcher.
type Options struct {
	Store *store.Store
	Sinks []*notify.Sink
	// Holder names this process in claims; processes sharing a store need
	// different names.
	Holder string
	// Now is the clock; nil means time.Now. The store should share it.
	Now func() time.Time
	// Rand returns a number in [0, 1) for the backoff's jitter; nil means
	// math/rand/v2.
	Rand func() float64
	// Poll is how often a sink with nothing due looks for deliveries that
	// other processes stored or an operator retried.
	Poll time.Duration
	// DeadAfter is how long after its alert was stored (or an operator
	// retried it) a delivery that keeps failing is given up.
	DeadAfter time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts.
	MinBackoff, MaxBackoff time.Duration
	// StopTimeout is how long sends in flight may go on once Run's
	// context is done; those still going are then cancelled and sent
	// again later.
	StopTimeout time.Duration
	// Silences are the silences that apply; nil reads them from Store.
	Silences *silence.Active
	Logger   *slog.Logger
	// Registerer, when set, receives the per-sink metrics.
	Registerer prometheus.Registerer
}

// Dispatcher sends the pending deliveries of a store to its sinks.
type Dispatcher struct {
	opts    Options
	metrics *metrics
	log     *slog.Logger

	mu      sync.Mutex
	sinks   []*notify.Sink
	runners []*sinkRunner
	// ctx is Run's context while it runs, nil otherwise.
	ctx context.Context
}

// New makes a dispatcher for opts.Sinks, whose names must differ.
func New(opts Options) (*Dispatcher, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	opts.Poll = cmp.Or(opts.Poll, DefaultPoll)
	opts.DeadAfter = cmp.Or(opts.DeadAfter, DefaultDeadAfter)
	opts.MinBackoff = cmp.Or(opts.MinBackoff, DefaultMinBackoff)
	opts.MaxBackoff = max(cmp.Or(opts.MaxBackoff, DefaultMaxBackoff), opts.MinBackoff)
	opts.StopTimeout = cmp.Or(opts.StopTimeout, DefaultStopTimeout)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Silences == nil {
		opts.Silences = silence.NewActive(opts.Store, opts.Poll, opts.Now)
	}
	if err := CheckNames(opts.Sinks); err != nil {
		return nil, err
	}
	d := &Dispatcher{opts: opts, log: opts.Logger, metrics: newMetrics(opts.Store, opts.Now)}
	d.metrics.setSinks(opts.Sinks)
	d.sinks = opts.Sinks
	for _, s := range opts.Sinks {
		d.runners = append(d.runners, newSinkRunner(d, s))
	}
	if opts.Registerer != nil {
		if err := opts.Registerer.Register(d.metrics); err != nil {
			return nil, fmt.Errorf("outbox: metrics: %w", err)
		}
	}
	return d, nil
}

// CheckNames returns an error when two sinks have the same name.
func CheckNames(sinks []*notify.Sink) error {
	seen := map[string]bool{}
	for _, s := range sinks {
		if seen[s.Name()] {
			return i18n.Errorf("two sinks are named %s; give one another name with name=", s.Name())
		}
		seen[s.Name()] = true
	}
	return nil
}

// Sinks returns the sinks the dispatcher sends to.
func (d *Dispatcher) Sinks() []*notify.Sink {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.sinks)
}

// Routes returns the sinks that take a, each with the group a joins
// there: what to store with the alert.
func (d *Dispatcher) Routes(a *alert.Alert) []store.Route {
	return Routes(d.Sinks(), a)
}

// Routes returns the sinks of sinks that take a, each with the group a
// joins there.
func Routes(sinks []*notify.Sink, a *alert.Alert) []store.Route {
	var out []store.Route
	for _, s := range sinks {
		if !s.Accepts(a) {
			continue
		}
		r := store.Route{Sink: s.Name()}
		if g := s.Delivery().Group; g != nil {
			r.Group = g.Key(a)
		}
		out = append(out, r)
	}
	return out
}

// Wake tells the sinks that deliveries were stored, so that they look
// now rather than at their next poll.
func (d *Dispatcher) Wake() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.runners {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// Run sends deliveries until ctx is done, each sink on its own, then
// lets the sends in flight finish (within Options.StopTimeout), records
// them and returns.
func (d *Dispatcher) Run(ctx context.Context) {
	d.mu.Lock()
	d.ctx = ctx
	for _, r := range d.runners {
		r.start(ctx)
	}
	d.mu.Unlock()
	<-ctx.Done()
	d.mu.Lock()
	d.ctx = nil
	runners := d.runners
	d.mu.Unlock()
	for _, r := range runners {
		<-r.done
	}
}

// SetSinks replaces the sinks, whose names must differ, while Run runs
// or before. The sinks in use stop (their sends in flight finish within
// Options.StopTimeout and are recorded) and are closed, then the new ones
// start. Deliveries stored for a sink no longer among them stay pending,
// and go when a sink of that name comes back.
func (d *Dispatcher) SetSinks(sinks []*notify.Sink) error {
	if err := CheckNames(sinks); err != nil {
		return err
	}
	d.mu.Lock()
	old := d.runners
	d.runners = nil
	d.mu.Unlock()
	var errs []error
	for _, r := range old {
		r.stop()
		errs = append(errs, r.sink.Close())
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sinks = sinks
	d.metrics.setSinks(sinks)
	for _, s := range sinks {
		r := newSinkRunner(d, s)
		d.runners = append(d.runners, r)
		if d.ctx != nil {
			r.start(d.ctx)
		}
	}
	return errors.Join(errs...)
}

// RunOnce sends what is due now to every sink, one after the other, and
// returns when the next delivery falls due (the zero time when none is
// pending). It is Run's work without waiting, for tests with a clock of
// their own.
func (d *Dispatcher) RunOnce(ctx context.Context) (time.Time, error) {
	d.mu.Lock()
	runners := d.runners
	d.mu.Unlock()
	var next time.Time
	var errs []error
	for _, r := range runners {
		n, err := r.once(ctx, ctx)
		if err != nil {
			errs = append(errs, err)
		}
		next = earliest(next, n)
	}
	return next, errors.Join(errs...)
}

// Close closes the sinks.
func (d *Dispatcher) Close() error {
	var errs []error
	for _, s := range d.Sinks() {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// backoff is the wait before attempt n+1 after n failures: MinBackoff
// doubled n-1 times, at most MaxBackoff, of which the second half is
// random (equal jitter).
func (d *Dispatcher) backoff(n int) time.Duration {
	b := d.opts.MaxBackoff
	if n < 30 {
		b = min(d.opts.MinBackoff<<max(n-1, 0), d.opts.MaxBackoff)
	}
	return b/2 + time.Duration(d.opts.Rand()*float64(b/2))
}

// earliest returns the earlier of two times, a zero time counting as
// none.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
