package outbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// slackMessages returns the messages a Slack receiver took: the header
// text of each, checked against Block Kit's limits, and when it came.
func slackMessages(t *testing.T, rc *receiver) ([]string, []time.Time) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, b := range rc.bodies {
		blocks, _ := b["blocks"].([]any)
		if len(blocks) == 0 || len(blocks) > 50 {
			t.Errorf("a message of %d blocks", len(blocks))
			continue
		}
		header, _ := blocks[0].(map[string]any)
		text, _ := header["text"].(map[string]any)
		out = append(out, text["text"].(string))
	}
	return out, append([]time.Time(nil), rc.times...)
}

// TestGrouping follows the groups of a Slack sink on the test's clock:
// the first message of a group waits group-wait for more alerts, later
// ones go after group-interval, one message a second at most, and open
// alerts come again after repeat-interval.
func TestGrouping(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		rc := newReceiver(t, c.Now, func(*http.Request) int { return http.StatusOK })
		sink := newSink(t, "slack:"+rc.URL+"#group-wait=30s&group-interval=5m&repeat-interval=1h", c)
		sinks := []*notify.Sink{sink}
		d := newDispatcher(t, st, c, "test", sink)
		step := func(to time.Duration) {
			t.Helper()
			c.Set(t0.Add(to))
			if _, err := d.RunOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		storeAlerts(t, st, sinks, 0, testAlert(0, "app-1", "owner-added"), testAlert(1, "app-1", "owner-added"),
			testAlert(2, "app-2", "owner-added"), testAlert(3, "app-1", "credential-added"))
		step(10 * time.Second)
		storeAlerts(t, st, sinks, 4, testAlert(4, "app-1", "owner-added"))
		step(29 * time.Second)
		if got, _ := slackMessages(t, rc); len(got) != 0 {
			t.Fatalf("sent before group-wait: %q", got)
		}
		for s := 30; s <= 33; s++ {
			step(time.Duration(s) * time.Second)
		}
		got, at := slackMessages(t, rc)
		if len(got) != 3 || !strings.HasPrefix(got[0], "3 alerts") || !strings.HasPrefix(got[1], "1 alert") {
			t.Fatalf("messages after group-wait: %q", got)
		}
		for i := 1; i < len(at); i++ {
			if at[i].Sub(at[i-1]) < time.Second {
				t.Errorf("messages %d and %d a %s apart: the rate is one a second", i-1, i, at[i].Sub(at[i-1]))
			}
		}

		storeAlerts(t, st, sinks, 5, testAlert(5, "app-1", "owner-added"))
		step(time.Minute)
		step(5*time.Minute + 29*time.Second)
		if got, _ := slackMessages(t, rc); len(got) != 3 {
			t.Fatalf("sent before group-interval: %q", got[3:])
		}
		step(5*time.Minute + 30*time.Second)
		got, _ = slackMessages(t, rc)
		if len(got) != 4 || !strings.HasPrefix(got[3], "1 alert") {
			t.Fatalf("messages after group-interval: %q", got)
		}
		accepted := states(t, st)
		if accepted[store.DeliverySent] != 6 || len(accepted) != 1 {
			t.Errorf("deliveries by state: %v", accepted)
		}

		// An hour after their last message, the groups are sent again,
		// listing every alert they listed.
		step(time.Hour + 31*time.Second)
		for s := 32; s <= 36; s++ {
			step(time.Hour + time.Duration(s)*time.Second)
		}
		got, _ = slackMessages(t, rc)
		if len(got) != 6 {
			t.Fatalf("messages after repeat-interval: %q", got)
		}
		step(time.Hour + 5*time.Minute + 31*time.Second)
		got, _ = slackMessages(t, rc)
		if len(got) != 7 || !strings.HasPrefix(got[6], "4 alerts") {
			t.Errorf("messages after the last group's repeat-interval: %q", got)
		}
	})
}

// TestRate sends a Slack sink that does not group five alerts: one a
// second.
func TestRate(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store, _ string, c *clock) {
		rc := newReceiver(t, c.Now, func(*http.Request) int { return http.StatusOK })
		sink := newSink(t, "slack:"+rc.URL+"#group-by=none&rate=2", c)
		for i := range 5 {
			storeAlerts(t, st, []*notify.Sink{sink}, i, testAlert(i, "app-1", "owner-added"))
		}
		d := newDispatcher(t, st, c, "test", sink)
		drive(t, d, c, time.Millisecond, t0.Add(time.Minute))
		got, at := slackMessages(t, rc)
		if len(got) != 5 {
			t.Fatalf("%d messages, want 5", len(got))
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < 500*time.Millisecond {
				t.Errorf("messages %d and %d %s apart; rate=2 allows one every 500ms", i-1, i, gap)
			}
		}
	})
}
