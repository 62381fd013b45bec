package feed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
)

// DefaultLeaseTTL is how long a lease lasts unless renewed: how long
// another instance waits to take over singleton work from an instance
// that was killed.
const DefaultLeaseTTL = time.Minute

// releaseTimeout bounds giving a lease up when stopping.
const releaseTimeout = 2 * time.Second

// Lease runs work that only one of the instances sharing a store may do
// at a time, such as polling Microsoft Graph: the instance that holds the
// lease row Name in the store does it, renewing the lease every third of
// TTL; the others wait, trying to take the lease as often. An instance
// that stops gives the lease up, so that another takes over at its next
// try; one that is killed keeps it until it expires.
//
// Holding the lease is what keeps the work from being done twice, not
// what makes it correct: an instance stalled past its lease may still
// finish a step while another has taken over, so work done under a
// lease must be safe to repeat (alerts keyed, records remembered).
type Lease struct {
	Store Store
	// Name names the lease, Holder this instance; the zero Holder is
	// HolderName's.
	Name, Holder string
	// TTL is how long the lease lasts unless renewed. Default
	// DefaultLeaseTTL.
	TTL    time.Duration
	Clock  clock.Clock
	Logger *slog.Logger
}

// HolderName names this process in leases: its host name and process id.
func HolderName() string {
	host, _ := os.Hostname()
	return host + "/" + strconv.Itoa(os.Getpid())
}

// Run takes the lease when it can and runs work while it holds it, with
// a context that ends when the lease is lost or ctx is done; work is
// started again each time the lease is taken. Run returns ctx's error
// once ctx is done and work has returned, after giving the lease up, or
// work's error when work fails while the lease is held.
func (l *Lease) Run(ctx context.Context, work func(context.Context) error) error {
	ttl := cmp.Or(l.TTL, DefaultLeaseTTL)
	holder := cmp.Or(l.Holder, HolderName())
	clk := l.Clock
	if clk == nil {
		clk = clock.System{}
	}
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("lease", l.Name, "holder", holder)
	waiting := false
	for {
		held, err := l.Store.Lease(ctx, l.Name, holder, ttl)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			log.Warn("cannot take the lease; trying again", "error", err, "in", ttl/3)
		case held:
			log.Info("lease taken: this instance does the work")
			waiting = false
			err := l.hold(ctx, ttl, holder, clk, log, work)
			if ctx.Err() != nil {
				l.release(ctx, holder, log)
				return ctx.Err()
			}
			if err != nil {
				l.release(ctx, holder, log)
				return err
			}
			log.Warn("lease lost: another instance does the work now")
		case !waiting:
			log.Info("another instance holds the lease; waiting to take over")
			waiting = true
		}
		if err := clk.Sleep(ctx, ttl/3); err != nil {
			return err
		}
	}
}

// errLeaseLost ends work when a renewal of the lease fails.
var errLeaseLost = errors.New("lease lost")

// hold runs work while renewing the lease, and returns work's error, or
// nil when the lease was lost.
func (l *Lease) hold(ctx context.Context, ttl time.Duration, holder string, clk clock.Clock, log *slog.Logger, work func(context.Context) error) error {
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		for clk.Sleep(wctx, ttl/3) == nil {
			held, err := l.Store.Lease(wctx, l.Name, holder, ttl)
			if wctx.Err() != nil {
				return
			}
			if err != nil || !held {
				log.Warn("cannot renew the lease", "error", err, "held", held)
				cancel(errLeaseLost)
				return
			}
		}
	}()
	err := work(wctx)
	lost := errors.Is(context.Cause(wctx), errLeaseLost)
	cancel(nil)
	<-renewed
	if err != nil && !lost && ctx.Err() == nil {
		return fmt.Errorf("%s: %w", l.Name, err)
	}
	return nil
}

// release gives the lease up, under a short deadline of its own since ctx
// is done.
func (l *Lease) release(ctx context.Context, holder string, log *slog.Logger) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := l.Store.Release(rctx, l.Name, holder); err != nil {
		log.Warn("cannot give the lease up; another instance takes over when it expires", "error", err)
	}
}
