package webtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPath(t *testing.T) {
	t.Setenv(ChromiumEnv, filepath.Join(t.TempDir(), "no-such-browser"))
	if p, err := Path(); err == nil {
		t.Errorf("Path() = %q with %s naming a missing file", p, ChromiumEnv)
	}
	fake := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ChromiumEnv, fake)
	if p, err := Path(); err != nil || p != fake {
		t.Errorf("Path() = %q, %v; want %q", p, err, fake)
	}
}

func TestArtifacts(t *testing.T) {
	root := t.TempDir()
	t.Setenv(ArtifactsEnv, root)
	dir := Artifacts(t)
	if want := filepath.Join(root, "TestArtifacts"); dir != want {
		t.Errorf("Artifacts = %q, want %q", dir, want)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("Artifacts did not make %s: %v", dir, err)
	}
}
