package enrich

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/realdata"
	"github.com/appwatch/appwatch/internal/refdata"
)

// TestTargetOrderDoesNotMatter enriches every audit record of the fixtures
// with its targets in the order logged, reversed and rotated, and checks
// that the facts do not change: the enrichers find a record's member,
// API, client or owner by type and properties, never by position.
func TestTargetOrderDoesNotMatter(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := checkTargetOrder(t, files); n < 10 {
		t.Errorf("only %d fixture records with several targets", n)
	}
}

// TestTargetOrderReal does the same on the published audit samples.
func TestTargetOrderReal(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(realdata.Dir(t, "audit"), "*"))
	if err != nil {
		t.Fatal(err)
	}
	if n := checkTargetOrder(t, files); n < 3 {
		t.Errorf("only %d published records with several targets", n)
	}
}

// checkTargetOrder checks the audit records of files and returns how many
// have several targets.
func checkTargetOrder(t *testing.T, files []string) int {
	t.Helper()
	ref := testRef(t)
	n := 0
	for _, file := range files {
		for _, e := range decodeFile(t, file) {
			if e.Kind != event.KindAudit || len(e.Targets) < 2 {
				continue
			}
			n++
			base := derivedOf(t, ref, e, slices.Clone(e.Targets))
			reversed := slices.Clone(e.Targets)
			slices.Reverse(reversed)
			rotated := append(slices.Clone(e.Targets[1:]), e.Targets[0])
			for name, order := range map[string][]event.Target{"reversed": reversed, "rotated": rotated} {
				if got := derivedOf(t, ref, e, order); got != base {
					t.Errorf("%s %s (%s), targets %s:\n got %s\nwant %s", file, e.ID, e.Activity, name, got, base)
				}
			}
		}
	}
	return n
}

// derivedOf enriches a copy of e with the given targets by a fresh chain
// (the URI enricher remembers what it saw) and returns its facts as JSON.
func derivedOf(t *testing.T, ref *refdata.Data, e *event.Event, targets []event.Target) string {
	t.Helper()
	c := *e
	c.Targets = targets
	New(ref, nil).Enrich(&c)
	b, err := json.Marshal(c.Derived)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
