package kafka_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/kafka"
	"github.com/appwatch/appwatch/internal/store"
)

// The test cluster: SASL PLAIN with this user, one topic of three
// partitions.
const (
	user       = "appwatch"
	password   = "kafka-secret"
	topic      = "logs"
	partitions = 3
)

// newCluster starts an in-process Kafka cluster for the test.
func newCluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	base := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.SeedTopics(partitions, topic),
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", user, password),
		kfake.GroupMinSessionTimeout(500 * time.Millisecond),
	}
	c, err := kfake.NewCluster(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// sourceURL names the topic of c, read by group. The session timeout is
// short so that the partitions of a killed member move soon.
func sourceURL(c *kfake.Cluster, group string) string {
	return "kafka://" + strings.Join(c.ListenAddrs(), ",") + "/" + topic + "?group=" + group + "&session_timeout=2s"
}

// credentials is the environment of a source of the test cluster.
func credentials(name string) string {
	switch name {
	case kafka.EnvUsername:
		return user
	case kafka.EnvPassword:
		return password
	}
	return ""
}

// newSource returns a source of the test cluster read by group.
func newSource(t testing.TB, c *kfake.Cluster, group string, opts kafka.Options) *kafka.Source {
	t.Helper()
	cfg, err := kafka.Parse(sourceURL(c, group), credentials)
	if err != nil {
		t.Fatal(err)
	}
	if opts.SettleWait == 0 {
		opts.SettleWait = 3 * time.Second
	}
	src, err := kafka.New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// producer writes to the partitions the test names.
type producer struct {
	t  testing.TB
	cl *kgo.Client
}

// newProducer returns a producer to c; opts add to or override its
// options.
func newProducer(t testing.TB, c *kfake.Cluster, opts ...kgo.Opt) *producer {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(c.ListenAddrs()...),
		kgo.SASL(plain.Auth{User: user, Pass: password}.AsMechanism()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.DefaultProduceTopic(topic),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &producer{t: t, cl: cl}
}

// produce writes each value to partition p and returns their offsets.
func (p *producer) produce(partition int32, values ...[]byte) []int64 {
	p.t.Helper()
	offsets, err := p.try(context.Background(), partition, values...)
	if err != nil {
		p.t.Fatalf("produce: %v", err)
	}
	return offsets
}

// try writes each value to partition p and returns their offsets, or
// the error; it may be called from any goroutine.
func (p *producer) try(ctx context.Context, partition int32, values ...[]byte) ([]int64, error) {
	recs := make([]*kgo.Record, len(values))
	for i, v := range values {
		recs[i] = &kgo.Record{Partition: partition, Value: v}
	}
	if err := p.cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return nil, err
	}
	offsets := make([]int64, len(recs))
	for i, r := range recs {
		offsets[i] = r.Offset
	}
	return offsets, nil
}

// ruleRecords returns the records of every built-in rule's Event Hubs
// test file (match-eventhub.json), compacted, one string each, by file.
// The records of one file may depend on each other (an Activity Log
// operation's start carries what its end lacks), so they are kept
// together and in order.
func ruleRecords(t testing.TB) [][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "rules", "testdata", "*", "match-eventhub.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule test records: %v", err)
	}
	slices.Sort(files)
	var out [][]string
	for _, f := range files {
		var group []string
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Records []json.RawMessage }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range doc.Records {
			var c bytes.Buffer
			if err := json.Compact(&c, r); err != nil {
				t.Fatal(err)
			}
			group = append(group, c.String())
		}
		out = append(out, group)
	}
	return out
}

// flat returns the records of groups, in order.
func flat(groups [][]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// Message shapes: how the records of one message are written.
type shape int

const (
	wrapper shape = iota // {"records":[...]}, as diagnostic settings send
	single               // one record, without wrapper (one record only)
	lines                // JSON Lines
	gzipped              // a gzipped wrapper
	pretty               // an indented wrapper, over many lines
	array                // a JSON array of records
	shapes
)

func (s shape) String() string {
	return [...]string{"wrapper", "single", "lines", "gzipped", "pretty", "array"}[s]
}

// message writes records as one message of shape s; single takes the
// first record only.
func message(s shape, records []string) []byte {
	switch s {
	case single:
		return []byte(records[0])
	case lines:
		return []byte(strings.Join(records, "\n") + "\n")
	case array:
		return []byte("[" + strings.Join(records, ",") + "]")
	}
	b := []byte(`{"records":[` + strings.Join(records, ",") + `]}`)
	switch s {
	case gzipped:
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	case pretty:
		var p bytes.Buffer
		json.Indent(&p, b, "", "  ")
		return p.Bytes()
	}
	return b
}

// sink plays the service for a source: it stores batches in memory and
// acknowledges them, unless told not to.
type sink struct {
	mu       sync.Mutex
	pos      map[string]string
	events   map[string]int // refs stored, with how often
	rejected map[string]store.Rejected
	counts   store.Counts
	noAck    bool
	stale    int // batches refused as stale
}

func newSink() *sink {
	return &sink{pos: map[string]string{}, events: map[string]int{}, rejected: map[string]store.Rejected{}}
}

// Positions implements feed.State.
func (k *sink) Positions(context.Context, string) (map[string]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make(map[string]string, len(k.pos))
	for s, p := range k.pos {
		out[s] = p
	}
	return out, nil
}

// store stores b, in one step as the store would, then acknowledges it;
// a batch whose checked positions moved on is refused as stale, as the
// store refuses it.
func (k *sink) store(b *feed.Batch) {
	k.mu.Lock()
	for _, p := range b.Positions {
		if cur, ok := k.pos[p.Stream]; p.Check && (cur != p.From || p.From == "" && ok) {
			k.stale++
			k.mu.Unlock()
			if b.Stale != nil {
				b.Stale()
			}
			return
		}
	}
	for _, e := range b.Events {
		k.events[e.Ref]++
	}
	for _, r := range b.Rejected {
		k.rejected[r.Stream+"/"+r.Position] = r
	}
	for _, p := range b.Positions {
		k.pos[p.Stream] = p.Value
	}
	k.counts.Records += b.Counts.Records
	k.counts.Events += b.Counts.Events
	k.counts.Rejected += b.Counts.Rejected
	k.counts.Skipped += b.Counts.Skipped
	ack := !k.noAck
	k.mu.Unlock()
	if ack && b.Ack != nil {
		b.Ack()
	}
}

func (k *sink) records() int64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.counts.Records
}

// running is a source run by a test against a sink.
type running struct {
	t      testing.TB
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// run runs src, storing its batches in k, until stop is called or the
// test ends.
func run(t testing.TB, src feed.Source, k *sink) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, cancel: cancel, done: make(chan error, 1)}
	out := make(chan *feed.Batch, 1)
	ran := make(chan error, 1)
	go func() { ran <- src.Run(ctx, k, out) }()
	go func() {
		for {
			select {
			case b := <-out:
				k.store(b)
			case err := <-ran:
				r.done <- err
				return
			}
		}
	}()
	t.Cleanup(r.stop)
	return r
}

// stop stops the source and waits for it.
func (r *running) stop() {
	r.once.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil && err != context.Canceled {
				r.t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			r.t.Error("the source did not stop within 15 s")
		}
	})
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("gave up after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
