package outbox

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// TestOutage has the receiver answer 500 for five minutes of the test's
// clock, then recover: every alert arrives, each accepted once by its
// webhook-id, and while it was down the sink was probed with a backoff,
// not hammered.
func TestOutage(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		up := t0.Add(5 * time.Minute)
		rc := newReceiver(t, c.Now, func(*http.Request) int {
			if c.Now().Before(up) {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		sink := newSink(t, "webhook:"+rc.URL+"#timeout=2s", c)
		var alerts []alert.Alert
		for i := range 60 {
			alerts = append(alerts, testAlert(i, "app-1", "credential-added"))
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts[:30]...)
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, 100*time.Millisecond, t0.Add(2*time.Minute))
		storeAlerts(t, st, []*notify.Sink{sink}, 30, alerts[30:]...)
		drive(t, d, c, 100*time.Millisecond, t0.Add(time.Hour))

		accepted, refused := rc.counts()
		for i := range alerts {
			if n := accepted[keyOf(i)]; n != 1 {
				t.Errorf("%s accepted %d times, want once", keyOf(i), n)
			}
		}
		if len(accepted) != len(alerts) {
			t.Errorf("%d keys accepted, want %d", len(accepted), len(alerts))
		}
		// One second doubling to at most five minutes: about nine probes
		// in five minutes, each of one alert.
		if refused < 5 || refused > 12 {
			t.Errorf("%d requests refused during the outage; want a probe per backoff step", refused)
		}
		if c.Now().After(up.Add(DefaultMaxBackoff)) {
			t.Errorf("delivered at %s, more than the longest backoff after the receiver recovered at %s", c.Now(), up)
		}
		if s := states(t, st); s[store.DeliverySent] != len(alerts) || len(s) != 1 {
			t.Errorf("deliveries by state: %v", s)
		}
		if st, _ := st.SinkState(t.Context(), sink.Name()); st.Failures != 0 {
			t.Errorf("the sink still counts %d failures", st.Failures)
		}
	})
}

// TestRetryAfter has the receiver ask to wait two minutes: nothing is
// sent before then.
func TestRetryAfter(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		var calls atomic.Int32
		rc := newReceiver(t, c.Now, func(r *http.Request) int {
			if calls.Add(1) == 1 {
				return http.StatusTooManyRequests
			}
			return http.StatusOK
		})
		rc.retryAfter = "120"
		sink := newSink(t, "webhook:"+rc.URL+"#concurrency=1", c)
		storeAlerts(t, st, []*notify.Sink{sink}, 0, testAlert(0, "app-1", "owner-added"), testAlert(1, "app-1", "owner-added"))
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, time.Second, t0.Add(time.Hour))
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if len(rc.times) != 2 || rc.times[0].Before(t0.Add(2*time.Minute)) {
			t.Errorf("accepted at %v; want both, not before %s", rc.times, t0.Add(2*time.Minute))
		}
	})
}

// TestDeadLetters has a receiver that always fails: every delivery ends
// dead an hour (DeadAfter) after its alert was stored, and retrying them
// once the receiver works delivers each once. A receiver that refuses an
// alert for good (400) makes it dead at once.
func TestDeadLetters(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		status := http.StatusServiceUnavailable
		rc := newReceiver(t, c.Now, func(*http.Request) int { return status })
		sink := newSink(t, "webhook:"+rc.URL, c)
		var alerts []alert.Alert
		for i := range 20 {
			alerts = append(alerts, testAlert(i, "app-1", "credential-added"))
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts...)
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, time.Second, t0.Add(3*time.Hour))
		if s := states(t, st); s[store.DeliveryDead] != len(alerts) || len(s) != 1 {
			t.Fatalf("deliveries by state: %v; want all dead", s)
		}
		if c.Now().Before(t0.Add(time.Hour)) {
			t.Errorf("given up at %s, before DeadAfter", c.Now())
		}
		var last string
		st.Deliveries(t.Context(), store.DeliveryFilter{}, func(d store.Delivery) error {
			last = d.LastError
			return nil
		})
		if last == "" {
			t.Error("a dead delivery says nothing of why")
		}

		status = http.StatusOK
		n, err := st.RetryDeliveries(t.Context(), store.DeliveryFilter{Sinks: []string{sink.Name()}})
		if err != nil || n != int64(len(alerts)) {
			t.Fatalf("RetryDeliveries = %d, %v", n, err)
		}
		drive(t, d, c, time.Second, c.Now().Add(time.Hour))
		accepted, _ := rc.counts()
		for i := range alerts {
			if accepted[keyOf(i)] != 1 {
				t.Errorf("%s accepted %d times after the retry", keyOf(i), accepted[keyOf(i)])
			}
		}

		status = http.StatusBadRequest
		storeAlerts(t, st, []*notify.Sink{sink}, 100, testAlert(100, "app-1", "owner-added"))
		start := c.Now()
		drive(t, d, c, time.Second, c.Now().Add(time.Hour))
		var dead store.Delivery
		st.Deliveries(t.Context(), store.DeliveryFilter{AlertKey: keyOf(100)}, func(d store.Delivery) error {
			dead = d
			return nil
		})
		if dead.State != store.DeliveryDead || dead.Attempts != 1 || dead.Done.After(start) {
			t.Errorf("refused delivery: %s after %d attempts at %s", dead.State, dead.Attempts, dead.Done)
		}
	})
}
