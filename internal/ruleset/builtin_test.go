package ruleset

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/rules"
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

var (
	uuidRE   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	attackID = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
)

// TestBuiltinMetadata checks what every built-in rule must carry: a
// unique kebab-case name and UUID, a guide row, a level, ATT&CK ids, and
// its texts in all four languages, translated.
func TestBuiltinMetadata(t *testing.T) {
	s := loadBuiltin(t)
	names, ids := map[string]bool{}, map[string]bool{}
	for _, r := range s.Rules {
		m := r.Meta
		t.Run(m.ID, func(t *testing.T) {
			switch {
			case names[m.ID]:
				t.Errorf("name used twice")
			case ids[r.Sigma.ID]:
				t.Errorf("id %s used twice", r.Sigma.ID)
			case !uuidRE.MatchString(r.Sigma.ID):
				t.Errorf("id %q is not a random UUID", r.Sigma.ID)
			case !kebab.MatchString(m.ID) || m.ID != r.Sigma.Name:
				t.Errorf("rule id %q is not the kebab-case name %q", m.ID, r.Sigma.Name)
			case !guide.IsRow(m.GuideRow):
				t.Errorf("guide_row %q is not a row of the guide", m.GuideRow)
			case !alert.ValidLevel(m.Level):
				t.Errorf("level %q", m.Level)
			case r.Sigma.Status == "" || r.Sigma.Author != "appwatch" || len(r.Sigma.References) == 0:
				t.Errorf("status %q, author %q, references %v", r.Sigma.Status, r.Sigma.Author, r.Sigma.References)
			}
			names[m.ID], ids[r.Sigma.ID] = true, true
			if len(m.Attack) == 0 {
				t.Errorf("no ATT&CK technique")
			}
			for _, a := range m.Attack {
				if !attackID.MatchString(a) {
					t.Errorf("ATT&CK id %q", a)
				}
			}
			checkTexts(t, m.Texts)
		})
	}
}

// checkTexts checks that every language has all three texts and that the
// translations are not English.
func checkTexts(t *testing.T, texts map[string]alert.Text) {
	t.Helper()
	en := texts["en"]
	for _, lang := range Languages() {
		tx, ok := texts[lang]
		if !ok || tx.Title == "" || tx.Description == "" || tx.Remediation == "" {
			t.Errorf("%s: title, description or remediation missing: %+v", lang, tx)
			continue
		}
		if lang == "en" {
			continue
		}
		if tx.Title == en.Title || tx.Description == en.Description || tx.Remediation == en.Remediation {
			t.Errorf("%s: text left in English", lang)
		}
		if (lang == "ja" || lang == "zh-TW") && !hasHan(tx.Description) {
			t.Errorf("%s: description has no CJK text: %q", lang, tx.Description)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestBuiltinCoverage checks that every row of the guide whose evidence is
// in audit, sign-in or Key Vault logs has rules raising alerts at the
// guide's risk level (both levels for a range such as high-to-medium), and
// that rules beyond the guide's level only add to one at it.
func TestBuiltinCoverage(t *testing.T) {
	s := loadBuiltin(t)
	levels := map[string]map[string]bool{} // row → levels of detection rules that alert
	for _, r := range s.Rules {
		if !r.Generates || r.Correlation {
			continue
		}
		if levels[r.Meta.GuideRow] == nil {
			levels[r.Meta.GuideRow] = map[string]bool{}
		}
		levels[r.Meta.GuideRow][r.Meta.Level] = true
	}
	for _, row := range guide.Rows() {
		if !row.HasSource(guide.Audit) && !row.HasSource(guide.SignIn) && !row.HasSource(guide.KeyVault) {
			if len(levels[row.Key]) > 0 {
				t.Errorf("%s: the row needs Microsoft Graph objects, yet log rules name it", row.Key)
			}
			continue
		}
		for _, want := range strings.Split(row.Risk, "-to-") {
			if !levels[row.Key][want] {
				t.Errorf("%s: no alerting rule at the guide's level %s (have %v)", row.Key, want, levels[row.Key])
			}
		}
	}
}

// TestBuiltinCorrelations checks that correlation rules only use rules
// that raise no alert of their own, so that each correlation input is
// reported once, through its correlation.
func TestBuiltinCorrelations(t *testing.T) {
	s := loadBuiltin(t)
	n := 0
	for _, r := range s.Rules {
		if !r.Correlation {
			continue
		}
		n++
		if !r.Generates {
			t.Errorf("%s: the correlation raises no alert", r.Meta.ID)
		}
		for _, name := range r.Sigma.Correlation.Rules {
			i, ok := s.Find(name)
			switch {
			case !ok:
				t.Errorf("%s: uses unknown rule %s", r.Meta.ID, name)
			case s.Rules[i].Generates:
				t.Errorf("%s: uses %s, which alerts on its own too", r.Meta.ID, name)
			}
		}
	}
	if n < 3 {
		t.Errorf("%d correlation rules, want at least 3", n)
	}
}

// TestBuiltinActivityNames checks that rules write activity names as Entra
// logs them, not the guide's shorthand.
func TestBuiltinActivityNames(t *testing.T) {
	bad := []string{"Update Application-Certificates", "Update Service principal/Update Application", "Update service principle"}
	err := fs.WalkDir(rules.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		src, err := fs.ReadFile(rules.FS(), p)
		if err != nil {
			return err
		}
		for _, b := range bad {
			if strings.Contains(string(src), b) {
				t.Errorf("%s: writes %q", p, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocsListEveryRule checks that docs/rules.md names every built-in
// rule.
func TestDocsListEveryRule(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range loadBuiltin(t).Rules {
		if !strings.Contains(string(doc), "`"+r.Meta.ID+"`") {
			t.Errorf("docs/rules.md does not list %s", r.Meta.ID)
		}
	}
}
