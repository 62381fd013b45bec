package sigma

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Lines of auditRule: 1 title, 2 logsource, 3 product, 4 service,
// 5 detection; the detection body starts on line 6.

const baseRule = `title: base
id: base-1
name: base
logsource:
    product: azure
    service: auditlogs
detection:
    sel:
        Target: a
    condition: sel
`

func withCorr(body string) string {
	return baseRule + "---\ntitle: corr\ncorrelation:\n" + body
}

// Lines of withCorr: baseRule takes ten lines, so the correlation body
// starts on line 14.

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want string
	}{
		{"bad yaml", "title: [unclosed\n", "x.yml:1: invalid YAML: did not find expected ',' or ']'"},
		{"tab indentation", "title: t\n\tdetection: x\n", "x.yml:2: invalid YAML: found a tab character that violates indentation"},
		{"not a map", "- a\n- b\n", "x.yml:1:1: rule must be a mapping"},
		{"no title", "logsource:\n    product: azure\ndetection:\n    sel: x\n    condition: sel\n", "x.yml:1:1: rule has no title"},
		{"no logsource", "title: t\ndetection:\n    sel: x\n    condition: sel\n", "x.yml:1:1: detection rule has no logsource"},
		{"no detection", "title: t\nlogsource:\n    product: azure\n", "x.yml:1:1: rule has neither detection nor correlation"},
		{"duplicate key", auditRule("    sel:\n        Target: a\n    sel:\n        Target: b\n    condition: sel\n"), `x.yml:8:5: detection: duplicate key "sel"`},
		{"rule collection", "action: global\ntitle: t\n", `x.yml:1:1: unsupported rule collection key "action"`},
		{"timeframe", auditRule("    sel:\n        Target: a\n    timeframe: 5m\n    condition: sel\n"), `x.yml:8:5: unsupported detection key "timeframe", use a correlation rule`},
		{"title is a list", "title: [a, b]\nlogsource:\n    product: azure\ndetection:\n    sel: x\n    condition: sel\n", "x.yml:1:8: title must be a single value"},

		{"unknown modifier", auditRule(sel("        Target|foo: x\n")), `x.yml:7:9: unknown modifier "foo"`},
		{"neq with all", auditRule(sel("        Target|neq|all: [x, y]\n")), `x.yml:7:9: modifier "neq" cannot be combined with "all"`},
		{"neq with exists", auditRule(sel("        Target|exists|neq: true\n")), `x.yml:7:9: modifier "neq" cannot be combined with "exists"`},
		{"keyword neq", auditRule("    kw:\n        '|neq': x\n    condition: kw\n"), `x.yml:7:9: keyword searches cannot use "neq"`},
		{"time modifier range", auditRule(sel("        Target|hour: 24\n")), `x.yml:7:9: modifier "hour" needs a whole number from 0 to 23, not "24"`},
		{"time modifier text", auditRule(sel("        Target|month: may\n")), `x.yml:7:9: modifier "month" needs a whole number from 1 to 12, not "may"`},
		{"time with contains", auditRule(sel("        Target|hour|contains: 3\n")), `x.yml:7:9: modifier "contains" cannot be combined with "hour"`},
		{"two time modifiers", auditRule(sel("        Target|hour|day: 3\n")), `x.yml:7:9: modifier "day" conflicts with "hour"`},
		{"empty modifier", auditRule(sel("        Target||contains: x\n")), `x.yml:7:9: empty modifier`},
		{"modifier twice", auditRule(sel("        Target|contains|contains: x\n")), `x.yml:7:9: modifier "contains" given twice`},
		{"two positions", auditRule(sel("        Target|startswith|endswith: x\n")), `x.yml:7:9: modifier "endswith" conflicts with "startswith"`},
		{"re and contains", auditRule(sel("        Target|re|contains: x\n")), `x.yml:7:9: modifier "contains" cannot be combined with "re"`},
		{"re flag without re", auditRule(sel("        Target|i: x\n")), `x.yml:7:9: modifier "i" is only valid after "re"`},
		{"cidr and gt", auditRule(sel("        Target|cidr|gt: 1\n")), `x.yml:7:9: modifier "gt" conflicts with "cidr"`},
		{"exists with all", auditRule(sel("        Target|exists|all: true\n")), `x.yml:7:9: modifier "all" cannot be combined with "exists"`},
		{"fieldref with base64", auditRule(sel("        Target|fieldref|base64: Host\n")), `x.yml:7:9: modifier "base64" cannot be combined with "fieldref"`},
		{"base64offset without contains", auditRule(sel("        Target|base64offset: x\n")), `x.yml:7:9: modifier "base64offset" needs "contains"`},
		{"wide without base64", auditRule(sel("        Target|wide: x\n")), `x.yml:7:9: modifier "utf16le" must be followed by "base64" or "base64offset"`},
		{"expand after base64", auditRule(sel("        Target|base64|expand: x\n")), `x.yml:7:9: modifier "expand" must come before "base64"`},
		{"all with one value", auditRule(sel("        Target|all: x\n")), `x.yml:7:9: modifier "all" needs a list of at least two values`},
		{"exists needs bool", auditRule(sel("        Target|exists: yes\n")), `x.yml:7:9: modifier "exists" needs true or false`},
		{"exists list", auditRule(sel("        Target|exists: [true, false]\n")), `x.yml:7:9: modifier "exists" needs a single true or false`},
		{"gt needs number", auditRule(sel("        Count|gt: many\n")), `x.yml:7:9: modifier "gt" needs a number, not "many"`},
		{"null with contains", auditRule(sel("        Target|contains: null\n")), `x.yml:7:9: null cannot be used with modifiers or as a keyword`},
		{"keyword exists", auditRule("    kw:\n        '|exists': true\n    condition: kw\n"), `x.yml:7:9: keyword searches cannot use "exists"`},
		{"nested map value", auditRule(sel("        Target:\n            a: b\n")), `x.yml:8:13: values must be plain values, not maps`},
		{"nested list value", auditRule(sel("        Target:\n            - [a]\n")), `x.yml:8:15: values must be plain values, not lists or maps`},
		{"empty value list", auditRule(sel("        Target: []\n")), `x.yml:7:17: empty list of values`},
		{"empty search", auditRule("    sel:\n    condition: sel\n"), `x.yml:6:5: search identifier "sel" is empty`},
		{"empty search list", auditRule("    sel: []\n    condition: sel\n"), `x.yml:6:5: search identifier "sel" is an empty list`},
		{"empty search map", auditRule("    sel: {}\n    condition: sel\n"), `x.yml:6:10: search map is empty`},

		{"no condition", auditRule("    sel:\n        Target: a\n"), "x.yml:6:5: detection has no condition"},
		{"undefined identifier", auditRule(sel("        Target: a\n")[:len(sel("        Target: a\n"))-len("sel\n")] + "sel and other\n"), `x.yml:8:24: condition: undefined search identifier "other"`},
		{"pattern matches nothing", auditRule("    sel:\n        Target: a\n    condition: 1 of filter*\n"), `x.yml:8:16: condition: "filter*" matches no search identifier`},
		{"condition syntax", auditRule("    sel:\n        Target: a\n    condition: (sel\n"), `x.yml:8:16: condition: unclosed parenthesis`},
		{"quoted condition offset", auditRule("    sel:\n        Target: a\n    condition: 'sel or'\n"), `x.yml:8:23: condition: condition ends too early`},
		{"aggregation", auditRule("    sel:\n        Target: a\n    condition: sel | count() > 5\n"), `x.yml:8:20: condition: aggregation expressions are not supported, use a correlation rule`},
		{"condition is a map", auditRule("    sel:\n        Target: a\n    condition:\n        a: b\n"), `x.yml:9:9: condition must be a string`},

		{"unknown field", auditRule(sel("        Nope: x\n")), `x.yml:7:9: unknown field "Nope"`},
		{"unknown fieldref", auditRule(sel("        Target|fieldref: Nope\n")), `x.yml:7:26: fieldref: unknown field "Nope"`},
		{"bad regex", auditRule(sel("        Target|re: '(('\n")), "x.yml:7:20: bad regular expression \"((\": error parsing regexp: missing closing ): `((`"},
		{"bad cidr", auditRule(sel("        IpAddress|cidr: 10.0.0.0/33\n")), `x.yml:7:25: bad cidr "10.0.0.0/33": netip.ParsePrefix("10.0.0.0/33"): prefix length out of range`},
		{"unknown placeholder", auditRule(sel("        Target|expand: '%who%'\n")), `x.yml:7:24: unknown placeholder %who%`},
		{"encoding a wildcard", auditRule(sel("        Target|base64: 'a*'\n")), `x.yml:7:24: modifier "base64" cannot encode wildcards; put "contains" after it`},
		{"unknown logsource", "title: t\nlogsource:\n    product: aws\ndetection:\n    sel: x\n    condition: sel\n", `x.yml:2:1: logsource product=aws: unknown product "aws"`},

		{"correlation unknown rule", withCorr("    type: event_count\n    rules: [nope]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        gte: 2\n"), `x.yml:15:13: correlation refers to unknown rule "nope"`},
		{"bad timespan", withCorr("    type: event_count\n    rules: [base]\n    group-by: [User]\n    timespan: 5 minutes\n    condition:\n        gte: 2\n"), `x.yml:17:15: bad timespan "5 minutes", want a number followed by s, m, h or d`},
		{"timespan unit", withCorr("    type: event_count\n    rules: [base]\n    group-by: [User]\n    timespan: 5w\n    condition:\n        gte: 2\n"), `x.yml:17:15: bad timespan "5w", want a number followed by s, m, h or d`},
		{"zero timespan", withCorr("    type: event_count\n    rules: [base]\n    group-by: [User]\n    timespan: 0s\n    condition:\n        gte: 2\n"), `x.yml:17:15: bad timespan "0s", want a number followed by s, m, h or d`},
		{"correlation type", withCorr("    type: value_sum\n    rules: [base]\n    timespan: 5m\n"), `x.yml:14:5: unsupported correlation type "value_sum"`},
		{"correlation without condition", withCorr("    type: event_count\n    rules: [base]\n    timespan: 5m\n"), `x.yml:14:5: event_count correlation has no condition`},
		{"value_count without field", withCorr("    type: value_count\n    rules: [base]\n    timespan: 5m\n    condition:\n        gte: 2\n"), `x.yml:18:9: value_count condition needs a field`},
		{"condition expression", withCorr("    type: temporal\n    rules: [base]\n    timespan: 5m\n    condition: base and base\n"), `x.yml:17:16: condition expressions in correlation rules are not supported, use a map such as gte: 2`},
		{"ordered with condition", withCorr("    type: temporal_ordered\n    rules: [base]\n    timespan: 5m\n    condition:\n        gte: 1\n"), `x.yml:18:9: a condition is not supported for temporal_ordered correlations`},
		{"condition not integer", withCorr("    type: event_count\n    rules: [base]\n    timespan: 5m\n    condition:\n        gte: many\n"), `x.yml:18:14: correlation condition gte needs an integer`},
		{"unknown condition key", withCorr("    type: event_count\n    rules: [base]\n    timespan: 5m\n    condition:\n        above: 2\n"), `x.yml:18:9: unknown correlation condition "above"`},
		{"unknown correlation key", withCorr("    type: event_count\n    rules: [base]\n    timespan: 5m\n    window: 2\n    condition:\n        gte: 2\n"), `x.yml:17:5: unknown correlation key "window"`},
		{"group-by unknown field", withCorr("    type: event_count\n    rules: [base]\n    group-by: [Nope]\n    timespan: 5m\n    condition:\n        gte: 2\n"), `x.yml:16:16: group-by "Nope": unknown field "Nope"`},
		{"alias for unknown rule", withCorr("    type: temporal\n    rules: [base]\n    group-by: [who]\n    timespan: 5m\n    aliases:\n        who:\n            other: User\n"), `x.yml:20:13: alias "who": "other" is not the name of a rule this correlation refers to`},
		{"self reference", baseRule + "---\ntitle: corr\nname: self\ncorrelation:\n    type: temporal\n    rules: [base, self]\n    timespan: 5m\n", `x.yml:16:19: correlation refers to itself`},
		{"cycle", baseRule + "---\ntitle: a\nname: ca\ncorrelation:\n    type: temporal\n    rules: [base, cb]\n    timespan: 5m\n---\ntitle: b\nname: cb\ncorrelation:\n    type: temporal\n    rules: [base, ca]\n    timespan: 5m\n", `x.yml:15:5: correlation rules refer to each other in a cycle`},
		{"duplicate name", baseRule + "---\n" + strings.Replace(baseRule, "id: base-1", "id: base-2", 1), `x.yml:12: rule id or name "base" is also used at x.yml:1`},
		{"generate outside correlation", baseRule + "generate: true\n", `x.yml:11:1: generate is only valid in a correlation rule`},
		{"inner group-by missing", baseRule + "---\ntitle: inner\nname: inner\ncorrelation:\n    type: event_count\n    rules: [base]\n    group-by: [Host]\n    timespan: 5m\n    condition:\n        gte: 2\n---\ntitle: outer\ncorrelation:\n    type: temporal\n    rules: [inner, base]\n    group-by: [User]\n    timespan: 5m\n", `x.yml:26:16: group-by "User": not in the group-by of correlation "inner"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, "x.yml", tc.src, nil)
			if err == nil {
				t.Fatal("loaded without error")
			}
			if got := firstError(err); got != tc.want {
				t.Errorf("error:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestErrorsListEveryProblem checks that one load reports problems of
// several rules and several searches at once.
func TestErrorsListEveryProblem(t *testing.T) {
	src := auditRule("    a:\n        Nope: x\n    b:\n        Target|foo: y\n    condition: a or b\n") + "---\n" + auditRule(sel("        Other: z\n"))
	rules, err := Parse("x.yml", []byte(src))
	if err == nil || len(rules) != 1 || rules[0].Line != 12 {
		t.Fatalf("parse accepted an unknown modifier or lost the good rule: %d rules, error %v", len(rules), err)
	}
	if !strings.Contains(err.Error(), `x.yml:9:9: unknown modifier "foo"`) {
		t.Errorf("parse error %q lacks the modifier problem", err)
	}
	rules, err = Parse("x.yml", []byte(strings.Replace(src, "|foo", "", 1)))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	_, err = Compile(rules, testSchema{}, nil)
	for _, want := range []string{`x.yml:7:9: unknown field "Nope"`, `x.yml:18:9: unknown field "Other"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("compile error %v lacks %q", err, want)
		}
	}
}

// TestEveryFieldProblemOnce checks that every unknown field and modifier
// of a rule is reported, and that a search that failed is not reported
// again by the condition that names it.
func TestEveryFieldProblemOnce(t *testing.T) {
	src := auditRule("    a:\n        Nope: x\n        Target: y\n        Other: z\n    b:\n        - Target|foo: y\n        - Target|bar: y\n    condition: a or b or 1 of b*\n")
	_, err := load(t, "x.yml", src, nil)
	if err == nil {
		t.Fatal("loaded without error")
	}
	got := strings.Split(err.Error(), "\n")
	want := []string{`x.yml:11:11: unknown modifier "foo"`, `x.yml:12:11: unknown modifier "bar"`}
	if !slices.Equal(got, want) {
		t.Errorf("parse errors:\n got %q\nwant %q", got, want)
	}
	_, err = load(t, "x.yml", strings.NewReplacer("|foo", "", "|bar", "").Replace(src), nil)
	got = strings.Split(err.Error(), "\n")
	want = []string{`x.yml:7:9: unknown field "Nope"`, `x.yml:9:9: unknown field "Other"`}
	if !slices.Equal(got, want) {
		t.Errorf("compile errors:\n got %q\nwant %q", got, want)
	}
}

// TestAliasExpansionIsBounded builds a small file whose aliases would
// expand to millions of values.
func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: t\nlogsource:\n    product: azure\nlists:\n    vals: &vals [")
	for i := 0; i < 200; i++ {
		b.WriteString("v,")
	}
	b.WriteString("v]\n    map: &map\n")
	for i := 0; i < 100; i++ {
		b.WriteString("        f" + strings.Repeat("x", i) + ": *vals\n")
	}
	b.WriteString("detection:\n    sel:\n")
	for i := 0; i < 100; i++ {
		b.WriteString("        - *map\n")
	}
	b.WriteString("    condition: sel\n")
	_, err := Parse("x.yml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "detection holds more than 100000 values") {
		t.Fatalf("error = %v, want the value limit", err)
	}
}

func TestWindashLimit(t *testing.T) {
	_, err := load(t, "x.yml", auditRule(sel("        CommandLine|windash: 'a-b-c-d-e-f-g'\n")), nil)
	if err == nil || firstError(err) != "x.yml:7:30: windash gives too many variants" {
		t.Fatalf("error = %v", err)
	}
}

func TestCompileRejectsHandMadeRules(t *testing.T) {
	_, err := Compile([]*Rule{{File: "x.yml", Line: 3, Title: "t"}}, testSchema{}, nil)
	if err == nil || firstError(err) != `x.yml:3: rule "t" has no parsed detection; rules must come from Parse` {
		t.Fatalf("error = %v", err)
	}
}

func TestEmptyLogsource(t *testing.T) {
	_, err := load(t, "x.yml", "title: t\nlogsource: {}\ndetection:\n    sel: x\n    condition: sel\n", nil)
	if err == nil || firstError(err) != `x.yml:2:1: logsource (empty): unknown product ""` {
		t.Fatalf("error = %v", err)
	}
}

// TestRuleByteBudget checks that values that multiply into gigabytes of
// patterns (a long value under windash, a long value repeated through
// YAML aliases) are refused before they are built.
func TestRuleByteBudget(t *testing.T) {
	long := strings.Repeat("a", 1200000)
	cases := map[string]string{
		"windash":            auditRule(sel("        CommandLine|windash: '" + long[:600000] + "-b-c-d-" + long[:600000] + "'\n")),
		"aliases":            auditRule("    sel:\n        CommandLine: &v '" + long + "'\n        Target: *v\n        Host: *v\n        User: *v\n    condition: sel\n"),
		"windash and base64": auditRule(sel("        CommandLine|windash|base64offset|contains: '" + long[:300000] + "-b-'\n")),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := load(t, "x.yml", src, nil)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "the rule's values expand to more than 4 MiB of patterns") {
				t.Fatalf("error = %.200v", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("loading allocated %d MiB before refusing the rule", grew>>20)
			}
		})
	}
	within := auditRule(sel("        CommandLine|windash: '" + long[:100000] + "-b'\n"))
	if _, err := load(t, "x.yml", within, nil); err != nil {
		t.Errorf("a rule within the budget was refused: %.200v", err)
	}
}

// TestCompileValid checks that the rules that can be compiled are kept
// and every other one is refused with its own problems, including the
// correlations that use a refused rule.
func TestCompileValid(t *testing.T) {
	src := `title: good
name: good
logsource: {product: azure, service: auditlogs}
detection: {sel: {Target: a}, condition: sel}
---
title: bad
name: bad
logsource: {product: azure, service: auditlogs}
detection: {sel: {Nope: a}, condition: sel}
---
title: uses bad
name: uses-bad
correlation: {type: event_count, rules: [bad], group-by: [User], timespan: 5m, condition: {gte: 2}}
---
title: uses the correlation over bad
correlation: {type: temporal, rules: [uses-bad, good], group-by: [User], timespan: 5m}
---
title: uses good
correlation: {type: event_count, rules: [good], group-by: [User], timespan: 5m, condition: {gte: 2}}
---
title: good again
name: good
logsource: {product: azure, service: auditlogs}
detection: {sel: {Target: b}, condition: sel}
`
	rules, err := Parse("x.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rs, refused := CompileValid(rules, testSchema{}, nil)
	var kept []string
	for _, r := range rs.Rules() {
		kept = append(kept, r.Title)
	}
	if want := []string{"good", "uses good"}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	var got []string
	for _, r := range refused {
		got = append(got, r.Rule.Title+": "+firstError(r.Err))
	}
	want := []string{
		`bad: x.yml:9:19: unknown field "Nope"`,
		`uses bad: x.yml:13:42: correlation refers to rule "bad", which could not be loaded`,
		`uses the correlation over bad: x.yml:16:39: correlation refers to rule "uses-bad", which could not be loaded`,
		`good again: x.yml:21: rule id or name "good" is also used at x.yml:1`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("refused:\n got %q\nwant %q", got, want)
	}
	if hits := rs.Match(audit(map[string]any{"Target": "a"}), nil); !slices.Equal(hits, []int{0}) {
		t.Errorf("Match = %v, want the kept rule 0", hits)
	}
}

func TestFieldsAndKinds(t *testing.T) {
	rs := mustLoad(t, "x.yml", auditRule("    a:\n        Target: x\n        Host|fieldref: User\n    kw: evil\n    condition: a and not kw\n"), nil)
	if got := rs.Fields(0); !slices.Equal(got, []int{4, 7, 12}) {
		t.Errorf("Fields = %v, want the IDs of Target, Host and User", got)
	}
	if got := rs.Kinds(0); got != KindSet(0).With(kindAudit) {
		t.Errorf("Kinds = %b", got)
	}
	if rs.Fields(1) != nil || rs.Kinds(-1) != 0 {
		t.Error("a rule that does not exist has fields or kinds")
	}
}
