//go:build unix

package watch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/dir"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/source"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// BenchmarkWatchVsScan reads one file of corpus records with appwatch
// scan's pipeline and with the watch service (dir source, SQLite store;
// from the file appearing in the watched folder until every record is
// stored), and reports the watch's records per second and its throughput
// as a share of scan's:
//
//	go test -run - -bench WatchVsScan -benchtime 3x ./internal/watch
func BenchmarkWatchVsScan(b *testing.B) {
	var buf bytes.Buffer
	n, err := corpus.Generate(&buf, corpus.Options{Size: 30 << 20, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "corpus.json")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := loader()(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	inputs, err := source.Expand([]string{file}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var scanTime, watchTime time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := scan.Run(b.Context(), inputs, scan.Config{Rules: cfg.Rules, Enricher: cfg.Enricher(), Policy: cfg.Policy, Lang: "en", Emit: func(alert.Alert) error { return nil }}, ingest.Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		scanTime += time.Since(start)
		watchTime += watchFile(b, file, int64(n))
	}
	b.ReportMetric(float64(n)*float64(b.N)/watchTime.Seconds(), "watch-records/s")
	b.ReportMetric(float64(n)*float64(b.N)/scanTime.Seconds(), "scan-records/s")
	b.ReportMetric(scanTime.Seconds()/watchTime.Seconds(), "watch/scan")
}

// watchFile starts the service on an empty folder with a new SQLite
// store, moves file, of n records, into the folder once the service runs,
// and returns how long storing its records took.
func watchFile(b *testing.B, file string, n int64) time.Duration {
	b.Helper()
	logs := b.TempDir()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(b.Context())
	go func() {
		done <- Run(ctx, Options{Store: dsn, Sources: []feed.Source{dir.New(logs, dir.Options{Poll: 5 * time.Millisecond})}, Load: loader()})
	}()
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
	stored := func(want int64) bool {
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
	for !stored(1) {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	if err := os.Rename(file, filepath.Join(logs, "corpus.json")); err != nil {
		b.Fatal(err)
	}
	for !stored(n + 1) {
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func mustRead(b *testing.B, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

// measuring skips a measurement unless APPWATCH_MEASURE is set.
func measuring(t *testing.T) {
	if os.Getenv("APPWATCH_MEASURE") == "" {
		t.Skip("a measurement: set APPWATCH_MEASURE=1 to run it")
	}
}

// TestLatency appends corpus records to a file at a steady rate while the
// service watches it with the default poll interval, and reports how long
// records took from being appended to their alerts being stored:
//
//	APPWATCH_MEASURE=1 go test -run Latency -v ./internal/watch
//
// APPWATCH_RATE sets the records per second (1000) and APPWATCH_STORE a
// PostgreSQL store to measure instead of SQLite.
func TestLatency(t *testing.T) {
	measuring(t)
	rate, _ := strconv.Atoi(os.Getenv("APPWATCH_RATE"))
	rate = max(rate, 1000)
	const seconds = 20
	dsn := os.Getenv("APPWATCH_STORE")
	if dsn == "" {
		dsn = storetest.SQLite(t)
	}
	logs := t.TempDir()
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: int64(rate*seconds) * 2600, Seed: 5, AuditShare: 0.3}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
	lines = lines[:min(len(lines), rate*seconds)]
	path := filepath.Join(logs, "live.json")
	startService(t, Options{Store: dsn, Sources: []feed.Source{dir.New(logs, dir.Options{})}})
	st := openStore(t, dsn)

	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	appended := make([]time.Time, len(lines)+1) // by line number
	const tick = 10 * time.Millisecond
	per := rate * int(tick) / int(time.Second)
	next := time.Now()
	for i := 0; i < len(lines); i += per {
		end := min(i+per, len(lines))
		if _, err := f.WriteString(strings.Join(lines[i:end], "")); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for l := i + 1; l <= end; l++ {
			appended[l] = now
		}
		next = next.Add(tick)
		time.Sleep(time.Until(next)) // the pace records arrive at
	}
	waitFor(t, time.Minute, "every record stored", func() bool { return recordsStored(t, st, "dir:"+logs) == int64(len(lines)) })
	var lat []time.Duration
	for _, a := range storedAlerts(t, st) {
		if a.Correlation != nil {
			continue
		}
		first, err := time.Parse(time.RFC3339Nano, a.FirstSeen)
		if err != nil {
			t.Fatal(err)
		}
		lat = append(lat, first.Sub(appended[a.Source.Line]))
	}
	slices.Sort(lat)
	if len(lat) < 100 {
		t.Fatalf("only %d alerts", len(lat))
	}
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Millisecond) }
	t.Logf("%d records/s for %ds into %s, poll %v: %d alerts, record appended to alert stored p50 %v, p99 %v, max %v",
		rate, seconds, strings.SplitN(dsn, ":", 2)[0], dir.DefaultPoll, len(lat), pct(0.5), pct(0.99), lat[len(lat)-1].Round(time.Millisecond))
}

// TestMemoryFlat runs appwatch watch as a child over many corpus records,
// written in files of 100,000, and reports its peak resident memory after
// the first file and after all of them:
//
//	APPWATCH_MEASURE=1 APPWATCH_FILES=10 go test -run MemoryFlat -v -timeout 30m ./internal/watch
func TestMemoryFlat(t *testing.T) {
	measuring(t)
	files, _ := strconv.Atoi(os.Getenv("APPWATCH_FILES"))
	files = max(files, 3)
	const perFile = 100_000
	bin := buildAppwatch(t)
	logs, dsn := t.TempDir(), storetest.SQLite(t)
	// write writes file i and returns how many records it holds.
	write := func(i int) int64 {
		var buf bytes.Buffer
		start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC).Add(time.Duration(i) * 30 * time.Hour)
		if _, err := corpus.Generate(&buf, corpus.Options{Size: perFile * 3000, Seed: uint64(i + 1), Start: start}); err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
		lines = lines[:min(perFile, len(lines))]
		if err := os.WriteFile(filepath.Join(logs, fmt.Sprintf("part-%03d.json", i)), []byte(strings.Join(lines, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		return int64(len(lines))
	}
	log, _ := os.Create(filepath.Join(t.TempDir(), "watch.log"))
	c := startChild(t, bin, dsn, logs, log)
	defer c.kill(t)
	st := openStore(t, dsn)
	var peaks []int
	stored := int64(0)
	for i := range files {
		stored += write(i)
		start := time.Now()
		waitFor(t, 10*time.Minute, "the file stored", func() bool { return recordsStored(t, st, "dir:"+logs) >= stored })
		took := time.Since(start)
		peak := vmHWM(t, c.cmd.Process.Pid)
		peaks = append(peaks, peak)
		t.Logf("after %d records: peak RSS %d MiB (%.0f records/s)", stored, peak>>10, perFile/took.Seconds())
	}
	t.Logf("peak RSS after %d records / after the first file: %.2f", stored, float64(peaks[len(peaks)-1])/float64(peaks[0]))
}

// vmHWM reads a process's peak resident set size, in KiB.
func vmHWM(t *testing.T, pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
