package sigma

import (
	"testing"
)

// condSearches defines the searches the condition cases use.
const condSearches = `    sel1:
        Target: a
    sel2:
        Initiator: b
    filter:
        Host: h
    _hidden:
        Tags: t
`

// flags builds an event on which sel1, sel2, filter and _hidden are
// true or false as given.
func flags(s1, s2, f, h bool) *testEvent {
	kv := map[string]any{}
	if s1 {
		kv["Target"] = "a"
	}
	if s2 {
		kv["Initiator"] = "b"
	}
	if f {
		kv["Host"] = "h"
	}
	if h {
		kv["Tags"] = "t"
	}
	return audit(kv)
}

func TestConditions(t *testing.T) {
	cases := []struct {
		cond string
		ev   *testEvent
		want bool
	}{
		{"sel1", flags(true, false, false, false), true},
		{"sel1 and sel2", flags(true, false, false, false), false},
		{"sel1 AND sel2", flags(true, true, false, false), true},
		{"sel1 or sel2", flags(false, true, false, false), true},
		{"not sel1", flags(false, false, false, false), true},
		{"NOT sel1", flags(true, false, false, false), false},
		// and binds tighter than or.
		{"sel1 or sel2 and filter", flags(true, false, false, false), true},
		{"sel1 and sel2 or filter", flags(false, false, true, false), true},
		// not binds tighter than and.
		{"not sel1 and sel2", flags(false, false, false, false), false},
		{"not sel1 and sel2", flags(false, true, false, false), true},
		{"not (sel1 and sel2)", flags(false, false, false, false), true},
		{"not not sel1", flags(true, false, false, false), true},
		{"(sel1 or sel2) and filter", flags(true, false, false, false), false},
		{"(sel1 or sel2) and not filter", flags(true, false, false, false), true},
		{"((sel1))", flags(true, false, false, false), true},
		{"1 of sel*", flags(false, true, false, false), true},
		{"1 of sel*", flags(false, false, true, false), false},
		{"all of sel*", flags(true, false, false, false), false},
		{"all of sel*", flags(true, true, false, false), true},
		{"all of sel* and not filter", flags(true, true, true, false), false},
		{"1 of sel* and not 1 of filter*", flags(true, false, false, false), true},
		{"1 of them", flags(false, false, true, false), true},
		{"1 of them", flags(false, false, false, true), false}, // _hidden is not part of them
		{"all of them", flags(true, true, true, false), true},
		{"all of _h*", flags(false, false, false, true), true},
		{"not 1 of sel*", flags(false, false, false, false), true},
		{"1 of *1 or filter", flags(false, false, true, false), true},
		{"ALL OF sel*", flags(true, true, false, false), true},
	}
	for _, tc := range cases {
		t.Run(tc.cond, func(t *testing.T) {
			rs := mustLoad(t, "cond.yml", auditRule(condSearches+"    condition: "+tc.cond+"\n"), nil)
			if got := len(rs.Match(tc.ev, nil)) == 1; got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConditionList(t *testing.T) {
	src := auditRule(condSearches + "    condition:\n        - sel1 and filter\n        - sel2\n")
	rs := mustLoad(t, "cond.yml", src, nil)
	for _, tc := range []struct {
		ev   *testEvent
		want bool
	}{
		{flags(true, false, false, false), false},
		{flags(true, false, true, false), true},
		{flags(false, true, false, false), true},
	} {
		if got := len(rs.Match(tc.ev, nil)) == 1; got != tc.want {
			t.Errorf("match(%v) = %v, want %v", tc.ev.fields, got, tc.want)
		}
	}
}

func TestParseConditionTree(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a or b and c", "(a or (b and c))"},
		{"a and b or c", "((a and b) or c)"},
		{"not a and b", "(not a and b)"},
		{"not (a and b)", "not (a and b)"},
		{"a and b and c", "(a and b and c)"},
		{"1 of sel* or all of them", "(1 of sel* or all of them)"},
		{"a or (b or c)", "(a or (b or c))"},
		{"  a\tand\nb ", "(a and b)"},
	}
	for _, tc := range cases {
		n, err := parseCondition(tc.in)
		if err != nil {
			t.Errorf("parseCondition(%q): %v", tc.in, err)
			continue
		}
		if got := n.String(); got != tc.want {
			t.Errorf("parseCondition(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseConditionErrors(t *testing.T) {
	cases := []struct {
		in   string
		off  int
		want string
	}{
		{"", 0, "empty condition"},
		{"a and", 5, "condition ends too early"},
		{"(a or b", 0, "unclosed parenthesis"},
		{"a or b)", 6, `unexpected ")"`},
		{"a b", 2, `unexpected "b"`},
		{"sel | count() > 5", 4, "aggregation expressions are not supported, use a correlation rule"},
		{"sel*", 0, `identifier pattern "sel*" needs "1 of" or "all of"`},
		{"2 of sel*", 0, `unsupported quantifier "2", only "1 of" and "all of" are defined`},
		{"1 sel", 0, `"1" must be followed by "of"`},
		{"all of", 6, "condition ends too early"},
		{"1 of (a)", 5, `unexpected "("`},
		{"a and or b", 6, `unexpected "or"`},
		{"not", 3, "condition ends too early"},
	}
	for _, tc := range cases {
		_, err := parseCondition(tc.in)
		ce, ok := err.(*condError)
		if !ok {
			t.Errorf("parseCondition(%q) error = %v, want a condError", tc.in, err)
			continue
		}
		if ce.off != tc.off || ce.msg != tc.want {
			t.Errorf("parseCondition(%q) = %d %q, want %d %q", tc.in, ce.off, ce.msg, tc.off, tc.want)
		}
	}
}

func TestConditionDepth(t *testing.T) {
	deep := ""
	for i := 0; i < maxCondDepth+1; i++ {
		deep += "("
	}
	if _, err := parseCondition(deep + "a"); err == nil {
		t.Fatal("no error for deep nesting")
	}
	nots := ""
	for i := 0; i < maxCondDepth+1; i++ {
		nots += "not "
	}
	if _, err := parseCondition(nots + "a"); err == nil {
		t.Fatal("no error for a long chain of not")
	}
}
