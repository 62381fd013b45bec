package outbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// t0 is when the tests' clocks start.
var t0 = time.Date(2026, 6, 7, 9, 0, 0, 0, time.UTC)

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t, never back.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// eachStore runs test on a new store of each dialect, on clock c.
func eachStore(t *testing.T, test func(t *testing.T, st *store.Store, dsn string, c *clock)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			c := newClock()
			dsn := storetest.DSN(t, d)
			test(t, openStore(t, dsn, c), dsn, c)
		})
	}
}

func openStore(t *testing.T, dsn string, c *clock) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testAlert is alert number i, of app app and guide row row.
func testAlert(i int, app, row string) alert.Alert {
	return alert.Alert{
		GuideRow: row, RuleID: "aw-" + row, Title: "Alert " + row, Level: alert.LevelHigh,
		Time:     alert.FormatTime(t0.Add(-time.Hour).Add(time.Duration(i) * time.Second)),
		EventID:  fmt.Sprintf("event-%d", i),
		TenantID: "6f0c2a52-7c1e-4c8e-9a4b-2d5f0e1a9b33",
		Actor:    alert.Actor{Type: "user", UPN: "ana@contoso.com"},
		Target:   alert.Target{Type: "Application", AppID: app, Name: "App " + app},
		Evidence: map[string]any{"activity": "Update application"},
		Attack:   []string{"T1098.001"},
	}
}

// keyOf is the key the tests store alert i under.
func keyOf(i int) string { return fmt.Sprintf("key-%04d", i) }

// storeAlerts stores alerts, keyed keyOf(first+i), routed to sinks.
func storeAlerts(t *testing.T, st *store.Store, sinks []*notify.Sink, first int, alerts ...alert.Alert) {
	t.Helper()
	b := &store.Batch{Source: "test"}
	for i, a := range alerts {
		b.Alerts = append(b.Alerts, store.Alert{Key: keyOf(first + i), Alert: a, Routes: Routes(sinks, &a)})
	}
	if _, err := st.Commit(t.Context(), b); err != nil {
		t.Fatal(err)
	}
}

// newSink makes the sink spec, its clock c.
func newSink(t *testing.T, spec string, c *clock) *notify.Sink {
	t.Helper()
	cfg, err := notify.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := notify.New(cfg, notify.Options{Now: c.Now, LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newDispatcher makes a dispatcher of sinks on st, with clock c and a
// fixed jitter.
func newDispatcher(t *testing.T, st *store.Store, c *clock, holder string, sinks ...*notify.Sink) *Dispatcher {
	t.Helper()
	var log *slog.Logger
	if os.Getenv("OUTBOX_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	d, err := New(Options{Store: st, Sinks: sinks, Holder: holder, Now: c.Now, Rand: func() float64 { return 0.5 },
		DeadAfter: time.Hour, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// drive runs d until nothing is pending or until, moving the clock to
// each next due time (at least step ahead), the clock passes end.
func drive(t *testing.T, d *Dispatcher, c *clock, step time.Duration, end time.Time) {
	t.Helper()
	for c.Now().Before(end) {
		next, err := d.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if next.IsZero() {
			return
		}
		if min := c.Now().Add(step); next.Before(min) {
			next = min
		}
		c.Set(next)
	}
}

// receiver is a webhook receiver on loopback: it answers with status(),
// and counts the requests it accepted and refused by webhook-id.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	status   func(r *http.Request) int
	accepted map[string]int
	refused  int
	bodies   []map[string]any
	times    []time.Time
	now      func() time.Time
	// retryAfter, when set before the first request, is the Retry-After
	// of refusals.
	retryAfter string
}

func newReceiver(t *testing.T, now func() time.Time, status func(*http.Request) int) *receiver {
	rc := &receiver{status: status, accepted: map[string]int{}, now: now}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body)) // for status
		code := rc.status(r)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if code/100 != 2 {
			rc.refused++
			if rc.retryAfter != "" {
				w.Header().Set("Retry-After", rc.retryAfter)
			}
			w.WriteHeader(code)
			return
		}
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("body is not a JSON object: %v", err)
		}
		rc.bodies = append(rc.bodies, v)
		rc.times = append(rc.times, rc.now())
		rc.accepted[r.Header.Get("webhook-id")]++
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) counts() (map[string]int, int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make(map[string]int, len(rc.accepted))
	for k, v := range rc.accepted {
		out[k] = v
	}
	return out, rc.refused
}

// states counts the deliveries of st by state.
func states(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := st.Deliveries(t.Context(), store.DeliveryFilter{}, func(d store.Delivery) error {
		out[d.State]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
