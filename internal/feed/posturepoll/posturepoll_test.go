package posturepoll

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapdiff"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

var t0 = time.Date(2026, 5, 4, 6, 0, 0, 0, time.UTC)

const (
	appID    = "11111111-1111-4111-8111-111111111111"
	appAppID = "22222222-2222-4222-8222-222222222222"
)

// tenant is a tenant whose one app holds the given secrets, each issued
// for two years, and redirect URIs.
func tenant(secrets []string, redirects ...string) *snapshot.Snapshot {
	var creds []snapshot.Credential
	for _, id := range secrets {
		creds = append(creds, snapshot.Credential{KeyID: id, StartDateTime: snapshot.Time{Time: t0.Add(-24 * time.Hour)},
			EndDateTime: snapshot.Time{Time: t0.Add(2 * 365 * 24 * time.Hour)}})
	}
	return &snapshot.Snapshot{
		Applications: []snapshot.Application{{
			ID: appID, AppID: appAppID, DisplayName: "Payroll Sync",
			KeyCredentials: []snapshot.Credential{}, PasswordCredentials: append([]snapshot.Credential{}, creds...),
			Web:            &snapshot.Web{RedirectURIs: append([]string{}, redirects...), LogoutURL: "https://payroll.contoso.com/logout"},
			IdentifierURIs: []string{},
		}},
		Domains: []snapshot.Domain{{ID: "contoso.com", IsVerified: true}},
		Contexts: map[snapshot.Collection]string{snapshot.Applications: "x", snapshot.ServicePrincipals: "x", snapshot.Grants: "x",
			snapshot.AppRoleAssignments: "x", snapshot.RoleAssignments: "x", snapshot.Domains: "x"},
	}
}

// tenants hands out snapshots in turn; the last one again and again.
type tenants struct {
	mu    sync.Mutex
	snaps []*snapshot.Snapshot
	taken atomic.Int32
}

func (ts *tenants) collect(context.Context) (*snapshot.Snapshot, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	i := min(int(ts.taken.Add(1))-1, len(ts.snaps)-1)
	b, _ := json.Marshal(ts.snaps[i])
	var s snapshot.Snapshot
	json.Unmarshal(b, &s)
	return &s, nil
}

// resolver answers every host name with one state.
type resolver struct{ state dnscheck.State }

func (r resolver) LookupAll(_ context.Context, hosts []string) map[string]dnscheck.Result {
	out := map[string]dnscheck.Result{}
	for _, h := range hosts {
		out[h] = dnscheck.Result{Host: h, State: r.state}
	}
	return out
}

// harness runs a posture source over a store on a fake clock, storing
// its batches as the watch service does.
type harness struct {
	t     *testing.T
	clk   *clock.Fake
	st    *store.Store
	ref   *refdata.Data
	done  chan struct{}
	flush chan chan struct{}
	// halt stops the source and waits for its batches to be stored.
	halt func()
}

func newHarness(t *testing.T, dsn string, clk *clock.Fake) *harness {
	st, err := store.Open(t.Context(), dsn, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, clk: clk, st: st, ref: ref}
}

// run runs a source until stop; drop, when set, loses the batches it
// says, as a process that dies before storing them.
func (h *harness) run(opts Options, drop func(*feed.Batch) bool) {
	opts.Ref, opts.Clock = h.ref, h.clk
	if opts.LeaseTTL == 0 {
		opts.LeaseTTL = 3 * time.Hour // renewed hourly: few steps to a day
	}
	if opts.Lang == "" {
		opts.Lang = "en"
	}
	src, err := New(opts)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(h.t.Context())
	ran, stored, flush := make(chan struct{}), make(chan struct{}), make(chan chan struct{})
	h.done, h.flush = ran, flush
	out := make(chan *feed.Batch)
	go func() {
		defer close(ran)
		src.Run(ctx, h.st, out)
	}()
	go func() {
		defer close(stored)
		for {
			select {
			case <-ctx.Done():
				return
			case ack := <-flush:
				close(ack)
			case b := <-out:
				if drop != nil && drop(b) {
					continue
				}
				_, err := h.st.Commit(ctx, &store.Batch{Source: Name, Alerts: b.Alerts, Resolve: b.Resolve, Reopen: b.Reopen,
					Snapshot: b.Snapshot, Positions: b.Positions})
				if err != nil && ctx.Err() == nil {
					h.t.Errorf("commit: %v", err)
				}
			}
		}
	}()
	h.halt = func() {
		cancel()
		<-ran
		<-stored
	}
	h.t.Cleanup(h.halt)
}

// settle waits for n sleeps (each source's renewal and its wait for the
// next snapshot), then for the batches handed on to be stored.
func (h *harness) settle(n int) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.t.Context(), 20*time.Second)
	defer cancel()
	if !h.clk.WaitSleepers(ctx, n) {
		h.t.Fatalf("%d of %d sleeps under way", h.clk.Sleepers(), n)
	}
	ack := make(chan struct{})
	select {
	case h.flush <- ack:
		<-ack
	case <-h.done:
	}
}

// advance moves the clock to t, letting the sleepers wake in turn.
func (h *harness) advance(to time.Time, n int) {
	h.t.Helper()
	for {
		next, ok := h.clk.Next()
		if !ok || next.After(to) {
			break
		}
		h.clk.Set(next)
		h.settle(n)
	}
	h.clk.Set(to)
	h.settle(n)
}

// alerts returns the stored alerts of the source by rule, each as
// "status item".
func (h *harness) alerts() map[string][]string {
	out := map[string][]string{}
	err := h.st.Alerts(h.t.Context(), store.Filter{Source: Name}, func(a alert.Alert) error {
		out[a.RuleID] = append(out[a.RuleID], a.Status+" "+describe(a))
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}

// describe names the credential, URI or change of an alert.
func describe(a alert.Alert) string {
	if s := itemOf(a.Evidence); s != "" {
		return s
	}
	b, _ := json.Marshal(a.Evidence)
	return string(b)
}

// TestFindingsRaisedOnceAndResolved takes four snapshots, six hours
// apart: findings are stored once per credential and URI, resolved when
// their credential or URI goes, and reopened when it comes back.
func TestFindingsRaisedOnceAndResolved(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			h := newHarness(t, storetest.DSN(t, d), clk)
			ts := &tenants{snaps: []*snapshot.Snapshot{
				tenant([]string{"k-1", "k-2"}, "http://payroll.contoso.com/auth"),
				tenant([]string{"k-1", "k-2"}, "http://payroll.contoso.com/auth"),
				tenant([]string{"k-2"}),
				tenant([]string{"k-2"}, "http://payroll.contoso.com/auth"),
			}}
			h.run(Options{Collect: ts.collect}, nil)
			h.settle(2)
			lifetime := []string{"open credentials:k-1", "open credentials:k-2"}
			redirect := []string{"open uris:web:http://payroll.contoso.com/auth"}
			check := func(step string, want map[string][]string) {
				t.Helper()
				got := h.alerts()
				for rule, w := range want {
					if !slices.Equal(got[rule], w) {
						t.Errorf("%s: %s = %q, want %q", step, rule, got[rule], w)
					}
				}
			}
			check("first snapshot", map[string][]string{posture.CredentialLifetimeExceeded: lifetime, posture.RedirectURINotHTTPS: redirect})

			h.advance(t0.Add(6*time.Hour), 2)
			check("same tenant", map[string][]string{posture.CredentialLifetimeExceeded: lifetime, posture.RedirectURINotHTTPS: redirect})
			if n := ts.taken.Load(); n != 2 {
				t.Fatalf("%d snapshots taken in six hours, want 2", n)
			}

			h.advance(t0.Add(12*time.Hour), 2)
			check("secret and URI gone", map[string][]string{
				posture.CredentialLifetimeExceeded: {"open credentials:k-2", "resolved credentials:k-1"},
				posture.RedirectURINotHTTPS:        {"resolved uris:web:http://payroll.contoso.com/auth"},
			})
			if got := h.alerts()[snapdiff.RedirectURIChanged]; len(got) != 1 || !strings.Contains(got[0], `"redirect_removed"`) || !strings.Contains(got[0], `"found_by":"snapshot-comparison"`) {
				t.Errorf("redirect URI changes %q, want the one removed, found by comparing snapshots", got)
			}

			h.advance(t0.Add(18*time.Hour), 2)
			check("URI back", map[string][]string{
				posture.CredentialLifetimeExceeded: {"open credentials:k-2", "resolved credentials:k-1"},
				posture.RedirectURINotHTTPS:        redirect,
			})
			if got := h.alerts()[snapdiff.RedirectURIChanged]; len(got) != 2 {
				t.Errorf("redirect URI changes %q, want the removal and the addition", got)
			}
			snap, err := h.st.Snapshot(t.Context(), Name)
			if err != nil || snap == nil || !snap.Taken.Equal(t0.Add(18*time.Hour)) {
				t.Fatalf("stored snapshot %v (err %v), want the fourth", snap, err)
			}
			if s, err := decode(snap.Body); err != nil || len(s.Applications[0].Web.RedirectURIs) != 1 {
				t.Errorf("stored snapshot reads back as %+v (err %v)", s, err)
			}
			// The console's history: the secrets across snapshots, and the
			// findings per check in each.
			hist, _, err := h.st.AppHistory(t.Context(), Name, appAppID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range hist {
				got = append(got, fmt.Sprintf("%s %s %s-%s gone=%v", r.Kind, r.Item, r.First.Sub(t0), r.Last.Sub(t0), r.Gone))
			}
			want := []string{"credential application:k-2 0s-18h0m0s gone=false", "credential application:k-1 0s-6h0m0s gone=true"}
			if !slices.Equal(got, want) {
				t.Errorf("history of the app:\n%q\nwant\n%q", got, want)
			}
			trend, err := h.st.SnapshotTrend(t.Context(), Name, 10)
			if err != nil {
				t.Fatal(err)
			}
			var counts []string
			for _, c := range trend {
				counts = append(counts, fmt.Sprintf("%s: %d lifetime, %d redirect", c.Taken.Sub(t0), c.ByRule[posture.CredentialLifetimeExceeded], c.ByRule[posture.RedirectURINotHTTPS]))
			}
			wantCounts := []string{"0s: 2 lifetime, 1 redirect", "6h0m0s: 2 lifetime, 1 redirect", "12h0m0s: 1 lifetime, 0 redirect", "18h0m0s: 1 lifetime, 1 redirect"}
			if !slices.Equal(counts, wantCounts) {
				t.Errorf("findings per snapshot:\n%q\nwant\n%q", counts, wantCounts)
			}
		})
	}
}

// TestDanglingNotJudged keeps a dangling URI finding open while DNS
// gives no answer about its host, and resolves it once DNS says the host
// resolves.
func TestDanglingNotJudged(t *testing.T) {
	clk := clock.NewFake(t0)
	h := newHarness(t, storetest.SQLite(t), clk)
	s := tenant(nil, "https://old.contoso.com/auth")
	ts := &tenants{snaps: []*snapshot.Snapshot{s}}
	var state atomic.Value
	state.Store(dnscheck.NXDomain)
	h.run(Options{Collect: ts.collect, Resolver: func() posture.HostResolver { return resolver{state.Load().(dnscheck.State)} }}, nil)
	h.settle(2)
	want := []string{"open uris:web:https://old.contoso.com/auth"}
	if got := h.alerts()[posture.RedirectURIDangling]; !slices.Equal(got, want) {
		t.Fatalf("dangling findings %q, want %q", got, want)
	}
	state.Store(dnscheck.Timeout)
	h.advance(t0.Add(6*time.Hour), 2)
	if got := h.alerts()[posture.RedirectURIDangling]; !slices.Equal(got, want) {
		t.Errorf("after DNS gave no answer: %q, want %q", got, want)
	}
	state.Store(dnscheck.Resolves)
	h.advance(t0.Add(12*time.Hour), 2)
	if got := h.alerts()[posture.RedirectURIDangling]; !slices.Equal(got, []string{"resolved uris:web:https://old.contoso.com/auth"}) {
		t.Errorf("after the host resolved: %q", got)
	}
}

// TestChangeOnceAcrossCrash loses the batch of the second snapshot, as
// a process killed before storing it, and expects the change it found
// stored once, by the next snapshot compared with the same first one.
func TestChangeOnceAcrossCrash(t *testing.T) {
	clk := clock.NewFake(t0)
	h := newHarness(t, storetest.SQLite(t), clk)
	ts := &tenants{snaps: []*snapshot.Snapshot{tenant([]string{"k-1"}), tenant([]string{"k-1", "k-2"})}}
	lose := true
	h.run(Options{Collect: ts.collect}, func(b *feed.Batch) bool {
		if b.Positions[0].Value == t0.Add(6*time.Hour).Format(time.RFC3339Nano) && lose {
			lose = false
			return true
		}
		return false
	})
	h.settle(2)
	h.advance(t0.Add(6*time.Hour), 2)
	if got := h.alerts()[snapdiff.CredentialAdded]; len(got) != 0 {
		t.Fatalf("changes stored from a lost batch: %q", got)
	}
	h.halt()
	h.run(Options{Collect: ts.collect}, nil)
	h.settle(2)
	h.advance(t0.Add(12*time.Hour), 2)
	got := h.alerts()[snapdiff.CredentialAdded]
	if len(got) != 1 || !strings.Contains(got[0], `"key_id":"k-2"`) {
		t.Errorf("credential added: %q, want k-2 once", got)
	}
}

// TestOneInstanceTakesSnapshots runs two sources on one store: one takes
// the snapshots.
func TestOneInstanceTakesSnapshots(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			dsn := storetest.DSN(t, d)
			a, b := newHarness(t, dsn, clk), newHarness(t, dsn, clk)
			ta := &tenants{snaps: []*snapshot.Snapshot{tenant(nil)}}
			tb := &tenants{snaps: []*snapshot.Snapshot{tenant(nil)}}
			a.run(Options{Collect: ta.collect, Holder: "a"}, nil)
			a.settle(2)
			b.run(Options{Collect: tb.collect, Holder: "b"}, nil)
			b.settle(3)
			a.advance(t0.Add(24*time.Hour), 3)
			if ta.taken.Load() != 5 || tb.taken.Load() != 0 {
				t.Errorf("snapshots taken by a %d and b %d, want 5 and 0", ta.taken.Load(), tb.taken.Load())
			}
		})
	}
}
