package lazyjson

import (
	"bytes"
	"errors"
	"strconv"
)

// Type returns the type of v.
func (v *Value) Type() Type { return v.t }

// Get returns the value at the path keys: member names of objects, or
// indexes of arrays written in decimal. It returns nil when there is no
// such value. The first of several members with the same name is
// returned.
func (v *Value) Get(keys ...string) *Value {
	for _, k := range keys {
		if v == nil {
			return nil
		}
		switch v.t {
		case TypeObject:
			v = v.member(k)
		case TypeArray:
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 {
				return nil
			}
			elems := v.elems()
			if n >= len(elems) {
				return nil
			}
			v = elems[n]
		default:
			return nil
		}
	}
	return v
}

// member returns the first member of object v named k.
func (v *Value) member(k string) *Value {
	for _, m := range v.members() {
		if string(m.key) == k {
			return m.v
		}
	}
	return nil
}

func (v *Value) members() []member {
	v.list()
	return v.p.members[v.first : v.first+v.n]
}

func (v *Value) elems() []*Value {
	v.list()
	return v.p.elems[v.first : v.first+v.n : v.first+v.n]
}

// GetStringBytes returns the string at the path keys, unescaped, or nil
// when there is no string there. The bytes are valid until the next Parse.
func (v *Value) GetStringBytes(keys ...string) []byte {
	v = v.Get(keys...)
	if v == nil || v.t != TypeString {
		return nil
	}
	return v.text()
}

// text returns the contents of a string, unescaped.
func (v *Value) text() []byte {
	if bytes.IndexByte(v.raw, '\\') < 0 {
		return v.raw
	}
	return v.p.unescape(v.raw)
}

// GetArray returns the elements of the array at the path keys, or nil.
func (v *Value) GetArray(keys ...string) []*Value {
	v = v.Get(keys...)
	if v == nil || v.t != TypeArray {
		return nil
	}
	return v.elems()
}

// Array returns the elements of an array.
func (v *Value) Array() ([]*Value, error) {
	if v.t != TypeArray {
		return nil, errors.New("value doesn't contain array; it contains " + v.t.String())
	}
	return v.elems(), nil
}

// GetFloat64 returns the number at the path keys, or 0.
func (v *Value) GetFloat64(keys ...string) float64 {
	v = v.Get(keys...)
	if v == nil || v.t != TypeNumber {
		return 0
	}
	f, err := strconv.ParseFloat(string(v.raw), 64)
	if err != nil {
		return 0
	}
	return f
}

// Object is a JSON object.
type Object struct{ v *Value }

// Object returns v as an object.
func (v *Value) Object() (*Object, error) {
	if v.t != TypeObject {
		return nil, errors.New("value doesn't contain object; it contains " + v.t.String())
	}
	return &Object{v}, nil
}

// Len returns the number of members.
func (o *Object) Len() int { return len(o.v.members()) }

// Visit calls f with each member in order. key is valid until the next
// Parse.
func (o *Object) Visit(f func(key []byte, v *Value)) {
	for _, m := range o.v.members() {
		f(m.key, m.v)
	}
}

// MarshalTo appends v as JSON to dst: strings as written, containers
// without the white space between their parts.
func (v *Value) MarshalTo(dst []byte) []byte {
	switch v.t {
	case TypeString:
		dst = append(dst, '"')
		dst = append(dst, v.raw...)
		return append(dst, '"')
	case TypeObject, TypeArray:
		return compact(dst, v.raw)
	}
	return append(dst, v.raw...)
}

// String returns v as JSON, as MarshalTo writes it.
func (v *Value) String() string { return string(v.MarshalTo(nil)) }

// compact appends the checked JSON text b to dst without the white space
// outside strings.
func compact(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case ' ', '\n', '\t', '\r':
		case '"':
			end, _ := skipString(b, i+1)
			dst = append(dst, b[i:end]...)
			i = end - 1
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
