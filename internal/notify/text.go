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

// fit writes s with each rune escaped by esc (nil: as it is), cut so that
// the result is at most limit UTF-16 code units, the measure of Slack and
// of JavaScript strings. When s must be cut, the result ends in a space
// and marker, also counted; it never cuts inside a character or inside an
// escape. It reports whether it cut.
func fit(s string, limit int, esc func(rune) string, marker string) (string, bool) {
	escape := func(r rune) string {
		if esc == nil {
			return string(r)
		}
		return esc(r)
	}
	total := 0
	for _, r := range s {
		total += units(escape(r))
	}
	budget := limit
	if total > limit {
		budget = limit - units(marker) - 1
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := escape(r)
		if n+units(piece) > budget {
			break
		}
		b.WriteString(piece)
		n += units(piece)
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
