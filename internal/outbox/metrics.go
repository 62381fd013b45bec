package outbox

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// metrics are the per-sink metrics of delivery. Counters count what this
// process did; the backlog gauges are read from the store when scraped,
// so they count what every process sharing it has left.
type metrics struct {
	st  *store.Store
	now func() time.Time
	mu  sync.Mutex
	// sinks are the names of the sinks in use.
	sinks     []string
	sent      *prometheus.CounterVec
	failed    *prometheus.CounterVec
	dead      *prometheus.CounterVec
	silenced  *prometheus.CounterVec
	reminders *prometheus.CounterVec
	latency   *prometheus.HistogramVec

	backlog, deadNow, oldest *prometheus.Desc
}

func newMetrics(st *store.Store, now func() time.Time) *metrics {
	m := &metrics{
		st:  st,
		now: now,
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_deliveries_sent_total", Help: "Alerts a sink took, by sink.",
		}, []string{"sink"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_delivery_failures_total", Help: "Attempts to send an alert (or a group message) that failed, by sink.",
		}, []string{"sink"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_deliveries_dead_total", Help: "Deliveries given up (dead letters), by sink.",
		}, []string{"sink"}),
		silenced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_deliveries_silenced_total", Help: "Deliveries not sent because a silence matched the alert, by sink.",
		}, []string{"sink"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_delivery_reminders_total", Help: "Group messages sent again for alerts still open (repeat-interval), by sink.",
		}, []string{"sink"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "appwatch_delivery_latency_seconds", Help: "Time from an alert being stored to a sink taking it, by sink.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600},
		}, []string{"sink"}),
		backlog: prometheus.NewDesc("appwatch_delivery_backlog", "Deliveries pending, by sink, in the whole store.", []string{"sink"}, nil),
		deadNow: prometheus.NewDesc("appwatch_delivery_dead", "Dead deliveries waiting for an operator, by sink, in the whole store.", []string{"sink"}, nil),
		oldest: prometheus.NewDesc("appwatch_delivery_oldest_pending_age_seconds",
			"Age of the oldest alert not yet delivered to a sink (0 when none is pending), by sink.", []string{"sink"}, nil),
	}
	return m
}

// setSinks sets the sinks in use, whose counters start at zero.
func (m *metrics) setSinks(sinks []*notify.Sink) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sinks = nil
	for _, s := range sinks {
		m.sinks = append(m.sinks, s.Name())
		for _, c := range []*prometheus.CounterVec{m.sent, m.failed, m.dead, m.silenced} {
			c.WithLabelValues(s.Name())
		}
	}
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.collectors() {
		c.Describe(ch)
	}
	ch <- m.backlog
	ch <- m.deadNow
	ch <- m.oldest
}

// Collect implements prometheus.Collector: the counters, and the backlog
// read from the store, of the sinks in use and of any other sink with
// deliveries left in the store (one removed from the configuration).
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.collectors() {
		c.Collect(ch)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	backlog, err := m.st.Backlog(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.backlog, err)
		return
	}
	now := m.now()
	m.mu.Lock()
	sinks := slices.Clone(m.sinks)
	m.mu.Unlock()
	for sink := range backlog {
		if !slices.Contains(sinks, sink) {
			sinks = append(sinks, sink)
		}
	}
	for _, sink := range sinks {
		b := backlog[sink]
		age := 0.0
		if !b.OldestPending.IsZero() {
			age = max(now.Sub(b.OldestPending).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(m.backlog, prometheus.GaugeValue, float64(b.Pending), sink)
		ch <- prometheus.MustNewConstMetric(m.deadNow, prometheus.GaugeValue, float64(b.Dead), sink)
		ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, age, sink)
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.sent, m.failed, m.dead, m.silenced, m.reminders, m.latency}
}
