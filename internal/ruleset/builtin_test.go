package ruleset

import (
	"context"
	"testing"
)

// loadBuiltin loads the built-in catalog or fails the test.
func loadBuiltin(tb testing.TB) *Set {
	tb.Helper()
	s, err := Load(context.Background(), Options{})
	if err != nil {
		tb.Fatalf("load built-in rules:\n%v", err)
	}
	return s
}

func TestBuiltinLoads(t *testing.T) {
	s := loadBuiltin(t)
	if len(s.Rules) == 0 {
		t.Fatal("no built-in rules")
	}
}
