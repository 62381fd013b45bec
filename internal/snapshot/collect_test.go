package snapshot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/appwatch/appwatch/internal/graph"
)

// testCred hands out the token the fake Graph accepts, or token, or
// fails with err.
type testCred struct {
	token string
	err   error
}

func (c testCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	return azcore.AccessToken{Token: cmp.Or(c.token, "test-token"), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// client returns a Graph client for the fake with cfg's limits.
func (fg *fakeGraph) client(t *testing.T, cfg graph.Config) *graph.Client {
	t.Helper()
	if cfg.Credential == nil {
		cfg.Credential = testCred{}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = fg.srv.URL + "/v1.0"
	}
	cfg.HTTPClient = fg.http
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = -1
	}
	c, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// compare reports the differences between two snapshots collection by
// collection, with the first differing item.
func compare(t *testing.T, got, want *Snapshot) {
	t.Helper()
	gv, wv := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		g, w := gv.Field(i), wv.Field(i)
		if reflect.DeepEqual(g.Interface(), w.Interface()) {
			continue
		}
		if g.Kind() != reflect.Slice {
			t.Errorf("%s = %v, want %v", name, g.Interface(), w.Interface())
			continue
		}
		if g.Len() != w.Len() {
			t.Errorf("%s: %d items, want %d", name, g.Len(), w.Len())
		}
		for j := range min(g.Len(), w.Len()) {
			if !reflect.DeepEqual(g.Index(j).Interface(), w.Index(j).Interface()) {
				t.Errorf("%s[%d] =\n%+v\nwant\n%+v", name, j, g.Index(j).Interface(), w.Index(j).Interface())
				break
			}
		}
	}
}

// onlyOnce fails for every URL requested more than once.
func (fg *fakeGraph) onlyOnce(t *testing.T, except ...string) {
	t.Helper()
	fg.mu.Lock()
	defer fg.mu.Unlock()
	for u, n := range fg.hits {
		if n != 1 && !slices.Contains(except, u) {
			t.Errorf("%s requested %d times", u, n)
		}
	}
}

// TestCollectLargeTenant collects a tenant of 10,000 applications under
// a request budget, and checks that nothing is missing, nothing is
// fetched twice, and the server never saw the budget broken. It runs on
// synctest's virtual clock, so the machine's load cannot bend the
// schedule it checks.
func TestCollectLargeTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("large tenant")
	}
	synctest.Test(t, func(t *testing.T) {
		const (
			rate    = 100.0
			burst   = 8
			maxConc = 4
		)
		tn := genTenant(10000)
		fg := newVirtualFakeGraph(t, tn)
		c := fg.client(t, graph.Config{RequestsPerSecond: rate, Burst: burst, MaxConcurrent: maxConc})
		var mu sync.Mutex
		progress := map[Collection]int{}
		snap, err := Collect(t.Context(), c, Options{Progress: func(coll Collection, n int) {
			mu.Lock()
			progress[coll] += n
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		compare(t, snap, tn.expected(fg.metadata()))
		fg.onlyOnce(t)

		// 100 pages each of applications and of their federated credentials,
		// 101 of service principals (the four APIs make one more), two of
		// grants, one each of role assignments, domains and API service
		// principals, three owner lists and five assignment lists; and of
		// the optional collections, one page each but two for the app
		// management policies (the default one apart) and three for the
		// Agent ID lists, and one list of the apps a policy applies to.
		if want := 100 + 100 + 101 + 2 + 1 + 1 + 1 + 3 + 5 + 15; len(fg.all) != want {
			t.Errorf("%d requests, want %d", len(fg.all), want)
		}
		if want := map[Collection]int{
			Applications:       2*len(tn.apps) + expandCap + 5 + expandCap,
			ServicePrincipals:  len(tn.sps) + 4 + expandCap + 1,
			Grants:             len(tn.grants),
			AppRoleAssignments: len(snap.AppRoleAssignments),
			RoleAssignments:    len(tn.roles),
			Domains:            len(tn.domains),

			AuthorizationPolicies: 1, AdminConsentPolicies: 1, PermissionGrantPolicies: 2, DirectorySettings: 1,
			AppManagementPolicies: 2, ConditionalAccessPolicies: 2, RoleEligibilities: 3, UserRegistrations: 3,
			RiskyServicePrincipals: 1, RiskDetections: 1, Agents: 3,
		}; !reflect.DeepEqual(progress, want) {
			t.Errorf("progress = %v, want %v", progress, want)
		}
		if p := fg.peak.Load(); p > maxConc {
			t.Errorf("%d requests in flight at once, cap %d", p, maxConc)
		}
		checkRate(t, fg.all, rate, burst)
	})
}

// checkRate asserts, on the virtual clock, that no window of one second
// holds more requests than the rate plus the burst, and that the run did
// not beat the schedule.
func checkRate(t *testing.T, arrivals []time.Time, rate float64, burst int) {
	t.Helper()
	arrivals = slices.SortedFunc(slices.Values(arrivals), func(a, b time.Time) int { return a.Compare(b) })
	limit := int(rate) + burst
	for i, start := range arrivals {
		n := 0
		for _, a := range arrivals[i:] {
			if a.Sub(start) >= time.Second {
				break
			}
			n++
		}
		if n > limit {
			t.Fatalf("%d requests in the second from arrival %d, limit %d", n, i, limit)
		}
	}
	span := arrivals[len(arrivals)-1].Sub(arrivals[0])
	floor := time.Duration(len(arrivals)-burst) * time.Duration(float64(time.Second)/rate)
	if span < floor {
		t.Errorf("%d requests took %v; the budget allows no less than %v", len(arrivals), span, floor)
	}
	t.Logf("%d requests in %v (%.0f/s, budget %.0f/s)", len(arrivals), span, float64(len(arrivals))/span.Seconds(), rate)
}

// TestCollectThrottled throttles some requests in each of the ways Graph
// does and checks that Collect waits as told, retries each throttled
// request once, and still gets everything. It runs on synctest's virtual
// clock.
func TestCollectThrottled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := genTenant(250)
		fg := newVirtualFakeGraph(t, tn)
		ficsPage2 := "/v1.0/applications?%24expand=federatedIdentityCredentials&%24select=id&%24skiptoken=100&%24top=100"
		spsPage1 := "/v1.0/servicePrincipals?$expand=owners%28%24select%3D" + strings.ReplaceAll(ownerFields, ",", "%2C") + "%29&$select=" +
			strings.ReplaceAll(spFields, ",", "%2C") + "&$top=100"
		grants := "/v1.0/oauth2PermissionGrants?$top=999"
		domains := "/v1.0/domains?$select=" + strings.ReplaceAll(domainFields, ",", "%2C")
		fg.faults[ficsPage2] = map[int]fault{1: {status: 429, retryAfter: func() string { return "1" }}}
		fg.faults[spsPage1] = map[int]fault{1: {status: 429, retryAfter: func() string {
			return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
		}}}
		fg.faults[grants] = map[int]fault{1: {status: 503}, 2: {status: 503}}
		fg.faults[domains] = map[int]fault{1: {status: 429}}
		c := fg.client(t, graph.Config{MaxBackoff: 40 * time.Millisecond})
		snap, err := Collect(t.Context(), c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		compare(t, snap, tn.expected(fg.metadata()))
		fg.onlyOnce(t, ficsPage2, spsPage1, grants, domains)
		for _, tc := range []struct {
			uri      string
			requests int
			minGap   time.Duration
		}{
			{ficsPage2, 2, time.Second}, // Retry-After: 1
			{spsPage1, 2, time.Second},  // Retry-After: an HTTP date one to two seconds ahead
			{grants, 3, 0},              // 503 twice, no Retry-After: jittered backoff
			{domains, 2, 0},             // 429, no Retry-After
		} {
			got := fg.arrivals[tc.uri]
			if len(got) != tc.requests {
				t.Errorf("%s: %d requests, want %d", tc.uri, len(got), tc.requests)
				continue
			}
			if gap := got[1].Sub(got[0]); gap < tc.minGap {
				t.Errorf("%s: retried after %v, want at least %v", tc.uri, gap, tc.minGap)
			}
		}
	})
}

// TestCollectRunWideFailureOnce checks that a failure every collection
// would meet (a refused sign-in, a refused token, the end of the run's
// time) is reported once, not once per collection, and stops the rest.
func TestCollectRunWideFailureOnce(t *testing.T) {
	deadline := errors.New("reading Graph took longer than 10m0s")
	for _, tc := range []struct {
		name string
		cred testCred
		ctx  func(context.Context) (context.Context, context.CancelFunc)
		want string
	}{
		{"sign-in refused", testCred{err: errors.New("AADSTS7000215: invalid client secret")}, nil, "sign-in failed: AADSTS7000215"},
		{"token refused", testCred{token: "expired"}, nil, "401 Unauthorized"},
		{"deadline", testCred{}, func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeoutCause(ctx, 10*time.Minute, deadline)
		}, deadline.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fg := newVirtualFakeGraph(t, genTenant(5))
				for _, uri := range []string{"/v1.0/domains?$select=" + strings.ReplaceAll(domainFields, ",", "%2C"), "/v1.0/oauth2PermissionGrants?$top=999"} {
					fg.faults[uri] = map[int]fault{}
					for n := range 10 {
						fg.faults[uri][n+1] = fault{status: 429, retryAfter: func() string { return "120" }}
					}
				}
				ctx := t.Context()
				if tc.ctx != nil {
					var cancel context.CancelFunc
					ctx, cancel = tc.ctx(ctx)
					defer cancel()
				}
				_, err := Collect(ctx, fg.client(t, graph.Config{Credential: tc.cred}), Options{})
				if err == nil || strings.Count(err.Error(), tc.want) != 1 || strings.Contains(err.Error(), "\n") {
					t.Errorf("err = %v, want %q once, on one line", err, tc.want)
				}
			})
		})
	}
}

func TestCollectNamesMissingPermissions(t *testing.T) {
	tn := genTenant(5)
	fg := newFakeGraph(t, tn)
	fg.forbid["/v1.0/oauth2PermissionGrants"] = true
	fg.forbid["/v1.0/domains"] = true
	fg.forbid["/v1.0/roleManagement/directory/roleAssignments"] = true
	snap, err := Collect(context.Background(), fg.client(t, graph.Config{}), Options{})
	if snap != nil || err == nil {
		t.Fatalf("Collect = %v, %v; want only an error", snap, err)
	}
	if !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("err = %v, want graph.ErrForbidden", err)
	}
	for _, want := range []string{"Directory.Read.All", "Domain.Read.All", "RoleManagement.Read.Directory", "/v1.0/domains", "/v1.0/oauth2PermissionGrants"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "Application.Read.All") {
		t.Errorf("error names a permission that was not missing:\n%v", err)
	}
	fg.mu.Lock()
	defer fg.mu.Unlock()
	for u := range fg.hits {
		if strings.Contains(u, "appRoleAssignedTo") {
			t.Errorf("the second stage ran after a failed first stage: %s", u)
		}
	}
}

func TestCollectCancelled(t *testing.T) {
	fg := newFakeGraph(t, genTenant(5))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Collect(ctx, fg.client(t, graph.Config{}), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCollectWithoutSensitiveAPIs(t *testing.T) {
	tn := genTenant(6)
	fg := newFakeGraph(t, tn)
	snap, err := Collect(context.Background(), fg.client(t, graph.Config{}), Options{SensitiveAPIs: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	// Only the tenant's own API with an app role for applications.
	var resources []string
	for _, a := range snap.AppRoleAssignments {
		resources = append(resources, a.ResourceID)
	}
	if resources = slices.Compact(resources); !slices.Equal(resources, []string{tn.sps[2].ID}) {
		t.Errorf("assignments read for %v, want only %s", resources, tn.sps[2].ID)
	}
	for _, sp := range snap.ServicePrincipals {
		if sp.AppRoles != nil {
			t.Errorf("%s has app roles read without being asked for", sp.DisplayName)
		}
	}
}

func TestAppIDFilter(t *testing.T) {
	got := appIDFilter([]string{"00000003-0000-0000-c000-000000000000", "o'brien"})
	if want := "appId in ('00000003-0000-0000-c000-000000000000','o''brien')"; got != want {
		t.Errorf("appIDFilter = %q, want %q", got, want)
	}
}

func ExampleDefaultSensitiveAPIs() {
	fmt.Println(len(DefaultSensitiveAPIs()), DefaultSensitiveAPIs()[0])
	// Output: 4 00000003-0000-0000-c000-000000000000
}
