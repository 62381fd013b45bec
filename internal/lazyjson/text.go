package lazyjson

import "encoding/binary"

// Text returns a string as a Go string, unescaped, and "" for other
// values. Short strings come from a bounded table of the strings the
// parser returned lately, so that the values records share (categories,
// names, codes, addresses) are copied once rather than record after
// record; the string returned does not depend on the parser's buffers.
func (v *Value) Text() string {
	if v.t != TypeString {
		return ""
	}
	return v.p.strs.get(v.text())
}

// strTable keeps one copy of each short string returned lately. A small
// table indexed by a cheap hash answers most lookups with one comparison
// before the map is asked.
type strTable struct {
	m      map[string]string
	recent [recentTexts]string
}

// Bounds of a strTable: how many strings it keeps before it starts
// again, the longest string it keeps, and the size of its table of
// recent strings (a power of two).
const (
	maxSharedTexts   = 16 << 10
	maxSharedTextLen = 256
	recentTexts      = 1024
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

// get returns b as a string, the kept copy when there is one.
func (t *strTable) get(b []byte) string {
	if len(b) > maxSharedTextLen {
		return string(b)
	}
	r := recentSlot(b)
	if s := t.recent[r]; s == string(b) {
		return s
	}
	s, ok := t.m[string(b)]
	if !ok {
		s = string(b)
		if t.m == nil || len(t.m) >= maxSharedTexts {
			t.m = make(map[string]string, 1024)
		}
		t.m[s] = s
	}
	t.recent[r] = s
	return s
}
