package decode

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestNotesMatchErrors checks that every message kept about a bad record
// is kept twice alike: as English text in Errors and as a Note whose
// format is one of Messages.
func TestNotesMatchErrors(t *testing.T) {
	in := auditLine("a") + "\n{\"id\":\n" + auditLine("b") + "\n{\"id\" 1}\n{\"id\":\"x\",}\n"
	_, st, err := decodeString(t, Options{}, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Notes) != 3 || len(st.Errors) != len(st.Notes) {
		t.Fatalf("%d notes, %d errors %q; want 3 of each", len(st.Notes), len(st.Errors), st.Errors)
	}
	for i, n := range st.Notes {
		if want := fmt.Sprintf("in:%d: %s", n.Line, n.Message); st.Errors[i] != want {
			t.Errorf("error %q, note %q", st.Errors[i], want)
		}
		if !slices.Contains(Messages(), n.Format) {
			t.Errorf("note format %q is not among Messages", n.Format)
		}
	}
}

func TestSkipMessage(t *testing.T) {
	tests := []struct {
		reason, format string
		args           []any
	}{
		{"log category MicrosoftGraphActivityLogs is not analysed", skipCategory, []any{"MicrosoftGraphActivityLogs"}},
		{"Log Analytics table AppServiceHTTPLogs is not analysed", skipTable, []any{"AppServiceHTTPLogs"}},
		{"invalid JSON", "invalid JSON", nil},
		{"log category 100% is not analysed", skipCategory, []any{"100%"}},
	}
	for _, tt := range tests {
		m := SkipMessage(tt.reason)
		if m.Format != tt.format || !slices.Equal(m.Args, tt.args) || m.String() != tt.reason {
			t.Errorf("SkipMessage(%q) = %q %v (%q), want %q %v", tt.reason, m.Format, m.Args, m.String(), tt.format, tt.args)
		}
	}
	for _, r := range SkipReasons() {
		if strings.Count(r, "%") > 1 {
			t.Errorf("skip reason %q takes more than a name", r)
		}
	}
}
