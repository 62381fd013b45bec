package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/source"
)

// TestRunSameAlertsWhateverTheWorkers scans a synthetic corpus of about
// 3 MB (a dozen batches) as one input and cut into 7 inputs, with 1, 2 and
// 4 workers, which enrich and match, and checks that the alerts, as JSON,
// and the counts read are the same each time, and the same as when one
// Detector observes every event in input order.
func TestRunSameAlertsWhateverTheWorkers(t *testing.T) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 3 << 20, Seed: 11, AuditShare: 0.3}); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	many := fstest.MapFS{}
	per := len(lines)/7 + 1
	for i := 0; i*per < len(lines); i++ {
		many[fmt.Sprintf("part-%d.jsonl", i)] = &fstest.MapFile{Data: bytes.Join(lines[i*per:min(len(lines), (i+1)*per)], nil)}
	}
	layouts := map[string]fstest.MapFS{"one": {"all.jsonl": {Data: buf.Bytes()}}, "many": many}
	cfg := benchConfig(t, "")
	for name, fsys := range layouts {
		var want []byte
		for _, workers := range []int{0, 1, 2, 4} {
			inputs, err := source.FromFS(fsys, ".", "")
			if err != nil {
				t.Fatal(err)
			}
			run := Run
			if workers == 0 {
				run = observeInOrder
			}
			res, err := run(t.Context(), inputs, cfg, ingest.Options{Workers: workers})
			if err != nil {
				t.Fatalf("%s, %d workers: %v", name, workers, err)
			}
			got, err := json.Marshal(struct {
				Alerts any
				Events int
				Raised int
			}{res.Alerts, res.Read.Totals().Events, res.Raised})
			if err != nil {
				t.Fatal(err)
			}
			if res.Raised == 0 {
				t.Fatalf("%s, %d workers: no alerts; the corpus should raise some", name, workers)
			}
			if want == nil {
				want = got
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: %d workers gave other alerts than one Detector observing every event", name, workers)
			}
		}
	}
}

// observeInOrder is Run with every event enriched and matched by one
// Detector, in input order.
func observeInOrder(ctx context.Context, inputs []source.Input, cfg Config, opts ingest.Options) (*Result, error) {
	d := NewDetector(cfg)
	sum, err := ingest.Run(ctx, inputs, opts, d.Observe)
	if err != nil {
		return nil, err
	}
	alerts := d.Finish()
	raised := 0
	for _, n := range d.Coverage.Alerts {
		raised += n
	}
	return &Result{Alerts: alerts, Raised: raised, Read: sum}, nil
}
