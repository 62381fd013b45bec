package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// testToken is what fakeCred hands out and what test servers expect.
const testToken = "test-token"

// fakeCred is a TokenCredential that never touches the network.
type fakeCred struct {
	calls  atomic.Int64
	scopes atomic.Value // []string of the last call
}

func (f *fakeCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.calls.Add(1)
	f.scopes.Store(o.Scopes)
	return azcore.AccessToken{Token: testToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// failingCred is a TokenCredential that always fails.
type failingCred struct{}

func (failingCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("no way")
}

// fakeClock is a virtual clock: Sleep records the wait and moves the
// time forward instead of blocking.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// newTestClient returns a client for srv under /v1.0, with the given
// config changes applied.
func newTestClient(t *testing.T, srv *httptest.Server, cfg Config) *Client {
	t.Helper()
	if cfg.Credential == nil {
		cfg.Credential = &fakeCred{}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = srv.URL + "/v1.0"
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = -1
	}
	cfg.HTTPClient = srv.Client()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// useFakeClock puts c on a virtual clock with a jitter that always picks
// the top of its range, and returns the clock.
func useFakeClock(c *Client) *fakeClock {
	fc := newFakeClock()
	c.clock = fc
	c.limit.clock = fc
	c.jitter = func(n int64) int64 { return n - 1 }
	return fc
}

// requireToken fails the request when it lacks the test bearer token.
func requireToken(t *testing.T, r *http.Request) bool {
	t.Helper()
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("%s: Authorization = %q", r.URL, got)
		return false
	}
	return true
}
