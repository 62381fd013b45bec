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

// Run reads inputs and detects alerts in them. Decoding, enriching and
// matching run on opts.Workers goroutines when cfg.Enricher can be forked
// (see enrich.Chain.Fork); recognising copies of alerts, counting and
// correlating run on the caller's, in input order, so the alerts are the
// same whatever the number of workers.
func Run(ctx context.Context, inputs []source.Input, cfg Config, opts ingest.Options) (*Result, error) {
	d := NewDetector(cfg)
	opts.Transient = true // the Detector keeps no event
	sum, err := ingest.RunPrepared(ctx, inputs, opts, d.workerJudges(), d.observeJudged)
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
