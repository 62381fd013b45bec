package ingest

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/termtext"
)

// Summary counts what a run read.
type Summary struct {
	// Files holds the statistics of each input, in input order.
	Files  []*decode.Stats
	failed []error // why an input could not be read at all, by index
	// text marks files found in a directory that hold plain text rather
	// than logs (a README beside exported logs): they are named in the
	// summary but are not read errors.
	text []bool
}

// Totals adds up the statistics of every input.
type Totals struct {
	Inputs, Unreadable int
	// NotLogs counts files found in a directory that hold plain text,
	// neither JSON nor CSV; they are not counted as unreadable.
	NotLogs                 int
	Records, Events, Errors int
	Skipped                 map[string]int
	Layouts                 map[string]int
}

// NoneRead reports whether no input could be read at all: there were none,
// or none could be opened and decoded.
func (t Totals) NoneRead() bool { return t.Unreadable+t.NotLogs == t.Inputs }

// Incomplete reports whether an input or a record could not be read: an
// input not read, read in part, or holding records with errors. Records
// read and skipped as not analysed are not counted.
func (t Totals) Incomplete() bool { return t.Unreadable > 0 || t.Errors > 0 }

// Totals returns the run's totals.
func (s *Summary) Totals() Totals {
	t := Totals{Inputs: len(s.Files), Skipped: map[string]int{}, Layouts: map[string]int{}}
	for i, f := range s.Files {
		if f == nil {
			continue
		}
		if s.failed[i] != nil {
			t.Unreadable++
		}
		if s.isText(i) {
			t.NotLogs++
		}
		t.Records += f.Records
		t.Events += f.Events
		t.Errors += f.ErrorCount
		for r, n := range f.Skipped {
			t.Skipped[r] += n
		}
		for l, n := range f.Layouts {
			t.Layouts[l] += n
		}
	}
	return t
}

// isText reports whether input i is a plain text file found in a
// directory.
func (s *Summary) isText(i int) bool { return i < len(s.text) && s.text[i] }

// Failed returns the inputs that could not be read at all, with why.
func (s *Summary) Failed() map[string]error {
	out := map[string]error{}
	for i, err := range s.failed {
		if err != nil && s.Files[i] != nil {
			out[s.Files[i].Name] = err
		}
	}
	return out
}

// Write prints the summary in p's language: one line per input (its
// layouts, records, events and skips), the messages about bad records,
// and the totals. Names and messages are made safe for a terminal (see
// termtext.Clean): they come from file names and file contents. The
// messages about records and the skip reasons are in p's language, with
// the names they quote from the records as they are; layout names are
// written as the decoders give them.
func (s *Summary) Write(w io.Writer, p *i18n.Printer) { s.write(w, p, true) }

// WriteProblems prints only the inputs that could not be read or held bad
// records, with their messages, and then the totals.
func (s *Summary) WriteProblems(w io.Writer, p *i18n.Printer) { s.write(w, p, false) }

func (s *Summary) write(w io.Writer, p *i18n.Printer, all bool) {
	line := func(format string, args ...any) {
		fmt.Fprintln(w, termtext.Clean(p.Sprintf(format, args...)))
	}
	for i, f := range s.Files {
		if f == nil {
			continue
		}
		if err := s.failed[i]; err != nil {
			line("%s: not read: %s", f.Name, unwrapName(p.Error(err), f.Name))
			continue
		}
		if s.isText(i) {
			line("%s: skipped: plain text, not a log", f.Name)
			continue
		}
		if !all && f.ErrorCount == 0 {
			continue
		}
		fmt.Fprintln(w, termtext.Clean(f.Name+": "+fileLine(p, f)))
		for _, n := range f.Notes {
			fmt.Fprintln(w, "  "+termtext.Clean(fmt.Sprintf("%s:%d: %s", f.Name, n.Line, p.Message(n))))
		}
		if more := f.ErrorCount - len(f.Notes); more > 0 {
			fmt.Fprintln(w, "  "+p.Sprintf("... and %d more errors", more))
		}
	}
	t := s.Totals()
	if t.NotLogs > 0 {
		line("total: %d inputs (%d unreadable, %d plain text files skipped), %d records, %d events, %d skipped, %d errors",
			t.Inputs, t.Unreadable, t.NotLogs, t.Records, t.Events, sum(t.Skipped), t.Errors)
	} else {
		line("total: %d inputs (%d unreadable), %d records, %d events, %d skipped, %d errors",
			t.Inputs, t.Unreadable, t.Records, t.Events, sum(t.Skipped), t.Errors)
	}
	if len(t.Layouts) > 0 {
		fmt.Fprintln(w, "  "+termtext.Clean(p.Sprintf("by layout: %s", counts(p, t.Layouts, false))))
	}
	if len(t.Skipped) > 0 {
		fmt.Fprintln(w, "  "+termtext.Clean(p.Sprintf("skipped: %s", counts(p, t.Skipped, true))))
	}
}

// fileLine describes one input's statistics in p's language.
func fileLine(p *i18n.Printer, f *decode.Stats) string {
	var parts []string
	if len(f.Layouts) > 0 {
		parts = append(parts, counts(p, f.Layouts, false))
	}
	parts = append(parts, p.Sprintf("%d records, %d events", f.Records, f.Events))
	if n := f.SkippedCount(); n > 0 {
		parts = append(parts, p.Sprintf("%d skipped (%s)", n, counts(p, f.Skipped, true)))
	}
	s := strings.Join(parts, p.Sprintf("read.sep"))
	if f.Records == 0 {
		s += " " + p.Sprintf("(empty)")
	}
	return s
}

// counts writes "a 3, b 1" sorted by count then name, in p's language:
// with its list separator, and the names translated when they are skip
// reasons (decode.SkipReasons), not layouts.
func counts(p *i18n.Printer, m map[string]int, reasons bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if reasons {
			name = p.Message(decode.SkipMessage(k))
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	return strings.Join(parts, p.Sprintf("read.sep"))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// unwrapName drops a leading "name: " or "name:1: " that the error's
// text s already carries.
func unwrapName(s, name string) string {
	s = strings.TrimPrefix(s, name+": ")
	return strings.TrimPrefix(s, name+":1: ")
}
