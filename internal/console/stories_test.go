package console

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webtest"
)

// TestBrowserStories drives the console in one headless Chromium through
// the stories TestBrowser leaves out: signing in with Entra ID, choosing
// a language, and silencing alerts like one.
func TestBrowserStories(t *testing.T) {
	browser := webtest.Browser(t)
	t.Run("entra", func(t *testing.T) { testEntraStory(t, browser) })
	t.Run("language", func(t *testing.T) { testLanguageStory(t, browser) })
	t.Run("silence", func(t *testing.T) { testSilenceStory(t, browser) })
}

// browserEntraEnv is a console that signs people in with a test OpenID
// Connect provider, its callback at the address the browser reaches.
func browserEntraEnv(t *testing.T) (*env, *provider) {
	srv := httptest.NewUnstartedServer(nil)
	var p *provider
	e := newEnv(t, testAlerts(10), func(o *Options) {
		o.Logger = slogT(t)
		p = newProvider(t, o.Now)
		o.OIDC = &OIDC{Issuer: p.issuer(), ClientID: testClient, ClientSecret: testSecret,
			RedirectURL: "http://" + srv.Listener.Addr().String() + "/auth/callback"}
	})
	srv.Config.Handler = e.console
	srv.Start()
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, p
}

// testEntraStory signs in with Entra ID from the sign-in page: the
// browser goes to the provider's authorization endpoint and back to the
// console's callback, which redeems the code at the token endpoint and
// checks the ID token with the provider's keys (discovery, JWKS). The
// responder lands on the page they asked for, named and with the role of
// their token, and may sign out.
func testEntraStory(t *testing.T, browser context.Context) {
	e, p := browserEntraEnv(t)
	b := e.tab(t, browser)
	reqs := webtest.Record(t, b.ctx)
	b.open("/alerts?level=high")
	b.until("sent to sign in", `location.pathname === "/signin" && document.querySelector("a[href^='/signin/entra']")`)
	b.run("sign in with Entra ID", chromedp.Click(chromedp.CSS(`a[href^="/signin/entra"]`)))
	b.until("back from Entra ID", `location.pathname === "/alerts" && document.querySelector("#alerts-page")`)
	if got := b.path(); got != "/alerts?level=high" {
		t.Errorf("after sign-in the browser is at %s, want /alerts?level=high", got)
	}
	header := eval[string](b, `document.querySelector("header").innerText`)
	if !strings.Contains(header, signedInName) || !strings.Contains(header, RoleResponder) {
		t.Errorf("the header does not name %s, responder: %q", signedInName, header)
	}
	var authorize, callback bool
	for _, u := range reqs.URLs() {
		authorize = authorize || strings.HasPrefix(u, p.srv.URL+"/oauth2/v2.0/authorize?")
		callback = callback || strings.HasPrefix(u, e.srv.URL+"/auth/callback?")
	}
	if !authorize || !callback {
		t.Errorf("the browser did not go through the provider and back: %q", reqs.URLs())
	}
	trail, err := e.store.AuditTrail(t.Context(), auditAll)
	if err != nil || len(trail) == 0 || trail[0].Action != "sign-in" || trail[0].By.ID != "entra:"+testTenant+"/"+defaultOID {
		t.Errorf("audit trail %+v, %v; want the sign-in", trail, err)
	}
	b.run("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	b.until("signed out", `location.pathname === "/signin"`)
	b.open("/alerts")
	b.until("sent to sign in again", `location.pathname === "/signin"`)
}

// testLanguageStory chooses Italian from the header: the page is drawn
// again in Italian at once, and still is after signing out and in again,
// while another person keeps English.
func testLanguageStory(t *testing.T, browser context.Context) {
	e := newEnv(t, testAlerts(10), nil)
	en, it := i18n.NewPrinter(i18n.English), i18n.NewPrinter(i18n.Italian)
	// The menu's text is read in the evaluation that finds it: a page
	// drawn after a redirect may replace the document between two.
	nav := func(b *tab) string {
		const menu = `(document.querySelector("nav a[href='/alerts']")?.textContent ?? "").trim()`
		for deadline := time.Now().Add(2 * time.Minute); ; {
			if text := eval[string](b, menu); text != "" || time.Now().After(deadline) {
				return text
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	b := e.tab(t, browser)
	b.signIn(responderName, responderPassword)
	b.open("/alerts/key-0001")
	if got := nav(b); got != en.Sprintf("console.nav.alerts") {
		t.Fatalf("before choosing: the menu says %q", got)
	}
	b.run("choose Italian", chromedp.SetValue(chromedp.CSS("#lang-choice"), i18n.Italian),
		chromedp.Click(chromedp.CSS(`form[action="/prefs/lang"] button`)))
	b.until("drawn in Italian", `document.documentElement.lang === "it" && location.pathname === "/alerts/key-0001"`)
	if got, want := nav(b), it.Sprintf("console.nav.alerts"); got != want {
		t.Errorf("in Italian the menu says %q, want %q", got, want)
	}
	if text, want := eval[string](b, `document.body.innerText`), it.Sprintf("console.triage"); !strings.Contains(text, want) {
		t.Errorf("the alert's page in Italian lacks %q", want)
	}
	dir := webtest.Artifacts(t)
	for _, w := range []int{1280, 390} {
		webtest.Screenshot(t, b.ctx, dir, "alert-it-"+strconv.Itoa(w)+".png", int64(w))
		b.fits("the alert's page in Italian", w)
	}

	b.run("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	b.until("signed out", `location.pathname === "/signin"`)
	b.signIn(responderName, responderPassword)
	if lang := eval[string](b, `document.documentElement.lang`); lang != i18n.Italian {
		t.Errorf("signed in again, the console is in %q, want Italian kept", lang)
	}
	b.run("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	b.until("signed out", `location.pathname === "/signin"`)
	b.signIn(viewerName, viewerPassword)
	if lang := eval[string](b, `document.documentElement.lang`); lang != i18n.English {
		t.Errorf("another person sees the console in %q, want English", lang)
	}
}

// testSilenceStory silences alerts like one from its page: the form comes
// with the alert's rule and app chosen, and needs a reason and an expiry.
// The next alert of that rule and app, routed as watch routes alerts, is
// stored suppressed by the silence, which the console shows.
func testSilenceStory(t *testing.T, browser context.Context) {
	e := newEnv(t, testAlerts(10), nil)
	ctx := t.Context()
	b := e.tab(t, browser)
	b.signIn(responderName, responderPassword)
	b.open("/alerts/key-0001")
	b.run("silence alerts like it", chromedp.Click(chromedp.CSS(`a[href="/silences/new?from=key-0001"]`)))
	b.until("the silence form", `location.pathname === "/silences/new" && document.querySelector("#reason")`)

	like := testAlerts(10)[1].Alert
	checked := eval[[]string](b, `[...document.querySelectorAll("fieldset input[type=checkbox]:checked")].map(c => c.nextElementSibling.querySelector("code").textContent)`)
	if !slices.Contains(checked, like.RuleID) || !slices.Contains(checked, like.Target.AppID) {
		t.Errorf("the matcher chosen is %q, want the alert's rule %s and app %s", checked, like.RuleID, like.Target.AppID)
	}
	b.run("create without a reason", chromedp.Click(chromedp.CSS(`form[action="/silences"] button[type="submit"]`)))
	if !eval[bool](b, `document.querySelector("#reason").matches(":invalid") && document.querySelector("#duration").required`) {
		t.Error("the form takes a silence without a reason, or without an expiry")
	}
	if sl, err := e.store.Silences(ctx, true); err != nil || len(sl) != 0 {
		t.Fatalf("a silence was stored without a reason: %+v, %v", sl, err)
	}
	reason := "Secret rotation job of the payroll migration"
	b.run("create", chromedp.SendKeys(chromedp.CSS("#reason"), reason),
		chromedp.SetValue(chromedp.CSS("#duration"), "24h"),
		chromedp.Click(chromedp.CSS(`form[action="/silences"] button[type="submit"]`)))
	b.until("the silences page", `location.pathname === "/silences"`)
	sl, err := e.store.Silences(ctx, true)
	if err != nil || len(sl) != 1 || sl[0].Reason != reason || !sl[0].Expires.Equal(e.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("silences %+v, %v; want one for 24 hours with the reason", sl, err)
	}

	// The next alert of that rule and app, as watch routes it.
	set, err := silence.NewActive(e.store, time.Minute, e.clock.Now).Set(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := store.Alert{Key: "key-next", Alert: like}
	next.Alert.EventID, next.Alert.Time = "b5c2a1f0-1111-4222-8333-000000000999", alert.FormatTime(e.clock.Now())
	other := store.Alert{Key: "key-other", Alert: testAlerts(10)[2].Alert}
	other.Alert.EventID = "b5c2a1f0-1111-4222-8333-000000000998"
	for _, a := range []*store.Alert{&next, &other} {
		if s, ok := set.Match(&a.Alert); ok {
			a.Status, a.SuppressedBy = alert.StatusSuppressed, store.SilenceRef(s.ID)
		}
	}
	if _, err := e.store.Commit(ctx, &store.Batch{Source: "dir:/var/log/entra", Alerts: []store.Alert{next, other}}); err != nil {
		t.Fatal(err)
	}
	dir := webtest.Artifacts(t)
	b.open("/alerts/key-next")
	webtest.Screenshot(t, b.ctx, dir, "alert-suppressed-1280.png", 1280)
	id := strconv.FormatInt(sl[0].ID, 10)
	if text := eval[string](b, `document.querySelector("main").innerText`); !strings.Contains(text, "#"+id) ||
		!strings.Contains(strings.ToLower(text), alert.StatusSuppressed) {
		t.Errorf("the next alert's page does not show it suppressed by silence #%s:\n%.1500s", id, text)
	}
	if s, err := e.store.AlertByKey(ctx, "key-other"); err != nil || s.Alert.Status != alert.StatusOpen {
		t.Errorf("an alert of another rule: %q, %v; want open", s.Alert.Status, err)
	}
	b.open("/silences")
	for _, w := range []int{1280, 390} {
		webtest.Screenshot(t, b.ctx, dir, "silences-"+strconv.Itoa(w)+".png", int64(w))
		b.fits("the silences page", w)
	}
	if text := eval[string](b, `document.querySelector("main").innerText`); !strings.Contains(text, reason) {
		t.Errorf("the silences page does not list the silence:\n%.1500s", text)
	}
}

// TestEveryRouteNeedsSignIn requests every route that needs a role
// without a session, and with a session cookie made up: pages send the
// browser to sign in, changes are refused, and nothing of the store is
// shown or changed.
func TestEveryRouteNeedsSignIn(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	paths := strings.NewReplacer("{key}", "key-0003", "{app}", "4f1c2d3e-0000-4000-8000-00000000000a", "{id}", "1", "{$}", "")
	n := 0
	for _, rt := range e.console.Routes() {
		if rt.Role == "" {
			continue
		}
		n++
		path := paths.Replace(rt.Pattern)
		for _, cookie := range []string{"", token(32)} {
			req, err := http.NewRequestWithContext(t.Context(), rt.Method, e.srv.URL+path, strings.NewReader(url.Values{"reason": {"x"}, "action": {"acknowledge"}}.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if cookie != "" {
				req.AddCookie(&http.Cookie{Name: "appwatch-session", Value: cookie})
			}
			resp, err := e.client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(resp)
			switch {
			case rt.Method == http.MethodGet && (resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin")):
				t.Errorf("%s %s without a session (cookie %v): %s to %q, want 303 to /signin", rt.Method, path, cookie != "", resp.Status, resp.Header.Get("Location"))
			case rt.Method != http.MethodGet && resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized:
				t.Errorf("%s %s without a session (cookie %v): %s, want 401 or 403", rt.Method, path, cookie != "", resp.Status)
			}
			if strings.Contains(body, "Payroll Sync") || strings.Contains(body, "Alert of ") {
				t.Errorf("%s %s without a session shows stored alerts:\n%.1000s", rt.Method, path, body)
			}
		}
	}
	if n < 15 {
		t.Errorf("%d routes need a role, want at least 15", n)
	}
	if trail, err := e.store.AuditTrail(t.Context(), auditAll); err != nil || len(trail) != 0 {
		t.Errorf("requests without a session left %d audit entries (%v)", len(trail), err)
	}
	if s, err := e.store.AlertByKey(t.Context(), "key-0003"); err != nil || s.Alert.Status != alert.StatusOpen {
		t.Errorf("key-0003 is %q (%v) after requests without a session, want open", s.Alert.Status, err)
	}
}

// readAll returns the body of resp, closing it.
func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestCountsFollowChanges draws the alerts page, whose counts by facet
// the store keeps, then changes the alerts three ways (triage through the
// console, new alerts stored by watch, and a posture finding resolved):
// the page drawn next counts each change.
func TestCountsFollowChanges(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	rita := e.client()
	tok := e.signIn(rita, responderName, responderPassword)
	count := regexp.MustCompile(`name="status" value="([a-z]+)"[^>]*><label[^>]*><span class="choice-label">[^<]*</span> <span class="n">([0-9]+)</span>`)
	statuses := func() map[string]string {
		t.Helper()
		_, body := e.get(rita, "/alerts")
		out := map[string]string{}
		for _, m := range count.FindAllStringSubmatch(body, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	if got := statuses(); !maps.Equal(got, map[string]string{"open": "10"}) {
		t.Fatalf("statuses before: %v", got)
	}
	if resp, _ := e.post(rita, "/alerts/key-0004/triage", url.Values{"_csrf": {tok}, "action": {"acknowledge"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %s", resp.Status)
	}
	if got := statuses(); !maps.Equal(got, map[string]string{"open": "9", "acknowledged": "1"}) {
		t.Errorf("after acknowledging: %v", got)
	}
	more := testAlerts(12)[10:]
	if _, err := e.store.Commit(t.Context(), &store.Batch{Source: "dir:/var/log/entra", Alerts: more, Resolve: []string{"key-0005"}}); err != nil {
		t.Fatal(err)
	}
	if got := statuses(); !maps.Equal(got, map[string]string{"open": "10", "acknowledged": "1", "resolved": "1"}) {
		t.Errorf("after storing two alerts and resolving one: %v", got)
	}
}
