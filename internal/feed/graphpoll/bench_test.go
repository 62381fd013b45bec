package graphpoll

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// streamOf maps a diagnostic record's category to the stream that lists
// it in Graph.
var streamOf = map[string]string{
	"AuditLogs":                    "directoryAudits",
	"SignInLogs":                   "interactiveUser",
	"NonInteractiveUserSignInLogs": "nonInteractiveUser",
	"ServicePrincipalSignInLogs":   "servicePrincipal",
	"ManagedIdentitySignInLogs":    "managedIdentity",
}

// benchRecords turns a synthetic corpus of about size bytes into Graph
// records, by stream, all listed before t0.
func benchRecords(b *testing.B, size int64) []fakeRecord {
	var buf bytes.Buffer
	if _, err := corpus.Generate(&buf, corpus.Options{Size: size, Seed: 7, AuditShare: 0.2, Start: t0.Add(-12 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	var out []fakeRecord
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d struct {
			Category   string          `json:"category"`
			Time       time.Time       `json:"time"`
			Properties json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		var id struct{ ID string }
		json.Unmarshal(d.Properties, &id)
		out = append(out, fakeRecord{stream: streamOf[d.Category], id: id.ID, at: d.Time, appear: d.Time, body: d.Properties})
	}
	return out
}

// BenchmarkSource compares, in one run, reading the same Graph pages
// from files with the decoder (what appwatch scan does: the baseline)
// and through the graph source from an httptest Graph server (HTTP,
// paging, ids looked up in the store's seen set, decoding; the server's
// own work shares the machine). Each reports records/s; the ratio of the
// two is the figure to quote. Run it with
//
//	go test ./internal/feed/graphpoll -run XXX -bench Source -benchtime 5x
func BenchmarkSource(b *testing.B) {
	recs := benchRecords(b, 20<<20)
	b.Run("decode-files", func(b *testing.B) {
		dir := b.TempDir()
		byStream := map[string][]json.RawMessage{}
		for _, r := range recs {
			byStream[r.stream] = append(byStream[r.stream], r.body)
		}
		var files []string
		for stream, items := range byStream {
			for start := 0; start < len(items); start += DefaultPageSize {
				page, err := json.Marshal(map[string]any{"value": items[start:min(start+DefaultPageSize, len(items))]})
				if err != nil {
					b.Fatal(err)
				}
				f := filepath.Join(dir, fmt.Sprintf("%s-%d.json", stream, start))
				if err := os.WriteFile(f, page, 0o644); err != nil {
					b.Fatal(err)
				}
				files = append(files, f)
			}
		}
		b.ResetTimer()
		n := 0
		for b.Loop() {
			dec := decode.NewDecoder(decode.Options{})
			for _, f := range files {
				fh, err := os.Open(f)
				if err != nil {
					b.Fatal(err)
				}
				st, err := dec.Decode(context.Background(), f, fh, func(*event.Event) error { return nil })
				fh.Close()
				if err != nil {
					b.Fatal(err)
				}
				n += st.Records
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("graph-source", func(b *testing.B) {
		clk := clock.NewFake(t0)
		g := newFakeGraph(b, clk)
		g.add(recs...)
		st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "s.db"), store.Options{Now: clk.Now})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		v1, beta := g.clients(b, "token", nil)
		src, err := New(v1, beta, Options{Clock: clk, Backfill: 13 * time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		out := make(chan *feed.Batch, 4)
		n := 0
		drained := make(chan struct{})
		go func() {
			defer close(drained)
			for batch := range out {
				n += int(batch.Counts.Records)
			}
		}()
		b.ResetTimer()
		for b.Loop() {
			polls, err := src.pollers(st, out, "bench", nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range polls {
				if err := p.poll(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		}
		close(out)
		<-drained
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	})
}
