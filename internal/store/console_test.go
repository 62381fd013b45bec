package store

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

var ana = Actor{ID: "local:ana", Name: "ana"}

// consoleAlerts stores alerts of several tenants, apps, rows and levels:
// alert i happens at minute i.
func consoleAlerts(t *testing.T, s *Store) []Alert {
	t.Helper()
	var out []Alert
	for i := range 12 {
		a := testAlert(fmt.Sprint("rule-", i%3), []string{"owner-added", "credential-added", "ropc-signin"}[i%3],
			[]string{"low", "high", "critical", "medium"}[i%4], i)
		a.TenantID = fmt.Sprint("tenant-", i%2)
		a.Target.AppID, a.Target.Name = fmt.Sprint("app-", i%4), fmt.Sprint("App ", i%4)
		a.Actor = alert.Actor{Type: "user", ID: fmt.Sprint("user-", i%5), UPN: fmt.Sprint("u", i%5, "@contoso.com")}
		a.OutsideBusinessHours = i%3 == 0
		out = append(out, Alert{Key: fmt.Sprint("k", i), Alert: a, Record: []byte(fmt.Sprintf(`{"id":"event-%d"}`, i))})
	}
	if _, err := s.Commit(t.Context(), &Batch{Source: "dir:/logs", Alerts: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func storedKeys(alerts []Stored) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, a.Alert.AlertKey)
	}
	return out
}

func TestList(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		consoleAlerts(t, s)
		// A finding without a time sorts by when it was stored: after
		// every alert above, which happened before t0 + 12 minutes.
		c.Advance(time.Hour)
		untimed := testAlert("check-1", "dangling-uri", "high", 0)
		untimed.Time, untimed.TenantID = "", "tenant-x"
		if _, err := s.Commit(ctx, &Batch{Source: "posture", Alerts: []Alert{{Key: "f1", Alert: untimed}}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			q    Query
			want []string
		}{
			{"all", Query{}, []string{"f1", "k11", "k10", "k9", "k8", "k7", "k6", "k5", "k4", "k3", "k2", "k1", "k0"}},
			{"tenant", Query{Tenants: []string{"tenant-1"}}, []string{"k11", "k9", "k7", "k5", "k3", "k1"}},
			{"row and level", Query{Rows: []string{"owner-added"}, Levels: []string{"low", "high"}}, []string{"k9", "k0"}},
			{"app", Query{Apps: []string{"app-2"}}, []string{"k10", "k6", "k2"}},
			{"actor", Query{Actors: []string{"user-0"}}, []string{"k10", "k5", "k0"}},
			{"outside hours", Query{OutsideHours: true, Since: t0.Add(3 * time.Minute), Until: t0.Add(10 * time.Minute)}, []string{"k9", "k6", "k3"}},
			{"status", Query{Statuses: []string{"resolved"}}, nil},
		}
		for _, tt := range tests {
			got, next, err := s.List(ctx, tt.q, nil, 20)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(storedKeys(got), tt.want) || next != nil {
				t.Errorf("%s: got %v (next %v), want %v", tt.name, storedKeys(got), next, tt.want)
			}
			if n, err := s.Count(ctx, tt.q); err != nil || n != int64(len(tt.want)) {
				t.Errorf("%s: count %d (err %v), want %d", tt.name, n, err, len(tt.want))
			}
		}
		// Pages of five follow each other without gaps or repeats.
		var all []string
		var after *Cursor
		for range 4 {
			page, next, err := s.List(ctx, Query{}, after, 5)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, storedKeys(page)...)
			if next == nil {
				break
			}
			c, err := ParseCursor(next.String())
			if err != nil || c != *next {
				t.Fatalf("cursor %v read back as %v (err %v)", next, c, err)
			}
			after = &c
		}
		if want := tests[0].want; !slices.Equal(all, want) {
			t.Errorf("pages: %v, want %v", all, want)
		}
		got, err := s.AlertByKey(ctx, "k3")
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Record) != `{"id":"event-3"}` || got.Alert.Status != "open" || got.Alert.Target.AppID != "app-3" || !got.Sort.Equal(t0.Add(3*time.Minute)) {
			t.Errorf("alert k3: %+v", got)
		}
		if f, err := s.AlertByKey(ctx, "f1"); err != nil || f.Record != nil || !f.Sort.Equal(t0.Add(time.Hour)) {
			t.Errorf("finding f1: %+v (err %v), want no record, sorted when stored", f, err)
		}
		if _, err := s.AlertByKey(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing alert: %v", err)
		}
	})
}

func TestFacets(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		consoleAlerts(t, s)
		got, err := s.Facets(t.Context(), Query{Tenants: []string{"tenant-0"}, Levels: []string{"critical"}})
		if err != nil {
			t.Fatal(err)
		}
		// Tenants are counted among critical alerts, levels among
		// tenant-0's: each facet leaves its own filter out.
		want := map[string][]FacetValue{
			FacetTenant:  {{Value: "tenant-0", N: 3}},
			FacetLevel:   {{Value: "critical", N: 3}, {Value: "low", N: 3}},
			FacetStatus:  {{Value: "open", N: 3}},
			FacetRow:     {{Value: "credential-added", N: 1}, {Value: "owner-added", N: 1}, {Value: "ropc-signin", N: 1}},
			FacetApp:     {{Value: "app-2", Label: "App 2", N: 3}},
			FacetActor:   {{Value: "user-0", Label: "u0@contoso.com", N: 1}, {Value: "user-1", Label: "u1@contoso.com", N: 1}, {Value: "user-2", Label: "u2@contoso.com", N: 1}},
			FacetOutside: {{Value: "false", N: 2}, {Value: "true", N: 1}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("facets\n %v\nwant\n %v", got, want)
		}
	})
}

func TestGroups(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		consoleAlerts(t, s)
		got, err := s.Groups(t.Context(), Query{Tenants: []string{"tenant-0"}}, true)
		if err != nil {
			t.Fatal(err)
		}
		// tenant-0 has the even alerts: app-0 low (k0, k4, k8), app-2
		// critical (k2, k6, k10); rows by i%3.
		var names []string
		for _, g := range got {
			names = append(names, fmt.Sprintf("%s/%s:%d", g.AppID, g.Row, g.N))
		}
		want := []string{"app-2/credential-added:1", "app-2/owner-added:1", "app-2/ropc-signin:1", "app-0/credential-added:1", "app-0/owner-added:1", "app-0/ropc-signin:1"}
		if !slices.Equal(names, want) {
			t.Errorf("groups %v, want %v", names, want)
		}
		if got[0].AppName != "App 2" || got[0].ByLevel[alert.Rank("critical")] != 1 || !got[0].Latest.Equal(t0.Add(10*time.Minute)) {
			t.Errorf("first group %+v", got[0])
		}
		apps, err := s.Groups(t.Context(), Query{}, false)
		if err != nil || len(apps) != 4 || apps[0].N != 3 {
			t.Errorf("groups by app: %+v (err %v)", apps, err)
		}
	})
}

func TestTriage(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		consoleAlerts(t, s)
		bo := Actor{ID: "entra:t/bo", Name: "Bo"}
		steps := []struct {
			by Actor
			t  Triage
		}{
			{ana, Triage{Action: ActionAcknowledge}},
			{ana, Triage{Action: ActionAssign, Assignee: "Bo"}},
			{bo, Triage{Action: ActionComment, Comment: "looking <b>at</b> it"}},
			{bo, Triage{Action: ActionResolve, Verdict: VerdictBenign, Comment: "planned rotation"}},
		}
		for _, st := range steps {
			c.Advance(time.Minute)
			if err := s.TriageAlert(ctx, "k1", st.t, st.by); err != nil {
				t.Fatal(err)
			}
		}
		a, err := s.AlertByKey(ctx, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if a.Alert.Status != alert.StatusResolved || a.Verdict != VerdictBenign || a.Assignee != "Bo" || !a.Triaged.Equal(t0.Add(4*time.Minute)) {
			t.Errorf("after triage: status %s verdict %s assignee %s triaged %v", a.Alert.Status, a.Verdict, a.Assignee, a.Triaged)
		}
		if got, _, _ := s.List(ctx, Query{Assignee: "Bo"}, nil, 10); !slices.Equal(storedKeys(got), []string{"k1"}) {
			t.Errorf("assigned to Bo: %v", storedKeys(got))
		}
		trail, err := s.AuditTrail(ctx, AuditQuery{AlertKey: "k1", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range trail {
			got = append(got, fmt.Sprintf("%s %s %s from=%s assignee=%q/%v verdict=%s comment=%q", e.At.Format("15:04"), e.By.Name, e.Action, e.From, e.Assignee, e.Assigned, e.Verdict, e.Comment))
		}
		want := []string{
			`10:04 Bo resolve from=acknowledged assignee=""/false verdict=benign comment="planned rotation"`,
			`10:03 Bo comment from=acknowledged assignee=""/false verdict= comment="looking <b>at</b> it"`,
			`10:02 ana assign from=acknowledged assignee="Bo"/true verdict= comment=""`,
			`10:01 ana acknowledge from=open assignee=""/false verdict= comment=""`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit trail\n %q\nwant\n %q", got, want)
		}
		if older, _ := s.AuditTrail(ctx, AuditQuery{Before: trail[1].Seq, Limit: 10}); len(older) != 2 {
			t.Errorf("entries before the second: %d, want 2", len(older))
		}
		// Reopening clears the verdict.
		if err := s.TriageAlert(ctx, "k1", Triage{Action: ActionReopen}, ana); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.AlertByKey(ctx, "k1"); a.Alert.Status != alert.StatusOpen || a.Verdict != "" {
			t.Errorf("reopened: %s %s", a.Alert.Status, a.Verdict)
		}
		bad := []struct {
			key string
			t   Triage
		}{
			{"k1", Triage{Action: ActionResolve, Verdict: "maybe"}},
			{"k1", Triage{Action: ActionComment}},
			{"k1", Triage{Action: "delete"}},
			{"nope", Triage{Action: ActionAcknowledge}},
		}
		for _, b := range bad {
			if err := s.TriageAlert(ctx, b.key, b.t, ana); err == nil {
				t.Errorf("triage %s %+v succeeded", b.key, b.t)
			}
		}
		if err := s.TriageAlert(ctx, "nope", Triage{Action: ActionAcknowledge}, ana); !errors.Is(err, ErrNotFound) {
			t.Errorf("triage of a missing alert: %v, want ErrNotFound", err)
		}
		if all, _ := s.AuditTrail(ctx, AuditQuery{Limit: 100}); len(all) != 5 {
			t.Errorf("%d audit entries, want 5: refused actions leave none", len(all))
		}
	})
}

// TestSilencedAlerts reads, as the console does, the silence that
// suppressed an alert: by the SuppressedBy it was stored with, and by id.
func TestSilencedAlerts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		id, err := s.AddSilence(ctx, Silence{Matchers: []string{"rule=rule-x", "app=app-1"}, Reason: "migration this week",
			Author: "local:ana", Expires: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Alerts: []Alert{
			{Key: "a1", Alert: testAlert("rule-x", "owner-added", "medium", 0)},
			{Key: "a2", Alert: testAlert("rule-x", "owner-added", "medium", 1), Status: alert.StatusSuppressed, SuppressedBy: SilenceRef(id)},
			{Key: "a3", Alert: testAlert("rule-x", "owner-added", "medium", 2), Status: alert.StatusSuppressed, SuppressedBy: SuppressedByPolicy},
		}})
		if err != nil || len(res.Inserted) != 3 {
			t.Fatalf("commit: %v %v", res, err)
		}
		for key, want := range map[string]int64{"a1": 0, "a2": id, "a3": 0} {
			a, err := s.AlertByKey(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := SilenceOf(a.SuppressedBy)
			if got != want {
				t.Errorf("%s: suppressed by %q, silence %d, want %d", key, a.SuppressedBy, got, want)
			}
		}
		sl, err := s.SilenceByID(ctx, id)
		if err != nil || sl.Author != "local:ana" || sl.Suppressed != 1 || !sl.Active(c.Now()) || len(sl.Matchers) != 2 {
			t.Errorf("silence %+v (err %v)", sl, err)
		}
		if _, err := s.SilenceByID(ctx, id+1); !errors.Is(err, ErrNoSilence) {
			t.Errorf("a missing silence: %v, want ErrNoSilence", err)
		}
		c.Advance(10 * time.Minute)
		if err := s.ExpireSilence(ctx, id, "local:admin"); err != nil {
			t.Fatal(err)
		}
		if sl, err := s.SilenceByID(ctx, id); err != nil || sl.Active(c.Now()) || sl.ExpiredBy != "local:admin" {
			t.Errorf("expired silence %+v (err %v)", sl, err)
		}
		if all, _ := s.AuditTrail(ctx, AuditQuery{Limit: 10}); len(all) != 0 {
			t.Errorf("silences wrote %d entries in the console's audit trail, want none: they keep their own", len(all))
		}
	})
}

func TestSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		if ok, err := s.HasLocalUsers(ctx); ok || err != nil {
			t.Errorf("a new store has local users: %v %v", ok, err)
		}
		if err := s.SetLocalUser(ctx, LocalUser{Name: "admin", Hash: "h1", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		se := Session{IDHash: "s1", User: Actor{ID: "local:admin", Name: "admin"}, Role: "admin", CSRF: "tok", Lang: "it",
			Created: t0, Seen: t0, Expires: t0.Add(8 * time.Hour)}
		if err := s.CreateSession(ctx, se, t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := s.SessionByHash(ctx, "s1")
		if err != nil || got != se {
			t.Errorf("session %+v (err %v), want %+v", got, err, se)
		}
		if err := s.TouchSession(ctx, "s1", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLang(ctx, "s1", se.User, "ja"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SessionByHash(ctx, "s1"); got.Lang != "ja" || !got.Seen.Equal(t0.Add(time.Minute)) {
			t.Errorf("after touch and language: %+v", got)
		}
		if lang, err := s.Lang(ctx, "local:admin"); lang != "ja" || err != nil {
			t.Errorf("language kept %q (err %v)", lang, err)
		}
		// A new password ends the account's sessions.
		if err := s.SetLocalUser(ctx, LocalUser{Name: "admin", Hash: "h2", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByHash(ctx, "s1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("session after a new password: %v", err)
		}
		if u, err := s.LocalUserByName(ctx, "admin"); err != nil || u.Hash != "h2" {
			t.Errorf("local user %+v (err %v)", u, err)
		}
		if _, err := s.LocalUserByName(ctx, "eve"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing user: %v", err)
		}
		// Creating a session deletes the idle and the expired ones.
		for i, se := range []Session{
			{IDHash: "idle", Seen: t0, Expires: t0.Add(8 * time.Hour)},
			{IDHash: "old", Seen: t0.Add(2 * time.Hour), Expires: t0.Add(2 * time.Hour)},
			{IDHash: "live", Seen: t0.Add(2 * time.Hour), Expires: t0.Add(8 * time.Hour)},
		} {
			se.User, se.Created = Actor{ID: fmt.Sprint("u", i)}, t0
			if err := s.CreateSession(ctx, se, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		c.Advance(2 * time.Hour)
		if err := s.CreateSession(ctx, Session{IDHash: "new", Created: c.Now(), Seen: c.Now(), Expires: c.Now().Add(time.Hour)}, c.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]bool{"idle": false, "old": false, "live": true, "new": true} {
			if _, err := s.SessionByHash(ctx, id); (err == nil) != want {
				t.Errorf("session %s kept: %v, want %v", id, err == nil, want)
			}
		}
		if err := s.DeleteSession(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByHash(ctx, "live"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}
	})
}

func TestOIDCLogins(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		l := OIDCLogin{StateHash: "st", Nonce: "n", Verifier: "v", ReturnTo: "/alerts", Expires: t0.Add(10 * time.Minute)}
		if err := s.PutOIDCLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		if err := s.PutOIDCLogin(ctx, OIDCLogin{StateHash: "late", Expires: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.TakeOIDCLogin(ctx, "st"); err != nil || got != l {
			t.Errorf("login %+v (err %v), want %+v", got, err, l)
		}
		if _, err := s.TakeOIDCLogin(ctx, "st"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a state used twice: %v", err)
		}
		c.Advance(2 * time.Minute)
		if _, err := s.TakeOIDCLogin(ctx, "late"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an expired state: %v", err)
		}
	})
}

func TestRelated(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		a := testAlert("rule-a", "owner-added", "medium", 0)
		twin := testAlert("rule-b", "owner-added", "low", 0) // same record
		sameOp := testAlert("rule-c", "owner-added", "low", 1)
		a.CorrelationID, sameOp.CorrelationID = "op-1", "op-1"
		corr := testAlert("corr-1", "owner-added", "high", 5)
		corr.EventID = ""
		corr.Correlation = &alert.Correlation{Events: []alert.EventRef{{RuleID: "rule-a", EventID: a.EventID}}}
		unrelated := testAlert("rule-d", "owner-added", "low", 7)
		if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Alerts: []Alert{{Key: "a", Alert: a}, {Key: "twin", Alert: twin}, {Key: "op", Alert: sameOp}, {Key: "u", Alert: unrelated}}}); err != nil {
			t.Fatal(err)
		}
		twin.EventID = a.EventID
		if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Alerts: []Alert{{Key: "twin2", Alert: twin}, {Key: "corr", Alert: corr}}}); err != nil {
			t.Fatal(err)
		}
		stored, _ := s.AlertByKey(ctx, "a")
		got, err := s.Related(ctx, &stored.Alert)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"corr", "op", "twin2"}; !slices.Equal(storedKeys(got), want) {
			t.Errorf("related to a: %v, want %v", storedKeys(got), want)
		}
		stored, _ = s.AlertByKey(ctx, "corr")
		if got, _ := s.Related(ctx, &stored.Alert); !slices.Equal(storedKeys(got), []string{"twin2", "a"}) {
			t.Errorf("related to the correlation: %v, want its records' alerts", storedKeys(got))
		}
	})
}

func TestArrivals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		commit := func(records int64, kinds map[string]int64) {
			t.Helper()
			if _, err := s.Commit(ctx, &Batch{Source: "dir:/logs", Counts: Counts{Records: records}, Kinds: kinds}); err != nil {
				t.Fatal(err)
			}
		}
		commit(10, map[string]int64{"audit": 7, "signin": 2})
		c.Advance(10 * time.Second) // a burst: not a pause
		commit(5, map[string]int64{"audit": 5})
		c.Advance(10 * time.Minute)
		commit(3, map[string]int64{"audit": 3})
		c.Advance(20 * time.Minute)
		commit(0, nil) // nothing read: nothing arrived
		commit(1, map[string]int64{"audit": 1})
		got, err := s.Arrivals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Pauses of 10 and 20 minutes: 10, then (7×10 + 20) / 8.
		usual := (7*10*time.Minute + 20*time.Minute) / 8
		last := t0.Add(30*time.Minute + 10*time.Second)
		want := []Arrival{
			{Source: "dir:/logs", Kind: "", First: t0, Last: last, Batches: 4, Records: 19, Usual: usual},
			{Source: "dir:/logs", Kind: "audit", First: t0, Last: last, Batches: 4, Records: 16, Usual: usual},
			{Source: "dir:/logs", Kind: "signin", First: t0, Last: t0, Batches: 1, Records: 2},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("arrivals\n %+v\nwant\n %+v", got, want)
		}
	})
}

// TestConsoleMigration stores an alert in a store of the first schema and
// checks that the console's migration fills the new columns from it.
func TestConsoleMigration(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			s, err := Open(t.Context(), dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			a := testAlert("rule-a", "owner-added", "high", 5)
			a.OutsideBusinessHours, a.CorrelationID = true, "op-9"
			if _, err := s.Commit(t.Context(), &Batch{Source: "dir:/logs", Alerts: []Alert{{Key: "a", Alert: a}}}); err != nil {
				t.Fatal(err)
			}
			// Undo what the insert set, and apply the migration's UPDATE
			// again, as it runs on alerts stored before it.
			_, err = s.db.Exec("UPDATE alerts SET sort_ns = 0, outside_hours = FALSE, event_id = '', correlation_id = '', app_name = '', actor_name = ''")
			if err != nil {
				t.Fatal(err)
			}
			all, _ := steps(s.Dialect())
			i := slices.IndexFunc(all, func(st step) bool { return strings.HasSuffix(st.name, "_console.sql") })
			if i < 0 {
				t.Fatal("no console migration")
			}
			backfill := sqlStatement(t, all[i].sql, "UPDATE alerts SET")
			if _, err := s.db.Exec(backfill); err != nil {
				t.Fatal(err)
			}
			var sortNS int64
			var outside bool
			var event, corr, app, actor string
			err = s.db.QueryRow("SELECT sort_ns, outside_hours, event_id, correlation_id, app_name, actor_name FROM alerts").Scan(&sortNS, &outside, &event, &corr, &app, &actor)
			if err != nil {
				t.Fatal(err)
			}
			if sortNS != t0.Add(5*time.Minute).UnixNano() || !outside || event != a.EventID || corr != "op-9" || app != "Payroll" || actor != "ana@contoso.com" {
				t.Errorf("migrated columns: %d %v %q %q %q %q", sortNS, outside, event, corr, app, actor)
			}
		})
	}
}

// sqlStatement returns the statement of script that starts with prefix.
func sqlStatement(t *testing.T, script, prefix string) string {
	t.Helper()
	for _, stmt := range strings.Split(script, ";") {
		if stmt = strings.TrimSpace(stmt); strings.HasPrefix(stmt, prefix) {
			return stmt
		}
	}
	t.Fatalf("no statement starting %q", prefix)
	return ""
}

// TestFacetsFollowChanges counts alerts by facet, through a second store
// on the same database as a second console would, after each way alerts
// change: the counts it keeps must follow every change made by the
// first store, whichever process it is.
func TestFacetsFollowChanges(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := t.Context()
			c := clock.NewFake(t0)
			dsn := storetest.DSN(t, d)
			writer, err := Open(ctx, dsn, Options{Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer writer.Close()
			reader, err := Open(ctx, dsn, Options{Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer reader.Close()
			consoleAlerts(t, writer)
			statuses := func() map[string]int64 {
				t.Helper()
				f, err := reader.Facets(ctx, Query{})
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]int64{}
				for _, v := range f[FacetStatus] {
					out[v.Value] = v.N
				}
				return out
			}
			generation := func() int64 {
				t.Helper()
				g, err := reader.Generation(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return g
			}
			steps := []struct {
				name   string
				change func() error
				want   map[string]int64
			}{
				{"acknowledge", func() error {
					return writer.TriageAlert(ctx, "k1", Triage{Action: ActionAcknowledge}, ana)
				}, map[string]int64{"open": 11, "acknowledged": 1}},
				{"resolve a finding that went away", func() error {
					_, err := writer.Commit(ctx, &Batch{Source: "dir:/logs", Resolve: []string{"k2", "k3"}})
					return err
				}, map[string]int64{"open": 9, "acknowledged": 1, "resolved": 2}},
				{"store new alerts", func() error {
					_, err := writer.Commit(ctx, &Batch{Source: "dir:/logs", Alerts: []Alert{
						{Key: "n1", Alert: testAlert("rule-0", "owner-added", "low", 30), Routes: []Route{{Sink: "teams"}}},
					}})
					return err
				}, map[string]int64{"open": 10, "acknowledged": 1, "resolved": 2}},
				{"silence at delivery", func() error {
					ds, err := writer.ClaimDeliveries(ctx, Claim{Sink: "teams", Holder: "w1", Limit: 10, Lease: time.Minute})
					if err != nil || len(ds) != 1 {
						return fmt.Errorf("claim: %d deliveries, %v", len(ds), err)
					}
					return writer.FinishDeliveries(ctx, "w1", []Outcome{{ID: ds[0].ID, State: DeliverySilenced, SuppressedBy: SilenceRef(1)}}, nil)
				}, map[string]int64{"open": 9, "acknowledged": 1, "resolved": 2, "suppressed": 1}},
				{"prune", func() error {
					_, err := writer.Prune(ctx, Prune{Alerts: t0.Add(time.Second)})
					return err
				}, map[string]int64{"suppressed": 1}},
			}
			statuses()
			for _, st := range steps {
				before := generation()
				c.Advance(time.Minute)
				if err := st.change(); err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				if generation() <= before {
					t.Errorf("%s: the generation stayed %d", st.name, before)
				}
				if got := statuses(); !maps.Equal(got, st.want) {
					t.Errorf("%s: statuses %v, want %v", st.name, got, st.want)
				}
			}
			before := generation()
			if _, err := writer.Commit(ctx, &Batch{Source: "dir:/logs", Positions: []Position{{Stream: "a.json", Value: "10"}}}); err != nil {
				t.Fatal(err)
			}
			if g := generation(); g != before {
				t.Errorf("a batch without alerts moved the generation from %d to %d", before, g)
			}
		})
	}
}
