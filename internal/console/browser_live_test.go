package console

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webtest"
)

// TestBrowserLive leaves the filtered alerts page open in Chromium while
// alerts arrive: the page's poll announces those its filter selects, and
// "Show them" draws the list again in place, the new ones marked,
// without reloading the page.
func TestBrowserLive(t *testing.T) {
	browser := webtest.Browser(t)
	e := newEnv(t, testAlerts(10), func(o *Options) { o.Poll = time.Second })
	b := e.tab(t, browser)
	b.signIn(viewerName, viewerPassword)
	b.open("/alerts?level=high")
	b.until("the high alerts", `document.querySelector("#results-h").textContent.startsWith("2 alerts")`)
	eval[bool](b, `window.notReloaded = true`)

	more := testAlerts(13)[10:]
	for i := range more {
		more[i].Key = fmt.Sprintf("new-%d", i)
		more[i].Alert.Level = []string{"high", "high", "low"}[i]
		more[i].Alert.Time = e.clock.Now().Add(time.Duration(i) * time.Second).Format(time.RFC3339)
	}
	if _, err := e.store.Commit(t.Context(), &store.Batch{Source: "dir:/var/log/entra", Alerts: more}); err != nil {
		t.Fatal(err)
	}
	b.until("the notice of two new alerts", `document.querySelector("#live .live-note") &&
		document.querySelector("#live .live-note").textContent.includes("2 new alerts")`)
	webtest.Screenshot(t, b.ctx, webtest.Artifacts(t), "alerts-live-1280.png", 1280)
	b.audit("alerts with the notice of new alerts")

	b.run("show them", chromedp.Click(chromedp.CSS(`#live .live-note a`)))
	b.until("the list with the new alerts", `document.querySelector("#results-h").textContent.startsWith("4 alerts") &&
		document.querySelectorAll(".alert-table tr.new").length === 2`)
	if !eval[bool](b, `window.notReloaded === true`) {
		t.Error("showing the new alerts reloaded the page instead of swapping the list")
	}
	if p := b.path(); p != "/alerts?level=high&new="+fmt.Sprint(10) {
		t.Errorf("the address after showing them is %q, want the filter kept and the new alerts marked", p)
	}
	if n := eval[int](b, `document.querySelectorAll("#live .live-note").length`); n != 0 {
		t.Errorf("the notice stays after showing the new alerts")
	}
	webtest.Screenshot(t, b.ctx, webtest.Artifacts(t), "alerts-new-1280.png", 1280)
}

// TestBrowserHistory opens the posture page and an app's page with
// snapshots stored, audits them and saves their screenshots, at 1280 px
// and on a phone.
func TestBrowserHistory(t *testing.T) {
	browser := webtest.Browser(t)
	e := newEnv(t, testAlerts(20), nil)
	postureSnapshots(t, e)
	dir := webtest.Artifacts(t)
	b := e.tab(t, browser)
	b.signIn(adminName, adminPassword)
	for _, p := range []struct{ name, path string }{{"posture-trend", "/posture"}, {"app-history", "/apps/" + payrollApp}} {
		b.open(p.path)
		b.audit(p.name)
		for _, w := range []int{1280, 390} {
			webtest.Screenshot(t, b.ctx, dir, fmt.Sprintf("%s-%d.png", p.name, w), int64(w))
			b.fits(p.name, w)
		}
	}
}
