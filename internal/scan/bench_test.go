package scan

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/cputime"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
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

// pass decodes data and hands every event to observe.
func pass(tb testing.TB, d *decode.Decoder, data []byte, observe func(*event.Event) error) {
	st, err := d.Decode(context.Background(), "bench", bytes.NewReader(data), observe)
	if err != nil || st.ErrorCount > 0 {
		tb.Fatalf("decode: %v, %d errors", err, st.ErrorCount)
	}
}

// BenchmarkScanVsIngest measures the processor time of, interleaved in one
// run so that the ratios hold on a busy machine, four passes over the same synthetic
// corpus (5% application-management audit records, 1-4 KB each): reading
// and normalizing only; a full scan with every built-in rule (enrich,
// match, correlate, alerts); and the full scan with 100 and with 1,000
// extra user rules.
//
//	go test -run - -bench ScanVsIngest -cpu 1 ./internal/scan
func BenchmarkScanVsIngest(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 8 << 20, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	dir100, dir1000 := b.TempDir(), b.TempDir()
	extraRules(b, dir100, 100)
	extraRules(b, dir1000, 1000)
	configs := []Config{benchConfig(b, ""), benchConfig(b, dir100), benchConfig(b, dir1000)}
	d := decode.NewDecoder(decode.Options{})
	var ingest time.Duration
	scans := make([]time.Duration, len(configs))
	alerts := 0
	b.ResetTimer()
	for range b.N {
		t0 := cputime.Now()
		pass(b, d, data, func(*event.Event) error { return nil })
		ingest += cputime.Now() - t0
		for i, cfg := range configs {
			t := cputime.Now()
			det := NewDetector(cfg)
			pass(b, d, data, det.Observe)
			n := len(det.Finish())
			scans[i] += cputime.Now() - t
			if i == 0 {
				alerts += n
			}
		}
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/ingest.Seconds(), "ingest-MB/s")
	b.ReportMetric(mb/scans[0].Seconds(), "scan-MB/s")
	b.ReportMetric(scans[0].Seconds()/ingest.Seconds(), "scan/ingest")
	b.ReportMetric(scans[1].Seconds()/scans[0].Seconds(), "scan+100/scan")
	b.ReportMetric(scans[2].Seconds()/scans[0].Seconds(), "scan+1000/scan")
	b.ReportMetric(float64(alerts)/float64(b.N), "alerts")
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

// BenchmarkPass runs one kind of pass over the corpus of
// BenchmarkScanVsIngest per iteration, for counting instructions, which
// other programs on the machine do not disturb: the "setup" pass does
// nothing, so the instructions of a pass are its count minus setup's.
//
//	go test -c -o scan.test ./internal/scan
//	for p in setup ingest scan scan+100 scan+1000; do
//	  valgrind --tool=callgrind --callgrind-out-file=/dev/null ./scan.test \
//	    -test.run - -test.bench "Pass/$p\$" -test.benchtime 1x -test.cpu 1 2>&1 | grep refs
//	done
func BenchmarkPass(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 8 << 20, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	dir100, dir1000 := b.TempDir(), b.TempDir()
	extraRules(b, dir100, 100)
	extraRules(b, dir1000, 1000)
	configs := map[string]Config{"scan": benchConfig(b, ""), "scan+100": benchConfig(b, dir100), "scan+1000": benchConfig(b, dir1000)}
	d := decode.NewDecoder(decode.Options{})
	b.Run("setup", func(b *testing.B) { runtime.GC() })
	b.Run("ingest", func(b *testing.B) {
		runtime.GC()
		for range b.N {
			pass(b, d, data, func(*event.Event) error { return nil })
		}
	})
	for _, name := range []string{"scan", "scan+100", "scan+1000"} {
		b.Run(name, func(b *testing.B) {
			runtime.GC()
			for range b.N {
				det := NewDetector(configs[name])
				pass(b, d, data, det.Observe)
				det.Finish()
			}
		})
	}
}
