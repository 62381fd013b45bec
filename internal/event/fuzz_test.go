package event

import (
	"strings"
	"testing"
)

// FuzzNormalizeActivity checks that the activity key is its own key, and
// has the form NormalizeActivity promises: no ASCII capitals, single
// spaces, no space around a hyphen, no space or period at either end.
func FuzzNormalizeActivity(f *testing.F) {
	for _, s := range []string{
		"Update application – Certificates and secrets management ", "Update service principal.", "Sign-in activity",
		"Add\u00a0owner to application", "a - b -- c", "–", "...", " .-. ", "İSTANBUL", "\xff\xfe", "A\u2028B",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NormalizeActivity(s)
		if again := NormalizeActivity(k); again != k {
			t.Fatalf("NormalizeActivity(%q) = %q, but NormalizeActivity(%q) = %q", s, k, k, again)
		}
		switch {
		case strings.ContainsAny(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
			strings.Contains(k, "  "), strings.Contains(k, " -"), strings.Contains(k, "- "),
			strings.HasPrefix(k, " "), strings.HasSuffix(k, " "), strings.HasSuffix(k, "."):
			t.Fatalf("NormalizeActivity(%q) = %q", s, k)
		}
	})
}
