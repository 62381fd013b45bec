package enrich

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
)

// benchCorpus returns a synthetic mixed corpus (5% application-management
// audit records, the rest sign-ins).
func benchCorpus(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 4 << 20, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// decodeAll decodes data, passing each event to fn, and returns how many
// events there were.
func decodeAll(b *testing.B, d *decode.Decoder, data []byte, fn func(*event.Event)) int {
	n := 0
	st, err := d.Decode(context.Background(), "bench", bytes.NewReader(data), func(e *event.Event) error {
		fn(e)
		n++
		return nil
	})
	if err != nil || st.ErrorCount > 0 {
		b.Fatalf("decode: %v, %d errors", err, st.ErrorCount)
	}
	return n
}

// BenchmarkChain compares, in one run, decoding the corpus alone, decoding
// and enriching it, and enriching already decoded events. The per-event
// cost of the chain is the difference between the first two, or the
// third directly.
func BenchmarkChain(b *testing.B) {
	data := benchCorpus(b)
	c := New(testRef(b), nil)
	b.Run("decode", func(b *testing.B) {
		d := decode.NewDecoder(decode.Options{})
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		n := 0
		for range b.N {
			n += decodeAll(b, d, data, func(*event.Event) {})
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
	})
	b.Run("decode+enrich", func(b *testing.B) {
		d := decode.NewDecoder(decode.Options{})
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		n := 0
		for range b.N {
			n += decodeAll(b, d, data, c.Enrich)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
	})
	var evs []*event.Event
	decodeAll(b, decode.NewDecoder(decode.Options{}), data, func(e *event.Event) { evs = append(evs, e) })
	var signIns, others []*event.Event
	for _, e := range evs {
		if e.Kind == event.KindSignIn {
			signIns = append(signIns, e)
		} else {
			others = append(others, e)
		}
	}
	for _, set := range []struct {
		name string
		evs  []*event.Event
	}{{"enrich", evs}, {"enrich-signins", signIns}, {"enrich-audit", others}} {
		b.Run(set.name, func(b *testing.B) { benchEnrich(b, c, set.evs) })
	}
}

// benchEnrich enriches evs again and again, reporting the cost per event.
func benchEnrich(b *testing.B, c *Chain, evs []*event.Event) {
	if len(evs) == 0 {
		b.Skip("no events")
	}
	b.ReportAllocs()
	for range b.N {
		for _, e := range evs {
			c.Enrich(e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
	b.ReportMetric(testing.AllocsPerRun(1, func() {
		for _, e := range evs {
			c.Enrich(e)
		}
	})/float64(len(evs)), "allocs/event")
}

// distinctNames returns n application names, all different, of the kinds
// tenants have: plain integrations, and a few look-alikes.
func distinctNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		switch i % 4 {
		case 0:
			out[i] = fmt.Sprintf("Micros0ft Teams Connector %d", i)
		case 1:
			out[i] = fmt.Sprintf("ContosoPayrollSync%d", i)
		default:
			out[i] = fmt.Sprintf("Fabrikam Reporting Service %d", i)
		}
	}
	return out
}

// BenchmarkNameVerdict judges application names never seen before, the
// cost a corpus with many distinct app names pays, against lower-casing
// the same names as a baseline measured in the same run.
func BenchmarkNameVerdict(b *testing.B) {
	c := newNameChecker(testRef(b))
	names := distinctNames(1000)
	var ours, base time.Duration
	b.ReportAllocs()
	for range b.N {
		t0 := time.Now()
		for _, n := range names {
			c.verdict(n)
		}
		t1 := time.Now()
		for _, n := range names {
			_ = strings.ToLower(n)
		}
		base += time.Since(t1)
		ours += t1.Sub(t0)
	}
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N*len(names)), "ns/name")
	b.ReportMetric(ours.Seconds()/base.Seconds(), "x-ToLower")
}
