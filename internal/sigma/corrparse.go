package sigma

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Correlation types defined by the Sigma correlation specification.
const (
	EventCount      = "event_count"
	ValueCount      = "value_count"
	Temporal        = "temporal"
	TemporalOrdered = "temporal_ordered"
)

// Correlation is the correlation section of a correlation rule.
type Correlation struct {
	Type  string   // EventCount, ValueCount, Temporal or TemporalOrdered
	Rules []string // ids or names of the rules correlated
	// Aliases maps an alias to a field name per rule name.
	Aliases  map[string]map[string]string
	GroupBy  []string
	Timespan time.Duration
	// Generate asks for the correlated rules to alert on their own too.
	Generate bool
	// Condition holds the bounds the measured count must meet, all of
	// them. It is empty for temporal correlations that need every rule.
	Condition []Bound
	// Field is the field whose distinct values a value_count counts.
	Field string

	p         pos
	rulePos   []pos
	groupPos  []pos
	aliasPos  map[string]map[string]pos
	fieldPos  pos
	timingPos pos
}

// Bound is one comparison of a correlation condition, such as gte: 10.
type Bound struct {
	Op    string // gt, gte, lt, lte, eq or neq
	Value int64
}

// holds reports whether n meets the bound.
func (b Bound) holds(n int64) bool {
	switch b.Op {
	case "gt":
		return n > b.Value
	case "gte":
		return n >= b.Value
	case "lt":
		return n < b.Value
	case "lte":
		return n <= b.Value
	case "eq":
		return n == b.Value
	}
	return n != b.Value // neq
}

func parseCorrelation(file string, n *yaml.Node, generate *entry) (*Correlation, error) {
	es, err := entries(file, n, "correlation")
	if err != nil {
		return nil, err
	}
	c := &Correlation{p: posOf(file, n)}
	var errs []error
	var cond *entry
	for i := range es {
		e := &es[i]
		if e.key == "condition" {
			cond = e
			continue
		}
		if err := c.setKey(file, e); err != nil {
			errs = append(errs, err)
		}
	}
	if generate != nil {
		if err := c.setKey(file, generate); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.check(file, cond); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func (c *Correlation) setKey(file string, e *entry) error {
	var err error
	switch e.key {
	case "type":
		c.Type, err = scalar(file, e.value, "correlation type")
	case "rules":
		c.Rules, c.rulePos, err = listWithPos(file, e.value, "correlation rules")
	case "group-by":
		c.GroupBy, c.groupPos, err = listWithPos(file, e.value, "group-by")
	case "timespan":
		c.timingPos = posOf(file, e.value)
		c.Timespan, err = parseTimespan(file, e.value)
	case "aliases":
		err = c.parseAliases(file, e.value)
	case "generate":
		if e.value.Kind != yaml.ScalarNode || e.value.Tag != "!!bool" {
			return posOf(file, e.value).errorf("generate must be true or false")
		}
		c.Generate = strings.EqualFold(e.value.Value, "true")
	default:
		return posOf(file, e.kn).errorf("unknown correlation key %q", e.key)
	}
	return err
}

// check validates the whole section once every key is read.
func (c *Correlation) check(file string, cond *entry) error {
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered:
	case "":
		return c.p.errorf("correlation has no type")
	default:
		return c.p.errorf("unsupported correlation type %q", c.Type)
	}
	switch {
	case len(c.Rules) == 0:
		return c.p.errorf("correlation has no rules")
	case c.Timespan == 0:
		return c.p.errorf("correlation has no timespan")
	}
	if cond == nil {
		if c.Type == EventCount || c.Type == ValueCount {
			return c.p.errorf("%s correlation has no condition", c.Type)
		}
		return nil
	}
	return c.parseCondition(file, cond)
}

func (c *Correlation) parseCondition(file string, cond *entry) error {
	p := posOf(file, cond.value)
	if c.Type == TemporalOrdered {
		return p.errorf("a condition is not supported for temporal_ordered correlations")
	}
	if cond.value.Kind == yaml.ScalarNode {
		return p.errorf("condition expressions in correlation rules are not supported, use a map such as gte: 2")
	}
	es, err := entries(file, cond.value, "correlation condition")
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := c.addBound(file, e); err != nil {
			return err
		}
	}
	switch {
	case len(c.Condition) == 0:
		return p.errorf("correlation condition has no comparison")
	case c.Type == ValueCount && c.Field == "":
		return p.errorf("value_count condition needs a field")
	case c.Type != ValueCount && c.Field != "":
		return c.fieldPos.errorf("field is only valid in a value_count condition")
	}
	return nil
}

func (c *Correlation) addBound(file string, e entry) error {
	switch e.key {
	case "field":
		if e.value.Kind != yaml.ScalarNode || isNull(e.value) {
			return posOf(file, e.value).errorf("correlation condition field must be one field name")
		}
		c.Field, c.fieldPos = e.value.Value, posOf(file, e.value)
		return nil
	case "gt", "gte", "lt", "lte", "eq", "neq":
		var v int64
		if e.value.Kind != yaml.ScalarNode || e.value.Tag != "!!int" || e.value.Decode(&v) != nil {
			return posOf(file, e.value).errorf("correlation condition %s needs an integer", e.key)
		}
		c.Condition = append(c.Condition, Bound{Op: e.key, Value: v})
		return nil
	}
	return posOf(file, e.kn).errorf("unknown correlation condition %q", e.key)
}

func (c *Correlation) parseAliases(file string, n *yaml.Node) error {
	es, err := entries(file, n, "aliases")
	if err != nil {
		return err
	}
	c.Aliases = make(map[string]map[string]string, len(es))
	c.aliasPos = make(map[string]map[string]pos, len(es))
	for _, e := range es {
		rs, err := entries(file, e.value, "alias "+e.key)
		if err != nil {
			return err
		}
		m := make(map[string]string, len(rs))
		mp := make(map[string]pos, len(rs))
		for _, r := range rs {
			if m[r.key], err = scalar(file, r.value, "alias field"); err != nil {
				return err
			}
			if m[r.key] == "" {
				return posOf(file, r.value).errorf("alias %s: empty field name for rule %q", e.key, r.key)
			}
			mp[r.key] = posOf(file, r.kn)
		}
		c.Aliases[e.key], c.aliasPos[e.key] = m, mp
	}
	return nil
}

func listWithPos(file string, n *yaml.Node, what string) ([]string, []pos, error) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return []string{n.Value}, []pos{posOf(file, n)}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, nil, posOf(file, n).errorf("%s must be a list", what)
	}
	var out []string
	var ps []pos
	for _, item := range n.Content {
		s, err := scalar(file, item, what)
		if err != nil {
			return nil, nil, err
		}
		if s == "" {
			return nil, nil, posOf(file, item).errorf("%s: empty entry", what)
		}
		out = append(out, s)
		ps = append(ps, posOf(file, item))
	}
	return out, ps, nil
}

// parseTimespan reads a number followed by s, m, h or d.
func parseTimespan(file string, n *yaml.Node) (time.Duration, error) {
	p := posOf(file, n)
	s := ""
	if n.Kind == yaml.ScalarNode {
		s = n.Value
	}
	bad := p.errorf("bad timespan %q, want a number followed by s, m, h or d", s)
	if len(s) < 2 {
		return 0, bad
	}
	num, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	if err != nil || num <= 0 || s[0] == '+' {
		return 0, bad
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 's':
		unit = time.Second
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	default:
		return 0, bad
	}
	if num > math.MaxInt64/int64(unit) {
		return 0, p.errorf("timespan %q is too long", s)
	}
	return time.Duration(num) * unit, nil
}
