package sigma

import (
	"hash/fnv"
	"strings"
	"testing"
	"time"
)

// anySchema accepts every field name and logsource, so that fuzzed rules
// get past the schema and exercise the compiler and matcher.
type anySchema struct{}

func (anySchema) Field(name string) (Field, bool) {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(name)))
	return Field{ID: int(h.Sum32() % 16), Name: name, Fold: strings.TrimSpace}, true
}

func (anySchema) Kinds(Logsource) (KindSet, error) { return KindSet(0).With(kindAudit), nil }

// FuzzParse feeds arbitrary files to Parse and, when they parse, to
// Compile, Match and a Correlator. Nothing may panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(auditRule(condSearches + "    condition: 1 of sel* and not filter\n")))
	f.Add([]byte(chained))
	f.Add([]byte(mixedCorrelations))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, _ := Parse("fuzz.yml", data)
		if rs, err := Compile(rules, anySchema{}, testPlaceholders{"x": {"a", "b*"}}); err == nil {
			exercise(rs)
		}
		rs, _ := CompileValid(rules, anySchema{}, testPlaceholders{"x": {"a", "b*"}})
		exercise(rs)
	})
}

// exercise matches an event with rs and runs its correlations.
func exercise(rs *Ruleset) {
	e := &testEvent{kind: kindAudit, t: time.Unix(0, 0), fields: map[int][]string{
		1: {"Update application"}, 2: {"10.0.0.1", "x"}, 3: {""}, 5: {"42"}, 7: {"QUJD"},
	}}
	c := NewCorrelator(rs)
	for i, hit := range rs.Match(e, nil) {
		c.Add(hit, e, i)
	}
	c.FlushBefore(time.Unix(3600, 0))
	c.Flush()
}

// FuzzCondition parses arbitrary conditions; whatever parses must print
// as a condition that parses to the same tree.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{"a", "a and not b", "1 of sel* or all of them", "(a or b) and c", "not (a)", "a | count() > 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseCondition(s)
		if err != nil {
			return
		}
		printed := n.String()
		again, err := parseCondition(printed)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, printed, err)
		}
		if again.String() != printed {
			t.Fatalf("%q printed as %q, then as %q", s, printed, again.String())
		}
	})
}
