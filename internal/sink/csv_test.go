package sink

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/alert"
)

// readCSV parses out with encoding/csv, checks the header, and returns the
// rows as maps by column.
func readCSV(t testing.TB, out []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v", err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], csvHeader) {
		t.Fatalf("header %q, want %q", recs, csvHeader)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, col := range csvHeader {
			m[col] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// undefuse removes the apostrophe defuse adds.
func undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@\t", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// awkward is an alert whose values test quoting and the formula guard.
func awkward() alert.Alert {
	return alert.Alert{
		GuideRow: "owner-added", RuleID: "aw-owner-added", Level: alert.LevelMedium,
		Title:  "Owner added, \"quoted\"\r\nover two lines",
		Time:   "2024-05-01T00:00:00Z",
		Actor:  alert.Actor{Type: "user", Name: "@admin", UPN: "+39 02 1234", ID: "-1", IP: "\t10.0.0.1"},
		Target: alert.Target{Type: "Application", Name: "=1+1", AppID: "x,y"},
		Evidence: map[string]any{
			"note":  "a, b; \"c\"\nd\r\ne\rf",
			"items": []any{"=cmd|' /C calc'!A0", map[string]any{"k": "v,w"}},
			"n":     3.5,
		},
		Attack: []string{"T1098", "T1078.004"},
		Source: alert.Source{Format: "graph-audit", File: "logs/a,b.json", Line: 9},
	}
}

func TestCSVRoundTrip(t *testing.T) {
	alerts := append(sampleAlerts(), awkward())
	rows := readCSV(t, render(t, "csv", Options{}, alerts))
	if len(rows) != len(alerts) {
		t.Fatalf("%d rows for %d alerts", len(rows), len(alerts))
	}
	for i, a := range alerts {
		r := rows[i]
		line := ""
		if a.Source.Line > 0 {
			line = strconv.Itoa(a.Source.Line)
		}
		want := map[string]string{
			"time": a.Time, "level": a.Level, "guide_row": a.GuideRow, "rule_id": a.RuleID,
			"title": lineEnds.Replace(a.Title), "actor_type": a.Actor.Type, "actor_id": a.Actor.ID,
			"actor_upn": a.Actor.UPN, "actor_name": a.Actor.Name, "actor_ip": a.Actor.IP,
			"target_type": a.Target.Type, "target_id": a.Target.ID, "target_app_id": a.Target.AppID,
			"target_name": a.Target.Name, "outside_business_hours": strconv.FormatBool(a.OutsideBusinessHours),
			"change_window": a.ChangeWindow, "event_id": a.EventID, "tenant_id": a.TenantID,
			"source_format": a.Source.Format, "source_file": a.Source.File, "source_line": line,
			"attack": strings.Join(a.Attack, " "),
		}
		for col, w := range want {
			if got := undefuse(r[col]); got != visible(w) {
				t.Errorf("row %d %s = %q, want %q", i+1, col, got, w)
			}
		}
		var ev any
		if err := json.Unmarshal([]byte(r["evidence"]), &ev); err != nil {
			t.Errorf("row %d evidence %q: %v", i+1, r["evidence"], err)
		}
		if !reflect.DeepEqual(ev, any(plain(a.Evidence))) {
			t.Errorf("row %d evidence %v, want %v", i+1, ev, plain(a.Evidence))
		}
		if strings.Contains(r["evidence"], "\n") {
			t.Errorf("row %d: evidence spans lines", i+1)
		}
	}
}

func TestCSVFormulaGuard(t *testing.T) {
	rows := readCSV(t, render(t, "csv", Options{}, []alert.Alert{awkward()}))
	r := rows[0]
	for col, want := range map[string]string{
		"actor_name":  "'@admin",
		"actor_upn":   "'+39 02 1234",
		"actor_id":    "'-1",
		"actor_ip":    "'\t10.0.0.1",
		"target_name": "'=1+1",
		"title":       "Owner added, \"quoted\"\nover two lines",
	} {
		if r[col] != want {
			t.Errorf("%s = %q, want %q", col, r[col], want)
		}
	}
	for col, v := range r {
		if v != "" && strings.IndexByte("=+-@\t", v[0]) >= 0 {
			t.Errorf("%s = %q starts a formula", col, v)
		}
	}
}

func TestCSVControlCharacters(t *testing.T) {
	a := awkward()
	a.Title = "\x1b[31mred\x1b[0m\x00\x07bell\x7f"
	a.Actor.Name = "bad \xff\xfe utf-8 \u009b2J"
	a.Target.Name = "\x1b=1+1"
	a.Evidence = map[string]any{"note": "\x1b]0;title\x07 \u009b"}
	out := render(t, "csv", Options{}, []alert.Alert{a})
	if !utf8.Valid(out) || bytes.ContainsAny(out, "\x00\x07\x1b\x7f\u009b") {
		t.Errorf("CSV output carries control characters or invalid UTF-8:\n%q", out)
	}
	r := readCSV(t, out)[0]
	for col, want := range map[string]string{
		"title":       "␛[31mred␛[0m␀␇bell␡",
		"actor_name":  "bad \ufffd\ufffd utf-8 \ufffd2J",
		"target_name": "␛=1+1",
		"evidence":    "{\"note\":\"\\u001b]0;title\\u0007 \ufffd\"}",
	} {
		if r[col] != want {
			t.Errorf("%s = %q, want %q", col, r[col], want)
		}
	}
}

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "\rx"},
		{"a=b", "a=b"},
		{"'=already", "'=already"},
		{"＝fullwidth", "＝fullwidth"},
	}
	for _, tt := range tests {
		if got := defuse(tt.in); got != tt.want {
			t.Errorf("defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCSV writes alerts with arbitrary text and reads them back: every
// cell must come back as written, its line breaks as LF, and no cell may
// start a formula.
func FuzzCSV(f *testing.F) {
	f.Add("Owner added", "=1+1", "a,b\"c\nd")
	f.Add("", "\r\n", "\x00")
	f.Add("-", "@", "\xff")
	f.Fuzz(func(t *testing.T, title, name, note string) {
		a := alert.Alert{RuleID: "r", Level: alert.LevelLow, Title: title, Actor: alert.Actor{Type: "user", Name: name},
			Evidence: map[string]any{"note": note}}
		var buf bytes.Buffer
		w, err := New("csv", &buf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, buf.Bytes())
		if len(rows) != 1 {
			t.Fatalf("%d rows", len(rows))
		}
		norm := func(s string) string { return undefuse(defuse(lineEnds.Replace(s))) }
		if got := undefuse(rows[0]["title"]); got != norm(title) {
			t.Errorf("title %q, want %q", got, norm(title))
		}
		if got := undefuse(rows[0]["actor_name"]); got != norm(name) {
			t.Errorf("name %q, want %q", got, norm(name))
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(rows[0]["evidence"]), &ev); err != nil || !reflect.DeepEqual(ev, plain(a.Evidence)) {
			t.Errorf("evidence %q: %v", rows[0]["evidence"], err)
		}
		for col, v := range rows[0] {
			if v != "" && strings.IndexByte("=+-@\t", v[0]) >= 0 {
				t.Errorf("%s = %q starts a formula", col, v)
			}
		}
	})
}
