package watch

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus metrics. Source names label the
// per-source series: they are few, fixed on the command line.
type metrics struct {
	records   *prometheus.CounterVec
	rejected  *prometheus.CounterVec
	skipped   *prometheus.CounterVec
	events    *prometheus.CounterVec
	batches   *prometheus.CounterVec
	alerts    *prometheus.CounterVec
	copies    *prometheus.CounterVec
	lag       *prometheus.HistogramVec
	store     *prometheus.HistogramVec
	retries   *prometheus.CounterVec
	sourceUp  *prometheus.GaugeVec
	lastBatch *prometheus.GaugeVec
	reloads   *prometheus.CounterVec
	evals     prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_records_total", Help: "Records read and stored, by source: events, rejected and skipped records together.",
		}, []string{"source"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_records_rejected_total", Help: "Records that could not be decoded, stored as rejected, by source.",
		}, []string{"source"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_records_skipped_total", Help: "Records read that hold nothing appwatch looks at, by source.",
		}, []string{"source"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_events_total", Help: "Events decoded and run through the rules, by source.",
		}, []string{"source"}),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_batches_total", Help: "Batches stored, by source.",
		}, []string{"source"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_alerts_total", Help: "Alerts stored for the first time, by rule and status (open or suppressed).",
		}, []string{"rule_id", "status"}),
		copies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_alert_copies_total", Help: "Alerts not stored because another record of the same change raised the alert, by rule.",
		}, []string{"rule_id"}),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "appwatch_ingest_lag_seconds", Help: "Time from an event's activity to its batch being stored, by source.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600},
		}, []string{"source"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "appwatch_store_operation_seconds", Help: "Time store operations take, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"op"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_store_retries_total", Help: "Store operations that failed and were tried again, by operation.",
		}, []string{"op"}),
		sourceUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "appwatch_source_up", Help: "1 while a source is reading, 0 while it waits to start again after an error.",
		}, []string{"source"}),
		lastBatch: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "appwatch_source_last_batch_timestamp_seconds", Help: "When a source's last batch was stored, as a Unix time.",
		}, []string{"source"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "appwatch_config_reloads_total", Help: "Reloads of rules and policy, by result (success or failure).",
		}, []string{"result"}),
		evals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "appwatch_correlation_evaluations_total", Help: "Correlation groups evaluated from the store.",
		}),
	}
	reg.MustRegister(m.records, m.rejected, m.skipped, m.events, m.batches, m.alerts, m.copies, m.lag, m.store,
		m.retries, m.sourceUp, m.lastBatch, m.reloads, m.evals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
