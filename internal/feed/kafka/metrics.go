package kafka

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
)

// metrics are a source's own Prometheus metrics, labelled with its name.
// The service counts the records of every source (appwatch_records_total
// and the like); these say what only a Kafka source knows.
type metrics struct {
	lag            *prometheus.Desc
	partitions     *prometheus.Desc
	messages       prometheus.Counter
	bytes          prometheus.Counter
	commitFailures prometheus.Counter
}

func newMetrics(source string) *metrics {
	l := prometheus.Labels{"source": source}
	return &metrics{
		lag: prometheus.NewDesc("appwatch_kafka_consumer_lag",
			"Messages of a partition not yet stored: its high watermark at the last fetch less the offset stored, by partition assigned to this instance.",
			[]string{"partition"}, l),
		partitions: prometheus.NewDesc("appwatch_kafka_partitions_assigned",
			"Partitions of the topic assigned to this instance.", nil, l),
		messages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "appwatch_kafka_messages_total", Help: "Messages read and stored.", ConstLabels: l,
		}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "appwatch_kafka_message_bytes_total", Help: "Bytes of the messages read and stored.", ConstLabels: l,
		}),
		commitFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "appwatch_kafka_commit_failures_total", Help: "Commits of stored offsets to the consumer group that failed (the next commit carries them).", ConstLabels: l,
		}),
	}
}

// Describe implements prometheus.Collector.
func (s *Source) Describe(ch chan<- *prometheus.Desc) {
	m := s.metrics
	ch <- m.lag
	ch <- m.partitions
	m.messages.Describe(ch)
	m.bytes.Describe(ch)
	m.commitFailures.Describe(ch)
}

// Collect implements prometheus.Collector.
func (s *Source) Collect(ch chan<- prometheus.Metric) {
	m := s.metrics
	m.messages.Collect(ch)
	m.bytes.Collect(ch)
	m.commitFailures.Collect(ch)
	ss := s.cur.Load()
	if ss == nil {
		ch <- prometheus.MustNewConstMetric(m.partitions, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(m.partitions, prometheus.GaugeValue, float64(ss.owned()))
	for p, lag := range ss.lag() {
		ch <- prometheus.MustNewConstMetric(m.lag, prometheus.GaugeValue, float64(lag), strconv.Itoa(int(p)))
	}
}

// kgoLogger passes the client's warnings and errors to slog.
type kgoLogger struct{ log *slog.Logger }

func (l kgoLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (l kgoLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	lv := slog.LevelWarn
	if level == kgo.LogLevelError {
		lv = slog.LevelError
	}
	l.log.Log(context.Background(), lv, "kafka client: "+msg, keyvals...)
}
