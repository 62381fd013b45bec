package sink

import (
	"io"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/report"
)

// RunDescriber is implemented by the writers whose output describes the
// whole run, not only its alerts: the HTML report, which also shows what
// was read and the guide rows the input could show.
type RunDescriber interface {
	DescribeRun(run report.Run)
}

// DescribeRun gives run to w before it is closed, when w's format shows
// the run; other formats ignore it.
func DescribeRun(w Writer, run report.Run) {
	if d, ok := w.(RunDescriber); ok {
		d.DescribeRun(run)
	}
}

// htmlWriter writes the self-contained HTML report (see internal/report)
// on Close.
type htmlWriter struct {
	r      *report.Writer
	closed bool
}

func newHTML(w io.Writer, opts Options) *htmlWriter {
	return &htmlWriter{r: report.New(w, report.Options{
		Lang:      opts.Lang,
		Rules:     opts.Rules,
		Explain:   explainEvidence,
		Version:   opts.ToolVersion,
		MaxAlerts: opts.MaxAlerts,
	})}
}

func (h *htmlWriter) Write(a alert.Alert) error {
	if h.closed {
		return ErrClosed
	}
	return h.r.Write(a)
}

// DescribeRun gives the report the run the alerts come from.
func (h *htmlWriter) DescribeRun(run report.Run) { h.r.DescribeRun(run) }

func (h *htmlWriter) Close() error {
	if h.closed {
		return ErrClosed
	}
	h.closed = true
	return h.r.Close()
}

// explainEvidence explains an alert from its evidence alone: the report
// shows business hours, change windows and approval beside it.
func explainEvidence(p *i18n.Printer, a *alert.Alert) []string {
	b := *a
	b.OutsideBusinessHours, b.ChangeWindow, b.ApprovedActor = false, "", false
	return why(p, &b)
}
