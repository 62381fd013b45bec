package ruleset

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/policy"
)

// publicDir holds Azure Sigma rules written by appwatch in the style of
// public rule repositories such as SigmaHQ's: no guide_row, and the field
// names those rules use (properties.message, OperationName, Status,
// ResultType, AuthenticationRequirement, DeviceDetail.*, riskEventType,
// CategoryValue, ...), for every service.
const publicDir = "testdata/public-azure"

// sigmaHQEnv names a directory holding SigmaHQ's rules/cloud/azure, read
// from a checkout of github.com/SigmaHQ/sigma; TestSigmaHQAzureRules runs
// only when it is set.
const sigmaHQEnv = "APPWATCH_SIGMAHQ_AZURE"

// publicRule is a public-style rule as the record builder reads it.
type publicRule struct {
	file, id, service string
	det               map[string]*yaml.Node
	cond              string
}

// readPublicRules reads the rules under dir.
func readPublicRules(t *testing.T, dir string) map[string]*publicRule {
	t.Helper()
	out := map[string]*publicRule{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var doc struct {
			ID        string               `yaml:"id"`
			Logsource map[string]string    `yaml:"logsource"`
			Detection map[string]yaml.Node `yaml:"detection"`
		}
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		r := &publicRule{file: p, id: doc.ID, service: doc.Logsource["service"], det: map[string]*yaml.Node{}}
		for k, v := range doc.Detection {
			if k == "condition" {
				r.cond = v.Value
				continue
			}
			n := v
			r.det[k] = &n
		}
		out[r.id] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hitsOn returns the rules of s that fire on one record, decoded,
// enriched and matched as a scan does.
func hitsOn(t *testing.T, s *Set, name string, data []byte, en Enricher) []int {
	t.Helper()
	adapter := match.NewEvent(s.Schema)
	var hits []int
	st, err := decode.NewDecoder(decode.Options{}).Decode(t.Context(), name, strings.NewReader(string(data)), func(e *event.Event) error {
		en.Enrich(e)
		adapter.Reset(e)
		hits = s.Compiled.Match(adapter, hits)
		return nil
	})
	if err != nil || st.Events != 1 {
		t.Errorf("%s: %v, %d events of %d records, errors %v, skipped %v", name, err, st.Events, st.Records, st.Errors, st.Skipped)
	}
	return hits
}

// publicTally counts, per service, the rules, those loaded, and those
// that fired in each layout out of those with a record.
type publicTally struct {
	rules, loaded int
	built, fired  map[string]int
}

// publicRun is what runPublic found.
type publicRun struct {
	tallies map[string]*publicTally
	skipped []Skip
	// missed lists the records on which their rule did not fire, and
	// others the other rules that fired on a record, as "file layout" and
	// "file layout: other rule".
	missed, others []string
}

// runPublic loads dir and builds, for every rule loaded, a record in each
// layout, and matches it with every rule.
func runPublic(t *testing.T, dir string, strict bool) publicRun {
	t.Helper()
	s, err := Load(context.Background(), Options{NoBuiltin: true, Dirs: []string{dir}, Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	rules := readPublicRules(t, dir)
	tallies := map[string]*publicTally{}
	tally := func(svc string) *publicTally {
		if tallies[svc] == nil {
			tallies[svc] = &publicTally{built: map[string]int{}, fired: map[string]int{}}
		}
		return tallies[svc]
	}
	for _, r := range rules {
		tally(r.service).rules++
	}
	en := enricherFactory(t)(policy.Default())
	run := publicRun{tallies: tallies, skipped: s.Skipped}
	for i, lr := range s.Rules {
		r := rules[lr.Sigma.ID]
		tl := tally(r.service)
		tl.loaded++
		for _, layout := range publicLayouts {
			data := build(r, layout)
			if data == nil {
				continue
			}
			tl.built[layout]++
			name := filepath.Base(r.file) + " " + layout
			hits := hitsOn(t, s, name, data, en)
			if slices.Contains(hits, i) {
				tl.fired[layout]++
			} else {
				run.missed = append(run.missed, name)
			}
			for _, h := range hits {
				if h != i {
					run.others = append(run.others, name+": "+filepath.Base(rules[s.Rules[h].Sigma.ID].file))
				}
			}
		}
	}
	sort.Strings(run.missed)
	sort.Strings(run.others)
	return run
}

// logTallies writes the counts as a table.
func logTallies(t *testing.T, tallies map[string]*publicTally) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %5s %5s", "service", "rules", "load")
	for _, l := range publicLayouts {
		fmt.Fprintf(&b, " %9s", l)
	}
	for _, svc := range slices.Sorted(maps.Keys(tallies)) {
		tl := tallies[svc]
		fmt.Fprintf(&b, "\n%-14s %5d %5d", svc, tl.rules, tl.loaded)
		for _, l := range publicLayouts {
			fmt.Fprintf(&b, " %5d/%-3d", tl.fired[l], tl.built[l])
		}
	}
	t.Log("\n" + b.String())
}

// TestPublicAzureRules is the conformance test of public-style Azure
// rules: every rule of testdata/public-azure loads as it is, with no
// guide_row, and fires on a record built to match it in the Event Hub,
// Log Analytics JSON, Log Analytics CSV and Graph (REST export for the
// Activity Log) layouts, and no other rule of the set fires on it.
func TestPublicAzureRules(t *testing.T) {
	run := runPublic(t, publicDir, true)
	tallies := run.tallies
	logTallies(t, tallies)
	for _, m := range run.missed {
		t.Errorf("did not fire: %s", m)
	}
	for _, o := range run.others {
		t.Errorf("a record built for one rule also made another fire: %s", o)
	}
	for _, svc := range []string{"activitylogs", "auditlogs", "pim", "riskdetection", "signinlogs"} {
		tl := tallies[svc]
		if tl == nil || tl.loaded < 2 || tl.loaded != tl.rules {
			t.Errorf("service %s: %+v, want at least two rules, all loaded", svc, tl)
			continue
		}
		for _, l := range publicLayouts {
			if tl.built[l] != tl.loaded {
				t.Errorf("service %s: %d records in %s for %d rules", svc, tl.built[l], l, tl.loaded)
			}
		}
	}
}

// TestSigmaHQAzureRules measures SigmaHQ's own Azure rules: how many load,
// and how many fire on records built to match them. It needs a checkout of
// SigmaHQ/sigma, which is not part of this repository:
//
//	git -C sigma archive HEAD rules/cloud/azure | tar -x -C /tmp/sigmahq
//	APPWATCH_SIGMAHQ_AZURE=/tmp/sigmahq/rules/cloud/azure go test -run SigmaHQ -v ./internal/ruleset
//
// Every rule of a service appwatch reads must load, except those that
// name a field no Azure log has, and every rule loaded must fire in every
// layout that carries its fields.
func TestSigmaHQAzureRules(t *testing.T) {
	dir := os.Getenv(sigmaHQEnv)
	if dir == "" {
		t.Skipf("%s is not set", sigmaHQEnv)
	}
	run := runPublic(t, dir, false)
	logTallies(t, run.tallies)
	for _, sk := range run.skipped {
		t.Logf("not loaded: %v", sk.Err)
		if !strings.Contains(sk.Error(), "unknown field") {
			t.Errorf("rule refused for another reason than a field no Azure log has: %v", sk.Err)
		}
	}
	for _, m := range run.missed {
		t.Errorf("did not fire: %s", m)
	}
	t.Logf("%d records also made another rule fire", len(run.others))
}
