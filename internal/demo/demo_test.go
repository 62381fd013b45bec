package demo

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFiles(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Path] = true
		if f.Size == 0 {
			t.Errorf("%s is empty", f.Path)
		}
		if f.About == "" {
			t.Errorf("%s has no description in about", f.Path)
		}
	}
	for p := range about {
		if !seen[p] {
			t.Errorf("about describes %s, which is not embedded", p)
		}
	}
	for _, p := range []string{ReadmeFile, PolicyFile} {
		if !seen[p] {
			t.Errorf("%s is not embedded", p)
		}
	}
}

func TestInputs(t *testing.T) {
	ins, err := Inputs()
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != len(about)-2 {
		t.Errorf("%d inputs, want every file but the README and policy (%d)", len(ins), len(about)-2)
	}
	for _, in := range ins {
		if !strings.HasPrefix(in.Name, InputPrefix+LogDir+"/") {
			t.Errorf("input %q is not named %s%s/...", in.Name, InputPrefix, LogDir)
		}
	}
}

func TestPolicy(t *testing.T) {
	p, err := Policy()
	if err != nil {
		t.Fatal(err)
	}
	if w := p.Warnings(); len(w) > 0 {
		t.Errorf("policy warnings: %v", w)
	}
	tests := []struct {
		when    time.Time
		outside bool
	}{
		{time.Date(2026, 6, 1, 10, 41, 0, 0, time.UTC), false}, // Monday 12:41 in Rome
		{time.Date(2026, 6, 1, 11, 30, 0, 0, time.UTC), true},  // Monday 13:30, lunch
		{time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), true},    // the Republic's holiday
		{time.Date(2026, 6, 6, 21, 0, 0, 0, time.UTC), true},   // Saturday 23:00
	}
	for _, tt := range tests {
		if got := p.OutsideBusinessHours(tt.when); got != tt.outside {
			t.Errorf("OutsideBusinessHours(%s) = %v, want %v", tt.when, got, tt.outside)
		}
	}
	if exp := p.Expired(ReviewTime()); len(exp) > 0 {
		t.Errorf("suppressions expired at the review time: %+v", exp)
	}
	if got := ReviewTime().In(mustZone(t, "Europe/Rome")); got.Weekday() != time.Monday || got.Hour() != 9 {
		t.Errorf("ReviewTime = %s in Rome, want a Monday at 09:00", got)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	written, err := Extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(files) {
		t.Fatalf("wrote %d files, want %d", len(written), len(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := fs.ReadFile(FS(), f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the embedded file", f.Path)
		}
	}

	// A second extraction must not overwrite what is there.
	readme := filepath.Join(dir, ReadmeFile)
	if err := os.WriteFile(readme, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Extract(dir); err == nil {
		t.Error("extracting over existing files gave no error")
	}
	if b, _ := os.ReadFile(readme); string(b) != "mine" {
		t.Errorf("an existing file was overwritten: %q", b)
	}
}
