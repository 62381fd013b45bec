package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// reply is one scripted response.
type reply struct {
	status     int
	retryAfter string // a Retry-After value; "date+N" means N seconds after the fake clock's start
	body       string
}

// scriptedServer answers the requests with the replies in order, and
// with the last reply once the script runs out.
func scriptedServer(t *testing.T, start time.Time, script []reply) (*httptest.Server, *int) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requireToken(t, r)
		mu.Lock()
		rp := script[min(n, len(script)-1)]
		n++
		mu.Unlock()
		if ra := rp.retryAfter; ra != "" {
			if secs, ok := strings.CutPrefix(ra, "date+"); ok {
				d, _ := time.ParseDuration(secs + "s")
				ra = start.Add(d).Format(http.TimeFormat)
			}
			w.Header().Set("Retry-After", ra)
		}
		w.Header().Set("request-id", "rid-1")
		w.WriteHeader(rp.status)
		w.Write([]byte(cmpOrBody(rp)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func cmpOrBody(rp reply) string {
	if rp.body != "" {
		return rp.body
	}
	if rp.status == http.StatusOK {
		return `{"value":[{"id":"1"}]}`
	}
	return `{"error":{"code":"Whatever","message":"scripted failure"}}`
}

var (
	ok200   = reply{status: 200}
	tooMany = reply{status: 429}
	unavail = reply{status: 503}
)

func TestRetries(t *testing.T) {
	forbidden := reply{status: 403, body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"x"}}}`}
	for _, tc := range []struct {
		name     string
		path     string
		script   []reply
		attempts int
		waits    []time.Duration
		wantErr  error // nil means success
	}{
		{"429 retry-after seconds", "/applications", []reply{{status: 429, retryAfter: "7"}, ok200}, 2, []time.Duration{7 * time.Second}, nil},
		{"429 retry-after date", "/applications", []reply{{status: 429, retryAfter: "date+30"}, ok200}, 2, []time.Duration{30 * time.Second}, nil},
		{"429 retry-after date in the past", "/applications", []reply{{status: 429, retryAfter: "date+-30"}, ok200}, 2, nil, nil},
		{"429 retry-after capped", "/applications", []reply{{status: 429, retryAfter: "86400"}, ok200}, 2, []time.Duration{time.Minute}, nil},
		{"429 bad retry-after backs off", "/applications", []reply{{status: 429, retryAfter: "soon"}, ok200}, 2, []time.Duration{time.Second}, nil},
		{"429 without retry-after", "/applications", []reply{tooMany, tooMany, tooMany, ok200}, 4, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, nil},
		{"503 without retry-after", "/applications", []reply{unavail, unavail, ok200}, 3, []time.Duration{time.Second, 2 * time.Second}, nil},
		{"503 with retry-after", "/applications", []reply{{status: 503, retryAfter: "3"}, ok200}, 2, []time.Duration{3 * time.Second}, nil},
		{"500 then ok", "/applications", []reply{{status: 500}, {status: 502}, {status: 504}, ok200}, 4, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, nil},
		{"backoff capped", "/applications", []reply{tooMany, tooMany, tooMany, tooMany, tooMany, ok200}, 6, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, nil},
		{"throttled to the end", "/applications", []reply{tooMany}, 6, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, ErrThrottled},
		{"400 is not retried", "/applications", []reply{{status: 400}}, 1, nil, nil},
		{"501 is not retried", "/applications", []reply{{status: 501}}, 1, nil, nil},
		{"401", "/applications", []reply{{status: 401}}, 1, nil, ErrUnauthorized},
		{"403", "/applications", []reply{forbidden}, 1, nil, ErrForbidden},
		{"404", "/applications/x/owners", []reply{{status: 404}}, 1, nil, ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := scriptedServer(t, newFakeClock().Now(), tc.script)
			c := newTestClient(t, srv, Config{MaxBackoff: 5 * time.Second, MaxRetryAfter: time.Minute})
			fc := useFakeClock(c)
			var err error
			for _, err = range c.List(context.Background(), tc.path, nil) {
				if err != nil {
					break
				}
			}
			if *n != tc.attempts {
				t.Errorf("server saw %d requests, want %d", *n, tc.attempts)
			}
			if got := fc.waits(); !slices.Equal(got, tc.waits) {
				t.Errorf("waits = %v, want %v", got, tc.waits)
			}
			success := tc.script[len(tc.script)-1].status == 200
			switch {
			case success && err != nil:
				t.Errorf("err = %v, want success", err)
			case !success && err == nil:
				t.Error("no error")
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			var ge *Error
			if !success && (!errors.As(err, &ge) || ge.Attempts != tc.attempts || ge.RequestID != "rid-1") {
				t.Errorf("err = %#v, want an *Error after %d attempts with the request id", err, tc.attempts)
			}
		})
	}
}

func TestForbiddenNamesPermission(t *testing.T) {
	for _, tc := range []struct {
		path, permission string
	}{
		{"/applications", "Application.Read.All"},
		{"/applications/0b1/federatedIdentityCredentials", "Application.Read.All"},
		{"/servicePrincipals/0b1/appRoleAssignedTo", "Application.Read.All"},
		{"/oauth2PermissionGrants", "Directory.Read.All"},
		{"/roleManagement/directory/roleAssignments", "RoleManagement.Read.Directory"},
		{"/domains", "Domain.Read.All"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			srv, _ := scriptedServer(t, time.Now(), []reply{{status: 403, body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`}})
			c := newTestClient(t, srv, Config{})
			var err error
			for _, err = range c.List(context.Background(), tc.path, nil) {
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.Permission != tc.permission || ge.Code != "Authorization_RequestDenied" {
				t.Fatalf("err = %#v, want an *Error naming %s", err, tc.permission)
			}
			msg := err.Error()
			for _, want := range []string{tc.permission, "/v1.0" + tc.path, "403", "admin consent"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestTransportErrorsAreRetried(t *testing.T) {
	srv, _ := scriptedServer(t, time.Now(), []reply{ok200})
	c := newTestClient(t, srv, Config{MaxAttempts: 3})
	fc := useFakeClock(c)
	srv.Close() // every attempt now fails to connect
	var err error
	for _, err = range c.List(context.Background(), "/applications", nil) {
	}
	if err == nil || !strings.Contains(err.Error(), "attempt 3") {
		t.Errorf("err = %v, want a connection error after 3 attempts", err)
	}
	if got := fc.waits(); len(got) != 2 {
		t.Errorf("waits = %v, want 2", got)
	}
}

func TestWaitRespectsContext(t *testing.T) {
	srv, n := scriptedServer(t, time.Now(), []reply{{status: 429, retryAfter: "60"}})
	c := newTestClient(t, srv, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	var err error
	for _, err = range c.List(ctx, "/applications", nil) {
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to notice the deadline", d)
	}
	if *n != 1 {
		t.Errorf("%d requests, want 1", *n)
	}
}

func TestThrottlePausesOtherRequests(t *testing.T) {
	fc := newFakeClock()
	l := newLimiter(fc, -1, 0)
	if d := l.reserve(); d != 0 {
		t.Fatalf("unpaused wait = %v", d)
	}
	l.pause(fc.Now().Add(9 * time.Second))
	l.pause(fc.Now().Add(3 * time.Second)) // an earlier pause does not shorten it
	if d := l.reserve(); d != 9*time.Second {
		t.Errorf("paused wait = %v, want 9s", d)
	}
}

func TestRequestsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, _ := scriptedServer(t, time.Now(), []reply{{status: 429, retryAfter: "2"}, ok200})
	c := newTestClient(t, srv, Config{Logger: log})
	useFakeClock(c)
	for _, err := range c.List(context.Background(), "/applications", nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	out := buf.String()
	for _, want := range []string{
		"msg=\"graph request\" method=GET path=/v1.0/applications status=429 attempt=1",
		"msg=\"graph retry\" path=/v1.0/applications status=429 attempt=1 wait=2s",
		"msg=\"graph request\" method=GET path=/v1.0/applications status=200 attempt=2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, testToken) {
		t.Error("the log shows the access token")
	}
}

func TestPermissionFor(t *testing.T) {
	for path, want := range map[string]string{
		"/v1.0/applications":                               "Application.Read.All",
		"applications(appId='x')/owners":                   "Application.Read.All",
		"/beta/servicePrincipals/x/oauth2PermissionGrants": "Directory.Read.All",
		"/v1.0/roleManagement/directory/roleAssignments":   "RoleManagement.Read.Directory",
		"/v1.0/directoryRoles/x/members":                   "RoleManagement.Read.Directory",
		"/v1.0/DOMAINS":                                    "Domain.Read.All",
		"/v1.0/auditLogs/directoryAudits":                  "AuditLog.Read.All",
		"/v1.0/users":                                      "",
		"":                                                 "",
	} {
		if got := PermissionFor(path); got != want {
			t.Errorf("PermissionFor(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestWaitsAreAnnounced checks that every pause between attempts is
// reported before it starts, with why and for how long, and that a huge
// Retry-After is capped and says so.
func TestWaitsAreAnnounced(t *testing.T) {
	srv, _ := scriptedServer(t, newFakeClock().Now(), []reply{{status: 429, retryAfter: "1500"}, {status: 503, retryAfter: "3"}, {status: 502}, ok200})
	var waits []Wait
	c := newTestClient(t, srv, Config{MaxRetryAfter: time.Minute, OnWait: func(w Wait) { waits = append(waits, w) }})
	fc := useFakeClock(c)
	for _, err := range c.List(t.Context(), "/applications", nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"GET /v1.0/applications: Graph is throttling (429 Too Many Requests); waiting 1m0s before attempt 2 of 6 (Graph asked for 25m0s; 1m0s is the most this client waits)",
		"GET /v1.0/applications: Graph is throttling (503 Service Unavailable); waiting 3s before attempt 3 of 6",
		"GET /v1.0/applications: 502 Bad Gateway; waiting 4s before attempt 4 of 6",
	}
	var got []string
	for _, w := range waits {
		got = append(got, w.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("waits announced:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if slept := fc.waits(); !slices.Equal(slept, []time.Duration{time.Minute, 3 * time.Second, 4 * time.Second}) {
		t.Errorf("slept %v", slept)
	}
}

// TestSlowAnswerTimesOut has a Graph that never answers, and checks that
// each attempt ends at the client's timeout, the wait after it says so,
// and the error names the timeout.
func TestSlowAnswerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	var waits []Wait
	c := newTestClient(t, srv, Config{Timeout: 50 * time.Millisecond, MaxAttempts: 2, OnWait: func(w Wait) { waits = append(waits, w) }})
	useFakeClock(c)
	var err error
	for _, err = range c.List(t.Context(), "/applications", nil) {
	}
	if err == nil || !strings.Contains(err.Error(), "(attempt 2): no answer within 50ms") {
		t.Errorf("err = %v, want a timeout on attempt 2", err)
	}
	if len(waits) != 1 || !strings.Contains(waits[0].String(), "GET /v1.0/applications: no answer within 50ms; waiting 1s before attempt 2 of 2") {
		t.Errorf("waits = %v", waits)
	}
}

// TestDeadlineNamesItsCause checks that a request cut short by its
// context's deadline says why, with the cause the caller gave.
func TestDeadlineNamesItsCause(t *testing.T) {
	srv, _ := scriptedServer(t, time.Now(), []reply{{status: 429, retryAfter: "60"}})
	c := newTestClient(t, srv, Config{})
	cause := errors.New("reading Graph took longer than 10ms")
	ctx, cancel := context.WithTimeoutCause(t.Context(), 10*time.Millisecond, cause)
	defer cancel()
	var err error
	for _, err = range c.List(ctx, "/applications", nil) {
	}
	if !errors.Is(err, cause) {
		t.Errorf("err = %v, want the cause %v", err, cause)
	}
}
