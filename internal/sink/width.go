package sink

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// ellipsis ends clipped text. Its East Asian width is ambiguous; like most
// terminals, we count it as one column.
const ellipsis = "…"

// runeWidth is the number of terminal columns r takes: two for East Asian
// wide and fullwidth characters, none for combining marks and format
// characters, one otherwise.
func runeWidth(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// textWidth is the number of terminal columns s takes once cleaned.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// clean makes text from the logs safe to print on a terminal: control
// characters (escape sequences, newlines, tabs) and line or paragraph
// separators become spaces, format characters such as bidirectional
// overrides are dropped, and invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.In(r, unicode.Zl, unicode.Zp):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}

// clip shortens s to at most w columns, ending it with an ellipsis when
// something was cut.
func clip(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	limit := w - textWidth(ellipsis)
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > limit {
			return s[:i] + ellipsis
		}
		n += rw
	}
	return s
}

// pad clips s to w columns and fills it with spaces to exactly w.
func pad(s string, w int) string {
	s = clip(s, w)
	return s + strings.Repeat(" ", max(w-textWidth(s), 0))
}
