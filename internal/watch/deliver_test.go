package watch

import (
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/outbox"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// TestDeliveryMetrics runs the service with a webhook sink that fails,
// then recovers: /metrics shows, by sink, the failures, the backlog and
// the age of the oldest undelivered alert while it fails, and every open
// alert sent with nothing left once it recovers.
func TestDeliveryMetrics(t *testing.T) {
	var failing atomic.Bool
	var took atomic.Int64
	failing.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		took.Add(1)
	}))
	defer srv.Close()
	cfg, err := notify.Parse("webhook:" + srv.URL + "#name=hook")
	if err != nil {
		t.Fatal(err)
	}
	sk, err := notify.New(cfg, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dsn, logs := storetest.SQLite(t), t.TempDir()
	startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}, Listener: ln, Load: withSinks(loader(), sk),
		Delivery: outbox.Options{Poll: 20 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}})
	base, st := "http://"+ln.Addr().String(), openStore(t, dsn)
	lines := writeCorpus(t, filepath.Join(t.TempDir(), "c"), 200<<10, 5)
	appendFile(t, filepath.Join(logs, "a.json"), strings.Join(lines, ""))
	waitFor(t, 30*time.Second, "every line stored", func() bool { return recordsStored(t, st, "dir:"+logs) == int64(len(lines)) })
	open := 0
	for _, a := range storedAlerts(t, st) {
		if a.Status == "open" {
			open++
		}
	}
	if open == 0 {
		t.Fatal("no open alert to deliver")
	}
	waitFor(t, 30*time.Second, "failures, backlog and age on /metrics", func() bool {
		m := get(t, base+"/metrics")
		return metric(m, `appwatch_delivery_failures_total{sink="hook"}`) >= 2 &&
			metric(m, `appwatch_delivery_backlog{sink="hook"}`) == float64(open) &&
			metric(m, `appwatch_delivery_oldest_pending_age_seconds{sink="hook"}`) > 0
	})
	failing.Store(false)
	waitFor(t, 60*time.Second, "every alert sent", func() bool {
		m := get(t, base+"/metrics")
		return metric(m, `appwatch_deliveries_sent_total{sink="hook"}`) == float64(open) &&
			metric(m, `appwatch_delivery_backlog{sink="hook"}`) == 0 &&
			metric(m, `appwatch_delivery_oldest_pending_age_seconds{sink="hook"}`) == 0
	})
	if took.Load() != int64(open) {
		t.Errorf("the webhook took %d alerts, %d are open", took.Load(), open)
	}
}

// metric returns the value of the sample named, labels included, in a
// Prometheus text page; -1 when it is not there.
func metric(page, sample string) float64 {
	m := regexp.MustCompile("(?m)^" + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(page)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1
	}
	return v
}
