// Package realdata locates the published log samples that tests may read:
// $APPWATCH_REAL_DATA, or shared/data/real beside the repository, as CI
// provides it. The samples are not part of the repository; tests skip
// cleanly where they are absent, as in a fresh clone.
package realdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the directory of the samples, or of the named subdirectory
// of it, and skips the test when it is absent.
func Dir(tb testing.TB, sub ...string) string {
	tb.Helper()
	dir := os.Getenv("APPWATCH_REAL_DATA")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "..", "shared", "data", "real")
	}
	dir = filepath.Join(append([]string{dir}, sub...)...)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		tb.Skipf("published samples not found at %s (set APPWATCH_REAL_DATA): %v", dir, err)
	}
	return dir
}

// repoRoot is the repository's top directory, found from this file's
// place in it (internal/realdata).
func repoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}
