package outbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// TestTwoInstances runs two dispatchers, as two processes would, on one
// PostgreSQL store with a slow receiver: no delivery is ever being sent
// by both at once, every alert is accepted once, and both share the
// work.
func TestTwoInstances(t *testing.T) {
	dsn := storetest.Postgres(t)
	var mu sync.Mutex
	inFlight, accepted, by := map[string]int{}, map[string]int{}, map[string]int{}
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("webhook-id")
		mu.Lock()
		inFlight[key]++
		if inFlight[key] > 1 {
			t.Errorf("%s sent by two instances at once", key)
		}
		mu.Unlock()
		time.Sleep(3 * time.Millisecond)
		mu.Lock()
		inFlight[key]--
		accepted[key]++
		by[r.Header.Get("User-Agent")]++
		mu.Unlock()
	}))
	defer rc.Close()
	now := time.Now
	var ds []*Dispatcher
	var sinks []*notify.Sink
	for i := range 2 {
		st, err := store.Open(t.Context(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		cfg, err := notify.Parse("webhook:" + rc.URL + "#name=hook&concurrency=8")
		if err != nil {
			t.Fatal(err)
		}
		s, err := notify.New(cfg, notify.Options{Version: fmt.Sprint(i), LookupEnv: func(string) (string, bool) { return "", false }})
		if err != nil {
			t.Fatal(err)
		}
		d, err := New(Options{Store: st, Sinks: []*notify.Sink{s}, Holder: fmt.Sprintf("instance-%d", i), Now: now, Poll: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ds, sinks = append(ds, d), append(sinks, s)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() { d.Run(ctx) })
	}
	const n = 400
	st := ds[0].opts.Store
	for batch := range n / 50 {
		b := &store.Batch{Source: "test"}
		for i := range 50 {
			k := batch*50 + i
			a := testAlert(k, "app-1", "owner-added")
			b.Alerts = append(b.Alerts, store.Alert{Key: keyOf(k), Alert: a, Routes: Routes(sinks[:1], &a)})
		}
		if _, err := st.Commit(t.Context(), b); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			d.Wake()
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		done := len(accepted)
		mu.Unlock()
		if done == n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for k := range n {
		if accepted[keyOf(k)] != 1 {
			t.Errorf("%s accepted %d times", keyOf(k), accepted[keyOf(k)])
		}
	}
	if by["appwatch/0"] == 0 || by["appwatch/1"] == 0 {
		t.Errorf("requests by instance: %v; want both to send", by)
	}
}

// TestLeaseRunsOut claims deliveries as a process that then dies: no
// other process sends them while the claim lasts, and one does once it
// has run out.
func TestLeaseRunsOut(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		rc := newReceiver(t, c.Now, func(*http.Request) int { return http.StatusOK })
		sink := newSink(t, "webhook:"+rc.URL, c)
		storeAlerts(t, st, []*notify.Sink{sink}, 0, testAlert(0, "app-1", "owner-added"), testAlert(1, "app-1", "owner-added"))
		claimed, err := st.ClaimDeliveries(t.Context(), store.Claim{Sink: sink.Name(), Holder: "dead", Limit: 1, Lease: time.Minute})
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claimed %d, %v", len(claimed), err)
		}
		d := newDispatcher(t, st, c, "alive", sink)
		next, err := d.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if accepted, _ := rc.counts(); accepted[claimed[0].AlertKey] != 0 || len(accepted) != 1 {
			t.Fatalf("accepted %v while the other claim lasted", accepted)
		}
		if !next.Equal(t0.Add(time.Minute)) {
			t.Errorf("next look at %s, want when the claim ends, %s", next, t0.Add(time.Minute))
		}
		drive(t, d, c, time.Second, t0.Add(time.Hour))
		if accepted, _ := rc.counts(); accepted[claimed[0].AlertKey] != 1 {
			t.Errorf("accepted %v after the claim ran out", accepted)
		}
	})
}
