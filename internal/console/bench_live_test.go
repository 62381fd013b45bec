package console

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

// BenchmarkLivePoll measures what the alerts page's poll for new alerts
// costs over a store of 100,000 alerts, every --poll (15 s) per open
// page: the time to the first byte of the poll's answer (nothing new:
// 204), without and with a filter, against the store's count alone
// (x-store) and against drawing the alerts page again (x-page), both
// timed in the same loop.
//
//	go test ./internal/console -run '^$' -bench LivePoll -benchtime 20x
func BenchmarkLivePoll(b *testing.B) {
	e := newEnv(b, nil, nil)
	alerts := testAlerts(benchAlerts)
	for i := 0; i < len(alerts); i += 5000 {
		if _, err := e.store.Commit(b.Context(), &store.Batch{Source: "dir:/var/log/entra", Alerts: alerts[i:min(i+5000, len(alerts))]}); err != nil {
			b.Fatal(err)
		}
	}
	newest, err := e.store.Newest(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	seen := strconv.FormatInt(newest, 10)
	cases := []struct {
		name  string
		query url.Values
		q     store.Query
	}{
		{"all", url.Values{}, store.Query{}},
		{"filter", url.Values{"level": {"high"}, "status": {"open"}, "app": {"4f1c2d3e-0000-4000-8000-00000000000b"}},
			store.Query{Levels: []string{"high"}, Statuses: []string{"open"}, Apps: []string{"4f1c2d3e-0000-4000-8000-00000000000b"}}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			poll := url.Values{paramSeen: {seen}, paramShown: {"0"}}
			for k, v := range tc.query {
				poll[k] = v
			}
			var base, live, page time.Duration
			for b.Loop() {
				t := time.Now()
				if _, err := e.store.CountSince(b.Context(), tc.q, newest); err != nil {
					b.Fatal(err)
				}
				base += time.Since(t)
				live += e.timeToFirstByte(b, cl, "/alerts/live?"+poll.Encode(), http.StatusNoContent)
				page += e.timeToFirstByte(b, cl, "/alerts?"+tc.query.Encode(), http.StatusOK)
			}
			n := float64(b.N)
			b.ReportMetric(float64(base.Microseconds())/n/1000, "store-ms/op")
			b.ReportMetric(float64(live.Microseconds())/n/1000, "poll-ms/op")
			b.ReportMetric(float64(page.Microseconds())/n/1000, "page-ms/op")
			b.ReportMetric(float64(live)/float64(base), "x-store")
			b.ReportMetric(float64(live)/float64(page), "x-page")
		})
	}
}

// timeToFirstByte fetches path with cl and returns the time to the
// first byte of the response, which must have status want.
func (e *env) timeToFirstByte(b *testing.B, cl *http.Client, path string, want int) time.Duration {
	var first time.Time
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotFirstResponseByte: func() { first = time.Now() }})
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
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != want {
		b.Fatalf("GET %s: %s (want %d), %v", path, resp.Status, want, err)
	}
	return first.Sub(start)
}
