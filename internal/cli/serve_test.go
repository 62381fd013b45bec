package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

var servingURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// TestWatchThenServe runs appwatch watch over a folder until its alert is
// stored, creates an admin with appwatch console user add, serves the
// console on a free port and, as a browser would, signs in and finds the
// alert in the list and on its page.
func TestWatchThenServe(t *testing.T) {
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + benignSignIn})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	ctx, cancel := context.WithCancel(t.Context())
	var watchErr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &watchErr},
			[]string{"watch", "--store", db, "--source", "dir:" + logs, "--poll", "10ms"})
	}()
	waitFor(t, 60*time.Second, func() bool { return storedRecords(t, db, "dir:"+logs, 2) }, watchErr.String)
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, watchErr.String())
	}

	var out bytes.Buffer
	code := Main(t.Context(), Env{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: &out, Stderr: &out},
		[]string{"console", "user", "add", "--store", db, "--role", "admin", "alice"})
	if code != exitOK {
		t.Fatalf("console user add exited %d: %s", code, out.String())
	}

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	var serveErr lockedBuffer
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &serveErr},
			[]string{"serve", "--store", db, "--listen", "127.0.0.1:0", "--lang", "en"})
	}()
	var base string
	waitFor(t, 60*time.Second, func() bool {
		m := servingURL.FindStringSubmatch(serveErr.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	}, serveErr.String)

	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	body := fetch(t, cl, "GET", base+"/alerts", nil) // sent to the sign-in form
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if token == nil {
		t.Fatalf("no sign-in form:\n%.2000s", body)
	}
	body = fetch(t, cl, "POST", base+"/signin", url.Values{"_csrf": {token[1]}, "name": {"alice"}, "password": {"correct horse battery staple"}, "next": {"/alerts"}})
	for _, want := range []string{"alice", "1 alert", "Sign-in with the resource owner password"} {
		if !strings.Contains(body, want) {
			t.Errorf("the alerts page after sign-in lacks %q:\n%.3000s", want, body)
		}
	}
	link := regexp.MustCompile(`href="(/alerts/[0-9a-f]{32})"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no link to the alert:\n%.3000s", body)
	}
	body = fetch(t, cl, "GET", base+link[1], nil)
	for _, want := range []string{"ropc-signin", "T1078", "Remediation"} {
		if !strings.Contains(body, want) {
			t.Errorf("the alert's page lacks %q:\n%.3000s", want, body)
		}
	}

	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve exited %d:\n%s", code, serveErr.String())
	}
}

// fetch sends a request as a same-origin browser would and returns the
// body of the final response, failing the test unless it is 200.
func fetch(t *testing.T, cl *http.Client, method, u string, form url.Values) string {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s\n%.2000s", method, u, resp.Status, b)
	}
	return string(b)
}

// waitFor polls cond until it holds, failing the test after limit with
// what log says.
func waitFor(t *testing.T, limit time.Duration, cond func() bool, log func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not done after %s:\n%s", limit, log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var watchAddr = regexp.MustCompile(`serving /healthz, /readyz and /metrics" addr=(127\.0\.0\.1:\d+) console=(true|false)`)

// TestWatchServesConsole runs appwatch watch --listen with --init-admin,
// as a small install would: its listener answers the probes and metrics
// without sign-in, and serves the console, which asks for one; the admin
// created from standard input signs in and finds the alert watch stored.
func TestWatchServesConsole(t *testing.T) {
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + benignSignIn})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var watchErr lockedBuffer
	done := make(chan int, 1)
	go func() {
		env := Env{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: io.Discard, Stderr: &watchErr,
			LookupEnv: func(k string) (string, bool) { return map[string]string{"USER": "ops"}[k], k == "USER" }}
		done <- Main(ctx, env,
			[]string{"watch", "--store", db, "--source", "dir:" + logs, "--poll", "10ms", "--listen", "127.0.0.1:0",
				"--init-admin", "alice", "--lang", "en"})
	}()
	var base string
	waitFor(t, 60*time.Second, func() bool {
		m := watchAddr.FindStringSubmatch(watchErr.String())
		if m != nil {
			base = "http://" + m[1]
			if m[2] != "true" {
				t.Fatalf("watch serves no console:\n%s", watchErr.String())
			}
		}
		return m != nil
	}, watchErr.String)
	waitFor(t, 60*time.Second, func() bool { return storedRecords(t, db, "dir:"+logs, 2) }, watchErr.String)

	plain := &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/alerts": http.StatusSeeOther, "/": http.StatusSeeOther, "/posture": http.StatusSeeOther} {
		resp, err := plain.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s without sign-in: %s, want %d", path, resp.Status, want)
		}
		if loc := resp.Header.Get("Location"); want == http.StatusSeeOther && !strings.HasPrefix(loc, "/signin") {
			t.Errorf("GET %s without sign-in sent to %q, want the sign-in page", path, loc)
		}
	}

	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	body := fetch(t, cl, "GET", base+"/alerts", nil)
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if token == nil {
		t.Fatalf("no sign-in form:\n%.2000s", body)
	}
	body = fetch(t, cl, "POST", base+"/signin", url.Values{"_csrf": {token[1]}, "name": {"alice"}, "password": {"correct horse battery staple"}, "next": {"/alerts"}})
	for _, want := range []string{"alice", "1 alert", "Sign-in with the resource owner password"} {
		if !strings.Contains(body, want) {
			t.Errorf("the alerts page after sign-in lacks %q:\n%.3000s", want, body)
		}
	}
	body = fetch(t, cl, "GET", base+"/audit", nil)
	for _, want := range []string{"<strong>alice</strong> Sign in", "<strong>ops (cli)</strong> Local account set on the command line: alice · admin"} {
		if !strings.Contains(body, want) {
			t.Errorf("the admin's audit page lacks %q:\n%.4000s", want, body)
		}
	}

	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, watchErr.String())
	}
	if !strings.Contains(watchErr.String(), "local account alice saved with the role admin") {
		t.Errorf("watch did not say it created the admin:\n%s", watchErr.String())
	}
}

// TestWatchConsoleOffOnNetwork keeps watch --listen on a network address
// over plain HTTP serving the probes and metrics, as before the console,
// and not the console, which would send passwords in the clear.
func TestWatchConsoleOffOnNetwork(t *testing.T) {
	logs := writeFiles(t, map[string]string{"signins.json": benignSignIn})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var watchErr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &watchErr},
			[]string{"watch", "--store", db, "--source", "dir:" + logs, "--poll", "10ms", "--listen", "0.0.0.0:0"})
	}()
	addr := regexp.MustCompile(`serving /healthz, /readyz and /metrics" addr=\S+:(\d+) console=(true|false)`)
	var m []string
	waitFor(t, 60*time.Second, func() bool { m = addr.FindStringSubmatch(watchErr.String()); return m != nil }, watchErr.String)
	if m[2] != "false" || !strings.Contains(watchErr.String(), "the web console is not served") {
		t.Errorf("watch on 0.0.0.0 over plain HTTP serves the console:\n%s", watchErr.String())
	}
	base := "http://127.0.0.1:" + m[1]
	for path, want := range map[string]int{"/healthz": 200, "/metrics": 200, "/alerts": 404, "/signin": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %s, want %d", path, resp.Status, want)
		}
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, watchErr.String())
	}
}

// TestAccountChangesAudited finds the accounts set and removed on the
// command line in the store's audit trail, with who did it.
func TestAccountChangesAudited(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	env := func() Env {
		return Env{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: io.Discard, Stderr: io.Discard,
			LookupEnv: func(k string) (string, bool) { return map[string]string{"USER": "ops"}[k], k == "USER" }}
	}
	for _, args := range [][]string{
		{"console", "user", "add", "--store", db, "--role", "admin", "alice"},
		{"console", "user", "add", "--store", db, "--role", "responder", "bob"},
		{"console", "user", "remove", "--store", db, "bob"},
	} {
		if code := Main(t.Context(), env(), args); code != exitOK {
			t.Fatalf("%q exited %d", args, code)
		}
	}
	st, err := store.Open(t.Context(), db, store.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	trail, err := st.AuditTrail(t.Context(), store.AuditQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		got = append(got, e.By.ID+" "+e.Action+" "+e.Reason+" "+e.Role)
	}
	want := []string{"cli:ops account-removed bob ", "cli:ops account-set bob responder", "cli:ops account-set alice admin"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit trail:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
