package sigma

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
)

// corrPlan is the compiled form of all correlation rules of a Ruleset.
type corrPlan struct {
	corrs []*corrRule // inner correlations before the ones that use them
	feeds [][]feed    // by rule index: the correlation members it feeds
	used  []bool      // by rule index: referenced by a correlation
	gen   []bool      // by rule index: referenced by one with generate
}

// feed names one member of one correlation.
type feed struct {
	corr   int // index into corrPlan.corrs
	member int
}

// corrRule is one compiled correlation rule.
type corrRule struct {
	rule    int // index in the Ruleset
	c       *Correlation
	members []member
	// delay is how far behind the newest event a window must end before
	// it is final: the timespan plus the delay of inner correlations.
	delay time.Duration
	outs  []feed // outer correlations fed by this one's results
	// inners are the positions in corrPlan.corrs of the correlations
	// this one uses.
	inners []int
}

// member is one rule a correlation refers to, with how to read its
// group and counted values.
type member struct {
	rule   int
	isCorr bool
	// For detection rules: Field IDs. For correlations: positions in
	// the inner correlation's group-by.
	group []int
	value int // value_count field; -1 when not counting values
}

// planCorrelations resolves rule references, aliases and fields of the
// correlation rules and orders them so inner ones come first. The
// problems are returned by the index of the rule they are about; the
// planning stops at the first stage that finds any. gone holds the ids
// and names of rules left out earlier, for a clearer message when a
// correlation refers to one.
func planCorrelations(rules []*Rule, s Schema, gone map[string]bool) (*corrPlan, map[int]error) {
	p := &corrPlan{feeds: make([][]feed, len(rules)), used: make([]bool, len(rules)), gen: make([]bool, len(rules))}
	refs, errs := ruleRefs(rules)
	if len(errs) > 0 {
		return nil, errs
	}
	byRule := make(map[int]*corrRule)
	for i, r := range rules {
		if r.Correlation == nil {
			continue
		}
		cr, err := resolveMembers(i, rules, refs, gone)
		if err != nil {
			errs[i] = err
			continue
		}
		byRule[i] = cr
	}
	if len(errs) > 0 {
		return nil, errs
	}
	order, i, err := topoOrder(rules, byRule)
	if err != nil {
		return nil, map[int]error{i: err}
	}
	pos := make(map[int]int, len(order))
	for k, i := range order {
		pos[i] = k
	}
	for _, i := range order {
		cr := byRule[i]
		if err := cr.resolveFields(rules, s, byRule); err != nil {
			errs[i] = err
			continue
		}
		for mi, m := range cr.members {
			f := feed{corr: pos[i], member: mi}
			p.used[m.rule] = true
			p.gen[m.rule] = p.gen[m.rule] || cr.c.Generate
			if m.isCorr {
				inner := byRule[m.rule]
				inner.outs = append(inner.outs, f)
				cr.inners = append(cr.inners, pos[m.rule])
				cr.delay = max(cr.delay, inner.delay)
			} else {
				p.feeds[m.rule] = append(p.feeds[m.rule], f)
			}
		}
		cr.delay += cr.c.Timespan
		p.corrs = append(p.corrs, cr)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// standalone lists, per rule, whether its hits are reported on their own.
func (p *corrPlan) standalone(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = !p.used[i] || p.gen[i]
	}
	return out
}

// ruleRefs maps ids and names to rule indexes, rejecting duplicates: the
// problem is the later rule's.
func ruleRefs(rules []*Rule) (map[string]int, map[int]error) {
	refs := make(map[string]int)
	errs := make(map[int]error)
	for i, r := range rules {
		for _, key := range []string{r.ID, r.Name} {
			if key == "" {
				continue
			}
			if j, ok := refs[key]; ok && j != i {
				errs[i] = errors.Join(errs[i], pos{file: r.File, line: r.Line}.errorf("rule id or name %q is also used at %s:%d", key, rules[j].File, rules[j].Line))
				continue
			}
			refs[key] = i
		}
	}
	return refs, errs
}

func resolveMembers(i int, rules []*Rule, refs map[string]int, gone map[string]bool) (*corrRule, error) {
	c := rules[i].Correlation
	cr := &corrRule{rule: i, c: c}
	seen := make(map[int]bool)
	for k, ref := range c.Rules {
		j, ok := refs[ref]
		switch {
		case !ok && gone[ref]:
			return nil, c.rulePos[k].errorf("correlation refers to rule %q, which could not be loaded", ref)
		case !ok:
			return nil, c.rulePos[k].errorf("correlation refers to unknown rule %q", ref)
		case j == i:
			return nil, c.rulePos[k].errorf("correlation refers to itself")
		case seen[j]:
			return nil, c.rulePos[k].errorf("rule %q is listed twice", ref)
		}
		seen[j] = true
		cr.members = append(cr.members, member{rule: j, isCorr: rules[j].Correlation != nil, value: -1})
	}
	return cr, nil
}

// topoOrder sorts correlations so that each comes after those it uses,
// and rejects cycles, naming a rule of the cycle.
func topoOrder(rules []*Rule, byRule map[int]*corrRule) ([]int, int, error) {
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[int]int)
	var order []int
	cycle := -1
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case visiting:
			cycle = i
			return byRule[i].c.p.errorf("correlation rules refer to each other in a cycle")
		case done:
			return nil
		}
		state[i] = visiting
		for _, m := range byRule[i].members {
			if m.isCorr {
				if err := visit(m.rule); err != nil {
					return err
				}
			}
		}
		state[i] = done
		order = append(order, i)
		return nil
	}
	for i := range rules {
		if byRule[i] != nil {
			if err := visit(i); err != nil {
				return nil, cycle, err
			}
		}
	}
	return order, -1, nil
}

// resolveFields finds, for every member, where its group-by values and
// counted values come from.
func (cr *corrRule) resolveFields(rules []*Rule, s Schema, byRule map[int]*corrRule) error {
	c := cr.c
	if err := cr.checkAliases(rules); err != nil {
		return err
	}
	for mi := range cr.members {
		m := &cr.members[mi]
		for gi, g := range c.GroupBy {
			idx, err := cr.locate(rules[m.rule], m, g, s, byRule)
			if err != nil {
				return c.groupPos[gi].errorf("group-by %q: %v", g, err)
			}
			m.group = append(m.group, idx)
		}
		if c.Field == "" {
			continue
		}
		idx, err := cr.locate(rules[m.rule], m, c.Field, s, byRule)
		if err != nil {
			return c.fieldPos.errorf("field %q: %v", c.Field, err)
		}
		m.value = idx
	}
	return nil
}

// locate resolves a group-by entry or counted field for one member,
// applying aliases.
func (cr *corrRule) locate(r *Rule, m *member, name string, s Schema, byRule map[int]*corrRule) (int, error) {
	if alias, ok := cr.c.Aliases[name]; ok {
		field, ok := alias[r.Name]
		if r.Name == "" || !ok {
			return 0, errors.New("alias has no field for rule " + ruleLabel(r))
		}
		name = field
	}
	if m.isCorr {
		for k, g := range byRule[m.rule].c.GroupBy {
			if strings.EqualFold(g, name) {
				return k, nil
			}
		}
		return 0, errors.New("not in the group-by of correlation " + ruleLabel(r))
	}
	f, ok := s.Field(name)
	if !ok {
		return 0, errors.New("unknown field " + quote(name))
	}
	return f.ID, nil
}

// checkAliases makes sure aliases name rules the correlation refers to.
func (cr *corrRule) checkAliases(rules []*Rule) error {
	names := make(map[string]bool)
	for _, m := range cr.members {
		if n := rules[m.rule].Name; n != "" {
			names[n] = true
		}
	}
	for _, alias := range slices.Sorted(maps.Keys(cr.c.Aliases)) {
		for _, name := range slices.Sorted(maps.Keys(cr.c.Aliases[alias])) {
			if !names[name] {
				return cr.c.aliasPos[alias][name].errorf("alias %q: %q is not the name of a rule this correlation refers to", alias, name)
			}
		}
	}
	return nil
}

func ruleLabel(r *Rule) string {
	switch {
	case r.Name != "":
		return quote(r.Name)
	case r.ID != "":
		return quote(r.ID)
	}
	return quote(r.Title)
}
