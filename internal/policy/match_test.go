package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSuppression(t *testing.T) {
	p := mustParse(t, v1+`business_hours:
  timezone: Europe/Rome
  days: [mon]
  start: "08:00"
  end: "17:00"
suppressions:
  - guide_row: credential-added
    actor: svc-rotation@contoso.com
    target: "Contoso HR *"
    reason: rotation service
    expires: 2026-03-31
  - rule: aw-keyvault-*
    app_id: [11111111-1111-1111-1111-111111111111, 22222222-2222-2222-2222-222222222222]
    reason: pipeline
    expires: 2026-01-31T18:00:00+01:00
  - rule: aw-owner-added
    guide_row: owner-added
    reason: both must match
    expires: 2030-01-01
  - rule: aw-consent-?
    reason: single character
    expires: 2030-01-01
  - guide_row: credential-added
    reason: catch-all for the row, after the narrower one
    expires: 2030-01-01
`)
	before := utc("2026-01-01T00:00:00Z")
	tests := []struct {
		name string
		a    AlertFacts
		at   time.Time
		want int // line of the suppression that applies, 0 for none
	}{
		{"actor and target match", AlertFacts{
			GuideRow: "credential-added", Actor: []string{"0000", "SVC-Rotation@Contoso.com"}, Target: []string{"app-id", "Contoso HR Portal"},
		}, before, 8},
		{"target pattern does not match, row catch-all does", AlertFacts{
			GuideRow: "credential-added", Actor: []string{"svc-rotation@contoso.com"}, Target: []string{"Contoso Finance"},
		}, before, 24},
		{"no actor known: the actor matcher cannot match", AlertFacts{
			GuideRow: "credential-added", Target: []string{"Contoso HR Portal"},
		}, before, 24},
		{"date expiry is midnight in the policy zone", AlertFacts{
			GuideRow: "credential-added", Actor: []string{"svc-rotation@contoso.com"}, Target: []string{"Contoso HR Portal"},
		}, utc("2026-03-30T22:00:00Z"), 24},
		{"just before the date expiry", AlertFacts{
			GuideRow: "credential-added", Actor: []string{"svc-rotation@contoso.com"}, Target: []string{"Contoso HR Portal"},
		}, utc("2026-03-30T21:59:59Z"), 8},
		{"rule glob and second app id", AlertFacts{
			RuleID: "aw-keyvault-secret-read", AppID: "22222222-2222-2222-2222-222222222222",
		}, before, 13},
		{"rule glob, other app", AlertFacts{
			RuleID: "aw-keyvault-secret-read", AppID: "33333333-3333-3333-3333-333333333333",
		}, before, 0},
		{"rule glob, no app id", AlertFacts{RuleID: "aw-keyvault-secret-read"}, before, 0},
		{"RFC 3339 expiry, just before", AlertFacts{
			RuleID: "aw-keyvault-x", AppID: "11111111-1111-1111-1111-111111111111",
		}, utc("2026-01-31T16:59:59Z"), 13},
		{"RFC 3339 expiry reached", AlertFacts{
			RuleID: "aw-keyvault-x", AppID: "11111111-1111-1111-1111-111111111111",
		}, utc("2026-01-31T17:00:00Z"), 0},
		{"rule and row both match", AlertFacts{RuleID: "aw-owner-added", GuideRow: "owner-added"}, before, 17},
		{"rule matches, row does not", AlertFacts{RuleID: "aw-owner-added", GuideRow: "other"}, before, 0},
		{"question mark: one character", AlertFacts{RuleID: "aw-consent-1"}, before, 21},
		{"question mark: not two", AlertFacts{RuleID: "aw-consent-12"}, before, 0},
		{"unrelated alert", AlertFacts{RuleID: "aw-ropc", GuideRow: "ropc-signin"}, before, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := p.Suppression(tc.a, tc.at)
			switch {
			case tc.want == 0 && ok:
				t.Errorf("suppressed by line %d, want not suppressed", s.Line)
			case tc.want != 0 && !ok:
				t.Errorf("not suppressed, want line %d", tc.want)
			case ok && s.Line != tc.want:
				t.Errorf("suppressed by line %d, want line %d", s.Line, tc.want)
			}
		})
	}
}

func TestSuppressionIsACopy(t *testing.T) {
	p := mustParse(t, v1+"suppressions:\n  - {rule: r, actor: [a], reason: x, expires: 2030-01-01}\n")
	a := AlertFacts{RuleID: "r", Actor: []string{"a"}}
	s, ok := p.Suppression(a, utc("2025-01-01T00:00:00Z"))
	if !ok || s.Reason != "x" || !slices.Equal(s.Actor, []string{"a"}) {
		t.Fatalf("Suppression = %+v, %v", s, ok)
	}
	s.Actor[0] = "b"
	s.Rule = "other"
	if _, ok := p.Suppression(a, utc("2025-01-01T00:00:00Z")); !ok {
		t.Error("changing the returned suppression changed the policy")
	}
}

func TestExpired(t *testing.T) {
	p := mustParse(t, v1+`suppressions:
  - {rule: a, reason: x, expires: 2025-01-01}
  - {rule: b, reason: x, expires: 2026-01-01}
`)
	var rules []string
	for _, s := range p.Expired(utc("2025-06-01T00:00:00Z")) {
		rules = append(rules, s.Rule)
	}
	if !slices.Equal(rules, []string{"a"}) {
		t.Errorf("Expired = %v, want [a]", rules)
	}
}

func TestOwnsDomain(t *testing.T) {
	p := mustParse(t, v1+"owned_domains: [Contoso.com., contoso.onmicrosoft.com]\n")
	tests := []struct {
		host string
		want bool
	}{
		{"contoso.com", true},
		{"app.contoso.com", true},
		{"a.b.contoso.com", true},
		{"APP.Contoso.COM.", true},
		{"contoso.com:443", true},
		{" contoso.com ", true},
		{"*.contoso.com", true},
		{"contoso.onmicrosoft.com", true},
		{"login.contoso.onmicrosoft.com", true},
		{"evilcontoso.com", false},
		{"contoso.com.evil.example", false},
		{"contoso.co", false},
		{"com", false},
		{"onmicrosoft.com", false},
		{"fabrikam.onmicrosoft.com", false},
		{"xcontoso.onmicrosoft.com", false},
		{".contoso.com.x", false},
		{"", false},
		{"[::1]:443", false},
	}
	for _, tc := range tests {
		ok, configured := p.OwnsDomain(tc.host)
		if ok != tc.want || !configured {
			t.Errorf("OwnsDomain(%q) = %v, %v; want %v, true", tc.host, ok, configured, tc.want)
		}
	}
	empty := mustParseWarned(t, v1+"owned_domains: []\n")
	if ok, configured := empty.OwnsDomain("contoso.com"); ok || configured {
		t.Errorf("empty list: OwnsDomain = %v, %v; want false, false", ok, configured)
	}
}

// mustParseWarned parses a document that is allowed warnings.
func mustParseWarned(t *testing.T, doc string) *Policy {
	t.Helper()
	p, _, err := Parse("p.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func TestApproved(t *testing.T) {
	p := mustParse(t, v1+`approved:
  actors: [Admin@Contoso.com, 6b1d9a2e-8f3c-4c5e-9d2a-1e7f0b3c4d5e]
  apps: [0C8E2F4A-7B1D-4E3F-A5C6-9D8E7F6A5B4C, Contoso Provisioning]
`)
	tests := []struct {
		name     string
		actor    bool
		ids      []string
		approved bool
	}{
		{"UPN in other case", true, []string{"admin@contoso.com"}, true},
		{"object id among others", true, []string{"", "someone@contoso.com", "6B1D9A2E-8F3C-4C5E-9D2A-1E7F0B3C4D5E"}, true},
		{"unknown actor", true, []string{"eve@contoso.com"}, false},
		{"no ids", true, nil, false},
		{"only empty ids", true, []string{"", "  "}, false},
		{"an app id is not an actor", true, []string{"0c8e2f4a-7b1d-4e3f-a5c6-9d8e7f6a5b4c"}, false},
		{"app id in other case", false, []string{"0c8e2f4a-7b1d-4e3f-a5c6-9d8e7f6a5b4c"}, true},
		{"app by name", false, []string{"x", "contoso provisioning"}, true},
		{"partial name is not enough", false, []string{"Contoso"}, false},
	}
	for _, tc := range tests {
		got := p.ApprovedApp(tc.ids...)
		if tc.actor {
			got = p.ApprovedActor(tc.ids...)
		}
		if got != tc.approved {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.approved)
		}
	}
}

func TestLevel(t *testing.T) {
	p := mustParse(t, v1+`severity:
  rules:
    aw-device-code: critical
  guide_rows:
    device-code-signin: low
    owner-added: informational
`)
	tests := []struct {
		rule, row, def, want string
	}{
		{"aw-device-code", "device-code-signin", "medium", "critical"},
		{"aw-device-code-2", "device-code-signin", "medium", "low"},
		{"aw-owner", "owner-added", "high", "informational"},
		{"aw-other", "other", "high", "high"},
		{"", "", "medium", "medium"},
	}
	for _, tc := range tests {
		if got := p.Level(tc.rule, tc.row, tc.def); got != tc.want {
			t.Errorf("Level(%q, %q, %q) = %q, want %q", tc.rule, tc.row, tc.def, got, tc.want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	p := mustParse(t, v1+`approved:
  actors: [a@contoso.com, b@contoso.com]
owned_domains: [contoso.com]
placeholders:
  approved_actors: [c@contoso.com, a@contoso.com]
  break_glass: [bg@contoso.com]
  empty: []
`)
	tests := []struct {
		name string
		want []string
		ok   bool
	}{
		{"approved_actors", []string{"a@contoso.com", "b@contoso.com", "c@contoso.com"}, true},
		{"%approved_actors%", []string{"a@contoso.com", "b@contoso.com", "c@contoso.com"}, true},
		{"approved_apps", []string{}, true},
		{"owned_domains", []string{"contoso.com"}, true},
		{"break_glass", []string{"bg@contoso.com"}, true},
		{"%break_glass%", []string{"bg@contoso.com"}, true},
		{"empty", []string{}, true},
		{"missing", nil, false},
		{"Break_Glass", nil, false},
	}
	for _, tc := range tests {
		got, ok := p.Placeholders(tc.name)
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("Placeholders(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	got, _ := p.Placeholders("owned_domains")
	got[0] = "changed"
	if again, _ := p.Placeholders("owned_domains"); again[0] != "contoso.com" {
		t.Error("changing the returned values changed the policy")
	}
}

func TestLifetimes(t *testing.T) {
	tests := []struct {
		secret, cert string
		wantSecret   time.Duration
		wantCert     time.Duration
	}{
		{"180d", "365d", 180 * day, 365 * day},
		{"26w", "52w", 182 * day, 364 * day},
		{"4320h", "1w3d", 180 * day, 10 * day},
		{"1d12h", "8760h", 36 * time.Hour, 365 * day},
	}
	for _, tc := range tests {
		p := mustParse(t, v1+"credentials:\n  max_secret_lifetime: "+tc.secret+"\n  max_certificate_lifetime: "+tc.cert+"\n")
		if p.SecretLifetime() != tc.wantSecret || p.CertificateLifetime() != tc.wantCert {
			t.Errorf("%s, %s: got %v, %v; want %v, %v", tc.secret, tc.cert, p.SecretLifetime(), p.CertificateLifetime(), tc.wantSecret, tc.wantCert)
		}
	}
	p := mustParse(t, v1+"credentials:\n  max_secret_lifetime: 90d\n")
	if p.CertificateLifetime() != DefaultCertificateLifetime {
		t.Errorf("certificate lifetime = %v, want the default when not given", p.CertificateLifetime())
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"abc", "abc", true},
		{"abc", "ABC", true},
		{"abc", "abcd", false},
		{"a*", "a", true},
		{"a*", "abc", true},
		{"*c", "abc", true},
		{"*b*", "abc", true},
		{"a*c", "ac", true},
		{"a*c", "abbbc", true},
		{"a*c", "abcd", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"a**b", "axxb", true},
		{"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"é?", "ÉX", true},
		{"contoso hr *", "Contoso HR Portal", true},
		{"a/b*", "a/b/c", true},
		{"[a]", "[a]", true},
	}
	for _, tc := range tests {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"business_hours", "holidays", "timezone", "actors", "mon", "fri"}
	tests := []struct {
		word, want string
	}{
		{"buisness_hours", "business_hours"},
		{"holiday", "holidays"},
		{"TimeZone", "timezone"},
		{"time_zone", "timezone"},
		{"actor", "actors"},
		{"Monday", "mon"},
		{"friday", "fri"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tc := range tests {
		if got := suggest(tc.word, keys); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"nmae", "name", 1},
		{"ab", "ba", 1},
		{"abc", "abc", 0},
		{"été", "ete", 2},
	}
	for _, tc := range tests {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestTenant(t *testing.T) {
	p := mustParse(t, v1+"tenant: {id: 3F2504E0-4F89-41D3-9A0C-0305E82C3301, name: Contoso}\n")
	want := Tenant{ID: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", Name: "Contoso"}
	if got := p.Tenant(); got != want {
		t.Errorf("Tenant() = %+v, want %+v", got, want)
	}
	if got := Default().Tenant(); got != (Tenant{}) {
		t.Errorf("default Tenant() = %+v, want empty", got)
	}
}

func TestExpectedChangeLevel(t *testing.T) {
	tests := []struct {
		name, doc string
		levels    map[string]string // alert level → level it gets
	}{
		{"default: everything informational", v1, map[string]string{
			"critical": "informational", "high": "informational", "low": "informational", "informational": "informational"}},
		{"lowered to low up to medium", v1 + "expected_changes: {level: low, up_to: medium}\n", map[string]string{
			"critical": "critical", "high": "high", "medium": "low", "low": "low", "informational": "informational"}},
		{"spare critical", v1 + "expected_changes: {up_to: high}\n", map[string]string{
			"critical": "critical", "high": "informational", "medium": "informational"}},
		{"unchanged", v1 + "expected_changes: {level: unchanged}\n", map[string]string{
			"critical": "critical", "low": "low"}},
	}
	for _, tc := range tests {
		p := mustParse(t, tc.doc)
		for in, want := range tc.levels {
			got, lowered := p.ExpectedChangeLevel(in)
			if got != want || lowered != (got != in) {
				t.Errorf("%s: ExpectedChangeLevel(%s) = %s, %v; want %s", tc.name, in, got, lowered, want)
			}
		}
	}
}

func TestExpectedChangesErrors(t *testing.T) {
	_, diags, err := Parse("p.yaml", []byte(v1+"expected_changes: {level: lowest, up_to: never, when: always}\n"))
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	for _, want := range []string{`p.yaml:2:27: expected_changes.level: unknown level "lowest"`, `p.yaml:2:42: expected_changes.up_to: unknown level "never"`, `p.yaml:2:49: expected_changes: unknown key "when"`} {
		if err == nil || !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("diagnostics %q lack %q", got, want)
		}
	}
	_, diags, _ = Parse("p.yaml", []byte(v1+"expected_changes: {level: high, up_to: medium}\n"))
	if len(diags) != 1 || diags[0].Severity != SeverityWarning || !strings.Contains(diags[0].Message, "no alert is lowered") {
		t.Errorf("diagnostics %v, want a warning that nothing is lowered", diags)
	}
}

func TestRuleRefs(t *testing.T) {
	p := mustParse(t, v1+`suppressions:
  - rule: keyvault-*
    reason: r
    expires: 2030-01-01
  - guide_row: owner-added
    reason: r
    expires: 2030-01-01
severity:
  rules:
    device-code-signin: high
    aw-device-code-signin: critical
`)
	want := []RuleRef{
		{ID: "keyvault-*", Pattern: true, Line: 3, Column: 11, Path: "suppressions[0].rule"},
		{ID: "device-code-signin", Line: 11, Column: 5, Path: "severity.rules.device-code-signin"},
		{ID: "aw-device-code-signin", Line: 12, Column: 5, Path: "severity.rules.aw-device-code-signin"},
	}
	if got := p.RuleRefs(); !slices.Equal(got, want) {
		t.Errorf("RuleRefs() = %+v\nwant %+v", got, want)
	}
	var got []string
	for _, d := range p.UnknownRules([]string{"keyvault-request-refused", "device-code-signin", "owner-added"}, SeverityWarning) {
		got = append(got, d.String())
	}
	want2 := []string{`p.yaml:12:5: warning: severity.rules.aw-device-code-signin: no rule has the id "aw-device-code-signin" (did you mean "device-code-signin"?) (see appwatch rules list)`}
	if !slices.Equal(got, want2) {
		t.Errorf("UnknownRules = %q\nwant %q", got, want2)
	}
	got = nil
	for _, d := range CheckRules("policy.yaml", []byte(v1+"suppressions:\n  - rule: aw-keyvault-*\n    reason: r\n    expires: 2030-01-01\n"), []string{"keyvault-request-refused"}) {
		got = append(got, d.String())
	}
	if want := []string{`policy.yaml:3:11: suppressions[0].rule: the pattern "aw-keyvault-*" matches no rule (see appwatch rules list)`}; !slices.Equal(got, want) {
		t.Errorf("CheckRules = %q\nwant %q", got, want)
	}
}

func TestFileSizeLimit(t *testing.T) {
	big := v1 + "# " + strings.Repeat("x", MaxFileSize) + "\n"
	if _, _, err := Parse("p.yaml", []byte(big)); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("Parse of a %d-byte file: %v", len(big), err)
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("Load of a %d-byte file: %v", len(big), err)
	}
}
