package watch

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/source"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// scanAlerts runs appwatch scan's pipeline over paths and returns the
// alerts as JSON, sorted.
func scanAlerts(t *testing.T, paths ...string) []string {
	t.Helper()
	cfg, err := loader()(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := source.Expand(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(t.Context(), inputs, scan.Config{Rules: cfg.Rules, Enricher: cfg.Enricher(), Policy: cfg.Policy, Lang: cfg.Lang}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range res.Alerts {
		out = append(out, canonical(t, a))
	}
	slices.Sort(out)
	return out
}

// canonical writes a as JSON with every object's keys in order, so that
// evidence read back from the store (maps) compares with evidence built
// from structs.
func canonical(t *testing.T, a alert.Alert) string {
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(v)
	return string(b)
}

// withoutStoreFields returns stored alerts as JSON without the fields the
// store adds, sorted.
func withoutStoreFields(t *testing.T, stored map[string]alert.Alert) []string {
	var out []string
	for _, a := range stored {
		a.AlertKey, a.Status, a.FirstSeen = "", "", ""
		out = append(out, canonical(t, a))
	}
	slices.Sort(out)
	return out
}

// TestMatchesScan watches a folder as it grows, across a restart, and
// expects the alerts appwatch scan raises on the same files, each once.
func TestMatchesScan(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			logs := t.TempDir()
			first := writeCorpus(t, filepath.Join(logs, "a.json"), 400<<10, 1)
			svc := startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}})
			st := openStore(t, dsn)
			name := "dir:" + logs
			waitFor(t, 20*time.Second, "the first file stored", func() bool { return recordsStored(t, st, name) == int64(len(first)) })
			svc.close()

			second := writeCorpus(t, filepath.Join(logs, "b.json"), 200<<10, 2)
			more := writeCorpus(t, filepath.Join(t.TempDir(), "more"), 100<<10, 3)
			appendFile(t, filepath.Join(logs, "a.json"), strings.Join(more, ""))
			startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}})
			total := int64(len(first) + len(second) + len(more))
			waitFor(t, 20*time.Second, "every record stored", func() bool { return recordsStored(t, st, name) == total })

			want := scanAlerts(t, logs)
			got := withoutStoreFields(t, storedAlerts(t, st))
			if len(want) < 20 {
				t.Fatalf("scan raised only %d alerts; the corpus is too thin for the test", len(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("stored %d alerts, scan raised %d", len(got), len(want))
				for _, a := range want {
					if !slices.Contains(got, a) {
						t.Errorf("not stored: %s", a)
						break
					}
				}
				for _, a := range got {
					if !slices.Contains(want, a) {
						t.Errorf("not raised by scan: %s", a)
						break
					}
				}
			}
		})
	}
}

// TestCorrelationAcrossRestart stores the first step of a correlation,
// stops, and expects the second step to complete it after a restart.
func TestCorrelationAcrossRestart(t *testing.T) {
	const rule = "credential-added-after-admin-consent"
	recs := testRecords(t, rule, "match-eventhub.json")
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			logs := t.TempDir()
			st := openStore(t, dsn)
			name := "dir:" + logs
			appendFile(t, filepath.Join(logs, "consent.json"), recs[0])
			svc := startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}})
			waitFor(t, 10*time.Second, "the consent stored", func() bool { return recordsStored(t, st, name) == 1 })
			svc.close()
			if n := countRule(storedAlerts(t, st), rule); n != 0 {
				t.Fatalf("%d correlation alerts after the first step", n)
			}

			appendFile(t, filepath.Join(logs, "credential.json"), recs[1])
			startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}})
			waitFor(t, 10*time.Second, "the correlation alert", func() bool { return countRule(storedAlerts(t, st), rule) == 1 })
			a := findRule(storedAlerts(t, st), rule)
			if a.Correlation == nil || len(a.Correlation.Events) != 2 || a.Level != "critical" {
				t.Errorf("correlation alert %+v, want both steps", a.Correlation)
			}
		})
	}
}

// TestCorrelationAcrossInstances runs two services on one store, each
// reading one step of a correlation, and expects the correlation alert
// once.
func TestCorrelationAcrossInstances(t *testing.T) {
	const rule = "credential-added-after-admin-consent"
	recs := testRecords(t, rule, "match-eventhub.json")
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			st := openStore(t, dsn)
			consent, credential := t.TempDir(), t.TempDir()
			startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(consent)}, Registry: prometheus.NewRegistry()})
			startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(credential)}, Registry: prometheus.NewRegistry()})
			// Both steps land at once, one on each instance.
			appendFile(t, filepath.Join(consent, "a.json"), recs[0])
			appendFile(t, filepath.Join(credential, "b.json"), recs[1])
			waitFor(t, 10*time.Second, "the correlation alert", func() bool { return countRule(storedAlerts(t, st), rule) == 1 })
			waitFor(t, 10*time.Second, "both records stored", func() bool {
				return recordsStored(t, st, "dir:"+consent) == 1 && recordsStored(t, st, "dir:"+credential) == 1
			})
			if n := countRule(storedAlerts(t, st), rule); n != 1 {
				t.Errorf("%d correlation alerts, want 1", n)
			}
		})
	}
}

func countRule(alerts map[string]alert.Alert, rule string) int {
	n := 0
	for _, a := range alerts {
		if a.RuleID == rule {
			n++
		}
	}
	return n
}

func findRule(alerts map[string]alert.Alert, rule string) alert.Alert {
	for _, a := range alerts {
		if a.RuleID == rule {
			return a
		}
	}
	return alert.Alert{}
}

// everySignIn is a user rule that fires on every successful sign-in.
const everySignIn = `title: Every sign-in
name: every-signin
level: low
logsource: {product: azure, service: signinlogs}
detection:
  sel:
    result: success
  condition: sel
guide_row: every-signin
`

// TestReloadAndEndpoints reloads the rules, broken then fixed, and reads
// the service's endpoints.
func TestReloadAndEndpoints(t *testing.T) {
	dsn := storetest.SQLite(t)
	logs, rules := t.TempDir(), t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	reload := make(chan struct{})
	startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(logs)}, Load: loader(rules), Reload: reload, Listener: ln})
	base := "http://" + ln.Addr().String()
	st := openStore(t, dsn)
	name := "dir:" + logs

	lines := writeCorpus(t, filepath.Join(t.TempDir(), "c"), 100<<10, 4)
	appendFile(t, filepath.Join(logs, "a.json"), strings.Join(lines[:10], ""))
	waitFor(t, 10*time.Second, "the first lines stored", func() bool { return recordsStored(t, st, name) == 10 })
	if n := countRule(storedAlerts(t, st), "every-signin"); n != 0 {
		t.Fatalf("%d alerts of a rule not loaded yet", n)
	}

	// A broken rule file: the reload fails and the rules in use stay.
	os.WriteFile(filepath.Join(rules, "bad.yml"), []byte("title: [broken\n"), 0o644)
	reload <- struct{}{}
	waitFor(t, 10*time.Second, "the failed reload counted", func() bool {
		return strings.Contains(get(t, base+"/metrics"), `appwatch_config_reloads_total{result="failure"} 1`)
	})
	appendFile(t, filepath.Join(logs, "a.json"), strings.Join(lines[10:20], ""))
	waitFor(t, 10*time.Second, "lines stored after the failed reload", func() bool { return recordsStored(t, st, name) == 20 })

	os.Remove(filepath.Join(rules, "bad.yml"))
	os.WriteFile(filepath.Join(rules, "every.yml"), []byte(everySignIn), 0o644)
	reload <- struct{}{}
	waitFor(t, 10*time.Second, "the reload", func() bool {
		return strings.Contains(get(t, base+"/metrics"), `appwatch_config_reloads_total{result="success"} 1`)
	})
	appendFile(t, filepath.Join(logs, "a.json"), strings.Join(lines[20:], ""))
	waitFor(t, 10*time.Second, "every line stored", func() bool { return recordsStored(t, st, name) == int64(len(lines)) })
	if n := countRule(storedAlerts(t, st), "every-signin"); n == 0 {
		t.Error("no alert of the rule loaded by the reload")
	}

	if got := get(t, base+"/healthz"); got != "ok\n" {
		t.Errorf("/healthz: %q", got)
	}
	if got := get(t, base+"/readyz"); got != "ready\n" {
		t.Errorf("/readyz: %q", got)
	}
	metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`appwatch_records_total{source="` + name + `"} ` + strconv.Itoa(len(lines)),
		`appwatch_events_total{source="` + name + `"}`,
		`appwatch_records_rejected_total{source="` + name + `"} 0`,
		`appwatch_alerts_total{rule_id="every-signin",status="open"}`,
		`appwatch_ingest_lag_seconds_count{source="` + name + `"}`,
		`appwatch_store_operation_seconds_count{op="commit"}`,
		`appwatch_source_up{source="` + name + `"} 1`,
		"go_goroutines",
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
