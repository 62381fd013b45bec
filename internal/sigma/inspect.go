package sigma

import "slices"

// Fields returns the IDs of the fields detection rule i reads, each once,
// in increasing order; none for a correlation rule or a rule that only
// searches keywords. Callers use it to tell rules that can never fire,
// because a field they need is not in the events their logsource covers.
func (rs *Ruleset) Fields(i int) []int {
	if i < 0 || i >= len(rs.compiled) || rs.compiled[i] == nil {
		return nil
	}
	slots := map[int32]bool{}
	collectSlots(rs.compiled[i].root, slots)
	var ids []int
	for s := range slots {
		if s != keywordSlot {
			ids = append(ids, rs.fieldIDs[s])
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Kinds returns the event kinds detection rule i is evaluated on; 0 for a
// correlation rule.
func (rs *Ruleset) Kinds(i int) KindSet {
	if i < 0 || i >= len(rs.compiled) || rs.compiled[i] == nil {
		return 0
	}
	return rs.compiled[i].kinds
}

// collectSlots records the slots the evaluator reads.
func collectSlots(e evaluator, acc map[int32]bool) {
	switch x := e.(type) {
	case *searchEval:
		for _, g := range x.groups {
			for _, t := range g {
				acc[t.slot] = true
				for _, alts := range t.groups {
					for _, a := range alts {
						if a.op == opFieldRef {
							acc[a.ref] = true
						}
					}
				}
			}
		}
	case andEval:
		for _, k := range x {
			collectSlots(k, acc)
		}
	case orEval:
		for _, k := range x {
			collectSlots(k, acc)
		}
	case notEval:
		collectSlots(x.e, acc)
	}
}
