package termtext

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"日本語", 6},
		{"應用程式 app", 12},
		{"ｶﾅ", 2},      // half-width katakana
		{"ＡＢ", 4},      // fullwidth Latin
		{"e\u0301", 1}, // combining accent
		{"한국", 4},
		{"😀", 2},
		{"a\u200Db", 2}, // zero-width joiner
		{"…", 1},        // ambiguous: what most Western terminals draw
	}
	for _, tt := range tests {
		if got := Width(tt.s); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello", 4, "h..."},
		{"hello", 1, "h"},
		{"hello", 0, ""},
		{"hello", -3, ""},
		{"日本語テキスト", 14, "日本語テキスト"},
		{"日本語テキスト", 7, "日本..."},
		{"日本語テキスト", 6, "日..."},
		{"日本語", 2, "日"},
		{"ae\u0301bc", 3, "ae\u0301b"},
	}
	for _, tt := range tests {
		got := Clip(tt.s, tt.w)
		if got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

func TestPad(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"ab", 4, "ab  "},
		{"日本", 5, "日本 "},
		{"日本語", 5, "日..."},
		{"日本語", 4, "日本"},
		{"abcdef", 3, "abc"},
	}
	for _, tt := range tests {
		if got := Pad(tt.s, tt.w); got != tt.want {
			t.Errorf("Pad(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[2J\x1b]0;title\x07", " [2J ]0;title "},
		{"two\nlines\r\n", "two lines  "},
		{"tab\there", "tab here"},
		{"abc\u202Egnp.exe", "abcgnp.exe"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"\u0085next\u2028line", " next line"},
		{"日本語", "日本語"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzClip checks that clip never exceeds the width, keeps text that fits
// as it is, and never splits a character; and that clean leaves nothing a
// terminal would act on.
func FuzzClip(f *testing.F) {
	for _, s := range []string{"hello", "日本語テキスト", "e\u0301\u0301", "\x1b[31mred", "\xff\xfe", ""} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		w %= 300
		c := Clean(s)
		if !utf8.ValidString(c) || strings.ContainsFunc(c, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
			t.Fatalf("Clean(%q) = %q", s, c)
		}
		got := Clip(c, w)
		if Width(got) > max(w, 0) {
			t.Fatalf("Clip(%q, %d) = %q, %d wide", c, w, got, Width(got))
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q, invalid UTF-8", c, w, got)
		}
		if w >= 0 && Width(c) <= w && got != c {
			t.Fatalf("Clip(%q, %d) = %q, but it fits", c, w, got)
		}
		if w > 0 && Width(Pad(c, w)) != w {
			t.Fatalf("Pad(%q, %d) is %d wide", c, w, Width(Pad(c, w)))
		}
	})
}

func TestWrap(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want []string
	}{
		{"", 10, nil},
		{"   ", 10, nil},
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"one  two\tthree", 20, []string{"one two three"}},
		{"a verylongwordindeed b", 8, []string{"a", "verylong", "wordinde", "ed b"}},
		{"資格情報を追加: Password", 12, []string{"資格情報を追", "加: Password"}},
		{"日本語", 1, []string{"日", "本", "語"}},
		{"x", 0, []string{"x"}},
	}
	for _, tt := range tests {
		got := Wrap(tt.s, tt.w)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// FuzzWrap checks that wrapping keeps every non-space character in order
// and never makes a line wider than asked, except a wide character alone
// in a one-column line.
func FuzzWrap(f *testing.F) {
	f.Add("資格情報を追加: Password \"ci\"; outside business hours", 12)
	f.Add("abc def", 1)
	f.Fuzz(func(t *testing.T, s string, w int) {
		s = Clean(s)
		w = w%200 + 1
		if w < 1 {
			w = -w + 1
		}
		lines := Wrap(s, w)
		joined := strings.Join(lines, "")
		if strip(joined) != strip(s) {
			t.Fatalf("Wrap(%q, %d) = %q lost text", s, w, lines)
		}
		for _, l := range lines {
			if Width(l) > w && utf8.RuneCountInString(l) > 1 {
				t.Fatalf("Wrap(%q, %d): line %q is %d wide", s, w, l, Width(l))
			}
		}
	})
}

func strip(s string) string {
	return strings.Join(strings.Fields(s), "")
}
