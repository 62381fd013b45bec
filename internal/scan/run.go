package scan

import (
	"context"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/source"
)

// Result is what a scan found and read.
type Result struct {
	// Alerts holds the alerts when Config.Emit is nil.
	Alerts []alert.Alert
	// Raised counts the alerts raised and not suppressed.
	Raised     int
	Read       *ingest.Summary
	Coverage   Coverage
	Suppressed map[string]int
	// Copies counts the alerts not raised again for another record of a
	// change already alerted on, by rule id.
	Copies map[string]int
	// LateCorrelationInputs counts the hits of correlation inputs that
	// came too far out of time order (see the package documentation).
	LateCorrelationInputs int64
}

// Run reads inputs and detects alerts in them. Decoding runs on
// opts.Workers goroutines; enrichment and matching see one event at a time.
func Run(ctx context.Context, inputs []source.Input, cfg Config, opts ingest.Options) (*Result, error) {
	d := NewDetector(cfg)
	sum, err := ingest.Run(ctx, inputs, opts, d.Observe)
	if err != nil {
		return &Result{Read: sum}, err
	}
	alerts := d.Finish()
	if err := d.Err(); err != nil {
		return &Result{Read: sum}, err
	}
	raised := 0
	for _, n := range d.Coverage.Alerts {
		raised += n
	}
	return &Result{Alerts: alerts, Raised: raised, Read: sum, Coverage: d.Coverage, Suppressed: d.Suppressed, Copies: d.Copies,
		LateCorrelationInputs: d.LateCorrelationInputs()}, nil
}
