package feed

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// killed is a store whose holder never gives its lease up, as a process
// killed with SIGKILL does not.
type killed struct{ *store.Store }

func (killed) Release(context.Context, string, string) error { return nil }

// instance runs a Lease's work, counting the times it started and
// whether it runs now.
type instance struct {
	stop    context.CancelFunc
	done    chan struct{}
	err     error // Run's, once done is closed
	starts  atomic.Int32
	running atomic.Bool
}

// is waits until the instance runs its work, or does not, as want says.
func (in *instance) is(t *testing.T, want bool) bool {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if in.running.Load() == want {
			return true
		}
	}
	return false
}

// wait stops the instance and returns what Run returned.
func (in *instance) wait() error {
	in.stop()
	<-in.done
	return in.err
}

func startInstance(t *testing.T, l *Lease) *instance {
	ctx, cancel := context.WithCancel(t.Context())
	in := &instance{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(in.done)
		in.err = l.Run(ctx, func(ctx context.Context) error {
			in.starts.Add(1)
			in.running.Store(true)
			<-ctx.Done()
			in.running.Store(false)
			return ctx.Err()
		})
	}()
	t.Cleanup(func() { in.wait() })
	return in
}

// TestLeaseOneHolder runs two instances over one store: one works, the
// other waits; when the first stops it gives the lease up and the second
// takes over at its next try; when that one is killed, the first, started
// again, takes over once the lease has expired, not before.
func TestLeaseOneHolder(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
			st, err := store.Open(t.Context(), storetest.DSN(t, d), store.Options{Now: clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			const ttl = 30 * time.Second
			lease := func(s Store, holder string) *Lease {
				return &Lease{Store: s, Name: "graph", Holder: holder, TTL: ttl, Clock: clk}
			}
			// settle waits for the sleeps each instance makes between steps:
			// the holder's renewal and the other's next try.
			settle := func(n int) {
				t.Helper()
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				if !clk.WaitSleepers(ctx, n) {
					t.Fatalf("%d of %d sleeps under way", clk.Sleepers(), n)
				}
			}
			a := startInstance(t, lease(st, "a"))
			settle(1)
			if !a.is(t, true) {
				t.Fatal("a does not hold the lease of an empty store")
			}
			b := startInstance(t, lease(killed{st}, "b"))
			settle(2)
			for range 6 {
				clk.Advance(ttl / 3)
				settle(2)
				if b.running.Load() || !a.running.Load() {
					t.Fatal("b took the lease a renews")
				}
			}
			if err := a.wait(); err != context.Canceled {
				t.Fatalf("a: Run = %v", err)
			}
			settle(1)
			clk.Advance(ttl / 3)
			settle(1) // b took the lease a gave up and sleeps to renew it
			if !b.is(t, true) || b.starts.Load() != 1 {
				t.Fatalf("b did not take over the lease a gave up (running %v, starts %d)", b.running.Load(), b.starts.Load())
			}
			b.wait() // killed: it keeps the lease until it expires
			a = startInstance(t, lease(st, "a"))
			settle(1)
			for range 2 {
				clk.Advance(ttl / 3)
				settle(1)
				if a.running.Load() {
					t.Fatal("a took the lease of killed b before it expired")
				}
			}
			clk.Advance(ttl / 3)
			settle(1)
			if !a.is(t, true) {
				t.Fatal("a did not take the lease of killed b once it expired")
			}
		})
	}
}
