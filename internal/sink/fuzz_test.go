package sink

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/termtext"
)

// FuzzWrite writes an alert with arbitrary text in every format: nothing
// may fail, JSON Lines must hold one object, SARIF must pass the schema
// checks, no table line may be wider than the terminal, and the HTML
// report may hold no markup of the log's making.
func FuzzWrite(f *testing.F) {
	f.Add("credential-added", "2024-05-01T00:00:00Z", "high", "Title", "alice", "應用程式", "file.json", "Password", 3)
	f.Add("", "", "", "", "", "", "", "", 0)
	f.Add("x\x00", "bad time", "severe", "=1+1\n", "\x1b[31m", "\xff", "-", "\u202E", -1)
	f.Fuzz(func(t *testing.T, row, tm, level, title, actor, target, file, credType string, line int) {
		a := alert.Alert{
			GuideRow: row, RuleID: "r-" + row, Title: title, Level: level, Time: tm,
			Actor:  alert.Actor{Type: "user", Name: actor},
			Target: alert.Target{Name: target},
			Evidence: map[string]any{
				"credential": map[string]any{"added": []any{map[string]any{"type": credType, "display_name": title}}},
				"uri":        map[string]any{"redirect_added": []any{map[string]any{"uri": target, "issues": []any{actor}}}},
			},
			Source: alert.Source{File: file, Line: line},
		}
		for _, format := range Formats() {
			var buf bytes.Buffer
			w, err := New(format, &buf, Options{Width: 100, Color: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(a); err != nil {
				t.Fatalf("%s: Write: %v", format, err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("%s: Close: %v", format, err)
			}
			checkFuzzOutput(t, format, buf.Bytes())
		}
	})
}

func checkFuzzOutput(t *testing.T, format string, out []byte) {
	switch format {
	case "jsonl":
		var obj map[string]any
		if bytes.Count(out, []byte("\n")) != 1 || json.Unmarshal(out, &obj) != nil {
			t.Fatalf("jsonl: not one object on one line: %q", out)
		}
	case "sarif":
		var doc any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("sarif: %v", err)
		}
		if errs := checkSARIF(doc, "sarifLog", "$"); len(errs) > 0 {
			t.Fatalf("sarif: %q", errs)
		}
	case "csv":
		if !utf8.Valid(out) || bytes.ContainsFunc(out, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\r' && r != '\n' || r >= 0x7f && r <= 0x9f
		}) {
			t.Fatalf("csv: control characters or invalid UTF-8: %q", out)
		}
		if _, err := csv.NewReader(bytes.NewReader(out)).ReadAll(); err != nil {
			t.Fatalf("csv: %v", err)
		}
	case "html":
		checkHTML(t, out)
	case "table":
		for l := range strings.Lines(string(out)) {
			l = strings.TrimSuffix(ansi.ReplaceAllString(l, ""), "\n")
			if termtext.Width(l) > 100 || strings.ContainsRune(l, '\x1b') {
				t.Fatalf("table line %q", l)
			}
		}
	}
}

// checkHTML fails when the report holds markup that could run or load
// anything beyond its own script: another script, an event handler
// attribute, or an attribute that loads a resource.
func checkHTML(t *testing.T, out []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(out))
	scripts := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "script" {
			scripts++
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "srcset" || a.Key == "style" {
				t.Fatalf("html: <%s %s=%q>", tok.Data, a.Key, a.Val)
			}
			if a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://attack.mitre.org/techniques/T") {
				t.Fatalf("html: <%s href=%q>", tok.Data, a.Val)
			}
		}
	}
	if scripts != 1 {
		t.Fatalf("html: %d scripts, want the report's own", scripts)
	}
}
