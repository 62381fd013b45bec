package ruleset

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/sigma"
)

// userRule is a valid user rule; tests replace parts of it.
const userRule = `title: Owner added by a guest
name: guest-owner
level: medium
tags: [attack.persistence, attack.t1098]
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add owner to application
    actor.upn|contains: '#EXT#'
  condition: sel
guide_row: owner-added
`

// writeRules writes files into a new directory and returns it.
func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadUserRule(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"sub/guest-owner.yaml": userRule + `remediation: Ask who invited the guest.
translations:
  it: {title: Proprietario aggiunto da un ospite}
`,
		"notes.txt":                "not a rule",
		"testdata/ignored.yml":     "title: [broken",
		".hidden/also-ignored.yml": "title: [broken",
	})
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != 1 {
		t.Fatalf("%d rules, want 1", len(s.Rules))
	}
	r := s.Rules[0]
	want := alert.Rule{
		ID: "guest-owner", GuideRow: "owner-added", Level: "medium", Attack: []string{"T1098"},
		Texts: map[string]alert.Text{
			"en": {Title: "Owner added by a guest", Remediation: "Ask who invited the guest."},
			"it": {Title: "Proprietario aggiunto da un ospite"},
		},
	}
	if !reflect.DeepEqual(r.Meta, want) {
		t.Errorf("meta %+v, want %+v", r.Meta, want)
	}
	if r.Builtin || r.Correlation || !r.Generates {
		t.Errorf("builtin %v, correlation %v, generates %v", r.Builtin, r.Correlation, r.Generates)
	}
	if wantFile := filepath.Join(dir, "sub", "guest-owner.yaml"); r.File != wantFile {
		t.Errorf("file %q, want %q", r.File, wantFile)
	}
	if got := r.Meta.Text("it").Remediation; got != "Ask who invited the guest." {
		t.Errorf("Italian remediation falls back to %q", got)
	}
}

func TestLoadUserRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // substrings of the error, each with its position
	}{
		{"guide row not text", strings.Replace(userRule, "guide_row: owner-added", "guide_row: [owner-added]", 1),
			[]string{"r.yml:11:12: guide_row must be a row key"}},
		{"guide row not kebab", strings.Replace(userRule, "guide_row: owner-added", "guide_row: Owner_Added", 1),
			[]string{`r.yml:11:12: guide_row "Owner_Added" is not kebab-case`}},
		{"bad level", strings.Replace(userRule, "level: medium", "level: severe", 1),
			[]string{`r.yml:1: level "severe" is not one of`}},
		{"no level", strings.Replace(userRule, "level: medium\n", "", 1),
			[]string{"r.yml:1: rule has no level"}},
		{"no name or id", strings.Replace(userRule, "name: guest-owner\n", "", 1),
			[]string{"r.yml:1: rule has neither a name nor an id"}},
		{"unknown language", userRule + "translations:\n  fr: {title: Propriétaire ajouté}\n",
			[]string{`r.yml:13:3: unknown language "fr"`}},
		{"unknown text key", userRule + "translations:\n  ja:\n    titel: 所有者\n",
			[]string{`r.yml:14:5: translation ja: unknown key "titel"`}},
		{"text not a string", userRule + "translations:\n  it:\n    title: [a, b]\n",
			[]string{"r.yml:14:12: translation it: title must be text"}},
		{"false positives not a list", userRule + "translations:\n  it:\n    falsepositives: Un amministratore\n",
			[]string{"r.yml:14:21: translation it: falsepositives must be a list of texts"}},
		{"false positive not text", userRule + "translations:\n  it:\n    falsepositives:\n      - {a: b}\n",
			[]string{"r.yml:15:9: translation it: falsepositives must be a list of texts"}},
		{"translations not a map", userRule + "translations: [it]\n",
			[]string{"r.yml:12:15: translations must map language tags"}},
		{"remediation not text", userRule + "remediation: {en: x}\n",
			[]string{"r.yml:12:14: remediation must be text"}},
		{"several problems", strings.Replace(userRule, "level: medium", "level: severe", 1) + "translations:\n  fr: {}\n",
			[]string{`r.yml:1: level "severe"`, `r.yml:13:3: unknown language "fr"`}},
		// Errors of the Sigma engine reach the user unchanged.
		{"unknown modifier", strings.Replace(userRule, "actor.upn|contains", "actor.upn|nequal", 1),
			[]string{`r.yml:9:5: unknown modifier "nequal"`}},
		{"unknown field", strings.Replace(userRule, "actor.upn|contains", "actor.mail", 1),
			[]string{`r.yml:9:5: unknown field "actor.mail"`}},
		{"aggregation", strings.Replace(userRule, "condition: sel", "condition: sel | count() > 5", 1),
			[]string{"r.yml:10:18: condition: aggregation expressions are not supported"}},
		{"invalid YAML", "title: [oops\n", []string{"r.yml:1: invalid YAML"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRules(t, map[string]string{"r.yml": tt.text})
			// Strictly, the problems are the error; otherwise the rule is
			// skipped with the same problems.
			_, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}, Strict: true})
			if err == nil {
				t.Fatal("no error")
			}
			s, lerr := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
			if lerr != nil || len(s.Rules) != 0 || len(s.Skipped) != 1 {
				t.Fatalf("lenient load: %v, %d rules, skipped %v", lerr, len(s.Rules), s.Skipped)
			}
			for _, msg := range []string{err.Error(), s.Skipped[0].Error()} {
				msg = strings.ReplaceAll(msg, filepath.Join(dir, "r.yml"), "r.yml")
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("error\n%s\ndoes not hold\n%s", msg, w)
					}
				}
			}
		})
	}
}

func TestLoadDuplicateOfBuiltin(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"r.yml": strings.Replace(userRule, "name: guest-owner", "name: owner-added", 1),
	})
	const want = `"owner-added" is also used at rules/owner-added.yml`
	_, err := Load(context.Background(), Options{Dirs: []string{dir}, Strict: true})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want the name clash with the built-in rule", err)
	}
	s, err := Load(context.Background(), Options{Dirs: []string{dir}})
	if err != nil || len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0].Error(), want) {
		t.Fatalf("lenient: %v, skipped %v; want the user rule skipped", err, s.Skipped)
	}
	if i, ok := s.Find("owner-added"); !ok || !s.Rules[i].Builtin {
		t.Error("the built-in rule was not kept")
	}
}

// TestLoadSkipsBadRules loads a folder in which some rules cannot be
// loaded: the others load, each bad one is listed once with all its
// problems, and a correlation over a bad rule is skipped too.
func TestLoadSkipsBadRules(t *testing.T) {
	noRow := strings.NewReplacer("guide_row: owner-added\n", "", "name: guest-owner\n", "id: 2c9f7a51-6f0e-4d8b-9a3c-1e2d3f4a5b6c\n").Replace(userRule)
	badFields := strings.NewReplacer("name: guest-owner", "name: two-bad-fields", "activity:", "Nope:", "actor.upn|contains", "Other").Replace(userRule)
	corr := `title: Two guest owners
name: two-guest-owners
level: high
correlation: {type: event_count, rules: [two-bad-fields], group-by: [actor.upn], timespan: 1h, condition: {gte: 2}}
`
	dir := writeRules(t, map[string]string{
		"a-good.yml":   userRule,
		"b-no-row.yml": noRow,
		"c-bad.yml":    badFields + "---\n" + corr,
		"d-yaml.yml":   "title: [broken\n",
	})
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range s.Rules {
		ids = append(ids, r.Meta.ID+" "+r.Meta.GuideRow)
	}
	if want := []string{"guest-owner owner-added", "2c9f7a51-6f0e-4d8b-9a3c-1e2d3f4a5b6c owner-added-by-a-guest"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("loaded %q, want %q", ids, want)
	}
	var got []string
	for _, sk := range s.Skipped {
		got = append(got, strings.ReplaceAll(sk.Rule+": "+sk.Error(), dir+string(filepath.Separator), ""))
	}
	want := []string{
		"two-bad-fields: c-bad.yml:8:5: unknown field \"Nope\"\nc-bad.yml:9:5: unknown field \"Other\"",
		`two-guest-owners: c-bad.yml:16:42: correlation refers to rule "two-bad-fields", which could not be loaded`,
		": d-yaml.yml:1: invalid YAML: did not find expected ',' or ']'",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skipped:\n got %q\nwant %q", got, want)
	}
	if _, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}, Strict: true}); err == nil {
		t.Error("strict load of bad rules succeeded")
	}
}

func TestOwnRow(t *testing.T) {
	tests := []struct{ title, name, want string }{
		{"User State Changed From Guest To Member", "", "user-state-changed-from-guest-to-member"},
		{"Azure AD: Sign-ins from Non-Compliant Devices!", "", "azure-ad-sign-ins-from-non-compliant-devices"},
		{"Owner added", "", "rule-owner-added"},
		{"資格情報の追加", "cred-add", "rule-cred-add"},
		{strings.Repeat("word ", 20), "", "word-word-word-word-word-word-word-word-word-word-word-word"},
	}
	for _, tt := range tests {
		if got := ownRow(&sigma.Rule{Title: tt.title, Name: tt.name}); got != tt.want {
			t.Errorf("ownRow(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestLoadDirectoryErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rule.yml")
	if err := os.WriteFile(file, []byte(userRule), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{file, filepath.Join(t.TempDir(), "missing")} {
		if _, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}}); err == nil {
			t.Errorf("%s: no error", dir)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, Options{}); err == nil {
		t.Error("canceled load: no error")
	}
}

// TestBuiltinChecks checks what only built-in rules must carry.
func TestBuiltinChecks(t *testing.T) {
	full := userRule + `description: A guest became an owner.
remediation: Remove the owner.
translations:
  zh-TW: {title: 標題, description: 說明, remediation: 處理}
  it: {title: Titolo, description: Descrizione, remediation: Rimedio}
  ja: {title: タイトル, description: 説明, remediation: 対処}
`
	fps := strings.NewReplacer("remediation: Remove the owner.\n", "remediation: Remove the owner.\nfalsepositives: [On-call engineers]\n",
		"處理}", "處理, falsepositives: [值班工程師]}", "Rimedio}", "Rimedio, falsepositives: [Tecnici di turno]}",
		"対処}", "対処, falsepositives: [当番のエンジニア]}").Replace(full)
	tests := []struct {
		name, text, want string
	}{
		{"valid", full, ""},
		{"not kebab", strings.Replace(full, "name: guest-owner", "name: GuestOwner", 1), `rule name "GuestOwner" is not kebab-case`},
		{"no name", strings.Replace(full, "name: guest-owner", "id: 0d9c1f6e-2b7a-4c5d-9e8f-1a2b3c4d5e6f", 1), "built-in rule has no name"},
		{"not a row", strings.Replace(full, "guide_row: owner-added", "guide_row: guest-owner", 1), `guide_row "guest-owner" is not a row of the guide`},
		{"no attack", strings.Replace(full, ", attack.t1098", "", 1), "no ATT&CK technique tag"},
		{"no description", strings.Replace(full, "description: A guest became an owner.\n", "", 1), "rule has no description"},
		{"no remediation", strings.Replace(full, "remediation: Remove the owner.\n", "", 1), "rule has no remediation"},
		{"no translations", userRule + "description: d\nremediation: r\n", "built-in rule has no translations"},
		{"missing language", strings.Replace(full, "  ja: {title: タイトル, description: 説明, remediation: 対処}\n", "", 1), "built-in rule has no ja translation"},
		{"missing text", strings.Replace(full, ", remediation: Rimedio", "", 1), "translation it needs a title, a description and a remediation"},
		{"false positives translated", fps, ""},
		{"false positives not translated", strings.Replace(fps, ", falsepositives: [Tecnici di turno]", "", 1), "translation it has 0 false positives, the rule 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"r.yml": {Data: []byte(tt.text)}}
			_, skips := readFile(source{fsys: fsys, path: "r.yml", name: "rules/r.yml", builtin: true})
			err := errors.Join(skipErrors(skips)...)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	rule := strings.Replace(userRule, "actor.upn|contains: '#EXT#'", "actor.upn|expand: '%approved_actors%'", 1)
	dir := writeRules(t, map[string]string{"r.yml": rule})
	if _, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}, Strict: true}); err == nil ||
		!strings.Contains(err.Error(), "unknown placeholder %approved_actors%") {
		t.Errorf("without placeholders: %v", err)
	}
	values := func(name string) ([]string, bool) {
		if name == "approved_actors" {
			return []string{"ana.admin@contoso.com"}, true
		}
		return nil, false
	}
	if _, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}, Placeholders: values}); err != nil {
		t.Errorf("with placeholders: %v", err)
	}
}

func TestSource(t *testing.T) {
	s := loadBuiltin(t)
	for _, id := range []string{"owner-added", "credential-added-after-admin-consent", "app-credential-added"} {
		i, ok := s.Find(id)
		if !ok {
			t.Fatalf("%s not found", id)
		}
		src, err := s.Rules[i].Source()
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		if !strings.Contains(text, "name: "+id+"\n") || strings.Count(text, "\nname: ") > 0 && strings.Count(text, "name: ") != 1 {
			t.Errorf("%s: source holds another rule or not this one:\n%s", id, text)
		}
		if strings.Contains(text, "\n---") {
			t.Errorf("%s: source holds a document separator", id)
		}
	}
}

func TestDocument(t *testing.T) {
	src := []byte("---\na: 1\n---\nb: 2\nc: 3\n---   \n\nd: 4\n")
	tests := []struct {
		line int
		want string
	}{
		{2, "a: 1\n"},
		{4, "b: 2\nc: 3\n"},
		{8, "\nd: 4\n"},
	}
	for _, tt := range tests {
		if got := string(document(src, tt.line)); got != tt.want {
			t.Errorf("line %d: %q, want %q", tt.line, got, tt.want)
		}
	}
	if got := string(document([]byte("x: 1\n"), 1)); got != "x: 1\n" {
		t.Errorf("single document: %q", got)
	}
}

// TestNeverFires checks the warning about rules that load but can never
// fire, because a field they read is not in the events of their logsource.
func TestNeverFires(t *testing.T) {
	rule := func(service, field string) string {
		return "title: t\nid: 3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d\nlevel: low\nlogsource: {product: azure, service: " + service +
			"}\ndetection: {sel: {" + field + ": x}, condition: sel}\n"
	}
	tests := []struct {
		service, field string
		warn           bool
	}{
		{"pim", "riskEventType", true},
		{"auditlogs", "DeviceDetail.isCompliant", true},
		{"riskdetection", "riskEventType", false},
		{"pim", "OperationName", false},
		{"pim", "TargetResources.type", false},
		{"signinlogs", "RiskState", false},
	}
	for _, tt := range tests {
		dir := writeRules(t, map[string]string{"r.yml": rule(tt.service, tt.field)})
		s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(s.Warnings) == 1; got != tt.warn || len(s.Rules) != 1 {
			t.Errorf("%s %s: warnings %v, want a warning %v", tt.service, tt.field, s.Warnings, tt.warn)
		}
		if tt.warn && !strings.Contains(s.Warnings[0].Error(), "r.yml:1: rule \"3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d\" can never fire: field ") {
			t.Errorf("warning %q", s.Warnings[0])
		}
	}
}
