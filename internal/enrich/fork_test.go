package enrich

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

// TestForkOrdered enriches the events of every fixture, in order, with a
// chain and, in reverse order, with a fork of it that never sees the
// events the chain reports as Ordered, and checks that the fork finds
// the same facts for every other event; and that the Ordered events
// include the one whose redirect URI another application registered
// first, which only a chain that saw that application can tell.
func TestForkOrdered(t *testing.T) {
	pol := testPolicy(t, ownedPolicy)
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) < 5 {
		t.Fatalf("fixtures: %v, %v", files, err)
	}
	c := New(testRef(t), pol)
	fork, ok := c.Fork().(*Chain)
	if !ok {
		t.Fatalf("Fork returned %T, want *Chain", c.Fork())
	}
	var evs, forked []*event.Event
	for _, f := range files {
		evs = append(evs, decodeFile(t, f)...)
		forked = append(forked, decodeFile(t, f)...)
	}
	ordered := 0
	for _, e := range evs {
		c.Enrich(e)
	}
	for i := len(forked) - 1; i >= 0; i-- {
		if e := forked[i]; !c.Ordered(e) {
			fork.Enrich(e)
		}
	}
	for i, e := range evs {
		if c.Ordered(e) {
			ordered++
			continue
		}
		if !reflect.DeepEqual(e.Derived, forked[i].Derived) {
			t.Errorf("%s %s: the fork found\n%+v\nthe chain\n%+v", e.ID, e.Activity, forked[i].Derived, e.Derived)
		}
	}
	shared := get(t, enrichAll(t, decodeFile(t, filepath.Join("testdata", "uris.json")), pol), "uri-shared")
	if !c.Ordered(shared) || len(shared.Derived.URI.RedirectAdded) != 1 || len(shared.Derived.URI.RedirectAdded[0].Issues) == 0 {
		t.Errorf("uri-shared: Ordered %v, redirects added %+v; want Ordered and the URI shared", c.Ordered(shared), shared.Derived.URI.RedirectAdded)
	}
	if ordered == 0 || ordered == len(evs) {
		t.Errorf("%d of %d events Ordered; want some, not all", ordered, len(evs))
	}
}
