package decode

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/realdata"
)

// realFiles returns the paths of every file under the real sample
// directory, relative to it, with forward slashes, sorted.
func realFiles(tb testing.TB) (string, []string) {
	tb.Helper()
	dir := realdata.Dir(tb)
	var files []string
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		tb.Fatalf("listing %s: %v", dir, err)
	}
	sort.Strings(files)
	return dir, files
}

// decodeFile decodes one file with a fresh decoder and returns its events.
func decodeFile(tb testing.TB, path string) ([]*event.Event, *Stats, error) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var evs []*event.Event
	st, err := NewDecoder(Options{}).Decode(context.Background(), filepath.Base(path), f, func(e *event.Event) error {
		evs = append(evs, e)
		return nil
	})
	return evs, st, err
}

// explainedSkips are the reasons a real record may be skipped for: objects
// that are not log records, and log categories appwatch does not analyse.
var explainedSkips = map[string]bool{
	skipGraphObject: true,
	"log category MicrosoftGraphActivityLogs is not analysed": true,
}

// TestRealFilesDecodeCleanly decodes every published sample: none may hold
// invalid JSON or CSV, and every record is an event or skipped for an
// explained reason. MANIFEST.md is prose and must be refused as such.
func TestRealFilesDecodeCleanly(t *testing.T) {
	dir, files := realFiles(t)
	if len(files) < 100 {
		t.Errorf("found %d files under %s, want the 100+ published samples", len(files), dir)
	}
	for _, name := range files {
		evs, st, err := decodeFile(t, filepath.Join(dir, name))
		if name == "MANIFEST.md" {
			if !errors.Is(err, ErrNoRecognisedContent) || !strings.HasPrefix(err.Error(), "MANIFEST.md:1: ") {
				t.Errorf("%s: err = %v, want a content error naming the file and line 1", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.ErrorCount != 0 {
			t.Errorf("%s: %d bad records: %v", name, st.ErrorCount, st.Errors)
		}
		if st.Records == 0 || st.Records != st.Events+st.SkippedCount() || len(evs) != st.Events {
			t.Errorf("%s: %d records, %d events (%d emitted), %d skipped", name, st.Records, st.Events, len(evs), st.SkippedCount())
		}
		for reason := range st.Skipped {
			if !explainedSkips[reason] {
				t.Errorf("%s: %d records skipped for an unexplained reason: %s", name, st.Skipped[reason], reason)
			}
		}
		analysed := !strings.HasPrefix(name, "graph-objects/") && !strings.HasPrefix(name, "other/") || strings.Contains(name, "risk_detection")
		if analysed != (st.Events == st.Records) {
			t.Errorf("%s: %d of %d records are events; want all (logs, risk detections) or none (graph-objects/, other/)", name, st.Events, st.Records)
		}
	}
}

// realFile is what one published sample holds, read by hand from the file.
type realFile struct {
	path    string
	records int
	// skip is the reason every record of the file is skipped for; empty
	// when every record is an event.
	skip   string
	events []want
}

// want is the normalized form of one record, written from the file.
type want struct {
	kind     event.Kind
	time     string // RFC 3339; "" when the record has no activity time
	id       string
	tenant   string
	stream   string
	activity string
	key      string
	result   string
	actor    event.Actor
	targets  []event.Target // ID, Type, Name and UPN; Props are checked by props
	props    []prop
	signIn   *signInWant
	kv       *kvWant
	azure    *event.Azure
	risk     *event.Risk
}

// prop is a decoded modified property of target number target.
type prop struct {
	target   int
	name     string
	old, new []string
}

// signInWant holds the sign-in fields the guide's sign-in rows look at.
type signInWant struct {
	protocol, transfer, status, appID, spID, spName, credType, credKeyID, tokenType, interactive string
}

// kvWant holds the Key Vault fields the guide's Key Vault rows look at.
type kvWant struct {
	operation, vault, httpStatus, signature, object string
}

// TestRealFiles checks the normalized fields of every record of every
// published sample against values read from the files.
func TestRealFiles(t *testing.T) {
	dir, files := realFiles(t)
	rows := map[string]realFile{}
	for _, rf := range realFileTable() {
		if _, dup := rows[rf.path]; dup {
			t.Errorf("two rows for %s", rf.path)
		}
		rows[rf.path] = rf
	}
	for _, name := range files {
		if _, ok := rows[name]; !ok && name != "MANIFEST.md" {
			t.Errorf("no row for %s", name)
		}
	}
	for _, rf := range realFileTable() {
		t.Run(rf.path, func(t *testing.T) {
			if !slices.Contains(files, rf.path) {
				t.Fatalf("%s is not among the samples", rf.path)
			}
			evs, st, err := decodeFile(t, filepath.Join(dir, rf.path))
			if err != nil || st.ErrorCount != 0 {
				t.Fatalf("decode: %v %v", err, st.Errors)
			}
			if st.Records != rf.records {
				t.Errorf("records = %d, want %d", st.Records, rf.records)
			}
			if rf.skip != "" {
				if len(evs) != 0 || st.Skipped[rf.skip] != rf.records {
					t.Errorf("events = %d, skipped = %v; want every record skipped: %s", len(evs), st.Skipped, rf.skip)
				}
				return
			}
			if len(evs) != len(rf.events) {
				t.Fatalf("events = %d, want %d", len(evs), len(rf.events))
			}
			for i, w := range rf.events {
				checkEvent(t, i, evs[i], w)
			}
		})
	}
}

// checkEvent compares one event with what was read from the file.
func checkEvent(t *testing.T, i int, e *event.Event, w want) {
	t.Helper()
	wantTime := time.Time{}
	if w.time != "" {
		var err error
		if wantTime, err = time.Parse(time.RFC3339Nano, w.time); err != nil {
			t.Fatalf("event %d: bad wanted time %q", i, w.time)
		}
	}
	fields := []struct{ name, got, want string }{
		{"kind", e.Kind.String(), w.kind.String()},
		{"id", e.ID, w.id},
		{"tenant", e.TenantID, w.tenant},
		{"stream", e.Stream, w.stream},
		{"activity", e.Activity, w.activity},
		{"activity key", e.ActivityKey, w.key},
		{"result", e.Result, w.result},
	}
	for _, f := range fields {
		if f.got != f.want {
			t.Errorf("event %d: %s = %q, want %q", i, f.name, f.got, f.want)
		}
	}
	if !e.Time.Equal(wantTime) || e.Time.Location() != time.UTC {
		t.Errorf("event %d: time = %v, want %v UTC", i, e.Time, wantTime)
	}
	if e.Actor != w.actor {
		t.Errorf("event %d: actor = %+v\n\twant %+v", i, e.Actor, w.actor)
	}
	checkTargets(t, i, e, w)
	checkSignIn(t, i, e, w.signIn)
	checkKeyVault(t, i, e, w.kv)
	if w.azure != nil && e.Azure != *w.azure {
		t.Errorf("event %d: azure = %+v\n\twant %+v", i, e.Azure, *w.azure)
	}
	if w.risk != nil && e.Risk != *w.risk {
		t.Errorf("event %d: risk = %+v\n\twant %+v", i, e.Risk, *w.risk)
	}
}

func checkTargets(t *testing.T, i int, e *event.Event, w want) {
	t.Helper()
	if !slices.Equal(targetNames(e.Targets), targetNames(w.targets)) {
		t.Errorf("event %d: targets = %q\n\twant %q", i, targetNames(e.Targets), targetNames(w.targets))
	}
	for _, p := range w.props {
		v, ok := findProp(e, p.target, p.name)
		if !ok {
			t.Errorf("event %d: target %d has no property %s", i, p.target, p.name)
			continue
		}
		if !slices.Equal(v.Old.Items, p.old) || !slices.Equal(v.New.Items, p.new) {
			t.Errorf("event %d: %s = %q -> %q, want %q -> %q", i, p.name, v.Old.Items, v.New.Items, p.old, p.new)
		}
	}
}

// targetNames returns the id, type, name and UPN of each target.
func targetNames(ts []event.Target) [][4]string {
	var out [][4]string
	for _, t := range ts {
		out = append(out, [4]string{t.ID, t.Type, t.Name, t.UPN})
	}
	return out
}

// findProp returns the modified property name of target number ti.
func findProp(e *event.Event, ti int, name string) (event.Property, bool) {
	if ti >= len(e.Targets) {
		return event.Property{}, false
	}
	for _, p := range e.Targets[ti].Props {
		if p.Name == name {
			return p, true
		}
	}
	return event.Property{}, false
}

func checkSignIn(t *testing.T, i int, e *event.Event, w *signInWant) {
	t.Helper()
	if w == nil {
		if e.Kind == event.KindSignIn {
			t.Errorf("event %d: sign-in with no sign-in fields to check", i)
		}
		return
	}
	s := e.SignIn
	got := signInWant{s.Protocol, s.TransferMethod, s.Status, s.AppID, s.ServicePrincipalID, s.ServicePrincipalName,
		s.CredentialType, s.CredentialKeyID, s.IncomingTokenType, s.Interactive}
	if got != *w {
		t.Errorf("event %d: sign-in = %+v\n\twant %+v", i, got, *w)
	}
}

func checkKeyVault(t *testing.T, i int, e *event.Event, w *kvWant) {
	t.Helper()
	if w == nil {
		if e.Kind == event.KindKeyVault {
			t.Errorf("event %d: Key Vault record with no Key Vault fields to check", i)
		}
		return
	}
	kv := e.KeyVault
	got := kvWant{kv.Operation, kv.Vault, kv.HTTPStatus, kv.ResultSignature, kv.Object}
	if got != *w {
		t.Errorf("event %d: key vault = %+v\n\twant %+v", i, got, *w)
	}
}

// realEvent returns the events of one sample, failing when it is absent.
func realEvent(t *testing.T, path string, index int) *event.Event {
	t.Helper()
	evs, _, err := decodeFile(t, filepath.Join(realdata.Dir(t), path))
	if err != nil || index >= len(evs) {
		t.Fatalf("%s: %v, %d events", path, err, len(evs))
	}
	return evs[index]
}

// TestRealTypedProperties runs the typed property decoders on real values.
func TestRealTypedProperties(t *testing.T) {
	t.Run("elastic service principal certificate added", func(t *testing.T) {
		e := realEvent(t, "audit/elastic-integrations__auditlogs-sample-sp-credentials.log", 0)
		p, _ := findProp(e, 0, "KeyDescription")
		added := modprop.AddedCredentials(modprop.ParseKeyDescription(p.Old.Items), modprop.ParseKeyDescription(p.New.Items))
		want := []modprop.Credential{{
			KeyID: "d747da7e-e11b-4af2-aede-0487c44067af", Type: "AsymmetricX509Cert", Usage: "Verify",
			DisplayName: "CN=a70a7931-c387-4dce-9f35-fbf95bdcc91e",
		}}
		if !slices.Equal(added, want) {
			t.Errorf("added = %+v, want %+v", added, want)
		}
	})
	t.Run("training lab secret key 2 added", func(t *testing.T) {
		e := realEvent(t, "audit/azure-sentinel__training-lab-AuditLogs_Hunting.csv", 0)
		p, _ := findProp(e, 0, "KeyDescription")
		added := modprop.AddedCredentials(modprop.ParseKeyDescription(p.Old.Items), modprop.ParseKeyDescription(p.New.Items))
		want := []modprop.Credential{{KeyID: "11ca002d-d846-4692-8e1f-501db99f485a", Type: "Password", Usage: "Verify", DisplayName: "key 2"}}
		if !slices.Equal(added, want) {
			t.Errorf("added = %+v, want %+v", added, want)
		}
	})
	t.Run("training lab secret with empty display name", func(t *testing.T) {
		e := realEvent(t, "audit/azure-sentinel__training-lab-AuditLogs_Hunting.csv", 2)
		p, _ := findProp(e, 0, "KeyDescription")
		added := modprop.AddedCredentials(modprop.ParseKeyDescription(p.Old.Items), modprop.ParseKeyDescription(p.New.Items))
		want := []modprop.Credential{{KeyID: "8c123b9d-31e6-4f50-a21f-88eabc8857e5", Type: "Password", Usage: "Verify"}}
		if !slices.Equal(added, want) {
			t.Errorf("added = %+v, want %+v", added, want)
		}
	})
	t.Run("SEKOIA add service principal AppAddress", func(t *testing.T) {
		e := realEvent(t, "audit/sekoia-intake-formats__entra-eventhub__add_service_principal_failure.json", 0)
		p, _ := findProp(e, 0, "AppAddress")
		got := modprop.ParseAppAddress(p.New.Items)
		want := []modprop.Address{
			{URI: "https://main.protectioncenter.ext.azure.com"},
			{URI: "https://s2.cloudappdiscovery.ext.azure.com/"},
		}
		if !slices.Equal(got, want) || len(modprop.ParseAppAddress(p.Old.Items)) != 0 {
			t.Errorf("addresses = %+v (old %q), want %+v and none before", got, p.Old.Items, want)
		}
	})
	t.Run("OTRF delegated grant widened", func(t *testing.T) {
		e := realEvent(t, "audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", 3)
		p, _ := findProp(e, 0, "DelegatedPermissionGrant.Scope")
		if got := modprop.ParseScope(p.New.String()); !slices.Equal(got, []string{"User.Read", "Mail.ReadWrite"}) {
			t.Errorf("new scopes = %q", got)
		}
		if got := modprop.ParseScope(p.Old.String()); !slices.Equal(got, []string{"User.Read"}) {
			t.Errorf("old scopes = %q", got)
		}
	})
}
