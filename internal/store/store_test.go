package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// eachStore runs test against a new store of every dialect.
func eachStore(t *testing.T, test func(t *testing.T, s *Store, c *clock.Fake)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			c := clock.NewFake(t0)
			s, err := Open(t.Context(), storetest.DSN(t, d), Options{Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			test(t, s, c)
		})
	}
}

// testAlert is an alert of rule at the given minute after t0.
func testAlert(rule, row, level string, minute int) alert.Alert {
	return alert.Alert{
		GuideRow: row, RuleID: rule, Title: "Title of " + rule, Level: level,
		Time:     alert.FormatTime(t0.Add(time.Duration(minute) * time.Minute)),
		EventID:  fmt.Sprintf("event-%s-%d", rule, minute),
		TenantID: "tenant-1",
		Actor:    alert.Actor{Type: "user", UPN: "ana@contoso.com"},
		Target:   alert.Target{Type: "Application", AppID: "app-1", Name: "Payroll"},
		Evidence: map[string]any{"activity": "Update application", "n": 1.5, "list": []any{"a", "b"}},
		Attack:   []string{"T1098.001"},
		Source:   alert.Source{Format: "graph", File: "audit.json", Line: minute, Index: minute},
	}
}

// listAlerts returns the alerts f selects.
func listAlerts(t *testing.T, s *Store, f Filter) []alert.Alert {
	t.Helper()
	var out []alert.Alert
	if err := s.Alerts(t.Context(), f, func(a alert.Alert) error {
		out = append(out, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(alerts []alert.Alert) []string {
	out := make([]string, len(alerts))
	for i, a := range alerts {
		out[i] = a.AlertKey
	}
	return out
}

func TestAlertsStoredOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		a := testAlert("cred-added", "credential-added", "high", 5)
		b := testAlert("owner-added", "owner-added", "medium", 1)
		res, err := s.Commit(t.Context(), &Batch{Source: "dir:/logs", Alerts: []Alert{{Key: "k-a", Alert: a}, {Key: "k-b", Alert: b, Status: alert.StatusSuppressed, Change: "role|add"}}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Inserted, []int{0, 1}) {
			t.Errorf("first commit inserted %v, want [0 1]", res.Inserted)
		}
		c.Advance(time.Hour)
		changed := a
		changed.Title = "changed"
		cAlert := testAlert("cred-added", "credential-added", "high", 3)
		res, err = s.Commit(t.Context(), &Batch{Source: "dir:/other", Alerts: []Alert{{Key: "k-c", Alert: cAlert}, {Key: "k-a", Alert: changed}}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Inserted, []int{0}) {
			t.Errorf("second commit inserted %v, want [0] (k-a is stored already)", res.Inserted)
		}
		got := listAlerts(t, s, Filter{})
		if want := []string{"k-b", "k-c", "k-a"}; !slices.Equal(keys(got), want) {
			t.Fatalf("alerts %v, want %v (by activity time)", keys(got), want)
		}
		want := a
		want.AlertKey, want.Status, want.FirstSeen = "k-a", alert.StatusOpen, alert.FormatTime(t0)
		gotJSON, _ := json.Marshal(got[2])
		wantJSON, _ := json.Marshal(want)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("stored alert:\n got %s\nwant %s", gotJSON, wantJSON)
		}
		if got[0].Status != alert.StatusSuppressed || got[1].FirstSeen != alert.FormatTime(t0.Add(time.Hour)) {
			t.Errorf("k-b status %q, k-c first seen %q", got[0].Status, got[1].FirstSeen)
		}
	})
}

func TestAlertFilter(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		batch := &Batch{Source: "dir:/a", Alerts: []Alert{
			{Key: "k1", Alert: testAlert("r1", "credential-added", "high", 0)},
			{Key: "k2", Alert: testAlert("r2", "owner-added", "medium", 10)},
			{Key: "k3", Alert: testAlert("r3", "credential-added", "critical", 20), Status: alert.StatusSuppressed},
			{Key: "k4", Alert: testAlert("r4", "user-consent", "low", 30)},
		}}
		noTime := testAlert("r5", "owner-added", "informational", 0)
		noTime.Time = ""
		if _, err := s.Commit(t.Context(), batch); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Commit(t.Context(), &Batch{Source: "dir:/b", Alerts: []Alert{{Key: "k5", Alert: noTime}}}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    Filter
			want []string
		}{
			{"all", Filter{}, []string{"k5", "k1", "k2", "k3", "k4"}},
			{"since", Filter{Since: t0.Add(10 * time.Minute)}, []string{"k2", "k3", "k4"}},
			{"until", Filter{Until: t0.Add(10 * time.Minute)}, []string{"k1"}},
			{"rows", Filter{Rows: []string{"credential-added", "user-consent"}}, []string{"k1", "k3", "k4"}},
			{"min level", Filter{MinLevel: "high"}, []string{"k1", "k3"}},
			{"status", Filter{Statuses: []string{"open"}}, []string{"k5", "k1", "k2", "k4"}},
			{"source", Filter{Source: "dir:/b"}, []string{"k5"}},
			{"together", Filter{Since: t0, Rows: []string{"credential-added"}, Statuses: []string{"suppressed"}}, []string{"k3"}},
		}
		for _, tc := range cases {
			if got := keys(listAlerts(t, s, tc.f)); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	})
}

func TestPositionsAndCounts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		commit := func(pos ...Position) {
			t.Helper()
			if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Positions: pos, Counts: Counts{Records: 10, Events: 7, Skipped: 2, Rejected: 1}}); err != nil {
				t.Fatal(err)
			}
		}
		commit(Position{Stream: "f1", Value: "100"}, Position{Stream: "f2", Value: "7"})
		c.Advance(time.Hour)
		commit(Position{Stream: "f1", Value: "250"})
		got, err := s.Positions(ctx, "dir:/logs")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"f1": "250", "f2": "7"}; !reflect.DeepEqual(got, want) {
			t.Errorf("positions %v, want %v", got, want)
		}
		if other, _ := s.Positions(ctx, "dir:/other"); len(other) != 0 {
			t.Errorf("another source has positions %v", other)
		}
		p, err := s.Prune(ctx, Prune{Positions: t0.Add(time.Minute)})
		if err != nil || p.Positions != 1 {
			t.Errorf("pruned %d positions (err %v), want f2's", p.Positions, err)
		}
		if got, _ := s.Positions(ctx, "dir:/logs"); !reflect.DeepEqual(got, map[string]string{"f1": "250"}) {
			t.Errorf("positions after pruning: %v", got)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (SourceCounts{Counts: Counts{Records: 20, Events: 14, Skipped: 4, Rejected: 2}}); counts["dir:/logs"] != want {
			t.Errorf("counts %+v, want %+v", counts["dir:/logs"], want)
		}
	})
}

func TestRejectedStoredOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		big := make([]byte, 3*MaxHead)
		for i := range big {
			big[i] = byte(i)
		}
		batch := &Batch{Source: "dir:/logs", Rejected: []Rejected{
			{Stream: "f1", Position: "line 3", Reason: "invalid JSON", Message: "unexpected end", Head: []byte(`{"id":`)},
			{Stream: "f1", Position: "line 9", Reason: "invalid JSON", Message: "binary", Head: big},
		}}
		for range 2 {
			if _, err := s.Commit(t.Context(), batch); err != nil {
				t.Fatal(err)
			}
		}
		var got []RejectedRecord
		if err := s.RejectedRecords(t.Context(), "dir:/logs", func(r RejectedRecord) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d rejected records, want 2", len(got))
		}
		if got[0].Position != "line 3" || string(got[0].Head) != `{"id":` || got[0].Message != "unexpected end" || !got[0].At.Equal(t0) {
			t.Errorf("first rejected record %+v", got[0])
		}
		if !slices.Equal(got[1].Head, big[:MaxHead]) {
			t.Errorf("head of %d bytes kept, want the first %d", len(got[1].Head), MaxHead)
		}
	})
}

func TestSeen(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		if _, err := s.Commit(ctx, &Batch{Source: "graph", Seen: []Seen{{"a", t0.Add(time.Hour)}, {"b", t0.Add(2 * time.Hour)}}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.SeenIDs(ctx, "graph", []string{"a", "b", "c"})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]bool{"a": true, "b": true}; !reflect.DeepEqual(got, want) {
			t.Errorf("seen %v, want %v", got, want)
		}
		c.Advance(90 * time.Minute)
		if got, _ := s.SeenIDs(ctx, "graph", []string{"a", "b"}); !reflect.DeepEqual(got, map[string]bool{"b": true}) {
			t.Errorf("seen after a expired: %v", got)
		}
		if got, _ := s.SeenIDs(ctx, "other", []string{"b"}); len(got) != 0 {
			t.Errorf("another source saw %v", got)
		}
		p, err := s.Prune(ctx, Prune{})
		if err != nil || p.Seen != 1 {
			t.Errorf("prune deleted %d seen ids (err %v), want 1", p.Seen, err)
		}
	})
}

func hit(scope, key string, minute int) Hit {
	return Hit{Scope: scope, Key: key, Corr: "corr-1", Rule: "rule-" + key, Time: t0.Add(time.Duration(minute) * time.Minute),
		Group: []string{"app-1"}, Value: "v-" + key, HasValue: key != "h3", Ref: []byte(`{"ref":"` + key + `"}`)}
}

func TestEvaluate(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		res, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Hits: []Hit{hit("s1", "h2", 5), hit("s1", "h1", 1), hit("s2", "h3", 0)}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Scopes, []string{"s1", "s2"}) {
			t.Errorf("scopes %v, want [s1 s2]", res.Scopes)
		}
		// The same hit again is stored once.
		if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Hits: []Hit{hit("s1", "h1", 1)}}); err != nil {
			t.Fatal(err)
		}
		dirty, err := s.DirtyScopes(ctx, time.Time{}, 10)
		if err != nil || len(dirty) != 2 || dirty[0].Corr != "corr-1" {
			t.Fatalf("dirty scopes %v (err %v), want s1 and s2", dirty, err)
		}
		var seen []Hit
		evs, err := s.Evaluate(ctx, []string{"s1", "gone", "s1"}, func(scope string, hits []Hit, results []Result) (*Evaluation, error) {
			if scope != "s1" {
				t.Errorf("evaluated %s", scope)
			}
			if len(results) != 0 {
				t.Errorf("results %v stored before the first evaluation", results)
			}
			seen = hits
			return &Evaluation{
				Alerts:  []Alert{{Key: "corr-alert", Alert: testAlert("corr-1", "credential-added", "critical", 5)}},
				Done:    []string{"h1"},
				Hits:    []Hit{hit("outer", "o1", 5)},
				Results: []Result{{Key: "corr-alert", Start: t0.Add(time.Minute), End: t0.Add(5 * time.Minute)}},
			}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []Hit{hit("s1", "h1", 1), hit("s1", "h2", 5)}
		for i := range want {
			want[i].Stored = t0
		}
		if !reflect.DeepEqual(seen, want) {
			t.Errorf("evaluate saw\n %+v\nwant\n %+v", seen, want)
		}
		if len(evs) != 1 || evs[0].Scope != "s1" || !slices.Equal(evs[0].Inserted, []int{0}) {
			t.Errorf("evaluated %+v, want s1 with its alert inserted", evs)
		}
		dirty, _ = s.DirtyScopes(ctx, time.Time{}, 10)
		if got := scopeNames(dirty); !slices.Equal(got, []string{"s2", "outer"}) {
			t.Errorf("dirty after evaluating s1: %v, want s2 and outer", got)
		}
		// An evaluation that fails stores nothing, for any scope.
		boom := errors.New("boom")
		if _, err := s.Evaluate(ctx, []string{"s1", "s2"}, func(scope string, _ []Hit, _ []Result) (*Evaluation, error) {
			if scope == "s2" {
				return nil, boom
			}
			return &Evaluation{Done: []string{"h2"}}, nil
		}); !errors.Is(err, boom) {
			t.Errorf("err %v, want boom", err)
		}
		// Evaluating the last hit away deletes the scope, but not its
		// results.
		if _, err := s.Evaluate(ctx, []string{"s1"}, func(_ string, hits []Hit, results []Result) (*Evaluation, error) {
			if len(hits) != 1 || hits[0].Key != "h2" {
				t.Errorf("second evaluation saw %+v, want h2 only", hits)
			}
			want := []Result{{Key: "corr-alert", Start: t0.Add(time.Minute), End: t0.Add(5 * time.Minute)}}
			if !reflect.DeepEqual(results, want) {
				t.Errorf("second evaluation saw results %+v, want %+v", results, want)
			}
			return &Evaluation{Done: []string{"h2"}, Results: []Result{
				{Key: "corr-alert", Start: t0, End: t0.Add(5 * time.Minute)},
				{Key: "other", Start: t0.Add(-time.Hour), End: t0.Add(-time.Hour)},
			}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if evs, err := s.Evaluate(ctx, []string{"s1"}, func(string, []Hit, []Result) (*Evaluation, error) { return &Evaluation{}, nil }); err != nil || len(evs) != 0 {
			t.Errorf("evaluating a deleted scope: %v %v, want nothing", evs, err)
		}
		if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Hits: []Hit{hit("s1", "h4", 3)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Evaluate(ctx, []string{"s1"}, func(_ string, _ []Hit, results []Result) (*Evaluation, error) {
			want := []Result{{Key: "other", Start: t0.Add(-time.Hour), End: t0.Add(-time.Hour)}, {Key: "corr-alert", Start: t0, End: t0.Add(5 * time.Minute)}}
			if !reflect.DeepEqual(results, want) {
				t.Errorf("results of a scope created again %+v, want %+v, by start", results, want)
			}
			return &Evaluation{Done: []string{"h4"}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Hour)
		if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Hits: []Hit{hit("s3", "h5", 0)}}); err != nil {
			t.Fatal(err)
		}
		before, err := s.ScopesBefore(ctx, t0.Add(time.Minute), t0.Add(time.Minute), 10)
		if err != nil || !slices.Equal(scopeNames(before), []string{"s2"}) {
			t.Errorf("scopes with hits before minute 1 stored before minute 1: %v (err %v), want s2", before, err)
		}
		if dirty, _ := s.DirtyScopes(ctx, t0.Add(time.Minute), 10); !slices.Equal(scopeNames(dirty), []string{"s2", "outer"}) {
			t.Errorf("scopes dirty since before minute 1: %v, want s2 and outer", scopeNames(dirty))
		}
		if got := keys(listAlerts(t, s, Filter{Source: "correlation"})); !slices.Equal(got, []string{"corr-alert"}) {
			t.Errorf("correlation alerts %v", got)
		}
	})
}

func scopeNames(scopes []Scope) []string {
	var out []string
	for _, s := range scopes {
		out = append(out, s.Scope)
	}
	return out
}

func TestLease(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		take := func(holder string, want bool) {
			t.Helper()
			got, err := s.Lease(ctx, "graph", holder, time.Minute)
			if err != nil || got != want {
				t.Errorf("%s takes the lease: %v (err %v), want %v", holder, got, err, want)
			}
		}
		take("a", true)
		take("b", false)
		c.Advance(50 * time.Second)
		take("a", true) // renewed until 1m50s
		c.Advance(50 * time.Second)
		take("b", false)
		c.Advance(11 * time.Second)
		take("b", true)
		take("a", false)
		if err := s.Release(ctx, "graph", "a"); err != nil {
			t.Fatal(err)
		}
		take("a", false) // a's release did not drop b's lease
		if err := s.Release(ctx, "graph", "b"); err != nil {
			t.Fatal(err)
		}
		take("a", true)
	})
}

func TestPrune(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		old := &Batch{Source: "dir:/a",
			Alerts:   []Alert{{Key: "old", Alert: testAlert("r", "owner-added", "low", 0)}},
			Rejected: []Rejected{{Stream: "f", Position: "1", Reason: "invalid JSON"}},
			Hits:     []Hit{hit("s1", "h1", 0)},
		}
		if _, err := s.Commit(ctx, old); err != nil {
			t.Fatal(err)
		}
		c.Advance(24 * time.Hour)
		fresh := &Batch{Source: "dir:/a",
			Alerts: []Alert{{Key: "new", Alert: testAlert("r", "owner-added", "low", 60*24)}},
			Hits:   []Hit{hit("s2", "h2", 60*24)},
		}
		if _, err := s.Commit(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Evaluate(ctx, []string{"s2"}, func(string, []Hit, []Result) (*Evaluation, error) {
			return &Evaluation{Results: []Result{{Key: "r-old", Start: t0, End: t0}, {Key: "r-new", Start: t0, End: t0.Add(24 * time.Hour)}}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		p, err := s.Prune(ctx, Prune{Alerts: t0.Add(time.Hour), Rejected: t0.Add(time.Hour), Hits: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if p != (Pruned{Alerts: 1, Rejected: 1, Hits: 1, Results: 1}) {
			t.Errorf("pruned %+v", p)
		}
		if got := keys(listAlerts(t, s, Filter{})); !slices.Equal(got, []string{"new"}) {
			t.Errorf("alerts after pruning %v, want [new]", got)
		}
		// s1 lost its last hit but is still dirty: it stays until evaluated.
		if dirty, _ := s.DirtyScopes(ctx, time.Time{}, 10); !slices.Equal(scopeNames(dirty), []string{"s1"}) {
			t.Errorf("dirty scopes after pruning: %v, want s1", scopeNames(dirty))
		}
	})
}

// TestConcurrentCommits commits overlapping batches from several
// goroutines and expects every key stored once.
func TestConcurrentCommits(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		const writers, batches, perBatch = 4, 10, 20
		var mu sync.Mutex
		inserted := 0
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range batches {
					batch := &Batch{Source: fmt.Sprint("w", w)}
					for i := range perBatch {
						// Writers share keys, in different orders.
						k := (b*perBatch + i*(w+1)) % (batches * perBatch)
						batch.Alerts = append(batch.Alerts, Alert{Key: fmt.Sprint("k", k), Alert: testAlert("r", "owner-added", "low", k)})
						batch.Hits = append(batch.Hits, hit(fmt.Sprint("s", k%7), fmt.Sprint("h", k), k))
					}
					res, err := s.Commit(context.WithoutCancel(t.Context()), batch)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					inserted += len(res.Inserted)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got := listAlerts(t, s, Filter{})
		unique := map[string]bool{}
		for _, a := range got {
			unique[a.AlertKey] = true
		}
		if len(got) != len(unique) || len(got) != inserted {
			t.Errorf("%d alerts stored, %d keys, %d reported inserted; want them equal", len(got), len(unique), inserted)
		}
	})
}

func TestMigrations(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			// Several processes may start at once on one database.
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := Open(t.Context(), dsn, Options{})
					if err == nil {
						s.Close()
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			s, err := Open(t.Context(), dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			all, _ := steps(s.Dialect())
			var n int
			if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(all) {
				t.Errorf("%d migrations recorded (err %v), want %d", n, err, len(all))
			}
			if _, err := s.db.Exec(s.q("INSERT INTO schema_migrations (version, name, applied_ns) VALUES (?, 'future', 0)"), 999); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(t.Context(), dsn, Options{}); err == nil {
				t.Error("a store with a newer schema opened")
			}
		})
	}
}

// TestOpenWhileOthersOpen opens new SQLite files from several stores
// started at the same instant, as appwatch watch creating its store while
// appwatch alerts opens it does. Without retrying, about one round in
// forty fails with SQLITE_BUSY, which busy_timeout does not cover while a
// new file is switched to WAL.
func TestOpenWhileOthersOpen(t *testing.T) {
	dir := t.TempDir()
	for round := range 100 {
		dsn := fmt.Sprintf("sqlite:%s/round%d.db", dir, round)
		start := make(chan struct{})
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s, err := Open(t.Context(), dsn, Options{})
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// TestMigrationBelowApplied applies a step numbered below one already
// applied, as when a store was created by a build that had a later step
// but not yet an earlier one.
func TestMigrationBelowApplied(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		all, err := steps(s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		later := step{version: 900, name: "900_later.sql", sql: "CREATE TABLE later_probe (x INTEGER)"}
		earlier := step{version: 899, name: "899_earlier.sql", sql: "CREATE TABLE earlier_probe (x INTEGER)"}
		if err := s.applySteps(t.Context(), append(slices.Clone(all), later)); err != nil {
			t.Fatal(err)
		}
		if err := s.applySteps(t.Context(), append(slices.Clone(all), earlier, later)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(t.Context(), "INSERT INTO earlier_probe (x) VALUES (1)"); err != nil {
			t.Errorf("the earlier step was not applied: %v", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "sqlite:", "sqlite:a?b"} {
		if _, err := Open(t.Context(), dsn, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
	if _, err := Open(t.Context(), "sqlite:"+t.TempDir()+"/none.db", Options{MustExist: true}); err == nil {
		t.Error("MustExist opened a missing file")
	}
	if got := redact("postgres://ana:secret@db:5432/x"); got != "postgres://ana:xxxxx@db:5432/x" {
		t.Errorf("redact = %s", got)
	}
}

// TestSeenMany asks about more ids than one query holds.
func TestSeenMany(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		var seen []Seen
		var ids []string
		for i := range 2*seenChunk + 7 {
			id := fmt.Sprintf("rec-%04d", i)
			ids = append(ids, id)
			if i%3 == 0 {
				seen = append(seen, Seen{id, t0.Add(time.Hour)})
			}
		}
		if _, err := s.Commit(ctx, &Batch{Source: "graph", Seen: seen}); err != nil {
			t.Fatal(err)
		}
		got, err := s.SeenIDs(ctx, "graph", ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(seen) {
			t.Fatalf("%d ids seen, want %d", len(got), len(seen))
		}
		for _, r := range seen {
			if !got[r.ID] {
				t.Errorf("%s not seen", r.ID)
			}
		}
	})
}

// TestStatusesAndSnapshot resolves and reopens alerts and keeps the
// latest snapshot of a source, in the batch's transaction, never an
// older one in its place.
func TestStatusesAndSnapshot(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		if snap, err := s.Snapshot(ctx, "posture"); err != nil || snap != nil {
			t.Fatalf("snapshot of a new store: %v, %v", snap, err)
		}
		b := &Batch{Source: "posture", Alerts: []Alert{
			{Key: "open", Alert: testAlert("r1", "credential-lifetime", "medium", 1)},
			{Key: "acked", Alert: testAlert("r1", "credential-lifetime", "medium", 2)},
			{Key: "suppressed", Status: alert.StatusSuppressed, Alert: testAlert("r1", "credential-lifetime", "medium", 3)},
		}, Snapshot: &Snapshot{Taken: t0, Body: []byte("first")}}
		if _, err := s.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, "UPDATE alerts SET status = 'acknowledged' WHERE alert_key = 'acked'"); err != nil {
			t.Fatal(err)
		}
		statuses := func() map[string]string {
			out := map[string]string{}
			for _, a := range listAlerts(t, s, Filter{Source: "posture"}) {
				out[a.AlertKey] = a.Status
			}
			return out
		}
		_, err := s.Commit(ctx, &Batch{Source: "posture", Resolve: []string{"open", "acked", "suppressed", "missing", "open"},
			Snapshot: &Snapshot{Taken: t0.Add(6 * time.Hour), Body: []byte("second")}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"open": "resolved", "acked": "resolved", "suppressed": "suppressed"}
		if got := statuses(); !reflect.DeepEqual(got, want) {
			t.Errorf("after resolving: %v, want %v", got, want)
		}
		if _, err := s.Commit(ctx, &Batch{Source: "posture", Reopen: []string{"open", "suppressed"}}); err != nil {
			t.Fatal(err)
		}
		want["open"] = "open"
		if got := statuses(); !reflect.DeepEqual(got, want) {
			t.Errorf("after reopening: %v, want %v", got, want)
		}
		// A snapshot taken before the one stored, committed late by an
		// instance that lost its lease, does not replace it.
		if _, err := s.Commit(ctx, &Batch{Source: "posture", Snapshot: &Snapshot{Taken: t0.Add(time.Hour), Body: []byte("stale")}}); err != nil {
			t.Fatal(err)
		}
		snap, err := s.Snapshot(ctx, "posture")
		if err != nil || snap == nil || string(snap.Body) != "second" || !snap.Taken.Equal(t0.Add(6*time.Hour)) {
			t.Errorf("snapshot %+v (err %v), want the second", snap, err)
		}
		if snap, _ := s.Snapshot(ctx, "other"); snap != nil {
			t.Errorf("another source's snapshot: %+v", snap)
		}
	})
}

func TestAlertCopies(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		// change returns an alert of the change ch at minute, for the
		// record named key; within 0 means copies at any time.
		change := func(key, ch string, minute int, within time.Duration) Alert {
			return Alert{Key: key, Alert: testAlert("role-added", "sp-role-assigned", "high", minute), Change: ch, Within: within}
		}
		const w = 10 * time.Minute
		res, err := s.Commit(ctx, &Batch{Source: "kafka://a", Alerts: []Alert{
			change("completion", "pim-1", 0, w),
			change("request", "pim-1", 1, w), // a copy of the one before it in the batch
			change("later", "pim-1", 30, w),  // the same change logged again half an hour on
			change("other", "pim-2", 0, w),   // another change
			change("twin-a", "same-1", 0, 0), // copies at any time
			change("plain", "", 0, 0),        // no change: stored once per key only
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Inserted, []int{0, 2, 3, 4, 5}) || !slices.Equal(res.Copies, []int{1}) {
			t.Errorf("first batch inserted %v, copies %v; want [0 2 3 4 5] and [1]", res.Inserted, res.Copies)
		}
		c.Advance(time.Hour)
		res, err = s.Commit(ctx, &Batch{Source: "kafka://b", Alerts: []Alert{
			change("directory", "pim-1", -9, w), // within ten minutes of completion
			change("completion", "pim-1", 0, w), // read again: stored already, not a copy
			change("twin-b", "same-1", 600, 0),
			change("near", "pim-1", 38, w), // within ten minutes of later
			change("alone", "pim-1", 90, w),
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Inserted, []int{4}) || !slices.Equal(res.Copies, []int{0, 2, 3}) {
			t.Errorf("second batch inserted %v, copies %v; want [4] and [0 2 3]", res.Inserted, res.Copies)
		}
		got := keys(listAlerts(t, s, Filter{}))
		slices.Sort(got)
		if want := []string{"alone", "completion", "later", "other", "plain", "twin-a"}; !slices.Equal(got, want) {
			t.Errorf("stored %v, want %v", got, want)
		}
	})
}

// TestCopiesNotDelivered stores alerts routed to a sink: deliveries are
// written for the alerts stored, never for copies nor for alerts read
// again.
func TestCopiesNotDelivered(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		routed := func(key, ch string, minute int, within time.Duration) Alert {
			return Alert{Key: key, Alert: testAlert("role-added", "sp-role-assigned", "high", minute), Change: ch, Within: within,
				Routes: []Route{{Sink: "hook"}}}
		}
		const w = 10 * time.Minute
		batches := [][]Alert{
			{routed("first", "pim-1", 0, w), routed("copy", "pim-1", 1, w), routed("twin-a", "same-1", 0, 0)},
			{routed("first", "pim-1", 0, w), routed("late-copy", "pim-1", 5, w), routed("twin-b", "same-1", 60, 0)},
		}
		for _, b := range batches {
			if _, err := s.Commit(ctx, &Batch{Source: "kafka://a", Alerts: b}); err != nil {
				t.Fatal(err)
			}
			c.Advance(time.Minute)
		}
		var got []string
		err := s.Deliveries(ctx, DeliveryFilter{}, func(d Delivery) error {
			got = append(got, d.AlertKey)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if want := []string{"first", "twin-a"}; !slices.Equal(got, want) {
			t.Errorf("deliveries of %v, want %v", got, want)
		}
	})
}

// TestAlertCopiesConcurrent stores the records of one change from
// several goroutines at once, as instances reading several partitions
// do: one alert is stored.
func TestAlertCopiesConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		const rounds, writers = 20, 4
		for r := range rounds {
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					a := Alert{Key: fmt.Sprintf("r%d-w%d", r, w), Alert: testAlert("role-added", "sp-role-assigned", "high", w),
						Change: fmt.Sprint("change-", r), Within: 10 * time.Minute}
					// Other alerts in the batch, in another order in each.
					batch := &Batch{Source: fmt.Sprint("w", w), Alerts: []Alert{a}}
					for i := range 3 {
						k := (i + w) % 3
						batch.Alerts = append(batch.Alerts, Alert{Key: fmt.Sprintf("r%d-x%d", r, k), Alert: testAlert("r", "owner-added", "low", k)})
					}
					if _, err := s.Commit(context.WithoutCancel(t.Context()), batch); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
		}
		perChange := map[string]int{}
		for _, a := range listAlerts(t, s, Filter{Rows: []string{"sp-role-assigned"}}) {
			round, _, _ := strings.Cut(a.AlertKey, "-")
			perChange[round]++
		}
		for r := range rounds {
			if n := perChange[fmt.Sprint("r", r)]; n != 1 {
				t.Errorf("round %d: %d alerts of one change stored, want 1", r, n)
			}
		}
	})
}

func TestCheckedPositions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		commit := func(key string, pos ...Position) *Committed {
			t.Helper()
			res, err := s.Commit(ctx, &Batch{Source: "kafka://t", Positions: pos, Counts: Counts{Records: 5, Events: 5},
				Alerts: []Alert{{Key: key, Alert: testAlert("r", "owner-added", "low", 0)}}})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		at := func(stream, from, to string) Position {
			return Position{Stream: stream, From: from, Value: to, Check: true}
		}
		if res := commit("a", at("0", "", "10"), at("1", "", "4")); res.Stale {
			t.Fatal("the first batch is stale")
		}
		if res := commit("b", at("0", "10", "20")); res.Stale {
			t.Fatal("the batch after it is stale")
		}
		// Another member read partition 0 from 10 too, and partition 1
		// from 4: its batch is not stored at all.
		if res := commit("c", at("0", "10", "15"), at("1", "4", "9")); !res.Stale || len(res.Inserted) != 0 {
			t.Errorf("a batch read from a position moved on: %+v, want stale", res)
		}
		// A stream with no stored position must still have none.
		if res := commit("d", at("1", "", "3")); !res.Stale {
			t.Error("a batch read from no position was stored over one")
		}
		// Unchecked positions are written whatever was stored.
		if res := commit("e", Position{Stream: "1", Value: "2"}); res.Stale {
			t.Error("an unchecked position was refused")
		}
		got, _ := s.Positions(ctx, "kafka://t")
		if want := map[string]string{"0": "20", "1": "2"}; !reflect.DeepEqual(got, want) {
			t.Errorf("positions %v, want %v", got, want)
		}
		counts, _ := s.Counts(ctx)
		if n := counts["kafka://t"].Records; n != 15 {
			t.Errorf("%d records counted, want 15: the stale batches' are not", n)
		}
		if got := keys(listAlerts(t, s, Filter{})); !slices.Equal(got, []string{"a", "b", "e"}) {
			t.Errorf("alerts %v, want those of the batches stored", got)
		}
		// Two members storing batches read from one position at once:
		// one is stored.
		var wg sync.WaitGroup
		var stored atomic.Int32
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.Commit(context.WithoutCancel(ctx), &Batch{Source: "kafka://t", Positions: []Position{at("0", "20", fmt.Sprint(30+i))}})
				if err != nil {
					t.Error(err)
				} else if !res.Stale {
					stored.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := stored.Load(); n != 1 {
			t.Errorf("%d of the batches read from one position stored, want 1", n)
		}
	})
}

// TestOneAlertPerChange inserts two alerts of one change whose alerts
// are copies at any time straight into the table, as a process that
// decided wrongly would: the store keeps the first, by its unique key.
// Alerts of a change with a window may be stored more than once.
func TestOneAlertPerChange(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		insert := func(key, change string, within time.Duration) int64 {
			t.Helper()
			r, err := s.db.ExecContext(t.Context(), s.q(`INSERT INTO alerts
				(alert_key, rule_id, guide_row, level, level_rank, time_ns, tenant_id, app_id, actor_id, status, first_seen_ns, source, change_key, change_ns, change_within_ns, body)
				VALUES (?, 'r', 'g', 'high', 3, 0, '', '', '', 'open', 0, 'test', ?, 0, ?, '{}') ON CONFLICT DO NOTHING`), key, change, int64(within))
			if err != nil {
				t.Fatal(err)
			}
			n, err := r.RowsAffected()
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := []int64{insert("a", "same-1", 0), insert("b", "same-1", 0), insert("c", "copy-1", time.Minute), insert("d", "copy-1", time.Minute)}; !slices.Equal(got, []int64{1, 0, 1, 1}) {
			t.Errorf("rows inserted %v, want 1 0 1 1", got)
		}
	})
}
