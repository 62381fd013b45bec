package enrich

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/realdata"
)

func TestChainNames(t *testing.T) {
	got := New(testRef(t), nil).Names()
	want := []string{"app", "credential", "permission", "role", "uri", "context"}
	if !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}

func TestChainClearsDerived(t *testing.T) {
	c := New(testRef(t), nil)
	e := &event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{AppID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", AppName: "Azure Portal"}}
	e.Derived.Grant.Type = "application"
	e.Derived.Context.Evaluated = true
	c.Enrich(e)
	want := event.Derived{App: event.AppFacts{ID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", Name: "Azure Portal", FirstParty: true}}
	if !reflect.DeepEqual(e.Derived, want) {
		t.Errorf("Derived = %+v, want %+v", e.Derived, want)
	}
}

// TestChainSignInsOnlyGetApp checks that sign-ins, most of any log, get
// no facts beyond the application and their place in business hours.
func TestChainSignInsOnlyGetApp(t *testing.T) {
	evs := realSample(t, "signin/elastic-integrations__signinlogs-raw-all-categories.log")
	for _, e := range evs {
		d := e.Derived
		if !d.Context.Evaluated {
			t.Errorf("%s: sign-in not placed in business hours", e.ID)
		}
		d.App, d.Context = event.AppFacts{}, event.ContextFacts{}
		if !reflect.DeepEqual(d, event.Derived{}) {
			t.Errorf("%s: sign-in got facts %+v", e.ID, e.Derived)
		}
	}
}

// TestChainRealFiles runs one chain over every published sample: nothing
// may panic, and the application-management records must yield facts.
func TestChainRealFiles(t *testing.T) {
	dir := realdata.Dir(t)
	c := New(testRef(t), nil)
	n, withFacts := 0, 0
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() || filepath.Ext(p) == ".md" {
			return err
		}
		for _, e := range decodeFile(t, p) {
			c.Enrich(e)
			n++
			if e.Kind == event.KindAudit && !reflect.DeepEqual(e.Derived.App, event.AppFacts{}) {
				withFacts++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events, %d audit records with an application", n, withFacts)
	// Credential, grant, role and service principal records: 21 in the
	// samples as collected.
	if withFacts < 21 {
		t.Errorf("%d of %d events are audit records with an application, want at least 21", withFacts, n)
	}
}

// FuzzEnrich decodes arbitrary input and enriches what comes out: nothing
// may panic.
func FuzzEnrich(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	c := New(testRef(f), nil)
	d := decode.NewDecoder(decode.Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = d.Decode(context.Background(), "fuzz", bytes.NewReader(data), func(e *event.Event) error {
			c.Enrich(e)
			return nil
		})
	})
}

// FuzzNameCheck checks arbitrary application names.
func FuzzNameCheck(f *testing.F) {
	for _, s := range []string{"Micros0ft Teams", "0ffice 365 Login", "Test App", "", "\xff\xfe", "ÖffIce 365"} {
		f.Add(s)
	}
	c := newNameChecker(testRef(f))
	f.Fuzz(func(t *testing.T, name string) {
		if c.check(name) != c.verdict(name) {
			t.Errorf("cached verdict differs for %q", name)
		}
	})
}

// FuzzURIIssues judges arbitrary URIs against an owned-domain policy.
func FuzzURIIssues(f *testing.F) {
	for _, s := range []string{"https://a.b:1/c", "http://[::1", "x://@:", msalURI, "api://guid"} {
		f.Add(s)
	}
	u := newURIEnricher(testPolicy(f, ownedPolicy), nil, 8)
	f.Fuzz(func(t *testing.T, uri string) {
		known := []string{"wildcard", "not_https", "not_owned_domain", "claimable_host"}
		f := u.fact(uri)
		for _, issue := range f.Issues {
			if !slices.Contains(known, issue) {
				t.Errorf("fact(%q) has the unknown issue %q", uri, issue)
			}
		}
		if (f.Host != nil) != slices.Contains(f.Issues, "claimable_host") {
			t.Errorf("fact(%q): host %+v, issues %v", uri, f.Host, f.Issues)
		}
		if f.Ownership == "" && slices.Contains(f.Issues, "not_owned_domain") {
			t.Errorf("fact(%q): not owned without an ownership", uri)
		}
	})
}
