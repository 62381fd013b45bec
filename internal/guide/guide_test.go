package guide

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRowsMatchSpec checks our row table against the project's shared
// specification when it is present beside the checkout.
func TestRowsMatchSpec(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "spec", "guide-rows.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared spec not available: %v", err)
	}
	var spec struct {
		Rows []struct {
			Key    string `yaml:"key"`
			Risk   string `yaml:"risk"`
			Source string `yaml:"source"`
		} `yaml:"rows"`
	}
	if err := yaml.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	rows := Rows()
	if len(rows) != len(spec.Rows) {
		t.Fatalf("%d rows, spec has %d", len(rows), len(spec.Rows))
	}
	for i, s := range spec.Rows {
		r := rows[i]
		if r.Key != s.Key || r.Risk != s.Risk {
			t.Errorf("row %d = %s/%s, spec %s/%s", i, r.Key, r.Risk, s.Key, s.Risk)
		}
		for _, src := range strings.Split(s.Source, "+") {
			if !r.HasSource(Source(src)) {
				t.Errorf("row %s lacks source %s", r.Key, src)
			}
		}
		if !IsRow(s.Key) {
			t.Errorf("IsRow(%q) = false", s.Key)
		}
	}
	if IsRow("outside-change-window") {
		t.Error("the cross-cutting key is not a row")
	}
}
