package sigma

// index narrows the rules evaluated for an event. Most rules require one
// field (the activity name, say) to equal one of a few literals; such
// rules are filed under those literals, lower-cased, and only looked up
// when the event carries one of them. The other rules are scanned per
// event kind.
type index struct {
	slot  int32              // the index field; 0 when there is no index
	rules map[string][]int32 // lower-cased literal → rules
	scan  [MaxKind + 1][]int32
}

// minIndexed is how many rules must share a field before an index pays.
const minIndexed = 4

func buildIndex(compiled []*compiledRule) index {
	var ix index
	ix.slot = pickIndexSlot(compiled)
	if ix.slot != 0 {
		ix.rules = make(map[string][]int32)
	}
	for i, cr := range compiled {
		if cr == nil {
			continue
		}
		if ix.slot != 0 {
			if keys, ok := required(cr.root, ix.slot); ok {
				for _, k := range dedupe(keys) {
					ix.rules[k] = append(ix.rules[k], int32(i))
				}
				continue
			}
		}
		for k := 0; k <= MaxKind; k++ {
			if cr.kinds.Has(k) {
				ix.scan[k] = append(ix.scan[k], int32(i))
			}
		}
	}
	return ix
}

// pickIndexSlot returns the field slot that the most rules require to
// equal a literal, or 0 when too few rules share one.
func pickIndexSlot(compiled []*compiledRule) int32 {
	counts := make(map[int32]int)
	for _, cr := range compiled {
		if cr == nil {
			continue
		}
		for slot := range equalitySlots(cr.root, map[int32]bool{}) {
			if _, ok := required(cr.root, slot); ok {
				counts[slot]++
			}
		}
	}
	var best int32
	for slot, n := range counts {
		if n > counts[best] || n == counts[best] && slot < best {
			best = slot
		}
	}
	if counts[best] < minIndexed {
		return 0
	}
	return best
}

// equalitySlots collects the slots of all field tests that compare with
// plain equality.
func equalitySlots(e evaluator, acc map[int32]bool) map[int32]bool {
	switch x := e.(type) {
	case *searchEval:
		for _, g := range x.groups {
			for _, t := range g {
				if _, ok := equalityKeys(t); ok {
					acc[t.slot] = true
				}
			}
		}
	case andEval:
		for _, k := range x {
			equalitySlots(k, acc)
		}
	case orEval:
		for _, k := range x {
			equalitySlots(k, acc)
		}
	}
	return acc
}

// required returns literals one of which the field in slot must equal
// (lower-cased) for e to be true, and false when e has no such need.
func required(e evaluator, slot int32) ([]string, bool) {
	switch x := e.(type) {
	case *searchEval:
		var keys []string
		for _, g := range x.groups {
			k, ok := groupKeys(g, slot)
			if !ok {
				return nil, false
			}
			keys = append(keys, k...)
		}
		return keys, true
	case andEval:
		var best []string
		found := false
		for _, k := range x {
			if keys, ok := required(k, slot); ok && (!found || len(keys) < len(best)) {
				best, found = keys, true
			}
		}
		return best, found
	case orEval:
		var keys []string
		for _, k := range x {
			ks, ok := required(k, slot)
			if !ok {
				return nil, false
			}
			keys = append(keys, ks...)
		}
		return keys, true
	}
	return nil, false
}

func groupKeys(g []*test, slot int32) ([]string, bool) {
	for _, t := range g {
		if t.slot != slot {
			continue
		}
		if keys, ok := equalityKeys(t); ok {
			return keys, true
		}
	}
	return nil, false
}

// equalityKeys returns the lower-cased literals of a test group made
// only of plain equality, if the test has one.
func equalityKeys(t *test) ([]string, bool) {
	if t.slot == keywordSlot {
		return nil, false
	}
	for _, g := range t.groups {
		keys := make([]string, 0, len(g))
		for _, a := range g {
			if a.op != opEqual {
				keys = nil
				break
			}
			keys = append(keys, string(appendLower(nil, string(a.lit))))
		}
		if keys != nil {
			return keys, true
		}
	}
	return nil, false
}

func dedupe(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := keys[:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
