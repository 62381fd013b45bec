// Package termtext prepares text from the logs for a terminal: it removes
// what could drive the terminal (escape sequences, bidirectional
// overrides) and measures, clips and pads text in terminal columns, with
// East Asian wide characters taking two.
package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Ellipsis ends clipped text. Its East Asian width is ambiguous; like most
// terminals, we count it as one column.
const Ellipsis = "…"

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

// Width is the number of terminal columns s takes once cleaned.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// Clean makes text from the logs safe to print on a terminal: control
// characters (escape sequences, newlines, tabs) and line or paragraph
// separators become spaces, format characters such as bidirectional
// overrides are dropped, and invalid UTF-8 becomes U+FFFD.
func Clean(s string) string {
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

// Clip shortens s to at most w columns, ending it with an ellipsis when
// something was cut.
func Clip(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	limit := w - Width(Ellipsis)
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > limit {
			return s[:i] + Ellipsis
		}
		n += rw
	}
	return s
}

// Pad clips s to w columns and fills it with spaces to exactly w.
func Pad(s string, w int) string {
	s = Clip(s, w)
	return s + strings.Repeat(" ", max(w-Width(s), 0))
}
