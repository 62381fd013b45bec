// Package report writes appwatch's HTML report: one self-contained file
// that a responder can open offline and hand on. It holds a summary of
// the alerts by guide row and level, a timeline, the actors and targets
// with the most alerts, every alert with its decoded evidence, ATT&CK
// techniques, remediation and business-hours context, the guide rows the
// input could show, and what was read.
//
// The file loads nothing: styles are inline, charts are inline SVG, and
// the only links (to ATT&CK techniques) are plain anchors. It reads
// without script; a few lines of inline script only open every alert
// before printing. Text from the logs is escaped by html/template
// wherever it lands.
//
// A report needs the whole run, so Writer keeps what it needs until
// Close, within bounds: every alert is counted, but only the
// Options.MaxAlerts most severe are drawn in full.
package report

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/webui"
)

// Commands a report can describe.
const (
	CommandScan    = "scan"
	CommandPosture = "posture"
	CommandDemo    = "demo"
)

// ErrClosed is returned by Write and Close on a closed Writer.
var ErrClosed = errors.New("report: writer closed")

// Options tune a report.
type Options struct {
	// Lang is the report's language (see i18n.Parse); empty means
	// English.
	Lang string
	// Rules describe the rules or checks that may raise alerts; alerts
	// are titled from them in Lang, and a posture report lists them.
	Rules []*alert.Rule
	// Explain returns the short clauses that say why an alert fired; nil
	// leaves them out.
	Explain func(p *i18n.Printer, a *alert.Alert) []string
	// Version is appwatch's version, written in the footer.
	Version string
	// MaxAlerts is how many alerts are drawn in full: the most severe,
	// the earliest first among equals. 0 means DefaultMaxAlerts; a
	// negative value draws none. Every alert is counted whatever it is.
	MaxAlerts int
}

// Run describes the run the alerts come from. Fields that do not apply
// to the command are nil.
type Run struct {
	// Command is CommandScan, CommandPosture or CommandDemo.
	Command string
	// Time is when the run judged what it read: the report's date.
	Time time.Time
	// Read counts what a scan read.
	Read *ingest.Summary
	// Coverage says which guide rows a scan's input could show.
	Coverage []scan.RowState
	// Suppressed counts the alerts the policy silenced, by rule or check.
	Suppressed map[string]int
	// Posture is what a posture evaluation found beyond its findings:
	// DNS lookups and notes.
	Posture *posture.Result
	// Sources names what a posture run read, such as snapshot folders.
	Sources []string
}

// Writer collects alerts and writes the report on Close. It is not safe
// for concurrent use.
type Writer struct {
	w      io.Writer
	opts   Options
	p      *i18n.Printer
	rules  map[string]*alert.Rule
	c      *collector
	run    Run
	closed bool
}

// New returns a Writer that writes the report to w on Close.
func New(w io.Writer, opts Options) *Writer {
	if opts.MaxAlerts == 0 {
		opts.MaxAlerts = DefaultMaxAlerts
	}
	r := &Writer{w: w, opts: opts, p: i18n.NewPrinter(opts.Lang), rules: map[string]*alert.Rule{}, c: newCollector(opts.MaxAlerts)}
	for _, rule := range opts.Rules {
		if rule != nil {
			if _, dup := r.rules[rule.ID]; !dup {
				r.rules[rule.ID] = rule
			}
		}
	}
	return r
}

// Write adds an alert to the report.
func (r *Writer) Write(a alert.Alert) error {
	if r.closed {
		return ErrClosed
	}
	r.c.add(&a, func() webui.Alert { return r.view(&a) })
	return nil
}

// DescribeRun gives the report the run the alerts come from. Call it
// before Close; without it the report shows the alerts alone.
func (r *Writer) DescribeRun(run Run) { r.run = run }

// Close writes the report. It does not close the underlying io.Writer.
func (r *Writer) Close() error {
	if r.closed {
		return ErrClosed
	}
	r.closed = true
	t, err := templates(r.p)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(r.w)
	if err := t.ExecuteTemplate(bw, "report", r.page()); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// view returns the view of a, titled in the report's language as its rule
// is; the alert's own description and remediation, written for it in the
// run's language, come before the rule's.
func (r *Writer) view(a *alert.Alert) webui.Alert {
	text := alert.Text{Title: a.Title, Description: a.Description, Remediation: a.Remediation}
	if rule := r.rules[a.RuleID]; rule != nil {
		rt := rule.Text(r.p.Lang())
		text.Title = cmp.Or(rt.Title, text.Title)
		text = text.Or(rt)
	}
	var why []string
	if r.opts.Explain != nil {
		why = r.opts.Explain(r.p, a)
	}
	v := webui.NewAlert(a, text, why)
	if a.Actor == (alert.Actor{Type: "system"}) {
		v.Actor = r.p.Sprintf("actor.system")
	}
	return v
}
