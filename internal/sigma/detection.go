package sigma

import (
	"errors"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// detection is the parsed detection section of a rule, checked for
// syntax but not yet resolved against a schema.
type detection struct {
	searches map[string]*search
	order    []string // search names in document order
	conds    []*condition
	// failed holds the names of searches that could not be parsed, so
	// that the condition does not report them again as undefined.
	failed map[string]bool
}

// condition is one condition text with its parse tree.
type condition struct {
	text string
	node *yaml.Node
	file string
	root *condNode
}

// at returns the position of byte offset off of the condition text.
func (c *condition) at(off int) pos {
	p := posOf(c.file, c.node)
	switch c.node.Style {
	case 0:
		return p.shift(off)
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		if !strings.ContainsAny(c.text, "\n'\\") {
			return p.shift(off + 1)
		}
	}
	return p
}

// search is one search identifier: an OR of groups, each group an AND
// of field tests.
type search struct {
	name   string
	p      pos
	groups [][]*fieldTest
}

// fieldTest is one "field|modifiers: values" entry. An empty field means
// a keyword search over all text of the event.
type fieldTest struct {
	field  string
	p      pos
	mods   modifierSet
	values []ruleValue
}

// maxValues bounds the values and field tests of one detection, counted
// after YAML aliases are followed, so that a small file cannot expand
// into a huge rule.
const maxValues = 100000

// budget counts down the values a detection may still hold.
type budget struct{ left int }

func (b *budget) take(n int) bool {
	b.left -= n
	return b.left >= 0
}

type valueKind uint8

const (
	valString valueKind = iota + 1
	valNumber
	valBool
	valNull
)

// ruleValue is one value written in a rule.
type ruleValue struct {
	p    pos
	kind valueKind
	text string
}

func parseDetection(file string, n *yaml.Node) (*detection, error) {
	es, err := entries(file, n, "detection")
	if err != nil {
		return nil, err
	}
	d := &detection{searches: make(map[string]*search), failed: make(map[string]bool)}
	b := &budget{left: maxValues}
	var errs []error
	var condEntry *entry
	for i := range es {
		e := &es[i]
		switch e.key {
		case "condition":
			condEntry = e
		case "timeframe":
			errs = append(errs, posOf(file, e.kn).errorf("unsupported detection key \"timeframe\", use a correlation rule"))
		default:
			s, err := parseSearch(file, e, b)
			if err != nil {
				errs = append(errs, err)
				d.failed[e.key] = true
				continue
			}
			d.searches[e.key] = s
			d.order = append(d.order, e.key)
		}
	}
	if condEntry == nil {
		errs = append(errs, posOf(file, n).errorf("detection has no condition"))
	} else if err := d.parseConditions(file, condEntry); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// parseConditions reads the condition, a string or a list of strings
// (which are joined with OR), and checks the identifiers it names.
func (d *detection) parseConditions(file string, e *entry) error {
	nodes := []*yaml.Node{e.value}
	if e.value.Kind == yaml.SequenceNode {
		nodes = e.value.Content
		if len(nodes) == 0 {
			return posOf(file, e.value).errorf("condition list is empty")
		}
	}
	for _, cn := range nodes {
		cn = deref(cn)
		if isNull(cn) || cn.Kind != yaml.ScalarNode {
			return posOf(file, cn).errorf("condition must be a string")
		}
		c := &condition{text: cn.Value, node: cn, file: file}
		root, err := parseCondition(cn.Value)
		if err != nil {
			var ce *condError
			errors.As(err, &ce)
			return c.at(ce.off).errorf("condition: %s", ce.msg)
		}
		c.root = root
		if err := d.checkNames(c, root); err != nil {
			return err
		}
		d.conds = append(d.conds, c)
	}
	return nil
}

// checkNames makes sure every identifier exists and every pattern
// matches at least one search. A search that failed to parse was
// reported already and is not reported again here.
func (d *detection) checkNames(c *condition, n *condNode) error {
	switch n.op {
	case condIdent:
		if d.searches[n.name] == nil && !d.failed[n.name] {
			return c.at(n.off).errorf("condition: undefined search identifier %q", n.name)
		}
	case condOneOf, condAllOf:
		if len(d.expand(n.name)) == 0 && !d.failedMatch(n.name) {
			return c.at(n.off).errorf("condition: %q matches no search identifier", n.name)
		}
	}
	for _, k := range n.kids {
		if err := d.checkNames(c, k); err != nil {
			return err
		}
	}
	return nil
}

// failedMatch reports whether a quantifier pattern names a search that
// failed to parse.
func (d *detection) failedMatch(pattern string) bool {
	for name := range d.failed {
		if pattern == "them" || matchName(pattern, name) {
			return true
		}
	}
	return false
}

// expand lists the searches a quantifier pattern covers, in document
// order. "them" covers every search whose name does not start with "_".
func (d *detection) expand(pattern string) []*search {
	var out []*search
	for _, name := range d.order {
		if pattern == "them" && !strings.HasPrefix(name, "_") || pattern != "them" && matchName(pattern, name) {
			out = append(out, d.searches[name])
		}
	}
	return out
}

// matchName matches an identifier against a pattern in which "*"
// stands for any run of characters.
func matchName(pattern, name string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == name
	}
	if !strings.HasPrefix(name, pattern[:star]) {
		return false
	}
	rest := pattern[star+1:]
	for i := star; i <= len(name); i++ {
		if matchName(rest, name[i:]) {
			return true
		}
	}
	return false
}

func parseSearch(file string, e *entry, b *budget) (*search, error) {
	s := &search{name: e.key, p: posOf(file, e.kn)}
	v := e.value
	switch {
	case isNull(v):
		return nil, s.p.errorf("search identifier %q is empty", e.key)
	case v.Kind == yaml.MappingNode:
		g, err := parseGroup(file, v, b)
		if err != nil {
			return nil, err
		}
		s.groups = [][]*fieldTest{g}
	case v.Kind == yaml.SequenceNode:
		if err := s.parseList(file, v, b); err != nil {
			return nil, err
		}
	default:
		s.groups = [][]*fieldTest{{keywordTest(file, v, []*yaml.Node{v})}}
	}
	return s, nil
}

// parseList reads a list of maps (OR of groups) and plain values
// (keywords); runs of plain values become one keyword test.
func (s *search) parseList(file string, v *yaml.Node, b *budget) error {
	if len(v.Content) == 0 {
		return s.p.errorf("search identifier %q is an empty list", s.name)
	}
	var words []*yaml.Node
	flush := func() {
		if len(words) > 0 {
			s.groups = append(s.groups, []*fieldTest{keywordTest(file, words[0], words)})
			words = nil
		}
	}
	var errs []error
	for _, item := range v.Content {
		item = deref(item)
		if !b.take(1) {
			return s.p.errorf("detection holds more than %d values", maxValues)
		}
		switch {
		case item.Kind == yaml.ScalarNode && !isNull(item):
			words = append(words, item)
		case item.Kind == yaml.MappingNode:
			flush()
			g, err := parseGroup(file, item, b)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			s.groups = append(s.groups, g)
		default:
			errs = append(errs, posOf(file, item).errorf("search identifier %q: list items must be values or maps", s.name))
		}
	}
	flush()
	return errors.Join(errs...)
}

func keywordTest(file string, at *yaml.Node, words []*yaml.Node) *fieldTest {
	t := &fieldTest{p: posOf(file, at)}
	for _, w := range words {
		t.values = append(t.values, valueOf(file, w))
	}
	return t
}

// parseGroup reads a map of field tests, joined with AND.
func parseGroup(file string, n *yaml.Node, b *budget) ([]*fieldTest, error) {
	es, err := entries(file, n, "search")
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, posOf(file, n).errorf("search map is empty")
	}
	out := make([]*fieldTest, 0, len(es))
	var errs []error
	for _, e := range es {
		t, err := parseFieldTest(file, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !b.take(1 + len(t.values)) {
			return nil, t.p.errorf("detection holds more than %d values", maxValues)
		}
		out = append(out, t)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseFieldTest(file string, e entry) (*fieldTest, error) {
	parts := strings.Split(e.key, "|")
	t := &fieldTest{field: parts[0], p: posOf(file, e.kn)}
	mods, msg := parseModifiers(parts[1:])
	if msg != "" {
		return nil, t.p.errorf("%s", msg)
	}
	t.mods = mods
	vals, err := parseValues(file, e.value)
	if err != nil {
		return nil, err
	}
	t.values = vals
	if msg := t.checkValues(); msg != "" {
		return nil, t.p.errorf("%s", msg)
	}
	return t, nil
}

func parseValues(file string, n *yaml.Node) ([]ruleValue, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return []ruleValue{valueOf(file, n)}, nil
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return nil, posOf(file, n).errorf("empty list of values")
		}
		out := make([]ruleValue, 0, len(n.Content))
		for _, c := range n.Content {
			c = deref(c)
			if c.Kind != yaml.ScalarNode {
				return nil, posOf(file, c).errorf("values must be plain values, not lists or maps")
			}
			out = append(out, valueOf(file, c))
		}
		return out, nil
	}
	return nil, posOf(file, n).errorf("values must be plain values, not maps")
}

// valueOf converts a scalar node. Integers are written in decimal, so
// that 0x10 and 16 mean the same; booleans in lower case.
func valueOf(file string, n *yaml.Node) ruleValue {
	v := ruleValue{p: posOf(file, n), kind: valString, text: n.Value}
	switch n.Tag {
	case "!!null":
		v.kind = valNull
	case "!!bool":
		v.kind = valBool
		v.text = strings.ToLower(n.Value)
	case "!!int":
		v.kind = valNumber
		var i int64
		if n.Decode(&i) == nil {
			v.text = strconv.FormatInt(i, 10)
		}
	case "!!float":
		v.kind = valNumber
	}
	return v
}

// checkValues enforces the value types each modifier needs.
func (t *fieldTest) checkValues() string {
	m := &t.mods
	if t.field == "" && (m.kind == modExists || m.kind == modFieldRef) {
		return "keyword searches cannot use " + quote(modName(m.kind))
	}
	if t.field == "" && (m.neq || m.timePart != 0) {
		x := modNeq
		if m.timePart != 0 {
			x = m.timePart
		}
		return "keyword searches cannot use " + quote(modName(x))
	}
	if m.kind == modExists && len(t.values) != 1 {
		return "modifier \"exists\" needs a single true or false"
	}
	if m.all && len(t.values) < 2 {
		return "modifier \"all\" needs a list of at least two values"
	}
	for _, v := range t.values {
		if msg := m.checkValue(v, t.field == ""); msg != "" {
			return msg
		}
	}
	return ""
}

func (m *modifierSet) checkValue(v ruleValue, keyword bool) string {
	switch {
	case m.kind == modExists:
		if v.kind != valBool {
			return "modifier \"exists\" needs true or false"
		}
	case v.kind == valNull && (len(m.list) > 0 || keyword):
		return "null cannot be used with modifiers or as a keyword"
	case m.timePart != 0:
		if _, ok := timePartValue(m.timePart, v.text); !ok {
			lo, hi := timePartRange(m.timePart)
			return "modifier " + quote(modName(m.timePart)) + " needs a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi) + ", not " + strconv.Quote(v.text)
		}
	case isNumeric(m.kind):
		if _, ok := parseNumber(v.text); !ok {
			return "modifier " + quote(modName(m.kind)) + " needs a number, not " + strconv.Quote(v.text)
		}
	}
	return ""
}
