// Package modprop decodes the values of audit-log modified properties.
//
// Entra writes each oldValue and newValue as text that is itself JSON: a
// quoted string ("\"AllPrincipals\""), an array of strings
// ("[\"[KeyIdentifier=...]\"]"), an array of objects (AppAddress), or null.
// Older exports write plain text instead. Value holds both the text as logged
// and its decoded items; the Parse functions turn items into typed facts:
// credentials (KeyDescription), reply addresses (AppAddress), delegated
// permission scopes, consent permissions and so on.
package modprop

import (
	"strings"

	"github.com/valyala/fastjson"
)

// Value is one side, old or new, of a modified property.
type Value struct {
	// Raw is the value exactly as logged, before any decoding.
	Raw string `json:"raw,omitempty"`
	// Items is the decoded value: one item for a scalar, one per element
	// for an array (objects and numbers keep their JSON text), none for
	// null, an empty value or an empty JSON string ("\"\"").
	Items []string `json:"items,omitempty"`
}

// String returns the decoded items joined by a comma and a space, or the
// single item when there is one.
func (v Value) String() string {
	if len(v.Items) == 1 {
		return v.Items[0]
	}
	return strings.Join(v.Items, ", ")
}

// IsEmpty reports whether the value holds no items.
func (v Value) IsEmpty() bool { return len(v.Items) == 0 }

// Decoder decodes values. It reuses its parser between calls, so a Decoder
// must not be used by several goroutines at once. The zero value is ready.
type Decoder struct {
	p fastjson.Parser
}

// Decode decodes a value logged as raw. Text that is not JSON is kept as a
// single item, so the legacy plain-text encoding decodes too.
func (d *Decoder) Decode(raw string) Value {
	v := Value{Raw: raw}
	t := strings.TrimSpace(raw)
	if t == "" || t == "null" {
		return v
	}
	if t[0] != '"' && t[0] != '[' {
		v.Items = []string{raw}
		return v
	}
	j, err := d.p.Parse(t)
	if err != nil {
		v.Items = []string{raw}
		return v
	}
	v.Items = appendItems(v.Items, j)
	return v
}

// appendItems appends the items of a parsed JSON value.
func appendItems(dst []string, j *fastjson.Value) []string {
	switch j.Type() {
	case fastjson.TypeNull:
		return dst
	case fastjson.TypeString:
		if len(j.GetStringBytes()) == 0 {
			return dst
		}
		return append(dst, string(j.GetStringBytes()))
	case fastjson.TypeArray:
		for _, e := range j.GetArray() {
			if e.Type() == fastjson.TypeString {
				dst = append(dst, string(e.GetStringBytes()))
				continue
			}
			if e.Type() != fastjson.TypeNull {
				dst = append(dst, string(e.MarshalTo(nil)))
			}
		}
		return dst
	default:
		return append(dst, string(j.MarshalTo(nil)))
	}
}
