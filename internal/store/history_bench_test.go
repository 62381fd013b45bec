package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store/storetest"
)

// BenchmarkSnapshotHistory measures what keeping the apps' history and
// the findings per check adds to storing a posture snapshot of 1,000
// apps holding 10 items each (credentials, permissions, owners): each
// loop stores the same snapshot twice, once without its items and
// counts (the baseline, as before the history) and once with them, in
// turn. x-base is the time with the history as a multiple of the time
// without; the snapshot before each has the same items, so most go on
// from one snapshot to the next, as in a tenant.
//
//	go test ./internal/store -run '^$' -bench SnapshotHistory -benchtime 10x
func BenchmarkSnapshotHistory(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			s, err := Open(b.Context(), storetest.DSN(b, d), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var items []AppItem
			for app := range 1000 {
				for i := range 10 {
					kind := []string{ItemCredential, ItemPermission, ItemOwner}[i%3]
					items = append(items, AppItem{AppID: fmt.Sprintf("app-%04d", app), Kind: kind, Item: fmt.Sprintf("%s:item-%d", kind, i),
						Detail: map[string]any{"name": fmt.Sprintf("item %d of app %d", i, app), "end": "2027-01-01T00:00:00Z"}})
				}
			}
			findings := map[string]int64{}
			for c := range 30 {
				findings[fmt.Sprintf("check-%d", c)] = int64(c * 3)
			}
			body := make([]byte, 256<<10)
			taken := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			commit := func(source string, snap *Snapshot) time.Duration {
				t := time.Now()
				if _, err := s.Commit(b.Context(), &Batch{Source: source, Snapshot: snap}); err != nil {
					b.Fatal(err)
				}
				return time.Since(t)
			}
			commit("posture", &Snapshot{Taken: taken, Body: body, Items: items, Findings: findings})
			var base, hist time.Duration
			for b.Loop() {
				taken = taken.Add(6 * time.Hour)
				base += commit("posture-base", &Snapshot{Taken: taken, Body: body})
				hist += commit("posture", &Snapshot{Taken: taken, Body: body, Items: items, Findings: findings})
			}
			n := float64(b.N)
			b.ReportMetric(float64(base.Microseconds())/n/1000, "base-ms/op")
			b.ReportMetric(float64(hist.Microseconds())/n/1000, "history-ms/op")
			b.ReportMetric(float64(hist)/float64(base), "x-base")
		})
	}
}
