package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

func TestGenerate(t *testing.T) {
	var buf bytes.Buffer
	n, err := Generate(&buf, Options{Size: 4 << 20, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(buf.Bytes())
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	lines, audits, small, large := 0, 0, 0, 0
	for sc.Scan() {
		lines++
		var rec struct {
			Category   string         `json:"category"`
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d is not valid JSON: %v", lines, err)
		}
		if rec.Category == "AuditLogs" {
			audits++
		}
		switch l := len(sc.Bytes()); {
		case l < 1000:
			small++
		case l > 4200:
			large++
		}
	}
	if lines != n {
		t.Errorf("Generate reported %d records, wrote %d lines", n, lines)
	}
	share := float64(audits) / float64(lines)
	if share < 0.03 || share > 0.07 {
		t.Errorf("audit share = %.3f, want about 0.05", share)
	}
	if small*100 > lines || large*100 > lines {
		t.Errorf("records outside 1-4 KB: %d small, %d large of %d", small, large, lines)
	}
	var again bytes.Buffer
	if _, err := Generate(&again, Options{Size: 64 << 10, Seed: 7}); err != nil || again.Len() == 0 {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, again.Bytes()) {
		t.Error("the same seed gave a different corpus")
	}
}
