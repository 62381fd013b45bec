package console

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// benchAlerts is how many alerts the console's benchmark stores.
const benchAlerts = 100_000

// BenchmarkConsole measures the console over a store of 100,000 alerts,
// on SQLite and on the PostgreSQL server of APPWATCH_TEST_POSTGRES (see
// storetest): the time to the first byte of the alerts list, of a
// filtered list and of an alert's page, each against its baseline
// measured in the same loop, the store query alone that the page cannot
// do without (the page's list of alerts, or the alert). x-store is the
// page's time as a multiple of its baseline; the rest of the page's time
// is the facet counts, the rendering and HTTP. The counts are kept while
// the alerts do not change; list-changed triages an alert before each
// fetch (not timed), so that the page counts them afresh every time.
// On PostgreSQL the benchmark runs VACUUM ANALYZE after storing the
// alerts, as autovacuum would soon after.
//
//	go test ./internal/console -run '^$' -bench Console -benchtime 10x
func BenchmarkConsole(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) { benchConsole(b, storetest.DSN(b, d)) })
	}
}

func benchConsole(b *testing.B, dsn string) {
	start := time.Now()
	e := newEnvOn(b, dsn, nil, nil)
	alerts := testAlerts(benchAlerts)
	for i := 0; i < len(alerts); i += 5000 {
		batch := &store.Batch{Source: "dir:/var/log/entra", Alerts: alerts[i:min(i+5000, len(alerts))]}
		if _, err := e.store.Commit(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	if strings.HasPrefix(dsn, "postgres") {
		// What autovacuum does soon after a load this size: statistics
		// for the planner, and the visibility map for index-only scans.
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(b.Context(), "VACUUM ANALYZE alerts"); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d alerts stored in %s", len(alerts), time.Since(start).Round(time.Millisecond))
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	list := func(q store.Query) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := e.store.List(ctx, q, nil, DefaultPageSize)
			return err
		}
	}
	filter := store.Query{Levels: []string{"high"}, Statuses: []string{"open"}, Apps: []string{"4f1c2d3e-0000-4000-8000-00000000000b"}}
	var acked bool
	cases := []struct {
		name, path string
		before     func(ctx context.Context) error
		baseline   func(ctx context.Context) error
	}{
		{name: "list", path: "/alerts", baseline: list(store.Query{})},
		{name: "filter", path: "/alerts?level=high&status=open&app=4f1c2d3e-0000-4000-8000-00000000000b", baseline: list(filter)},
		{name: "list-changed", path: "/alerts", baseline: list(store.Query{}), before: func(ctx context.Context) error {
			action := store.ActionAcknowledge
			if acked {
				action = store.ActionReopen
			}
			acked = !acked
			return e.store.TriageAlert(ctx, "key-50000", store.Triage{Action: action}, store.Actor{ID: "local:bench", Name: "bench"})
		}},
		{name: "detail", path: "/alerts/key-50000", baseline: func(ctx context.Context) error {
			_, err := e.store.AlertByKey(ctx, "key-50000")
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var base, page time.Duration
			for b.Loop() {
				if tc.before != nil {
					b.StopTimer()
					if err := tc.before(b.Context()); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				t := time.Now()
				if err := tc.baseline(b.Context()); err != nil {
					b.Fatal(err)
				}
				base += time.Since(t)
				page += e.timeToFirstByte(b, cl, tc.path, http.StatusOK)
			}
			n := float64(b.N)
			b.ReportMetric(float64(base.Microseconds())/n/1000, "store-ms/op")
			b.ReportMetric(float64(page.Microseconds())/n/1000, "page-ms/op")
			b.ReportMetric(float64(page)/float64(base), "x-store")
		})
	}
}
