package sink

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// contractProblems checks one JSON Lines object against the alert
// contract: every field is present with its type, the level and actor type
// are known values, and the time is RFC 3339 UTC when set.
func contractProblems(obj map[string]any) []string {
	var errs []string
	want := map[string]string{
		"guide_row": "string", "rule_id": "string", "title": "string", "level": "string",
		"time": "string", "event_id": "string", "tenant_id": "string", "actor": "object",
		"target": "object", "evidence": "object", "attack": "array",
		"outside_business_hours": "boolean", "source": "object",
	}
	for field, typ := range want {
		v, ok := obj[field]
		if !ok {
			errs = append(errs, field+" missing")
			continue
		}
		if got := jsonType(v); got != typ {
			errs = append(errs, field+" is "+got+", want "+typ)
		}
	}
	if l, _ := obj["level"].(string); !alert.ValidLevel(l) {
		errs = append(errs, "level "+l)
	}
	actor, _ := obj["actor"].(map[string]any)
	if typ, _ := actor["type"].(string); !slices.Contains([]string{"user", "app", "system"}, typ) {
		errs = append(errs, "actor type "+typ)
	}
	if s, _ := obj["time"].(string); s != "" {
		if tm, err := time.Parse(time.RFC3339Nano, s); err != nil || !strings.HasSuffix(s, "Z") || tm.Location() != time.UTC {
			errs = append(errs, "time "+s)
		}
	}
	attack, _ := obj["attack"].([]any)
	for _, a := range attack {
		if _, ok := a.(string); !ok {
			errs = append(errs, "attack item not a string")
		}
	}
	return errs
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	}
	return "?"
}

func TestJSONLContract(t *testing.T) {
	alerts := append(sampleAlerts(), alert.Alert{RuleID: "bare", Level: alert.LevelLow, Actor: alert.Actor{Type: "system"}})
	out := render(t, "jsonl", Options{}, alerts)
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Fatal("output does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(alerts) {
		t.Fatalf("%d lines for %d alerts", len(lines), len(alerts))
	}
	for i, l := range lines {
		var obj map[string]any
		dec := json.NewDecoder(strings.NewReader(l))
		if err := dec.Decode(&obj); err != nil || dec.More() {
			t.Fatalf("line %d is not one JSON object: %v", i+1, err)
		}
		for _, e := range contractProblems(obj) {
			t.Errorf("line %d (%s): %s", i+1, alerts[i].RuleID, e)
		}
		if obj["rule_id"] != alerts[i].RuleID {
			t.Errorf("line %d: rule %v, want %s (alerts are written in order)", i+1, obj["rule_id"], alerts[i].RuleID)
		}
	}
}

// TestJSONMatchesJSONL checks that the array holds the same objects as
// the lines, and that reading an alert back and writing it again gives
// the same object.
func TestJSONMatchesJSONL(t *testing.T) {
	alerts := sampleAlerts()
	var arr []json.RawMessage
	if err := json.Unmarshal(render(t, "json", Options{}, alerts), &arr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(render(t, "jsonl", Options{}, alerts))), "\n")
	if len(arr) != len(lines) {
		t.Fatalf("%d array items, %d lines", len(arr), len(lines))
	}
	for i := range arr {
		var compact bytes.Buffer
		if err := json.Compact(&compact, arr[i]); err != nil {
			t.Fatal(err)
		}
		var back alert.Alert
		if err := json.Unmarshal([]byte(lines[i]), &back); err != nil {
			t.Fatal(err)
		}
		again := strings.TrimSpace(string(render(t, "jsonl", Options{}, []alert.Alert{back})))
		if compact.String() != lines[i] || !sameJSON(t, again, lines[i]) {
			t.Errorf("item %d:\narray %s\nline  %s\nagain %s", i, compact.String(), lines[i], again)
		}
	}
}

// sameJSON reports whether a and b hold the same JSON value, whatever the
// order of object members.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}

func TestEmptyOutputs(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"jsonl", ""},
		{"json", "[]\n"},
		{"csv", strings.Join(csvHeader, ",") + "\r\n"},
		{"table", "No alerts.\n"},
	}
	for _, tt := range tests {
		if got := string(render(t, tt.format, Options{}, nil)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestNilFieldsWritten(t *testing.T) {
	for _, format := range []string{"jsonl", "json"} {
		out := render(t, format, Options{}, []alert.Alert{{RuleID: "r"}})
		if !bytes.Contains(out, []byte(`"evidence": {}`)) && !bytes.Contains(out, []byte(`"evidence":{}`)) {
			t.Errorf("%s: nil evidence not written as {}:\n%s", format, out)
		}
		if !bytes.Contains(out, []byte(`"attack": []`)) && !bytes.Contains(out, []byte(`"attack":[]`)) {
			t.Errorf("%s: nil attack not written as []:\n%s", format, out)
		}
	}
}

func TestNew(t *testing.T) {
	var buf bytes.Buffer
	for _, f := range append(Formats(), "JSONL", "Sarif") {
		if _, err := New(f, &buf, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	for _, f := range []string{"", "xml", "jsonlines"} {
		if _, err := New(f, &buf, Options{}); err == nil {
			t.Errorf("New(%q) succeeded", f)
		}
	}
	if _, err := New("json", nil, Options{}); err == nil {
		t.Error("New with a nil writer succeeded")
	}
}

func TestClosed(t *testing.T) {
	for _, f := range Formats() {
		w, err := New(f, &bytes.Buffer{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%s: Close: %v", f, err)
		}
		if err := w.Write(alert.Alert{}); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: Write after Close = %v", f, err)
		}
		if err := w.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: second Close = %v", f, err)
		}
	}
}

// failing is an io.Writer that always fails.
type failing struct{}

var errDisk = errors.New("disk full")

func (failing) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteErrors(t *testing.T) {
	for _, f := range Formats() {
		w, err := New(f, failing{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		werr := w.Write(sampleAlerts()[0])
		cerr := w.Close()
		if !errors.Is(werr, errDisk) && !errors.Is(cerr, errDisk) {
			t.Errorf("%s: Write = %v, Close = %v; want the writer's error", f, werr, cerr)
		}
	}
}

func TestUnencodableEvidence(t *testing.T) {
	a := alert.Alert{RuleID: "r", Level: alert.LevelLow, Evidence: map[string]any{"bad": make(chan int)}}
	for _, f := range []string{"jsonl", "json", "csv", "sarif"} {
		w, err := New(f, &bytes.Buffer{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(a); err == nil {
			t.Errorf("%s: Write of unencodable evidence succeeded", f)
		}
	}
	if out := render(t, "table", Options{}, []alert.Alert{a}); !bytes.Contains(out, []byte("1 alert")) {
		t.Errorf("table should still list the alert:\n%s", out)
	}
}
