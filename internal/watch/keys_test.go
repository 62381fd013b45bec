package watch

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/sigma"
)

func TestAlertKey(t *testing.T) {
	a := alert.Alert{RuleID: "owner-added", TenantID: "t1", EventID: "e1"}
	cases := []struct {
		name  string
		other alert.Alert
		ref   string
		same  bool
	}{
		{"same record read again elsewhere", a, "other-file:7.0", true},
		{"another rule", alert.Alert{RuleID: "user-consent", TenantID: "t1", EventID: "e1"}, "", false},
		{"another tenant", alert.Alert{RuleID: "owner-added", TenantID: "t2", EventID: "e1"}, "", false},
		{"another record", alert.Alert{RuleID: "owner-added", TenantID: "t1", EventID: "e2"}, "", false},
		{"a record without id", alert.Alert{RuleID: "owner-added", TenantID: "t1"}, "e1", false},
	}
	want := AlertKey(&a, "f:1.0")
	for _, tc := range cases {
		if got := AlertKey(&tc.other, tc.ref); (got == want) != tc.same {
			t.Errorf("%s: key %s, first %s; same = %v, want %v", tc.name, got, want, got == want, tc.same)
		}
	}
	noID, again := alert.Alert{RuleID: "owner-added"}, alert.Alert{RuleID: "owner-added", Title: "read again"}
	if AlertKey(&noID, "f:1.0") == AlertKey(&noID, "f:2.0") || AlertKey(&noID, "f:1.0") != AlertKey(&again, "f:1.0") {
		t.Error("records without an id are not keyed by their place")
	}
	if digest("ab", "c") == digest("a", "bc") {
		t.Error("digest runs parts together")
	}
}

func TestCodec(t *testing.T) {
	meta := []*alert.Rule{{ID: "consent"}, {ID: "credential"}, {ID: "inner"}, {ID: "outer"}}
	c := newCodec(meta)
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	a := &alert.Alert{RuleID: "consent", EventID: "e1", Evidence: map[string]any{"activity": "Consent to application"}}
	b := &alert.Alert{RuleID: "credential", EventID: "e2", Evidence: map[string]any{"activity": "Update application"}}
	inner := &sigma.CorrelationResult{Rule: 2, GroupBy: []string{"app.id"}, Group: []string{"app-1"}, Start: at, End: at.Add(time.Minute), Count: 2,
		Events: []sigma.Contribution{{Rule: 0, Time: at, Ref: a}, {Rule: 1, Time: at.Add(time.Minute), Ref: b}}}
	text, err := c.encodeJSON(inner)
	if err != nil {
		t.Fatal(err)
	}
	back, err := c.decodeJSON(text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, inner) {
		t.Errorf("decoded\n %#v\nwant\n %#v", back, inner)
	}
	if _, err := newCodec(meta[:2]).decodeJSON(text); err == nil {
		t.Error("a result of a rule no longer loaded decoded")
	}
}

func TestStorable(t *testing.T) {
	a := alert.Alert{RuleID: "r", Evidence: map[string]any{"activity": "Add user", "n": math.Inf(1)}}
	s := storable(a)
	if _, err := json.Marshal(s); err != nil {
		t.Fatalf("storable alert does not marshal: %v", err)
	}
	if s.Evidence["activity"] != "Add user" || s.Evidence["unstorable"] == nil {
		t.Errorf("evidence %v, want the activity and why the rest is missing", s.Evidence)
	}
	ok := alert.Alert{RuleID: "r", Evidence: map[string]any{"n": 1.5}}
	if !reflect.DeepEqual(storable(ok), ok) {
		t.Error("storable changed an alert JSON can hold")
	}
}
