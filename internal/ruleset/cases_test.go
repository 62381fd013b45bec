package ruleset

import (
	"context"
	"testing"

	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
)

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
	rep, err := s.Test(context.Background(), TestOptions{NewEnricher: enricherFactory(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Cases {
		if !c.Passed() {
			t.Errorf("%s: %s: want fire=%v, fired %d times on %d events (err %v)", c.Rule, c.File, c.Want, c.Fired, c.Events, c.Err)
		}
	}
	if len(rep.Untested) > 0 {
		t.Errorf("rules without test records: %v", rep.Untested)
	}
	if len(rep.Orphans) > 0 {
		t.Errorf("test directories of no rule: %v", rep.Orphans)
	}
}
