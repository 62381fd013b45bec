package enrich

import "strings"

// fifoMap is a map that holds at most max entries: adding one more forgets
// the oldest. It bounds the memory of state kept across events.
type fifoMap[V any] struct {
	max   int
	m     map[string]V
	order []string // keys in insertion order, used as a ring once full
	next  int      // the oldest key's index in order once full
}

func newFIFOMap[V any](max int) *fifoMap[V] {
	return &fifoMap[V]{max: max, m: make(map[string]V)}
}

func (f *fifoMap[V]) get(k string) (V, bool) {
	v, ok := f.m[k]
	return v, ok
}

// put stores v under k. The key is copied, so that the map does not hold
// on to the record it came from.
func (f *fifoMap[V]) put(k string, v V) {
	if _, ok := f.m[k]; ok {
		f.m[k] = v
		return
	}
	if f.max <= 0 {
		return
	}
	k = strings.Clone(k)
	if len(f.order) < f.max {
		f.order = append(f.order, k)
	} else {
		delete(f.m, f.order[f.next])
		f.order[f.next] = k
		f.next = (f.next + 1) % f.max
	}
	f.m[k] = v
}
