//go:build unix

package watch

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/dir"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// BenchmarkDelivery reads one file of corpus records with the watch
// service twice in each round, on new SQLite stores: without a sink (the
// baseline) and with a webhook sink to a loopback receiver that answers
// 200 at once. It reports the alerts stored a second and the deliveries
// received a second in the run with the sink, from the file appearing
// until the last of each, their ratio, and the time to store every
// record with the sink as a share of the time without (the dispatcher's
// overhead on watch):
//
//	go test -run - -bench Delivery -benchtime 3x ./internal/watch
func BenchmarkDelivery(b *testing.B) {
	var buf bytes.Buffer
	n, err := corpus.Generate(&buf, corpus.Options{Size: 8 << 20, Seed: 1, AuditShare: 0.5})
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "corpus.json")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	var took atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		took.Add(1)
	}))
	defer srv.Close()
	var base, withSink, delivered time.Duration
	var alerts, received int64
	for b.Loop() {
		t, _, _ := measureWatch(b, file, int64(n), "")
		base += t
		took.Store(0)
		t, d, a := measureWatch(b, file, int64(n), srv.URL)
		withSink += t
		delivered += d
		alerts += a
		received += took.Load()
	}
	if received < alerts {
		b.Fatalf("the receiver took %d alerts, %d were stored", received, alerts)
	}
	b.ReportMetric(float64(alerts)/withSink.Seconds(), "alerts-stored/s")
	b.ReportMetric(float64(alerts)/delivered.Seconds(), "deliveries/s")
	b.ReportMetric(withSink.Seconds()/delivered.Seconds(), "delivered/stored")
	b.ReportMetric(base.Seconds()/withSink.Seconds(), "watch-with-sink/without")
	b.ReportMetric(float64(alerts)/float64(b.N), "alerts/round")
}

// measureWatch starts the service on an empty folder with a new SQLite
// store, and a webhook sink to url unless it is empty, moves file (of n
// records) into the folder once the service runs, and returns how long
// storing its records took, how long until every delivery was sent, and
// how many open alerts were stored.
func measureWatch(b *testing.B, file string, n int64, url string) (stored, delivered time.Duration, alerts int64) {
	b.Helper()
	logs := b.TempDir()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	opts := Options{Store: dsn, Sources: []feed.Source{dir.New(logs, dir.Options{Poll: 5 * time.Millisecond})}, Load: loader()}
	if url != "" {
		cfg, err := notify.Parse("webhook:" + url + "#name=bench")
		if err != nil {
			b.Fatal(err)
		}
		sk, err := notify.New(cfg, notify.Options{})
		if err != nil {
			b.Fatal(err)
		}
		opts.Load = withSinks(loader(), sk)
	}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(b.Context())
	go func() { done <- Run(ctx, opts) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		os.Rename(filepath.Join(logs, "corpus.json"), file)
	}()
	st, err := store.Open(b.Context(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	count := func(want int64) bool {
		c, err := st.Counts(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		return c["dir:"+logs].Records >= want
	}
	// A first record tells the service is running.
	if err := os.WriteFile(filepath.Join(logs, "first.json"), []byte(strings.SplitAfter(mustRead(b, file), "\n")[0]), 0o644); err != nil {
		b.Fatal(err)
	}
	for !count(1) {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	if err := os.Rename(file, filepath.Join(logs, "corpus.json")); err != nil {
		b.Fatal(err)
	}
	for !count(n + 1) {
		time.Sleep(5 * time.Millisecond)
	}
	stored = time.Since(start)
	for url != "" {
		bl, err := st.Backlog(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		if bl["bench"].Pending == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	delivered = time.Since(start)
	err = st.Alerts(b.Context(), store.Filter{Statuses: []string{"open"}}, func(alert.Alert) error {
		alerts++
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return stored, delivered, alerts
}
