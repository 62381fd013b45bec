package notify

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
)

// readLines reads a JSON Lines file.
func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFileAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	if err := os.WriteFile(path, []byte("{\"earlier\":true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustSink(t, "file:"+path, Options{})
	alerts := []alert.Alert{credentialAlert(), hostileAlert()}
	if n, err := s.Send(t.Context(), alerts); n != 2 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	if n, err := s.Send(t.Context(), alerts[:1]); n != 1 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	lines := readLines(t, path)
	if len(lines) != 4 || string(lines[0]) != `{"earlier":true}` {
		t.Fatalf("%d lines, first %q", len(lines), lines[0])
	}
	for i, want := range []alert.Alert{alerts[0], alerts[1], alerts[0]} {
		checkStoredAlert(t, lines[i+1], want)
	}
}

func TestFileNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.jsonl")
	s := mustSink(t, "file:"+path, Options{})
	if _, err := s.Send(t.Context(), []alert.Alert{credentialAlert()}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: alerts name people and apps", info.Mode().Perm())
	}
	cfg, _ := Parse("file:" + filepath.Join(t.TempDir(), "missing", "dir", "a.jsonl"))
	if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("New in a missing directory: %v", err)
	}
}

// TestFileRotation renames the file, then removes it, as log rotation
// does: each time the next alerts go to a new file at the path.
func TestFileRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alerts.jsonl")
	s := mustSink(t, "file:"+path, Options{})
	send := func(i int) {
		t.Helper()
		if _, err := s.Send(t.Context(), []alert.Alert{stored(credentialAlert(), i)}); err != nil {
			t.Fatal(err)
		}
	}
	send(1)
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	send(2)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	send(3)
	for file, want := range map[string]int{path + ".1": 1, path: 3} {
		lines := readLines(t, file)
		if len(lines) != 1 {
			t.Fatalf("%s: %d lines, want 1", file, len(lines))
		}
		checkStoredAlert(t, lines[0], stored(credentialAlert(), want))
	}
}

func TestFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	s := mustSink(t, "file:"+path, Options{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			var batch []alert.Alert
			for i := range 25 {
				a := hostileAlert()
				batch = append(batch, stored(a, g*1000+i))
			}
			if _, err := s.Send(t.Context(), batch); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	lines := readLines(t, path)
	seen := map[string]bool{}
	for _, l := range lines {
		var a alert.Alert
		if err := json.Unmarshal(l, &a); err != nil {
			t.Fatalf("line %q: %v", clip(string(l), 80), err)
		}
		seen[a.AlertKey] = true
	}
	if len(lines) != 200 || len(seen) != 200 {
		t.Errorf("%d lines, %d alerts, want 200 of each", len(lines), len(seen))
	}
}

// TestFileFull writes to /dev/full, where every write fails as on a full
// disk: nothing counts as delivered, and the error is one to retry.
func TestFileFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	s := mustSink(t, "file:/dev/full", Options{})
	n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
	if n != 0 || err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("Send = %d, %v; want 0 and a full disk to retry", n, err)
	}
}
