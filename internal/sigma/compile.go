package sigma

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"sync"
)

// Ruleset is a compiled set of rules, ready to match events. It is safe
// for concurrent use.
type Ruleset struct {
	rules      []*Rule
	compiled   []*compiledRule // nil for correlation rules
	standalone []bool
	fieldIDs   []int // Field.ID by slot; slot 0 is the keyword slot
	ix         index
	corr       *corrPlan
	pool       sync.Pool
}

// compiledRule is a detection rule turned into evaluators.
type compiledRule struct {
	kinds KindSet
	root  evaluator
}

// keywordSlot is the slot that holds an event's keyword values.
const keywordSlot = 0

// Compile checks rules against the schema and compiles them. The index
// of a rule in rules is the number Match reports for it. Placeholders
// may be nil when no rule uses the expand modifier. The error, if any,
// lists every problem found, each an *Error naming file, line and
// column.
func Compile(rules []*Rule, s Schema, p Placeholders) (*Ruleset, error) {
	rs, detErrs, corrErrs := build(rules, s, p, nil)
	if len(detErrs)+len(corrErrs) > 0 {
		return nil, errors.Join(append(errorsInOrder(detErrs), errorsInOrder(corrErrs)...)...)
	}
	return rs, nil
}

// Refusal is a rule CompileValid left out, and why.
type Refusal struct {
	Rule *Rule
	Err  error
}

// CompileValid compiles the rules that can be compiled and leaves out the
// others, as a loader that skips bad rules needs: every detection rule
// with a problem, every rule whose id or name an earlier rule has, and
// every correlation rule with a problem or that uses a rule left out.
// Match reports a rule by its index among the rules kept, which
// Ruleset.Rules lists. The refusals are in the order of rules.
func CompileValid(rules []*Rule, s Schema, p Placeholders) (*Ruleset, []Refusal) {
	var refused []Refusal
	gone := make(map[string]bool)
	index := make(map[*Rule]int, len(rules))
	for i, r := range rules {
		index[r] = i
	}
	for {
		rs, detErrs, corrErrs := build(rules, s, p, gone)
		if len(detErrs)+len(corrErrs) == 0 {
			slices.SortFunc(refused, func(a, b Refusal) int { return cmp.Compare(index[a.Rule], index[b.Rule]) })
			return rs, refused
		}
		var kept []*Rule
		for i, r := range rules {
			err := errors.Join(detErrs[i], corrErrs[i])
			if err == nil {
				kept = append(kept, r)
				continue
			}
			refused = append(refused, Refusal{Rule: r, Err: err})
			for _, key := range []string{r.ID, r.Name} {
				if key != "" && !slices.ContainsFunc(kept, func(k *Rule) bool { return k.ID == key || k.Name == key }) {
					gone[key] = true
				}
			}
		}
		rules = kept
	}
}

// errorsInOrder returns the errors of a map by rule index, in index
// order.
func errorsInOrder(errs map[int]error) []error {
	out := make([]error, 0, len(errs))
	for _, i := range slices.Sorted(maps.Keys(errs)) {
		out = append(out, errs[i])
	}
	return out
}

// build compiles rules, returning the problems of detection rules and
// those found while planning correlations, by rule index; the Ruleset is
// nil when there is any.
func build(rules []*Rule, s Schema, p Placeholders, gone map[string]bool) (*Ruleset, map[int]error, map[int]error) {
	c := &compiler{schema: s, placeholders: p, slots: make(map[int]int32)}
	rs := &Ruleset{
		rules:    rules,
		compiled: make([]*compiledRule, len(rules)),
		fieldIDs: []int{-1},
	}
	detErrs := make(map[int]error)
	for i, r := range rules {
		if r.Correlation != nil {
			continue
		}
		cr, err := c.compileRule(r)
		if err != nil {
			detErrs[i] = err
			continue
		}
		rs.compiled[i] = cr
	}
	plan, corrErrs := planCorrelations(rules, s, gone)
	if len(detErrs)+len(corrErrs) > 0 {
		return nil, detErrs, corrErrs
	}
	rs.corr = plan
	rs.standalone = plan.standalone(len(rules))
	rs.fieldIDs = append(rs.fieldIDs, c.fieldIDs...)
	rs.ix = buildIndex(rs.compiled)
	rs.pool.New = func() any { return newState(rs) }
	return rs, nil, nil
}

// Rules returns the rules in the order given to Compile.
func (rs *Ruleset) Rules() []*Rule { return rs.rules }

// Standalone reports whether hits of rule i should be reported on their
// own. It is false for rules used only by correlations that do not set
// generate, and for correlation rules used only that way by others.
func (rs *Ruleset) Standalone(i int) bool {
	return i >= 0 && i < len(rs.standalone) && rs.standalone[i]
}

// Correlated reports whether a correlation rule uses the hits of rule i,
// so that callers feed a Correlator only the hits it needs.
func (rs *Ruleset) Correlated(i int) bool {
	return i >= 0 && i < len(rs.corr.feeds) && len(rs.corr.feeds[i]) > 0
}

type compiler struct {
	schema       Schema
	placeholders Placeholders
	slots        map[int]int32 // Field.ID → slot
	fieldIDs     []int         // Field.ID of slots 1, 2, …
	// left is how many bytes of patterns the rule being compiled may
	// still add (see maxRuleBytes).
	left int
}

// maxRuleBytes bounds the bytes of patterns one detection rule compiles
// to, counted after YAML aliases, placeholders, windash and the encodings
// have multiplied its values, so that a small rule file cannot make the
// engine allocate gigabytes. Real rules need a few kilobytes.
const maxRuleBytes = 4 << 20

// budgetMsg says a rule went over maxRuleBytes.
var budgetMsg = fmt.Sprintf("the rule's values expand to more than %d MiB of patterns", maxRuleBytes>>20)

// spend takes n bytes from the rule's budget and reports whether they
// were left.
func (c *compiler) spend(n int) bool {
	c.left -= n
	return c.left >= 0
}

// slot returns the dense slot of a field, assigning one on first use.
func (c *compiler) slot(f Field) int32 {
	if s, ok := c.slots[f.ID]; ok {
		return s
	}
	c.fieldIDs = append(c.fieldIDs, f.ID)
	s := int32(len(c.fieldIDs))
	c.slots[f.ID] = s
	return s
}

func (c *compiler) compileRule(r *Rule) (*compiledRule, error) {
	if r.detection == nil {
		return nil, pos{file: r.File, line: r.Line}.errorf("rule %q has no parsed detection; rules must come from Parse", r.Title)
	}
	kinds, err := c.schema.Kinds(r.Logsource)
	if err != nil {
		return nil, r.lsPos.errorf("logsource %s: %v", r.Logsource, err)
	}
	if kinds == 0 {
		return nil, r.lsPos.errorf("logsource %s covers no event kind", r.Logsource)
	}
	d := r.detection
	c.left = maxRuleBytes
	searches := make(map[string]evaluator, len(d.order))
	var errs []error
	for _, name := range d.order {
		s, err := c.compileSearch(d.searches[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		searches[name] = s
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var roots orEval
	for _, cond := range d.conds {
		roots = append(roots, buildCondition(cond.root, d, searches))
	}
	return &compiledRule{kinds: kinds, root: simplify(roots)}, nil
}

// buildCondition turns a parsed condition into evaluators. Names were
// checked when the rule was parsed.
func buildCondition(n *condNode, d *detection, searches map[string]evaluator) evaluator {
	switch n.op {
	case condIdent:
		return searches[n.name]
	case condNot:
		return notEval{buildCondition(n.kids[0], d, searches)}
	case condOneOf, condAllOf:
		var list []evaluator
		for _, s := range d.expand(n.name) {
			list = append(list, searches[s.name])
		}
		if n.op == condOneOf {
			return simplify(orEval(list))
		}
		return simplify(andEval(list))
	}
	list := make([]evaluator, len(n.kids))
	for i, k := range n.kids {
		list[i] = buildCondition(k, d, searches)
	}
	if n.op == condAnd {
		return andEval(list)
	}
	return orEval(list)
}

// simplify unwraps a one-element AND or OR.
func simplify(e evaluator) evaluator {
	switch l := e.(type) {
	case orEval:
		if len(l) == 1 {
			return l[0]
		}
	case andEval:
		if len(l) == 1 {
			return l[0]
		}
	}
	return e
}

// compileSearch compiles every test of a search, reporting every test
// that fails (each unknown field, say), not only the first.
func (c *compiler) compileSearch(s *search) (*searchEval, error) {
	out := &searchEval{groups: make([][]*test, len(s.groups))}
	var errs []error
	for i, g := range s.groups {
		for _, ft := range g {
			t, err := c.compileTest(ft)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out.groups[i] = append(out.groups[i], t)
		}
		// Cheap tests of a group run first; ties keep their written order.
		slices.SortStableFunc(out.groups[i], func(a, b *test) int { return cmp.Compare(a.cost, b.cost) })
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func (c *compiler) compileTest(ft *fieldTest) (*test, error) {
	t := &test{slot: keywordSlot, cased: ft.mods.cased, neq: ft.mods.neq}
	var fold func(string) string
	if ft.field != "" {
		f, ok := c.schema.Field(ft.field)
		if !ok {
			return nil, ft.p.errorf("unknown field %q", ft.field)
		}
		if f.Fold != nil && f.Raw != nil && (ft.mods.cased || ft.mods.kind == modRe) {
			f = *f.Raw // re and cased see the text as logged
		}
		t.slot, fold = c.slot(f), f.Fold
	}
	if ft.mods.has(modBase64) || ft.mods.has(modBase64Offset) {
		t.cased = true // base64 text is case-sensitive
	}
	for _, v := range ft.values {
		alts, err := c.compileValue(ft, v, fold, t.cased)
		if err != nil {
			return nil, err
		}
		if ft.mods.all || len(t.groups) == 0 {
			t.groups = append(t.groups, alts)
		} else {
			t.groups[0] = append(t.groups[0], alts...)
		}
	}
	t.cost = testCost(t)
	return t, nil
}

// compileValue turns one written value into its alternatives.
func (c *compiler) compileValue(ft *fieldTest, v ruleValue, fold func(string) string, cased bool) ([]alt, error) {
	m := &ft.mods
	if m.timePart != 0 {
		n, _ := timePartValue(m.timePart, v.text) // checked when parsed
		return []alt{{op: opTime, part: m.timePart, num: float64(n), cmp: m.kind}}, nil
	}
	switch m.kind {
	case modExists:
		return []alt{{op: opExists, exists: v.text == "true"}}, nil
	case modRe:
		if !c.spend(len(v.text)) {
			return nil, v.p.errorf("%s", budgetMsg)
		}
		return compileRegexp(m, v)
	case modCIDR:
		p, err := netip.ParsePrefix(v.text)
		if err != nil {
			return nil, v.p.errorf("bad cidr %q: %v", v.text, err)
		}
		return []alt{{op: opCIDR, prefix: p.Masked()}}, nil
	case modGT, modGTE, modLT, modLTE:
		n, _ := parseNumber(v.text) // checked when parsed
		return []alt{{op: opNumber, num: n, cmp: m.kind}}, nil
	case modFieldRef:
		f, ok := c.schema.Field(v.text)
		if !ok {
			return nil, v.p.errorf("fieldref: unknown field %q", v.text)
		}
		return []alt{{op: opFieldRef, ref: c.slot(f), refOp: positionOp(m.position)}}, nil
	}
	if v.kind == valNull {
		return []alt{{op: opNull}}, nil
	}
	return c.stringAlts(ft, v, fold, cased)
}

// positionOp maps contains, startswith and endswith to their altOp.
func positionOp(m modifier) altOp {
	switch m {
	case modContains:
		return opContains
	case modStartsWith:
		return opPrefix
	case modEndsWith:
		return opSuffix
	}
	return opEqual
}

func compileRegexp(m *modifierSet, v ruleValue) ([]alt, error) {
	flags := ""
	for _, x := range m.list {
		switch x {
		case modReI:
			flags += "i"
		case modReM:
			flags += "m"
		case modReS:
			flags += "s"
		}
	}
	expr := v.text
	if flags != "" {
		expr = "(?" + flags + ")" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, v.p.errorf("bad regular expression %q: %v", v.text, err)
	}
	return []alt{{op: opRegex, re: re}}, nil
}

// stringAlts runs a value through placeholders and the transforming
// modifiers in written order, then folds, lower-cases and classifies
// each resulting pattern.
func (c *compiler) stringAlts(ft *fieldTest, v ruleValue, fold func(string) string, cased bool) ([]alt, error) {
	if hasReserved(v.text) {
		return nil, v.p.errorf("value holds a reserved character (U+FDD0 or U+FDD1)")
	}
	if len(v.text) > c.left {
		return nil, v.p.errorf("%s", budgetMsg)
	}
	vals := []string{unescape(v.text)}
	if ft.mods.has(modExpand) {
		var msg string
		if vals, msg = expandPlaceholders(v.text, c.resolvePlaceholder, c.left); msg != "" {
			return nil, v.p.errorf("%s", msg)
		}
	}
	for _, m := range ft.mods.list {
		var msg string
		if vals, msg = transform(vals, m, c.left); msg != "" {
			return nil, v.p.errorf("%s", msg)
		}
	}
	if ft.field == "" && ft.mods.position == 0 {
		vals, _ = transform(vals, modContains, c.left) // keywords match anywhere
	}
	if !c.spend(totalLen(vals)) {
		return nil, v.p.errorf("%s", budgetMsg)
	}
	alts := make([]alt, 0, len(vals))
	for _, s := range vals {
		if fold != nil {
			s = fold(s)
		}
		if !cased {
			s = string(appendLower(nil, s))
		}
		alts = append(alts, stringAlt(s))
	}
	return alts, nil
}

func (c *compiler) resolvePlaceholder(name string) ([]string, bool) {
	if c.placeholders == nil {
		return nil, false
	}
	return c.placeholders.Values(name)
}

// totalLen returns the bytes of all strings of vals.
func totalLen(vals []string) int {
	n := 0
	for _, v := range vals {
		n += len(v)
	}
	return n
}

// transform applies one modifier to every value of a list. The result
// may hold at most limit bytes.
func transform(vals []string, m modifier, limit int) ([]string, string) {
	out := make([]string, 0, len(vals))
	size := 0
	for _, s := range vals {
		if isEncoding(m) && hasReserved(s) {
			return nil, "modifier " + quote(modName(m)) + " cannot encode wildcards; put \"contains\" after it"
		}
		switch {
		case m == modContains || m == modStartsWith || m == modEndsWith:
			out = append(out, withPosition(s, m))
		case m == modWindash:
			ws, msg := windash(s, limit-size)
			if msg != "" {
				return nil, msg
			}
			out = append(out, ws...)
		case isUTF16(m):
			out = append(out, encodeUTF16(s, m))
		case m == modBase64:
			out = append(out, base64.StdEncoding.EncodeToString([]byte(s)))
		case m == modBase64Offset:
			out = append(out, base64Offsets(s)...)
		default:
			out = append(out, s)
		}
		if len(out) > maxVariants {
			return nil, "value expands to too many variants"
		}
		if size = totalLen(out); size > limit {
			return nil, budgetMsg
		}
	}
	return out, ""
}

// testCost estimates how expensive a test is, so that cheap tests of a
// group run first.
func testCost(t *test) int {
	cost := 0
	for _, g := range t.groups {
		for _, a := range g {
			switch a.op {
			case opNull, opExists, opAny:
			case opEqual, opNumber, opCIDR, opTime:
				cost++
			case opPrefix, opSuffix, opFieldRef:
				cost += 2
			case opContains, opGlob:
				cost += 4
			default:
				cost += 20
			}
		}
	}
	if t.slot == keywordSlot {
		cost *= 8
	}
	return cost
}
