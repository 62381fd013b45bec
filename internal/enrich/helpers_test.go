package enrich

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/realdata"
	"github.com/appwatch/appwatch/internal/refdata"
)

// testRef loads the embedded reference data.
func testRef(tb testing.TB) *refdata.Data {
	tb.Helper()
	ref, err := refdata.Load()
	if err != nil {
		tb.Fatalf("refdata.Load: %v", err)
	}
	return ref
}

// testPolicy parses a policy file given as text.
func testPolicy(tb testing.TB, doc string) *policy.Policy {
	tb.Helper()
	p, diags, err := policy.Parse("policy.yaml", []byte(doc))
	if err != nil {
		tb.Fatalf("policy.Parse: %v", err)
	}
	for _, d := range diags {
		tb.Logf("policy diagnostic: %v", d)
	}
	return p
}

// decodeFile decodes a log file with a fresh decoder.
func decodeFile(tb testing.TB, path string) []*event.Event {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var evs []*event.Event
	st, err := decode.NewDecoder(decode.Options{}).Decode(context.Background(), filepath.Base(path), f, func(e *event.Event) error {
		evs = append(evs, e)
		return nil
	})
	if err != nil {
		tb.Fatalf("decode %s: %v", path, err)
	}
	if st.ErrorCount > 0 {
		tb.Fatalf("decode %s: %v", path, st.Errors)
	}
	return evs
}

// fixture decodes testdata/name, runs a fresh chain over its events in
// order and returns them by record id.
func fixture(tb testing.TB, name string, pol *policy.Policy) map[string]*event.Event {
	tb.Helper()
	return enrichAll(tb, decodeFile(tb, filepath.Join("testdata", name)), pol)
}

// enrichAll runs a fresh chain over evs in order and indexes them by id.
func enrichAll(tb testing.TB, evs []*event.Event, pol *policy.Policy) map[string]*event.Event {
	tb.Helper()
	c := New(testRef(tb), pol)
	byID := make(map[string]*event.Event, len(evs))
	for _, e := range evs {
		c.Enrich(e)
		byID[e.ID] = e
	}
	return byID
}

// realSample decodes and enriches one published sample, skipping the test
// when it is absent.
func realSample(tb testing.TB, rel string) []*event.Event {
	tb.Helper()
	path := filepath.Join(realdata.Dir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("sample %s not found: %v", rel, err)
	}
	evs := decodeFile(tb, path)
	c := New(testRef(tb), nil)
	for _, e := range evs {
		c.Enrich(e)
	}
	return evs
}

// byActivity returns the first event whose activity key is that of name.
func byActivity(tb testing.TB, evs []*event.Event, name string) *event.Event {
	tb.Helper()
	key := event.NormalizeActivity(name)
	for _, e := range evs {
		if e.ActivityKey == key {
			return e
		}
	}
	tb.Fatalf("no %q event among %d", name, len(evs))
	return nil
}

// get returns the event with the given id or fails the test.
func get(tb testing.TB, evs map[string]*event.Event, id string) *event.Event {
	tb.Helper()
	e, ok := evs[id]
	if !ok {
		tb.Fatalf("no event %q in fixture", id)
	}
	return e
}

// modpropValue returns a decoded property value holding one item.
func modpropValue(item string) modprop.Value {
	return modprop.Value{Raw: "[" + item + "]", Items: []string{item}}
}

// mustTime parses an RFC 3339 time.
func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
