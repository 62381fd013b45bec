package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// poisoned is the alert the receivers of these tests refuse.
const poisoned = 5

// deliveryOf returns the delivery of the alert key to the only sink.
func deliveryOf(t *testing.T, st *store.Store, key string) store.Delivery {
	t.Helper()
	var out store.Delivery
	err := st.Deliveries(t.Context(), store.DeliveryFilter{AlertKey: key}, func(d store.Delivery) error {
		out = d
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkPoisoned checks that every alert but the poisoned one was taken
// once, that the poisoned one is dead after attempts, and that the sink
// was never paused.
func checkPoisoned(t *testing.T, st *store.Store, sink *notify.Sink, accepted map[string]int, n int) {
	t.Helper()
	for i := range n {
		want := 1
		if i == poisoned {
			want = 0
		}
		if accepted[keyOf(i)] != want {
			t.Errorf("%s taken %d times, want %d", keyOf(i), accepted[keyOf(i)], want)
		}
	}
	if d := deliveryOf(t, st, keyOf(poisoned)); d.State != store.DeliveryDead || d.LastError == "" {
		t.Errorf("the refused alert's delivery is %s (%q), want dead with the receiver's answer", d.State, d.LastError)
	}
	if s := states(t, st); s[store.DeliverySent] != n-1 || s[store.DeliveryDead] != 1 {
		t.Errorf("deliveries by state: %v", s)
	}
	if ss, _ := st.SinkState(t.Context(), sink.Name()); ss.Failures != 0 || ss.Next.After(t0.Add(time.Minute)) {
		t.Errorf("the sink was paused for a refused alert: %+v", ss)
	}
}

// TestPoisonedAlert has a webhook receiver refuse one alert with 400 and
// take the others: that alert is dead after one attempt, and the others
// go at once, the sink never pausing.
func TestPoisonedAlert(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		rc := newReceiver(t, c.Now, func(r *http.Request) int {
			if r.Header.Get("webhook-id") == keyOf(poisoned) {
				return http.StatusBadRequest
			}
			return http.StatusOK
		})
		sink := newSink(t, "webhook:"+rc.URL, c)
		var alerts []alert.Alert
		for i := range 40 {
			alerts = append(alerts, testAlert(i, "app-1", "credential-added"))
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts...)
		d := newDispatcher(t, st, c, "test", sink)
		if next, err := d.RunOnce(t.Context()); err != nil || !next.IsZero() {
			t.Fatalf("RunOnce = %s, %v; want everything done in one go", next, err)
		}
		accepted, refused := rc.counts()
		checkPoisoned(t, st, sink, accepted, len(alerts))
		if refused != 1 {
			t.Errorf("the refused alert was sent %d times", refused)
		}
		if d := deliveryOf(t, st, keyOf(poisoned)); d.Attempts != 1 {
			t.Errorf("the refused alert was tried %d times", d.Attempts)
		}
	})
}

// TestPoisonedBatch has a Splunk collector refuse every batch holding
// one alert with 400, without saying which of its events is wrong (as
// the Logs Ingestion API does): only that alert is given up.
func TestPoisonedBatch(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		srv, taken := newHEC(t)
		cfg, err := notify.Parse("splunk:" + srv.URL + "#concurrency=1")
		if err != nil {
			t.Fatal(err)
		}
		sink, err := notify.New(cfg, notify.Options{Now: c.Now, LookupEnv: func(string) (string, bool) { return "token", true }})
		if err != nil {
			t.Fatal(err)
		}
		var alerts []alert.Alert
		for i := range 30 {
			alerts = append(alerts, testAlert(i, "app-1", "credential-added"))
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts...)
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, time.Second, t0.Add(time.Minute))
		checkPoisoned(t, st, sink, taken(), len(alerts))
	})
}

// TestPoisonedGroup has a Slack receiver refuse, with 400, every message
// that lists one alert: the group's message is split, each of its alerts
// goes alone, and only the refused one is given up.
func TestPoisonedGroup(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		upn := func(i int) string { return fmt.Sprintf("user-%d@contoso.com", i) }
		poison := upn(poisoned)
		rc := newReceiver(t, c.Now, func(r *http.Request) int {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(poison)) {
				return http.StatusBadRequest
			}
			return http.StatusOK
		})
		sink := newSink(t, "slack:"+rc.URL+"#group-wait=10s", c)
		var alerts []alert.Alert
		for i := range 8 {
			a := testAlert(i, "app-1", "owner-added")
			a.Actor.UPN = upn(i)
			alerts = append(alerts, a)
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts...)
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, time.Second, t0.Add(time.Minute))
		msgs, _ := slackMessages(t, rc)
		if len(msgs) != len(alerts)-1 {
			t.Errorf("%d messages taken, want one for each alert but the refused one: %q", len(msgs), msgs)
		}
		taken := map[string]int{}
		for _, b := range rc.bodies {
			for i := range alerts {
				if bytes.Contains(mustJSON(t, b), []byte(upn(i))) {
					taken[keyOf(i)]++
				}
			}
		}
		if s := states(t, st); s[store.DeliverySent] != len(alerts)-1 || s[store.DeliveryDead] != 1 {
			t.Errorf("deliveries by state: %v", s)
		}
		for i := range alerts {
			if i != poisoned && taken[keyOf(i)] == 0 {
				t.Errorf("%s never arrived", keyOf(i))
			}
		}
		if d := deliveryOf(t, st, keyOf(poisoned)); d.State != store.DeliveryDead {
			t.Errorf("the refused alert's delivery is %s", d.State)
		}
	})
}

// newHEC is a Splunk HTTP Event Collector on loopback that refuses every
// batch holding the poisoned alert with 400, without saying which of its
// events is wrong, and returns the alert keys it took.
func newHEC(t *testing.T) (*httptest.Server, func() map[string]int) {
	var mu sync.Mutex
	accepted := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var keys []string
		dec := json.NewDecoder(bytes.NewReader(body))
		for dec.More() {
			var ev struct {
				Event struct {
					Key string `json:"alert_key"`
				} `json:"event"`
			}
			if err := dec.Decode(&ev); err != nil {
				t.Errorf("HEC body: %v", err)
				return
			}
			keys = append(keys, ev.Event.Key)
		}
		for _, k := range keys {
			if k == keyOf(poisoned) {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"text":"Invalid data format","code":6}`)
				return
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, k := range keys {
			accepted[k]++
		}
		io.WriteString(w, `{"text":"Success","code":0}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(accepted)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFlakyReceiver has a webhook receiver fail the first attempt of one
// alert in three with 500 while it takes the others: each failed alert
// waits its own backoff while the sink keeps sending, so everything
// arrives, once, within a few backoffs, where pausing the whole sink on
// each failure would take one pause per failed alert.
func TestFlakyReceiver(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		var mu sync.Mutex
		tried := map[string]bool{}
		failing := map[string]bool{}
		rc := newReceiver(t, c.Now, func(r *http.Request) int {
			mu.Lock()
			defer mu.Unlock()
			k := r.Header.Get("webhook-id")
			first := !tried[k]
			tried[k] = true
			if first && failing[k] {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		sink := newSink(t, "webhook:"+rc.URL+"#concurrency=4", c)
		var alerts []alert.Alert
		for i := range 60 {
			alerts = append(alerts, testAlert(i, "app-1", "credential-added"))
			// Never the first of a claim of 16, so that another of the
			// claim goes through.
			failing[keyOf(i)] = i%3 == 2
		}
		storeAlerts(t, st, []*notify.Sink{sink}, 0, alerts...)
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, 100*time.Millisecond, t0.Add(time.Hour))
		accepted, refused := rc.counts()
		for i := range alerts {
			if accepted[keyOf(i)] != 1 {
				t.Errorf("%s taken %d times", keyOf(i), accepted[keyOf(i)])
			}
		}
		if refused != 20 {
			t.Errorf("%d attempts refused, want 20", refused)
		}
		// Each failed alert waits one backoff (one second, half of it
		// jitter); pausing the sink after each would take 20.
		if took := c.Now().Sub(t0); took > 5*time.Second {
			t.Errorf("delivered after %s of the test's clock", took)
		}
		if s := states(t, st); s[store.DeliverySent] != len(alerts) || len(s) != 1 {
			t.Errorf("deliveries by state: %v", s)
		}
	})
}

// TestSetSinks replaces a sink with another, as a reload does: alerts are
// routed to the new one from then on, the old one's pending deliveries
// stay pending and its backlog is still reported, and they are sent when
// a sink of its name comes back.
func TestSetSinks(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		ok := func(*http.Request) int { return http.StatusOK }
		ra, rb := newReceiver(t, c.Now, ok), newReceiver(t, c.Now, ok)
		a, b := newSink(t, "webhook:"+ra.URL+"#name=a", c), newSink(t, "webhook:"+rb.URL+"#name=b", c)
		reg := prometheus.NewRegistry()
		d, err := New(Options{Store: st, Sinks: []*notify.Sink{a}, Holder: "test", Now: c.Now, Registerer: reg})
		if err != nil {
			t.Fatal(err)
		}
		storeAlerts(t, st, d.Sinks(), 0, testAlert(0, "app-1", "owner-added"), testAlert(1, "app-1", "owner-added"))
		if err := d.SetSinks([]*notify.Sink{b}); err != nil {
			t.Fatal(err)
		}
		third := testAlert(2, "app-1", "owner-added")
		if r := d.Routes(&third); len(r) != 1 || r[0].Sink != "b" {
			t.Errorf("routes after the change: %+v", r)
		}
		storeAlerts(t, st, d.Sinks(), 2, third)
		drive(t, d, c, time.Second, t0.Add(time.Minute))
		if got, _ := ra.counts(); len(got) != 0 {
			t.Errorf("the removed sink was sent %v", got)
		}
		if got, _ := rb.counts(); len(got) != 1 || got[keyOf(2)] != 1 {
			t.Errorf("the new sink took %v, want only the alert stored after the change", got)
		}
		backlog, err := testutil.GatherAndCount(reg, "appwatch_delivery_backlog")
		if err != nil || backlog != 2 {
			t.Errorf("backlog series: %d, %v; want one for b and one for the removed a", backlog, err)
		}
		if err := testutil.GatherAndCompare(reg, strings.NewReader(`# HELP appwatch_delivery_backlog Deliveries pending, by sink, in the whole store.
# TYPE appwatch_delivery_backlog gauge
appwatch_delivery_backlog{sink="a"} 2
appwatch_delivery_backlog{sink="b"} 0
`), "appwatch_delivery_backlog"); err != nil {
			t.Error(err)
		}
		a2 := newSink(t, "webhook:"+ra.URL+"#name=a", c)
		if err := d.SetSinks([]*notify.Sink{a2, b}); err != nil {
			t.Fatal(err)
		}
		drive(t, d, c, time.Second, t0.Add(2*time.Minute))
		if got, _ := ra.counts(); len(got) != 2 {
			t.Errorf("the sink back took %v, want its two pending alerts", got)
		}
		if err := d.SetSinks([]*notify.Sink{b, newSink(t, "webhook:"+rb.URL+"#name=b", c)}); err == nil {
			t.Error("two sinks of one name were taken")
		}
		d.Close()
	})
}

// TestDirectPoisoned sends with Direct (scan --notify) to a Splunk
// collector and a Slack receiver that refuse every batch or message
// holding one alert: only that alert is not delivered.
func TestDirectPoisoned(t *testing.T) {
	c := newClock()
	direct := Direct{Now: c.Now, Rand: func() float64 { return 0.5 },
		Sleep: func(_ context.Context, d time.Duration) error { c.Add(d); return nil }}
	var alerts []alert.Alert
	for i := range 12 {
		a := testAlert(i, "app-1", "owner-added")
		a.AlertKey, a.Actor.UPN = keyOf(i), fmt.Sprintf("user-%d@contoso.com", i)
		alerts = append(alerts, a)
	}

	srv, taken := newHEC(t)
	cfg, err := notify.Parse("splunk:" + srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	hec, err := notify.New(cfg, notify.Options{Now: c.Now, LookupEnv: func(string) (string, bool) { return "token", true }})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := direct.Send(t.Context(), hec, alerts)
	if rep.Sent != len(alerts)-1 || rep.Failed != 1 || err == nil {
		t.Errorf("Splunk: %+v, %v; want all but one sent", rep, err)
	}
	got := taken()
	for i := range alerts {
		want := 1
		if i == poisoned {
			want = 0
		}
		if got[keyOf(i)] != want {
			t.Errorf("Splunk took %s %d times, want %d", keyOf(i), got[keyOf(i)], want)
		}
	}

	poison := alerts[poisoned].Actor.UPN
	rc := newReceiver(t, c.Now, func(r *http.Request) int {
		if body, _ := io.ReadAll(r.Body); bytes.Contains(body, []byte(poison)) {
			return http.StatusBadRequest
		}
		return http.StatusOK
	})
	rep, err = direct.Send(t.Context(), newSink(t, "slack:"+rc.URL, c), alerts)
	if rep.Sent != len(alerts)-1 || rep.Failed != 1 || err == nil {
		t.Errorf("Slack: %+v, %v; want all but one sent", rep, err)
	}
	if msgs, _ := slackMessages(t, rc); len(msgs) != len(alerts)-1 {
		t.Errorf("Slack took %d messages, want one for each alert but the refused one", len(msgs))
	}
}
