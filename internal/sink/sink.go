// Package sink writes alerts in appwatch's output formats: JSON Lines (the
// alert contract's format), a JSON array, CSV, SARIF 2.1.0, a table for
// terminals and a self-contained HTML report. docs/output.md describes
// each format for users.
package sink

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
)

// Writer writes alerts in one format. Call Write for each alert, then Close
// once; Close writes whatever the format keeps until the end and flushes,
// but does not close the underlying io.Writer. A Writer is not safe for
// concurrent use.
type Writer interface {
	Write(a alert.Alert) error
	Close() error
}

// Options tune the output. The zero value writes English, 80 columns
// wide, without colour.
type Options struct {
	// Lang is the language of headings, level and row names, and of rule
	// texts where the rule has them (see i18n.Parse); empty means English.
	Lang string
	// Width is the terminal width the table must fit; 0 or less means 80.
	Width int
	// Color turns on ANSI colours in the table.
	Color bool
	// Rules describe the rules that may raise alerts: SARIF lists each of
	// them, and the table titles alerts from them in Lang.
	Rules []*alert.Rule
	// ToolVersion is appwatch's version, written into SARIF.
	ToolVersion string
	// BaseDir, when set, is the directory SARIF artifact locations are
	// made relative to (GitHub code scanning expects paths relative to the
	// repository root). Files outside it are written as file: URIs.
	BaseDir string
	// MaxAlerts bounds the alerts the HTML report draws in full (see
	// report.Options.MaxAlerts); 0 means report.DefaultMaxAlerts.
	MaxAlerts int
	// Stored shows what a watch store keeps of each alert besides the
	// alert itself: its alert_key, status and first_seen, as the last
	// columns of CSV and a line under each alert of the table.
	Stored bool
}

// ErrClosed is returned by Write and Close on a closed Writer.
var ErrClosed = errors.New("sink: writer closed")

// Formats returns the names New accepts.
func Formats() []string {
	return []string{"jsonl", "json", "csv", "sarif", "table", "html"}
}

// New returns a Writer of the named format writing to w.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	if w == nil {
		return nil, errors.New("sink: nil io.Writer")
	}
	if opts.Width <= 0 {
		opts.Width = 80
	}
	switch strings.ToLower(format) {
	case "jsonl":
		return newJSONL(w), nil
	case "json":
		return newJSON(w), nil
	case "csv":
		return newCSV(w, opts.Stored), nil
	case "sarif":
		return newSARIF(w, opts), nil
	case "table":
		return newTable(w, opts), nil
	case "html":
		return newHTML(w, opts), nil
	}
	return nil, fmt.Errorf("output format %q: not one of %s", format, strings.Join(Formats(), ", "))
}

// normalize returns a with what the contract wants present but might be
// nil set to its empty value: evidence is an object, attack an array.
func normalize(a alert.Alert) alert.Alert {
	if a.Evidence == nil {
		a.Evidence = map[string]any{}
	}
	if a.Attack == nil {
		a.Attack = []string{}
	}
	return a
}

// ruleIndex finds rules by id, keeping the order of Options.Rules and
// ignoring nil entries and repeated ids.
type ruleIndex struct {
	list []*alert.Rule
	byID map[string]int
}

func newRuleIndex(rules []*alert.Rule) *ruleIndex {
	x := &ruleIndex{byID: map[string]int{}}
	for _, r := range rules {
		if r != nil {
			x.add(r)
		}
	}
	return x
}

func (x *ruleIndex) add(r *alert.Rule) int {
	if i, ok := x.byID[r.ID]; ok {
		return i
	}
	x.byID[r.ID] = len(x.list)
	x.list = append(x.list, r)
	return len(x.list) - 1
}

func (x *ruleIndex) get(id string) *alert.Rule {
	if i, ok := x.byID[id]; ok {
		return x.list[i]
	}
	return nil
}

// title returns the alert's title in lang, from its rule when the rule is
// known and has one.
func (x *ruleIndex) title(a *alert.Alert, lang string) string {
	if r := x.get(a.RuleID); r != nil {
		if t := r.Text(lang).Title; t != "" {
			return t
		}
	}
	return a.Title
}

// actorName is the best short name of the actor.
func actorName(a alert.Actor) string {
	return cmp.Or(a.UPN, a.Name, a.ID, a.IP, a.Type)
}

// targetName is the best short name of the target.
func targetName(t alert.Target) string {
	return cmp.Or(t.Name, t.AppID, t.ID, t.Type)
}

// uniq returns ss without empty strings and repeats, in order.
func uniq(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
