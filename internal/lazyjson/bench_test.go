package lazyjson

import (
	"bytes"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/cputime"
)

// BenchmarkParseVsFastjson parses every line of a synthetic mixed corpus
// with this package and with fastjson, interleaved, and reports the ratio
// of their processor times. Parsing here checks each line and lists the
// top-level members only, as the decoders need:
//
//	go test -run - -bench ParseVsFastjson -cpu 1 ./internal/lazyjson
func BenchmarkParseVsFastjson(b *testing.B) {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: 4 << 20, Seed: 9}); err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	var p Parser
	var fp fastjson.Parser
	var ours, base time.Duration
	for range b.N {
		t0 := cputime.Now()
		for _, l := range lines {
			if _, err := p.ParseBytes(l); err != nil {
				b.Fatal(err)
			}
		}
		t1 := cputime.Now()
		for _, l := range lines {
			if _, err := fp.ParseBytes(l); err != nil {
				b.Fatal(err)
			}
		}
		base += cputime.Now() - t1
		ours += t1 - t0
	}
	b.ReportMetric(float64(buf.Len())*float64(b.N)/1e6/ours.Seconds(), "MB/s")
	b.ReportMetric(ours.Seconds()/base.Seconds(), "x-fastjson")
}
