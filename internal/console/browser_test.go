package console

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

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
	b.run("open "+path, chromedp.Navigate(b.e.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
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

// text returns the text of the first element sel matches.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
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
		chromedp.WaitVisible(chromedp.CSS("#alerts-page")),
	)
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
	t.Run("screens", func(t *testing.T) { testScreens(t, browser) })
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
