package dnscheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/dnscheck/dnstest"
)

// zone is a small tenant's DNS as a recursive resolver would see it.
var zone = map[string]dnstest.Name{
	"app.contoso.com":               {A: "192.0.2.10"},
	"www.contoso.com":               {CNAME: "contoso-web.azurewebsites.net"},
	"contoso-web.azurewebsites.net": {CNAME: "waws-prod-1.cloudapp.net"},
	"waws-prod-1.cloudapp.net":      {A: "192.0.2.20"},
	"login.contoso.com":             {CNAME: "contoso-login.azurewebsites.net"}, // the web app was deleted
	"files.contoso.com":             {CNAME: "contosofiles.blob.core.windows.net"},
	"old.contoso.com":               {CNAME: "old.fabrikam-retired.com"}, // the partner's domain lapsed
	"mx-only.contoso.com":           {Empty: true},
	"broken.contoso.com":            {ServFail: true},
	"refused.contoso.com":           {Refused: true},
	"slow.contoso.com":              {Drop: true},
	"big.contoso.com":               {Truncate: true, A: "192.0.2.30"},
	"loop1.contoso.com":             {CNAME: "loop2.contoso.com"},
	"loop2.contoso.com":             {CNAME: "loop1.contoso.com"},
	"hop1.contoso.com":              {CNAME: "hop2.contoso.com"},
	"hop2.contoso.com":              {CNAME: "hop3.contoso.com"},
	"hop3.contoso.com":              {CNAME: "hop4.contoso.com"},
	"hop4.contoso.com":              {A: "192.0.2.40"},
}

// startServer starts a test DNS server on loopback for the test.
func startServer(t *testing.T, opts dnstest.Options) *dnstest.Server {
	t.Helper()
	srv, err := dnstest.Start(zone, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func newResolver(t *testing.T, srv *dnstest.Server, cfg Config) *Resolver {
	t.Helper()
	cfg.Server = srv.Addr
	if cfg.Timeout == 0 {
		cfg.Timeout = 150 * time.Millisecond
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLookup(t *testing.T) {
	tests := []struct {
		host string
		want Result
	}{
		{"app.contoso.com", Result{State: Resolves}},
		{"APP.Contoso.com.", Result{Host: "app.contoso.com", State: Resolves}},
		{"www.contoso.com", Result{State: Resolves, Chain: []string{"contoso-web.azurewebsites.net", "waws-prod-1.cloudapp.net"}}},
		{"mx-only.contoso.com", Result{State: Resolves}},
		{"big.contoso.com", Result{State: Resolves}},
		{"gone.contoso.com", Result{State: NXDomain}},
		{"deleted-app.azurewebsites.net", Result{State: NXDomain, Claimable: true}},
		{"login.contoso.com", Result{State: DanglingCNAME, Chain: []string{"contoso-login.azurewebsites.net"}, Claimable: true}},
		{"files.contoso.com", Result{State: DanglingCNAME, Chain: []string{"contosofiles.blob.core.windows.net"}, Claimable: true}},
		{"old.contoso.com", Result{State: DanglingCNAME, Chain: []string{"old.fabrikam-retired.com"}}},
		{"broken.contoso.com", Result{State: ServFail}},
		{"refused.contoso.com", Result{State: Failed, Detail: "server answered REFUSED"}},
		{"slow.contoso.com", Result{State: Timeout}},
		{"loop1.contoso.com", Result{State: Failed, Chain: []string{"loop2.contoso.com"}, Detail: "alias loop at loop1.contoso.com"}},
		{"hop1.contoso.com", Result{State: Failed, Chain: []string{"hop2.contoso.com", "hop3.contoso.com", "hop4.contoso.com"}, Detail: "alias chain longer than 2 names"}},
		{"192.0.2.1", Result{State: Skipped, Detail: "an IP address"}},
		{"*.contoso.com", Result{State: Skipped, Detail: "a wildcard"}},
		{"intranet", Result{State: Skipped, Detail: "not a fully qualified name"}},
		{"bücher.example", Result{State: Skipped, Detail: `character "\xc3" is not allowed in a host name`}},
		{"a..b", Result{State: Skipped, Detail: "a label is empty or longer than 63 bytes"}},
	}
	for _, shallow := range []bool{false, true} {
		srv := startServer(t, dnstest.Options{Shallow: shallow})
		r := newResolver(t, srv, Config{MaxChain: 2})
		for _, tt := range tests {
			want := tt.want
			if want.Host == "" {
				want.Host = tt.host
			}
			got := r.Lookup(context.Background(), tt.host)
			if got.Host != want.Host || got.State != want.State || !slices.Equal(got.Chain, want.Chain) ||
				got.Claimable != want.Claimable || got.Detail != want.Detail {
				t.Errorf("shallow=%v: Lookup(%q) = %+v, want %+v", shallow, tt.host, got, want)
			}
		}
	}
}

func TestResultVerdicts(t *testing.T) {
	for _, tt := range []struct {
		s               State
		dangling, known bool
	}{
		{Resolves, false, true},
		{NXDomain, true, true},
		{DanglingCNAME, true, true},
		{ServFail, false, false},
		{Timeout, false, false},
		{Failed, false, false},
		{Skipped, false, false},
	} {
		r := Result{State: tt.s}
		if r.Dangling() != tt.dangling || r.Known() != tt.known {
			t.Errorf("%s: Dangling %v Known %v, want %v %v", tt.s, r.Dangling(), r.Known(), tt.dangling, tt.known)
		}
	}
}

func TestTimeoutRetries(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{Timeout: 50 * time.Millisecond, Attempts: 3})
	start := time.Now()
	if got := r.Lookup(context.Background(), "slow.contoso.com"); got.State != Timeout {
		t.Fatalf("state %s, want timeout", got.State)
	}
	if n := srv.Queries("slow.contoso.com"); n != 3 {
		t.Errorf("%d queries, want 3 attempts", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v for three 50 ms attempts", d)
	}
}

func TestTruncatedAnswerRetriesOverTCP(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{})
	if got := r.Lookup(context.Background(), "big.contoso.com"); got.State != Resolves {
		t.Fatalf("state %s, want resolves", got.State)
	}
	if n := srv.Queries("big.contoso.com"); n != 2 {
		t.Errorf("%d queries, want one over UDP and one over TCP", n)
	}
}

func TestLookupAllCachesAndDedupes(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{Workers: 3})
	hosts := []string{"app.contoso.com", "login.contoso.com", "app.contoso.com", "gone.contoso.com", "APP.contoso.com"}
	got := r.LookupAll(context.Background(), hosts)
	if len(got) != 4 {
		t.Fatalf("%d results, want one per distinct host as given (4): %v", len(got), got)
	}
	if got["login.contoso.com"].State != DanglingCNAME || got["APP.contoso.com"].State != Resolves {
		t.Errorf("results = %v", got)
	}
	r.LookupAll(context.Background(), hosts)
	for _, h := range []string{"app.contoso.com", "login.contoso.com", "gone.contoso.com"} {
		if n := srv.Queries(h); n != 1 {
			t.Errorf("%s asked %d times, want once", h, n)
		}
	}
}

func TestConcurrentLookupsShareOneQuery(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{Workers: 8})
	hosts := make([]string, 0, 64)
	for i := range 64 {
		hosts = append(hosts, []string{"www", "WWW"}[i%2]+".contoso.com") // two spellings of one name
	}
	got := r.LookupAll(context.Background(), hosts)
	for h, res := range got {
		if res.State != Resolves {
			t.Errorf("%s: %s", h, res.State)
		}
	}
	if n := srv.Queries("www.contoso.com"); n != 1 {
		t.Errorf("www.contoso.com asked %d times, want once", n)
	}
}

func TestMaxNames(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{MaxNames: 2})
	ctx := context.Background()
	r.Lookup(ctx, "app.contoso.com")
	r.Lookup(ctx, "www.contoso.com")
	if got := r.Lookup(ctx, "gone.contoso.com"); got.State != Skipped || !strings.Contains(got.Detail, "limit of 2") {
		t.Errorf("third name: %+v, want skipped at the limit", got)
	}
	if got := r.Lookup(ctx, "app.contoso.com"); got.State != Resolves {
		t.Errorf("a cached name past the limit: %+v", got)
	}
	if n := srv.Queries("gone.contoso.com"); n != 0 {
		t.Errorf("the name past the limit was asked %d times", n)
	}
}

func TestCanceledContext(t *testing.T) {
	srv := startServer(t, dnstest.Options{})
	r := newResolver(t, srv, Config{Timeout: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	got := r.Lookup(ctx, "slow.contoso.com")
	if got.State != Failed || got.Detail != context.DeadlineExceeded.Error() {
		t.Errorf("Lookup = %+v, want failed with the context's error", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v after the context ended", d)
	}
	if got := r.Lookup(context.Background(), "app.contoso.com"); got.State != Resolves {
		t.Errorf("a later lookup: %+v", got)
	}
	r.cfg.Timeout = 50 * time.Millisecond
	if got := r.Lookup(context.Background(), "slow.contoso.com"); got.State != Timeout {
		t.Errorf("the canceled lookup was remembered: %+v", got)
	}
}

func TestNewChecksServer(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1", "dns.example"} {
		if _, err := New(Config{Server: addr}); err == nil {
			t.Errorf("New(%q) accepted a server without a port", addr)
		}
	}
	if _, err := New(Config{Server: "[::1]:53"}); err != nil {
		t.Errorf("New([::1]:53): %v", err)
	}
}

func TestNameservers(t *testing.T) {
	conf := `# generated
search contoso.com
nameserver 10.0.0.2
nameserver   fe80::1%eth0
nameserver dns.example
options edns0
nameserver 2001:db8::53`
	want := []string{"10.0.0.2:53", "[fe80::1%eth0]:53", "[2001:db8::53]:53"}
	if got := nameservers(conf); !slices.Equal(got, want) {
		t.Errorf("nameservers = %v, want %v", got, want)
	}
	if got := nameservers("search x\n"); got != nil {
		t.Errorf("nameservers of a file without any = %v", got)
	}
}

// FuzzParseResponse reads arbitrary bytes as the answer to a query.
func FuzzParseResponse(f *testing.F) {
	q, id, err := buildQuery("app.contoso.com")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(q, id)
	f.Add([]byte{}, uint16(0))
	f.Add([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}, uint16(1))
	f.Fuzz(func(t *testing.T, b []byte, id uint16) {
		resp, err := parseResponse(b, id, "app.contoso.com")
		if err == nil && (resp == nil || resp.answer == nil) {
			t.Fatal("no error and no answer")
		}
		if err != nil {
			return
		}
		seen := map[string]bool{"app.contoso.com": true}
		hops, _, _ := resp.answer.follow("app.contoso.com", seen)
		if len(hops) > len(resp.answer.aliases) {
			t.Errorf("followed %d hops through %d aliases", len(hops), len(resp.answer.aliases))
		}
	})
}

// silentZone returns n names that the test server never answers, and a
// zone that also holds app.contoso.com.
func silentZone(n int) ([]string, map[string]dnstest.Name) {
	z := map[string]dnstest.Name{"app.contoso.com": {A: "192.0.2.10"}}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("host%d.silent.example", i)
		z[names[i]] = dnstest.Name{Drop: true}
	}
	return names, z
}

// TestLookupAllTimeLimit asks for 400 names the server never answers
// after one it does. Without a time limit that takes 400 × 100 ms / 2
// workers, 20 s; with one of 300 ms, the rest are skipped and say why.
func TestLookupAllTimeLimit(t *testing.T) {
	names, z := silentZone(400)
	srv, err := dnstest.Start(z, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := newResolver(t, srv, Config{Timeout: 100 * time.Millisecond, Attempts: 1, Workers: 2, TimeLimit: 300 * time.Millisecond})
	start := time.Now()
	got := r.LookupAll(t.Context(), append([]string{"app.contoso.com"}, names...))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v with a time limit of 300ms", d)
	}
	if len(got) != 401 {
		t.Fatalf("%d results, want 401", len(got))
	}
	skipped := 0
	for h, res := range got {
		switch {
		case res.State == Skipped && res.Detail == "time limit of 300ms for DNS lookups reached":
			skipped++
		case res.State == Skipped:
			t.Errorf("%s skipped: %s", h, res.Detail)
		}
	}
	if skipped < 300 {
		t.Errorf("%d names skipped at the time limit, want most of 400", skipped)
	}
}

// TestLookupAllGivesUpOnSilentServer asks a server that answers nothing
// for 1,000 names: after 16 timeouts the rest are skipped at once, not
// after 1,000 × 50 ms / 4 workers.
func TestLookupAllGivesUpOnSilentServer(t *testing.T) {
	names, z := silentZone(1000)
	srv, err := dnstest.Start(z, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := newResolver(t, srv, Config{Timeout: 50 * time.Millisecond, Attempts: 1, Workers: 4})
	got := r.LookupAll(t.Context(), names)
	counts := map[State]int{}
	for _, res := range got {
		counts[res.State]++
		if res.State == Skipped && res.Detail != "the DNS server answered none of the first 16 lookups" {
			t.Errorf("%s skipped: %s", res.Host, res.Detail)
		}
	}
	if counts[Timeout] < silentLimit || counts[Timeout] > silentLimit+4 || counts[Skipped] != 1000-counts[Timeout] {
		t.Errorf("results by state: %v; want 16 to 20 timeouts and the rest skipped", counts)
	}
	asked := 0
	for _, h := range names {
		asked += min(srv.Queries(h), 1)
	}
	if asked > silentLimit+4 {
		t.Errorf("%d names were asked", asked)
	}
}

// TestLookupAllKeepsGoingAfterAnAnswer checks that a server that has
// answered once is not given up on for the timeouts that follow, and
// that progress counts every name.
func TestLookupAllKeepsGoingAfterAnAnswer(t *testing.T) {
	names, z := silentZone(silentLimit + 4)
	srv, err := dnstest.Start(z, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var done []int
	r := newResolver(t, srv, Config{Timeout: 500 * time.Millisecond, Attempts: 1, Workers: len(names) + 1,
		Progress: func(n, total int) { done = append(done, n*1000+total) }})
	got := r.LookupAll(t.Context(), append([]string{"app.contoso.com"}, names...))
	for h, res := range got {
		if res.State == Skipped {
			t.Errorf("%s skipped: %s", h, res.Detail)
		}
	}
	total := len(names) + 1
	if len(done) != total || done[0] != 1000+total || done[total-1] != total*1000+total {
		t.Errorf("progress calls (done×1000+total): %v", done)
	}
}
