package posture

import (
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/snapshot"
)

func TestCheckSelection(t *testing.T) {
	s := usageTenant()
	s.Applications[0].Web = &snapshot.Web{RedirectURIs: []string{"http://app.contoso.com/cb"}}
	res := evaluate(t, s, Options{Checks: []string{"redirect-uri-*", AppDormant}, Skip: []string{RedirectURIWildcard}})
	for _, r := range res.Checks {
		on := strings.HasPrefix(r.ID, "redirect-uri-") && r.ID != RedirectURIWildcard || r.ID == AppDormant
		switch {
		case !on && r.Status != StatusSkipped:
			t.Errorf("%s ran: %+v", r.ID, r)
		case on && r.Status == StatusSkipped:
			t.Errorf("%s skipped", r.ID)
		}
	}
	for _, f := range res.Findings {
		if f.RuleID != RedirectURINotHTTPS && f.RuleID != AppDormant {
			t.Errorf("finding of a check not selected: %s", f.RuleID)
		}
	}
	if r := result(t, res, RedirectURINotHTTPS); r.Status != StatusFail || r.Evaluated != 4 || r.Findings != 1 {
		t.Errorf("redirect-uri-not-https = %+v", r)
	}
	if r := result(t, res, RedirectURIDangling); r.Status != StatusNotEvaluated || r.Reason != "DNS lookups are off" {
		t.Errorf("dangling without DNS = %+v", r)
	}
	if r := result(t, res, RedirectURIUnownedDomain); r.Status != StatusNotEvaluated || !strings.Contains(r.Reason, "domains are unknown") {
		t.Errorf("unowned domain without domains = %+v", r)
	}
	if len(res.Checks) != len(Checks()) {
		t.Errorf("%d results for %d checks", len(res.Checks), len(Checks()))
	}

	for _, bad := range [][]string{{"no-such-check"}, {"[x"}} {
		if _, err := Evaluate(t.Context(), s, Options{Ref: ref(t), Checks: bad}); err == nil {
			t.Errorf("Checks %q accepted", bad)
		}
		if _, err := Evaluate(t.Context(), s, Options{Ref: ref(t), Skip: bad}); err == nil {
			t.Errorf("Skip %q accepted", bad)
		}
	}
}

func TestSuppressedCountsAsFail(t *testing.T) {
	s := usageTenant()
	s.Applications[0].Web = &snapshot.Web{RedirectURIs: []string{"http://app.contoso.com/cb"}}
	pol := parsePolicy(t, "version: 1\nsuppressions:\n  - rule: redirect-uri-not-https\n    reason: migration\n    expires: 2099-01-01\n")
	res := evaluate(t, s, Options{Policy: pol})
	if r := result(t, res, RedirectURINotHTTPS); r.Status != StatusFail || r.Findings != 0 || r.Suppressed != 1 {
		t.Errorf("result = %+v", r)
	}
	if r := result(t, res, LogoutURLNotHTTPS); r.Status != StatusPass {
		t.Errorf("a check with nothing to report = %+v", r)
	}
}

// TestEveryCheckHasTexts keeps every check described in the four
// languages, and every check beyond the guide's rows on a row of ours.
func TestEveryCheckHasTexts(t *testing.T) {
	for _, c := range Checks() {
		for _, lang := range []string{"en", "zh-TW", "it", "ja"} {
			tx, ok := c.Texts[lang]
			if !ok || tx.Title == "" || tx.Description == "" || tx.Remediation == "" {
				t.Errorf("%s lacks %s texts", c.ID, lang)
			}
		}
		if c.Texts["ja"].Title == c.Texts["en"].Title || c.Texts["zh-TW"].Description == c.Texts["en"].Description {
			t.Errorf("%s: untranslated texts", c.ID)
		}
		if len(c.Attack) == 0 || c.GuideRow == "" {
			t.Errorf("%s: %+v", c.ID, c)
		}
	}
}
