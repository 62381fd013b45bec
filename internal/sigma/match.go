package sigma

import (
	"net/netip"
	"slices"
)

// evaluator is a compiled piece of a condition.
type evaluator interface {
	eval(st *state) bool
}

type andEval []evaluator

func (l andEval) eval(st *state) bool {
	for _, e := range l {
		if !e.eval(st) {
			return false
		}
	}
	return true
}

type orEval []evaluator

func (l orEval) eval(st *state) bool {
	for _, e := range l {
		if e.eval(st) {
			return true
		}
	}
	return false
}

type notEval struct{ e evaluator }

func (n notEval) eval(st *state) bool { return !n.e.eval(st) }

// searchEval is a compiled search identifier: an OR of groups, each an
// AND of tests.
type searchEval struct {
	groups [][]*test
}

func (s *searchEval) eval(st *state) bool {
	for _, g := range s.groups {
		if allTrue(st, g) {
			return true
		}
	}
	return false
}

func allTrue(st *state, g []*test) bool {
	for _, t := range g {
		if !t.eval(st) {
			return false
		}
	}
	return true
}

// test is one compiled field test. It matches when every group has an
// alt that matches; with neq, when the field has a value and no alt
// matches.
type test struct {
	slot   int32
	cased  bool
	neq    bool
	groups [][]alt
	cost   int
}

func (t *test) eval(st *state) bool {
	if t.neq {
		return len(st.values(t.slot)) > 0 && !t.matches(st)
	}
	return t.matches(st)
}

func (t *test) matches(st *state) bool {
	for _, g := range t.groups {
		if !t.anyAlt(st, g) {
			return false
		}
	}
	return true
}

func (t *test) anyAlt(st *state, g []alt) bool {
	for i := range g {
		if t.matchAlt(st, &g[i]) {
			return true
		}
	}
	return false
}

func (t *test) matchAlt(st *state, a *alt) bool {
	switch a.op {
	case opNull:
		return len(st.values(t.slot)) == 0
	case opExists:
		return (len(st.values(t.slot)) > 0 || st.present(t.slot)) == a.exists
	case opRegex, opCIDR, opNumber, opTime:
		vals := st.values(t.slot)
		if a.op == opRegex && len(vals) == 0 && st.present(t.slot) {
			return a.re.MatchString("")
		}
		for _, v := range vals {
			if a.op == opRegex && a.re.MatchString(v) || a.op == opCIDR && a.matchCIDR(v) ||
				a.op == opNumber && a.matchNumber(v) || a.op == opTime && a.matchTime(v) {
				return true
			}
		}
		return false
	case opFieldRef:
		return t.matchRef(st, a)
	}
	vals := st.text(t.slot, t.cased)
	if len(vals) == 0 && st.present(t.slot) {
		return a.matchBytes(nil) // a field present without a value compares as ''
	}
	for _, v := range vals {
		if a.matchBytes(v) {
			return true
		}
	}
	return false
}

// matchRef compares the values of two fields of the same event.
func (t *test) matchRef(st *state, a *alt) bool {
	vs, ws := st.text(t.slot, t.cased), st.text(a.ref, t.cased)
	for _, v := range vs {
		for _, w := range ws {
			if a.matchRef(v, w) {
				return true
			}
		}
	}
	return false
}

// state is the scratch space of one Match call: values fetched from the
// event, cached per field slot for the duration of the call.
type state struct {
	rs    *Ruleset
	ev    Event
	pres  Presence // ev, when it can tell present fields without a value
	epoch uint32
	slots []slotCache
	seen  []uint32 // epoch at which a rule was last evaluated
}

// slotCache holds one field's values for the current event, and their
// lower-cased and byte forms, computed on first use.
type slotCache struct {
	epoch, lowEpoch, rawEpoch, presEpoch uint32
	present                              bool
	vals                                 []string
	low, raw                             [][]byte
	lowBuf, rawBuf                       []byte
}

func newState(rs *Ruleset) *state {
	return &state{rs: rs, slots: make([]slotCache, len(rs.fieldIDs)), seen: make([]uint32, len(rs.rules))}
}

// reset starts a new event.
func (st *state) reset(e Event) {
	st.ev = e
	st.pres, _ = e.(Presence)
	st.epoch++
	if st.epoch == 0 { // wrapped: forget every cached epoch
		for i := range st.slots {
			st.slots[i].epoch, st.slots[i].lowEpoch, st.slots[i].rawEpoch, st.slots[i].presEpoch = 0, 0, 0, 0
		}
		clear(st.seen)
		st.epoch = 1
	}
}

// values returns the event's values for a slot.
func (st *state) values(slot int32) []string {
	c := &st.slots[slot]
	if c.epoch != st.epoch {
		c.epoch = st.epoch
		if slot == keywordSlot {
			c.vals = st.ev.Keywords(c.vals[:0])
		} else {
			c.vals = st.ev.Values(st.rs.fieldIDs[slot], c.vals[:0])
		}
	}
	return c.vals
}

// present reports whether the event holds the slot's field without a
// value (empty or null). It is only asked when the field has no value.
func (st *state) present(slot int32) bool {
	if st.pres == nil || slot == keywordSlot {
		return false
	}
	c := &st.slots[slot]
	if c.presEpoch != st.epoch {
		c.presEpoch = st.epoch
		c.present = st.pres.Present(st.rs.fieldIDs[slot])
	}
	return c.present
}

// text returns the slot's values as bytes, lower-cased unless cased.
func (st *state) text(slot int32, cased bool) [][]byte {
	vals := st.values(slot)
	c := &st.slots[slot]
	if cased {
		if c.rawEpoch != st.epoch {
			c.rawEpoch = st.epoch
			c.raw, c.rawBuf = fillBytes(c.raw[:0], c.rawBuf[:0], vals, false)
		}
		return c.raw
	}
	if c.lowEpoch != st.epoch {
		c.lowEpoch = st.epoch
		c.low, c.lowBuf = fillBytes(c.low[:0], c.lowBuf[:0], vals, true)
	}
	return c.low
}

// fillBytes copies vals into buf, lower-casing them if asked, and
// returns one slice of buf per value.
func fillBytes(out [][]byte, buf []byte, vals []string, lower bool) ([][]byte, []byte) {
	for _, v := range vals {
		start := len(buf)
		if lower {
			buf = appendLower(buf, v)
		} else {
			buf = append(buf, v...)
		}
		out = append(out, buf[start:len(buf):len(buf)])
	}
	return out, buf
}

// Match appends to hits the index of every detection rule that matches
// e, in increasing order, and returns the extended slice. Correlation
// rules are never reported here; feed the hits to a Correlator.
func (rs *Ruleset) Match(e Event, hits []int) []int {
	kind := e.Kind()
	if kind < 0 || kind > MaxKind {
		return hits
	}
	kx := &rs.ix.kinds[kind]
	st := rs.pool.Get().(*state)
	st.reset(e)
	start := len(hits)
	for _, i := range kx.scan {
		if rs.compiled[i].root.eval(st) {
			hits = append(hits, int(i))
		}
	}
	if len(kx.slots) > 0 {
		for k := range kx.slots {
			hits = rs.matchSlot(st, &kx.slots[k], hits)
		}
		slices.Sort(hits[start:])
	}
	st.ev, st.pres = nil, nil
	rs.pool.Put(st)
	return hits
}

// matchSlot evaluates the rules filed under the literals and networks the
// event's values of one field have.
func (rs *Ruleset) matchSlot(st *state, s *slotIndex, hits []int) []int {
	if s.equal != nil || s.text != nil {
		vals := st.text(s.slot, false)
		for _, v := range vals {
			if s.equal != nil {
				hits = rs.evalRules(st, s.equal[string(v)], hits)
			}
			if s.text != nil {
				s.text.match(v, func(rules []int32) { hits = rs.evalRules(st, rules, hits) })
			}
		}
		if len(vals) == 0 && s.equal != nil && st.present(s.slot) {
			// A field present without a value equals ''; no prefix,
			// suffix or substring the index holds is in it.
			hits = rs.evalRules(st, s.equal[""], hits)
		}
	}
	if len(s.nets) > 0 {
		for _, v := range st.values(s.slot) {
			if !looksLikeIP(v) {
				continue
			}
			ip, err := netip.ParseAddr(v)
			if err != nil {
				continue
			}
			ip = ip.Unmap()
			for _, n := range s.nets {
				if p, err := ip.Prefix(n.bits); err == nil {
					hits = rs.evalRules(st, n.rules[p], hits)
				}
			}
		}
	}
	return hits
}

// evalRules evaluates the rules not yet evaluated for this event.
func (rs *Ruleset) evalRules(st *state, rules []int32, hits []int) []int {
	for _, i := range rules {
		if st.seen[i] == st.epoch {
			continue
		}
		st.seen[i] = st.epoch
		if rs.compiled[i].root.eval(st) {
			hits = append(hits, int(i))
		}
	}
	return hits
}
