package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/appwatch/appwatch/internal/alert"
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
	sinks   []*sinkRunner
	metrics *metrics
	log     *slog.Logger
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
	d := &Dispatcher{opts: opts, log: opts.Logger, metrics: newMetrics(opts.Store, opts.Sinks, opts.Now)}
	seen := map[string]bool{}
	for _, s := range opts.Sinks {
		if seen[s.Name()] {
			return nil, fmt.Errorf("outbox: two sinks are named %s; give one another name with name=", s.Name())
		}
		seen[s.Name()] = true
		d.sinks = append(d.sinks, newSinkRunner(d, s))
	}
	if opts.Registerer != nil {
		if err := opts.Registerer.Register(d.metrics); err != nil {
			return nil, fmt.Errorf("outbox: metrics: %w", err)
		}
	}
	return d, nil
}

// Routes returns the sinks that take a, each with the group a joins
// there: what to store with the alert.
func (d *Dispatcher) Routes(a *alert.Alert) []store.Route {
	return Routes(d.opts.Sinks, a)
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
	for _, r := range d.sinks {
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
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			t := time.NewTimer(d.opts.StopTimeout)
			defer t.Stop()
			select {
			case <-t.C:
				cancelSends()
			case <-done:
			}
		case <-done:
		}
	}()
	var wg sync.WaitGroup
	for _, r := range d.sinks {
		wg.Go(func() { r.run(ctx, sendCtx) })
	}
	wg.Wait()
	close(done)
}

// RunOnce sends what is due now to every sink, one after the other, and
// returns when the next delivery falls due (the zero time when none is
// pending). It is Run's work without waiting, for tests with a clock of
// their own.
func (d *Dispatcher) RunOnce(ctx context.Context) (time.Time, error) {
	var next time.Time
	var errs []error
	for _, r := range d.sinks {
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
	for _, s := range d.opts.Sinks {
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
