package textenc

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// encode writes s as UTF-16 with a byte order mark.
func encode(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestToUTF8(t *testing.T) {
	const text = "{\"displayName\":\"Contoso – アプリ 🔑\"}\r\n"
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"UTF-16 LE", encode(text, false), text},
		{"UTF-16 BE", encode(text, true), text},
		{"UTF-8 with a byte order mark", append([]byte("\xef\xbb\xbf"), text...), text},
		{"UTF-8", []byte(text), text},
		{"invalid UTF-8 kept as it is", []byte("a\xffb"), "a\xffb"},
		{"unpaired surrogate", []byte{0xFF, 0xFE, 0x00, 0xD8, 'a', 0}, "\uFFFDa"},
		{"odd last byte", []byte{0xFF, 0xFE, 'a', 0, 'b'}, "a\uFFFD"},
		{"byte order mark only", []byte{0xFE, 0xFF}, ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(ToUTF8(tt.in)); got != tt.want {
				t.Errorf("ToUTF8 = %q, want %q", got, tt.want)
			}
			got, err := io.ReadAll(NewReader(iotest.OneByteReader(bytes.NewReader(tt.in))))
			if err != nil || string(got) != tt.want {
				t.Errorf("NewReader read %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestIsUTF16(t *testing.T) {
	for in, want := range map[string]bool{"\xff\xfe{": true, "\xfe\xff\x00{": true, "\xef\xbb\xbf{": false, "{": false, "\xff": false} {
		if got := IsUTF16([]byte(in)); got != want {
			t.Errorf("IsUTF16(%q) = %v", in, got)
		}
	}
}
