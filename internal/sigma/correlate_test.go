package sigma

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const signinRules = `title: Failed sign-in
id: 0a5f3c1e-0000-4000-8000-000000000001
name: failed_login
logsource:
    product: azure
    service: signinlogs
detection:
    sel:
        ResultType: 50126
    condition: sel
---
title: Successful sign-in
name: successful_login
logsource:
    product: azure
    service: signinlogs
detection:
    sel:
        ResultType: 0
    condition: sel
`

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// signin builds a sign-in event; ref identifies it in results.
type signin struct {
	ref    int
	at     time.Duration // after t0
	user   string
	ip     string
	result string
}

func (s signin) event() *testEvent {
	kv := map[string]any{"ResultType": s.result}
	if s.user != "" {
		kv["User"] = s.user
	}
	if s.ip != "" {
		kv["IpAddress"] = s.ip
	}
	e := ev(kindSignin, kv)
	e.t = t0.Add(s.at)
	return e
}

// summary is a CorrelationResult reduced to comparable values.
type summary struct {
	Rule       string
	Group      string
	Start, End time.Duration
	Count      int64
	Refs       string
}

func summarize(rs *Ruleset, results []*CorrelationResult) []summary {
	out := make([]summary, 0, len(results))
	for _, r := range results {
		out = append(out, summary{
			Rule:  rs.Rules()[r.Rule].Title,
			Group: strings.Join(r.Group, ","),
			Start: r.Start.Sub(t0),
			End:   r.End.Sub(t0),
			Count: r.Count,
			Refs:  refList(rs, r.Events),
		})
	}
	slices.SortFunc(out, func(a, b summary) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// refList writes contributions as sorted refs; inner correlation
// results appear as [their refs].
func refList(rs *Ruleset, cs []Contribution) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		switch ref := c.Ref.(type) {
		case int:
			parts = append(parts, fmt.Sprint(ref))
		case *CorrelationResult:
			parts = append(parts, "["+refList(rs, ref.Events)+"]")
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// correlate matches the sign-ins in the given order and flushes once.
func correlate(rs *Ruleset, input []signin) []summary {
	c := NewCorrelator(rs)
	var hits []int
	for _, s := range input {
		e := s.event()
		hits = rs.Match(e, hits[:0])
		for _, i := range hits {
			c.Add(i, e, s.ref)
		}
	}
	return summarize(rs, c.Flush())
}

func TestCorrelationTypes(t *testing.T) {
	failures := func(user string, at ...time.Duration) []signin {
		var out []signin
		for i, a := range at {
			out = append(out, signin{ref: len(user)*100 + i, at: a, user: user, ip: fmt.Sprintf("10.0.0.%d", i%2), result: "50126"})
		}
		return out
	}
	cases := []struct {
		name  string
		corr  string
		input []signin
		want  []summary
	}{
		{
			name: "event_count fires once per burst",
			corr: "type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition:\n        gte: 3\n",
			input: append(failures("amy", 0, time.Minute, 2*time.Minute, 3*time.Minute, 30*time.Minute),
				failures("bo", 0, 20*time.Minute, 40*time.Minute)...),
			want: []summary{{Rule: "corr", Group: "amy", Start: 0, End: 3 * time.Minute, Count: 4, Refs: "300 301 302 303"}},
		},
		{
			name:  "event_count slides its window",
			corr:  "type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition:\n        gte: 3\n",
			input: failures("amy", 0, 9*time.Minute, 11*time.Minute, 12*time.Minute),
			want:  []summary{{Rule: "corr", Group: "amy", Start: 9 * time.Minute, End: 12 * time.Minute, Count: 3, Refs: "301 302 303"}},
		},
		{
			name:  "event_count range",
			corr:  "type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition:\n        gt: 1\n        lte: 2\n",
			input: append(failures("amy", 0, time.Minute, 2*time.Minute), failures("bo", 0, time.Minute)...),
			want:  []summary{{Rule: "corr", Group: "bo", Start: 0, End: time.Minute, Count: 2, Refs: "200 201"}},
		},
		{
			name:  "event_count eq and neq",
			corr:  "type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition:\n        neq: 1\n        eq: 2\n",
			input: append(failures("amy", 0), failures("bo", 0, time.Minute)...),
			want:  []summary{{Rule: "corr", Group: "bo", Start: 0, End: time.Minute, Count: 2, Refs: "200 201"}},
		},
		{
			name:  "event_count without group-by",
			corr:  "type: event_count\n    rules: [failed_login]\n    timespan: 10m\n    condition:\n        gte: 2\n",
			input: append(failures("amy", 0), failures("bo", time.Minute)...),
			want:  []summary{{Rule: "corr", Group: "", Start: 0, End: time.Minute, Count: 2, Refs: "200 300"}},
		},
		{
			name: "event_count skips events without the group field",
			corr: "type: event_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition:\n        gte: 2\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", result: "50126"},
				{ref: 2, at: time.Minute, result: "50126"},
			},
		},
		{
			name: "value_count counts distinct values",
			corr: "type: value_count\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition:\n        field: IpAddress\n        gte: 3\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", ip: "10.0.0.1", result: "50126"},
				{ref: 2, at: time.Minute, user: "amy", ip: "10.0.0.1", result: "50126"},
				{ref: 3, at: 2 * time.Minute, user: "amy", ip: "10.0.0.2", result: "50126"},
				{ref: 4, at: 3 * time.Minute, user: "bo", ip: "10.0.0.3", result: "50126"},
				{ref: 5, at: 4 * time.Minute, user: "amy", ip: "10.0.0.3", result: "50126"},
			},
			want: []summary{{Rule: "corr", Group: "amy", Start: 0, End: 4 * time.Minute, Count: 3, Refs: "1 2 3 5"}},
		},
		{
			name: "temporal needs every rule",
			corr: "type: temporal\n    rules: [failed_login, successful_login]\n    group-by: [User]\n    timespan: 5m\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", result: "0"},
				{ref: 2, at: time.Minute, user: "amy", result: "50126"},
				{ref: 3, at: 0, user: "bo", result: "50126"},
				{ref: 4, at: 10 * time.Minute, user: "bo", result: "0"},
			},
			want: []summary{{Rule: "corr", Group: "amy", Start: 0, End: time.Minute, Count: 2, Refs: "1 2"}},
		},
		{
			name: "temporal with a count condition",
			corr: "type: temporal\n    rules: [failed_login, successful_login]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        gte: 1\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", result: "0"},
			},
			want: []summary{{Rule: "corr", Group: "amy", Start: 0, End: 0, Count: 1, Refs: "1"}},
		},
		{
			name: "temporal_ordered keeps the order",
			corr: "type: temporal_ordered\n    rules: [failed_login, successful_login]\n    group-by: [User]\n    timespan: 5m\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", result: "0"},
				{ref: 2, at: time.Minute, user: "amy", result: "50126"},
				{ref: 3, at: 0, user: "bo", result: "50126"},
				{ref: 4, at: 2 * time.Minute, user: "bo", result: "0"},
			},
			want: []summary{{Rule: "corr", Group: "bo", Start: 0, End: 2 * time.Minute, Count: 2, Refs: "3 4"}},
		},
		{
			name: "aliases group different fields",
			corr: "type: temporal\n    rules: [failed_login, successful_login]\n    group-by: [who]\n    timespan: 5m\n    aliases:\n        who:\n            failed_login: User\n            successful_login: IpAddress\n",
			input: []signin{
				{ref: 1, at: 0, user: "amy", ip: "x", result: "50126"},
				{ref: 2, at: time.Minute, user: "bo", ip: "amy", result: "0"},
			},
			want: []summary{{Rule: "corr", Group: "amy", Start: 0, End: time.Minute, Count: 2, Refs: "1 2"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := mustLoad(t, "c.yml", signinRules+"---\ntitle: corr\ncorrelation:\n    "+tc.corr, nil)
			got := correlate(rs, tc.input)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("results:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// chained is the specification's example: many failed sign-ins followed
// by a successful one for the same user.
const chained = signinRules + `---
title: Many failed sign-ins
name: many_failed
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [User]
    timespan: 10m
    condition:
        gte: 3
---
title: Brute force then success
correlation:
    type: temporal_ordered
    rules: [many_failed, successful_login]
    group-by: [User]
    timespan: 1h
`

func TestChainedCorrelation(t *testing.T) {
	rs := mustLoad(t, "chain.yml", chained, nil)
	input := []signin{
		{ref: 1, at: 0, user: "amy", result: "50126"},
		{ref: 2, at: time.Minute, user: "amy", result: "50126"},
		{ref: 3, at: 2 * time.Minute, user: "amy", result: "50126"},
		{ref: 4, at: 20 * time.Minute, user: "amy", result: "0"},
		{ref: 5, at: 0, user: "bo", result: "0"},
		{ref: 6, at: time.Minute, user: "bo", result: "50126"},
		{ref: 7, at: 2 * time.Minute, user: "bo", result: "50126"},
		{ref: 8, at: 3 * time.Minute, user: "bo", result: "50126"},
	}
	want := []summary{{Rule: "Brute force then success", Group: "amy", Start: 2 * time.Minute, End: 20 * time.Minute, Count: 2, Refs: "4 [1 2 3]"}}
	if got := correlate(rs, input); !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n got %+v\nwant %+v", got, want)
	}
	for i, want := range []bool{false, false, false, true} {
		if got := rs.Standalone(i); got != want {
			t.Errorf("Standalone(%d) = %v, want %v", i, got, want)
		}
	}
}

func TestGenerate(t *testing.T) {
	src := signinRules + "---\ntitle: corr\ncorrelation:\n    type: temporal\n    rules: [failed_login]\n    timespan: 5m\n    generate: true\n"
	rs := mustLoad(t, "g.yml", src, nil)
	if !rs.Standalone(0) || !rs.Standalone(1) || !rs.Standalone(2) {
		t.Errorf("generate: true should keep every rule standalone")
	}
	if !rs.Correlated(0) || rs.Correlated(1) || rs.Correlated(-1) || rs.Correlated(99) {
		t.Errorf("Correlated = %v %v, want only the rule the correlation names", rs.Correlated(0), rs.Correlated(1))
	}
	top := signinRules + "---\ntitle: corr\ncorrelation:\n    type: temporal\n    rules: [failed_login]\n    timespan: 5m\ngenerate: true\n"
	rs = mustLoad(t, "g.yml", top, nil)
	if !rs.Standalone(0) {
		t.Errorf("top-level generate: true should keep the base rule standalone")
	}
}

// randomSignins builds a reproducible mix of sign-ins over a few users.
func randomSignins(seed uint64, n int) []signin {
	r := rand.New(rand.NewPCG(seed, 1))
	users := []string{"amy", "bo", "cy", "di"}
	out := make([]signin, n)
	for i := range out {
		result := "50126"
		if r.IntN(4) == 0 {
			result = "0"
		}
		out[i] = signin{
			ref:    i,
			at:     time.Duration(r.IntN(180)) * time.Minute,
			user:   users[r.IntN(len(users))],
			ip:     fmt.Sprintf("10.0.%d.%d", r.IntN(2), r.IntN(3)),
			result: result,
		}
	}
	return out
}

const mixedCorrelations = chained + `---
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
`

func TestCorrelationOrderIndependent(t *testing.T) {
	rs := mustLoad(t, "mixed.yml", mixedCorrelations, nil)
	input := randomSignins(7, 400)
	sorted := slices.Clone(input)
	slices.SortStableFunc(sorted, func(a, b signin) int { return int(a.at - b.at) })
	want := correlate(rs, sorted)
	if len(want) < 5 {
		t.Fatalf("only %d results on sorted input; the test data is too thin", len(want))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 5; round++ {
		shuffled := slices.Clone(input)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := correlate(rs, shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: shuffled input gave %d results, sorted %d\n got %+v\nwant %+v", round, len(got), len(want), got, want)
		}
	}
}

// TestFlushBefore streams events that arrive at most lateness behind the
// newest one, flushing as it goes, and expects the batch results.
func TestFlushBefore(t *testing.T) {
	rs := mustLoad(t, "mixed.yml", mixedCorrelations, nil)
	input := randomSignins(11, 400)
	want := correlate(rs, input)
	const lateness = 20 * time.Minute
	delayed := delay(input, lateness, rand.New(rand.NewPCG(5, 6)))
	c := NewCorrelator(rs)
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
			c.Add(i, e, s.ref)
		}
		if k%25 == 0 {
			got = append(got, c.FlushBefore(newest.Add(-lateness))...)
		}
	}
	early := len(got)
	got = append(got, c.Flush()...)
	if early == 0 || early == len(got) {
		t.Errorf("%d of %d results came before the final flush; the test should see both kinds", early, len(got))
	}
	if s := summarize(rs, got); !reflect.DeepEqual(s, want) {
		t.Fatalf("streaming gave %d results, batch %d\n got %+v\nwant %+v", len(s), len(want), s, want)
	}
}

// delay reorders input so that each event arrives up to lateness after
// its own time, and so after some newer events.
func delay(sorted []signin, lateness time.Duration, r *rand.Rand) []signin {
	type arrival struct {
		s  signin
		at time.Duration
	}
	as := make([]arrival, len(sorted))
	for i, s := range sorted {
		as[i] = arrival{s, s.at + time.Duration(r.Int64N(int64(lateness)))}
	}
	slices.SortStableFunc(as, func(a, b arrival) int { return int(a.at - b.at) })
	out := make([]signin, len(as))
	for i, a := range as {
		out[i] = a.s
	}
	return out
}

// TestFlushSettled streams events with FlushSettled after each one and
// expects the batch results: in time order with some lateness, where few
// hits are held at a time, and newest first, where all are held.
func TestFlushSettled(t *testing.T) {
	rs := mustLoad(t, "mixed.yml", mixedCorrelations, nil)
	input := randomSignins(13, 600)
	slices.SortStableFunc(input, func(a, b signin) int { return int(a.at - b.at) })
	want := correlate(rs, input)
	const lateness = 10 * time.Minute
	reversed := slices.Clone(input)
	slices.Reverse(reversed)
	held := map[string]int{}
	for _, tc := range []struct {
		name  string
		input []signin
	}{
		{"late", delay(input, lateness, rand.New(rand.NewPCG(8, 9)))},
		{"newest first", reversed},
	} {
		c := NewCorrelator(rs)
		var got []*CorrelationResult
		var hits []int
		for _, s := range tc.input {
			e := s.event()
			hits = rs.Match(e, hits[:0])
			for _, i := range hits {
				c.Add(i, e, s.ref)
			}
			got = append(got, c.FlushSettled(lateness)...)
			held[tc.name] = max(held[tc.name], c.Held())
		}
		got = append(got, c.Flush()...)
		if s := summarize(rs, got); !reflect.DeepEqual(s, want) {
			t.Fatalf("%s: streaming gave %d results, batch %d\n got %+v\nwant %+v", tc.name, len(s), len(want), s, want)
		}
		if c.Held() != 0 || c.Late() != 0 {
			t.Errorf("%s: after Flush, %d hits held and %d late, want none", tc.name, c.Held(), c.Late())
		}
	}
	// The input spans 3 hours, the longest correlation (a chain) 35
	// minutes, plus 10 minutes of lateness.
	if held["late"]*2 > held["newest first"] {
		t.Errorf("held up to %d hits in time order, %d newest first; want far fewer in time order", held["late"], held["newest first"])
	}
}

const pairRule = signinRules + `---
title: Fail and succeed
correlation:
    type: temporal
    rules: [failed_login, successful_login]
    group-by: [User]
    timespan: 10m
`

// TestLateHits checks that a hit arriving after hits it could have
// joined were dropped is counted, and still correlated with those held.
func TestLateHits(t *testing.T) {
	rs := mustLoad(t, "pair.yml", pairRule, nil)
	c := NewCorrelator(rs)
	add := func(s signin) {
		e := s.event()
		for _, i := range rs.Match(e, nil) {
			c.Add(i, e, s.ref)
		}
	}
	add(signin{ref: 1, at: 0, user: "amy", result: "50126"})
	add(signin{ref: 2, at: 5 * time.Hour, user: "amy", result: "50126"})
	if r := c.FlushSettled(time.Minute); len(r) != 0 || c.Held() != 1 || c.Late() != 0 {
		t.Fatalf("%d results, %d held, %d late; want the newest hit held, none late", len(r), c.Held(), c.Late())
	}
	add(signin{ref: 3, at: 5 * time.Minute, user: "amy", result: "0"})
	add(signin{ref: 4, at: 5*time.Hour - time.Minute, user: "amy", result: "0"})
	if c.Late() != 1 {
		t.Errorf("late = %d, want 1", c.Late())
	}
	got := summarize(rs, c.Flush())
	want := []summary{{Rule: "Fail and succeed", Group: "amy", Start: 5*time.Hour - time.Minute, End: 5 * time.Hour, Count: 2, Refs: "2 4"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n got %+v\nwant %+v", got, want)
	}
}
