package scan

import (
	"context"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/source"
)

// Result is what a scan found and read.
type Result struct {
	Alerts     []alert.Alert
	Read       *ingest.Summary
	Coverage   Coverage
	Suppressed map[string]int
}

// Run reads inputs and detects alerts in them. Decoding runs on
// opts.Workers goroutines; enrichment and matching see one event at a time.
func Run(ctx context.Context, inputs []source.Input, cfg Config, opts ingest.Options) (*Result, error) {
	d := NewDetector(cfg)
	sum, err := ingest.Run(ctx, inputs, opts, func(e *event.Event) error {
		d.Observe(e)
		return nil
	})
	if err != nil {
		return &Result{Read: sum}, err
	}
	alerts := d.Finish()
	return &Result{Alerts: alerts, Read: sum, Coverage: d.Coverage, Suppressed: d.Suppressed}, nil
}
