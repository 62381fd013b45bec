package kafka

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/cputime"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
)

// BenchmarkRead decodes the same synthetic records as messages of 50
// records and of one record, and, as the baseline, as one JSON Lines
// input the way appwatch scan reads a file. Compare the records per
// processor-second of each with the baseline's (the wall clock counts
// what other programs on a shared machine take):
//
//	go test -run - -bench Read ./internal/feed/kafka
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 4 << 20, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	jsonl := buf.Bytes()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	b.Run("scan", func(b *testing.B) {
		dec := decode.NewDecoder(decode.Options{})
		start := cputime.Now()
		for b.Loop() {
			if _, err := dec.Decode(context.Background(), "records.jsonl", bytes.NewReader(jsonl), func(*event.Event) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(lines)*b.N)/(cputime.Now()-start).Seconds(), "records/cpu-s")
	})
	for _, per := range []int{50, 1} {
		var recs []*kgo.Record
		for i := 0; i < len(lines); i += per {
			v := `{"records":[` + strings.Join(lines[i:min(i+per, len(lines))], ",") + `]}`
			recs = append(recs, &kgo.Record{Topic: "logs", Partition: int32(i % 3), Offset: int64(i), Value: []byte(v)})
		}
		b.Run("per="+strconv.Itoa(per), func(b *testing.B) {
			r := newReader(decode.Options{})
			start := cputime.Now()
			for b.Loop() {
				fb := &feed.Batch{}
				if err := r.readAll(context.Background(), recs, fb); err != nil {
					b.Fatal(err)
				}
				if len(fb.Events) == 0 {
					b.Fatal("no event")
				}
			}
			b.ReportMetric(float64(len(lines)*b.N)/(cputime.Now()-start).Seconds(), "records/cpu-s")
		})
	}
}

// readAll decodes recs into b.
func (r *reader) readAll(ctx context.Context, recs []*kgo.Record, b *feed.Batch) error {
	for _, rec := range recs {
		if _, err := r.read(ctx, rec, b); err != nil {
			return err
		}
	}
	return nil
}
