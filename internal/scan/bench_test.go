package scan

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"testing/fstest"
	"time"

	"github.com/valyala/fastjson"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/cputime"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/source"
)

// extraRules writes n plain Sigma rules of the kind users add (activity and
// actor or app conditions, some with contains and lists) into dir.
func extraRules(tb testing.TB, dir string, n int) {
	tb.Helper()
	activities := []string{"Add user", "Update user", "Delete group", "Add member to group", "Update policy", "Add application", "Update service principal", "Add device"}
	apps := []string{"Payroll Sync", "HR Portal", "Backup Agent", "Build Pipeline", "Expense Reports"}
	for i := range n {
		var body string
		switch i % 4 {
		case 0:
			body = fmt.Sprintf("logsource: {product: azure, service: auditlogs}\ndetection:\n  sel:\n    activityDisplayName: %q\n    initiatedBy.user.userPrincipalName|endswith: '@partner%d.example'\n  condition: sel\n", activities[i%len(activities)], i)
		case 1:
			body = fmt.Sprintf("logsource: {product: azure, service: signinlogs}\ndetection:\n  sel:\n    AppDisplayName: %q\n    IPAddress|cidr: 198.51.%d.0/24\n  condition: sel\n", apps[i%len(apps)], i%250)
		case 2:
			body = fmt.Sprintf("logsource: {product: azure, service: signinlogs}\ndetection:\n  sel:\n    userPrincipalName|contains:\n      - 'svc-legacy%d'\n      - 'admin-old%d'\n    ResultType: 50126\n  condition: sel\n", i, i)
		default:
			body = fmt.Sprintf("logsource: {product: azure, service: auditlogs}\ndetection:\n  sel:\n    OperationName|startswith: 'Update'\n    TargetResources.displayName|re: '^Legacy-%d-.*'\n  filter:\n    Result: failure\n  condition: sel and not filter\n", i)
		}
		rule := fmt.Sprintf("title: user rule %d\nname: user-rule-%d\nlevel: low\nguide_row: user-extra\n%s", i, i, body)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%04d.yml", i)), []byte(rule), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchConfig loads the built-in rules, plus the rules in dir when not
// empty, with the enrichers.
func benchConfig(tb testing.TB, dir string) Config {
	tb.Helper()
	var dirs []string
	if dir != "" {
		dirs = []string{dir}
	}
	pol := policy.Default()
	set, err := ruleset.Load(context.Background(), ruleset.Options{Dirs: dirs, Placeholders: pol.Placeholders})
	if err != nil {
		tb.Fatal(err)
	}
	ref, err := refdata.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return Config{
		Rules:    Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Enricher: enrich.New(ref, pol),
		Policy:   pol,
		Now:      time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
	}
}

// benchInputs returns data as the one input of a run.
func benchInputs(tb testing.TB, data []byte) []source.Input {
	tb.Helper()
	inputs, err := source.FromFS(fstest.MapFS{"bench.jsonl": {Data: data}}, ".", "")
	if err != nil {
		tb.Fatal(err)
	}
	return inputs
}

// events returns the number of events a run read, and fails when it
// could not read them all.
func events(tb testing.TB, sum *ingest.Summary, err error) int {
	tb.Helper()
	tot := sum.Totals()
	if err != nil || tot.Errors > 0 {
		tb.Fatalf("read: %v, %d errors", err, tot.Errors)
	}
	return tot.Events
}

// benchPasses are the passes the scan benchmarks compare, over one
// synthetic corpus (5% application-management audit records, 1-4 KB
// each) held in memory: parsing each line with fastjson, the baseline;
// reading and normalizing as a scan does (ingest.Run, "ingest"); a full
// scan with every built-in rule (Run: enrich, match, correlate, alerts);
// and the full scan with 100 and with 1,000 extra user rules. The runs
// have one worker.
type benchPasses struct {
	data    []byte
	lines   [][]byte
	configs map[string]Config
}

var benchPassNames = []string{"fastjson", "ingest", "scan", "scan+100", "scan+1000"}

func newBenchPasses(b *testing.B) *benchPasses {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 8 << 20, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	dir100, dir1000 := b.TempDir(), b.TempDir()
	extraRules(b, dir100, 100)
	extraRules(b, dir1000, 1000)
	return &benchPasses{
		data:    buf.Bytes(),
		lines:   bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")),
		configs: map[string]Config{"scan": benchConfig(b, ""), "scan+100": benchConfig(b, dir100), "scan+1000": benchConfig(b, dir1000)},
	}
}

// run runs the named pass once and returns the number of events.
func (p *benchPasses) run(b *testing.B, name string) int {
	switch name {
	case "fastjson":
		var fp fastjson.Parser
		for _, l := range p.lines {
			if _, err := fp.ParseBytes(l); err != nil {
				b.Fatal(err)
			}
		}
		return len(p.lines)
	case "ingest":
		sum, err := ingest.Run(context.Background(), benchInputs(b, p.data), ingest.Options{Workers: 1, Transient: true}, func(*event.Event) error { return nil })
		return events(b, sum, err)
	}
	res, err := Run(context.Background(), benchInputs(b, p.data), p.configs[name], ingest.Options{Workers: 1})
	return events(b, res.Read, err)
}

// BenchmarkScanVsIngest measures the processor time of the passes of
// benchPasses, interleaved in one run so that the ratios hold on a busy
// machine, and the allocations of a scan per event. Run it on one core,
// where the processor time of a scan is what one core spends:
//
//	go test -run - -bench ScanVsIngest -cpu 1 ./internal/scan
func BenchmarkScanVsIngest(b *testing.B) {
	p := newBenchPasses(b)
	took, fastest := map[string]time.Duration{}, map[string]time.Duration{}
	var allocs, bytes uint64
	events := 0
	var ms runtime.MemStats
	b.ResetTimer()
	for range b.N {
		for _, name := range benchPassNames {
			runtime.GC() // so that a pass does not pay for the garbage of the one before
			runtime.ReadMemStats(&ms)
			before, beforeBytes := ms.Mallocs, ms.TotalAlloc
			t := cputime.Now()
			n := p.run(b, name)
			d := cputime.Now() - t
			took[name] += d
			if f, ok := fastest[name]; !ok || d < f {
				fastest[name] = d
			}
			if name == "scan" {
				runtime.ReadMemStats(&ms)
				allocs += ms.Mallocs - before
				bytes += ms.TotalAlloc - beforeBytes
				events += n
			}
		}
	}
	ratio := func(a, b string) float64 { return took[a].Seconds() / took[b].Seconds() }
	b.ReportMetric(float64(len(p.data))*float64(b.N)/1e6/took["scan"].Seconds(), "scan-MB/s")
	b.ReportMetric(float64(events)/took["scan"].Seconds(), "scan-events/s")
	b.ReportMetric(float64(allocs)/float64(events), "scan-allocs/event")
	b.ReportMetric(float64(bytes)/float64(events), "scan-B/event")
	b.ReportMetric(ratio("scan", "fastjson"), "scan/fastjson")
	b.ReportMetric(ratio("ingest", "fastjson"), "ingest/fastjson")
	b.ReportMetric(ratio("scan+100", "scan"), "scan+100/scan")
	b.ReportMetric(ratio("scan+1000", "scan"), "scan+1000/scan")
	// The fastest pass of each is the one other programs disturbed least.
	b.ReportMetric(fastest["scan"].Seconds()/fastest["fastjson"].Seconds(), "fastest-scan/fastjson")
	b.ReportMetric(fastest["ingest"].Seconds()/fastest["fastjson"].Seconds(), "fastest-ingest/fastjson")
}

// BenchmarkPass runs one pass of benchPasses per iteration, for counting
// instructions, which other programs on the machine do not disturb: the
// "setup" pass does nothing, so the instructions of a pass are its count
// minus setup's.
//
//	go test -c -o scan.test ./internal/scan
//	for p in setup fastjson ingest scan 'scan\+100' 'scan\+1000'; do
//	  GOGC=off GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off \
//	  valgrind --tool=callgrind --callgrind-out-file=/dev/null ./scan.test \
//	    -test.run - -test.bench "Pass/$p\$" -test.benchtime 1x -test.cpu 1 2>&1 | grep refs
//	done
func BenchmarkPass(b *testing.B) {
	p := newBenchPasses(b)
	b.Run("setup", func(b *testing.B) { runtime.GC() })
	for _, name := range benchPassNames {
		b.Run(name, func(b *testing.B) {
			runtime.GC()
			for range b.N {
				p.run(b, name)
			}
		})
	}
}

// TestExtraRulesLoad checks that the generated user rules compile, so the
// benchmark measures what it says.
func TestExtraRulesLoad(t *testing.T) {
	dir := t.TempDir()
	extraRules(t, dir, 100)
	cfg := benchConfig(t, dir)
	base := benchConfig(t, "")
	if got := len(cfg.Rules.Meta) - len(base.Rules.Meta); got != 100 {
		t.Fatalf("loaded %d extra rules, want 100", got)
	}
}

// BenchmarkScanWorkers scans a synthetic corpus held in memory, as one
// 24 MB input and as 48 inputs of half a megabyte, with one worker and
// with two, interleaved, and reports the wall-clock speedup of the second
// worker and the processor time it costs. Run it on an idle machine with
// two cores:
//
//	go test -run - -bench ScanWorkers -cpu 2 ./internal/scan
func BenchmarkScanWorkers(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 24 << 20, Seed: 5}); err != nil {
		b.Fatal(err)
	}
	one := fstest.MapFS{"all.jsonl": {Data: buf.Bytes()}}
	many := fstest.MapFS{}
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	per := len(lines)/48 + 1
	for i := 0; i*per < len(lines); i++ {
		many[fmt.Sprintf("part-%02d.jsonl", i)] = &fstest.MapFile{Data: bytes.Join(lines[i*per:min(len(lines), (i+1)*per)], nil)}
	}
	cfg := benchConfig(b, "")
	type key struct {
		layout  string
		workers int
	}
	wall, cpu := map[key]time.Duration{}, map[key]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, layout := range []string{"one", "many"} {
			fsys := one
			if layout == "many" {
				fsys = many
			}
			inputs, err := source.FromFS(fsys, ".", "")
			if err != nil {
				b.Fatal(err)
			}
			for _, workers := range []int{1, 2} {
				runtime.GC()
				t0, c0 := time.Now(), cputime.Now()
				if _, err := Run(context.Background(), inputs, cfg, ingest.Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
				k := key{layout, workers}
				wall[k] += time.Since(t0)
				cpu[k] += cputime.Now() - c0
			}
		}
	}
	for _, layout := range []string{"one", "many"} {
		one, two := key{layout, 1}, key{layout, 2}
		b.ReportMetric(wall[one].Seconds()/wall[two].Seconds(), layout+"-file-speedup")
		b.ReportMetric(cpu[two].Seconds()/cpu[one].Seconds(), layout+"-file-cpu-2/1")
	}
}
