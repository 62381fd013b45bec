package console

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webtest"
)

// tab is a browser tab on the test console.
type tab struct {
	t   *testing.T
	e   *env
	ctx context.Context
}

func (e *env) tab(t *testing.T, browser context.Context) *tab {
	return &tab{t: t, e: e, ctx: webtest.Tab(t, browser)}
}

// run runs actions in the tab, failing the test on error.
func (b *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads path and waits for its main content.
func (b *tab) open(path string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.e.srv.URL+path))
	b.until("open "+path, `document.readyState === "complete" && document.querySelector("main")`)
}

// eval evaluates js in the tab.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// path returns the path and query of the page open.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// signIn signs in with the local account name through the form.
func (b *tab) signIn(name, password string) {
	b.t.Helper()
	b.open("/signin")
	b.run("sign in as "+name,
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`.signin button[type="submit"]`)),
	)
	b.until("signed in as "+name, `location.pathname === "/alerts" && document.querySelector("#alerts-page")`)
}

// audit fails the test for each accessibility problem of the page open,
// with its details closed and then open.
func (b *tab) audit(page string) {
	b.t.Helper()
	for _, open := range []bool{false, true} {
		if open {
			eval[bool](b, `document.querySelectorAll("details").forEach(d => d.open = true), true`)
		}
		problems, err := webtest.Audit(b.ctx)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, p := range problems {
			b.t.Errorf("%s: accessibility (details open: %v): %s", page, open, p)
		}
	}
	eval[bool](b, `document.querySelectorAll("details").forEach(d => d.open = false), true`)
}

// fits fails the test when the page is wider than width pixels.
func (b *tab) fits(page string, width int) {
	b.t.Helper()
	wide := eval[[]string](b, fmt.Sprintf(`(() => {
		if (document.documentElement.scrollWidth <= %d) return [];
		const over = (e) => !e.closest(".scroll") && e.scrollWidth > e.clientWidth + 1;
		const out = [...document.querySelectorAll("body *")].filter(e => over(e) && ![...e.children].some(over));
		return ["page " + document.documentElement.scrollWidth + "px wide"].concat(
			out.slice(0, 10).map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 60)));
	})()`, width))
	if len(wide) > 0 {
		b.t.Errorf("%s is wider than %dpx: %q", page, width, wide)
	}
}

// TestBrowser drives the console in one headless Chromium, a tab per
// story: starting the browser is the slow part.
func TestBrowser(t *testing.T) {
	browser := webtest.Browser(t)
	t.Run("triage", func(t *testing.T) { testTriageStory(t, browser) })
	t.Run("screens", func(t *testing.T) { testScreens(t, browser) })
}

// until evaluates the JavaScript condition cond in the tab until it is
// true, across page loads, failing the test after a generous deadline:
// a loaded machine may take many seconds to load and lay out a page.
func (b *tab) until(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+cond+`) } catch (e) { return false } })()`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			b.t.Fatalf("%s: not true after 2 minutes: %s (%v); page %s", what, cond, err, b.path())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// testTriageStory is a responder's morning: sign in, filter the list to
// high alerts (htmx swaps the results without reloading), open one,
// acknowledge it and comment on it, and find both in its history.
func testTriageStory(t *testing.T, browser context.Context) {
	e := newEnv(t, testAlerts(20), nil)
	b := e.tab(t, browser)
	b.open("/alerts")
	b.until("sent to sign in", `location.pathname === "/signin" && document.querySelector("#name")`)
	b.signIn(responderName, responderPassword)
	b.until("the list of 20 alerts", `document.querySelector("#results-h").textContent.startsWith("20 alerts")`)

	eval[bool](b, `window.notReloaded = true`)
	b.run("filter to high", chromedp.Click(chromedp.CSS(`input[name="level"][value="high"]`)))
	b.until("the list of high alerts", `location.search.includes("level=high") && document.querySelector("#results-h").textContent.startsWith("4 alerts")`)
	if !eval[bool](b, `window.notReloaded === true`) {
		t.Error("the filter reloaded the page instead of swapping the results")
	}
	levels := eval[[]string](b, `[...document.querySelectorAll(".alert-table tbody tr td:first-child")].map(td => td.textContent.trim())`)
	if len(levels) != 4 {
		t.Errorf("levels listed %q, want four high", levels)
	}
	for _, l := range levels {
		if !strings.EqualFold(l, "high") {
			t.Errorf("a %q alert listed under the high filter", l)
		}
	}

	href := eval[string](b, `document.querySelector(".alert-table tbody a[href^='/alerts/key-']").getAttribute("href")`)
	key := strings.TrimPrefix(href, "/alerts/")
	b.run("open "+href, chromedp.Click(chromedp.CSS(".alert-table tbody a[href='"+href+"']")))
	b.until("the alert's page", `location.pathname === "`+href+`" && document.querySelector("#triage")`)

	b.run("acknowledge", chromedp.Click(chromedp.CSS(`#triage button[name="action"][value="acknowledge"]`)))
	b.until("acknowledged", `document.querySelector("#triage .status-acknowledged")`)

	comment := "Checked with the app owner: planned secret rotation."
	b.run("comment",
		chromedp.SendKeys(chromedp.CSS("#comment"), comment),
		chromedp.Click(chromedp.CSS(`#triage form:has(#comment) button[type="submit"]`)))
	b.until("the comment in the history", `[...document.querySelectorAll(".trail-comment")].some(e => e.textContent === `+"`"+comment+"`"+`)`)

	trail, err := e.store.AuditTrail(t.Context(), store.AuditQuery{AlertKey: key, Limit: 10})
	if err != nil || len(trail) != 2 || trail[0].Action != store.ActionComment || trail[0].Comment != comment ||
		trail[1].Action != store.ActionAcknowledge || trail[1].By.Name != responderName {
		t.Errorf("audit trail of %s: %+v, %v", key, trail, err)
	}
	if s, err := e.store.AlertByKey(t.Context(), key); err != nil || s.Alert.Status != "acknowledged" {
		t.Errorf("stored status %q, %v; want acknowledged", s.Alert.Status, err)
	}
}

// testScreens signs in, opens every page at 1280 px and on a phone,
// audits it, and saves screenshots to look at.
func testScreens(t *testing.T, browser context.Context) {
	e := newEnv(t, testAlerts(60), nil)
	dir := webtest.Artifacts(t)
	b := e.tab(t, browser)
	webtest.Screenshot(t, b.ctx, dir, "signin.png", 1280)
	b.signIn(adminName, adminPassword)
	pages := []struct{ name, path string }{
		{"alerts", "/alerts"},
		{"alerts-grouped", "/alerts?group=row"},
		{"alert", "/alerts/key-0059"},
		{"app", "/apps/4f1c2d3e-0000-4000-8000-00000000000a"},
		{"apps", "/apps"},
		{"coverage", "/coverage"},
		{"posture", "/posture"},
		{"silence-new", "/silences/new?from=key-0003"},
		{"silences", "/silences"},
		{"audit", "/audit"},
	}
	for _, p := range pages {
		b.open(p.path)
		b.audit(p.name)
		for _, w := range []int{1280, 390} {
			webtest.Screenshot(t, b.ctx, dir, fmt.Sprintf("%s-%d.png", p.name, w), int64(w))
			b.fits(p.name, w)
		}
	}
}
