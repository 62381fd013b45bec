package ruleset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/sigma"
)

// The test records of a rule live in testdata/<rule id>/ next to the file
// that holds the rule. Files whose names start with matchPrefix must make
// the rule fire; files starting with noMatchPrefix must not. policyFile,
// when present, is the tenant policy the records run with; expectFile,
// when present, says what every alert the rule raises on the match files
// must say.
const (
	matchPrefix   = "match-"
	noMatchPrefix = "nomatch-"
	policyFile    = "policy.yaml"
	expectFile    = "expect.yaml"
)

// Enricher fills the derived fields of an event before it is matched.
type Enricher interface {
	Enrich(e *event.Event)
}

// Detector turns events into alerts as a scan does: package scan's
// Detector.
type Detector interface {
	// Observe enriches, matches and correlates an event.
	Observe(e *event.Event) error
	// Finish returns every alert raised, the correlations' included.
	Finish() []alert.Alert
}

// TestOptions configure Set.Test.
type TestOptions struct {
	// NewEnricher returns a fresh enricher for one test file, working
	// with the given policy. Nil means events are matched as decoded.
	NewEnricher func(pol *policy.Policy) Enricher
	// NewDetector returns a fresh detector for one test file, over the
	// set's rules, with the given policy and enricher (which may be nil),
	// writing English. The alerts it raises are checked against
	// expect.yaml. Nil means the alerts are built from the rule's own
	// hits with the policy's level overrides only.
	NewDetector func(s *Set, pol *policy.Policy, en Enricher) Detector
	// Policy is used for test directories without their own policy.yaml;
	// nil means policy.Default().
	Policy *policy.Policy
	// Only, when set, picks the rules to test.
	Only func(r *Rule) bool
}

// CaseResult is the outcome of one test file.
type CaseResult struct {
	Rule string // rule id
	File string // the test file, as messages show it
	// Want says whether the rule should fire on the file.
	Want bool
	// Events is how many events the file held; Fired how many times the
	// rule fired (detection hits, or correlation results).
	Events, Fired int
	// Unmet lists what the rule's alerts said that its expect.yaml did
	// not expect ("level is medium, want high").
	Unmet []string
	// Err is set when the file could not be read or held bad records.
	Err error
}

// Passed reports whether the case behaved as its name says and its
// alerts met the expectations.
func (c CaseResult) Passed() bool {
	return c.Err == nil && c.Events > 0 && (c.Fired > 0) == c.Want && len(c.Unmet) == 0
}

// TestReport is the outcome of Set.Test.
type TestReport struct {
	Cases []CaseResult
	// Untested lists the rules that have no test file.
	Untested []string
	// Orphans lists test directories that name no loaded rule.
	Orphans []string
}

// Failed returns the cases that did not pass.
func (r *TestReport) Failed() []CaseResult {
	var out []CaseResult
	for _, c := range r.Cases {
		if !c.Passed() {
			out = append(out, c)
		}
	}
	return out
}

// Test runs the test records of the rules in s through the same steps as a
// scan: decode, enrich, match and correlate. It returns an error only when
// a test directory cannot be read or its policy is invalid.
func (s *Set) Test(ctx context.Context, opts TestOptions) (*TestReport, error) {
	if opts.Policy == nil {
		opts.Policy = policy.Default()
	}
	rep := &TestReport{}
	roots := map[string]testRoot{} // testdata directories seen, by displayed name
	for i, r := range s.Rules {
		if opts.Only != nil && !opts.Only(r) {
			continue
		}
		root := path.Join(path.Dir(r.path), "testdata")
		roots[r.display(root)] = testRoot{rule: r, dir: root}
		cases, err := s.testRule(ctx, i, root, opts)
		if err != nil {
			return nil, err
		}
		if len(cases) == 0 {
			rep.Untested = append(rep.Untested, r.Meta.ID)
		}
		rep.Cases = append(rep.Cases, cases...)
	}
	orphans, err := s.orphans(roots)
	if err != nil {
		return nil, err
	}
	rep.Orphans = orphans
	return rep, nil
}

// testRule runs the test files of rule i found under root.
func (s *Set) testRule(ctx context.Context, i int, root string, opts TestOptions) ([]CaseResult, error) {
	r := s.Rules[i]
	dir := path.Join(root, r.Meta.ID)
	entries, err := fs.ReadDir(r.fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read test directory %s: %w", r.display(dir), err)
	}
	pol, err := casePolicy(r, dir, opts.Policy)
	if err != nil {
		return nil, err
	}
	exp, err := readExpect(r, dir)
	if err != nil {
		return nil, err
	}
	var out []CaseResult
	for _, e := range entries {
		name := e.Name()
		want := strings.HasPrefix(name, matchPrefix)
		if e.IsDir() || !want && !strings.HasPrefix(name, noMatchPrefix) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := CaseResult{Rule: r.Meta.ID, File: r.display(path.Join(dir, name)), Want: want}
		var alerts []alert.Alert
		c.Events, c.Fired, alerts, c.Err = s.runCase(ctx, i, path.Join(dir, name), c.File, pol, opts)
		if want && c.Err == nil && exp != nil {
			c.Unmet = exp.check(alerts)
		}
		out = append(out, c)
	}
	return out, nil
}

// casePolicy returns the policy of a test directory: its policy.yaml, or
// def.
func casePolicy(r *Rule, dir string, def *policy.Policy) (*policy.Policy, error) {
	p := path.Join(dir, policyFile)
	src, err := fs.ReadFile(r.fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return def, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read test policy: %w", err)
	}
	pol, _, err := policy.Parse(r.display(p), src)
	if err != nil {
		return nil, fmt.Errorf("test policy: %w", err)
	}
	return pol, nil
}

// runCase decodes one test file, enriches and matches its events, counts
// how often rule i fired (before the policy and the removal of
// duplicates) and returns the alerts rule i raised.
func (s *Set) runCase(ctx context.Context, i int, p, name string, pol *policy.Policy, opts TestOptions) (events, fired int, alerts []alert.Alert, err error) {
	f, err := s.Rules[i].fsys.Open(p)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("open test file: %w", err)
	}
	defer f.Close()
	var en Enricher
	if opts.NewEnricher != nil {
		en = opts.NewEnricher(pol)
	}
	var det Detector
	if opts.NewDetector != nil {
		det = opts.NewDetector(s, pol, en)
	}
	meta := &s.Rules[i].Meta
	adapter := match.NewEvent(s.Schema)
	corr := sigma.NewCorrelator(s.Compiled)
	var hits []int
	st, err := decode.NewDecoder(decode.Options{}).Decode(ctx, name, f, func(e *event.Event) error {
		events++
		if det != nil {
			if err := det.Observe(e); err != nil {
				return err
			}
		} else if en != nil {
			en.Enrich(e)
		}
		adapter.Reset(e)
		hits = s.Compiled.Match(adapter, hits[:0])
		for _, h := range hits {
			if h == i {
				fired++
				if det == nil {
					a := alert.FromEvent(meta, e, "en")
					a.Level = pol.Level(a.RuleID, a.GuideRow, a.Level)
					alerts = append(alerts, a)
				}
			}
			corr.Add(h, adapter, e)
		}
		return nil
	})
	if err != nil {
		return events, fired, nil, fmt.Errorf("decode: %w", err)
	}
	if st.ErrorCount > 0 {
		return events, fired, nil, fmt.Errorf("%d bad records: %s", st.ErrorCount, strings.Join(st.Errors, "; "))
	}
	if s.Rules[i].Correlation {
		for _, res := range corr.Flush() {
			if res.Rule == i {
				fired++
			}
		}
	}
	if det != nil {
		for _, a := range det.Finish() {
			if a.RuleID == meta.ID {
				alerts = append(alerts, a)
			}
		}
	}
	return events, fired, alerts, nil
}

// testRoot is a testdata directory: dir in the file system of rule's file.
type testRoot struct {
	rule *Rule
	dir  string
}

// orphans lists the test directories under the given testdata roots that
// name no loaded rule.
func (s *Set) orphans(roots map[string]testRoot) ([]string, error) {
	ids := map[string]bool{}
	for _, r := range s.Rules {
		ids[r.Meta.ID] = true
	}
	var out []string
	for name, root := range roots {
		entries, err := fs.ReadDir(root.rule.fsys, root.dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read test directory %s: %w", name, err)
		}
		for _, e := range entries {
			if e.IsDir() && !ids[e.Name()] {
				out = append(out, root.rule.display(path.Join(root.dir, e.Name())))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// display names a path of r's file system as messages show it: next to
// the rule file's displayed name.
func (r *Rule) display(p string) string {
	base := strings.TrimSuffix(filepath.ToSlash(r.File), r.path)
	return filepath.FromSlash(base + p)
}
