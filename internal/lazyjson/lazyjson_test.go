package lazyjson

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/valyala/fastjson"
)

// same reports how a and b differ, or "" when they hold the same value.
func same(a *Value, b *fastjson.Value, path string) string {
	if int(a.Type()) != int(b.Type()) {
		return fmt.Sprintf("%s: type %v, fastjson %v", path, a.Type(), b.Type())
	}
	switch a.Type() {
	case TypeString:
		if x, y := a.GetStringBytes(), b.GetStringBytes(); !bytes.Equal(x, y) {
			return fmt.Sprintf("%s: %q, fastjson %q", path, x, y)
		}
	case TypeNumber:
		if x, y := a.String(), b.String(); x != y {
			return fmt.Sprintf("%s: %s, fastjson %s", path, x, y)
		}
	case TypeArray:
		x, _ := a.Array()
		y, _ := b.Array()
		if len(x) != len(y) {
			return fmt.Sprintf("%s: %d elements, fastjson %d", path, len(x), len(y))
		}
		for i := range x {
			if d := same(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case TypeObject:
		x, _ := a.Object()
		y, _ := b.Object()
		var xk, yk []string
		var xv []*Value
		var yv []*fastjson.Value
		x.Visit(func(k []byte, v *Value) { xk, xv = append(xk, string(k)), append(xv, v) })
		y.Visit(func(k []byte, v *fastjson.Value) { yk, yv = append(yk, string(k)), append(yv, v) })
		if strings.Join(xk, "\x00") != strings.Join(yk, "\x00") {
			return fmt.Sprintf("%s: keys %q, fastjson %q", path, xk, yk)
		}
		for i := range xv {
			if d := same(xv[i], yv[i], path+"."+xk[i]); d != "" {
				return d
			}
			if g := a.Get(xk[i]); g == nil || g.Type() != xv[i].Type() {
				return fmt.Sprintf("%s: Get(%q) found %v", path, xk[i], g)
			}
		}
	}
	return ""
}

// compare parses data with both parsers, with ParseBytes and with
// ParseWrapper, and reports how they disagree.
func compare(p *Parser, data []byte) string {
	if d := compareWith(p.ParseBytes, data); d != "" {
		return d
	}
	if d := compareWith(p.ParseWrapper, data); d != "" {
		return "ParseWrapper: " + d
	}
	return ""
}

func compareWith(parse func([]byte) (*Value, error), data []byte) string {
	var fp fastjson.Parser
	want, ferr := fp.ParseBytes(data)
	got, err := parse(data)
	switch {
	case (err == nil) != (ferr == nil):
		if ferr != nil && strings.Contains(ferr.Error(), "depth") {
			return "" // fastjson counts the depth of scalars too
		}
		return fmt.Sprintf("error %v, fastjson %v", err, ferr)
	case err != nil:
		return ""
	}
	return same(got, want, "$")
}

func TestAgreesWithFastjson(t *testing.T) {
	cases := []string{
		`{}`, `[]`, ` {"a" : 1 , "b":[1, 2 ,{"c":null}], "d":"x\"y\\"} `,
		`"plain"`, `"esc\u00e9\ud83d\ude00\n\t\/\\"`, `"bad \u12 escape \q"`, `"lone \ud800 surrogate"`,
		`123`, `-1.5e+3`, `NaN`, `-Inf`, `true`, `false`, `null`, `nul`, `tru`,
		`{"a":1,}`, `{"a" 1}`, `{a:1}`, `[1 2]`, `[1,]`, `{"a":[}`, `{"a":{"b":1}`, `{"a":"b}`,
		`{"a":1}{"b":2}`, `{"a":1} x`, ``, `   `, `{"k\"ey":{"in\u0041":[true,false,null,"s"]}}`,
		`{"dup":1,"dup":2}`, `[[[[[]]]]]`, `{"a":[1,[2,[3,{"b":[4]}]]]}`, `{"a":-}`, `{"a":+1}`,
		strings.Repeat("[", 301) + strings.Repeat("]", 301),
	}
	var p Parser
	for _, c := range cases {
		if d := compare(&p, []byte(c)); d != "" {
			t.Errorf("%.60q: %s", c, d)
		}
	}
}

// TestAgreesOnTestdata parses every JSON file and line of the decoders'
// test data and fuzz corpus with both parsers.
func TestAgreesOnTestdata(t *testing.T) {
	files, _ := filepath.Glob("../decode/testdata/*.json")
	more, _ := filepath.Glob("../decode/testdata/*.ndjson")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no test data found")
	}
	var p Parser
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if d := compare(&p, data); d != "" {
			t.Errorf("%s: %s", f, d)
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if d := compare(&p, line); d != "" {
				t.Errorf("%s:%d: %s", f, i+1, d)
			}
		}
	}
}

func TestLazyMembers(t *testing.T) {
	var p Parser
	v, err := p.ParseBytes([]byte(`{"a":{"b":{"c":"d"}},"list":[1,{"x":"y"}],"s":"t\u0041"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(v.GetStringBytes("a", "b", "c")); got != "d" {
		t.Errorf("a.b.c = %q", got)
	}
	if got := string(v.GetStringBytes("list", "1", "x")); got != "y" {
		t.Errorf("list.1.x = %q", got)
	}
	if got := string(v.GetStringBytes("s")); got != "tA" {
		t.Errorf("s = %q", got)
	}
	if v.Get("a", "missing") != nil || v.Get("list", "9") != nil || v.Get("s", "x") != nil {
		t.Error("missing paths gave values")
	}
	if got := v.Get("a").String(); got != `{"b":{"c":"d"}}` {
		t.Errorf("a as JSON = %s", got)
	}
	o, _ := v.Object()
	if o.Len() != 3 {
		t.Errorf("Len = %d", o.Len())
	}
}

// TestParserReuse checks that values of one Parse are not disturbed by
// reading them after lazily listing others, and that a parser reused
// for many documents gives the same results.
func TestParserReuse(t *testing.T) {
	var p Parser
	for i := range 2000 {
		doc := fmt.Sprintf(`{"n":%d,"nested":{"deep":{"s":"v%d\n"}},"arr":[%s]}`, i, i, strings.Repeat(`"\u00e9",`, i%40)+`0`)
		v, err := p.ParseBytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		s := v.GetStringBytes("nested", "deep", "s")
		arr := v.GetArray("arr")
		if len(arr) != i%40+1 {
			t.Fatalf("doc %d: %d elements", i, len(arr))
		}
		for _, e := range arr[:len(arr)-1] {
			if string(e.GetStringBytes()) != "é" {
				t.Fatalf("doc %d: element %q", i, e.GetStringBytes())
			}
		}
		if want := fmt.Sprintf("v%d\n", i); string(s) != want {
			t.Fatalf("doc %d: s = %q after reading more, want %q", i, s, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,"b",{"c":null}]}`, `"\u00e9\ud83d"`, `[1,2`, `{"a":1}{}`, `-Inf`} {
		f.Add([]byte(s))
	}
	var p Parser
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := compare(&p, data); d != "" {
			t.Errorf("%q: %s", data, d)
		}
	})
}

// TestText checks that Text unescapes, shares copies of equal strings
// and returns strings that outlive the parse.
func TestText(t *testing.T) {
	var p Parser
	var kept []string
	for i := range 3 {
		v, err := p.ParseBytes([]byte(fmt.Sprintf(`{"a":"caf\u00e9","b":"v%d","n":1}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, v.Get("a").Text(), v.Get("b").Text())
		if v.Get("n").Text() != "" {
			t.Error("Text of a number is not empty")
		}
	}
	if want := []string{"café", "v0", "café", "v1", "café", "v2"}; !slices.Equal(kept, want) {
		t.Errorf("texts %q, want %q", kept, want)
	}
	if unsafe.StringData(kept[0]) != unsafe.StringData(kept[2]) {
		t.Error("equal strings were copied twice")
	}
}

// TestTextOutlivesChunks checks that texts copied into chunks keep their
// value after many more parses fill other chunks.
func TestTextOutlivesChunks(t *testing.T) {
	var p Parser
	var kept, want []string
	for i := range 2000 {
		v, err := p.ParseBytes([]byte(fmt.Sprintf(`{"id":"record-%d-%s","name":"name %d"}`, i, strings.Repeat("x", i%300), i%7)))
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, v.Get("id").UniqueText(), v.Get("name").Text())
		want = append(want, fmt.Sprintf("record-%d-%s", i, strings.Repeat("x", i%300)), fmt.Sprintf("name %d", i%7))
	}
	if !slices.Equal(kept, want) {
		t.Error("texts changed after later parses")
	}
}

// TestJSON checks that JSON writes values as MarshalTo does, literals
// included, and that the text outlives the parse.
func TestJSON(t *testing.T) {
	var p Parser
	v, err := p.Parse(`{"a": [1, {"b": null}], "t": true, "n": null, "s": "x\"y"}`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range []string{"a", "t", "n", "s"} {
		got = append(got, v.Get(k).JSON())
	}
	if _, err := p.Parse(`{"a": "overwritten"}`); err != nil {
		t.Fatal(err)
	}
	if want := []string{`[1,{"b":null}]`, "true", "null", `"x\"y"`}; !slices.Equal(got, want) {
		t.Errorf("JSON gave %q, want %q", got, want)
	}
}
