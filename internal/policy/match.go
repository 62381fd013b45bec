package policy

import (
	"net"
	"strings"
	"unicode/utf8"
)

// glob reports whether s matches pattern, ignoring case. In a pattern, "*"
// stands for any run of characters (including none) and "?" for exactly one;
// every other character stands for itself.
func glob(pattern, s string) bool {
	p, str := []rune(strings.ToLower(pattern)), []rune(strings.ToLower(s))
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(str) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == str[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchAny reports whether value matches one of patterns.
func matchAny(patterns []string, value string) bool {
	for _, p := range patterns {
		if glob(p, value) {
			return true
		}
	}
	return false
}

// idSet is a set of identifiers compared without regard to case or
// surrounding space, as UPNs, object ids and app ids are.
type idSet map[string]struct{}

func newIDSet(ids []string) idSet {
	s := make(idSet, len(ids))
	for _, id := range ids {
		s[normID(id)] = struct{}{}
	}
	return s
}

func normID(id string) string {
	return strings.ToLower(strings.TrimSpace(id))
}

// any reports whether one of ids, ignoring empty ones, is in the set. An
// empty set answers at once, without normalizing the ids.
func (s idSet) any(ids ...string) bool {
	if len(s) == 0 {
		return false
	}
	for _, id := range ids {
		if id = normID(id); id == "" {
			continue
		}
		if _, ok := s[id]; ok {
			return true
		}
	}
	return false
}

// normHost lowercases a host name and drops a trailing dot and a port.
func normHost(host string) string {
	host = strings.TrimSpace(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// underDomain reports whether host is domain or one of its subdomains.
// Both must already be normalized.
func underDomain(host, domain string) bool {
	if host == domain {
		return true
	}
	return strings.HasSuffix(host, domain) && strings.HasSuffix(host[:len(host)-len(domain)], ".")
}

// checkDomain says what is wrong with a domain name as written in the
// policy, or returns "" when it is a plain DNS name.
func checkDomain(d string) string {
	switch {
	case strings.Contains(d, "://") || strings.ContainsAny(d, "/?#@"):
		return "want a bare domain name such as contoso.com, not a URL"
	case strings.HasPrefix(d, "*."):
		return "leave out the \"*.\": a domain already covers all of its subdomains"
	case !utf8.ValidString(d) || strings.IndexFunc(d, func(r rune) bool { return r > 127 }) >= 0:
		return "write internationalized names in their ASCII (xn--) form"
	case len(d) > 253:
		return "a domain name has at most 253 characters"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "want a domain name with at least two labels, such as contoso.com"
	}
	for _, l := range labels {
		if !validLabel(l) {
			return "each label of a domain name has 1 to 63 letters, digits or hyphens and neither starts nor ends with a hyphen"
		}
	}
	return ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// suggest returns the candidate closest to word when it is close enough to
// be a likely typo, or "".
func suggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(w, c)
		if len(c) >= 3 && strings.HasPrefix(w, c) {
			d = min(d, 1)
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(1, len([]rune(best))/3) {
		return ""
	}
	return best
}

// distance is the edit distance between a and b, in runes, counting an
// insertion, a deletion, a substitution or a swap of two neighbours as one
// edit (the optimal string alignment distance).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur, prev, older := rows[i%3], rows[(i+2)%3], rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], older[j-2]+1)
			}
		}
	}
	return rows[len(ra)%3][len(rb)]
}
