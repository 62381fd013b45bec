package event

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeActivity returns the comparison key of an activity name. Entra
// writes the same activity in several ways: "Update application –
// Certificates and secrets management " with an en dash and a trailing
// space, "Update Application-Certificates and secrets management" in rules,
// "Update service principal." with a period in the 2018 schema. The key is
// lower case, has every dash (hyphen, en dash, em dash, minus) as "-" with no
// spaces around it, single spaces elsewhere, and no trailing periods or
// spaces, so all of these compare equal.
func NormalizeActivity(s string) string {
	if isNormalActivity(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	for _, r := range strings.TrimSpace(s) {
		switch {
		case isDash(r):
			space = false
			b.WriteByte('-')
		case unicode.IsSpace(r):
			space = b.Len() > 0 && !endsWithDash(&b)
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.TrimRight(b.String(), ". ")
}

// isNormalActivity reports whether s is already its own key: lower-case
// ASCII, single spaces, hyphens without spaces, no trailing period.
func isNormalActivity(s string) bool {
	if s == "" {
		return true
	}
	prev := byte(' ')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' || c < ' ':
			return false
		case c == ' ' && (prev == ' ' || prev == '-'):
			return false
		case c == '-' && prev == ' ' && i > 0:
			return false
		}
		prev = c
	}
	last := s[len(s)-1]
	return last != ' ' && last != '.'
}

func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
		return true
	}
	return false
}

func endsWithDash(b *strings.Builder) bool {
	s := b.String()
	return len(s) > 0 && s[len(s)-1] == '-'
}
