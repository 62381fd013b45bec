package console

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCSRF sends every change the console accepts without its token,
// with another token, and with the right token from another origin: each
// is refused and changes nothing.
func TestCSRF(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	cl := e.client()
	good := e.signIn(cl, adminName, adminPassword)
	forms := map[string]url.Values{
		"/alerts/{key}/triage":  {"action": {"comment"}, "comment": {"forged"}},
		"/silences":             {"from": {"key-0001"}, "rule_id": {"on"}, "reason": {"forged"}, "duration": {"1h"}},
		"/silences/{id}/expire": {},
		"/signout":              {},
		"/prefs/lang":           {"lang": {"ja"}},
	}
	paths := strings.NewReplacer("{key}", "key-0001", "{id}", "1")
	before, err := e.store.AuditTrail(t.Context(), auditAll)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range e.console.Routes() {
		if rt.Method != http.MethodPost || rt.Role == "" {
			continue
		}
		form, ok := forms[rt.Pattern]
		if !ok {
			t.Errorf("POST %s: no test form; add one", rt.Pattern)
			continue
		}
		n++
		path := paths.Replace(rt.Pattern)
		for _, tc := range []struct {
			name, token, site string
		}{{"no token", "", "same-origin"}, {"another token", token(32), "same-origin"}, {"cross-site", good, "cross-site"}} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.token != "" {
				f.Set("_csrf", tc.token)
			}
			resp := e.postFrom(cl, path, f, tc.site)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with %s: %s, want 403", path, tc.name, resp.Status)
			}
		}
	}
	if n < len(forms) {
		t.Errorf("%d changes tried, want %d", n, len(forms))
	}
	after, err := e.store.AuditTrail(t.Context(), auditAll)
	if err != nil || len(after) != len(before) {
		t.Errorf("refused changes were audited or made: %d entries before, %d after (%v)", len(before), len(after), err)
	}
	if resp, _ := e.get(cl, "/alerts"); resp.StatusCode != http.StatusOK {
		t.Errorf("the session ended after forged sign-outs: %s", resp.Status)
	}
	// The sign-in form has its own token, in a cookie and the form.
	anon := e.client()
	e.get(anon, "/signin")
	resp := e.postFrom(anon, "/signin", url.Values{"name": {adminName}, "password": {adminPassword}}, "same-origin")
	if resp.StatusCode != http.StatusForbidden || sessionCookie(resp) != "" {
		t.Errorf("sign-in without the form's token: %s, want 403 and no session", resp.Status)
	}
}

// postFrom posts form as a browser on site (same-origin or cross-site)
// would, returning the response with its body read.
func (e *env) postFrom(cl *http.Client, path string, form url.Values, site string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", site)
	resp, err := cl.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// sessionCookie returns the session cookie the response sets, or "".
func sessionCookie(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "appwatch-session") && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

// inlineCode finds what a strict CSP would block in a page: scripts and
// styles written in it, and event handler attributes.
var inlineCode = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<script>|<style|<[a-z][^<>]*\s(?:style|on[a-z]+)\s*=|javascript:`)

// TestCSP checks that every response, pages, fragments, static files,
// errors and redirects alike, carries the strict policy, and that no page
// needs 'unsafe-inline': none has inline script, style or handler, even
// with hostile text from the logs on it.
func TestCSP(t *testing.T) {
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*", "http:", "https:"} {
		if strings.Contains(CSP, bad+" ") || strings.Contains(CSP, bad+";") {
			t.Errorf("CSP allows %s: %s", bad, CSP)
		}
	}
	e := newEnv(t, testAlerts(10), nil)
	cl := e.client()
	anon := e.client()
	e.signIn(cl, adminName, adminPassword)
	for _, tc := range []struct {
		cl   *http.Client
		path string
	}{
		{anon, "/signin"}, {anon, "/alerts"}, {anon, "/static/style.css"}, {anon, "/static/htmx.min.js"}, {anon, "/nowhere"},
		{cl, "/alerts"}, {cl, "/alerts?group=app"}, {cl, "/alerts/key-0009"}, {cl, "/alerts/key-0009/record"}, {cl, "/alerts/live?seen=0"},
		{cl, "/apps"}, {cl, "/apps/4f1c2d3e-0000-4000-8000-00000000000a"}, {cl, "/coverage"}, {cl, "/posture"},
		{cl, "/silences"}, {cl, "/silences/new?from=key-0009"}, {cl, "/audit"}, {cl, "/alerts/no-such-key"}, {cl, "/nowhere"},
	} {
		resp, body := e.get(tc.cl, tc.path)
		h := resp.Header
		if h.Get("Content-Security-Policy") != CSP || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: headers %v", tc.path, h)
		}
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			if m := inlineCode.FindString(body); m != "" {
				t.Errorf("GET %s: inline code %q in the page", tc.path, m)
			}
			if strings.Contains(body, `<script>alert(`) || strings.Contains(body, `<img src=x`) {
				t.Errorf("GET %s: text from the logs is not escaped", tc.path)
			}
		}
	}
}

// TestCookies checks the cookies of a console served to a network: the
// __Host- prefix, Secure, HttpOnly and SameSite, and a new session id at
// each sign-in.
func TestCookies(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) { o.Insecure = false; o.HSTS = true })
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var ids []string
	for range 2 {
		resp, body := e.get(cl, "/signin")
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no Strict-Transport-Security header")
		}
		form := resp.Cookies()
		if len(form) != 1 || !form[0].Secure || !form[0].HttpOnly {
			t.Fatalf("sign-in form cookies %v", form)
		}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/signin", strings.NewReader(url.Values{
			"_csrf": {csrf(t, body)}, "name": {adminName}, "password": {adminPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(form[0])
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var se *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "__Host-appwatch-session" {
				se = c
			}
		}
		if se == nil || !se.Secure || !se.HttpOnly || se.SameSite != http.SameSiteLaxMode || se.Path != "/" || se.Domain != "" || len(se.Value) < 32 {
			t.Fatalf("session cookie %+v; want __Host-appwatch-session, Secure, HttpOnly, SameSite=Lax, Path=/", se)
		}
		ids = append(ids, se.Value)
	}
	if ids[0] == ids[1] {
		t.Error("two sign-ins got the same session id")
	}
}

// TestSessionExpiry ends a session idle too long, and one older than its
// lifetime however used.
func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, testAlerts(3), func(o *Options) { o.Idle = 30 * time.Minute; o.Lifetime = time.Hour })
	signedIn := func(cl *http.Client) bool {
		resp, _ := e.get(cl, "/alerts")
		return resp.StatusCode == http.StatusOK
	}
	idle := e.client()
	e.signIn(idle, viewerName, viewerPassword)
	e.clock.Advance(29 * time.Minute)
	if !signedIn(idle) {
		t.Fatal("a session used after 29 minutes ended; the idle time is 30")
	}
	e.clock.Advance(30 * time.Minute)
	if signedIn(idle) {
		t.Error("a session idle 30 minutes is still valid")
	}

	busy := e.client()
	e.signIn(busy, viewerName, viewerPassword)
	for range 2 {
		e.clock.Advance(25 * time.Minute)
		if !signedIn(busy) {
			t.Fatal("a session in use ended before its lifetime")
		}
	}
	e.clock.Advance(15 * time.Minute)
	if signedIn(busy) {
		t.Error("a session is valid 65 minutes after sign-in; its lifetime is an hour")
	}
	resp, _ := e.get(busy, "/alerts")
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/signin?next=") {
		t.Errorf("an expired session is sent to %q, want the sign-in page", loc)
	}
}

// TestSignInRateLimit makes ten wrong attempts: the eleventh is refused
// even with the right password, until a minute has passed.
func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t, nil, nil)
	cl := e.client()
	try := func(password string) *http.Response {
		_, body := e.get(cl, "/signin")
		resp, _ := e.post(cl, "/signin", url.Values{"_csrf": {csrf(t, body)}, "name": {adminName}, "password": {password}})
		return resp
	}
	for i := range defaultSignInRate {
		if resp := try("wrong password " + string(rune('a'+i))); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong attempt %d: %s, want 401", i+1, resp.Status)
		}
	}
	resp := try(adminPassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || sessionCookie(resp) != "" {
		t.Fatalf("attempt past the limit: %s, Retry-After %q; want 429, a wait and no session", resp.Status, resp.Header.Get("Retry-After"))
	}
	// Another account from the same address is refused too.
	_, body := e.get(cl, "/signin")
	if resp, _ := e.post(cl, "/signin", url.Values{"_csrf": {csrf(t, body)}, "name": {viewerName}, "password": {viewerPassword}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("another account from the same address: %s, want 429", resp.Status)
	}
	e.clock.Advance(time.Minute)
	if resp := try(adminPassword); resp.StatusCode != http.StatusSeeOther || sessionCookie(resp) == "" {
		t.Errorf("a minute later: %s, want a session", resp.Status)
	}
}
