package console

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/store"
)

const payrollApp = "4f1c2d3e-0000-4000-8000-00000000000a"

// postureSnapshots stores three snapshots of the tenant, six hours
// apart from t0, as appwatch watch's posture source does: findings, the
// counts per check and what the Payroll Sync app held. Its owner's name
// is hostile.
func postureSnapshots(t *testing.T, e *env) {
	t.Helper()
	day := 24 * time.Hour
	cred := func(key, typ, name string, start, end time.Time) store.AppItem {
		return store.AppItem{AppID: payrollApp, Kind: store.ItemCredential, Item: "application:" + key, Detail: map[string]any{
			"on": "application", "type": typ, "name": name, "key_id": key,
			"start": start.Format(time.RFC3339), "end": end.Format(time.RFC3339)}}
	}
	current := cred("k-1", "secret", "ci-secret", t0.Add(-300*day), t0.Add(400*day))
	expired := cred("k-2", "secret", "old-secret", t0.Add(-700*day), t0.Add(-day))
	cert := cred("c-1", "certificate", "CN=payroll", t0.Add(-100*day), t0.Add(200*day))
	perm := store.AppItem{AppID: payrollApp, Kind: store.ItemPermission, Item: "application:graph:mail.read", Detail: map[string]any{
		"type": "application", "api": "Microsoft Graph", "permission": "Mail.Read", "level": "high"}}
	owner := store.AppItem{AppID: payrollApp, Kind: store.ItemOwner, Item: "application:u-1", Detail: map[string]any{
		"on": "application", "type": "user", "name": `<script>alert("owner")</script>`, "upn": "mallory@contoso.com"}}
	other := store.AppItem{AppID: "5e5e5e5e-0000-4000-8000-000000000001", Kind: store.ItemOwner, Item: "application:u-2",
		Detail: map[string]any{"on": "application", "type": "user", "name": "Bo"}}
	steps := []struct {
		items    []store.AppItem
		findings int // findings of the lifetime check
	}{
		{[]store.AppItem{current, expired, cert, owner, other}, 2},
		{[]store.AppItem{current, expired, perm, owner, other}, 2},
		{[]store.AppItem{current, expired, perm, owner, other}, 1},
	}
	for i, st := range steps {
		taken := e.clock.Now()
		var alerts []store.Alert
		for j := range st.findings {
			alerts = append(alerts, store.Alert{Key: fmt.Sprintf("finding-%d-%d", i, j), Alert: alert.Alert{
				RuleID: posture.CredentialLifetimeExceeded, GuideRow: "credential-added", Level: alert.LevelMedium, Title: "lifetime",
				Target: alert.Target{Type: "Application", AppID: payrollApp, Name: "Payroll Sync"}, Source: alert.Source{Format: "posture"}}})
		}
		_, err := e.store.Commit(t.Context(), &store.Batch{Source: postureSource, Alerts: alerts, Snapshot: &store.Snapshot{
			Taken: taken, Body: []byte("{}"), Items: st.items,
			Findings: map[string]int64{posture.CredentialLifetimeExceeded: int64(st.findings)}}})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(6 * time.Hour)
	}
}

// TestPostureTrend draws the findings across snapshots: a line of the
// totals, with its numbers in a table, and a line per check.
func TestPostureTrend(t *testing.T) {
	e := newEnv(t, testAlerts(5), nil)
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	if _, body := e.get(cl, "/posture"); !strings.Contains(body, "The trend starts with the next snapshot") {
		t.Errorf("before any snapshot, the posture page does not say when the trend starts:\n%.3000s", body)
	}
	postureSnapshots(t, e)
	e.signIn(cl, viewerName, viewerPassword) // the session ended while the clock moved on
	resp, body := e.get(cl, "/posture")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/posture: %s", resp.Status)
	}
	for _, want := range []string{
		`<svg class="line-chart"`, "Findings in each of the last 3 snapshots",
		`<title id="spark-1">2 findings in the first snapshot, 1 in the latest, of 3</title>`, "Last 3 snapshots",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the posture page lacks %q:\n%.5000s", want, body)
		}
	}
	if n := strings.Count(body, `<circle class="dot"`); n != 3 {
		t.Errorf("%d snapshots on the chart, want 3", n)
	}
	line := regexp.MustCompile(`<polyline class="line" points="([^"]+)"`).FindStringSubmatch(body)
	if line == nil || len(strings.Fields(line[1])) != 3 {
		t.Fatalf("the chart's line %q, want 3 points", line)
	}
	// 2, 2, 1 findings: the last point is lower on the chart (larger y).
	var y [3]float64
	for i, p := range strings.Fields(line[1]) {
		fmt.Sscanf(p[strings.Index(p, ",")+1:], "%g", &y[i])
	}
	if y[0] != y[1] || y[2] <= y[1] {
		t.Errorf("points %q do not go 2, 2, 1", line[1])
	}
}

// TestAppHistoryPage shows an app's credentials, permissions and owners
// across snapshots: current, expired and removed ones, the validity
// chart, and the owner's hostile name as text.
func TestAppHistoryPage(t *testing.T) {
	e := newEnv(t, testAlerts(5), nil)
	postureSnapshots(t, e)
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	resp, body := e.get(cl, "/apps/"+url.PathEscape(payrollApp))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("app page: %s", resp.Status)
	}
	row := func(name string) string {
		m := regexp.MustCompile(`<tr class="state-(\w+)">\s*<th scope="row">` + regexp.QuoteMeta(name)).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	for name, state := range map[string]string{"ci-secret": "current", "old-secret": "expired", "CN=payroll": "removed", "Mail.Read": "current",
		`&lt;script&gt;alert(&#34;owner&#34;)&lt;/script&gt;`: "current"} {
		if got := row(name); got != state {
			t.Errorf("%s is %q on the app page, want %q", name, got, state)
		}
	}
	if strings.Contains(body, `<script>alert("owner")`) {
		t.Error("the owner's name is not escaped")
	}
	if strings.Contains(body, ">Bo<") {
		t.Error("another app's owner is on the page")
	}
	if n := strings.Count(body, `<rect class="cred cred-`); n != 3 {
		t.Errorf("%d credentials on the validity chart, want 3", n)
	}
	for _, want := range []string{`class="cred cred-removed"`, `class="cred cred-expired"`, `<line class="now"`, "From the snapshots", "client secret", "application permission"} {
		if !strings.Contains(body, want) {
			t.Errorf("the app page lacks %q", want)
		}
	}
	// An app the snapshots know but no alert names has a page too.
	if resp, _ := e.get(cl, "/apps/5e5e5e5e-0000-4000-8000-000000000001"); resp.StatusCode != http.StatusOK {
		t.Errorf("the page of an app known only from snapshots: %s", resp.Status)
	}
	if resp, _ := e.get(cl, "/apps/unknown-app"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the page of an unknown app: %s, want 404", resp.Status)
	}
}
