package sigma

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Inside the engine a Sigma string value is a Go string in which the
// wildcards are replaced by two Unicode noncharacters, so that escapes
// are resolved once and later steps (folding, lower-casing, windash)
// can work on plain strings without touching the wildcards.
const (
	wildMany = '\uFDD0' // "*"
	wildOne  = '\uFDD1' // "?"
)

// maxVariants bounds how many alternatives one rule value may expand to
// through placeholders, windash and base64offset.
const maxVariants = 4096

// windashChars are the characters the windash modifier interchanges.
var windashChars = []rune{'-', '/', '\u2013', '\u2014', '\u2015'}

// unescape converts the text of a rule value into the internal form:
// "*" and "?" become wildcards, "\*", "\?" and "\\" stand for the plain
// character, and any other backslash is kept as written.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`*?\`, s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i++
		case c == '*':
			b.WriteRune(wildMany)
		case c == '?':
			b.WriteRune(wildOne)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// hasReserved reports whether s holds one of the runes used internally
// for wildcards.
func hasReserved(s string) bool {
	return strings.ContainsRune(s, wildMany) || strings.ContainsRune(s, wildOne)
}

// expandPlaceholders replaces every %name% in s with each value the
// resolver gives for name, producing the cross product. A backslash
// before "%" keeps it as a plain character. Placeholder values follow
// the usual wildcard rules. The result may hold at most limit bytes.
func expandPlaceholders(s string, resolve func(string) ([]string, bool), limit int) ([]string, string) {
	out := []string{""}
	lit := strings.Builder{}
	flushLit := func() {
		u := unescape(lit.String())
		for i := range out {
			out[i] += u
		}
		lit.Reset()
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '%':
				lit.WriteByte('%')
				i++
				continue
			case '*', '?', '\\':
				lit.WriteString(s[i : i+2])
				i++
				continue
			}
		}
		end := strings.IndexByte(s[i+1:], '%')
		if c != '%' || end <= 0 || !isPlaceholderName(s[i+1:i+1+end]) {
			lit.WriteByte(c)
			continue
		}
		flushLit()
		name := s[i+1 : i+1+end]
		vals, ok := resolve(name)
		if !ok {
			return nil, "unknown placeholder %" + name + "%"
		}
		if len(out)*len(vals) > maxVariants {
			return nil, "placeholder %" + name + "% expands to too many values"
		}
		if totalLen(out)*len(vals)+len(out)*totalLen(vals) > limit {
			return nil, budgetMsg
		}
		next := make([]string, 0, len(out)*len(vals))
		for _, o := range out {
			for _, v := range vals {
				next = append(next, o+unescape(v))
			}
		}
		out = next
		i += end + 1
	}
	flushLit()
	return out, ""
}

func isPlaceholderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// withPosition adds the wildcards of contains, startswith or endswith.
func withPosition(s string, m modifier) string {
	many := string(wildMany)
	if (m == modContains || m == modEndsWith) && !strings.HasPrefix(s, many) {
		s = many + s
	}
	if (m == modContains || m == modStartsWith) && !strings.HasSuffix(s, many) {
		s += many
	}
	return s
}

// windash returns every variant of s with each dash-like character
// replaced by each of windashChars. The variants may hold at most limit
// bytes, which is checked before any is built.
func windash(s string, limit int) ([]string, string) {
	var segments []string
	last := 0
	for i, r := range s {
		if slices.Contains(windashChars, r) {
			segments = append(segments, s[last:i])
			last = i + utf8.RuneLen(r)
		}
	}
	segments = append(segments, s[last:])
	total := 1
	for range segments[1:] {
		if total *= len(windashChars); total > maxVariants {
			return nil, "windash gives too many variants"
		}
	}
	if total*(len(s)+2*(len(segments)-1)) > limit {
		return nil, budgetMsg
	}
	out := []string{segments[0]}
	for _, seg := range segments[1:] {
		next := make([]string, 0, len(out)*len(windashChars))
		for _, o := range out {
			for _, d := range windashChars {
				next = append(next, o+string(d)+seg)
			}
		}
		out = next
	}
	return out, ""
}

// encodeUTF16 returns the UTF-16 bytes of s as a string.
func encodeUTF16(s string, m modifier) string {
	var b []byte
	if m == modUTF16 {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if m == modUTF16BE {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// base64Offsets returns the three encodings of s that appear inside a
// longer base64 text, one per byte alignment, with the characters that
// depend on the unknown neighbouring bytes cut off.
func base64Offsets(s string) []string {
	starts := [3]int{0, 2, 3}
	ends := [3]int{0, 3, 2} // characters to drop at the end
	out := make([]string, 0, 3)
	for i := 0; i < 3; i++ {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", i) + s))
		end := len(enc) - ends[(len(s)+i)%3]
		if starts[i] >= end {
			continue
		}
		out = append(out, enc[starts[i]:end])
	}
	return out
}

// parseNumber parses a decimal number without allocating on bad input:
// an optional sign, digits with an optional fraction, and an optional
// exponent.
func parseNumber(s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := i
		for ; i < len(s) && isDigit(s[i]); i++ {
		}
		if i == exp {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// appendLower appends s lower-cased rune by rune to dst. Bytes that are
// not valid UTF-8 are copied unchanged.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += n
	}
	return dst
}
