package graphpoll

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// newSource returns a source of the fake server signed in with token.
func newSource(t *testing.T, g *fakeGraph, clk clock.Clock, token string, opts Options, waits *[]graph.Wait) *Source {
	t.Helper()
	v1, beta := g.clients(t, token, waits)
	opts.Clock = clk
	if opts.Logger == nil {
		opts.Logger = testLogger()
	}
	if opts.Tenant == "" {
		opts.Tenant = testTenant
	}
	src, err := New(v1, beta, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// ids returns n record ids with a prefix.
func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return out
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestPagingAndThrottling reads 2,500 audit records in pages of 999
// through two 429 answers, and hands each on once, with the cursor
// moved to the newest record by the last batch.
func TestPagingAndThrottling(t *testing.T) {
	clk := clock.NewFake(t0)
	g := newFakeGraph(t, clk)
	var want []string
	for i, id := range ids("audit", 2500) {
		at := t0.Add(-30*time.Minute + time.Duration(i)*time.Second/2)
		g.add(audit(t, id, at, at))
		want = append(want, id)
	}
	g.setThrottle(2)
	var waits []graph.Wait
	st := openStore(t, storetest.SQLite(t), clk)
	src := newSource(t, g, clk, "token-a", Options{Streams: []string{"directoryAudits"}}, &waits)
	r := run(t, src, st, st, nil)
	settle(t, clk, 2)
	if got := r.stored(); !slices.Equal(sorted(got), want) {
		t.Fatalf("stored %d events, want %d once each", len(got), len(want))
	}
	var pages, throttled int
	for _, req := range g.served() {
		switch req.status {
		case http.StatusOK:
			pages++
		case http.StatusTooManyRequests:
			throttled++
		}
	}
	if pages != 3 || throttled != 2 {
		t.Errorf("%d pages and %d throttled requests, want 3 and 2", pages, throttled)
	}
	if len(waits) != 2 || waits[0].RetryAfter != time.Second || waits[0].Status != http.StatusTooManyRequests {
		t.Errorf("waits %v, want two of the Retry-After Graph asked for", waits)
	}
	pos, err := st.Positions(t.Context(), Name)
	if err != nil {
		t.Fatal(err)
	}
	newest := t0.Add(-30*time.Minute + 2499*time.Second/2)
	if got := pos[src.opts.Tenant+"/directoryAudits"]; got != newest.Format(time.RFC3339Nano) {
		t.Errorf("cursor %q, want the newest record's time %s", got, newest.Format(time.RFC3339Nano))
	}
	counts, _ := st.Counts(t.Context())
	if c := counts[Name]; c.Records != 2500 || c.Events != 2500 {
		t.Errorf("counts %+v, want 2500 records and events", c)
	}
}

// TestLateRecords polls every minute for an hour while records come in
// twenty minutes after their activity time, some of them later still
// than the others, and expects each one handed on once, in the stream of
// its sign-in event type, however often the overlap window reads it.
func TestLateRecords(t *testing.T) {
	tests := []struct {
		name    string
		overlap time.Duration
		// late is the delay of the odd records; the even ones come after
		// lag.
		lag, late time.Duration
	}{
		{"every record 20 minutes late, default overlap", 0, 20 * time.Minute, 20 * time.Minute},
		{"one record in two 20 minutes later than the others", 25 * time.Minute, time.Minute, 21 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewFake(t0)
			g := newFakeGraph(t, clk)
			var want []string
			for i := range 60 {
				at := t0.Add(time.Duration(i) * time.Minute)
				delay := tt.lag
				if i%2 == 1 {
					delay = tt.late
				}
				a := audit(t, fmt.Sprintf("audit-%02d", i), at, at.Add(delay))
				s := signIn(t, signInEventTypes[i%4], fmt.Sprintf("signin-%02d", i), at.Add(time.Second), at.Add(delay))
				g.add(a, s)
				if at.Add(delay).Before(t0.Add(90 * time.Minute)) {
					want = append(want, a.id, s.id)
				}
			}
			st := openStore(t, storetest.SQLite(t), clk)
			src := newSource(t, g, clk, "token-a", Options{Overlap: tt.overlap}, nil)
			r := run(t, src, st, st, nil)
			settle(t, clk, 2)
			advance(t, clk, t0.Add(90*time.Minute), 2)
			got := r.stored()
			if !slices.Equal(sorted(got), sorted(want)) {
				t.Fatalf("stored %d events, want %d once each\nmissing or extra: %v", len(got), len(want), diff(got, want))
			}
			// Every sign-in was asked for in the stream of its type.
			for _, req := range g.served() {
				if req.stream != "directoryAudits" && !strings.Contains(req.filter, "'"+req.stream+"'") {
					t.Errorf("request for %s with filter %q", req.stream, req.filter)
				}
			}
			pos, _ := st.Positions(t.Context(), Name)
			if len(pos) != 5 {
				t.Errorf("positions %v, want one per stream", pos)
			}
		})
	}
}

// diff lists what is in one list and not the other.
func diff(got, want []string) []string {
	var out []string
	for _, g := range got {
		if !slices.Contains(want, g) {
			out = append(out, "+"+g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			out = append(out, "-"+w)
		}
	}
	if len(out) == 0 && len(got) != len(want) {
		out = append(out, "duplicates")
	}
	return out
}

// TestSeenAcrossRestarts restarts the source (a new process, nothing in
// memory) after its records were stored: reading the overlap window again
// hands nothing on. Records whose batch was lost before it was stored are
// read again and handed on once.
func TestSeenAcrossRestarts(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			g := newFakeGraph(t, clk)
			first := ids("first", 30)
			for i, id := range first {
				at := t0.Add(-time.Duration(i) * time.Minute / 2)
				g.add(audit(t, id, at, at))
			}
			st := openStore(t, storetest.DSN(t, d), clk)
			opts := Options{Streams: []string{"directoryAudits"}, PageSize: 10}
			r := run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, nil)
			settle(t, clk, 2)
			if got := r.stored(); !slices.Equal(sorted(got), first) {
				t.Fatalf("first run stored %v", got)
			}
			r.wait()

			// Restarted: the overlap holds the 30 records, all seen.
			r = run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, nil)
			settle(t, clk, 2)
			if got := r.stored(); len(got) != 0 {
				t.Fatalf("after a restart, stored %v again", got)
			}
			// New records come; the process dies after storing the first
			// batch that holds any: the batches after it are lost.
			second := ids("second", 25)
			for i, id := range second {
				at := t0.Add(time.Duration(i+1) * time.Second)
				g.add(audit(t, id, at, t0.Add(time.Minute)))
			}
			lost, dead := 0, false
			r.wait()
			r = run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, func(b *feed.Batch) bool {
				if dead {
					lost += len(b.Events)
					return true
				}
				dead = len(b.Events) > 0 // stored, then the process dies
				return false
			})
			settle(t, clk, 2)
			advance(t, clk, t0.Add(time.Minute), 2)
			kept := r.stored()
			if lost == 0 || len(kept)+lost != len(second) {
				t.Fatalf("stored %d and lost %d of %d", len(kept), lost, len(second))
			}
			r.wait()
			r = run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, nil)
			settle(t, clk, 2)
			again := r.stored()
			if len(again) != lost || !slices.Equal(sorted(append(kept, again...)), second) {
				t.Fatalf("after the loss, stored %v again; want the %d lost", again, lost)
			}
		})
	}
}

// TestEmptyStreamKeepsItsPlace stops the source while its stream is
// still empty and starts it again three hours later: a record written
// while it was stopped, older than the backfill counted from the
// restart, is read all the same, from the cursor stored at the first
// poll.
func TestEmptyStreamKeepsItsPlace(t *testing.T) {
	clk := clock.NewFake(t0)
	g := newFakeGraph(t, clk)
	st := openStore(t, storetest.SQLite(t), clk)
	opts := Options{Streams: []string{"directoryAudits"}}
	r := run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, nil)
	settle(t, clk, 2)
	r.stored() // every batch handed on is stored
	r.wait()
	pos, _ := st.Positions(t.Context(), Name)
	if got, want := pos[testTenant+"/directoryAudits"], t0.Add(-DefaultBackfill).Format(time.RFC3339Nano); got != want {
		t.Fatalf("cursor of the empty stream %q, want the backfill's start %s", got, want)
	}
	at := t0.Add(time.Hour)
	g.add(audit(t, "while-stopped", at, at))
	clk.Set(t0.Add(3 * time.Hour))
	r = run(t, newSource(t, g, clk, "token-a", opts, nil), st, st, nil)
	settle(t, clk, 2)
	if got := r.stored(); !slices.Equal(got, []string{"while-stopped"}) {
		t.Errorf("after the restart, stored %v; want the record written while stopped", got)
	}
}

// TestOneInstancePolls runs two sources on one store: only the holder of
// the lease asks Graph for anything; killed, it keeps the lease until it
// expires, and the other takes over from the stored cursors, handing on
// only the records the first did not.
func TestOneInstancePolls(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			clk := clock.NewFake(t0)
			g := newFakeGraph(t, clk)
			for i, id := range ids("early", 10) {
				at := t0.Add(-time.Duration(i) * time.Minute)
				g.add(audit(t, id, at, at))
			}
			dsn := storetest.DSN(t, d)
			stA, stB := openStore(t, dsn, clk), openStore(t, dsn, clk)
			opts := Options{Streams: []string{"directoryAudits"}, LeaseTTL: 90 * time.Second}
			optsA, optsB := opts, opts
			optsA.Holder, optsB.Holder = "a", "b"
			a := run(t, newSource(t, g, clk, "token-a", optsA, nil), killed{stA}, stA, nil)
			settle(t, clk, 2)
			b := run(t, newSource(t, g, clk, "token-b", optsB, nil), stB, stB, nil)
			settle(t, clk, 3)
			for i, id := range ids("later", 5) {
				at := t0.Add(time.Duration(i+1) * time.Minute)
				g.add(audit(t, id, at, at))
			}
			advance(t, clk, t0.Add(5*time.Minute), 3)
			if got := len(a.stored()); got != 15 {
				t.Errorf("a stored %d events, want 15", got)
			}
			byToken := func() map[string]int {
				n := map[string]int{}
				for _, req := range g.served() {
					n[req.token]++
				}
				return n
			}
			if n := byToken(); n["token-b"] != 0 || n["token-a"] == 0 {
				t.Fatalf("requests by token %v: b polled while a held the lease", n)
			}
			killedAt := clk.Now()
			a.wait() // killed: it does not give the lease up
			for i, id := range ids("after", 3) {
				at := killedAt.Add(time.Duration(i+1) * time.Minute)
				g.add(audit(t, id, at, at))
			}
			settle(t, clk, 1)
			advance(t, clk, killedAt.Add(60*time.Second), 1)
			if n := byToken(); n["token-b"] != 0 {
				t.Fatalf("b polled %d times before a's lease expired", n["token-b"])
			}
			advance(t, clk, killedAt.Add(5*time.Minute), 2)
			if n := byToken(); n["token-b"] == 0 {
				t.Fatal("b never took over")
			}
			if got := b.stored(); !slices.Equal(sorted(got), ids("after", 3)) {
				t.Errorf("b stored %v, want only the records a had not", got)
			}
		})
	}
}

// killed is a store whose holder never gives its lease up, as a process
// killed with SIGKILL does not.
type killed struct{ *store.Store }

func (killed) Release(context.Context, string, string) error { return nil }

// TestRefusedStream polls a tenant whose sign-in logs Graph refuses: the
// directory audits are still read, and the refusal is logged once, with
// the permission to grant, however often the stream is asked again; once
// Graph answers it, a new refusal is logged again.
func TestRefusedStream(t *testing.T) {
	clk := clock.NewFake(t0)
	g := newFakeGraph(t, clk)
	g.setRefuse("nonInteractiveUser")
	g.add(audit(t, "audit-1", t0.Add(-time.Minute), t0), signIn(t, "servicePrincipal", "signin-1", t0.Add(-time.Minute), t0))
	st := openStore(t, storetest.SQLite(t), clk)
	logs := &logRecorder{}
	r := run(t, newSource(t, g, clk, "token-a", Options{Logger: logs.logger()}, nil), st, st, nil)
	settle(t, clk, 2)
	advance(t, clk, t0.Add(5*time.Minute), 2)
	if got := sorted(r.stored()); !slices.Equal(got, []string{"audit-1", "signin-1"}) {
		t.Errorf("stored %v, want the audit and the sign-in of the streams Graph answers", got)
	}
	if n := refusedRequests(g, http.StatusForbidden); n < 5 {
		t.Errorf("the refused stream was asked %d times in 5 polls", n)
	}
	refused := logs.find("Graph refuses the stream")
	if len(refused) != 1 || refused[0]["grant"] != "AuditLog.Read.All" || refused[0]["stream"] != testTenant+"/signIns/nonInteractiveUser" {
		t.Fatalf("refusals logged: %v; want one, naming the stream and AuditLog.Read.All", refused)
	}

	g.setRefuse("")
	advance(t, clk, t0.Add(7*time.Minute), 2)
	if again := logs.find("Graph answers the stream again"); len(again) != 1 {
		t.Errorf("logged %v, want the stream answered again once", again)
	}
	g.setRefuse("nonInteractiveUser")
	advance(t, clk, t0.Add(10*time.Minute), 2)
	if n := len(logs.find("Graph refuses the stream")); n != 2 {
		t.Errorf("refusals logged %d times, want a second time once refused again", n)
	}
}

// TestRevokedToken polls with a token Graph does not accept: each of
// the five streams is refused at every poll, and that is logged once.
func TestRevokedToken(t *testing.T) {
	clk := clock.NewFake(t0)
	g := newFakeGraph(t, clk)
	g.revoked = "token-revoked"
	st := openStore(t, storetest.SQLite(t), clk)
	logs := &logRecorder{}
	run(t, newSource(t, g, clk, "token-revoked", Options{Logger: logs.logger()}, nil), st, st, nil)
	settle(t, clk, 2)
	advance(t, clk, t0.Add(3*time.Minute), 2)
	if n := refusedRequests(g, http.StatusUnauthorized); n < 15 {
		t.Errorf("%d requests refused in 3 polls of 5 streams", n)
	}
	refused := logs.find("Graph refuses the stream")
	if len(refused) != 1 || !strings.Contains(fmt.Sprint(refused[0]["error"]), "check the tenant, the client id, the credential") {
		t.Errorf("refusals logged: %v; want one saying what to check", refused)
	}
	if failed := logs.find("polling a stream failed; trying again at the next poll"); len(failed) != 0 {
		t.Errorf("refusals logged as failures at each poll: %v", failed)
	}
}

// testTenant is the tenant newSource gives a source.
const testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// refusedRequests counts the requests g answered with status.
func refusedRequests(g *fakeGraph, status int) int {
	n := 0
	for _, req := range g.served() {
		if req.status == status {
			n++
		}
	}
	return n
}

// logRecorder keeps the records logged through its logger.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logRecorder) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// find returns the records logged with a message starting with msg.
func (l *logRecorder) find(msg string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(l.buf.Bytes(), []byte("\n")) {
		var rec map[string]any
		if json.Unmarshal(line, &rec) == nil && strings.HasPrefix(fmt.Sprint(rec["msg"]), msg) {
			out = append(out, rec)
		}
	}
	return out
}

func TestNewChecksOptions(t *testing.T) {
	for _, opts := range []Options{
		{SeenFor: 10 * time.Minute},
		{Overlap: -time.Minute},
		{Streams: []string{"signIns/everything"}},
	} {
		if _, err := New(nil, nil, opts); err == nil {
			t.Errorf("New(%+v) did not fail", opts)
		}
	}
}
