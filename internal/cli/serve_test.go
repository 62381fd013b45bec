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
