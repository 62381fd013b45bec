package sigma

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// hitStore keeps hits outside a Correlator, by correlation and group, as
// a database would.
type hitStore struct {
	rs     *Ruleset
	groups map[string][]Hit
}

func newHitStore(rs *Ruleset) *hitStore { return &hitStore{rs: rs, groups: map[string][]Hit{}} }

func (s *hitStore) add(hits []Hit) {
	for _, h := range hits {
		k := fmt.Sprint(h.Corr, h.Group)
		s.groups[k] = append(s.groups[k], h)
	}
}

// evaluate evaluates the groups of each correlation, inner ones first,
// keeping the hits Evaluate leaves and filing the results in the
// correlations that use them, and returns the standalone results.
func (s *hitStore) evaluate(watermark time.Time, final bool) []*CorrelationResult {
	var out []*CorrelationResult
	for _, corr := range s.rs.Correlations() {
		prefix := fmt.Sprint(corr, " ")
		for _, k := range slices.Sorted(maps.Keys(s.groups)) {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			results, rest := s.rs.Evaluate(s.groups[k], watermark, final)
			s.groups[k] = rest
			for _, r := range results {
				s.add(s.rs.OuterHits(r))
				if s.rs.Standalone(r.Rule) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// TestEvaluateLikeCorrelator streams late events into hits kept outside a
// Correlator and expects the Correlator's batch results.
func TestEvaluateLikeCorrelator(t *testing.T) {
	rs := mustLoad(t, "mixed.yml", mixedCorrelations, nil)
	input := randomSignins(11, 400)
	want := correlate(rs, input)
	const lateness = 20 * time.Minute
	delayed := delay(input, lateness, rand.New(rand.NewPCG(5, 6)))
	store := newHitStore(rs)
	var got []*CorrelationResult
	var newest time.Time
	var hits []int
	for k, s := range delayed {
		e := s.event()
		if e.t.After(newest) {
			newest = e.t
		}
		hits = rs.Match(e, hits[:0])
		for _, i := range hits {
			store.add(rs.Hits(i, e, s.ref))
		}
		if k%25 == 0 {
			got = append(got, store.evaluate(newest.Add(-lateness), false)...)
		}
	}
	early := len(got)
	got = append(got, store.evaluate(time.Time{}, true)...)
	if early == 0 || early == len(got) {
		t.Errorf("%d of %d results came before the final evaluation; the test should see both kinds", early, len(got))
	}
	if s := summarize(rs, got); !reflect.DeepEqual(s, want) {
		t.Fatalf("Evaluate gave %d results, the Correlator %d\n got %+v\nwant %+v", len(s), len(want), s, want)
	}
}

// earlyCorrelations are correlations without upper bounds, of every type.
const earlyCorrelations = signinRules + `---
title: Burst
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [User]
    timespan: 10m
    condition:
        gte: 3
---
title: Many addresses
correlation:
    type: value_count
    rules: [failed_login]
    group-by: [User]
    timespan: 30m
    condition:
        field: IpAddress
        gte: 4
---
title: Fail and succeed
correlation:
    type: temporal
    rules: [failed_login, successful_login]
    group-by: [User, IpAddress]
    timespan: 2m
---
title: Fail then succeed
correlation:
    type: temporal_ordered
    rules: [failed_login, successful_login]
    group-by: [User]
    timespan: 20m
`

// TestEarlyResults evaluates every group as each event arrives in time
// order, reporting windows that meet their condition at once, and expects
// the windows of the batch results: same rule, group and first event.
func TestEarlyResults(t *testing.T) {
	rs := mustLoad(t, "early.yml", earlyCorrelations, nil)
	input := randomSignins(13, 400)
	slices.SortStableFunc(input, func(a, b signin) int { return int(a.at - b.at) })
	window := func(r *CorrelationResult) string {
		return fmt.Sprint(r.Rule, r.Group, r.Start, refList(rs, r.Events[:1]))
	}
	var want []string
	for _, r := range correlateResults(rs, input) {
		want = append(want, window(r))
	}
	store := newHitStore(rs)
	seen := map[string]bool{}
	var got []string
	var hits []int
	for _, s := range input {
		e := s.event()
		hits = rs.Match(e, hits[:0])
		for _, i := range hits {
			store.add(rs.Hits(i, e, s.ref))
		}
		for _, group := range store.groups {
			results, _ := rs.Evaluate(slices.Clone(group), time.Time{}, true)
			for _, r := range results {
				if w := window(r); rs.EarlyResults(r.Rule) && !seen[w] {
					seen[w] = true
					got = append(got, w)
				}
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 3 {
		t.Fatalf("only %d results; the test data is too thin", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("early results differ from the batch results\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func correlateResults(rs *Ruleset, input []signin) []*CorrelationResult {
	c := NewCorrelator(rs)
	var hits []int
	for _, s := range input {
		e := s.event()
		hits = rs.Match(e, hits[:0])
		for _, i := range hits {
			c.Add(i, e, s.ref)
		}
	}
	return c.Flush()
}

func TestEarlyResultsBounds(t *testing.T) {
	cases := []struct {
		cond string
		want bool
	}{
		{"gte: 3", true},
		{"gt: 3", true},
		{"lt: 3", false},
		{"gte: 2\n        lte: 5", false},
		{"eq: 2", false},
		{"neq: 2", false},
	}
	for _, tc := range cases {
		src := signinRules + "---\ntitle: corr\ncorrelation:\n    type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        " + tc.cond + "\n"
		rs := mustLoad(t, "b.yml", src, nil)
		if got := rs.EarlyResults(2); got != tc.want {
			t.Errorf("%s: EarlyResults = %v, want %v", tc.cond, got, tc.want)
		}
		if rs.EarlyResults(0) {
			t.Errorf("%s: EarlyResults of a detection rule = true", tc.cond)
		}
	}
}
