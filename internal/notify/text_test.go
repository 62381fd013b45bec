package notify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello", 4, "hel…"},
		{"應用程式註冊", 3, "應用…"},
		{"🔑🔑🔑", 2, "🔑…"},
		{"abc", 0, ""},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := clip(tt.s, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		limit int
		esc   func(rune) string
		want  string
		cut   bool
	}{
		{"fits", "a < b", 20, slackEscapeRune, "a &lt; b", false},
		{"fits exactly", "a<b", 6, slackEscapeRune, "a&lt;b", false},
		{"cut before an escape, not inside it", "abc<defghij", 12, slackEscapeRune, "abc (cut)", true},
		{"CJK counts one each", "應用程式註冊", 6, nil, "應用程式註冊", false},
		{"CJK cut", "應用程式註冊應用程式註冊", 10, nil, "應用程式 (cut)", true},
		{"emoji counts two", "🔑🔑🔑🔑", 8, nil, "🔑🔑🔑🔑", false},
		{"emoji not split", "🔑🔑🔑🔑🔑", 9, nil, "🔑 (cut)", true},
		{"trailing space dropped before the marker", "abc   defghijk", 10, nil, "abc (cut)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := fit(tt.s, tt.limit, tt.esc, "(cut)")
			if got != tt.want || cut != tt.cut {
				t.Errorf("fit = %q, %v; want %q, %v", got, cut, tt.want, tt.cut)
			}
		})
	}
}

// FuzzFit checks that whatever the text, what fit gives is valid UTF-8,
// within the limit, unchanged when it fitted, and marked when cut.
func FuzzFit(f *testing.F) {
	f.Add("a < b & c > d", 8)
	f.Add(strings.Repeat("應用程式🔑", 50), 100)
	f.Add("\xff\xfe broken", 3)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 12 || limit > 5000 {
			return
		}
		s = strings.ToValidUTF8(s, "?")
		got, cut := fit(s, limit, slackEscapeRune, "(cut short)")
		if !utf8.ValidString(got) {
			t.Fatalf("fit gave invalid UTF-8 %q", got)
		}
		if units(got) > limit {
			t.Fatalf("fit gave %d units, limit %d", units(got), limit)
		}
		if !cut && got != slackEscape(s) {
			t.Fatalf("fit changed %q to %q without cutting", s, got)
		}
		if cut && !strings.HasSuffix(got, " (cut short)") {
			t.Fatalf("cut %q without the marker", got)
		}
	})
}
