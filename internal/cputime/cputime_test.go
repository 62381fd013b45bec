package cputime

import "testing"

// TestNowAdvances spins until the processor time moves, which it must
// while this goroutine runs.
func TestNowAdvances(t *testing.T) {
	t0 := Now()
	x := 0
	for i := 0; Now() == t0; i++ {
		x += i
		if i > 1e9 {
			t.Fatal("processor time did not advance")
		}
	}
	_ = x
}
