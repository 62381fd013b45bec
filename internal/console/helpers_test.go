package console

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/passhash"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// t0 is when tests start: a Tuesday morning.
var t0 = time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC)

// fastHash keeps password checks quick in tests; the format is the same.
var fastHash = passhash.Params{Memory: 64, Time: 1, Threads: 1}

// Accounts of the test console.
const (
	adminName, adminPassword         = "admin", "correct horse battery"
	responderName, responderPassword = "rita", "responder password 1"
	viewerName, viewerPassword       = "vic", "viewer password 12"
)

// env is a console over a store of test alerts, served over HTTP.
type env struct {
	t       testing.TB
	store   *store.Store
	console *Console
	srv     *httptest.Server
	clock   *clock.Fake
	alerts  []store.Alert
}

// newEnv starts a console over a new SQLite store holding alerts, with
// a local account of each role; opts may change the console's options.
func newEnv(t testing.TB, alerts []store.Alert, opts func(*Options)) *env {
	t.Helper()
	return newEnvOn(t, storetest.SQLite(t), alerts, opts)
}

// newEnvOn is newEnv over the new, empty store dsn.
func newEnvOn(t testing.TB, dsn string, alerts []store.Alert, opts func(*Options)) *env {
	t.Helper()
	c := clock.NewFake(t0)
	s, err := store.Open(t.Context(), dsn, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, u := range []store.LocalUser{{Name: adminName, Role: RoleAdmin}, {Name: responderName, Role: RoleResponder}, {Name: viewerName, Role: RoleViewer}} {
		pw := map[string]string{adminName: adminPassword, responderName: responderPassword, viewerName: viewerPassword}[u.Name]
		if u.Hash, err = passhash.Hash(pw, fastHash); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLocalUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	if len(alerts) > 0 {
		if _, err := s.Commit(t.Context(), &store.Batch{Source: "dir:/var/log/entra", Alerts: alerts,
			Counts: store.Counts{Records: 500, Events: 480}, Kinds: map[string]int64{"audit": 400, "signin": 80}}); err != nil {
			t.Fatal(err)
		}
	}
	o := Options{Store: s, Now: c.Now, Insecure: true, Rules: testRules(t)}
	if opts != nil {
		opts(&o)
	}
	con, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(con)
	t.Cleanup(srv.Close)
	return &env{t: t, store: s, console: con, srv: srv, clock: c, alerts: alerts}
}

var (
	rulesOnce sync.Once
	rules     []*alert.Rule
)

// testRules are the built-in rules and posture checks, loaded once.
func testRules(t testing.TB) []*alert.Rule {
	rulesOnce.Do(func() {
		set, err := ruleset.Load(t.Context(), ruleset.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rules = append(set.Meta(), posture.Checks()...)
	})
	return rules
}

// client returns an HTTP client with its own cookies that does not
// follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches path with cl and returns the response and its body.
func (e *env) get(cl *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	resp, err := cl.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// post posts form to path with cl as a same-origin browser would.
func (e *env) post(cl *http.Client, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := cl.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var hiddenCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page's forms.
func csrf(t testing.TB, body string) string {
	t.Helper()
	m := hiddenCSRF.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.2000s", body)
	}
	return m[1]
}

// signIn signs cl in with a local account and returns the CSRF token of
// its session.
func (e *env) signIn(cl *http.Client, name, password string) string {
	e.t.Helper()
	_, body := e.get(cl, "/signin")
	resp, body := e.post(cl, "/signin", url.Values{"_csrf": {csrf(e.t, body)}, "name": {name}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: %s\n%.2000s", name, resp.Status, body)
	}
	_, body = e.get(cl, "/alerts")
	return csrf(e.t, body)
}

// testAlerts returns n alerts of several rows, levels, apps, actors and
// tenants, a minute apart before t0, the last holding hostile text.
func testAlerts(n int) []store.Alert {
	rows := []struct{ rule, row string }{
		{"appwatch-credential-added", "credential-added"}, {"appwatch-owner-added", "owner-added"},
		{"appwatch-admin-consent-privileged", "admin-consent-privileged"}, {"appwatch-ropc-signin", "ropc-signin"},
		{"appwatch-redirect-uri-change", "redirect-uri-change"},
	}
	levels := []string{"high", "medium", "critical", "low", "informational"}
	apps := []struct{ id, name string }{
		{"4f1c2d3e-0000-4000-8000-00000000000a", "Payroll Sync"}, {"4f1c2d3e-0000-4000-8000-00000000000b", "HR Portal"},
		{"4f1c2d3e-0000-4000-8000-00000000000c", "Build Agent"},
	}
	var out []store.Alert
	for i := range n {
		r, app := rows[i%len(rows)], apps[i%len(apps)]
		a := alert.Alert{
			GuideRow: r.row, RuleID: r.rule, Title: "Alert of " + r.row, Level: levels[i%len(levels)],
			Time:     alert.FormatTime(t0.Add(-time.Duration(n-i) * time.Minute)),
			EventID:  fmt.Sprintf("b5c2a1f0-1111-4222-8333-%012d", i),
			TenantID: []string{"72f988bf-86f1-41af-91ab-2d7cd011db47", "c0ffee00-1234-4abc-9def-000000000001"}[i%2],
			Actor: alert.Actor{Type: "User", ID: fmt.Sprintf("aa00bb00-0000-4000-8000-%012d", i%4),
				UPN: fmt.Sprintf("%s@contoso.com", []string{"ana", "bo", "chen", "dara"}[i%4]), IP: "203.0.113.7"},
			Target:               alert.Target{Type: "Application", ID: fmt.Sprintf("0b0b0b0b-0000-4000-8000-%012d", i%3), AppID: app.id, Name: app.name},
			Evidence:             map[string]any{"activity": "Update application – Certificates and secrets management ", "key_type": "Password", "key_display_name": "ci-secret"},
			Attack:               []string{"T1098.001"},
			OutsideBusinessHours: i%3 == 0,
			Source:               alert.Source{Format: "graph-directoryaudits", File: "audit.json", Index: i},
		}
		out = append(out, store.Alert{Key: fmt.Sprintf("key-%04d", i), Alert: a,
			Record: []byte(fmt.Sprintf(`{"kind":"audit","id":%q,"activity":"Update application","actor":{"upn":%q}}`, a.EventID, a.Actor.UPN))})
	}
	if n > 0 {
		h := &out[n-1].Alert
		h.Actor.Name = `<script>alert("actor")</script>`
		h.Target.Name = `Evil "app" <img src=x onerror=alert(1)>`
		h.Evidence["key_display_name"] = `</script><script>alert("evidence")</script>`
		out[n-1].Record = []byte(`{"kind":"audit","displayName":"<script>alert('record')</script>"}`)
	}
	return out
}

// slogT logs to the test's log.
func slogT(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, nil))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
