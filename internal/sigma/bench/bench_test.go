package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/sigma"
	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
)

// testdata is the main package's benchmark data.
var testdata = filepath.Join("..", "testdata", "bench")

// ruleSets are the files each benchmark size loads.
var ruleSets = []struct {
	name  string
	files []string
}{
	{"rules=30", []string{"rules30.yml"}},
	{"rules=130", []string{"rules30.yml", "rules100.yml"}},
}

// benchEvent is one event of events.json.
type benchEvent struct {
	Kind   string            `json:"kind"`
	Fields map[string]string `json:"fields"`
}

func loadEvents(tb testing.TB) []benchEvent {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, "events.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var evs []benchEvent
	if err := json.Unmarshal(data, &evs); err != nil {
		tb.Fatal(err)
	}
	return evs
}

func readRules(tb testing.TB, files []string) map[string][]byte {
	tb.Helper()
	out := make(map[string][]byte)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(testdata, f))
		if err != nil {
			tb.Fatal(err)
		}
		out[f] = data
	}
	return out
}

// --- appwatch ---

// fieldNames lists the fields the rules and events use; a field's ID
// is its index.
var fieldNames = []string{
	"", "id", "correlation_id", "tenant_id", "stream", "activity", "category", "service",
	"operation_type", "result", "result_reason", "user_agent", "details",
	"actor.type", "actor.id", "actor.name", "actor.upn", "actor.ip", "actor.app_id",
	"target.id", "target.type", "target.name", "property.name", "property.old", "property.new",
	"signin.protocol", "signin.app_id", "signin.app_name", "signin.status", "signin.failure_reason",
	"signin.client_app", "signin.credential_type", "signin.country",
	"keyvault.operation", "keyvault.vault", "keyvault.http_status", "keyvault.object", "keyvault.client_info",
}

var kinds = map[string]int{"audit": 1, "signin": 2, "keyvault": 3, "auditlogs": 1, "signinlogs": 2}

type schema struct{}

func (schema) Field(name string) (sigma.Field, bool) {
	for id, n := range fieldNames {
		if id > 0 && strings.EqualFold(n, name) {
			return sigma.Field{ID: id, Name: n}, true
		}
	}
	return sigma.Field{}, false
}

func (schema) Kinds(ls sigma.Logsource) (sigma.KindSet, error) {
	return sigma.KindSet(0).With(kinds[ls.Service]), nil
}

// event stores values by field ID.
type event struct {
	kind int
	vals [][]string
}

func (e *event) Kind() int       { return e.kind }
func (e *event) Time() time.Time { return time.Time{} }

func (e *event) Values(f int, dst []string) []string { return append(dst, e.vals[f]...) }

func (e *event) Keywords(dst []string) []string {
	for _, v := range e.vals {
		dst = append(dst, v...)
	}
	return dst
}

func appwatchEvent(be benchEvent) *event {
	e := &event{kind: kinds[be.Kind], vals: make([][]string, len(fieldNames))}
	for name, v := range be.Fields {
		if f, ok := (schema{}).Field(name); ok && v != "" {
			e.vals[f.ID] = []string{v}
		}
	}
	return e
}

func appwatchRules(tb testing.TB, files []string) *sigma.Ruleset {
	tb.Helper()
	var all []*sigma.Rule
	for name, data := range readRules(tb, files) {
		rules, err := sigma.Parse(name, data)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, rules...)
	}
	rs, err := sigma.Compile(all, schema{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

func appwatchTitles(rs *sigma.Ruleset, e *event) []string {
	var out []string
	for _, i := range rs.Match(e, nil) {
		out = append(out, rs.Rules()[i].Title)
	}
	slices.Sort(out)
	return out
}

// --- sigma-go ---

func sigmagoRules(tb testing.TB, files []string) []sigmago.Rule {
	tb.Helper()
	var out []sigmago.Rule
	for _, data := range readRules(tb, files) {
		for _, doc := range bytes.Split(data, []byte("\n---\n")) {
			r, err := sigmago.ParseRule(doc)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, r)
		}
	}
	return out
}

// sigmagoEvent is the event as sigma-go reads it, with the logsource
// service to route on, since sigma-go does not route without a config.
func sigmagoEvent(be benchEvent) (map[string]any, string) {
	m := make(map[string]any, len(be.Fields))
	for k, v := range be.Fields {
		if v != "" {
			m[k] = v
		}
	}
	service := map[string]string{"audit": "auditlogs", "signin": "signinlogs", "keyvault": "keyvault"}[be.Kind]
	return m, service
}

// sigmagoEvaluators builds one evaluator per rule and keeps, per
// service, the evaluators that apply.
func sigmagoEvaluators(rules []sigmago.Rule) map[string][]*evaluator.RuleEvaluator {
	out := make(map[string][]*evaluator.RuleEvaluator)
	for _, r := range rules {
		out[r.Logsource.Service] = append(out[r.Logsource.Service], evaluator.ForRule(r))
	}
	return out
}

func sigmagoTitles(tb testing.TB, evs []*evaluator.RuleEvaluator, e map[string]any) []string {
	tb.Helper()
	var out []string
	for _, ev := range evs {
		res, err := ev.Matches(context.Background(), e)
		if err != nil {
			tb.Fatal(err)
		}
		if res.Match {
			out = append(out, ev.Title)
		}
	}
	slices.Sort(out)
	return out
}

// TestEnginesAgree makes sure both engines see the same matches, so the
// benchmarks compare equal work.
func TestEnginesAgree(t *testing.T) {
	for _, set := range ruleSets {
		rs := appwatchRules(t, set.files)
		evs := sigmagoEvaluators(sigmagoRules(t, set.files))
		for _, be := range loadEvents(t) {
			m, service := sigmagoEvent(be)
			got, want := appwatchTitles(rs, appwatchEvent(be)), sigmagoTitles(t, evs[service], m)
			if !slices.Equal(got, want) {
				t.Errorf("%s, %s event: appwatch matched %q, sigma-go %q", set.name, be.Kind, got, want)
			}
			if be.Kind == "audit" && len(got) == 0 {
				t.Errorf("%s: the audit event should match some rules", set.name)
			}
		}
	}
}

func BenchmarkAppwatch(b *testing.B) {
	for _, set := range ruleSets {
		rs := appwatchRules(b, set.files)
		var events []*event
		for _, be := range loadEvents(b) {
			events = append(events, appwatchEvent(be))
		}
		hits := make([]int, 0, 16)
		b.Run(set.name+"/audit", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				hits = rs.Match(events[0], hits[:0])
			}
		})
		b.Run(set.name+"/mixed", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				hits = rs.Match(events[i%len(events)], hits[:0])
			}
		})
	}
}

func BenchmarkSigmaGo(b *testing.B) {
	ctx := context.Background()
	for _, set := range ruleSets {
		rules := sigmagoRules(b, set.files)
		evs := sigmagoEvaluators(rules)
		bundle := evaluator.ForRules(rules)
		var events []map[string]any
		var services []string
		for _, be := range loadEvents(b) {
			m, s := sigmagoEvent(be)
			events, services = append(events, m), append(services, s)
		}
		b.Run(set.name+"/audit", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, ev := range evs[services[0]] {
					if _, err := ev.Matches(ctx, events[0]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(set.name+"/mixed", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i % len(events)
				for _, ev := range evs[services[k]] {
					if _, err := ev.Matches(ctx, events[k]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(set.name+"/audit-bundle", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bundle.Matches(ctx, events[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
