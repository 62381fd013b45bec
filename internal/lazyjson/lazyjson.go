// Package lazyjson parses JSON the way log decoding needs it: it checks the
// whole text, but builds values only for what is read. Parsing a document
// lists the members of the top-level object (or the elements of the
// top-level array); a nested object or array is only scanned, and its
// members are listed the first time it is read. Strings are unescaped
// when read, into the parser's buffers. A record of a hundred fields of
// which a dozen are read is thus checked in one pass over its bytes and
// costs a dozen values.
//
// The API follows github.com/valyala/fastjson, which the decoders used
// before: a Parser, reused record after record, returns Values that stay
// valid until its next Parse, and which read the parsed bytes in place, so
// the caller must not change them meanwhile. A Parser must not be used by
// several goroutines at once.
package lazyjson

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Type is the type of a JSON value.
type Type uint8

// The types of JSON values.
const (
	TypeNull Type = iota
	TypeObject
	TypeArray
	TypeString
	TypeNumber
	TypeTrue
	TypeFalse
)

// String returns the type's name.
func (t Type) String() string {
	return [...]string{"null", "object", "array", "string", "number", "true", "false"}[t]
}

// MaxDepth is how deeply values may nest.
const MaxDepth = 300

// Value is a JSON value.
type Value struct {
	p *Parser
	// raw holds the value as written; for a string, what is between the
	// quotes.
	raw []byte
	t   Type
	// listed is set once the members or elements of a container are in
	// p.members or p.elems, from first.
	listed bool
	first  int32
	n      int32
}

// member is one member of an object.
type member struct {
	key []byte // unescaped
	v   *Value
}

var (
	valueNull  = &Value{t: TypeNull, raw: []byte("null")}
	valueTrue  = &Value{t: TypeTrue, raw: []byte("true")}
	valueFalse = &Value{t: TypeFalse, raw: []byte("false")}
)

// valueChunk is how many values a Parser allocates at once. Values are
// allocated in chunks so that pointers to them stay valid as more are
// made.
const valueChunk = 256

// textChunk is the size of the buffers strings are unescaped into.
const textChunk = 4 << 10

// Parser parses JSON text. The zero value is ready to use.
type Parser struct {
	chunks  [][valueChunk]Value
	nv      int // values used in the chunks
	members []member
	elems   []*Value
	// The members and elements of the containers being listed; a
	// container's are moved to members or elems when it closes, so that
	// they are contiguous there.
	mstack  []member
	estack  []*Value
	text    [][]byte // unescaped strings and keys
	nt      int      // text buffers in use, the last one partly
	strs    strTable // strings returned by Text
	scratch []byte   // for JSON
}

// reset forgets the values of the last parse. They are not cleared:
// newValue sets every field of a value it hands out again, and what they
// point to is the caller's input, which the caller reuses anyway.
func (p *Parser) reset() {
	p.members = p.members[:0]
	p.elems = p.elems[:0]
	p.nv = 0
	for i := range p.nt {
		p.text[i] = p.text[i][:0]
	}
	p.nt = 0
}

func (p *Parser) newValue(t Type, raw []byte) *Value {
	if p.nv == len(p.chunks)*valueChunk {
		p.chunks = append(p.chunks, [valueChunk]Value{})
	}
	v := &p.chunks[p.nv/valueChunk][p.nv%valueChunk]
	p.nv++
	*v = Value{p: p, t: t, raw: raw}
	return v
}

// ParseBytes parses b, which must not change while the values returned are
// used. It returns an error when b is not one JSON value, optionally
// surrounded by white space.
func (p *Parser) ParseBytes(b []byte) (*Value, error) { return p.parse(b, listLevels) }

// ParseWrapper parses b as ParseBytes does, listing two more levels of
// containers: the records of a wrapper of records ({"records":[...]})
// are then listed as ParseBytes lists a record, in the same pass, rather
// than only checked and gone over again when read.
func (p *Parser) ParseWrapper(b []byte) (*Value, error) { return p.parse(b, listLevels+2) }

func (p *Parser) parse(b []byte, levels int) (*Value, error) {
	p.reset()
	i := skipWS(b, 0)
	if i == len(b) {
		return nil, errors.New("cannot parse empty string")
	}
	v, end, err := p.value(b, i, 0, levels)
	if err != nil {
		return nil, err
	}
	if end = skipWS(b, end); end < len(b) {
		return nil, fmt.Errorf("unexpected tail: %q", preview(b[end:]))
	}
	return v, nil
}

// Parse parses s; see ParseBytes.
func (p *Parser) Parse(s string) (*Value, error) { return p.ParseBytes([]byte(s)) }

func preview(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}

// listLevels is how many levels of containers Parse lists: the top-level
// value and the containers it holds. Records often keep their fields one
// level down (the properties of a diagnostic record), and listing those
// as they are checked costs less than checking them and then listing
// them when they are read.
const listLevels = 2

// value parses the value starting at b[i], which is not white space. The
// members or elements of containers are listed down to list levels;
// deeper ones are only checked.
func (p *Parser) value(b []byte, i, depth, list int) (*Value, int, error) {
	switch c := b[i]; c {
	case '{', '[':
		if list == 0 {
			end, err := skipContainer(b, i, depth)
			if err != nil {
				return nil, end, err
			}
			t := TypeObject
			if c == '[' {
				t = TypeArray
			}
			return p.newValue(t, b[i:end]), end, nil
		}
		if c == '{' {
			return p.object(b, i, depth, list)
		}
		return p.array(b, i, depth, list)
	case '"':
		end, err := skipString(b, i+1)
		if err != nil {
			return nil, end, err
		}
		return p.newValue(TypeString, b[i+1:end-1]), end, nil
	case 't', 'f', 'n':
		v, end := literal(b, i)
		if v == nil {
			if end > i { // NaN
				return p.newValue(TypeNumber, b[i:end]), end, nil
			}
			return nil, i, fmt.Errorf("unexpected value found: %q", preview(b[i:]))
		}
		return v, end, nil
	}
	end, err := number(b, i)
	if err != nil {
		return nil, end, err
	}
	return p.newValue(TypeNumber, b[i:end]), end, nil
}

// object lists the members of the object starting at b[i], and the
// containers among them down to list levels.
func (p *Parser) object(b []byte, i, depth, list int) (*Value, int, error) {
	if depth++; depth > MaxDepth {
		return nil, i, errTooDeep
	}
	start := i
	base := len(p.mstack)
	defer p.popMembers(base)
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return p.listed(TypeObject, b[start:i+1], len(p.members), 0), i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, i, errors.New(`cannot find opening '"' for object key`)
		}
		end, esc, err := skipName(b, i+1)
		if err != nil {
			return nil, end, fmt.Errorf("cannot parse object key: %w", err)
		}
		key := b[i+1 : end-1]
		if esc {
			key = p.unescape(key)
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, i, errors.New("missing ':' after object key")
		}
		if i = skipWS(b, i+1); i >= len(b) {
			return nil, i, errors.New("missing object value")
		}
		v, end2, err := p.value(b, i, depth, list-1)
		if err != nil {
			return nil, end2, err
		}
		p.mstack = append(p.mstack, member{key: key, v: v})
		if i = skipWS(b, end2); i >= len(b) {
			return nil, i, errors.New("unexpected end of object")
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
			continue
		case '}':
			first := len(p.members)
			p.members = append(p.members, p.mstack[base:]...)
			return p.listed(TypeObject, b[start:i+1], first, len(p.members)-first), i + 1, nil
		}
		return nil, i, errors.New("missing ',' after object value")
	}
}

// array lists the elements of the array starting at b[i], and the
// containers among them down to list levels.
func (p *Parser) array(b []byte, i, depth, list int) (*Value, int, error) {
	if depth++; depth > MaxDepth {
		return nil, i, errTooDeep
	}
	start := i
	base := len(p.estack)
	defer p.popElems(base)
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return p.listed(TypeArray, b[start:i+1], len(p.elems), 0), i + 1, nil
	}
	for {
		if i >= len(b) {
			return nil, i, errors.New("unexpected end of array")
		}
		v, end, err := p.value(b, i, depth, list-1)
		if err != nil {
			return nil, end, err
		}
		p.estack = append(p.estack, v)
		if i = skipWS(b, end); i >= len(b) {
			return nil, i, errors.New("unexpected end of array")
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
			continue
		case ']':
			first := len(p.elems)
			p.elems = append(p.elems, p.estack[base:]...)
			return p.listed(TypeArray, b[start:i+1], first, len(p.elems)-first), i + 1, nil
		}
		return nil, i, errors.New("missing ',' after array value")
	}
}

// popMembers and popElems drop what a container put on the stacks. Like
// reset, they leave the entries to be overwritten.
func (p *Parser) popMembers(base int) { p.mstack = p.mstack[:base] }

func (p *Parser) popElems(base int) { p.estack = p.estack[:base] }

func (p *Parser) listed(t Type, raw []byte, first, n int) *Value {
	v := p.newValue(t, raw)
	v.listed, v.first, v.n = true, int32(first), int32(n)
	return v
}

// list lists the members or elements of a container that was only
// checked. Its text was checked, so listing it cannot fail.
func (v *Value) list() {
	if v.listed {
		return
	}
	var w *Value
	if v.t == TypeObject {
		w, _, _ = v.p.object(v.raw, 0, 0, 1)
	} else {
		w, _, _ = v.p.array(v.raw, 0, 0, 1)
	}
	if w == nil { // cannot happen: the text was checked
		v.listed = true
		return
	}
	v.listed, v.first, v.n = true, w.first, w.n
}

var errTooDeep = fmt.Errorf("too big depth for the nested JSON; it exceeds %d", MaxDepth)

// skipWS returns the index of the first byte at or after i that is not
// white space. JSON Lines records have little white space, so the first
// byte is checked before looping.
func skipWS(b []byte, i int) int {
	if i < len(b) && b[i] > ' ' {
		return i
	}
	return skipSpaces(b, i)
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\n', '\t', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the closing quote of the string
// whose contents start at b[i]. The first sixteen bytes are scanned a word
// at a time, which short strings such as names and codes end in; longer
// strings are searched.
func skipString(b []byte, i int) (int, error) {
	for {
		j := quoteAt(b, i)
		if j < 0 {
			return len(b), errors.New(`missing closing '"'`)
		}
		if j == i || b[j-1] != '\\' {
			return j + 1, nil
		}
		k := j - 1
		for k > i && b[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1, nil
		}
		i = j + 1
	}
}

// quoteAt returns the index of the first '"' at or after i, or -1.
func quoteAt(b []byte, i int) int {
	for n := 0; n < 2 && i+8 <= len(b); n++ {
		if m := hasByte(binary.LittleEndian.Uint64(b[i:]), '"'); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	if n := bytes.IndexByte(b[i:], '"'); n >= 0 {
		return i + n
	}
	return -1
}

// skipName returns the index after the closing quote of the member name
// whose contents start at b[i], and whether it holds a backslash. Names
// are short, so they are scanned eight bytes at a time rather than with a
// search, whose setup costs more than such a name.
func skipName(b []byte, i int) (int, bool, error) {
	j := i
	for ; j+8 <= len(b); j += 8 {
		w := binary.LittleEndian.Uint64(b[j:])
		if m := hasByte(w, '"') | hasByte(w, '\\'); m != 0 {
			// The lowest bit set marks the first match.
			j += bits.TrailingZeros64(m) / 8
			break
		}
	}
	for ; j < len(b); j++ {
		switch b[j] {
		case '"':
			return j + 1, false, nil
		case '\\':
			end, err := skipString(b, j)
			return end, true, err
		}
	}
	return len(b), false, errors.New(`missing closing '"'`)
}

// hasByte returns a word with the high bit of each byte of w that equals c
// set (and maybe of bytes after it); it is zero when no byte equals c.
func hasByte(w uint64, c byte) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := w ^ (ones * uint64(c))
	return (x - ones) &^ x & highs
}

// literal reads true, false or null at b[i]. For a number written NaN it
// returns nil and the end of the number; for anything else, nil and i.
func literal(b []byte, i int) (*Value, int) {
	for _, l := range [...]*Value{valueTrue, valueFalse, valueNull} {
		if bytes.HasPrefix(b[i:], l.raw) {
			return l, i + len(l.raw)
		}
	}
	if len(b)-i >= 3 && bytes.EqualFold(b[i:i+3], []byte("nan")) {
		return nil, i + 3
	}
	return nil, i
}

// number returns the end of the number starting at b[i], as loosely as
// fastjson reads numbers: digits, signs, points and exponents, or Inf and
// NaN after an optional sign.
func number(b []byte, i int) (int, error) {
	start := i
	for ; i < len(b); i++ {
		c := b[i]
		if c >= '0' && c <= '9' || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+' {
			continue
		}
		if i == start || i == start+1 && (b[start] == '-' || b[start] == '+') {
			if len(b)-i >= 3 && (bytes.EqualFold(b[i:i+3], []byte("inf")) || bytes.EqualFold(b[i:i+3], []byte("nan"))) {
				return i + 3, nil
			}
			return i, fmt.Errorf("cannot parse number: unexpected char: %q", b[i:i+1])
		}
		return i, nil
	}
	return i, nil
}

// skipContainer checks the object or array starting at b[i] and returns
// the index after it, without making values.
func skipContainer(b []byte, i, depth int) (int, error) {
	// objs records, one bit per nesting level, whether the container is
	// an object.
	var objs [MaxDepth/64 + 1]uint64
	isObj := func(level int) bool { return objs[level/64]&(1<<(level%64)) != 0 }
	level := 0
	for {
		// A value starts at b[i].
		switch c := b[i]; c {
		case '{', '[':
			if depth+level+1 > MaxDepth {
				return i, errTooDeep
			}
			level++
			if c == '{' {
				objs[level/64] |= 1 << (level % 64)
			} else {
				objs[level/64] &^= 1 << (level % 64)
			}
			i = skipWS(b, i+1)
			if i >= len(b) {
				return i, errors.New("unexpected end of input")
			}
			if b[i] == '}' && c == '{' || b[i] == ']' && c == '[' {
				level--
				i++
				break
			}
			if c == '{' {
				var err error
				if i, err = skipKey(b, i); err != nil {
					return i, err
				}
			}
			continue
		case '"':
			end, err := skipString(b, i+1)
			if err != nil {
				return end, err
			}
			i = end
		case 't', 'f', 'n':
			v, end := literal(b, i)
			if v == nil && end == i {
				return i, fmt.Errorf("unexpected value found: %q", preview(b[i:]))
			}
			i = end
		default:
			end, err := number(b, i)
			if err != nil {
				return end, err
			}
			i = end
		}
		// After a value: close containers, or go on to the next value.
		for {
			if level == 0 {
				return i, nil
			}
			if i = skipWS(b, i); i >= len(b) {
				return i, errors.New("unexpected end of input")
			}
			c := b[i]
			switch {
			case c == ',':
				i = skipWS(b, i+1)
				if isObj(level) {
					var err error
					if i, err = skipKey(b, i); err != nil {
						return i, err
					}
				} else if i >= len(b) {
					return i, errors.New("unexpected end of array")
				}
			case c == '}' && isObj(level), c == ']' && !isObj(level):
				level--
				i++
				continue
			case isObj(level):
				return i, errors.New("missing ',' after object value")
			default:
				return i, errors.New("missing ',' after array value")
			}
			break
		}
	}
}

// skipKey checks a member name and its colon at b[i] and returns where the
// value starts.
func skipKey(b []byte, i int) (int, error) {
	if i >= len(b) || b[i] != '"' {
		return i, errors.New(`cannot find opening '"' for object key`)
	}
	end, _, err := skipName(b, i+1)
	if err != nil {
		return end, err
	}
	i = skipWS(b, end)
	if i >= len(b) || b[i] != ':' {
		return i, errors.New("missing ':' after object key")
	}
	if i = skipWS(b, i+1); i >= len(b) {
		return i, errors.New("missing object value")
	}
	return i, nil
}

// unescape returns s with its escapes replaced, in the parser's buffers.
// Escapes that are not valid are kept as written, as fastjson does.
func (p *Parser) unescape(s []byte) []byte {
	buf := p.textBuf(len(s))
	start := len(buf)
	for len(s) > 0 {
		n := bytes.IndexByte(s, '\\')
		if n < 0 {
			buf = append(buf, s...)
			break
		}
		buf = append(buf, s[:n]...)
		s = s[n+1:]
		if len(s) == 0 {
			buf = append(buf, '\\')
			break
		}
		c := s[0]
		s = s[1:]
		switch c {
		case '"', '\\', '/':
			buf = append(buf, c)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			var r rune
			r, s, buf = unescapeRune(s, buf)
			if r >= 0 {
				buf = utf8.AppendRune(buf, r)
			}
		default:
			buf = append(buf, '\\', c)
		}
	}
	p.text[p.nt-1] = buf
	return buf[start:len(buf):len(buf)]
}

// unescapeRune reads the hex digits of a \u escape (and of the low
// surrogate that may follow), returning the rune and the rest of s. An
// escape that is not valid is written to buf as it is, and the rune
// returned is -1.
func unescapeRune(s, buf []byte) (rune, []byte, []byte) {
	if len(s) < 4 {
		return -1, s, append(buf, `\u`...)
	}
	x, err := strconv.ParseUint(string(s[:4]), 16, 16)
	if err != nil {
		return -1, s, append(buf, `\u`...)
	}
	r := rune(x)
	if !utf16.IsSurrogate(r) {
		return r, s[4:], buf
	}
	if len(s) < 10 || s[4] != '\\' || s[5] != 'u' {
		return -1, s[4:], append(append(buf, `\u`...), s[:4]...)
	}
	y, err := strconv.ParseUint(string(s[6:10]), 16, 16)
	if err != nil {
		return -1, s[4:], append(append(buf, `\u`...), s[:4]...)
	}
	return utf16.DecodeRune(r, rune(y)), s[10:], buf
}

// textBuf returns a buffer with room for n more bytes, whose contents
// are not moved by appending up to n bytes.
func (p *Parser) textBuf(n int) []byte {
	if p.nt > 0 {
		if b := p.text[p.nt-1]; cap(b)-len(b) >= n {
			return b
		}
	}
	if p.nt == len(p.text) {
		p.text = append(p.text, make([]byte, 0, max(textChunk, n)))
	} else if cap(p.text[p.nt]) < n {
		p.text[p.nt] = make([]byte, 0, n)
	}
	p.nt++
	return p.text[p.nt-1]
}
