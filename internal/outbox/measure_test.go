package outbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// TestMeasureDelivery measures the outbox on the real clock, with a
// webhook sink to a loopback receiver that answers 200 at once, on each
// store dialect. It is left out unless APPWATCH_MEASURE is set:
//
//	APPWATCH_MEASURE=1 go test -run MeasureDelivery -v ./internal/outbox
//
// It logs, from one run:
//
//   - throughput: alerts stored a second, one alert a transaction, with no
//     sink (the baseline); then the same alerts stored with a delivery
//     each while the dispatcher sends them, and deliveries received a
//     second from the first alert stored to the last received, and their
//     ratio to the baseline;
//   - latency: alerts stored at a steady rate (100 a second, or
//     APPWATCH_RATE) for APPWATCH_MEASURE_SECONDS (default 10), the time
//     from each commit returning to the receiver having the alert, p50 and
//     p99, beside the same percentiles of the commits themselves.
func TestMeasureDelivery(t *testing.T) {
	if os.Getenv("APPWATCH_MEASURE") == "" {
		t.Skip("set APPWATCH_MEASURE=1 to measure delivery")
	}
	rate := envInt(t, "APPWATCH_RATE", 100)
	seconds := envInt(t, "APPWATCH_MEASURE_SECONDS", 10)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			const n = 2000
			base := storeRate(t, storetest.DSN(t, d), n)
			sent := deliveryRate(t, storetest.DSN(t, d), n)
			t.Logf("throughput, %d alerts: stored without a sink %.0f/s; delivered %.0f/s (%.2f of the baseline)",
				n, base, sent, sent/base)
			lat, commits := latency(t, storetest.DSN(t, d), rate, seconds)
			t.Logf("latency at %d alerts/s for %ds (%d alerts): stored -> received p50 %s p99 %s max %s; commit p50 %s p99 %s",
				rate, seconds, len(lat), pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(commits, 50), pct(commits, 99))
		})
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// pct returns the p-th percentile of ds, which it sorts.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)*p/100, len(ds)-1)].Round(10 * time.Microsecond)
}

// storeOne stores alert i in a transaction of its own, routed to sinks.
func storeOne(ctx context.Context, st *store.Store, sinks []*notify.Sink, i int) error {
	a := testAlert(i, fmt.Sprintf("app-%d", i%7), "credential-added")
	_, err := st.Commit(ctx, &store.Batch{Source: "measure",
		Alerts: []store.Alert{{Key: keyOf(i), Alert: a, Routes: Routes(sinks, &a)}}})
	return err
}

// storeRate stores n alerts without a sink and returns how many it
// stored a second.
func storeRate(t *testing.T, dsn string, n int) float64 {
	st := openStore(t, dsn, &clock{t: time.Now()})
	start := time.Now()
	for i := range n {
		if err := storeOne(t.Context(), st, nil, i); err != nil {
			t.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// timedReceiver is a webhook receiver that notes when each alert key
// first arrived.
type timedReceiver struct {
	*httptest.Server
	mu   sync.Mutex
	at   map[string]time.Time
	more chan struct{}
}

func newTimedReceiver(t *testing.T) *timedReceiver {
	rc := &timedReceiver{at: map[string]time.Time{}, more: make(chan struct{}, 1)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		now := time.Now()
		rc.mu.Lock()
		if _, ok := rc.at[r.Header.Get("webhook-id")]; !ok {
			rc.at[r.Header.Get("webhook-id")] = now
		}
		rc.mu.Unlock()
		select {
		case rc.more <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

// wait waits until n alerts arrived, or a minute passed without one.
func (rc *timedReceiver) wait(t *testing.T, n int) {
	for {
		rc.mu.Lock()
		got := len(rc.at)
		rc.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-rc.more:
		case <-time.After(time.Minute):
			t.Fatalf("%d of %d alerts arrived, then none for a minute", got, n)
		}
	}
}

// running starts a dispatcher of a webhook sink to rc on a store of
// dsn, on the real clock, and returns them; the dispatcher stops when
// the test ends.
func running(t *testing.T, dsn string, rc *timedReceiver) (*store.Store, *Dispatcher, []*notify.Sink) {
	st, err := store.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg, err := notify.Parse("webhook:" + rc.URL + "#name=measure")
	if err != nil {
		t.Fatal(err)
	}
	sink, err := notify.New(cfg, notify.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Store: st, Sinks: []*notify.Sink{sink}, Holder: "measure"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		d.Close()
	})
	return st, d, []*notify.Sink{sink}
}

// deliveryRate stores n alerts as fast as it can, each with a delivery,
// waking the dispatcher after each as watch does, and returns how many
// the receiver took a second.
func deliveryRate(t *testing.T, dsn string, n int) float64 {
	rc := newTimedReceiver(t)
	st, d, sinks := running(t, dsn, rc)
	start := time.Now()
	for i := range n {
		if err := storeOne(t.Context(), st, sinks, i); err != nil {
			t.Fatal(err)
		}
		d.Wake()
	}
	rc.wait(t, n)
	return float64(n) / time.Since(start).Seconds()
}

// latency stores rate alerts a second for seconds, each in its own
// transaction and waking the dispatcher, and returns for each alert the
// time from its commit returning to its arrival, and how long each
// commit took.
func latency(t *testing.T, dsn string, rate, seconds int) (lat, commits []time.Duration) {
	rc := newTimedReceiver(t)
	st, d, sinks := running(t, dsn, rc)
	n := rate * seconds
	stored := make([]time.Time, n)
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); wait > 0 {
			time.Sleep(wait)
		}
		begin := time.Now()
		if err := storeOne(t.Context(), st, sinks, i); err != nil {
			t.Fatal(err)
		}
		stored[i] = time.Now()
		commits = append(commits, stored[i].Sub(begin))
		d.Wake()
	}
	rc.wait(t, n)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i := range n {
		lat = append(lat, max(rc.at[keyOf(i)].Sub(stored[i]), 0))
	}
	return lat, commits
}
