package sigma

import (
	"maps"
	"net/netip"
	"regexp/syntax"
	"slices"
)

// index narrows the rules evaluated for an event. For each detection rule
// it looks for a necessary condition on one field: literals one of which
// the field must equal, start with, end with or contain, or networks one
// of which must hold it, such that the rule cannot match otherwise (a
// search of several groups needs one condition from each group, any of
// which may hold). The rule is filed, for each event kind it covers, under
// those literals and networks, and only evaluated when an event's field
// has one of them. Rules without such a condition are evaluated on every
// event of their kinds.
//
// When a rule has several necessary conditions (an activity and a result,
// say) the index takes the one whose literals the fewest other rules
// share, preferring equality to prefixes and prefixes to substrings, so
// that a literal common to many rules ("success") does not make an event
// evaluate all of them.
type index struct {
	kinds [MaxKind + 1]kindIndex
}

// kindIndex is the index of one event kind.
type kindIndex struct {
	scan  []int32 // rules evaluated on every event of the kind
	slots []slotIndex
}

// slotIndex holds the rules filed under literals and networks of one
// field.
type slotIndex struct {
	slot  int32
	equal map[string][]int32 // lower-cased literal → rules
	text  *multiMatcher      // prefixes, suffixes and substrings, lower-cased
	nets  []netIndex
}

// netIndex holds the rules filed under networks of one prefix length.
type netIndex struct {
	bits  int
	rules map[netip.Prefix][]int32
}

// atomOp is how an atom tests a field's value.
type atomOp uint8

const (
	atomEqual atomOp = iota
	atomPrefix
	atomSuffix
	atomContains
	atomNet
)

// atom is one condition on a field: its lower-cased value equals, starts
// with, ends with or contains lit, or its address is in net.
type atom struct {
	slot int32
	op   atomOp
	lit  string
	net  netip.Prefix
}

func buildIndex(compiled []*compiledRule) index {
	p := newAtomPicker(compiled)
	var ix index
	builders := make([]map[int32]*slotBuilder, MaxKind+1)
	for i, cr := range compiled {
		if cr == nil {
			continue
		}
		atoms, ok := p.best(cr.root)
		for k := 0; k <= MaxKind; k++ {
			if !cr.kinds.Has(k) {
				continue
			}
			if !ok {
				ix.kinds[k].scan = append(ix.kinds[k].scan, int32(i))
				continue
			}
			if builders[k] == nil {
				builders[k] = make(map[int32]*slotBuilder)
			}
			for _, a := range atoms {
				b := builders[k][a.slot]
				if b == nil {
					b = &slotBuilder{equal: make(map[string][]int32), nets: make(map[int]map[netip.Prefix][]int32)}
					builders[k][a.slot] = b
				}
				b.add(a, int32(i))
			}
		}
	}
	for k, bs := range builders {
		for _, slot := range slices.Sorted(maps.Keys(bs)) {
			ix.kinds[k].slots = append(ix.kinds[k].slots, bs[slot].build(slot))
		}
	}
	return ix
}

// slotBuilder collects the atoms of one field of one kind.
type slotBuilder struct {
	equal map[string][]int32
	pats  []pattern
	nets  map[int]map[netip.Prefix][]int32
}

func (b *slotBuilder) add(a atom, rule int32) {
	switch a.op {
	case atomEqual:
		b.equal[a.lit] = appendRule(b.equal[a.lit], rule)
	case atomNet:
		m := b.nets[a.net.Bits()]
		if m == nil {
			m = make(map[netip.Prefix][]int32)
			b.nets[a.net.Bits()] = m
		}
		m[a.net] = appendRule(m[a.net], rule)
	default:
		for k := range b.pats {
			if p := &b.pats[k]; p.op == a.op && p.lit == a.lit {
				p.rules = appendRule(p.rules, rule)
				return
			}
		}
		b.pats = append(b.pats, pattern{op: a.op, lit: a.lit, rules: []int32{rule}})
	}
}

// appendRule adds rule to a list unless it is already the last one: a
// rule may have one literal several times.
func appendRule(rules []int32, rule int32) []int32 {
	if len(rules) > 0 && rules[len(rules)-1] == rule {
		return rules
	}
	return append(rules, rule)
}

func (b *slotBuilder) build(slot int32) slotIndex {
	s := slotIndex{slot: slot}
	if len(b.equal) > 0 {
		s.equal = b.equal
	}
	if len(b.pats) > 0 {
		s.text = newMultiMatcher(b.pats)
	}
	for _, bits := range slices.Sorted(maps.Keys(b.nets)) {
		s.nets = append(s.nets, netIndex{bits: bits, rules: b.nets[bits]})
	}
	return s
}

// atomPicker chooses each rule's necessary condition, knowing how many
// rules share each atom.
type atomPicker struct {
	shared map[atom]int
}

func newAtomPicker(compiled []*compiledRule) *atomPicker {
	p := &atomPicker{shared: make(map[atom]int)}
	for _, cr := range compiled {
		if cr == nil {
			continue
		}
		seen := make(map[atom]bool)
		collectAtoms(cr.root, func(a atom) {
			if !seen[a] {
				seen[a] = true
				p.shared[a]++
			}
		})
	}
	return p
}

// collectAtoms calls fn with every atom of e outside a negation.
func collectAtoms(e evaluator, fn func(atom)) {
	switch x := e.(type) {
	case *searchEval:
		for _, g := range x.groups {
			for _, t := range g {
				if t.neq {
					continue
				}
				for _, alts := range t.groups {
					for k := range alts {
						if a, ok := altAtom(t.slot, &alts[k]); ok {
							fn(a)
						}
					}
				}
			}
		}
	case andEval:
		for _, k := range x {
			collectAtoms(k, fn)
		}
	case orEval:
		for _, k := range x {
			collectAtoms(k, fn)
		}
	}
}

// best returns the atoms one of which must hold for e to be true, the
// cheapest such set it finds, and false when it finds none.
func (p *atomPicker) best(e evaluator) ([]atom, bool) {
	switch x := e.(type) {
	case *searchEval:
		if len(x.groups) == 0 {
			return nil, false
		}
		var all []atom
		for _, g := range x.groups {
			set, ok := p.cheapest(len(g), func(k int) ([]atom, bool) { return p.bestOfTest(g[k]) })
			if !ok {
				return nil, false
			}
			all = append(all, set...)
		}
		return dedupeAtoms(all), true
	case andEval:
		return p.cheapest(len(x), func(k int) ([]atom, bool) { return p.best(x[k]) })
	case orEval:
		var all []atom
		for _, k := range x {
			set, ok := p.best(k)
			if !ok {
				return nil, false
			}
			all = append(all, set...)
		}
		return dedupeAtoms(all), len(all) > 0
	}
	return nil, false
}

// bestOfTest returns the cheapest group of t whose every alternative is
// an atom. A test with neq, which holds when no alternative does, has
// none.
func (p *atomPicker) bestOfTest(t *test) ([]atom, bool) {
	if t.slot == keywordSlot || t.neq {
		return nil, false
	}
	return p.cheapest(len(t.groups), func(k int) ([]atom, bool) {
		alts := t.groups[k]
		set := make([]atom, 0, len(alts))
		for i := range alts {
			a, ok := altAtom(t.slot, &alts[i])
			if !ok {
				return nil, false
			}
			set = append(set, a)
		}
		return dedupeAtoms(set), len(set) > 0
	})
}

// cheapest returns the cheapest of the sets option(0) … option(n-1).
func (p *atomPicker) cheapest(n int, option func(int) ([]atom, bool)) ([]atom, bool) {
	var best []atom
	bestCost, found := 0, false
	for k := range n {
		set, ok := option(k)
		if !ok {
			continue
		}
		if c := p.cost(set); !found || c < bestCost {
			best, bestCost, found = set, c, true
		}
	}
	return best, found
}

// cost estimates how many evaluations filing a rule under set causes:
// each atom weighs by how often it may hold and how many rules share it.
func (p *atomPicker) cost(set []atom) int {
	total := 0
	for _, a := range set {
		w := 1
		switch a.op {
		case atomPrefix, atomSuffix:
			w = 2
		case atomContains:
			w = 3
		}
		switch {
		case a.op == atomNet:
		case len(a.lit) < 3:
			w *= 10
		case len(a.lit) < 5:
			w *= 2
		}
		total += w * p.shared[a]
	}
	return total
}

func dedupeAtoms(set []atom) []atom {
	out := set[:0]
	for _, a := range set {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// altAtom returns the condition an alt puts on a field's lower-cased
// value, when it has one the index can use: every value the alt matches
// satisfies the atom.
func altAtom(slot int32, a *alt) (atom, bool) {
	lower := func(b []byte) string { return string(appendLower(nil, string(b))) }
	switch a.op {
	case opEqual:
		return atom{slot: slot, op: atomEqual, lit: lower(a.lit)}, true
	case opPrefix, opSuffix, opContains:
		if len(a.lit) == 0 {
			return atom{}, false
		}
		op := atomContains
		switch a.op {
		case opPrefix:
			op = atomPrefix
		case opSuffix:
			op = atomSuffix
		}
		return atom{slot: slot, op: op, lit: lower(a.lit)}, true
	case opGlob:
		return globAtom(slot, a.glob)
	case opRegex:
		if lit := regexLiteral(a.re.String()); lit != "" {
			return atom{slot: slot, op: atomContains, lit: lower([]byte(lit))}, true
		}
	case opCIDR:
		if a.prefix.Bits() > 0 {
			return atom{slot: slot, op: atomNet, net: a.prefix}, true
		}
	}
	return atom{}, false
}

// globAtom returns the leading literal of a wildcard pattern as a
// prefix, or else its longest literal as a substring.
func globAtom(slot int32, toks []globTok) (atom, bool) {
	if len(toks) > 0 && len(toks[0].lit) > 0 {
		return atom{slot: slot, op: atomPrefix, lit: string(appendLower(nil, string(toks[0].lit)))}, true
	}
	var long []byte
	for _, t := range toks {
		if len(t.lit) > len(long) {
			long = t.lit
		}
	}
	if len(long) == 0 {
		return atom{}, false
	}
	return atom{slot: slot, op: atomContains, lit: string(appendLower(nil, string(long)))}, true
}

// regexLiteral returns the longest case-sensitive literal that every
// match of the regular expression expr contains, or "" when it finds
// none.
func regexLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	return requiredLiteral(re.Simplify())
}

func requiredLiteral(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 {
			return string(re.Rune)
		}
	case syntax.OpCapture:
		return requiredLiteral(re.Sub[0])
	case syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, sub := range re.Sub {
			if lit := requiredLiteral(sub); len(lit) > len(best) {
				best = lit
			}
		}
		return best
	}
	return ""
}
