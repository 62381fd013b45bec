package source

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	// The file named again is read once, under its first name.
	wantNames := []string{filepath.Join(dir, "b.json"), filepath.Join(dir, "sub", "a.json"), "-"}
	if strings.Join(names, "|") != strings.Join(wantNames, "|") {
		t.Fatalf("names = %q, want %q", names, wantNames)
	}
	if !slices.Equal(ins[0].Aliases, []string{single}) {
		t.Errorf("aliases of %s = %q", ins[0].Name, ins[0].Aliases)
	}
	if strings.Join(bodies, "") != "bastdin" {
		t.Errorf("bodies = %q", bodies)
	}
	if ins[0].Size != 1 || ins[2].Size != -1 {
		t.Errorf("sizes = %d, %d", ins[0].Size, ins[2].Size)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing")}, nil); err == nil {
		t.Error("a missing path gave no error")
	}
}

// names lists the inputs' names relative to dir, and whether each opens.
func names(t *testing.T, dir string, ins []Input) []string {
	t.Helper()
	var out []string
	for _, in := range ins {
		rel, err := filepath.Rel(dir, in.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := in.Open()
		if err != nil {
			out = append(out, rel+" (fails)")
			continue
		}
		rc.Close()
		out = append(out, rel)
	}
	return out
}

func TestExpandFollowsLinks(t *testing.T) {
	root := t.TempDir()
	logs := filepath.Join(root, "logs")
	mustWrite(t, filepath.Join(logs, "a.json"), "a")
	mustWrite(t, filepath.Join(logs, "sub", "b.json"), "b")
	mustWrite(t, filepath.Join(root, "elsewhere", "c.json"), "c")
	mustWrite(t, filepath.Join(root, "other", "d.json"), "d")
	for link, target := range map[string]string{
		filepath.Join(logs, "c-link.json"):   filepath.Join(root, "elsewhere", "c.json"),
		filepath.Join(logs, "other-link"):    filepath.Join(root, "other"),
		filepath.Join(logs, "sub", "loop"):   logs,
		filepath.Join(logs, "dangling.json"): filepath.Join(root, "missing.json"),
		filepath.Join(root, "logs-link"):     logs,
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	want := []string{"a.json", "c-link.json", "dangling.json (fails)", "other-link/d.json", "sub/b.json"}
	for _, arg := range []string{logs, filepath.Join(root, "logs-link"), filepath.Join(root, "logs-link") + "/"} {
		ins, err := Expand([]string{arg}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(t, arg, ins); !slices.Equal(got, want) {
			t.Errorf("Expand(%s) = %q, want %q", arg, got, want)
		}
	}
}

// failDir is the operating system's file system, except that listing one
// directory fails.
type failDir struct {
	osFS
	dir string
}

func (f failDir) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.osFS.ReadDir(name)
}

func TestExpandUnreadableDirectory(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.json"), "a")
	mustWrite(t, filepath.Join(dir, "locked", "b.json"), "b")
	mustWrite(t, filepath.Join(dir, "z", "c.json"), "c")
	ins, err := expand([]string{dir}, nil, failDir{dir: filepath.Join(dir, "locked")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.json", "locked (fails)", "z/c.json"}
	if got := names(t, dir, ins); !slices.Equal(got, want) {
		t.Errorf("inputs = %q, want %q", got, want)
	}
	_, err = ins[1].Open()
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "cannot list the directory") {
		t.Errorf("open the unreadable directory: %v", err)
	}
}

// TestExpandPermissionDenied is TestExpandUnreadableDirectory with real
// permissions, which only an unprivileged user can be denied.
func TestExpandPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.json"), "a")
	mustWrite(t, filepath.Join(dir, "locked", "b.json"), "b")
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	ins, err := Expand([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, dir, ins), []string{"a.json", "locked (fails)"}; !slices.Equal(got, want) {
		t.Errorf("inputs = %q, want %q", got, want)
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

// TestExpandReadsAFileOnce checks that a file reached through two links, a
// link and the file itself, a hard link, or a path given twice is one
// input, under the first name, with the others as its aliases; a file of
// the same size and content that is another file stays an input.
func TestExpandReadsAFileOnce(t *testing.T) {
	root := t.TempDir()
	logs := filepath.Join(root, "logs")
	mustWrite(t, filepath.Join(logs, "a.json"), "same")
	mustWrite(t, filepath.Join(logs, "copy.json"), "same")
	mustWrite(t, filepath.Join(root, "elsewhere", "b.json"), "bb")
	for link, target := range map[string]string{
		filepath.Join(logs, "a-link.json"):  filepath.Join(logs, "a.json"),
		filepath.Join(logs, "b-link1.json"): filepath.Join(root, "elsewhere", "b.json"),
		filepath.Join(logs, "b-link2.json"): filepath.Join(root, "elsewhere", "b.json"),
		filepath.Join(logs, "dir-link"):     filepath.Join(root, "elsewhere"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	if err := os.Link(filepath.Join(logs, "a.json"), filepath.Join(logs, "z-hard.json")); err != nil {
		t.Fatal(err)
	}
	ins, err := Expand([]string{logs, filepath.Join(logs, "copy.json")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, logs, ins), []string{"a-link.json", "b-link1.json", "copy.json"}; !slices.Equal(got, want) {
		t.Fatalf("inputs = %q, want %q", got, want)
	}
	wantAliases := [][]string{
		{filepath.Join(logs, "a.json"), filepath.Join(logs, "z-hard.json")},
		{filepath.Join(logs, "b-link2.json"), filepath.Join(logs, "dir-link", "b.json")},
		{filepath.Join(logs, "copy.json")},
	}
	for i, in := range ins {
		if !slices.Equal(in.Aliases, wantAliases[i]) {
			t.Errorf("%s: aliases %q, want %q", in.Name, in.Aliases, wantAliases[i])
		}
	}
}
