package kafka_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// The measurements run only when APPWATCH_KAFKA_MEASURE is set: they
// take minutes and print figures rather than check them.
//
//	APPWATCH_KAFKA_MEASURE=1 go test ./internal/feed/kafka -run Measure -v -timeout 60m
func measuring(t *testing.T) {
	if os.Getenv("APPWATCH_KAFKA_MEASURE") == "" {
		t.Skip("set APPWATCH_KAFKA_MEASURE=1 to measure")
	}
}

// corpusLines returns about size bytes of synthetic records.
func corpusLines(t testing.TB, size int64, seed uint64) []string {
	var b bytes.Buffer
	if _, err := corpus.Generate(&b, corpus.Options{Size: size, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// produceAsync writes values to the partitions in turn and waits for
// them all.
func produceAsync(t testing.TB, p *producer, values [][]byte) {
	t.Helper()
	done := make(chan error, len(values))
	for i, v := range values {
		p.cl.Produce(context.Background(), &kgo.Record{Partition: int32(i % partitions), Value: v}, func(_ *kgo.Record, err error) { done <- err })
	}
	for range values {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// TestMeasureThroughput compares appwatch watch reading records from
// Kafka on loopback into SQLite with appwatch scan reading the same
// records from a file, scan run again before each case so that the two
// share the machine's load. The cases: messages of 50 records (as
// diagnostic settings batch them) and of one record, uncompressed (as
// Event Hubs hands on what diagnostic settings send it) and compressed
// with snappy (franz-go's default for producers, a team's own Kafka).
func TestMeasureThroughput(t *testing.T) {
	measuring(t)
	bin := appwatch(t)
	lines := corpusLines(t, 64<<20, 5)
	file := filepath.Join(t.TempDir(), "records.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		per   int
		codec kgo.CompressionCodec
		name  string
	}{
		{50, kgo.NoCompression(), "uncompressed"},
		{1, kgo.NoCompression(), "uncompressed"},
		{50, kgo.SnappyCompression(), "snappy"},
		{1, kgo.SnappyCompression(), "snappy"},
	}
	for _, tc := range cases {
		start := time.Now()
		scan := exec.Command(bin, "scan", "--format", "jsonl", file)
		out, err := scan.Output()
		if err != nil && len(out) == 0 {
			t.Fatalf("scan: %v", err)
		}
		scanTime := time.Since(start)
		scanCPU := scan.ProcessState.UserTime() + scan.ProcessState.SystemTime()

		c := newCluster(t)
		p := newProducer(t, c, kgo.ProducerBatchCompression(tc.codec))
		var values [][]byte
		for i := 0; i < len(lines); i += tc.per {
			values = append(values, message(wrapper, lines[i:min(i+tc.per, len(lines))]))
		}
		produceAsync(t, p, values)
		dsn := storetest.SQLite(t)
		st := openStore(t, dsn)
		source := sourceURL(c, "throughput")
		start = time.Now()
		ch := startChild(t, bin, dsn, source, filepath.Join(t.TempDir(), "watch.log"))
		waitFor(t, 20*time.Minute, "every record", func() bool { return counts(t, st, source).Records >= int64(len(lines)) })
		watchTime := time.Since(start)
		ch.stop()
		watchCPU := ch.cmd.ProcessState.UserTime() + ch.cmd.ProcessState.SystemTime()
		// On a shared, loaded machine the processes get what processor
		// time is left: records per processor-second compare the work
		// each does, the Kafka cluster (this process) left out.
		t.Logf("%d records (64 MB), %d per message, %s: scan %.2fs, watch from Kafka into SQLite %.2fs: watch/scan throughput = %.2f; processor time scan %v, watch %v: watch/scan records per processor-second = %.2f",
			len(lines), tc.per, tc.name, scanTime.Seconds(), watchTime.Seconds(), scanTime.Seconds()/watchTime.Seconds(),
			scanCPU.Round(time.Millisecond), watchCPU.Round(time.Millisecond), scanCPU.Seconds()/watchCPU.Seconds())
	}
}

// TestMeasureLatency produces one record per message at 1,000 records a
// second and measures, for every alert, the time from its record being
// produced to the alert being stored (its first_seen).
func TestMeasureLatency(t *testing.T) {
	measuring(t)
	bin := appwatch(t)
	const rate, seconds = 1000, 30
	lines := corpusLines(t, 200<<20, 9)[:rate*seconds]
	c := newCluster(t)
	p := newProducer(t, c)
	dsn := storetest.SQLite(t)
	st := openStore(t, dsn)
	source := sourceURL(c, "latency")
	ch := startChild(t, bin, dsn, source, filepath.Join(t.TempDir(), "watch.log"))
	// Wait for the group to settle: a first record stored.
	p.produce(0, []byte(lines[0]))
	waitFor(t, 30*time.Second, "the first record", func() bool { return counts(t, st, source).Records >= 1 })

	sent := make(map[string]time.Time, len(lines)) // "partition@offset" → produced
	type result struct {
		key string
		at  time.Time
	}
	results := make(chan result, len(lines))
	begin := time.Now()
	for i, l := range lines[1:] {
		if wait := time.Until(begin.Add(time.Duration(i) * time.Second / rate)); wait > 0 {
			time.Sleep(wait)
		}
		at := time.Now()
		p.cl.Produce(context.Background(), &kgo.Record{Partition: int32(i % partitions), Value: []byte(l)}, func(r *kgo.Record, err error) {
			if err == nil {
				results <- result{strconv.Itoa(int(r.Partition)) + "@" + strconv.FormatInt(r.Offset, 10), at}
			}
		})
	}
	waitFor(t, 60*time.Second, "every record", func() bool { return counts(t, st, source).Records >= int64(len(lines)) })
	ch.stop()
	for range len(lines) - 1 {
		r := <-results
		sent[r.key] = r.at
	}
	var lat []time.Duration
	err := st.Alerts(t.Context(), store.Filter{}, func(a alert.Alert) error {
		// source.file is topic/partition@offset.
		_, where, _ := strings.Cut(a.Source.File, "/")
		at, ok := sent[where]
		if !ok {
			return nil
		}
		stored, err := time.Parse(time.RFC3339Nano, a.FirstSeen)
		if err != nil {
			return err
		}
		lat = append(lat, stored.Sub(at))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) == 0 {
		t.Fatal("no alert measured")
	}
	slices.Sort(lat)
	q := func(f float64) time.Duration { return lat[min(len(lat)-1, int(f*float64(len(lat))))] }
	t.Logf("%d records at %d/s, %d alerts: produced → stored p50 %v, p90 %v, p99 %v, max %v",
		len(lines), rate, len(lat), q(0.50), q(0.90), q(0.99), lat[len(lat)-1])
}

// TestMeasureMemory streams records through appwatch watch and reports
// its peak RSS after each tenth of them: memory is flat when the peak
// after all of them is close to that after a tenth. The records are the
// same synthetic ones over and over (so alerts stop growing after the
// first pass); the topic is trimmed behind the group so that the cluster,
// in this process, stays small. APPWATCH_MEASURE_RECORDS sets the total
// (default 1,000,000; 10,000,000 takes about half an hour on a loaded
// machine of two cores):
//
//	APPWATCH_KAFKA_MEASURE=1 APPWATCH_MEASURE_RECORDS=10000000 go test ./internal/feed/kafka -run MeasureMemory -v -timeout 90m
func TestMeasureMemory(t *testing.T) {
	measuring(t)
	bin := appwatch(t)
	total := 1_000_000
	if v := os.Getenv("APPWATCH_MEASURE_RECORDS"); v != "" {
		total, _ = strconv.Atoi(v)
	}
	lines := corpusLines(t, 32<<20, 13)
	const per = 20
	var values [][]byte
	for i := 0; i+per <= len(lines); i += per {
		values = append(values, message(wrapper, lines[i:i+per]))
	}
	c := newCluster(t)
	p := newProducer(t, c)
	adm := kadm.NewClient(p.cl)
	dsn := storetest.SQLite(t)
	st := openStore(t, dsn)
	source := sourceURL(c, "memory")
	ch := startChild(t, bin, dsn, source, filepath.Join(t.TempDir(), "watch.log"))
	pid := ch.cmd.Process.Pid

	produced, next := 0, 0
	var peaks []int
	start := time.Now()
	for tenth := 1; tenth <= 10; tenth++ {
		mark := total / 10 * tenth
		for {
			stored := counts(t, st, source).Records
			if stored >= int64(mark) {
				break
			}
			if produced-int(stored) < 40_000 && produced < mark {
				batch := values[next%len(values) : min(next%len(values)+200, len(values))]
				produceAsync(t, p, batch)
				next += len(batch)
				produced += len(batch) * per
				continue
			}
			trim(t, adm, "memory")
			time.Sleep(50 * time.Millisecond)
		}
		peaks = append(peaks, peakRSS(t, pid))
		t.Logf("%d records: peak RSS %d MiB after %v", mark, peaks[len(peaks)-1]>>10, time.Since(start).Round(time.Second))
	}
	ch.stop()
	t.Logf("peak RSS after %d records / after %d = %.2f", total, total/10, float64(peaks[9])/float64(peaks[0]))
}

// trim deletes the records the group has committed past.
func trim(t testing.TB, adm *kadm.Client, group string) {
	offs, err := adm.FetchOffsets(context.Background(), group)
	if err != nil {
		return
	}
	var to kadm.Offsets
	offs.Each(func(o kadm.OffsetResponse) {
		if o.At > 0 {
			to.AddOffset(o.Topic, o.Partition, o.At, -1)
		}
	})
	adm.DeleteRecords(context.Background(), to)
}

// peakRSS returns the peak resident set size of process pid, in KiB.
func peakRSS(t testing.TB, pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}
