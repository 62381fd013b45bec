package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
)

// TestAppHistory stores snapshots of one app whose items come, change,
// go and come back, and one snapshot stored late, and reads the app's
// history and the trend of findings per check.
func TestAppHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		const app = "4f1c2d3e-0000-4000-8000-00000000000a"
		cred := func(end string) AppItem {
			return AppItem{AppID: app, Kind: ItemCredential, Item: "application:k1", Detail: map[string]any{"name": "ci", "end": end}}
		}
		perm := AppItem{AppID: app, Kind: ItemPermission, Item: "role:graph:r1", Detail: map[string]any{"permission": "Mail.Read"}}
		owner := AppItem{AppID: app, Kind: ItemOwner, Item: "application:u1", Detail: map[string]any{"name": "Ana"}}
		other := AppItem{AppID: "other", Kind: ItemOwner, Item: "application:u2", Detail: map[string]any{}}
		t1, t2, t3 := t0, t0.Add(6*time.Hour), t0.Add(12*time.Hour)
		snaps := []*Snapshot{
			{Taken: t1, Items: []AppItem{cred("2027-01-01"), perm, other}, Findings: map[string]int64{"check-a": 2, "check-b": 1}},
			{Taken: t2, Items: []AppItem{cred("2028-01-01"), owner}, Findings: map[string]int64{"check-a": 1}},
			// Taken before the second, stored after it: its items leave
			// the history as it is; its findings are counted.
			{Taken: t1.Add(time.Hour), Items: []AppItem{perm}, Findings: map[string]int64{"check-b": 4}},
			{Taken: t3, Items: []AppItem{cred("2028-01-01"), perm}},
		}
		for _, sn := range snaps {
			if _, err := s.Commit(ctx, &Batch{Source: "posture", Snapshot: sn}); err != nil {
				t.Fatal(err)
			}
		}
		got, latest, err := s.AppHistory(ctx, "posture", app)
		if err != nil {
			t.Fatal(err)
		}
		if !latest.Equal(t3) {
			t.Errorf("latest snapshot %v, want %v", latest, t3)
		}
		want := []AppRecord{
			{AppItem: cred("2028-01-01"), First: t1, Last: t3},
			{AppItem: perm, First: t3, Last: t3},
			{AppItem: perm, First: t1, Last: t1, Gone: true},
			{AppItem: owner, First: t2, Last: t2, Gone: true},
		}
		if len(got) != len(want) {
			t.Fatalf("history:\n%+v\nwant\n%+v", got, want)
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("history %d:\n%+v\nwant\n%+v", i, got[i], want[i])
			}
		}

		trend, err := s.SnapshotTrend(ctx, "posture", 3)
		if err != nil {
			t.Fatal(err)
		}
		wantTrend := []SnapshotCount{
			{Taken: t1.Add(time.Hour), ByRule: map[string]int64{"check-b": 4}, Total: 4},
			{Taken: t2, ByRule: map[string]int64{"check-a": 1}, Total: 1},
			{Taken: t3, ByRule: map[string]int64{}, Total: 0},
		}
		if !reflect.DeepEqual(trend, wantTrend) {
			t.Errorf("trend of the last 3 snapshots:\n%+v\nwant\n%+v", trend, wantTrend)
		}

		// Pruning with the alerts of their time deletes what ended before.
		p, err := s.Prune(ctx, Prune{Alerts: t2})
		if err != nil {
			t.Fatal(err)
		}
		// The counts of the two snapshots before t2 (3 and 2 rows) and the
		// two items last seen at t1 (the permission and the other app's owner).
		if p.History != 7 {
			t.Errorf("pruned %d rows of history, want 7", p.History)
		}
		if trend, _ := s.SnapshotTrend(ctx, "posture", 10); len(trend) != 2 {
			t.Errorf("after pruning, %d snapshots in the trend, want 2", len(trend))
		}
		if got, _, _ := s.AppHistory(ctx, "posture", app); len(got) != 3 {
			t.Errorf("after pruning, history %+v, want the credential, the permission back and the owner", got)
		}
	})
}
