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

// Ellipsis ends clipped text. It is ASCII because the horizontal ellipsis
// (U+2026) has an ambiguous East Asian width: Chinese and Japanese
// terminals draw it in two columns, others in one, and a table clipped
// with it would not line up on both.
const Ellipsis = "..."

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
// something was cut and w leaves room for it after some text.
func Clip(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	limit := w - Width(Ellipsis)
	if limit < 1 {
		return clipBare(s, w)
	}
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > limit && i == 0 {
			return clipBare(s, w)
		}
		if n+rw > limit {
			return s[:i] + Ellipsis
		}
		n += rw
	}
	return s
}

// clipBare returns the longest start of s that fits in w columns.
func clipBare(s string, w int) string {
	n := 0
	for i, r := range s {
		if n+runeWidth(r) > w {
			return s[:i]
		}
		n += runeWidth(r)
	}
	return s
}

// Pad clips s to w columns and fills it with spaces to exactly w.
func Pad(s string, w int) string {
	s = Clip(s, w)
	return s + strings.Repeat(" ", max(w-Width(s), 0))
}

// Wrap breaks s into lines of at most w columns. Lines break at spaces,
// which they lose, and between East Asian wide characters, which are
// written without spaces; a word wider than w is split where it reaches
// w. Wrap returns no line for blank text, and lines of one column each
// when w is less than 1.
func Wrap(s string, w int) []string {
	w = max(w, 1)
	var lines []string
	var line strings.Builder
	lineW := 0
	flush := func() {
		if line.Len() > 0 {
			lines = append(lines, line.String())
		}
		line.Reset()
		lineW = 0
	}
	for _, word := range strings.Fields(s) {
		for _, unit := range units(word) {
			uw := Width(unit.text)
			sep := 0
			if line.Len() > 0 && unit.spaced {
				sep = 1
			}
			if lineW+sep+uw > w {
				flush()
				sep = 0
			}
			for uw > w { // a unit wider than a line: split it
				head := prefix(unit.text, w)
				if head == "" { // a wide character in a one-column line
					_, size := utf8.DecodeRuneInString(unit.text)
					head = unit.text[:size]
				}
				lines = append(lines, head)
				unit.text = unit.text[len(head):]
				uw = Width(unit.text)
			}
			if unit.text == "" {
				continue
			}
			if sep > 0 {
				line.WriteByte(' ')
			}
			line.WriteString(unit.text)
			lineW += sep + uw
		}
	}
	flush()
	return lines
}

// prefix returns the longest start of s at most w columns wide.
func prefix(s string, w int) string {
	n := 0
	for i, r := range s {
		if n+runeWidth(r) > w {
			return s[:i]
		}
		n += runeWidth(r)
	}
	return s
}

// unit is a piece of a word that a line may end after; spaced says it
// follows a space rather than a wide character.
type unit struct {
	text   string
	spaced bool
}

// units splits a word (text without spaces) where a line may break: before
// and after each East Asian wide character.
func units(word string) []unit {
	var out []unit
	start, spaced := 0, true
	for i, r := range word {
		if runeWidth(r) < 2 {
			continue
		}
		if i > start {
			out = append(out, unit{word[start:i], spaced})
			spaced = false
		}
		_, size := utf8.DecodeRuneInString(word[i:])
		out = append(out, unit{word[i : i+size], spaced})
		start, spaced = i+size, false
	}
	if start < len(word) {
		out = append(out, unit{word[start:], spaced})
	}
	return out
}
