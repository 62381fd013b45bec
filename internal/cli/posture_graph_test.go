package cli

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/dnscheck/dnstest"
)

// interceptedGraph serves postureTenant like fakeGraph, except for the
// requests intercept answers itself, and counts every request.
func interceptedGraph(t *testing.T, intercept func(w http.ResponseWriter, r *http.Request) bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	inner := fakeGraph(t, postureTenant()).Config.Handler
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if intercept == nil || !intercept(w, r) {
			inner.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// writeToken writes text to a new token file and returns its path.
func writeToken(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// jwt returns an unsigned JSON Web Token with the given expiry.
func jwt(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc([]byte(fmt.Sprintf(`{"aud":"https://graph.microsoft.com","exp":%d}`, exp.Unix()))) + ".c2ln"
}

// TestPostureSignInChecks checks that a missing or unusable way to sign
// in is one clear error before any request, saying what to do.
func TestPostureSignInChecks(t *testing.T) {
	srv, hits := interceptedGraph(t, nil)
	url := srv.URL + "/v1.0"
	for _, tc := range []struct {
		name string
		args []string
		env  string // the value of APPWATCH_CLIENT_SECRET
		want []string
	}{
		{"no sign-in flags", []string{"posture", "--no-dns", "--graph-url", url}, "",
			[]string{"no way to sign in", "--certificate FILE", "--access-token-file FILE", "--snapshot PATH"}},
		{"no sign-in flags, collect", []string{"posture", "collect", "--out", t.TempDir(), "--graph-url", url}, "",
			[]string{"appwatch posture collect: no way to sign in"}},
		{"token file missing", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", "/nonexistent/token"}, "",
			[]string{"--access-token-file", "no such file"}},
		{"token file empty", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", writeToken(t, " \n")}, "",
			[]string{"is empty"}},
		{"token file holds az JSON", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", writeToken(t, `{"accessToken": "x"}`)}, "",
			[]string{"holds more than a token", "--query accessToken -o tsv"}},
		{"token expired", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", writeToken(t, jwt(time.Now().Add(-time.Hour)))}, "",
			[]string{"expired at"}},
		{"token file and certificate", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", writeToken(t, testToken), "--certificate", "x.pem"}, "",
			[]string{"not both"}},
		{"secret without its variable", []string{"posture", "--no-dns", "--graph-url", url, "--auth", "secret", "--tenant", ourTenant, "--client-id", ourTenant}, "",
			[]string{"--auth secret", "APPWATCH_CLIENT_SECRET", "empty or not set"}},
		{"negative timeout", []string{"posture", "--no-dns", "--graph-url", url, "--access-token-file", writeToken(t, testToken), "--graph-timeout", "-1s"}, "",
			[]string{"--graph-timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runEnv(t, map[string]string{secretEnv: tc.env}, tc.args...)
			if code != exitUsage || out != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and nothing", code, out)
			}
			for _, want := range tc.want {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if n := strings.Count(errOut, "\n"); n > 2 {
				t.Errorf("%d lines on stderr, want one error and at most one hint:\n%s", n, errOut)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("Graph got %d requests", n)
	}
}

// TestPostureTokenRefusedOnce checks that a token Graph refuses is
// reported once with what to do, not once per collection.
func TestPostureTokenRefusedOnce(t *testing.T) {
	srv, _ := interceptedGraph(t, nil)
	tok := writeToken(t, jwt(time.Now().Add(time.Hour)))
	code, _, errOut := run(t, "posture", "--no-dns", "--quiet", "--graph-url", srv.URL+"/v1.0", "--graph-rate", "-1", "--access-token-file", tok)
	if code != exitUsage || strings.Count(errOut, "401 Unauthorized") != 1 || !strings.Contains(errOut, "az account get-access-token") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if n := strings.Count(errOut, "\n"); n > 2 {
		t.Errorf("%d lines on stderr:\n%s", n, errOut)
	}
}

// TestPostureCollectRefusesRedirect has Graph redirect one collection to
// another server, and checks that the token is not sent there, that the
// run fails and that no snapshot is written.
func TestPostureCollectRefusesRedirect(t *testing.T) {
	var stolen atomic.Int64
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		w.Write([]byte(`{"value":[]}`))
	}))
	defer thief.Close()
	srv, _ := interceptedGraph(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1.0/domains" {
			return false
		}
		http.Redirect(w, r, thief.URL+"/v1.0/domains", http.StatusFound)
		return true
	})
	out := filepath.Join(t.TempDir(), "snap")
	code, _, errOut := run(t, "posture", "collect", "--out", out, "--graph-url", srv.URL+"/v1.0", "--graph-rate", "-1", "--access-token-file", writeToken(t, testToken))
	if code != exitUsage || !strings.Contains(errOut, "302 Found: not following the redirect") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if stolen.Load() != 0 {
		t.Errorf("the redirect target got %d requests", stolen.Load())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a snapshot was written: %v", err)
	}
}

// TestPostureSaysWhatItWaitsFor cuts the first answer of one collection
// short and checks that the retry is announced on stderr, which is not a
// terminal, and that --quiet keeps it quiet.
func TestPostureSaysWhatItWaitsFor(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		t.Run(fmt.Sprint("quiet=", quiet), func(t *testing.T) {
			var once sync.Once
			srv, _ := interceptedGraph(t, func(w http.ResponseWriter, r *http.Request) bool {
				dropped := false
				if r.URL.Path == "/v1.0/domains" {
					once.Do(func() {
						conn, buf, err := w.(http.Hijacker).Hijack()
						if err == nil {
							buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"value\":")
							buf.Flush()
							conn.Close()
						}
						dropped = true
					})
				}
				return dropped
			})
			args := []string{"posture", "--no-dns", "--format", "jsonl", "--graph-url", srv.URL + "/v1.0", "--graph-rate", "-1", "--access-token-file", writeToken(t, testToken)}
			if quiet {
				args = append(args, "--quiet")
			}
			code, out, errOut := run(t, args...)
			if code != exitOK || len(readFindings(t, out)) != len(offlineFindings) {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}
			announced := strings.Contains(errOut, "GET /v1.0/domains: ") && strings.Contains(errOut, "before attempt 2 of 6")
			if announced == quiet {
				t.Errorf("quiet=%v, stderr:\n%s", quiet, errOut)
			}
		})
	}
}

// TestPostureGraphTimeout has Graph never answer one collection and
// checks that --graph-timeout ends the run with one line that names it.
func TestPostureGraphTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, _ := interceptedGraph(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1.0/domains" {
			return false
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return true
	})
	defer close(release)
	start := time.Now()
	code, _, errOut := run(t, "posture", "--no-dns", "--quiet", "--graph-url", srv.URL+"/v1.0", "--graph-rate", "-1",
		"--access-token-file", writeToken(t, testToken), "--graph-timeout", "300ms")
	if code != exitUsage || strings.Count(errOut, "reading Graph took longer than --graph-timeout 300ms") != 1 {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestPostureDNSSummaryIsBoundedAndSafe evaluates a snapshot with a host
// name that carries terminal escapes, 30 names DNS cannot judge, and 20 it
// never answers, and checks the summary: no escapes, the unjudged names
// listed up to a bound, and the names left unchecked counted with why.
func TestPostureDNSSummaryIsBoundedAndSafe(t *testing.T) {
	zone := map[string]dnstest.Name{"payroll.contoso.com": {A: "192.0.2.1"}}
	s := postureTenant()
	var uris []string
	for i := range 30 {
		h := fmt.Sprintf("broken%d.contoso.com", i)
		zone[h] = dnstest.Name{ServFail: true}
		uris = append(uris, "https://"+h+"/cb")
	}
	for i := range 20 {
		h := fmt.Sprintf("silent%d.contoso.com", i)
		zone[h] = dnstest.Name{Drop: true}
		uris = append(uris, "https://"+h+"/cb")
	}
	uris = append(uris, "https://\x1b[2Jevil.contoso.com/cb")
	s.Applications[1].Web.RedirectURIs = uris
	dir := filepath.Join(t.TempDir(), "snap")
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	srv, err := dnstest.Start(zone, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, _, errOut := run(t, "posture", "--snapshot", dir, "--format", "jsonl", "--dns-server", srv.Addr,
		"--dns-timeout", "10s", "--dns-time-limit", "2s")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if strings.ContainsRune(errOut, 0x1b) {
		t.Errorf("stderr carries an escape:\n%q", errOut)
	}
	for _, want := range []string{
		"  and 10 more\n",
		"host names were not checked in DNS: time limit of 2s for DNS lookups reached",
		`host names were not checked in DNS: character "\x1b" is not allowed in a host name`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if n := strings.Count(errOut, ": servfail"); n != maxUnknownListed {
		t.Errorf("%d unjudged names listed, want %d", n, maxUnknownListed)
	}
}
