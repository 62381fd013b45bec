package graphpoll

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// t0 is when the tests' clocks start.
var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// testLogger logs to standard error when GRAPHPOLL_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("GRAPHPOLL_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// openStore opens the store at dsn on clk.
func openStore(t *testing.T, dsn string, clk clock.Clock) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// running is a source run by a test, whose batches are stored as the
// watch service stores them: in order, each in one commit.
type running struct {
	t      *testing.T
	st     feed.Store
	stop   context.CancelFunc
	done   chan struct{}
	err    error
	flush  chan chan struct{}
	mu     sync.Mutex
	events []string // the ids of the events stored, in order
}

// run runs src over st, storing its batches into commit, until the test
// ends or stop is called; drop, when set, decides which batches are lost
// instead of stored, as when a process dies before storing them.
func run(t *testing.T, src *Source, st feed.Store, commit *store.Store, drop func(*feed.Batch) bool) *running {
	ctx, cancel := context.WithCancel(t.Context())
	r := &running{t: t, st: st, stop: cancel, done: make(chan struct{}), flush: make(chan chan struct{})}
	out := make(chan *feed.Batch)
	go func() {
		defer close(r.done)
		r.err = src.Run(ctx, st, out)
	}()
	go r.store(ctx, commit, out, drop)
	t.Cleanup(func() { r.wait() })
	return r
}

// store commits the batches handed on, and answers flushes once every
// batch received before them is stored.
func (r *running) store(ctx context.Context, st *store.Store, out chan *feed.Batch, drop func(*feed.Batch) bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case ack := <-r.flush:
			close(ack)
		case b := <-out:
			if drop != nil && drop(b) {
				continue
			}
			_, err := st.Commit(ctx, &store.Batch{Source: Name, Rejected: b.Rejected, Positions: b.Positions, Counts: b.Counts, Seen: b.Seen})
			if err != nil {
				if ctx.Err() == nil {
					r.t.Errorf("commit: %v", err)
				}
				return
			}
			r.mu.Lock()
			for _, ev := range b.Events {
				r.events = append(r.events, ev.Event.ID)
			}
			r.mu.Unlock()
		}
	}
}

// stored returns the ids of the events stored so far, in order.
func (r *running) stored() []string {
	ack := make(chan struct{})
	select {
	case r.flush <- ack:
		<-ack
	case <-r.done:
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// wait stops the source and returns Run's error.
func (r *running) wait() error {
	r.stop()
	<-r.done
	return r.err
}

// settle waits until n sleeps are under way on clk: every source asleep
// between two polls or tries of its lease.
func settle(t *testing.T, clk *clock.Fake, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if !clk.WaitSleepers(ctx, n) {
		t.Fatalf("%d of %d sleeps under way", clk.Sleepers(), n)
	}
}

// advance moves clk to to, one wake-up at a time, letting the sleepers
// (n of them when all asleep) do their work at each.
func advance(t *testing.T, clk *clock.Fake, to time.Time, n int) {
	t.Helper()
	for {
		next, ok := clk.Next()
		if !ok || next.After(to) {
			break
		}
		clk.Set(next)
		settle(t, clk, n)
	}
	clk.Set(to)
	settle(t, clk, n)
}
