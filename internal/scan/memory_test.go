package scan

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
)

// streamCorpus generates a corpus with opts and decodes it as it is
// written, handing each event to observe.
func streamCorpus(tb testing.TB, opts corpus.Options, observe func(*event.Event) error) {
	tb.Helper()
	r, w := io.Pipe()
	go func() {
		_, err := corpus.Generate(w, opts)
		w.CloseWithError(err)
	}()
	st, err := decode.NewDecoder(decode.Options{}).Decode(context.Background(), "corpus", r, observe)
	r.CloseWithError(io.ErrClosedPipe)
	if err != nil || st.ErrorCount > 0 {
		tb.Fatalf("decode: %v, %d errors", err, st.ErrorCount)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestCorrelationMemoryBounded feeds the built-in rules 20,000 service
// principals being created, each an input of a correlation rule, about a
// second apart, and checks that the detector holds only the last
// timespan's worth: the live heap after all of them is what it was after
// a quarter.
func TestCorrelationMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40 MB of records")
	}
	for _, apps := range []int{0, 100} {
		cfg := benchConfig(t, "")
		cfg.Lateness = 10 * time.Minute
		det := NewDetector(cfg)
		const records = 20_000
		n, most := 0, 0
		var quarter uint64
		streamCorpus(t, corpus.Options{Size: records * 1950, Seed: 5, NewServicePrincipals: true, Apps: apps}, func(e *event.Event) error {
			n++
			if n == records/4 {
				quarter = liveHeap()
			}
			most = max(most, det.HeldCorrelationInputs())
			return det.Observe(e)
		})
		end := liveHeap()
		if n < records*9/10 {
			t.Fatalf("apps=%d: %d records, want about %d", apps, n, records)
		}
		// Records are 1 s apart on average; the rule spans an hour, plus
		// 10 minutes of lateness.
		if most > 5000 {
			t.Errorf("apps=%d: held up to %d correlation inputs, want about the last 70 minutes' (4,200)", apps, most)
		}
		if growth := int64(end) - int64(quarter); growth > 4<<20 {
			t.Errorf("apps=%d: live heap grew by %d KB from %d to %d records, want it flat", apps, growth>>10, records/4, n)
		}
		t.Logf("apps=%d: %d records; live heap %d KB after a quarter, %d KB at the end; up to %d inputs held", apps, n, quarter>>10, end>>10, most)
		det.Finish()
	}
}

// BenchmarkCorrelationInputs measures the detector on records that all
// feed a correlation rule, against decoding them alone, interleaved in one
// run:
//
//	go test -run - -bench CorrelationInputs -cpu 1 ./internal/scan
func BenchmarkCorrelationInputs(b *testing.B) {
	cfg := benchConfig(b, "")
	opts := corpus.Options{Size: 8 << 20, Seed: 5, NewServicePrincipals: true}
	var ingest, full float64
	events := 0
	for range b.N {
		t0 := time.Now()
		streamCorpus(b, opts, func(*event.Event) error { return nil })
		t1 := time.Now()
		det := NewDetector(cfg)
		streamCorpus(b, opts, func(e *event.Event) error { events++; return det.Observe(e) })
		det.Finish()
		full += time.Since(t1).Seconds()
		ingest += t1.Sub(t0).Seconds()
	}
	b.ReportMetric(float64(events)/full, "events/s")
	b.ReportMetric(full/ingest, "scan/ingest")
}
