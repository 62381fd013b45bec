package scan

import (
	"io/fs"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/rules"
)

// auditRule is what a built-in audit log rule says about activities.
type auditRule struct {
	name, row string
	// activities are the keys of the activity names it matches.
	activities map[string]string
}

// builtinAuditRules reads the activity names every built-in rule on Entra
// audit logs matches, from the rule files themselves.
func builtinAuditRules(t *testing.T) []auditRule {
	t.Helper()
	var out []auditRule
	err := fs.WalkDir(rules.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		src, err := fs.ReadFile(rules.FS(), p)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(strings.NewReader(string(src)))
		for {
			var doc struct {
				Name      string         `yaml:"name"`
				GuideRow  string         `yaml:"guide_row"`
				Logsource map[string]any `yaml:"logsource"`
				Detection map[string]any `yaml:"detection"`
			}
			if err := dec.Decode(&doc); err != nil {
				break
			}
			if doc.Logsource["service"] != "auditlogs" {
				continue
			}
			r := auditRule{name: doc.Name, row: doc.GuideRow, activities: map[string]string{}}
			collectActivities(t, p, doc.Detection, r.activities)
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// collectActivities adds the values of every "activity" field in a
// detection to out, by key.
func collectActivities(t *testing.T, file string, v any, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, val := range v {
			field, mods, _ := strings.Cut(k, "|")
			if field != "activity" {
				collectActivities(t, file, val, out)
				continue
			}
			if mods != "" {
				t.Errorf("%s: activity|%s: built-in rules name activities exactly", file, mods)
			}
			for _, name := range stringsOf(val) {
				out[event.NormalizeActivity(name)] = name
			}
		}
	case []any:
		for _, item := range v {
			collectActivities(t, file, item, out)
		}
	}
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// TestRulesCoverReferenceActivities checks the built-in rules against the
// activity reference data: a rule may only name activities the reference
// knows, and for each guide row, every activity the reference says the
// row depends on is matched by one of the row's rules.
func TestRulesCoverReferenceActivities(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]map[string]bool{} // row → activity keys its rules match
	for _, r := range builtinAuditRules(t) {
		if covered[r.row] == nil {
			covered[r.row] = map[string]bool{}
		}
		for key, name := range r.activities {
			if _, ok := ref.AuditActivity(key); !ok {
				t.Errorf("%s matches %q, which the activity reference does not know", r.name, name)
			}
			covered[r.row][key] = true
		}
	}
	for _, row := range rowKeys(ref) {
		acts := ref.RowActivities(row)
		n := 0
		for _, a := range acts {
			if covered[row][a.Key] {
				n++
				continue
			}
			t.Errorf("row %s depends on %q, and none of its rules matches it", row, a.Name)
		}
		t.Logf("%-28s reference %3d, covered %3d", row, len(acts), n)
	}
}

// rowKeys lists the rows the activity reference names, in first-seen
// order.
func rowKeys(ref *refdata.Data) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range ref.AuditActivities() {
		for _, r := range a.Rows {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}
