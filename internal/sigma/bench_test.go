package sigma

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The benchmark model mimics appwatch's normalized events: a flat set
// of named fields stored by dense ID.

var benchKinds = map[string]int{"auditlogs": kindAudit, "signinlogs": kindSignin, "keyvault": kindVault}

var benchFieldNames = []string{
	"", "id", "correlation_id", "tenant_id", "stream", "activity", "category", "service",
	"operation_type", "result", "result_reason", "user_agent", "details",
	"actor.type", "actor.id", "actor.name", "actor.upn", "actor.ip", "actor.app_id",
	"target.id", "target.type", "target.name", "property.name", "property.old", "property.new",
	"signin.protocol", "signin.app_id", "signin.app_name", "signin.status", "signin.failure_reason",
	"signin.client_app", "signin.credential_type", "signin.country",
	"keyvault.operation", "keyvault.vault", "keyvault.http_status", "keyvault.object", "keyvault.client_info",
}

type benchSchema struct{}

func (benchSchema) Field(name string) (Field, bool) {
	for id, n := range benchFieldNames {
		if id > 0 && strings.EqualFold(n, name) {
			f := Field{ID: id, Name: n}
			if n == "activity" {
				f.Fold = foldActivity
			}
			return f, true
		}
	}
	return Field{}, false
}

func (benchSchema) Kinds(ls Logsource) (KindSet, error) {
	if k, ok := benchKinds[ls.Service]; ok && ls.Product == "azure" {
		return KindSet(0).With(k), nil
	}
	return testSchema{}.Kinds(ls)
}

// flatEvent stores values by field ID.
type flatEvent struct {
	kind int
	t    time.Time
	vals [][]string
}

func (e *flatEvent) Kind() int       { return e.kind }
func (e *flatEvent) Time() time.Time { return e.t }

func (e *flatEvent) Values(f int, dst []string) []string {
	if f < 0 || f >= len(e.vals) {
		return dst
	}
	return append(dst, e.vals[f]...)
}

func (e *flatEvent) Keywords(dst []string) []string {
	for _, v := range e.vals {
		dst = append(dst, v...)
	}
	return dst
}

// newFlatEvent builds an event from field names and values, folding
// the activity.
func newFlatEvent(kind int, fields map[string]string) *flatEvent {
	e := &flatEvent{kind: kind, vals: make([][]string, len(benchFieldNames))}
	for name, v := range fields {
		f, ok := benchSchema{}.Field(name)
		if !ok || v == "" {
			continue
		}
		if f.Fold != nil {
			v = f.Fold(v)
		}
		e.vals[f.ID] = []string{v}
	}
	return e
}

// loadBenchEvents reads testdata/bench/events.json.
func loadBenchEvents(t testing.TB) []*flatEvent {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "bench", "events.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Kind   string            `json:"kind"`
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{"audit": kindAudit, "signin": kindSignin, "keyvault": kindVault}
	out := make([]*flatEvent, len(raw))
	for i, r := range raw {
		out[i] = newFlatEvent(kinds[r.Kind], r.Fields)
	}
	return out
}

// loadBenchRules compiles the named files of testdata/bench.
func loadBenchRules(t testing.TB, files ...string) *Ruleset {
	t.Helper()
	var all []*Rule
	for _, f := range files {
		path := filepath.Join("testdata", "bench", f)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := Parse(path, data)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rules...)
	}
	rs, err := Compile(all, benchSchema{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// scanAll matches without the index, by evaluating every rule of the
// event's kind: the reference the index must agree with.
func scanAll(rs *Ruleset, e Event, hits []int, st *state) []int {
	st.reset(e)
	for i, cr := range rs.compiled {
		if cr != nil && cr.kinds.Has(e.Kind()) && cr.root.eval(st) {
			hits = append(hits, i)
		}
	}
	return hits
}

func TestBenchRulesMatch(t *testing.T) {
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	events := loadBenchEvents(t)
	var titles []string
	for _, i := range rs.Match(events[0], nil) {
		titles = append(titles, rs.Rules()[i].Title)
	}
	want := []string{
		"Credential added to an application",
		"Credential added from outside the corporate network",
	}
	if !slices.Equal(titles, want) {
		t.Errorf("audit event matched %q, want %q", titles, want)
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	hits := make([]int, 0, 16)
	for _, e := range loadBenchEvents(t) {
		rs.Match(e, hits[:0]) // warm the pool and buffers
		if n := testing.AllocsPerRun(200, func() { hits = rs.Match(e, hits[:0]) }); n != 0 {
			t.Errorf("Match on a %d event: %v allocations per run, want 0", e.kind, n)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	events := loadBenchEvents(b)
	sets := []struct {
		name  string
		files []string
	}{
		{"rules=30", []string{"rules30.yml"}},
		{"rules=130", []string{"rules30.yml", "rules100.yml"}},
	}
	for _, set := range sets {
		rs := loadBenchRules(b, set.files...)
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
		b.Run(set.name+"/audit-noindex", func(b *testing.B) {
			st := newState(rs)
			b.ReportAllocs()
			for b.Loop() {
				hits = scanAll(rs, events[0], hits[:0], st)
			}
		})
	}
}
