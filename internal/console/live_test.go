package console

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

var liveURL = regexp.MustCompile(`id="live" hx-get="([^"]+)" hx-trigger="every (\d+)s"`)

// TestLiveUpdates has the alerts page ask, as its htmx poll does, for the
// alerts stored since it was drawn: the answer counts those its filters
// select, and its link draws the list again with them marked new.
func TestLiveUpdates(t *testing.T) {
	e := newEnv(t, testAlerts(10), func(o *Options) { o.Poll = 2 * time.Second })
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)

	_, page := e.get(cl, "/alerts?level=high")
	m := liveURL.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the alerts page does not poll for new alerts:\n%.3000s", page)
	}
	if m[2] != "2" {
		t.Errorf("polls every %ss, want the console's 2s", m[2])
	}
	live := html.UnescapeString(m[1])
	if resp, body := e.get(cl, live); resp.StatusCode != http.StatusNoContent || body != "" {
		t.Errorf("with nothing new, the poll answers %s %q, want 204 and nothing", resp.Status, body)
	}

	more := testAlerts(13)[10:] // high, medium, critical
	for i := range more {
		more[i].Key = fmt.Sprintf("new-%d", i)
		more[i].Alert.Level = []string{"high", "high", "low"}[i]
		more[i].Alert.Time = e.clock.Now().Add(time.Duration(i) * time.Second).Format(time.RFC3339)
	}
	if _, err := e.store.Commit(t.Context(), &store.Batch{Source: "dir:/var/log/entra", Alerts: more}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.get(cl, live)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "2 new alerts match these filters.") {
		t.Fatalf("after two new high alerts, the poll answers %s:\n%s", resp.Status, body)
	}
	// The notice polls on, saying what it shows: the same count again is
	// left alone.
	next := liveURL.FindStringSubmatch(body)
	if next == nil || !strings.Contains(next[1], "shown=2") {
		t.Fatalf("the notice does not poll on with what it shows:\n%s", body)
	}
	if resp, _ := e.get(cl, html.UnescapeString(next[1])); resp.StatusCode != http.StatusNoContent {
		t.Errorf("polling again with nothing newer answers %s, want 204", resp.Status)
	}
	show := regexp.MustCompile(`<a href="([^"]+)" hx-get="([^"]+)" hx-target="#alerts-page"`).FindStringSubmatch(body)
	if show == nil || show[1] != show[2] || !strings.Contains(show[1], "level=high") || !strings.Contains(show[1], "new=") {
		t.Fatalf("the notice's link %q keeps neither the filter nor what is new:\n%s", show, body)
	}
	_, unfiltered := e.get(cl, strings.Replace(live, "level=high&", "", 1))
	if !strings.Contains(unfiltered, "3 new alerts") {
		t.Errorf("without the level filter, the poll answers %q, want 3 new alerts", unfiltered)
	}

	_, list := e.get(cl, html.UnescapeString(show[1]))
	if n := strings.Count(list, `<tr class="new">`); n != 2 {
		t.Errorf("the list drawn again marks %d alerts new, want 2:\n%.4000s", n, list)
	}
	for _, key := range []string{"new-0", "new-1"} {
		row := regexp.MustCompile(`<tr class="new">(?s:.)*?</tr>`).FindAllString(list, -1)
		if !strings.Contains(strings.Join(row, ""), "/alerts/"+key) {
			t.Errorf("alert %s is not marked new", key)
		}
	}
	if strings.Contains(list, "/alerts/new-2") {
		t.Error("the low alert is listed under level=high")
	}
	// The page drawn again polls from its own newest alert: nothing new.
	m = liveURL.FindStringSubmatch(list)
	if m == nil {
		t.Fatal("the list drawn again does not poll")
	}
	if resp, body := e.get(cl, html.UnescapeString(m[1])); resp.StatusCode != http.StatusNoContent {
		t.Errorf("the list drawn again still announces %s %q", resp.Status, body)
	}
	// Without a session the poll is refused, and htmx is told where to
	// sign in.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+live, nil)
	req.Header.Set("HX-Request", "true")
	anon, err := e.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	anon.Body.Close()
	if anon.StatusCode != http.StatusUnauthorized || anon.Header.Get("HX-Redirect") != "/signin" {
		t.Errorf("the poll without a session: %s, HX-Redirect %q", anon.Status, anon.Header.Get("HX-Redirect"))
	}
}
