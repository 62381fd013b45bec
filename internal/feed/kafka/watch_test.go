package kafka_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/kafka"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
	"github.com/appwatch/appwatch/internal/watch"
)

// service is a watch service run by a test.
type service struct {
	t      testing.TB
	cancel context.CancelFunc
	done   chan error
	reg    *prometheus.Registry
}

// startService runs appwatch watch's service over the store dsn with
// the given sources until stop is called or the test ends.
func startService(t testing.TB, dsn string, sources ...feed.Source) *service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{t: t, cancel: cancel, done: make(chan error, 1), reg: prometheus.NewRegistry()}
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	go func() {
		s.done <- watch.Run(ctx, watch.Options{Store: dsn, Sources: sources, Load: load, Registry: s.reg, Logger: log, Sweep: 50 * time.Millisecond})
	}()
	t.Cleanup(s.stop)
	return s
}

// stop stops the service, which must return within 10 seconds.
func (s *service) stop() {
	s.cancel()
	select {
	case err, ok := <-s.done:
		if ok && err != nil {
			s.t.Errorf("watch: %v", err)
		}
		if ok {
			close(s.done)
		}
	case <-time.After(10 * time.Second):
		s.t.Error("the service did not stop within 10 seconds")
	}
}

// metric returns the value of the series of name whose labels include
// labels, and whether there is one.
func (s *service) metric(name string, labels ...string) (float64, bool) {
	s.t.Helper()
	families, err := s.reg.Gather()
	if err != nil {
		s.t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				if !hasLabel(m, labels[i], labels[i+1]) {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue(), true
			case m.Gauge != nil:
				return m.Gauge.GetValue(), true
			}
		}
	}
	return 0, false
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

// openStore opens the store at dsn for the test to read.
func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// counts returns what the store counted for source.
func counts(t testing.TB, st *store.Store, source string) store.SourceCounts {
	t.Helper()
	c, err := st.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c[source]
}

// TestWatch runs appwatch watch's service over a topic holding every
// built-in rule's test records, in every message shape, and messages that
// cannot be decoded: it stores the alerts scan raises on the records,
// each once, and the rejected messages, and its metrics say how far it
// read each partition.
func TestWatch(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	groups := ruleRecords(t)
	messages, records := 0, int64(0)
	s := shape(0)
	// The rules' records go to partition 0, in order (see newStream);
	// synthetic records in every shape to the others.
	for _, g := range groups {
		for i := 0; i < len(g); s = (s + 1) % shapes {
			n := min(2, len(g)-i)
			if s == single {
				n = 1
			}
			p.produce(0, message(s, g[i:i+n]))
			messages++
			records += int64(n)
			i += n
		}
	}
	var syn bytes.Buffer
	if _, err := corpus.Generate(&syn, corpus.Options{Size: 1 << 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(syn.String(), "\n"), "\n")
	for i := 0; i < len(lines); s = (s + 1) % shapes {
		n := min(1+int(s), len(lines)-i)
		if s == single {
			n = 1
		}
		p.produce(int32(1+i%2), message(s, lines[i:i+n]))
		groups = append(groups, lines[i:i+n])
		messages++
		records += int64(n)
		i += n
	}
	bad := map[int32][]byte{0: []byte("not json"), 2: []byte(`{"records":[{"time":"2026-03-11T10:15:00Z",`)}
	for part, v := range bad {
		p.produce(part, v)
		messages++
	}
	records += int64(len(bad))

	dsn := storetest.SQLite(t)
	src := newSource(t, c, "watch", kafka.Options{})
	svc := startService(t, dsn, src)
	st := openStore(t, dsn)
	waitFor(t, 30*time.Second, "every record stored", func() bool { return counts(t, st, src.Name()).Records >= records })
	x := detect(t, groups)
	waitFor(t, 10*time.Second, "correlations evaluated", func() bool { return correlations(t, st) >= x.correlationCount() })
	for part := range partitions {
		if v, ok := svc.metric("appwatch_kafka_consumer_lag", "source", src.Name(), "partition", fmt.Sprint(part)); !ok || v != 0 {
			t.Errorf("lag of partition %d = %v (reported %v), want 0", part, v, ok)
		}
	}
	if v, _ := svc.metric("appwatch_kafka_messages_total", "source", src.Name()); v != float64(messages) {
		t.Errorf("messages = %v, want %d", v, messages)
	}
	if v, _ := svc.metric("appwatch_records_total", "source", src.Name()); v != float64(records) {
		t.Errorf("records = %v, want %d", v, records)
	}
	if v, _ := svc.metric("appwatch_records_rejected_total", "source", src.Name()); v != float64(len(bad)) {
		t.Errorf("rejected = %v, want %d", v, len(bad))
	}
	svc.stop()

	x.check(t, st)
	if got := counts(t, st, src.Name()); got.Records != records || got.Rejected != int64(len(bad)) {
		t.Errorf("counts = %+v, want %d records, %d rejected", got, records, len(bad))
	}
	var rejected []string
	st.RejectedRecords(t.Context(), src.Name(), func(r store.RejectedRecord) error {
		rejected = append(rejected, fmt.Sprintf("%s %s %s", r.Stream, r.Position, r.Reason))
		return nil
	})
	if len(rejected) != len(bad) {
		t.Errorf("rejected records stored: %q, want %d", rejected, len(bad))
	}
}
