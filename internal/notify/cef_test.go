package notify

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// parseCEF reads a CEF event back, as a SIEM does: the header split at
// the pipes no backslash escapes, the extension split at the keys before
// unescaped equal signs.
func parseCEF(s string) (cefEvent, error) {
	rest, ok := strings.CutPrefix(s, "CEF:0|")
	if !ok {
		return cefEvent{}, errors.New("no CEF:0| prefix")
	}
	var head []string
	var b strings.Builder
	i := 0
	for len(head) < 6 {
		if i >= len(rest) {
			return cefEvent{}, fmt.Errorf("header has %d fields, want 6", len(head))
		}
		switch c := rest[i]; {
		case c == '\\' && i+1 < len(rest) && (rest[i+1] == '\\' || rest[i+1] == '|'):
			b.WriteByte(rest[i+1])
			i += 2
			continue
		case c == '|':
			head = append(head, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
		i++
	}
	sev, err := strconv.Atoi(head[5])
	if err != nil {
		return cefEvent{}, fmt.Errorf("severity %q", head[5])
	}
	e := cefEvent{Vendor: head[0], Product: head[1], Version: head[2], SignatureID: head[3], Name: head[4], Severity: sev}
	e.Ext, err = parseExtension(rest[i:])
	return e, err
}

func parseExtension(s string) ([]cefExt, error) {
	// Find each unescaped '=' and the key before it.
	type mark struct{ keyStart, eq int }
	var marks []mark
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '=':
			k := i
			for k > 0 && isAlnum(s[k-1]) {
				k--
			}
			if k == i || (k > 0 && s[k-1] != ' ') {
				return nil, fmt.Errorf("unescaped = at %d is not after a key", i)
			}
			marks = append(marks, mark{k, i})
		}
	}
	if len(s) > 0 && (len(marks) == 0 || marks[0].keyStart != 0) {
		return nil, errors.New("extension does not start with a key")
	}
	var out []cefExt
	for j, m := range marks {
		end := len(s)
		if j+1 < len(marks) {
			end = marks[j+1].keyStart - 1 // the separating space
		}
		v, err := unescapeCEFValue(s[m.eq+1 : end])
		if err != nil {
			return nil, err
		}
		out = append(out, cefExt{s[m.keyStart:m.eq], v})
	}
	return out, nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func unescapeCEFValue(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			b.WriteByte(v[i])
			continue
		}
		if i+1 == len(v) {
			return "", errors.New("value ends in a lone backslash")
		}
		i++
		switch v[i] {
		case '\\', '=':
			b.WriteByte(v[i])
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("unknown escape \\%c", v[i])
		}
	}
	return b.String(), nil
}

// hostileValues break CEF if it is escaped wrong.
var hostileValues = []string{
	"", "plain", "a|b|c", "k=v", "a = b", `back\slash`, `\`, `ends with \`, `\=`, `\n literal`,
	"line\nbreak", "cr\rlf\r\n", "trailing space ", " leading space", "  ", "x y=z", "msg=inner suser=evil",
	"應用程式註冊", "資格情報が追加されました", "🔑 emoji", tenKB,
}

func TestCEFRoundTrip(t *testing.T) {
	for i, v := range hostileValues {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			e := cefEvent{Vendor: "app|watch", Product: `a\b`, Version: "1.0", SignatureID: v, Name: v, Severity: 8,
				Ext: []cefExt{{"msg", v}, {"cs1", v}, {"cs1Label", "Label|with=all\\of it"}, {"suser", v}}}
			got, err := parseCEF(e.String())
			if err != nil {
				t.Fatalf("%q: %v", e.String(), err)
			}
			want := e
			flat := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
			want.SignatureID, want.Name = flat.Replace(v), flat.Replace(v)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
			if strings.ContainsAny(e.String(), "\r\n") {
				t.Error("the event holds a raw line break")
			}
		})
	}
}

func TestCEFEscapes(t *testing.T) {
	e := cefEvent{Vendor: "appwatch", Product: "appwatch", Version: "1", SignatureID: `r|1\x`, Name: "t\nx", Severity: 12,
		Ext: []cefExt{{"msg", "a=b\\c|d\ne"}, {"cs1", ""}}}
	want := `CEF:0|appwatch|appwatch|1|r\|1\\x|t x|10|msg=a\=b\\c|d\ne cs1=`
	if got := e.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

// FuzzCEF checks that any header and extension value reads back as it
// was written (the header's line breaks as spaces).
func FuzzCEF(f *testing.F) {
	for _, v := range hostileValues[:len(hostileValues)-1] {
		f.Add(v, v)
	}
	f.Fuzz(func(t *testing.T, head, value string) {
		head = strings.ToValidUTF8(head, "\uFFFD")
		value = strings.ToValidUTF8(value, "\uFFFD")
		e := cefEvent{Vendor: head, Product: "p", Version: "v", SignatureID: "s", Name: head, Severity: 3,
			Ext: []cefExt{{"msg", value}, {"cs2", value}}}
		got, err := parseCEF(e.String())
		if err != nil {
			t.Fatalf("%q: %v", e.String(), err)
		}
		flat := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(head)
		if got.Vendor != flat || got.Name != flat || len(got.Ext) != 2 || got.Ext[0].Value != value || got.Ext[1].Value != value {
			t.Fatalf("read back %+v", got)
		}
	})
}
