package notify

import (
	"strings"
	"unicode/utf8"
)

// clip returns s cut to at most n runes, the last of them "…" when it was
// cut. It never cuts inside a character.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	i, k := 0, 0
	for k < n-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		k++
	}
	return s[:i] + "…"
}

// fit writes s with the runes esc escapes (it returns "" for the others;
// nil escapes nothing) replaced, cut so that the result is at most limit
// UTF-16 code units, the measure of Slack and of JavaScript strings. When
// s must be cut, the result ends in a space and marker, also counted; it
// never cuts inside a character or inside an escape. It reports whether it
// cut.
func fit(s string, limit int, esc func(rune) string, marker string) (string, bool) {
	size := func(r rune) (string, int) {
		if esc != nil {
			if e := esc(r); e != "" {
				return e, units(e)
			}
		}
		if r >= 0x10000 {
			return "", 2
		}
		return "", 1
	}
	total := 0
	for _, r := range s {
		_, n := size(r)
		total += n
	}
	budget := limit
	if total > limit {
		budget = limit - units(marker) - 1
	}
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for _, r := range s {
		e, k := size(r)
		if n+k > budget {
			break
		}
		if e != "" {
			b.WriteString(e)
		} else {
			b.WriteRune(r)
		}
		n += k
	}
	if total <= limit {
		return b.String(), false
	}
	return strings.TrimRight(b.String(), " \n") + " " + marker, true
}

// units counts the UTF-16 code units of s.
func units(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
