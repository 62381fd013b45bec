package enrich

import "testing"

func TestFIFOMap(t *testing.T) {
	m := newFIFOMap[int](3)
	for i, k := range []string{"a", "b", "c", "a", "d", "e"} {
		m.put(k, i)
	}
	// "a" was updated in place, so "d" and "e" pushed out "a" and "b".
	for k, want := range map[string]int{"c": 2, "d": 4, "e": 5} {
		if got, ok := m.get(k); !ok || got != want {
			t.Errorf("get(%q) = %d, %v; want %d, true", k, got, ok, want)
		}
	}
	for _, k := range []string{"a", "b"} {
		if _, ok := m.get(k); ok {
			t.Errorf("get(%q) found an entry that should be forgotten", k)
		}
	}
	if len(m.m) != 3 {
		t.Errorf("holds %d entries, want 3", len(m.m))
	}
	empty := newFIFOMap[int](0)
	empty.put("a", 1)
	if _, ok := empty.get("a"); ok {
		t.Error("a map of size 0 kept an entry")
	}
}
