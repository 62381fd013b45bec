package sink

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// render writes alerts in format with opts and returns the output.
func render(t testing.TB, format string, opts Options, alerts []alert.Alert) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if err := w.Write(a); err != nil {
			t.Fatalf("Write %s: %v", a.RuleID, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	all := sampleAlerts()
	rules := sampleRules()
	tests := []struct {
		file   string
		format string
		opts   Options
		alerts []alert.Alert
	}{
		{"alerts.jsonl", "jsonl", Options{}, all},
		{"empty.jsonl", "jsonl", Options{}, nil},
		{"alerts.json", "json", Options{}, all},
		{"empty.json", "json", Options{}, nil},
		{"alerts.csv", "csv", Options{}, all},
		{"empty.csv", "csv", Options{}, nil},
		{"alerts.sarif", "sarif", Options{Rules: rules, ToolVersion: "1.2.3", BaseDir: "/data/logs"}, all},
		{"alerts.ja.sarif", "sarif", Options{Lang: "ja", Rules: rules, ToolVersion: "1.2.3"}, all[:3]},
		{"empty.sarif", "sarif", Options{Rules: rules[:2], ToolVersion: "1.2.3"}, nil},
		{"table.en.100.txt", "table", Options{Width: 100, Rules: rules}, all},
		{"table.ja.80.txt", "table", Options{Lang: "ja_JP.UTF-8", Width: 80, Rules: rules}, all},
		{"table.zh-TW.72.color.txt", "table", Options{Lang: "zh-TW", Width: 72, Color: true, Rules: rules}, all},
		{"table.it.60.txt", "table", Options{Lang: "it", Width: 60, Rules: rules}, all},
		{"table.empty.txt", "table", Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := render(t, tt.format, tt.opts, tt.alerts)
			path := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", tt.file, got, want)
			}
		})
	}
}
