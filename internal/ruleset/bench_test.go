package ruleset

import (
	"bytes"
	"context"
	"testing"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/policy"
)

// BenchmarkLoadBuiltin measures reading, checking and compiling the
// built-in catalog, which every run of appwatch does once.
func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Load(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuiltinPerEvent measures, per event of the synthetic corpus (5%
// audit records, the rest sign-ins), decoding alone as the baseline, then
// enriching and matching the built-in rules on top of it. Compare the
// sub-benchmarks of one run only.
func BenchmarkBuiltinPerEvent(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 4 << 20, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	s := loadBuiltin(b)
	en := enricherFactory(b)(policy.Default())
	adapter := match.NewEvent(s.Schema)
	var hits []int
	run := func(b *testing.B, each func(e *event.Event)) {
		n := 0
		for b.Loop() {
			_, err := decode.NewDecoder(decode.Options{}).Decode(context.Background(), "bench", bytes.NewReader(data), func(e *event.Event) error {
				n++
				each(e)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
	}
	b.Run("decode", func(b *testing.B) { run(b, func(*event.Event) {}) })
	b.Run("decode+enrich+match", func(b *testing.B) {
		run(b, func(e *event.Event) {
			en.Enrich(e)
			adapter.Reset(e)
			hits = s.Compiled.Match(adapter, hits[:0])
		})
	})
}
