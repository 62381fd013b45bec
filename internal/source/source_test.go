package source

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "b.json"), "b")
	mustWrite(t, filepath.Join(dir, "sub", "a.json"), "a")
	mustWrite(t, filepath.Join(dir, ".hidden", "c.json"), "c")
	mustWrite(t, filepath.Join(dir, ".dotfile"), "d")
	single := filepath.Join(dir, "b.json")

	ins, err := Expand([]string{dir, single, "-"}, strings.NewReader("stdin"))
	if err != nil {
		t.Fatal(err)
	}
	var names, bodies []string
	for _, in := range ins {
		names = append(names, in.Name)
		rc, err := in.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		bodies = append(bodies, string(b))
	}
	wantNames := []string{filepath.Join(dir, "b.json"), filepath.Join(dir, "sub", "a.json"), single, "-"}
	if strings.Join(names, "|") != strings.Join(wantNames, "|") {
		t.Errorf("names = %q, want %q", names, wantNames)
	}
	if strings.Join(bodies, "") != "babstdin" {
		t.Errorf("bodies = %q", bodies)
	}
	if ins[0].Size != 1 || ins[3].Size != -1 {
		t.Errorf("sizes = %d, %d", ins[0].Size, ins[3].Size)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing")}, nil); err == nil {
		t.Error("a missing path gave no error")
	}
}

func TestFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"logs/z.json":     {Data: []byte("zz")},
		"logs/a/b.csv":    {Data: []byte("b")},
		"other/skip.json": {Data: []byte("x")},
	}
	ins, err := FromFS(fsys, "logs", "demo:")
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[0].Name != "demo:logs/a/b.csv" || ins[1].Name != "demo:logs/z.json" || ins[1].Size != 2 {
		t.Fatalf("inputs = %+v", ins)
	}
	rc, err := ins[1].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "zz" {
		t.Errorf("read %q", b)
	}
}

func mustWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
