package ruleset

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/scan"
)

// newDetector makes the detector of a scan for rule tests.
func newDetector(s *Set, pol *policy.Policy, en Enricher) Detector {
	cfg := scan.Config{Rules: scan.Rules{Set: s.Compiled, Schema: s.Schema, Meta: s.Meta()}, Policy: pol, Lang: "en"}
	if en != nil {
		cfg.Enricher = en
	}
	return scan.NewDetector(cfg)
}

// enricherFactory returns a function making the real enrichment chain
// for a policy.
func enricherFactory(tb testing.TB) func(*policy.Policy) Enricher {
	tb.Helper()
	ref, err := refdata.Load()
	if err != nil {
		tb.Fatalf("load reference data: %v", err)
	}
	return func(pol *policy.Policy) Enricher { return enrich.New(ref, pol) }
}

// TestBuiltinCases runs every built-in rule's test records through
// decode, enrich and match: each match- file must make its rule fire, each
// nomatch- file must not, and every rule must have both kinds in the
// Graph (or its own first layout), Event Hub and Log Analytics layouts.
func TestBuiltinCases(t *testing.T) {
	s := loadBuiltin(t)
	rep, err := s.Test(context.Background(), TestOptions{NewEnricher: enricherFactory(t), NewDetector: newDetector})
	if err != nil {
		t.Fatal(err)
	}
	layouts := map[string]map[string]bool{} // rule and kind of case → layouts
	for _, c := range rep.Cases {
		if !c.Passed() {
			t.Errorf("%s: %s: want fire=%v, fired %d times on %d events (err %v)", c.Rule, c.File, c.Want, c.Fired, c.Events, c.Err)
		}
		kind, rest, _ := strings.Cut(filepath.Base(c.File), "-")
		layout, _, _ := strings.Cut(strings.TrimSuffix(rest, ".json"), "-")
		key := c.Rule + " " + kind
		if layouts[key] == nil {
			layouts[key] = map[string]bool{}
		}
		layouts[key][layout] = true
	}
	for _, r := range s.Rules {
		for _, kind := range []string{"match", "nomatch"} {
			if n := len(layouts[r.Meta.ID+" "+kind]); n < 3 {
				t.Errorf("%s: %s records in %d layouts, want 3", r.Meta.ID, kind, n)
			}
		}
	}
	if len(rep.Untested) > 0 {
		t.Errorf("rules without test records: %v", rep.Untested)
	}
	if len(rep.Orphans) > 0 {
		t.Errorf("test directories of no rule: %v", rep.Orphans)
	}
}

// ownerRecord is a Graph audit record of an owner added by someone; the
// time is a Saturday night.
func ownerRecord(upn string) string {
	return `{"id":"Directory_1","category":"ApplicationManagement","correlationId":"c1","result":"success",
"activityDisplayName":"Add owner to application","activityDateTime":"2026-03-14T02:30:00Z",
"loggedByService":"Core Directory","operationType":"Assign",
"initiatedBy":{"user":{"id":"u1","userPrincipalName":"` + upn + `"}},
"targetResources":[{"id":"o1","type":"User","modifiedProperties":[]},{"id":"a1","type":"Application","displayName":"Billing"}]}`
}

func TestUserCases(t *testing.T) {
	night := strings.Replace(userRule, "condition: sel", "night:\n    context.outside_business_hours: 'true'\n  condition: sel and night", 1)
	dir := writeRules(t, map[string]string{
		"guest-owner.yml": night,
		"untested.yml":    strings.Replace(userRule, "name: guest-owner", "name: untested", 1),
		// The rule fires on the guest's record, at night by the default
		// policy, and not on a member's.
		"testdata/guest-owner/match-guest.json":      ownerRecord("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
		"testdata/guest-owner/nomatch-member.json":   ownerRecord("ana@contoso.com"),
		"testdata/guest-owner/match-wrong.json":      ownerRecord("ana@contoso.com"),
		"testdata/guest-owner/nomatch-broken.json":   "{\"id\": ",
		"testdata/guest-owner/notes.md":              "not a case",
		"testdata/typo/match-x.json":                 ownerRecord("x"),
		"weekend/weekend-owner.yml":                  strings.Replace(night, "name: guest-owner", "name: weekend-owner", 1),
		"weekend/testdata/weekend-owner/policy.yaml": "version: 1\nbusiness_hours: {timezone: UTC, days: [sat], start: \"00:00\", end: \"23:59\"}\n",
		// Saturday is a working day by this directory's policy.
		"weekend/testdata/weekend-owner/nomatch-saturday.json": ownerRecord("bob#EXT#@contoso.onmicrosoft.com"),
	})
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Test(context.Background(), TestOptions{NewEnricher: enricherFactory(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range rep.Cases {
		rel, _ := filepath.Rel(dir, c.File)
		got[filepath.ToSlash(rel)] = c.Passed()
	}
	want := map[string]bool{
		"testdata/guest-owner/match-guest.json":                true,
		"testdata/guest-owner/nomatch-member.json":             true,
		"testdata/guest-owner/match-wrong.json":                false,
		"testdata/guest-owner/nomatch-broken.json":             false,
		"weekend/testdata/weekend-owner/nomatch-saturday.json": true,
	}
	if !maps.Equal(got, want) {
		t.Errorf("cases %v, want %v", got, want)
	}
	if !slices.Equal(rep.Untested, []string{"untested"}) {
		t.Errorf("untested %v", rep.Untested)
	}
	if len(rep.Orphans) != 1 || !strings.HasSuffix(rep.Orphans[0], filepath.Join("testdata", "typo")) {
		t.Errorf("orphans %v", rep.Orphans)
	}
	if n := len(rep.Failed()); n != 2 {
		t.Errorf("%d failed cases, want 2", n)
	}
	only, err := s.Test(context.Background(), TestOptions{Only: func(r *Rule) bool { return r.Meta.ID == "untested" }})
	if err != nil || len(only.Cases) != 0 || len(only.Untested) != 1 {
		t.Errorf("only untested: %+v, %v", only, err)
	}
}

func TestUserCasesBadPolicy(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"r.yml":                             userRule,
		"testdata/guest-owner/policy.yaml":  "version: 1\nbusiness_hours: {days: [someday]}\n",
		"testdata/guest-owner/match-a.json": ownerRecord("a#EXT#@b"),
	})
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Test(context.Background(), TestOptions{}); err == nil || !strings.Contains(err.Error(), "policy.yaml") {
		t.Errorf("error %v, want one naming the policy file", err)
	}
}

// TestExpectations checks expect.yaml: the alerts of the match files must
// have its level, title and evidence, and every mismatch is reported.
func TestExpectations(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"r.yml":                             userRule,
		"testdata/guest-owner/match-a.json": ownerRecord("bob#EXT#@contoso.onmicrosoft.com"),
		"testdata/guest-owner/expect.yaml": `level: medium
title: Owner added by a guest
evidence:
  activity: Add owner to application
  result: success
`,
		"other.yml":                         strings.Replace(userRule, "name: guest-owner", "name: other-owner", 1),
		"testdata/other-owner/match-a.json": ownerRecord("bob#EXT#@contoso.onmicrosoft.com"),
		"testdata/other-owner/expect.yaml": `level: high
title: Something else
evidence:
  activity: Add owner to application
  result: failure
  credential.added.0.type: Password
`,
	})
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Test(context.Background(), TestOptions{NewEnricher: enricherFactory(t), NewDetector: newDetector})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range rep.Cases {
		got[c.Rule] = c.Unmet
		if c.Passed() != (c.Rule == "guest-owner") {
			t.Errorf("%s passed = %v", c.Rule, c.Passed())
		}
	}
	want := []string{"level is medium, want high", `title is "Owner added by a guest", want "Something else"`,
		`evidence result is "success", want "failure"`, `evidence credential.added.0.type is missing, want "Password"`}
	if len(got["guest-owner"]) != 0 || !slices.Equal(got["other-owner"], want) {
		t.Errorf("unmet %q\nwant nothing for guest-owner and %q", got, want)
	}
}

func TestExpectationErrors(t *testing.T) {
	_, err := parseExpect("e.yaml", []byte("level: severe\ntitel: x\nevidence: [a]\n"))
	for _, want := range []string{"e.yaml:1:8: level must be", `e.yaml:2:1: unknown key "titel"`, "e.yaml:3:11: evidence must map"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}
