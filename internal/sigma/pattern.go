package sigma

import (
	"bytes"
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

// altOp is how one alternative of a field test compares values.
type altOp uint8

const (
	opEqual altOp = iota + 1
	opPrefix
	opSuffix
	opContains
	opAny // a lone "*": any value, even empty
	opGlob
	opRegex
	opCIDR
	opNumber
	opNull
	opExists
	opFieldRef
	opTime // a number taken from a time: minute, hour, day, week, month or year
)

// alt is one compiled value of a field test. A field test matches when,
// in each of its groups, one alt matches.
type alt struct {
	op     altOp
	lit    []byte    // equal, prefix, suffix, contains; the fieldref comparison
	glob   []globTok // glob
	re     *regexp.Regexp
	prefix netip.Prefix // cidr
	num    float64      // number, time
	cmp    modifier     // number: gt, gte, lt or lte; time: the same, or 0 for equality
	part   modifier     // time: minute, hour, day, week, month or year
	exists bool         // exists
	ref    int32        // fieldref: slot of the other field
	refOp  altOp        // fieldref: equal, prefix, suffix or contains
}

// globTok is one piece of a wildcard pattern: a literal, "?" or "*".
type globTok struct {
	lit  []byte
	one  bool
	many bool
}

// stringAlt builds the cheapest alt that matches the internal-form
// pattern s.
func stringAlt(s string) alt {
	toks := globTokens(s)
	switch {
	case len(toks) == 0:
		return alt{op: opEqual, lit: []byte{}}
	case len(toks) == 1 && toks[0].many:
		return alt{op: opAny}
	case len(toks) == 1 && toks[0].lit != nil:
		return alt{op: opEqual, lit: toks[0].lit}
	case len(toks) == 2 && toks[0].lit != nil && toks[1].many:
		return alt{op: opPrefix, lit: toks[0].lit}
	case len(toks) == 2 && toks[0].many && toks[1].lit != nil:
		return alt{op: opSuffix, lit: toks[1].lit}
	case len(toks) == 3 && toks[0].many && toks[1].lit != nil && toks[2].many:
		return alt{op: opContains, lit: toks[1].lit}
	}
	return alt{op: opGlob, glob: toks}
}

// globTokens splits an internal-form pattern, merging runs of "*".
func globTokens(s string) []globTok {
	var toks []globTok
	for len(s) > 0 {
		i := strings.IndexFunc(s, func(r rune) bool { return r == wildMany || r == wildOne })
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			toks = append(toks, globTok{lit: []byte(s[:i])})
			s = s[i:]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == wildOne:
			toks = append(toks, globTok{one: true})
		case len(toks) == 0 || !toks[len(toks)-1].many:
			toks = append(toks, globTok{many: true})
		}
	}
	return toks
}

// matchBytes applies a string alt to one value.
func (a *alt) matchBytes(v []byte) bool {
	switch a.op {
	case opEqual:
		return bytes.Equal(v, a.lit)
	case opPrefix:
		return bytes.HasPrefix(v, a.lit)
	case opSuffix:
		return bytes.HasSuffix(v, a.lit)
	case opContains:
		return bytes.Contains(v, a.lit)
	case opAny:
		return true
	}
	return matchGlob(v, a.glob)
}

// matchGlob matches s against the tokens, where "?" is one character
// (one UTF-8 sequence) and "*" any run of characters. It backtracks only
// to the latest "*", which is enough for patterns without alternation.
func matchGlob(s []byte, toks []globTok) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for {
		if ti < len(toks) {
			t := &toks[ti]
			switch {
			case t.many && ti == len(toks)-1:
				return true
			case t.many:
				starT, starS = ti, si
				ti++
				continue
			case t.one && si < len(s):
				_, n := utf8.DecodeRune(s[si:])
				si += n
				ti++
				continue
			case t.lit != nil && bytes.HasPrefix(s[si:], t.lit):
				si += len(t.lit)
				ti++
				continue
			}
		} else if si == len(s) {
			return true
		}
		if starT < 0 || starS >= len(s) {
			return false
		}
		_, n := utf8.DecodeRune(s[starS:])
		starS += n
		if next := toks[starT+1:]; len(next) > 0 && next[0].lit != nil {
			k := bytes.Index(s[starS:], next[0].lit)
			if k < 0 {
				return false
			}
			starS += k
		}
		ti, si = starT+1, starS
	}
}

// matchNumber compares a field value, read as a number, with the alt.
func (a *alt) matchNumber(v string) bool {
	f, ok := parseNumber(v)
	return ok && a.compare(f)
}

// matchTime compares the number the alt's time modifier takes from a
// field value with the alt's number.
func (a *alt) matchTime(v string) bool {
	n, ok := timePartOf(a.part, v)
	return ok && a.compare(float64(n))
}

// compare applies the alt's comparison (equality when there is none) to
// f and the alt's number.
func (a *alt) compare(f float64) bool {
	switch a.cmp {
	case 0:
		return f == a.num
	case modGT:
		return f > a.num
	case modGTE:
		return f >= a.num
	case modLT:
		return f < a.num
	}
	return f <= a.num
}

// matchCIDR reports whether v is an IP address inside the prefix.
func (a *alt) matchCIDR(v string) bool {
	if !looksLikeIP(v) {
		return false
	}
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	return a.prefix.Contains(ip.Unmap())
}

// looksLikeIP is a cheap check that spares netip.ParseAddr, which
// allocates its error, from most values that are not addresses.
func looksLikeIP(v string) bool {
	if len(v) < 2 || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isDigit(c) || c == '.' || c == ':' || c == '%' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// matchRef compares v with w, the value of the referenced field.
func (a *alt) matchRef(v, w []byte) bool {
	switch a.refOp {
	case opPrefix:
		return bytes.HasPrefix(v, w)
	case opSuffix:
		return bytes.HasSuffix(v, w)
	case opContains:
		return bytes.Contains(v, w)
	}
	return bytes.Equal(v, w)
}
