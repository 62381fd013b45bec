package store

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store/storetest"
)

// TestAlertKeyRace stores the same alert from two stores opened on one
// database, as two instances sharing a store do, at the same time: the
// first instance's transaction, having inserted the alert, is held open
// until the second's is seen waiting on it, in the database (PostgreSQL:
// on the row lock of the key, or on the lock of the change; SQLite: on
// the write lock). Whichever way the second insert is stopped, one
// alert is stored, one instance reports it stored (so it is counted and
// delivered once), and it has one delivery and one record.
func TestAlertKeyRace(t *testing.T) {
	cases := []struct {
		name       string
		keyA, keyB string
		change     string // both alerts are of this change, copies at any time
	}{
		{name: "same key", keyA: "key-1", keyB: "key-1"},
		{name: "one change", keyA: "key-a", keyB: "key-b", change: "change-1"},
	}
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					dsn := storetest.DSN(t, d)
					a := openRacer(t, dsn, "")
					b := openRacer(t, dsn, "appwatch-race-b")
					batch := func(source, key string) *Batch {
						return &Batch{Source: source, Alerts: []Alert{{Key: key, Change: tc.change,
							Alert:  testAlert("role-added", "sp-role-assigned", "high", 0),
							Routes: []Route{{Sink: "hook"}}, Record: []byte(`{"id":"r1"}`)}}}
					}
					holding, release := make(chan struct{}), make(chan struct{})
					var once sync.Once
					a.inserted = func(string) {
						once.Do(func() {
							close(holding)
							<-release
						})
					}
					ctx := context.WithoutCancel(t.Context())
					var resA, resB *Committed
					var errA, errB error
					var wg sync.WaitGroup
					wg.Go(func() { resA, errA = a.Commit(ctx, batch("kafka://a", tc.keyA)) })
					<-holding
					wg.Go(func() { resB, errB = b.Commit(ctx, batch("kafka://b", tc.keyB)) })
					waitBlocked(t, b, "appwatch-race-b")
					close(release)
					wg.Wait()
					if errA != nil || errB != nil {
						t.Fatalf("commits: %v, %v", errA, errB)
					}
					if !slices.Equal(resA.Inserted, []int{0}) || len(resB.Inserted) != 0 {
						t.Errorf("inserted: first %v, second %v; want [0] and none", resA.Inserted, resB.Inserted)
					}
					if tc.change != "" && !slices.Equal(resB.Copies, []int{0}) {
						t.Errorf("copies of the second: %v, want [0]", resB.Copies)
					}
					if got := keys(listAlerts(t, a, Filter{})); !slices.Equal(got, []string{tc.keyA}) {
						t.Errorf("alerts stored %v, want [%s]", got, tc.keyA)
					}
					for table, want := range map[string]int{"deliveries": 1, "alert_records": 1} {
						var n int
						if err := a.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
							t.Fatal(err)
						}
						if n != want {
							t.Errorf("%d rows in %s, want %d", n, table, want)
						}
					}
				})
			}
		})
	}
}

// openRacer opens dsn as an instance of its own would: a store with its
// own connections. On PostgreSQL its sessions are named app.
func openRacer(t *testing.T, dsn, app string) *Store {
	t.Helper()
	if app != "" && !bytes.HasPrefix([]byte(dsn), []byte("sqlite:")) {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("application_name", app)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	s, err := Open(t.Context(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// waitBlocked waits until the store s, whose PostgreSQL sessions are
// named app, has a transaction waiting on a lock another holds: on
// PostgreSQL a session of app waiting on a lock, on SQLite a goroutine
// in the busy handler, which waits for the write lock.
func waitBlocked(t *testing.T, s *Store, app string) {
	t.Helper()
	blocked := func() bool {
		var buf bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&buf, 2)
		return bytes.Contains(buf.Bytes(), []byte("modernc.org/sqlite.busyHandler"))
	}
	if s.Dialect() == Postgres {
		blocked = func() bool {
			var n int
			err := s.db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", app).Scan(&n)
			if err != nil && err != sql.ErrNoRows {
				t.Fatal(err)
			}
			return n > 0
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for !blocked() {
		if time.Now().After(deadline) {
			t.Fatal("the second commit never waited on the first's transaction")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
