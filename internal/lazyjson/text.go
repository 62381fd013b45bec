package lazyjson

import (
	"encoding/binary"
	"unsafe"
)

// Text returns a string as a Go string, unescaped, and "" for other
// values. Strings equal to one returned lately are that one, so that the
// values records share (categories, names, codes, addresses) are copied
// once rather than record after record; others are copied into chunks of
// memory that several strings share, one allocation for many strings.
// The string returned does not depend on the parser's buffers: a chunk
// is never written again where a string was copied.
func (v *Value) Text() string {
	if v.t != TypeString {
		return ""
	}
	return v.p.strs.get(v.text())
}

// UniqueText is Text for a string that records seldom share, such as an
// id or a time: it is copied without looking among the strings returned
// lately, which it does not displace.
func (v *Value) UniqueText() string {
	if v.t != TypeString {
		return ""
	}
	b := v.text()
	if len(b) == 0 || len(b) > maxChunkText {
		return string(b)
	}
	return v.p.strs.copy(b)
}

// JSON returns v as JSON, as MarshalTo writes it, in a string that is
// shared or copied like those Text returns.
func (v *Value) JSON() string {
	if v.p == nil { // null, true and false, which no parser owns
		return string(v.raw)
	}
	p := v.p
	p.scratch = v.MarshalTo(p.scratch[:0])
	return p.strs.get(p.scratch)
}

// strTable keeps the strings returned lately, in a small table indexed by
// a cheap hash, and copies the others into chunks.
type strTable struct {
	recent [recentTexts]string
	chunk  []byte // the chunk strings are copied into; full chunks are left to the strings
}

// Bounds of a strTable: the size of its table of recent strings (a power
// of two), the size of its chunks, and the longest string copied into a
// chunk rather than on its own.
const (
	recentTexts   = 1024
	textChunkSize = 4 << 10
	maxChunkText  = 512
)

// recentSlot returns where b would be among the recent strings: a hash
// of its length and its first and last eight bytes.
func recentSlot(b []byte) int {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	if len(b) >= 8 {
		h ^= binary.LittleEndian.Uint64(b) * 0xff51afd7ed558ccd
		h ^= binary.LittleEndian.Uint64(b[len(b)-8:]) * 0xc4ceb9fe1a85ec53
	} else {
		for _, c := range b {
			h = (h ^ uint64(c)) * 0x100000001b3
		}
	}
	return int(h >> 54 & (recentTexts - 1))
}

// get returns b as a string: the recent one equal to it, or a copy.
func (t *strTable) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxChunkText {
		return string(b)
	}
	r := recentSlot(b)
	if s := t.recent[r]; s == string(b) {
		return s
	}
	s := t.copy(b)
	t.recent[r] = s
	return s
}

// copy returns a copy of b in the current chunk, starting a new chunk
// when b does not fit.
func (t *strTable) copy(b []byte) string {
	if len(t.chunk)+len(b) > cap(t.chunk) {
		t.chunk = make([]byte, 0, textChunkSize)
	}
	start := len(t.chunk)
	t.chunk = append(t.chunk, b...)
	return unsafe.String(&t.chunk[start], len(b))
}
