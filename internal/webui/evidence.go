package webui

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Bounds of decoded evidence, so that one huge or deeply nested value from
// a log cannot swell a page.
const (
	// MaxText is the longest text shown, in bytes; longer text is cut
	// with an ellipsis and Value.Cut says by how much.
	MaxText = 4096
	// MaxDepth is how deep objects and lists are drawn; deeper levels
	// are shown as compact JSON.
	MaxDepth = 8
)

// Value is a piece of decoded evidence as pages draw it: a text (for
// strings, numbers, booleans and null), a list, or named fields. Fields
// are sorted by name.
type Value struct {
	Text   string
	List   []Value
	Fields []Field
	// IsList and IsObject tell an empty list or object from a text.
	IsList, IsObject bool
	// Cut is how many bytes of Text were left out.
	Cut int
}

// Scalar reports whether v is a text, not a list or an object.
func (v Value) Scalar() bool { return !v.IsList && !v.IsObject }

// Inline reports whether v is a list of texts short enough to write on
// one line.
func (v Value) Inline() bool {
	if !v.IsList || len(v.List) > 8 {
		return false
	}
	for _, it := range v.List {
		if !it.Scalar() || len(it.Text) > 80 {
			return false
		}
	}
	return true
}

// Decode returns evidence as pages draw it. The evidence is read as JSON
// would decode it, so that values built in memory and values read back
// from JSON look alike; evidence that does not encode is empty.
func Decode(evidence map[string]any) Value {
	b, err := json.Marshal(evidence)
	if err != nil {
		return Value{IsObject: true}
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return Value{IsObject: true}
	}
	return decode(v, 0)
}

func decode(v any, depth int) Value {
	switch x := v.(type) {
	case map[string]any:
		if depth >= MaxDepth {
			return compact(x)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := Value{IsObject: true}
		for _, k := range keys {
			out.Fields = append(out.Fields, Field{Name: k, Value: decode(x[k], depth+1)})
		}
		return out
	case []any:
		if depth >= MaxDepth {
			return compact(x)
		}
		out := Value{IsList: true}
		for _, it := range x {
			out.List = append(out.List, decode(it, depth+1))
		}
		return out
	case string:
		return text(x)
	case float64:
		return Value{Text: strconv.FormatFloat(x, 'f', -1, 64)}
	case bool:
		return Value{Text: strconv.FormatBool(x)}
	}
	return Value{Text: "null"}
}

// compact writes a value too deep to draw as JSON text.
func compact(v any) Value {
	b, _ := json.Marshal(v)
	return text(string(b))
}

// text returns s, cut to MaxText bytes on a character boundary.
func text(s string) Value {
	if len(s) <= MaxText {
		return Value{Text: s}
	}
	n := MaxText
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return Value{Text: s[:n] + "…", Cut: len(s) - n}
}
