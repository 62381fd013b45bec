package sigma

import (
	"maps"
	"slices"
)

// pattern is a literal the index looks for in a field's value, and the
// rules filed under it.
type pattern struct {
	op    atomOp // atomPrefix, atomSuffix or atomContains
	lit   string
	rules []int32
}

// multiMatcher finds, in one pass over a value, every pattern it holds
// that the value starts with, ends with or contains, as the pattern's op
// asks. It is an Aho–Corasick automaton over bytes: a trie of the
// literals with, for each state, where to resume on a byte it has no
// transition for, and the patterns that end there.
type multiMatcher struct {
	pats []pattern
	root [256]int32 // transitions of the root, state 0
	// Transitions of the other states: edges[first[s]:first[s+1]],
	// sorted by byte.
	edges []edge
	first []int32
	fail  []int32
	// The patterns ending in state s, its own and those of the states
	// its failure links lead to: ends[endsAt[s]:endsAt[s+1]].
	ends   []int32
	endsAt []int32
}

type edge struct {
	b  byte
	to int32
}

func newMultiMatcher(pats []pattern) *multiMatcher {
	m := &multiMatcher{pats: pats}
	// The trie, with transitions in maps while it is built.
	kids := []map[byte]int32{{}}
	own := [][]int32{nil}
	for pi, p := range pats {
		s := int32(0)
		for i := 0; i < len(p.lit); i++ {
			next, ok := kids[s][p.lit[i]]
			if !ok {
				next = int32(len(kids))
				kids = append(kids, map[byte]int32{})
				own = append(own, nil)
				kids[s][p.lit[i]] = next
			}
			s = next
		}
		own[s] = append(own[s], int32(pi))
	}
	n := len(kids)
	m.fail = make([]int32, n)
	m.first = make([]int32, n+1)
	for s := 1; s < n; s++ {
		m.first[s] = int32(len(m.edges))
		for _, b := range slices.Sorted(maps.Keys(kids[s])) {
			m.edges = append(m.edges, edge{b: b, to: kids[s][b]})
		}
	}
	m.first[n] = int32(len(m.edges))
	for b, to := range kids[0] {
		m.root[b] = to
	}
	// Failure links and pattern lists, breadth first so that a state's
	// failure target is done before it.
	ends := make([][]int32, n)
	queue := make([]int32, 0, n)
	for b := range 256 {
		if to := m.root[b]; to != 0 {
			queue = append(queue, to)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		ends[s] = append(slices.Clone(own[s]), ends[m.fail[s]]...)
		for _, e := range m.edges[m.first[s]:m.first[s+1]] {
			m.fail[e.to] = m.step(m.fail[s], e.b)
			queue = append(queue, e.to)
		}
	}
	m.endsAt = make([]int32, n+1)
	for s := range n {
		m.endsAt[s] = int32(len(m.ends))
		m.ends = append(m.ends, ends[s]...)
	}
	m.endsAt[n] = int32(len(m.ends))
	return m
}

// step returns the state after reading b in state s.
func (m *multiMatcher) step(s int32, b byte) int32 {
	for s != 0 {
		for _, e := range m.edges[m.first[s]:m.first[s+1]] {
			if e.b == b {
				return e.to
			}
			if e.b > b {
				break
			}
		}
		s = m.fail[s]
	}
	return m.root[b]
}

// match calls fn with the rules of every pattern v satisfies; a pattern
// found several times is reported each time.
func (m *multiMatcher) match(v []byte, fn func(rules []int32)) {
	s := int32(0)
	for i := 0; i < len(v); i++ {
		s = m.step(s, v[i])
		for _, pi := range m.ends[m.endsAt[s]:m.endsAt[s+1]] {
			p := &m.pats[pi]
			switch p.op {
			case atomPrefix:
				if i+1 != len(p.lit) {
					continue
				}
			case atomSuffix:
				if i != len(v)-1 {
					continue
				}
			}
			fn(p.rules)
		}
	}
}
