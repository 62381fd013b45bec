package bench

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/sigma"
	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
)

// The differential test writes random rules and events from a small
// vocabulary, so that many of them match, and checks that appwatch's
// engine and sigma-go decide every rule on every event alike. It uses
// what both engines evaluate the same way by the specification: equality,
// contains, startswith and endswith (ignoring case), all, re, cidr, gt,
// lt, lists of values and of maps, and conditions with and, or, not,
// parentheses, "1 of" and "all of". It leaves out what sigma-go does not
// implement (keywords, wildcards inside values, null, exists, cased,
// fieldref, windash, the encodings) and values it would mistake for its
// own markers ("null", "<nil>").
var (
	diffRules  = flag.Int("diff.rules", 200, "rules the differential test writes")
	diffEvents = flag.Int("diff.events", 250, "events the differential test writes")
	diffSeed   = flag.Uint64("diff.seed", 20261208, "seed of the differential test")
)

// diffFields are the fields rules and events use: text fields, a number
// and an address.
var diffFields = []string{"activity", "category", "result_reason", "actor.upn", "target.name", "user_agent"}

const (
	numberField = "signin.status"
	ipField     = "actor.ip"
)

// diffWords are the words values are made of.
var diffWords = []string{"alpha", "beta", "gamma", "delta", "owner", "Admin", "update", "Role", "x", "42"}

type diffGen struct{ r *rand.Rand }

func (g diffGen) pick(words []string) string { return words[g.r.IntN(len(words))] }

// text is one or two words, joined by a space, a dash or a dot, in a
// random mix of cases.
func (g diffGen) text() string {
	s := g.pick(diffWords)
	if g.r.IntN(2) == 0 {
		s += g.pick([]string{" ", "-", "."}) + g.pick(diffWords)
	}
	b := []byte(s)
	for i := range b {
		if g.r.IntN(4) == 0 && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

func (g diffGen) event() map[string]string {
	ev := map[string]string{}
	for _, f := range diffFields {
		if g.r.IntN(10) < 7 {
			ev[f] = g.text()
		}
	}
	if g.r.IntN(10) < 8 {
		ev[numberField] = fmt.Sprint(g.r.IntN(200))
	}
	if g.r.IntN(10) < 8 {
		ev[ipField] = fmt.Sprintf("10.%d.%d.%d", g.r.IntN(3), g.r.IntN(256), g.r.IntN(256))
	}
	return ev
}

// fieldTest writes one "field|modifiers: values" line, indented by ind.
func (g diffGen) fieldTest(ind string) string {
	switch g.r.IntN(10) {
	case 0:
		return fmt.Sprintf("%s%s|gt: %d\n", ind, numberField, g.r.IntN(200))
	case 1:
		return fmt.Sprintf("%s%s|lt: %d\n", ind, numberField, g.r.IntN(200))
	case 2:
		return fmt.Sprintf("%s%s|cidr: 10.%d.0.0/%d\n", ind, ipField, g.r.IntN(3), 8+8*g.r.IntN(2))
	case 3:
		re := g.pick([]string{"^al", "ta$", "a.p", "(?i)ADMIN", "o[wr]", "^[A-Z]"})
		return fmt.Sprintf("%s%s|re: '%s'\n", ind, g.pick(diffFields), re)
	}
	field := g.pick(diffFields)
	mod := g.pick([]string{"", "|contains", "|startswith", "|endswith", "|contains|all"})
	n := 1 + g.r.IntN(3)
	if mod == "|contains|all" {
		n = 2
	}
	var vals []string
	for range n {
		v := g.text()
		if mod != "" && mod != "|contains|all" && g.r.IntN(2) == 0 {
			v = v[:1+g.r.IntN(len(v))] // a piece of a word, for the position modifiers
		}
		if mod == "|contains|all" {
			v = g.pick(diffWords)
		}
		vals = append(vals, "'"+v+"'")
	}
	if len(vals) == 1 {
		return fmt.Sprintf("%s%s%s: %s\n", ind, field, mod, vals[0])
	}
	return fmt.Sprintf("%s%s%s: [%s]\n", ind, field, mod, strings.Join(vals, ", "))
}

// search writes one search: a map of one to three tests, or a list of two
// such maps.
func (g diffGen) search(name string) string {
	var b strings.Builder
	b.WriteString("    " + name + ":\n")
	if g.r.IntN(4) == 0 {
		for range 2 {
			b.WriteString("        -\n")
			b.WriteString(g.testMap("            ", 1+g.r.IntN(2)))
		}
		return b.String()
	}
	b.WriteString(g.testMap("        ", 1+g.r.IntN(3)))
	return b.String()
}

// testMap writes n tests on different keys, as a YAML map needs.
func (g diffGen) testMap(ind string, n int) string {
	var b strings.Builder
	keys := map[string]bool{}
	for len(keys) < n {
		line := g.fieldTest(ind)
		key, _, _ := strings.Cut(line, ":")
		if !keys[key] {
			keys[key] = true
			b.WriteString(line)
		}
	}
	return b.String()
}

var diffConditions = []string{
	"sel1", "sel1 and sel2", "sel1 or sel2", "sel1 and not filter1", "not sel1",
	"1 of sel*", "all of sel*", "(sel1 or sel2) and not filter1", "1 of them", "all of them",
	"sel1 and not (sel2 or filter1)", "1 of sel* and not 1 of filter*",
}

func (g diffGen) rule(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: diff %d\nid: diff-%d\nlogsource:\n    product: azure\n    service: auditlogs\ndetection:\n", i, i)
	for _, name := range []string{"sel1", "sel2", "filter1"} {
		b.WriteString(g.search(name))
	}
	fmt.Fprintf(&b, "    condition: %s\n", g.pick(diffConditions))
	return b.String()
}

// TestDifferential checks both engines on every rule and event the
// generator writes (50,000 evaluations by default, a few seconds; raise -diff.rules and
// -diff.events for more, change -diff.seed for others).
func TestDifferential(t *testing.T) {
	g := diffGen{r: rand.New(rand.NewPCG(*diffSeed, 1))}
	ctx := context.Background()
	type pair struct {
		src  string
		ours *sigma.Ruleset
		them *evaluator.RuleEvaluator
	}
	var rules []pair
	for i := range *diffRules {
		src := g.rule(i)
		parsed, err := sigma.Parse("diff.yml", []byte(src))
		if err != nil {
			t.Fatalf("appwatch cannot read a generated rule: %v\n%s", err, src)
		}
		ours, err := sigma.Compile(parsed, schema{}, nil)
		if err != nil {
			t.Fatalf("appwatch cannot compile a generated rule: %v\n%s", err, src)
		}
		r, err := sigmago.ParseRule([]byte(src))
		if err != nil {
			t.Fatalf("sigma-go cannot read a generated rule: %v\n%s", err, src)
		}
		rules = append(rules, pair{src, ours, evaluator.ForRule(r)})
	}
	matched, disagreements := 0, 0
	for range *diffEvents {
		fields := g.event()
		be := benchEvent{Kind: "audit", Fields: fields}
		ourEvent := appwatchEvent(be)
		theirEvent, _ := sigmagoEvent(be)
		for _, p := range rules {
			ours := len(p.ours.Match(ourEvent, nil)) == 1
			res, err := p.them.Matches(ctx, theirEvent)
			if err != nil {
				t.Fatalf("sigma-go: %v\n%s", err, p.src)
			}
			if ours {
				matched++
			}
			if ours != res.Match {
				disagreements++
				if disagreements <= 5 {
					t.Errorf("appwatch says %v, sigma-go %v, on %v with\n%s", ours, res.Match, fields, p.src)
				}
			}
		}
	}
	if disagreements > 0 {
		t.Errorf("%d disagreements in %d evaluations", disagreements, *diffRules**diffEvents)
	}
	// A generator whose rules never match, or always do, would prove
	// nothing.
	if total := *diffRules * *diffEvents; matched < total/50 || matched > total/2 {
		t.Errorf("%d of %d evaluations matched; the generator should make matches common but not the rule", matched, total)
	}
	t.Logf("%d evaluations, %d matched", *diffRules**diffEvents, matched)
}
