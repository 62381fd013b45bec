package graphpoll

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
	"github.com/appwatch/appwatch/internal/watch"
)

// load loads the built-in rules with the default policy, as appwatch
// watch does.
func load(ctx context.Context) (*watch.Config, error) {
	pol := policy.Default()
	ref, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	set, err := ruleset.Load(ctx, ruleset.Options{Placeholders: pol.Placeholders})
	if err != nil {
		return nil, err
	}
	return &watch.Config{
		Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Policy:   pol,
		Lang:     "en",
		Enricher: func() scan.Enricher { return enrich.New(ref, pol) },
	}, nil
}

// service runs appwatch watch's service with one graph source until the
// test ends or the returned function is called.
func service(t *testing.T, dsn string, clk clock.Clock, src *Source) func() {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- watch.Run(ctx, watch.Options{Store: dsn, Sources: []feed.Source{src}, Load: load, Now: clk.Now, Logger: testLogger()})
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch.Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// alertsByEvent returns the stored alerts of rule, counted by event id.
func alertsByEvent(t *testing.T, st *store.Store, rule string) map[string]int {
	out := map[string]int{}
	err := st.Alerts(t.Context(), store.Filter{Source: Name}, func(a alert.Alert) error {
		if a.RuleID == rule {
			out[a.EventID]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitStored waits until the store counts n records of the source.
func waitStored(t *testing.T, st *store.Store, n int64) {
	t.Helper()
	end := time.Now().Add(20 * time.Second)
	for {
		c, err := st.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if c[Name].Records == n {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("the store counts %d records of %s, want %d", c[Name].Records, Name, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWatchLateRecords runs appwatch watch's service over the fake Graph
// while records arrive twenty minutes after their activity, across a
// restart, and expects each record's alert stored once.
func TestWatchLateRecords(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			g := newFakeGraph(t, clk)
			const n = 12
			for i := range n {
				at := t0.Add(time.Duration(5*i) * time.Minute)
				g.add(audit(t, fmt.Sprintf("audit-%02d", i), at, at.Add(20*time.Minute)),
					signIn(t, "interactiveUser", fmt.Sprintf("signin-%02d", i), at, at.Add(20*time.Minute)))
			}
			dsn := storetest.DSN(t, d)
			st := openStore(t, dsn, clk)
			stop := service(t, dsn, clk, newSource(t, g, clk, "token-a", Options{}, nil))
			settle(t, clk, 2)
			advance(t, clk, t0.Add(50*time.Minute), 2)
			waitStored(t, st, 2*7) // the records of the first 30 minutes, by 50
			stop()

			service(t, dsn, clk, newSource(t, g, clk, "token-a", Options{}, nil))
			settle(t, clk, 2)
			advance(t, clk, t0.Add(90*time.Minute), 2)
			waitStored(t, st, 2*n)
			for rule, prefix := range map[string]string{"credential-added-to-app": "audit", "ropc-signin": "signin"} {
				got := alertsByEvent(t, st, rule)
				if len(got) != n {
					t.Errorf("%s: alerts for %d records, want %d", rule, len(got), n)
				}
				for i := range n {
					if id := fmt.Sprintf("%s-%02d", prefix, i); got[id] != 1 {
						t.Errorf("%s: %d alerts for %s, want 1", rule, got[id], id)
					}
				}
			}
		})
	}
}

// TestWatchTwoServices runs two appwatch watch services with the graph
// source on one store: only the first asks Graph for anything; once it
// stops, the second takes over at its next try of the lease, from the
// stored cursors, and every record's alert is stored once.
func TestWatchTwoServices(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			g := newFakeGraph(t, clk)
			add := func(prefix string, n int, from time.Time) {
				for i := range n {
					at := from.Add(time.Duration(i) * time.Minute)
					g.add(audit(t, fmt.Sprintf("%s-%02d", prefix, i), at, at))
				}
			}
			add("early", 5, t0.Add(-10*time.Minute))
			dsn := storetest.DSN(t, d)
			st := openStore(t, dsn, clk)
			opts := Options{Streams: []string{"directoryAudits"}}
			optsA, optsB := opts, opts
			optsA.Holder, optsB.Holder = "a", "b"
			stopA := service(t, dsn, clk, newSource(t, g, clk, "token-a", optsA, nil))
			settle(t, clk, 2)
			service(t, dsn, clk, newSource(t, g, clk, "token-b", optsB, nil))
			settle(t, clk, 3)
			add("later", 5, t0.Add(time.Minute))
			advance(t, clk, t0.Add(10*time.Minute), 3)
			waitStored(t, st, 10)
			byToken := func() map[string]int {
				n := map[string]int{}
				for _, req := range g.served() {
					n[req.token]++
				}
				return n
			}
			if n := byToken(); n["token-a"] == 0 || n["token-b"] != 0 {
				t.Fatalf("requests by token %v: want a alone", n)
			}
			stopA() // gives the lease up
			settle(t, clk, 1)
			add("after", 5, clk.Now().Add(time.Minute))
			advance(t, clk, clk.Now().Add(10*time.Minute), 2)
			waitStored(t, st, 15)
			if n := byToken(); n["token-b"] == 0 {
				t.Fatalf("requests by token %v: b did not take over", n)
			}
			got := alertsByEvent(t, st, "credential-added-to-app")
			if len(got) != 15 {
				t.Errorf("alerts for %d records, want 15", len(got))
			}
			for id, n := range got {
				if n != 1 {
					t.Errorf("%d alerts for %s", n, id)
				}
			}
		})
	}
}
