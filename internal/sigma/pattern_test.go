package sigma

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestGlobAgainstRegexp compares the glob matcher, with its shortcuts,
// with a regular expression built from the same random pattern.
func TestGlobAgainstRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	pick := func(alphabet []string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = alphabet[r.IntN(len(alphabet))]
		}
		return out
	}
	for n := 0; n < 20000; n++ {
		pat := pick([]string{"a", "b", "ab", "*", "?", "\u00e9"}, r.IntN(6))
		var internal, expr strings.Builder
		expr.WriteString("(?s)^")
		for _, p := range pat {
			switch p {
			case "*":
				internal.WriteRune(wildMany)
				expr.WriteString(".*")
			case "?":
				internal.WriteRune(wildOne)
				expr.WriteString(".")
			default:
				internal.WriteString(p)
				expr.WriteString(regexp.QuoteMeta(p))
			}
		}
		expr.WriteString("$")
		re := regexp.MustCompile(expr.String())
		a := stringAlt(internal.String())
		s := strings.Join(pick([]string{"a", "b", "\u00e9"}, r.IntN(7)), "")
		if got, want := a.matchBytes([]byte(s)), re.MatchString(s); got != want {
			t.Fatalf("pattern %q on %q: glob %v, regexp %v", strings.Join(pat, ""), s, got, want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5", 5, true}, {"-1.5", -1.5, true}, {"+2", 2, true}, {".5", 0.5, true}, {"5.", 5, true},
		{"1e3", 1000, true}, {"1E-2", 0.01, true},
		{"", 0, false}, {"-", 0, false}, {"1e", 0, false}, {"0x10", 0, false}, {"1,5", 0, false},
		{"NaN", 0, false}, {"Inf", 0, false}, {" 5", 0, false}, {".", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseNumber(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBase64Offsets(t *testing.T) {
	// Each variant must occur in the encoding of the value preceded by
	// zero, one or two bytes, whatever follows it. (A single byte has no
	// base64 character of its own at offset one, so it is left out.)
	if got := base64Offsets("a"); len(got) != 2 {
		t.Errorf("base64Offsets(a) = %q, want two variants", got)
	}
	for _, value := range []string{"ab", "abc", "http://", "secret!"} {
		vs := base64Offsets(value)
		for shift, prefix := range []string{"", "x", "xy"} {
			for _, suffix := range []string{"", "z", "zz", "zzz"} {
				enc := b64(prefix + value + suffix)
				found := false
				for _, v := range vs {
					found = found || strings.Contains(enc, v)
				}
				if !found {
					t.Errorf("%q at offset %d with suffix %q: %q holds none of %q", value, shift, suffix, enc, vs)
				}
			}
		}
	}
}
