package sigma

import (
	"fmt"
	"strings"
)

// condOp is the kind of a node of a parsed detection condition.
type condOp uint8

const (
	condIdent condOp = iota + 1 // a search identifier
	condAnd
	condOr
	condNot
	condOneOf // "1 of pattern" or "1 of them"
	condAllOf // "all of pattern" or "all of them"
)

// maxCondDepth bounds the nesting of parentheses and "not".
const maxCondDepth = 64

// condNode is one node of a parsed condition.
type condNode struct {
	op   condOp
	name string // identifier, or pattern of a quantifier ("them" for all)
	off  int    // byte offset in the condition text
	kids []*condNode
}

// String writes the node back as a fully parenthesized condition.
func (n *condNode) String() string {
	switch n.op {
	case condIdent:
		return n.name
	case condNot:
		return "not " + n.kids[0].String()
	case condOneOf:
		return "1 of " + n.name
	case condAllOf:
		return "all of " + n.name
	}
	sep := " and "
	if n.op == condOr {
		sep = " or "
	}
	parts := make([]string, len(n.kids))
	for i, k := range n.kids {
		parts[i] = k.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}

// condError is a syntax error at a byte offset of the condition text.
type condError struct {
	off int
	msg string
}

// Error formats the problem with its offset.
func (e *condError) Error() string { return fmt.Sprintf("offset %d: %s", e.off, e.msg) }

type token struct {
	text string
	off  int
}

// tokenize splits a condition into words and parentheses.
func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, token{s[i : i+1], i})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()", rune(s[j])) {
				j++
			}
			toks = append(toks, token{s[i:j], i})
			i = j
		}
	}
	return toks
}

type condParser struct {
	toks  []token
	i     int
	depth int
	end   int // length of the text, for errors at its end
}

// parseCondition parses the text of one detection condition.
func parseCondition(s string) (*condNode, error) {
	p := &condParser{toks: tokenize(s), end: len(s)}
	if len(p.toks) == 0 {
		return nil, &condError{0, "empty condition"}
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t, ok := p.peek(); ok {
		return nil, p.unexpected(t)
	}
	return n, nil
}

func (p *condParser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{off: p.end}, false
}

func (p *condParser) peekWord(w string) bool {
	t, ok := p.peek()
	return ok && strings.EqualFold(t.text, w)
}

func (p *condParser) unexpected(t token) error {
	if t.text == "" {
		return &condError{p.end, "condition ends too early"}
	}
	if strings.HasPrefix(t.text, "|") {
		return &condError{t.off, "aggregation expressions are not supported, use a correlation rule"}
	}
	return &condError{t.off, fmt.Sprintf("unexpected %q", t.text)}
}

func (p *condParser) parseOr() (*condNode, error) {
	return p.parseBinary(condOr, "or", p.parseAnd)
}

func (p *condParser) parseAnd() (*condNode, error) {
	return p.parseBinary(condAnd, "and", p.parseNot)
}

// parseBinary parses operands joined by word into one n-ary node.
func (p *condParser) parseBinary(op condOp, word string, operand func() (*condNode, error)) (*condNode, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	if !p.peekWord(word) {
		return first, nil
	}
	n := &condNode{op: op, off: first.off, kids: []*condNode{first}}
	for p.peekWord(word) {
		p.i++
		k, err := operand()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	return n, nil
}

func (p *condParser) parseNot() (*condNode, error) {
	if !p.peekWord("not") {
		return p.parsePrimary()
	}
	t, _ := p.peek()
	p.i++
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer p.leave()
	k, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &condNode{op: condNot, off: t.off, kids: []*condNode{k}}, nil
}

func (p *condParser) enter(t token) error {
	p.depth++
	if p.depth > maxCondDepth {
		return &condError{t.off, "condition nests too deeply"}
	}
	return nil
}

func (p *condParser) leave() { p.depth-- }

func (p *condParser) parsePrimary() (*condNode, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.unexpected(t)
	}
	p.i++
	switch lower := strings.ToLower(t.text); {
	case t.text == "(":
		return p.parseGroup(t)
	case lower == "1" || lower == "all":
		return p.parseQuantifier(t, lower)
	case isReserved(lower) || t.text == ")":
		return nil, p.unexpected(t)
	case strings.ContainsAny(t.text, "|"):
		return nil, p.unexpected(t)
	case strings.Contains(t.text, "*"):
		return nil, &condError{t.off, fmt.Sprintf("identifier pattern %q needs \"1 of\" or \"all of\"", t.text)}
	}
	if p.peekWord("of") {
		return nil, &condError{t.off, fmt.Sprintf("unsupported quantifier %q, only \"1 of\" and \"all of\" are defined", t.text)}
	}
	return &condNode{op: condIdent, name: t.text, off: t.off}, nil
}

func (p *condParser) parseGroup(open token) (*condNode, error) {
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave()
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	t, ok := p.peek()
	if !ok || t.text != ")" {
		if !ok {
			return nil, &condError{open.off, "unclosed parenthesis"}
		}
		return nil, p.unexpected(t)
	}
	p.i++
	return n, nil
}

func (p *condParser) parseQuantifier(q token, lower string) (*condNode, error) {
	if !p.peekWord("of") {
		if lower == "1" {
			return nil, &condError{q.off, "\"1\" must be followed by \"of\""}
		}
		return nil, &condError{q.off, "\"all\" must be followed by \"of\""}
	}
	p.i++
	t, ok := p.peek()
	if !ok || t.text == "(" || t.text == ")" || (isReserved(strings.ToLower(t.text)) && !strings.EqualFold(t.text, "them")) {
		return nil, p.unexpected(t)
	}
	p.i++
	op := condOneOf
	if lower == "all" {
		op = condAllOf
	}
	name := t.text
	if strings.EqualFold(name, "them") {
		name = "them"
	}
	return &condNode{op: op, name: name, off: q.off}, nil
}

func isReserved(w string) bool {
	switch w {
	case "and", "or", "not", "of", "them", "1", "all":
		return true
	}
	return false
}
