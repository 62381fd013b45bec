package sink

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/report"
)

// manyAlerts returns n alerts made from the samples, each with its own
// time, actor and target.
func manyAlerts(n int) []alert.Alert {
	samples := sampleAlerts()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	out := make([]alert.Alert, n)
	for i := range out {
		a := samples[i%len(samples)]
		a.Time = start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		a.Actor.UPN = fmt.Sprintf("user%d@contoso.example", i%500)
		a.Target.Name = fmt.Sprintf("App %d", i%300)
		out[i] = a
	}
	return out
}

// BenchmarkHTMLVsJSONL writes the same alerts as JSON Lines (the baseline,
// the format scan streams by default) and as the HTML report, whose cost
// above the baseline is what --format html adds. With 1,000 alerts every
// alert is drawn; with 20,000 only report.DefaultMaxAlerts are, so the
// HTML's cost per alert falls towards counting.
//
//	go test -run - -bench HTMLVsJSONL -cpu 1 ./internal/sink
func BenchmarkHTMLVsJSONL(b *testing.B) {
	for _, n := range []int{report.DefaultMaxAlerts, 20 * report.DefaultMaxAlerts} {
		alerts := manyAlerts(n)
		for _, format := range []string{"jsonl", "html"} {
			b.Run(fmt.Sprintf("%s/alerts=%d", format, n), func(b *testing.B) {
				opts := Options{Lang: "en", Rules: sampleRules()}
				for b.Loop() {
					cw := &countingWriter{}
					w, err := New(format, cw, opts)
					if err != nil {
						b.Fatal(err)
					}
					for _, a := range alerts {
						if err := w.Write(a); err != nil {
							b.Fatal(err)
						}
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(cw.n)/1e6, "MB")
				}
			})
		}
	}
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return io.Discard.Write(p)
}
