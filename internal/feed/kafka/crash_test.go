package kafka_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed/kafka"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// appwatch builds the appwatch binary once for the tests of the package.
func appwatch(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs appwatch: not in -short")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "appwatch-kafka-test")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "appwatch")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/appwatch/appwatch/cmd/appwatch").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// child is an appwatch watch process.
type child struct {
	cmd *exec.Cmd
	log *os.File
}

// startChild starts appwatch watch over the store dsn and source.
func startChild(t testing.TB, bin, dsn, source, logPath string, extra ...string) *child {
	t.Helper()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"watch", "--store", dsn, "--source", source}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), kafka.EnvUsername+"="+user, kafka.EnvPassword+"="+password)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, log: f}
	t.Cleanup(func() { c.kill() })
	return c
}

// kill kills the process with SIGKILL and waits for it.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		c.log.Close()
	}
}

// stop asks the process to stop with SIGTERM and returns its exit error,
// or an error when it does not exit within 10 seconds.
func (c *child) stop() error {
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		c.log.Close()
		return err
	case <-time.After(10 * time.Second):
		c.kill()
		return fmt.Errorf("did not exit within 10 s of SIGTERM")
	}
}

// sent is a message produced, with what it must become.
type sent struct {
	partition int32
	offset    int64
	records   int
	bad       bool
	// pairs are the alerts one detector over the whole stream raised on
	// its records.
	pairs []pair
}

// stream is a stream of messages to produce: synthetic records in every
// shape, the built-in rules' test records (correlations among them) and
// messages that cannot be decoded.
type stream struct {
	values  [][]byte
	parts   []int32
	msgs    []*sent
	groups  [][]string // the records of each good message, for detect
	records int
	// produced counts the messages produced so far, offsets set.
	produced atomic.Int32
}

func newStream(t testing.TB, size int64, seed uint64) *stream {
	t.Helper()
	var b bytes.Buffer
	if _, err := corpus.Generate(&b, corpus.Options{Size: size, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	syn := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	rules := ruleRecords(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	s := &stream{}
	// The rules' records, correlations among them, go to every
	// partition like the rest: hits of one correlation are read in
	// another order than their times, and the store keeps each result
	// once all the same.
	add := func(v []byte, records []string, bad bool) {
		part := int32(len(s.values) % partitions)
		s.values = append(s.values, v)
		s.parts = append(s.parts, part)
		m := &sent{partition: part, bad: bad, records: max(len(records), 1)}
		s.msgs = append(s.msgs, m)
		s.groups = append(s.groups, records)
		s.records += m.records
	}
	for i, n := 0, 0; i < len(syn); n++ {
		if n%40 == 17 {
			add([]byte(`{"records":[{"time":"2026-03-02T07:00:00Z","category":`), nil, true)
		}
		if n%9 == 4 && len(rules) > 0 {
			add(message(wrapper, rules[0]), rules[0], false)
			rules = rules[1:]
		}
		sh := shape(n % int(shapes))
		k := min(1+rng.IntN(8), len(syn)-i)
		if sh == single {
			k = 1
		}
		add(message(sh, syn[i:i+k]), syn[i:i+k], false)
		i += k
	}
	for _, g := range rules {
		add(message(wrapper, g), g, false)
	}
	return s
}

// expect runs the stream's records through detection, noting which
// message raised each alert of the whole.
func (s *stream) expect(t testing.TB) *expected {
	t.Helper()
	var good [][]string
	for _, g := range s.groups {
		if g != nil {
			good = append(good, g)
		}
	}
	x := detect(t, good)
	cfg, err := load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	d := scan.NewDetector(scan.Config{Rules: cfg.Rules, Enricher: cfg.Enricher(), Policy: cfg.Policy, Lang: cfg.Lang})
	dec := decode.NewDecoder(decode.Options{})
	for i, g := range s.groups {
		for _, r := range g {
			dec.Decode(t.Context(), "record", strings.NewReader(r), func(e *event.Event) error {
				for _, a := range d.Detect(e).Alerts {
					s.msgs[i].pairs = append(s.msgs[i].pairs, pairOf(a))
				}
				return nil
			})
		}
	}
	return x
}

// produce starts producing the stream's messages over about d,
// recording their offsets; the returned channel is closed when all are
// produced. Producing stops when the test ends.
func (s *stream) produce(t testing.TB, p *producer, d time.Duration) <-chan struct{} {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		<-done
	})
	go func() {
		defer close(done)
		every := d / time.Duration(len(s.values))
		start := time.Now()
		for i, v := range s.values {
			if wait := time.Until(start.Add(time.Duration(i) * every)); wait > 0 {
				time.Sleep(wait)
			}
			offsets, err := p.try(ctx, s.parts[i], v)
			if err != nil {
				if ctx.Err() == nil {
					t.Errorf("produce: %v", err)
				}
				return
			}
			s.msgs[i].offset = offsets[0]
			s.produced.Store(int32(i + 1))
		}
	}()
	return done
}

// checkPositions checks that the stored positions moved only past what
// was stored: the counts are those of the messages before the positions,
// every message there that cannot be decoded is stored as rejected, and
// the alerts their records raise are stored.
func (s *stream) checkPositions(t testing.TB, st *store.Store, source string, produced int) {
	t.Helper()
	// An instance still running may store a batch between the reads:
	// read the positions between two equal counts, which every batch
	// changes in the transaction that moves its positions.
	var pos map[string]string
	var c store.SourceCounts
	for stable := false; !stable; {
		before := counts(t, st, source)
		var err error
		if pos, err = st.Positions(t.Context(), source); err != nil {
			t.Fatal(err)
		}
		c = counts(t, st, source)
		stable = c == before
	}
	next := map[int32]int64{}
	for p, v := range pos {
		n, _ := strconv.Atoi(p)
		next[int32(n)], _ = strconv.ParseInt(v, 10, 64)
	}
	alerts := storedPairs(t, st)
	rejected := map[string]bool{} // partition/offset
	st.RejectedRecords(t.Context(), source, func(r store.RejectedRecord) error {
		offset, _, _ := strings.Cut(r.Position, " record ")
		rejected[r.Stream+"/"+offset] = true
		return nil
	})
	var records int64
	for _, m := range s.msgs[:produced] {
		if m.offset >= next[m.partition] {
			continue
		}
		records += int64(m.records)
		if m.bad && !rejected[fmt.Sprintf("%d/offset %d", m.partition, m.offset)] {
			t.Errorf("message %d@%d is behind the position but not stored as rejected", m.partition, m.offset)
		}
		for _, p := range m.pairs {
			if alerts[p] == 0 && !s.storedElsewhere(p, alerts) {
				t.Errorf("message %d@%d is behind the position but its alert of rule %s on %s is not stored", m.partition, m.offset, p.rule, p.op)
			}
		}
	}
	if c.Records != records {
		t.Errorf("the store counts %d records, the messages before its positions hold %d", c.Records, records)
	}
}

// storedElsewhere reports whether an alert of p's rule and target is
// stored on a record no message's alerts name: another record of p's
// change, stored first because it arrived first (see
// expected.substitutes).
func (s *stream) storedElsewhere(p pair, alerts map[pair]int) bool {
	named := map[pair]bool{}
	for _, m := range s.msgs {
		for _, q := range m.pairs {
			named[q] = true
		}
	}
	for q := range alerts {
		if q.rule == p.rule && q.target == p.target && !named[q] {
			return true
		}
	}
	return false
}

// TestCrash kills appwatch watch with SIGKILL at random moments while
// messages stream in, and starts it again: at the end every alert is
// stored exactly once, every record is accounted for (an event, with its
// alerts, or rejected), and after each kill the positions stored had
// moved only past what was stored.
func TestCrash(t *testing.T) {
	bin := appwatch(t)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("APPWATCH_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (set APPWATCH_CRASH_SEED to repeat)", seed)
	rng := rand.New(rand.NewPCG(seed, 2))

	c := newCluster(t)
	s := newStream(t, 3<<20, seed)
	x := s.expect(t)
	dsn := storetest.SQLite(t)
	st := openStore(t, dsn)
	source := sourceURL(c, "crash")
	logPath := filepath.Join(t.TempDir(), "watch.log")
	produced := s.produce(t, newProducer(t, c), 25*time.Second)

	const kills = 22
	for i := range kills {
		ch := startChild(t, bin, dsn, source, logPath)
		time.Sleep(time.Duration(50+rng.IntN(2000)) * time.Millisecond)
		ch.kill()
		s.checkPositions(t, st, source, int(s.produced.Load()))
		if t.Failed() {
			t.Fatalf("after kill %d; log in %s", i+1, logPath)
		}
	}
	<-produced
	ch := startChild(t, bin, dsn, source, logPath)
	start := time.Now()
	waitFor(t, 60*time.Second, "every record stored", func() bool {
		if time.Since(start) > 55*time.Second {
			b, _ := os.ReadFile(logPath)
			t.Logf("counts %+v of %d; log tail:\n%s", counts(t, st, source), s.records, b[max(0, len(b)-6000):])
			start = time.Now()
		}
		return counts(t, st, source).Records >= int64(s.records)
	})
	settle(t, 10*time.Second, func() bool { return correlations(t, st) >= x.correlationCount() })
	if err := ch.stop(); err != nil {
		t.Errorf("appwatch watch after SIGTERM: %v", err)
	}
	s.checkPositions(t, st, source, len(s.msgs))
	x.check(t, st)
	bad := 0
	for _, m := range s.msgs {
		if m.bad {
			bad++
		}
	}
	if c := counts(t, st, source); c.Records != int64(s.records) || c.Rejected != int64(bad) {
		t.Errorf("counts %+v, want %d records, %d rejected", c, s.records, bad)
	}
}

// TestCrashPostgres runs two appwatch watch processes in one consumer
// group on one PostgreSQL store while messages stream in, and kills one
// with SIGKILL for good: its partitions move to the other, and at the end
// every alert is stored exactly once, correlations included, and every
// record is accounted for.
func TestCrashPostgres(t *testing.T) {
	bin := appwatch(t)
	dsn := storetest.Postgres(t)
	c := newCluster(t)
	s := newStream(t, 2<<20, 11)
	x := s.expect(t)
	st := openStore(t, dsn)
	source := sourceURL(c, "pair")
	logs := t.TempDir()
	produced := s.produce(t, newProducer(t, c), 15*time.Second)

	a := startChild(t, bin, dsn, source, filepath.Join(logs, "a.log"))
	b := startChild(t, bin, dsn, source, filepath.Join(logs, "b.log"))
	waitFor(t, 30*time.Second, "a third of the records stored", func() bool { return counts(t, st, source).Records > int64(s.records/3) })
	a.kill()
	s.checkPositions(t, st, source, int(s.produced.Load()))
	<-produced
	waitFor(t, 60*time.Second, "every record stored", func() bool { return counts(t, st, source).Records >= int64(s.records) })
	settle(t, 10*time.Second, func() bool { return correlations(t, st) >= x.correlationCount() })
	if err := b.stop(); err != nil {
		t.Errorf("appwatch watch after SIGTERM: %v", err)
	}
	s.checkPositions(t, st, source, len(s.msgs))
	x.check(t, st)
	if c := counts(t, st, source); c.Records != int64(s.records) {
		t.Errorf("counts %+v, want %d records", c, s.records)
	}
	if t.Failed() {
		for _, n := range []string{"a.log", "b.log"} {
			log, _ := os.ReadFile(filepath.Join(logs, n))
			t.Logf("%s:\n%s", n, log[max(0, len(log)-4000):])
		}
	}
}

// settle polls cond until it holds or limit passes; what did not happen
// is for the checks after it to say.
func settle(t testing.TB, limit time.Duration, cond func() bool) {
	for end := time.Now().Add(limit); !cond() && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
}
