package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// checker walks the YAML nodes of a policy file and collects diagnostics.
type checker struct {
	file   string
	diags  []Diagnostic
	errors int                       // how many of diags are errors
	zones  map[string]*time.Location // zones already loaded, by name
	refs   []RuleRef                 // rule ids the policy names
}

func (c *checker) report(sev Severity, n *yaml.Node, msg string) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	c.diags = append(c.diags, Diagnostic{File: c.file, Line: line, Column: col, Severity: sev, Message: msg})
	if sev == SeverityError {
		c.errors++
	}
}

// errorf reports an error about n, prefixed with the path of n in the
// document when there is one.
func (c *checker) errorf(n *yaml.Node, path, format string, args ...any) {
	c.report(SeverityError, n, withPath(path, fmt.Sprintf(format, args...)))
}

// warnf reports a warning about n.
func (c *checker) warnf(n *yaml.Node, path, format string, args ...any) {
	c.report(SeverityWarning, n, withPath(path, fmt.Sprintf(format, args...)))
}

func withPath(path, msg string) string {
	if path == "" {
		return msg
	}
	return path + ": " + msg
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// syntaxLine picks the line number out of a yaml.v3 error message.
var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document parses src as exactly one YAML document and returns its root
// node, or nil after reporting why it cannot.
func (c *checker) document(src []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			c.errorf(nil, "", "the file is empty; a policy needs at least \"version: 1\"")
			return nil
		}
		c.syntax(err)
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		c.errorf(&extra, "", "a policy file holds a single YAML document; remove the second one")
	case !errors.Is(err, io.EOF):
		c.syntax(err)
	}
	if len(doc.Content) == 0 {
		c.errorf(nil, "", "the file is empty; a policy needs at least \"version: 1\"")
		return nil
	}
	return doc.Content[0]
}

func (c *checker) syntax(err error) {
	msg := err.Error()
	line := 1
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line = n
		}
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	c.report(SeverityError, &yaml.Node{Line: line, Column: 1}, "YAML syntax: "+msg)
}

// maxAliasHops bounds how far resolve follows aliases.
const maxAliasHops = 32

// resolve follows YAML aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasHops; i++ {
		n = n.Alias
	}
	return n
}

// describe names the kind of value n holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return "a string"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		case "!!null":
			return "nothing (null)"
		}
		return "a value tagged " + n.ShortTag()
	}
	return "an unresolved alias"
}

// isString reports whether n is a scalar that reads as a string. Unquoted
// dates and times count: YAML tags them as timestamps, but their text is
// what the policy wants.
func isString(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	tag := n.ShortTag()
	return tag == "!!str" || tag == "!!timestamp"
}

// entry is one key and value of a mapping.
type entry struct {
	key, value *yaml.Node
}

// entries returns the pairs of the mapping n, reporting keys that are not
// strings or are given twice. ok is false when n is not a mapping.
func (c *checker) entries(n *yaml.Node, path string) (pairs []entry, ok bool) {
	r := resolve(n)
	if r.Kind != yaml.MappingNode {
		c.errorf(n, path, "want a mapping of keys to values, got %s", describe(r))
		return nil, false
	}
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(r.Content); i += 2 {
		k, v := resolve(r.Content[i]), r.Content[i+1]
		if k.ShortTag() == "!!merge" {
			c.errorf(k, path, "YAML merge keys (<<) are not supported; write the keys out")
			continue
		}
		if !isString(k) {
			c.errorf(k, path, "want a word as key, got %s", describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			c.errorf(k, path, "key %q given twice (first on line %d)", k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		pairs = append(pairs, entry{key: k, value: v})
	}
	return pairs, true
}

// keys checks that n is a mapping whose keys are among names and returns
// the value of each key present. Unknown keys are reported with the closest
// known name. It returns nil when n is not a mapping.
func (c *checker) keys(n *yaml.Node, path string, names ...string) map[string]*yaml.Node {
	pairs, ok := c.entries(n, path)
	if !ok {
		return nil
	}
	m := make(map[string]*yaml.Node, len(pairs))
	for _, p := range pairs {
		name := p.key.Value
		if !slices.Contains(names, name) {
			c.errorf(p.key, path, "unknown key %q%s", name, didYouMean(name, names))
			continue
		}
		m[name] = p.value
	}
	return m
}

func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// need reports a missing required key of the mapping n.
func (c *checker) need(m map[string]*yaml.Node, n *yaml.Node, path, key string) bool {
	if m[key] != nil {
		return true
	}
	c.errorf(n, path, "missing %q", key)
	return false
}

// str reads a non-blank string.
func (c *checker) str(n *yaml.Node, path string) (string, bool) {
	r := resolve(n)
	if !isString(r) {
		c.errorf(n, path, "want a string, got %s", describe(r))
		return "", false
	}
	s := strings.TrimSpace(r.Value)
	if s == "" {
		c.errorf(n, path, "must not be empty")
		return "", false
	}
	return s, true
}

// list reads a sequence.
func (c *checker) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	r := resolve(n)
	if r.Kind != yaml.SequenceNode {
		c.errorf(n, path, "want a list, got %s", describe(r))
		return nil, false
	}
	return r.Content, true
}

// strList reads a list of non-blank strings, skipping bad items after
// reporting them.
func (c *checker) strList(n *yaml.Node, path string) []string {
	items, ok := c.list(n, path)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		if s, ok := c.str(item, index(path, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

// patterns reads a matcher: one string or a list of strings.
func (c *checker) patterns(n *yaml.Node, path string) []string {
	if r := resolve(n); r.Kind == yaml.SequenceNode {
		out := c.strList(r, path)
		if len(r.Content) == 0 {
			c.errorf(n, path, "the list is empty, so nothing would match; leave the key out instead")
		}
		return out
	}
	s, ok := c.str(n, path)
	if !ok {
		return nil
	}
	return []string{s}
}
