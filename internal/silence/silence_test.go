package silence

import (
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
)

func TestMatchers(t *testing.T) {
	a := &alert.Alert{GuideRow: "owner-added", RuleID: "aw-owner-added", Level: alert.LevelMedium, TenantID: "t-1",
		Actor:  alert.Actor{ID: "0b1c", UPN: "Ana@Contoso.com", Name: "Ana"},
		Target: alert.Target{ID: "sp-1", AppID: "3c9a", Name: "Payroll"}}
	for _, tt := range []struct {
		matcher string
		want    bool
	}{
		{"row=owner-added", true},
		{"row!=owner-added", false},
		{"row=credential-added", false},
		{"rule=~aw-owner-.*", true},
		{"rule=~owner", false}, // anchored
		{"rule!~aw-.*", false},
		{"level=MEDIUM", true},
		{"tenant=t-1", true},
		{"app=payroll", true},
		{"app=3c9a", true},
		{"app=sp-1", true},
		{"app!=3c9a", false},
		{"app!=other", true},
		{"actor=ana@contoso.com", true},
		{"actor=~.*@contoso\\.com", false}, // case matters in expressions
		{"actor=~(?i).*@contoso\\.com", true},
		{"actor !~ .*@fabrikam\\.com", true},
	} {
		m, err := ParseMatcher(tt.matcher)
		if err != nil {
			t.Errorf("ParseMatcher(%q): %v", tt.matcher, err)
			continue
		}
		if got := m.Match(a); got != tt.want {
			t.Errorf("%s matches: %v, want %v", tt.matcher, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		matchers []string
		want     string
	}{
		{nil, "at least one matcher"},
		{[]string{"owner-added"}, "write NAME=VALUE"},
		{[]string{"user=ana"}, `"user" is not one of`},
		{[]string{"row="}, "no value"},
		{[]string{"level=severe"}, "is not one of informational"},
		{[]string{"rule=~aw-(["}, "missing closing"},
		{[]string{"row=~.*"}, "match every alert"},
		{[]string{"row=~.*", "app!=x"}, ""},
	} {
		_, err := Parse(tt.matchers)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Parse(%q): %v", tt.matchers, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Parse(%q) = %v, want an error saying %q", tt.matchers, err, tt.want)
		}
	}
}

func FuzzParseMatcher(f *testing.F) {
	for _, s := range []string{"row=owner-added", "actor=~.*@x", "app!~(", "=", "!=!=", "level=high"} {
		f.Add(s)
	}
	a := &alert.Alert{GuideRow: "owner-added", Actor: alert.Actor{UPN: "a@b"}}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMatcher(s)
		if err != nil {
			return
		}
		m.Match(a)
		if back, err := ParseMatcher(m.String()); err != nil || back.String() != m.String() {
			t.Errorf("%q → %q → %q, %v", s, m.String(), back.String(), err)
		}
	})
}
