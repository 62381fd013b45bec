package decode

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/event"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchCorpus returns a synthetic mixed corpus of diagnostic records
// (5% audit, the rest sign-ins, 1-4 KB each), generated once.
func benchCorpus(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if _, err := corpus.Generate(&buf, corpus.Options{Size: 16 << 20, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		benchData = buf.Bytes()
	})
	return benchData
}

// decodeAll reads data with d and returns the number of events.
func decodeAll(tb testing.TB, d *Decoder, data []byte) int {
	n := 0
	st, err := d.Decode(context.Background(), "bench", bytes.NewReader(data), func(*event.Event) error { n++; return nil })
	if err != nil || st.ErrorCount > 0 {
		tb.Fatalf("decode: %v, %d errors: %v", err, st.ErrorCount, st.Errors)
	}
	return n
}

// stdlibAll decodes each line of data into a map with encoding/json, the
// baseline the ingestion budget is measured against.
func stdlibAll(tb testing.TB, data []byte) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			tb.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkDecode measures reading and normalizing the mixed corpus.
func BenchmarkDecode(b *testing.B) {
	data := benchCorpus(b)
	d := NewDecoder(Options{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	events := 0
	for range b.N {
		events += decodeAll(b, d, data)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkStdlibMap is the baseline: encoding/json into map[string]any.
func BenchmarkStdlibMap(b *testing.B) {
	data := benchCorpus(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		stdlibAll(b, data)
	}
}

// BenchmarkDecodeVsStdlib runs appwatch's decoder and the encoding/json
// baseline alternately on the same corpus and reports their speeds and the
// ratio, so that the comparison holds on a busy machine. Run it on one core:
//
//	go test -run - -bench DecodeVsStdlib -cpu 1 ./internal/decode
func BenchmarkDecodeVsStdlib(b *testing.B) {
	data := benchCorpus(b)
	d := NewDecoder(Options{})
	var ours, base time.Duration
	for range b.N {
		t0 := time.Now()
		decodeAll(b, d, data)
		t1 := time.Now()
		stdlibAll(b, data)
		base += time.Since(t1)
		ours += t1.Sub(t0)
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/ours.Seconds(), "MB/s")
	b.ReportMetric(mb/base.Seconds(), "stdlib-MB/s")
	b.ReportMetric(base.Seconds()/ours.Seconds(), "x-stdlib")
}

// csvBench returns a CSV export of about 8 MB: the fixture Log Analytics
// sign-in export's rows, repeated.
func csvBench(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "la-signinlogs.csv"))
	if err != nil {
		b.Fatal(err)
	}
	head, rows, _ := bytes.Cut(data, []byte("\n"))
	out := append(head, '\n')
	for len(out) < 8<<20 {
		out = append(out, rows...)
	}
	return out
}

// BenchmarkCSVReaderVsStdlib runs the CSV reader and encoding/csv, with the
// options the decoder used before it had a reader of its own, alternately
// on the same export and reports their speeds and the ratio:
//
//	go test -run - -bench CSVReaderVsStdlib -cpu 1 ./internal/decode
func BenchmarkCSVReaderVsStdlib(b *testing.B) {
	data := csvBench(b)
	var ours, base time.Duration
	for range b.N {
		t0 := time.Now()
		cr := newCSVReader(bytes.NewReader(data), DefaultMaxRecord)
		for {
			if _, _, err := cr.Read(0); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		sr := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), bufSize))
		sr.FieldsPerRecord, sr.LazyQuotes, sr.ReuseRecord = -1, true, true
		for {
			if _, err := sr.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		base += time.Since(t1)
		ours += t1.Sub(t0)
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/ours.Seconds(), "MB/s")
	b.ReportMetric(mb/base.Seconds(), "stdlib-MB/s")
	b.ReportMetric(base.Seconds()/ours.Seconds(), "x-stdlib")
}
