package store

import (
	"testing"

	"github.com/appwatch/appwatch/internal/clock"
)

// TestCountSince counts the alerts stored after a sequence number that a
// query selects, as the console's poll for new alerts asks.
func TestCountSince(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		consoleAlerts(t, s)
		list, _, err := s.List(ctx, Query{}, nil, 100)
		if err != nil || len(list) != 12 {
			t.Fatalf("%d alerts, %v", len(list), err)
		}
		var seq int64 // the seq of the sixth alert stored
		for _, a := range list {
			if a.Alert.AlertKey == "k5" {
				seq = a.Seq
			}
		}
		newest, err := s.Newest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// What each query should count, from the list itself.
		count := func(after int64, keep func(Stored) bool) int64 {
			var n int64
			for _, a := range list {
				if a.Seq > after && keep(a) {
					n++
				}
			}
			return n
		}
		all := func(Stored) bool { return true }
		for _, tc := range []struct {
			name  string
			q     Query
			after int64
			want  int64
		}{
			{"all after k5", Query{}, seq, count(seq, all)},
			{"high after k5", Query{Levels: []string{"high"}}, seq, count(seq, func(a Stored) bool { return a.Alert.Level == "high" })},
			{"tenant-1 after k5", Query{Tenants: []string{"tenant-1"}}, seq, count(seq, func(a Stored) bool { return a.Alert.TenantID == "tenant-1" })},
			{"after the newest", Query{}, newest, 0},
			{"all", Query{}, 0, 12},
		} {
			if tc.after == seq && (tc.want == 0 || tc.want == 12) {
				t.Fatalf("%s: the data does not test it (%d)", tc.name, tc.want)
			}
			n, err := s.CountSince(ctx, tc.q, tc.after)
			if err != nil || n != tc.want {
				t.Errorf("%s: %d (err %v), want %d", tc.name, n, err, tc.want)
			}
		}
	})
}
