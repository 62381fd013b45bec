package ingest

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/i18n"
)

// testSummary is a summary as a run over five inputs could leave it: one
// read cleanly, one with more bad records than messages kept, one that
// could not be parsed, one that could not be opened, one empty, and one
// never reached because the run stopped.
func testSummary() *Summary {
	return &Summary{
		Files: []*decode.Stats{
			{Name: "audit.jsonl", Records: 4, Events: 4, Layouts: map[string]int{"graph": 3, "diagnostic": 1}, Skipped: map[string]int{}},
			{
				Name: "signins.csv", Records: 9, Events: 4,
				Layouts: map[string]int{"loganalytics-csv": 4},
				Skipped: map[string]int{"invalid CSV": 2, "CSV row with missing columns": 2, "not a sign-in": 1},
				Errors:  []string{"signins.csv:3: bad quote", "signins.csv:5: row has 2 columns, the header 9; skipped"},
				Notes: []decode.Note{
					{Line: 3, Message: decode.Message{Format: "bad quote"}},
					{Line: 5, Message: decode.Message{Format: "row has %d columns, the header %d; skipped", Args: []any{2, 9}}},
				},
				ErrorCount: 5,
			},
			{Name: "notes.txt", Layouts: map[string]int{}, Skipped: map[string]int{}},
			{Name: "gone.json", Layouts: map[string]int{}, Skipped: map[string]int{}},
			{Name: "empty.json", Layouts: map[string]int{}, Skipped: map[string]int{}},
			nil,
		},
		failed: []error{
			nil,
			nil,
			errors.New("notes.txt:1: content is neither JSON nor CSV"),
			errors.New("open gone.json: no such file or directory"),
			nil,
			nil,
		},
	}
}

func TestSummaryWrite(t *testing.T) {
	const want = `audit.jsonl: graph 3, diagnostic 1, 4 records, 4 events
signins.csv: loganalytics-csv 4, 9 records, 4 events, 5 skipped (CSV row with missing columns 2, invalid CSV 2, not a sign-in 1)
  signins.csv:3: bad quote
  signins.csv:5: row has 2 columns, the header 9; skipped
  ... and 3 more errors
notes.txt: not read: content is neither JSON nor CSV
gone.json: not read: open gone.json: no such file or directory
empty.json: 0 records, 0 events (empty)
total: 6 inputs (2 unreadable), 13 records, 8 events, 5 skipped, 5 errors
  by layout: loganalytics-csv 4, graph 3, diagnostic 1
  skipped: CSV row with missing columns 2, invalid CSV 2, not a sign-in 1
`
	var b strings.Builder
	testSummary().Write(&b, i18n.NewPrinter("en"))
	if got := b.String(); got != want {
		t.Errorf("Write:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryWriteProblems(t *testing.T) {
	const want = `signins.csv: loganalytics-csv 4, 9 records, 4 events, 5 skipped (CSV row with missing columns 2, invalid CSV 2, not a sign-in 1)
  signins.csv:3: bad quote
  signins.csv:5: row has 2 columns, the header 9; skipped
  ... and 3 more errors
notes.txt: not read: content is neither JSON nor CSV
gone.json: not read: open gone.json: no such file or directory
total: 6 inputs (2 unreadable), 13 records, 8 events, 5 skipped, 5 errors
  by layout: loganalytics-csv 4, graph 3, diagnostic 1
  skipped: CSV row with missing columns 2, invalid CSV 2, not a sign-in 1
`
	var b strings.Builder
	testSummary().WriteProblems(&b, i18n.NewPrinter("en"))
	if got := b.String(); got != want {
		t.Errorf("WriteProblems:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryWriteNothingRead(t *testing.T) {
	s := &Summary{
		Files:  []*decode.Stats{{Name: "empty.json", Layouts: map[string]int{}, Skipped: map[string]int{}}},
		failed: []error{nil},
	}
	tests := []struct {
		name  string
		write func(*Summary, *strings.Builder)
		want  string
	}{
		{"Write", func(s *Summary, b *strings.Builder) { s.Write(b, i18n.NewPrinter("en")) },
			"empty.json: 0 records, 0 events (empty)\ntotal: 1 inputs (0 unreadable), 0 records, 0 events, 0 skipped, 0 errors\n"},
		{"WriteProblems", func(s *Summary, b *strings.Builder) { s.WriteProblems(b, i18n.NewPrinter("en")) },
			"total: 1 inputs (0 unreadable), 0 records, 0 events, 0 skipped, 0 errors\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		tt.write(s, &b)
		if got := b.String(); got != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

func TestSummaryFailed(t *testing.T) {
	got := testSummary().Failed()
	if len(got) != 2 || got["notes.txt"] == nil || got["gone.json"] == nil {
		t.Errorf("Failed = %v, want notes.txt and gone.json", got)
	}
}

func TestTotalsCompleteness(t *testing.T) {
	clean := &decode.Stats{Name: "a.json", Records: 2, Events: 1, Skipped: map[string]int{"not analysed": 1}}
	bad := &decode.Stats{Name: "b.json", Records: 2, Events: 1, Skipped: map[string]int{"invalid JSON": 1}, ErrorCount: 1}
	unread := &decode.Stats{Name: "c.txt"}
	notText := errors.New("c.txt:1: content is neither JSON nor CSV")
	tests := []struct {
		name             string
		sum              *Summary
		none, incomplete bool
	}{
		{"no inputs", &Summary{}, true, false},
		{"everything read", &Summary{Files: []*decode.Stats{clean}, failed: []error{nil}}, false, false},
		{"a bad record", &Summary{Files: []*decode.Stats{clean, bad}, failed: []error{nil, nil}}, false, true},
		{"an input not read", &Summary{Files: []*decode.Stats{clean, unread}, failed: []error{nil, notText}}, false, true},
		{"nothing read", &Summary{Files: []*decode.Stats{unread}, failed: []error{notText}}, true, true},
	}
	for _, tt := range tests {
		got := tt.sum.Totals()
		if got.NoneRead() != tt.none || got.Incomplete() != tt.incomplete {
			t.Errorf("%s: NoneRead %v, Incomplete %v; want %v, %v", tt.name, got.NoneRead(), got.Incomplete(), tt.none, tt.incomplete)
		}
	}
}

func TestSummaryIsSafeForTerminals(t *testing.T) {
	name := "logs/\x1b]0;owned\x07evil\x1b[2J.json"
	s := &Summary{
		Files: []*decode.Stats{
			{Name: name, Records: 1, Skipped: map[string]int{"invalid JSON": 1}, ErrorCount: 1,
				Errors: []string{name + ":1: CSV header has none of the columns: \x1b[31mred\r\nfake line"}},
			{Name: "\x1b[1mbold.csv"},
		},
		failed: []error{nil, errors.New("\x1b[1mbold.csv:1: neither\u009b JSON nor CSV \xff")},
	}
	var b strings.Builder
	s.Write(&b, i18n.NewPrinter("en"))
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07\r\u009b") || !utf8.ValidString(out) {
		t.Errorf("summary carries control characters or invalid UTF-8:\n%q", out)
	}
	if n := strings.Count(out, "\n"); n != 5 {
		t.Errorf("%d lines, want 5: a name or message broke a line:\n%s", n, out)
	}
}

// TestSkipReasonsTranslated fails when a reason the read summary counts
// skipped records under has no text in a language.
func TestSkipReasonsTranslated(t *testing.T) {
	for _, r := range decode.SkipReasons() {
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, r) {
				t.Errorf("skip reason %q: no %s text; add it to internal/i18n/cli.go", r, lang)
			}
		}
	}
}
