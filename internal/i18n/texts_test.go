package i18n_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/ruleset"
)

// TestTextsFollowGlossary checks every text of the built-in rules and of
// the posture checks, in every language, with i18n.Lint: titles,
// descriptions, remediation and false positives. The messages of the
// user interface are checked by TestCatalogFollowsGlossary. With -v it
// prints, per language, the share of rules and checks whose texts have no
// problem.
func TestTextsFollowGlossary(t *testing.T) {
	set, err := ruleset.Load(t.Context(), ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var items []item
	for _, r := range set.Rules {
		items = append(items, item{"rule " + r.Meta.ID, &r.Meta})
	}
	for _, c := range posture.Checks() {
		items = append(items, item{"check " + c.ID, c})
	}
	if len(items) < 50 {
		t.Fatalf("only %d rules and checks found", len(items))
	}
	for _, lang := range i18n.Langs() {
		clean, cleanTexts := 0, 0
		for _, it := range items {
			problems, inTexts := it.lint(lang)
			for _, p := range problems {
				t.Errorf("%s (%s): %s", it.name, lang, p)
			}
			if len(problems) == 0 {
				clean++
			}
			if inTexts == 0 {
				cleanTexts++
			}
		}
		n := float64(len(items))
		t.Logf("%-5s rules and checks without a problem: %d of %d (%.0f%%); in title, description and remediation: %d (%.0f%%)",
			lang, clean, len(items), 100*float64(clean)/n, cleanTexts, 100*float64(cleanTexts)/n)
	}
}

// item is a rule or a posture check and its texts.
type item struct {
	name string
	rule *alert.Rule
}

// lint returns the problems of the item's texts in lang, and how many of
// them are in its title, description and remediation. A text missing in
// lang is checked as the English text shown in its place.
func (it item) lint(lang string) ([]string, int) {
	en, t := it.rule.Texts[i18n.English], it.rule.Text(lang)
	fields := []struct{ name, text, en string }{
		{"title", t.Title, en.Title},
		{"description", t.Description, en.Description},
		{"remediation", t.Remediation, en.Remediation},
	}
	var out []string
	inTexts := 0
	for i, fp := range t.FalsePositives {
		if i < len(en.FalsePositives) {
			fields = append(fields, struct{ name, text, en string }{"false positive", fp, en.FalsePositives[i]})
		}
	}
	for i, f := range fields {
		for _, p := range i18n.Lint(lang, f.text, f.en) {
			out = append(out, fmt.Sprintf("%s %q: %s", f.name, f.text, p))
			if i < 3 {
				inTexts++
			}
		}
	}
	return out, inTexts
}

// TestTextsNameRoles checks that a rule or posture text naming a built-in
// role in English names it in a translation as Microsoft does in that
// language (i18n.Printer.Role), so that the texts and the evidence agree.
func TestTextsNameRoles(t *testing.T) {
	set, err := ruleset.Load(t.Context(), ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]*alert.Rule{}
	for _, r := range set.Rules {
		rules["rule "+r.Meta.ID] = &r.Meta
	}
	for _, c := range posture.Checks() {
		rules["check "+c.ID] = c
	}
	checked := 0
	for name, r := range rules {
		en := r.Texts[i18n.English]
		english := en.Title + "\n" + en.Description + "\n" + en.Remediation
		for _, role := range i18n.RoleNames() {
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(role) + `\b`).MatchString(english) {
				continue
			}
			checked++
			for _, lang := range i18n.Langs()[1:] {
				want := strings.TrimSuffix(i18n.NewPrinter(lang).Role(role), " ("+role+")")
				tr := r.Text(lang)
				if text := tr.Title + "\n" + tr.Description + "\n" + tr.Remediation; !strings.Contains(text, want) {
					t.Errorf("%s (%s) names %s in English but not %q", name, lang, role, want)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no text names a role; the search is broken")
	}
}
