package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

// benchAlerts is how many alerts the console's benchmark stores.
const benchAlerts = 100_000

// BenchmarkConsole measures the console over a store of 100,000 alerts:
// the time to the first byte of the alerts list, of a filtered list and
// of an alert's page, each against its baseline measured in the same
// loop, the store query alone that the page cannot do without (the
// page's list of alerts, or the alert). x-store is the page's time as a
// multiple of its baseline; the rest of the page's time is the facet
// counts, the rendering and HTTP.
//
//	go test ./internal/console -run '^$' -bench Console -benchtime 20x
func BenchmarkConsole(b *testing.B) {
	start := time.Now()
	e := newEnv(b, nil, nil)
	alerts := testAlerts(benchAlerts)
	for i := 0; i < len(alerts); i += 5000 {
		batch := &store.Batch{Source: "dir:/var/log/entra", Alerts: alerts[i:min(i+5000, len(alerts))]}
		if _, err := e.store.Commit(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d alerts stored in %s", len(alerts), time.Since(start).Round(time.Millisecond))
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	filter := store.Query{Levels: []string{"high"}, Statuses: []string{"open"}, Apps: []string{"4f1c2d3e-0000-4000-8000-00000000000b"}}
	cases := []struct {
		name, path string
		baseline   func(ctx context.Context) error
	}{
		{"list", "/alerts", func(ctx context.Context) error {
			_, _, err := e.store.List(ctx, store.Query{}, nil, DefaultPageSize)
			return err
		}},
		{"filter", "/alerts?level=high&status=open&app=4f1c2d3e-0000-4000-8000-00000000000b", func(ctx context.Context) error {
			_, _, err := e.store.List(ctx, filter, nil, DefaultPageSize)
			return err
		}},
		{"detail", "/alerts/key-50000", func(ctx context.Context) error {
			_, err := e.store.AlertByKey(ctx, "key-50000")
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var base, page time.Duration
			for b.Loop() {
				t := time.Now()
				if err := tc.baseline(b.Context()); err != nil {
					b.Fatal(err)
				}
				base += time.Since(t)
				page += e.firstByte(b, cl, tc.path)
			}
			n := float64(b.N)
			b.ReportMetric(float64(base.Microseconds())/n/1000, "store-ms/op")
			b.ReportMetric(float64(page.Microseconds())/n/1000, "page-ms/op")
			b.ReportMetric(float64(page)/float64(base), "x-store")
		})
	}
}

// firstByte fetches path with cl and returns the time to the first byte
// of the response, which must be 200.
func (e *env) firstByte(b *testing.B, cl *http.Client, path string) time.Duration {
	var first time.Time
	ctx := httptrace.WithClientTrace(b.Context(), &httptrace.ClientTrace{GotFirstResponseByte: func() { first = time.Now() }})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		b.Fatal(fmt.Errorf("GET %s: %s, %v", path, resp.Status, err))
	}
	return first.Sub(start)
}
