package enrich

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// lureWords are the entries of the reference data's well-known names that
// are ordinary words rather than brands: attackers put them into names
// ("Account Verification") but so do honest apps ("Contoso Backup"). A
// name that is nothing but one of them is still flagged; a longer name
// that merely contains one is not. Every other well-known name counts as a
// brand.
var lureWords = map[string]bool{
	"security": true, "secure": true, "admin": true, "administrator": true,
	"mail": true, "email": true, "mailbox": true, "login": true, "logon": true,
	"sign-in": true, "signin": true, "authenticator": true, "authentication": true,
	"mfa": true, "verify": true, "verification": true, "account": true,
	"support": true, "helpdesk": true, "it department": true, "update": true,
	"backup": true, "compliance": true, "document": true,
}

// minSubstring is the shortest folded brand name looked for inside a
// single word ("microsoftteams"); shorter ones ("teams", "azure") occur
// by chance inside unrelated words, so they must be whole words.
const minSubstring = 7

// maxNameVerdicts bounds the cache of verdicts on application names.
const maxNameVerdicts = 8192

// knownName is a well-known name, folded for comparison.
type knownName struct {
	name   string // as the reference data writes it
	folded string // its folded tokens joined
	brand  bool   // it counts when it is part of a longer name
}

// nameChecker tells whether an application's display name deserves a look:
// because it says nothing (a generic name) or because it imitates a
// well-known one. It caches its verdicts and reuses its scratch space, so
// it must not be used by several goroutines at once.
type nameChecker struct {
	generic map[string]bool // squashed generic names
	known   []knownName
	cache   *fifoMap[string]
	buf     []byte // scratch: the squashed or folded name
	name    folded
	found   []span
}

func newNameChecker(ref *refdata.Data) *nameChecker {
	c := &nameChecker{generic: make(map[string]bool), cache: newFIFOMap[string](maxNameVerdicts)}
	for _, g := range ref.GenericAppNames() {
		c.generic[string(squash(nil, g))] = true
	}
	for _, n := range ref.WellKnownAppNames() {
		f, _ := foldName(nil, nil, n)
		if f.joined == "" {
			continue
		}
		c.known = append(c.known, knownName{name: n, folded: f.joined, brand: !lureWords[strings.ToLower(n)]})
	}
	return c
}

// check returns why name deserves a look ("generic name", "looks like
// Microsoft Teams"), or "" when it does not. It does not know whether the
// app is first-party; callers check that first.
func (c *nameChecker) check(name string) string {
	if v, ok := c.cache.get(name); ok {
		return v
	}
	v := c.verdict(name)
	c.cache.put(name, v)
	return v
}

func (c *nameChecker) verdict(name string) string {
	if strings.TrimSpace(name) == "" || uricheck.IsGUID(strings.TrimSpace(name)) {
		return ""
	}
	c.buf = squash(c.buf[:0], name)
	if c.generic[string(c.buf)] {
		return "generic name"
	}
	c.name, c.buf = foldName(c.buf, c.name.starts, name)
	if c.name.joined == "" {
		return ""
	}
	if k, ok := c.closest(c.name.joined); ok {
		return "looks like " + k.name
	}
	if imitated := c.brands(&c.name); len(imitated) > 0 {
		return "looks like " + strings.Join(imitated, " ")
	}
	return ""
}

// closest returns the well-known name nearest to the whole folded name,
// if one is near enough.
func (c *nameChecker) closest(joined string) (knownName, bool) {
	best, bestDist := knownName{}, -1
	for _, k := range c.known {
		if d := distance(joined, k.folded, allowedEdits(len(k.folded))); d >= 0 && (bestDist < 0 || d < bestDist) {
			best, bestDist = k, d
		}
	}
	return best, bestDist >= 0
}

// span is where a brand was found among a name's tokens: tokens[start:end].
type span struct {
	start, end int
	name       string
}

// brands returns the brands found in the name, in the order they appear,
// leaving out those found inside a longer match ("Office" inside "Office
// 365").
func (c *nameChecker) brands(f *folded) []string {
	found := c.found[:0]
	for _, k := range c.known {
		if k.brand {
			found = findBrand(found, f, k)
		}
	}
	c.found = found
	if len(found) == 0 {
		return nil
	}
	slices.SortStableFunc(found, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return (b.end - b.start) - (a.end - a.start)
	})
	var out []string
	for i, s := range found {
		if !covered(found, i) && !slices.Contains(out, s.name) {
			out = append(out, s.name)
		}
	}
	return out
}

// covered reports whether found[i] lies within another, longer match.
func covered(found []span, i int) bool {
	s := found[i]
	for j, o := range found {
		if j != i && o.start <= s.start && s.end <= o.end && (o.end-o.start > s.end-s.start || len(o.name) > len(s.name)) {
			return true
		}
	}
	return false
}

// findBrand appends to out where k is found in the name: as a run of whole
// tokens within the allowed edit distance, or, for long brands, inside the
// joined name.
func findBrand(out []span, f *folded, k knownName) []span {
	n := len(out)
	allowed := allowedEdits(len(k.folded))
	for i := range f.tokens() {
		for j := i; j < f.tokens(); j++ {
			run := f.run(i, j+1)
			if len(run) > len(k.folded)+allowed {
				break
			}
			if distance(run, k.folded, allowed) >= 0 {
				out = append(out, span{i, j + 1, k.name})
			}
		}
	}
	if len(out) > n || len(k.folded) < minSubstring {
		return out
	}
	if at := strings.Index(f.joined, k.folded); at >= 0 {
		start, end := f.tokenSpan(at, at+len(k.folded))
		out = append(out, span{start, end, k.name})
	}
	return out
}

// folded is a name split into folded tokens (see foldName): joined holds
// them one after another, and token i is joined[starts[i]:starts[i+1]].
type folded struct {
	joined string
	starts []int
}

func (f *folded) tokens() int { return max(len(f.starts)-1, 0) }

// run returns tokens i to j-1, joined.
func (f *folded) run(i, j int) string { return f.joined[f.starts[i]:f.starts[j]] }

// tokenSpan returns the tokens that hold the bytes joined[from:to].
func (f *folded) tokenSpan(from, to int) (start, end int) {
	for i := range f.tokens() {
		if f.starts[i] <= from && from < f.starts[i+1] {
			start = i
		}
		if f.starts[i] < to && to <= f.starts[i+1] {
			end = i + 1
		}
	}
	return start, end
}

// allowedEdits is how many edits a name of n bytes may differ by and still
// count as an imitation: none for very short names, where any edit gives
// an unrelated word ("aad", "app"), up to two for long ones.
func allowedEdits(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// squash appends s to dst lower-cased, with only its letters and digits,
// the form in which generic names are compared.
func squash(dst []byte, s string) []byte {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// leet maps the digits that stand in for letters in look-alike names.
func leet(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1':
		return 'l'
	case '3':
		return 'e'
	case '4':
		return 'a'
	case '5':
		return 's'
	case '7':
		return 't'
	}
	return r
}

// foldName splits name into lower-case words at spaces, punctuation and
// camel-case humps, replaces look-alike digits by letters and "rn" by "m".
// Both the names checked and the well-known names are folded this way.
// buf and starts are scratch space, returned for reuse.
func foldName(buf []byte, starts []int, name string) (folded, []byte) {
	b := buf[:0]
	starts = append(starts[:0], 0)
	tok := 0 // where the current token starts in b
	flush := func() {
		if len(b) > tok {
			b = replaceRN(b, tok)
			tok = len(b)
			starts = append(starts, tok)
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				flush()
			}
			b = utf8.AppendRune(b, unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = leet(r)
			b = utf8.AppendRune(b, r)
			prevLower = unicode.IsLower(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	if len(starts) == 1 {
		starts = starts[:0]
	}
	return folded{joined: string(b), starts: starts}, b
}

// replaceRN replaces "rn" by "m" in b[from:], in place.
func replaceRN(b []byte, from int) []byte {
	w := from
	for r := from; r < len(b); r++ {
		if b[r] == 'r' && r+1 < len(b) && b[r+1] == 'n' {
			b[w] = 'm'
			r++
		} else {
			b[w] = b[r]
		}
		w++
	}
	return b[:w]
}

// maxStackRow is the longest second string distance compares without
// allocating its rows.
const maxStackRow = 64

// distance returns the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours, counted
// in bytes), or -1 when it exceeds max.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return -1
	}
	if a == b {
		return 0
	}
	var stack [3 * (maxStackRow + 1)]int
	var rows []int
	if n := len(b) + 1; n <= maxStackRow+1 {
		rows = stack[:3*n]
	} else {
		rows = make([]int, 3*n)
	}
	n := len(b) + 1
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return -1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(b)] > max {
		return -1
	}
	return prev[len(b)]
}
