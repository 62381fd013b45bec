package kafka_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/watch"
)

// load loads the built-in rules with the default policy, as appwatch
// watch does.
func load(ctx context.Context) (*watch.Config, error) {
	pol := policy.Default()
	ref, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	set, err := ruleset.Load(ctx, ruleset.Options{Placeholders: pol.Placeholders})
	if err != nil {
		return nil, err
	}
	return &watch.Config{
		Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
		Policy:   pol,
		Lang:     "en",
		Enricher: func() scan.Enricher { return enrich.New(ref, pol) },
	}, nil
}

// pair names an alert of one change: its rule, the change's operation
// (its correlation id, or the record's id when it has none) and its
// target. Entra writes several records for one change; scan raises one
// alert for them, on whichever record it meets first.
type pair struct{ rule, op, target string }

// pairOf returns the pair of a.
func pairOf(a alert.Alert) pair {
	op := a.CorrelationID
	if op == "" {
		op = a.EventID
	}
	return pair{a.RuleID, op, a.Target.ID}
}

// expected is what detection raises on a list of records, as scan does.
type expected struct {
	// whole holds the alerts of one detector over all records in order:
	// those the service stores, one per change, however it was
	// restarted or shared its records among instances.
	whole map[pair]bool
	// corrGroups counts the correlation alerts of the whole, by rule
	// and group.
	corrGroups map[string]int
}

// detect runs groups of records through decoding and detection.
func detect(t testing.TB, groups [][]string) *expected {
	t.Helper()
	cfg, err := load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	whole := scan.NewDetector(scan.Config{Rules: cfg.Rules, Enricher: cfg.Enricher(), Policy: cfg.Policy, Lang: cfg.Lang})
	x := &expected{whole: map[pair]bool{}, corrGroups: map[string]int{}}
	dec := decode.NewDecoder(decode.Options{})
	for _, g := range groups {
		for _, r := range g {
			if _, err := dec.Decode(t.Context(), "record", strings.NewReader(r), whole.Observe); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, a := range whole.Finish() {
		if a.Correlation != nil {
			x.corrGroups[corrGroup(a)]++
			continue
		}
		x.whole[pairOf(a)] = true
	}
	return x
}

// check compares the alerts stored in st with x exactly: every alert of
// the whole stored once, no other, and each correlation as many times as
// scan raises it. The store decides which records of one change are
// copies and which correlation results are new, so neither a kill nor
// the order records arrive in changes what is stored.
func (x *expected) check(t testing.TB, st *store.Store) {
	t.Helper()
	stored := storedPairs(t, st)
	corr := storedCorrelations(t, st)
	t.Logf("expected: %d alerts, correlations %v; stored %d, correlations %v", len(x.whole), x.corrGroups, len(stored), corr)
	if len(x.whole) == 0 {
		t.Fatal("the records raise no alert: the test checks nothing")
	}
	sub := x.substitutes(stored)
	taken := map[pair]bool{}
	for p := range x.whole {
		if stored[p] == 0 {
			if q, ok := sub[p]; ok {
				taken[q] = true
				continue
			}
			t.Errorf("alert of rule %s on %s not stored", p.rule, p.op)
		}
	}
	for p, n := range stored {
		switch {
		case !x.whole[p] && !taken[p]:
			t.Errorf("alert of rule %s on %s stored, not expected", p.rule, p.op)
		case n > 1:
			t.Errorf("alert of rule %s on %s stored %d times", p.rule, p.op, n)
		}
	}
	for g, n := range x.corrGroups {
		if corr[g] != n {
			t.Errorf("correlation %s stored %d times, scan raises it %d times", g, corr[g], n)
		}
	}
	for g, n := range corr {
		if x.corrGroups[g] == 0 {
			t.Errorf("correlation %s stored %d times, not expected", g, n)
		}
	}
}

// substitutes pairs each alert of the whole that is not stored with a
// stored alert that is not expected, of the same rule and target. The
// store keeps one alert per change, and Entra's records of one change may
// carry different correlation ids (the store recognises them by time and
// evidence, as scan does): when they arrive in another order than the
// whole's, the alert is stored on the other record. Each stored alert
// stands in for one missing alert at most, so a lost or doubled alert
// still shows.
func (x *expected) substitutes(stored map[pair]int) map[pair]pair {
	extra := map[[2]string][]pair{}
	for p := range stored {
		if !x.whole[p] {
			k := [2]string{p.rule, p.target}
			extra[k] = append(extra[k], p)
		}
	}
	out := map[pair]pair{}
	for p := range x.whole {
		k := [2]string{p.rule, p.target}
		if stored[p] == 0 && len(extra[k]) > 0 {
			out[p] = extra[k][0]
			extra[k] = extra[k][1:]
		}
	}
	return out
}

// storedPairs counts the stored alerts of records, correlations left out.
func storedPairs(t testing.TB, st *store.Store) map[pair]int {
	t.Helper()
	out := map[pair]int{}
	err := st.Alerts(t.Context(), store.Filter{}, func(a alert.Alert) error {
		if a.Correlation == nil {
			out[pairOf(a)]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// storedCorrelations counts the stored correlation alerts by rule and
// group.
func storedCorrelations(t testing.TB, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := st.Alerts(t.Context(), store.Filter{}, func(a alert.Alert) error {
		if a.Correlation != nil {
			out[corrGroup(a)]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// corrGroup names the rule and group of a correlation alert.
func corrGroup(a alert.Alert) string {
	return fmt.Sprintf("%s%v", a.RuleID, a.Correlation.Group)
}

// correlations counts the correlation groups with a stored alert.
func correlations(t testing.TB, st *store.Store) int {
	return len(storedCorrelations(t, st))
}

// correlationCount counts the correlation groups expected to alert.
func (x *expected) correlationCount() int {
	return len(x.corrGroups)
}
