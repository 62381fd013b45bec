package outbox

import (
	"net/http"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// TestSilences silences one application's owner-added alerts for an
// hour on the test's clock: its deliveries are not sent and its alerts
// become suppressed by the silence, others go on; once the silence
// expires, or is expired, alerts go again; the store keeps who did what.
func TestSilences(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		rc := newReceiver(t, c.Now, func(*http.Request) int { return http.StatusOK })
		sink := newSink(t, "webhook:"+rc.URL, c)
		sinks := []*notify.Sink{sink}
		id, err := st.AddSilence(t.Context(), store.Silence{Matchers: []string{"row=owner-added", "app=App app-1"},
			Reason: "owner changes during the migration", Author: "ana", Expires: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		d := newDispatcher(t, st, c, "test", sink)
		storeAlerts(t, st, sinks, 0, testAlert(0, "app-1", "owner-added"), testAlert(1, "app-2", "owner-added"),
			testAlert(2, "app-1", "credential-added"))
		c.Add(10 * time.Minute)
		drive(t, d, c, time.Second, c.Now().Add(time.Minute))
		accepted, _ := rc.counts()
		if accepted[keyOf(0)] != 0 || accepted[keyOf(1)] != 1 || accepted[keyOf(2)] != 1 {
			t.Fatalf("accepted %v; want all but %s", accepted, keyOf(0))
		}
		var silenced store.Delivery
		st.Deliveries(t.Context(), store.DeliveryFilter{AlertKey: keyOf(0), WithAlert: true}, func(d store.Delivery) error {
			silenced = d
			return nil
		})
		if silenced.State != store.DeliverySilenced || silenced.Alert.Status != alert.StatusSuppressed {
			t.Errorf("silenced delivery %s, alert %s", silenced.State, silenced.Alert.Status)
		}
		sls, err := st.Silences(t.Context(), true)
		if err != nil || len(sls) != 1 || sls[0].Suppressed != 1 {
			t.Fatalf("active silences %+v, %v; want one that suppressed an alert", sls, err)
		}

		c.Set(t0.Add(time.Hour))
		storeAlerts(t, st, sinks, 3, testAlert(3, "app-1", "owner-added"))
		drive(t, d, c, time.Second, c.Now().Add(time.Minute))
		if accepted, _ := rc.counts(); accepted[keyOf(3)] != 1 {
			t.Errorf("an alert after the silence expired was not delivered: %v", accepted)
		}

		id2, err := st.AddSilence(t.Context(), store.Silence{Matchers: []string{"actor=~ana@.*"}, Reason: "r", Author: "ana", Expires: c.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		c.Add(5 * time.Second) // the silences read are older than the poll
		if err := st.ExpireSilence(t.Context(), id2, "bo"); err != nil {
			t.Fatal(err)
		}
		if err := st.ExpireSilence(t.Context(), id2, "bo"); err == nil {
			t.Error("a silence expired twice")
		}
		c.Add(5 * time.Second)
		storeAlerts(t, st, sinks, 4, testAlert(4, "app-1", "owner-added"))
		drive(t, d, c, time.Second, c.Now().Add(time.Minute))
		if accepted, _ := rc.counts(); accepted[keyOf(4)] != 1 {
			t.Errorf("an alert after the silence was expired was not delivered: %v", accepted)
		}
		events, err := st.SilenceEvents(t.Context(), 0)
		if err != nil || len(events) != 3 || events[0].SilenceID != id || events[2].Action != "expire" || events[2].Author != "bo" {
			t.Errorf("audit trail %+v, %v", events, err)
		}
	})
}
