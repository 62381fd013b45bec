package ruleset

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file reads what a public-style Sigma rule asks of a record, so that
// public_records_test.go can build records that should make it fire.

// need is one thing a record must hold for the rule to fire.
type need struct {
	field string // as written in the rule, without modifiers
	op    string // eq, contains, prefix, suffix, null, keyword
	value string
}

// needs lists what a record needs to satisfy the rule's condition: the
// searches the condition needs to be true, ignoring negated ones.
func (r *publicRule) needs() []need {
	var out []need
	for _, name := range positive(r.cond, r.det) {
		out = append(out, searchNeeds(r.det[name])...)
	}
	return out
}

var tokenRE = regexp.MustCompile(`\(|\)|[^\s()]+`)

// positive returns the searches to make true: the first alternative of an
// "or" or "1 of", everything of an "and" or "all of", nothing under "not".
func positive(cond string, det map[string]*yaml.Node) []string {
	toks := tokenRE.FindAllString(cond, -1)
	p := &condParser{toks: toks, det: det}
	return p.or(true)
}

type condParser struct {
	toks []string
	i    int
	det  map[string]*yaml.Node
}

func (p *condParser) peek() string {
	if p.i < len(p.toks) {
		return strings.ToLower(p.toks[p.i])
	}
	return ""
}

func (p *condParser) or(want bool) []string {
	first := p.and(want)
	for p.peek() == "or" {
		p.i++
		p.and(false)
	}
	return first
}

func (p *condParser) and(want bool) []string {
	out := p.not(want)
	for p.peek() == "and" {
		p.i++
		out = append(out, p.not(want)...)
	}
	return out
}

func (p *condParser) not(want bool) []string {
	if p.peek() == "not" {
		p.i++
		p.atom(false)
		return nil
	}
	return p.atom(want)
}

func (p *condParser) atom(want bool) []string {
	t := p.peek()
	switch {
	case t == "(":
		p.i++
		out := p.or(want)
		p.i++ // ")"
		return out
	case t == "1" || t == "all" || t == "any":
		p.i += 2 // "of"
		pattern := p.toks[p.i]
		p.i++
		names := p.matching(pattern)
		if !want || len(names) == 0 {
			return nil
		}
		if t == "all" {
			return names
		}
		return names[:1]
	}
	p.i++
	if !want {
		return nil
	}
	return []string{p.toks[p.i-1]}
}

func (p *condParser) matching(pattern string) []string {
	var out []string
	for name := range p.det {
		if pattern == "them" || matchGlob(pattern, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func matchGlob(pattern, s string) bool {
	ok, _ := filepath.Match(pattern, s)
	return ok
}

func searchNeeds(n *yaml.Node) []need {
	switch n.Kind {
	case yaml.MappingNode:
		return mapNeeds(n)
	case yaml.SequenceNode:
		if n.Content[0].Kind == yaml.MappingNode {
			return mapNeeds(n.Content[0])
		}
		return []need{{op: "keyword", value: n.Content[0].Value}}
	}
	return []need{{op: "keyword", value: n.Value}}
}

func mapNeeds(n *yaml.Node) []need {
	var out []need
	for i := 0; i+1 < len(n.Content); i += 2 {
		parts := strings.Split(n.Content[i].Value, "|")
		v := n.Content[i+1]
		mods := map[string]bool{}
		for _, m := range parts[1:] {
			mods[m] = true
		}
		if mods["exists"] {
			continue // setting the field makes it exist
		}
		vals := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			vals = v.Content
		}
		nd := need{field: parts[0], op: "eq"}
		switch {
		case mods["contains"]:
			nd.op = "contains"
		case mods["startswith"]:
			nd.op = "prefix"
		case mods["endswith"]:
			nd.op = "suffix"
		}
		switch {
		case vals[0].Tag == "!!null":
			nd.op = "null"
		case mods["all"]:
			var texts []string
			for _, x := range vals {
				texts = append(texts, x.Value)
			}
			nd.value = strings.Join(texts, " ")
		default:
			nd.value = vals[0].Value
		}
		out = append(out, nd)
	}
	return out
}

// merged combines the needs on one field: a prefix and a suffix become one
// value; equality wins.
func merged(needs []need) map[string]string {
	type parts struct {
		eq                       string
		hasEq                    bool
		prefix, contains, suffix string
	}
	by := map[string]*parts{}
	var order []string
	for _, n := range needs {
		key := strings.ToLower(n.field)
		if n.op == "keyword" {
			key = "keyword"
		}
		p := by[key]
		if p == nil {
			p = &parts{}
			by[key] = p
			order = append(order, key)
		}
		switch n.op {
		case "eq", "keyword":
			p.eq, p.hasEq = n.value, true
		case "prefix":
			p.prefix = n.value
		case "suffix":
			p.suffix = n.value
		case "contains":
			p.contains = n.value
		case "null":
			p.eq, p.hasEq = nullValue, true
		}
	}
	out := map[string]string{}
	for _, k := range order {
		p := by[k]
		if p.hasEq {
			out[k] = p.eq
			continue
		}
		v := p.prefix
		if p.contains != "" {
			if v != "" {
				v += " "
			}
			v += p.contains
		}
		out[k] = v + p.suffix
	}
	return out
}

// nullValue marks a field the rule wants null.
const nullValue = "\x00null"
