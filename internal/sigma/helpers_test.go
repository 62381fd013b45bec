package sigma

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// Event kinds of the test schema.
const (
	kindAudit  = 1
	kindSignin = 2
	kindVault  = 3
)

// testField is a field of the test schema, known under several names.
type testField struct {
	id    int
	names []string
	fold  bool
}

var testFields = []testField{
	{1, []string{"activityDisplayName", "OperationName", "properties.message", "activity"}, true},
	{13, []string{"activity_raw"}, false},
	{14, []string{"When"}, false},
	{2, []string{"CommandLine"}, false},
	{3, []string{"IpAddress", "callerIpAddress"}, false},
	{4, []string{"UserPrincipalName", "User"}, false},
	{5, []string{"ResultType"}, false},
	{6, []string{"Count"}, false},
	{7, []string{"Target"}, false},
	{8, []string{"Initiator"}, false},
	{9, []string{"Tags"}, false},
	{10, []string{"AppId"}, false},
	{11, []string{"Empty"}, false},
	{12, []string{"Host"}, false},
}

// foldActivity makes activity names compare equal across dash styles
// and trailing spaces.
func foldActivity(s string) string {
	s = strings.NewReplacer("\u2013", "-", "\u2014", "-").Replace(s)
	return strings.TrimRight(s, " ")
}

type testSchema struct{}

func (testSchema) Field(name string) (Field, bool) {
	for _, f := range testFields {
		for _, n := range f.names {
			if strings.EqualFold(n, name) {
				fd := Field{ID: f.id, Name: f.names[0]}
				if f.fold {
					fd.Fold = foldActivity
					fd.Raw = &Field{ID: rawActivity, Name: "activity_raw"}
				}
				return fd, true
			}
		}
	}
	return Field{}, false
}

func (testSchema) Kinds(ls Logsource) (KindSet, error) {
	if ls.Product != "azure" {
		return 0, fmt.Errorf("unknown product %q", ls.Product)
	}
	switch ls.Service {
	case "auditlogs":
		return KindSet(0).With(kindAudit), nil
	case "signinlogs":
		return KindSet(0).With(kindSignin), nil
	case "keyvault":
		return KindSet(0).With(kindVault), nil
	case "":
		return KindSet(0).With(kindAudit).With(kindSignin).With(kindVault), nil
	}
	return 0, fmt.Errorf("unknown service %q", ls.Service)
}

// rawActivity is the field that holds the activity as logged.
const rawActivity = 13

// testEvent is a map-backed Event. A field in present has no value but
// is in the event (empty or null).
type testEvent struct {
	kind    int
	t       time.Time
	fields  map[int][]string
	present map[int]bool
}

func (e *testEvent) Present(f int) bool { return e.present[f] }

func (e *testEvent) Kind() int       { return e.kind }
func (e *testEvent) Time() time.Time { return e.t }

func (e *testEvent) Values(f int, dst []string) []string { return append(dst, e.fields[f]...) }

func (e *testEvent) Keywords(dst []string) []string {
	ids := make([]int, 0, len(e.fields))
	for id := range e.fields {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		dst = append(dst, e.fields[id]...)
	}
	return dst
}

// ev builds an event of kind from field names and values (a string,
// a []string, or nil for a field present without a value), folding
// values as a real event model would and keeping the activity as
// logged in activity_raw.
func ev(kind int, kv map[string]any) *testEvent {
	e := &testEvent{kind: kind, fields: make(map[int][]string), present: make(map[int]bool)}
	for name, v := range kv {
		f, ok := testSchema{}.Field(name)
		if !ok {
			panic("test event uses unknown field " + name)
		}
		var vals []string
		switch v := v.(type) {
		case string:
			vals = []string{v}
		case []string:
			vals = v
		case nil:
			e.present[f.ID] = true
		}
		for _, s := range vals {
			if f.Raw != nil {
				e.fields[f.Raw.ID] = append(e.fields[f.Raw.ID], s)
			}
			if f.Fold != nil {
				s = f.Fold(s)
			}
			e.fields[f.ID] = append(e.fields[f.ID], s)
		}
	}
	return e
}

// testPlaceholders resolves %name% from a map.
type testPlaceholders map[string][]string

func (p testPlaceholders) Values(name string) ([]string, bool) {
	v, ok := p[name]
	return v, ok
}

// auditRule wraps a detection section, written with four-space
// indentation, into a rule on audit logs.
func auditRule(det string) string {
	return "title: test\nlogsource:\n    product: azure\n    service: auditlogs\ndetection:\n" + det
}

// load parses and compiles one file.
func load(t testing.TB, name, src string, p Placeholders) (*Ruleset, error) {
	t.Helper()
	rules, err := Parse(name, []byte(src))
	if err != nil {
		return nil, err
	}
	return Compile(rules, testSchema{}, p)
}

// mustLoad is load that fails the test on error.
func mustLoad(t testing.TB, name, src string, p Placeholders) *Ruleset {
	t.Helper()
	rs, err := load(t, name, src, p)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return rs
}

// firstError returns the message of the first *Error in err.
func firstError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return err.Error()
}
