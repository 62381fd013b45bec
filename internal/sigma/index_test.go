package sigma

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestIndexAgreesWithScan matches many generated events with and
// without the index and expects the same rules.
func TestIndexAgreesWithScan(t *testing.T) {
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	if n, all := len(rs.ix.kinds[kindAudit].scan), len(rs.compiled); n*4 > all {
		t.Fatalf("%d of %d bench rules are evaluated on every audit event; the index should cover most", n, all)
	}
	pools := map[string][]string{
		"activity": {"Update application", "Update application \u2013 Certificates and secrets management ", "ADD USER",
			"Consent to application", "Add member to role", "Add delegated permission grant", "Delete device", "Invite external user", "Nothing"},
		"result":        {"success", "failure", ""},
		"actor.type":    {"user", "app", "system", ""},
		"actor.upn":     {"a@contoso.com", "b@fabrikam.com", ""},
		"actor.ip":      {"10.1.1.1", "203.0.113.9", ""},
		"target.type":   {"ServicePrincipal", "Application", "User"},
		"target.name":   {"Microsoft Graph", "break glass admin", "Payroll"},
		"property.name": {"KeyDescription", "AppAddress", "AccountEnabled", "LogoutUrl", "IdentifierUris"},
		"property.new":  {"http://localhost/cb", "AllPrincipals", "Directory.ReadWrite.All", "Mail.Send", "IsAdminConsent: True", ""},
	}
	r := rand.New(rand.NewPCG(1, 2))
	st := newState(rs)
	matched := 0
	for n := 0; n < 3000; n++ {
		fields := map[string]string{}
		for name, pool := range pools {
			fields[name] = pool[r.IntN(len(pool))]
		}
		e := newFlatEvent(kindAudit, fields)
		got := rs.Match(e, nil)
		want := scanAll(rs, e, nil, st)
		if !slices.Equal(got, want) {
			t.Fatalf("event %v: index matched %v, scan %v", fields, got, want)
		}
		if len(got) > 0 {
			matched++
		}
	}
	if matched < 300 {
		t.Errorf("only %d of 3000 events matched; the generator should hit more rules", matched)
	}
}

// TestIndexAtoms checks which condition each rule is filed under.
func TestIndexAtoms(t *testing.T) {
	cases := []struct {
		det  string
		want string // "": the rule is evaluated on every event
	}{
		{sel("        Target: A\n"), "Target = a"},
		{sel("        Target: [A, b]\n        Host: h\n"), "Host = h"}, // one literal beats two
		{sel("        Target|cased: A\n"), "Target = a"},
		{sel("        - Target: a\n        - Target: b\n"), "Target = a | Target = b"},
		{sel("        - Target: a\n        - Host: b\n"), "Target = a | Host = b"},
		{sel("        Target|contains: abcde\n"), "Target contains abcde"},
		{sel("        Target|contains: abcde\n        Host: xyzzy\n"), "Host = xyzzy"},
		{sel("        Target|startswith: Abcde\n"), "Target prefix abcde"},
		{sel("        Target|endswith: '@Example.org'\n"), "Target suffix @example.org"},
		{sel("        Target: 'ab*cd?ef'\n"), "Target prefix ab"},
		{sel("        Target: '*ab*cdef*'\n"), "Target contains cdef"},
		{sel("        Target|re: '^Legacy-[0-9]+'\n"), "Target contains legacy-"},
		{sel("        Target|re: '(?i)legacy'\n"), ""},
		{sel("        IpAddress|cidr: 10.1.0.0/16\n"), "IpAddress in 10.1.0.0/16"},
		{sel("        IpAddress|cidr: 0.0.0.0/0\n"), ""},
		{sel("        Target: [a, '*']\n"), ""},
		{sel("        Target: null\n"), ""},
		{sel("        Target|contains: ''\n"), ""},
		{sel("        Count|gt: 3\n"), ""},
		{sel("        - keyword\n"), ""},
		{"    a:\n        Target: x\n    b:\n        Host: y\n    condition: a and not b\n", "Target = x"},
		{"    a:\n        Target: x\n    b:\n        Target: y\n    condition: a or b\n", "Target = x | Target = y"},
		{"    a:\n        Target: x\n    b:\n        Host|re: y\n    condition: a or b\n", "Target = x | Host contains y"},
		{"    a:\n        Target: x\n    b:\n        Count|gt: 1\n    condition: a or b\n", ""},
		{"    a:\n        Target: x\n    condition: not a\n", ""},
	}
	for _, tc := range cases {
		rs := mustLoad(t, "ix.yml", auditRule(tc.det), nil)
		atoms, ok := newAtomPicker(rs.compiled).best(rs.compiled[0].root)
		got := ""
		if ok {
			got = describeAtoms(rs, atoms)
		}
		if got != tc.want {
			t.Errorf("%s: filed under %q, want %q", tc.det, got, tc.want)
		}
	}
}

// TestIndexPrefersRareLiterals checks that a literal many rules share is
// not used when a rule has a rarer one.
func TestIndexPrefersRareLiterals(t *testing.T) {
	var src []string
	for i := range 20 {
		src = append(src, auditRule(sel(fmt.Sprintf("        ResultType: 0\n        Target|contains: target-%d\n", i))))
	}
	rs := mustLoad(t, "ix.yml", strings.Join(src, "---\n"), nil)
	p := newAtomPicker(rs.compiled)
	for i := range rs.compiled {
		atoms, _ := p.best(rs.compiled[i].root)
		if got, want := describeAtoms(rs, atoms), fmt.Sprintf("Target contains target-%d", i); got != want {
			t.Errorf("rule %d filed under %q, want %q", i, got, want)
		}
	}
}

// prefix returns the first n characters of s, or s when it is shorter.
func prefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

func describeAtoms(rs *Ruleset, atoms []atom) string {
	ops := []string{"=", "prefix", "suffix", "contains", "in"}
	var parts []string
	for _, a := range atoms {
		name := ""
		for _, f := range testFields {
			if f.id == rs.fieldIDs[a.slot] {
				name = f.names[0]
			}
		}
		lit := a.lit
		if a.op == atomNet {
			lit = a.net.String()
		}
		parts = append(parts, name+" "+ops[a.op]+" "+lit)
	}
	return strings.Join(parts, " | ")
}

// TestIndexAgreesOnEveryAtom matches generated events against rules of
// every kind of condition the index uses and expects what evaluating
// every rule gives.
func TestIndexAgreesOnEveryAtom(t *testing.T) {
	words := []string{"alpha", "Beta", "gamma-7", "legacy-3-x", "LEGACY-3", "contoso.com", "rn", "m", "mi", "ßeta", "\u00e9t\u00e9", "ab"}
	ips := []string{"10.1.2.3", "10.1.200.9", "10.2.0.1", "::ffff:10.1.2.3", "2001:db8::1", "2001:db9::1", "fe80::1%eth0", "not-an-ip", "10.1.2"}
	r := rand.New(rand.NewPCG(3, 5))
	word := func() string { return words[r.IntN(len(words))] }
	values := func() string {
		switch r.IntN(4) {
		case 0:
			return word()
		case 1:
			return word() + word()
		case 2:
			return word() + " " + word() + word()
		}
		return ""
	}
	var rules []string
	mods := []string{"", "|contains", "|startswith", "|endswith", "|cased", "|contains|cased", "|contains|all"}
	for i := range 150 {
		var det string
		switch i % 5 {
		case 0, 1:
			m := mods[r.IntN(len(mods))]
			det = fmt.Sprintf("        Target%s: [%q, %q]\n", m, word(), word())
			if r.IntN(2) == 0 {
				det += fmt.Sprintf("        Host%s: %q\n", mods[r.IntN(len(mods)-1)], word())
			}
		case 2:
			det = fmt.Sprintf("        Target: '%s*%s?'\n", prefix(word(), 2), prefix(word(), 1))
		case 3:
			det = fmt.Sprintf("        Target|re: '%s[a-z0-9-]*'\n", prefix(word(), 3))
			if r.IntN(3) == 0 {
				det = fmt.Sprintf("        Target: ['', %q]\n        Host|neq: %q\n", word(), word())
			}
		default:
			det = fmt.Sprintf("        IpAddress|cidr: [10.1.0.0/16, '2001:db8::/%d', 10.%d.0.0/16]\n", 32+r.IntN(2)*16, r.IntN(3))
		}
		rules = append(rules, auditRule(sel(det)))
	}
	rs := mustLoad(t, "ix.yml", strings.Join(rules, "---\n"), nil)
	if n := len(rs.ix.kinds[kindAudit].scan); n > 0 {
		t.Fatalf("%d rules are not indexed; the test means to check the index", n)
	}
	st := newState(rs)
	matched := 0
	for range 4000 {
		fields := map[string]any{"Target": values(), "Host": []string{values(), values()}, "IpAddress": ips[r.IntN(len(ips))]}
		if r.IntN(8) == 0 {
			fields["Target"] = nil // present without a value
		}
		e := ev(kindAudit, fields)
		got := rs.Match(e, nil)
		if want := scanAll(rs, e, nil, st); !slices.Equal(got, want) {
			t.Fatalf("event %v: index matched %v, every rule %v", fields, got, want)
		}
		if len(got) > 0 {
			matched++
		}
	}
	if matched < 500 {
		t.Errorf("only %d of 4000 events matched; the generator should hit more rules", matched)
	}
}

// TestMatchConcurrent matches from several goroutines at once; run with
// -race to check that Match shares no scratch space.
func TestMatchConcurrent(t *testing.T) {
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	events := loadBenchEvents(t)
	want := make([][]int, len(events))
	for i, e := range events {
		want[i] = rs.Match(e, nil)
	}
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			var hits []int
			for n := 0; n < 500; n++ {
				i := (n + g) % len(events)
				if hits = rs.Match(events[i], hits[:0]); !slices.Equal(hits, want[i]) {
					errs <- "concurrent Match disagreed"
					return
				}
			}
			errs <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-errs; msg != "" {
			t.Fatal(msg)
		}
	}
}
