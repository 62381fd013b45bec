package cli

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// cutGzip is a gzip file of two whole sign-in records (the first ROPC) and
// half of a third.
func cutGzip() string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(ropcSignIn + benignSignIn))
	zw.Flush() // the two records can be decompressed whatever follows
	whole := b.Len()
	zw.Write([]byte(ropcSignIn))
	zw.Flush()
	return b.String()[:whole+(b.Len()-whole)/2]
}

// utf16LE encodes s as UTF-16 LE with a byte order mark, as Windows
// PowerShell 5.1's '>' writes it.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestScanExitStatus(t *testing.T) {
	cut := cutGzip()
	var invalid strings.Builder
	invalid.WriteString("[")
	for i := range 150 {
		if i > 0 {
			invalid.WriteString(",\n")
		}
		invalid.WriteString(`{"time" "2026-03-07T02:10:00Z"}`)
	}
	invalid.WriteString("]")
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		// stderr must say these
		want []string
		// alerts is the number of alerts written
		alerts int
	}{
		{"everything read", map[string]string{"a.json": ropcSignIn}, nil, exitOK, nil, 1},
		{"2 of 3 inputs unreadable, no finding at --fail-on", map[string]string{"a.json": benignSignIn, "b.log": "\x00garbage\n", "c.json.gz": "\x1f\x8b\x08\x00garbage"},
			[]string{"--fail-on", "critical"}, exitIncomplete, []string{"b.log: not read", "c.json.gz: not read", "2 of 3 inputs unreadable"}, 0},
		{"2 of 3 inputs unreadable, a finding at --fail-on", map[string]string{"a.json": ropcSignIn, "b.log": "\x00garbage\n", "c.json.gz": "\x1f\x8b\x08\x00garbage"},
			[]string{"--fail-on", "medium"}, exitFindings, []string{"2 of 3 inputs unreadable"}, 1},
		{"a cut gzip file beside package.json", map[string]string{"logs.json.gz": cut, "package.json": `{"name":"x","version":"1.0.0"}`},
			nil, exitIncomplete, []string{"logs.json.gz:3: input cut short after ", "gzip: unexpected EOF", "incomplete and skipped", "input cut short 1"}, 1},
		{"a cut gzip file with a finding at --fail-on", map[string]string{"logs.json.gz": cut},
			[]string{"--fail-on", "medium"}, exitFindings, []string{"logs.json.gz:3: input cut short"}, 1},
		{"150 invalid records", map[string]string{"bad.json": invalid.String()}, nil, exitIncomplete, []string{"150 read errors"}, 0},
		{"nothing readable", map[string]string{"notes.txt": "hello\n"}, nil, exitUsage, []string{"no input could be read"}, 0},
		{"UTF-16", map[string]string{"ps.json": utf16LE(ropcSignIn)}, nil, exitOK, nil, 1},
		{"a banner before the records", map[string]string{"az.json": "WARNING: This command is in preview, and may change.\n" + ropcSignIn},
			nil, exitIncomplete, []string{"az.json:1: not JSON"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			code, out, errOut := run(t, append(append([]string{"scan", "--format", "jsonl"}, tt.args...), dir)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if n := strings.Count(out, "\n"); n != tt.alerts {
				t.Errorf("%d alerts, want %d:\n%s", n, tt.alerts, out)
			}
		})
	}
}

func TestScanFollowsLinks(t *testing.T) {
	dir := writeFiles(t, map[string]string{"real/a.json": ropcSignIn, "other/b.json": benignSignIn})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join(dir, "other", "b.json"), filepath.Join(dir, "real", "b-link.json")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "events", "--format", "jsonl", link)
	if code != exitOK || strings.Count(out, "\n") != 2 {
		t.Errorf("events %s: exit %d, %d events, want 2\n%s", link, code, strings.Count(out, "\n"), errOut)
	}
	if err := os.Symlink(filepath.Join(dir, "missing.json"), filepath.Join(dir, "real", "dangling.json")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "scan", "--format", "jsonl", link)
	if code != exitIncomplete || !strings.Contains(errOut, "dangling.json: not read: cannot follow the symbolic link") {
		t.Errorf("a dangling link: exit %d\n%s", code, errOut)
	}
}

func TestQuietStillReportsWhatWasNotRead(t *testing.T) {
	clean := writeFiles(t, map[string]string{"a.json": ropcSignIn})
	bad := writeFiles(t, map[string]string{"a.json": ropcSignIn, "b.json": benignSignIn + "{\"cut\":\n", "c.log": "\x00garbage\n"})
	for _, cmd := range []string{"scan", "events"} {
		if code, _, errOut := run(t, cmd, "--format", "jsonl", "--quiet", clean); code != exitOK || errOut != "" {
			t.Errorf("%s --quiet, all read: exit %d, stderr %q", cmd, code, errOut)
		}
		code, _, errOut := run(t, cmd, "--format", "jsonl", "--quiet", bad)
		if code != exitIncomplete {
			t.Errorf("%s --quiet: exit %d", cmd, code)
		}
		for _, want := range []string{"b.json:2: input ends inside a JSON value", "c.log: not read", "1 of 3 inputs unreadable, 1 read errors"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s --quiet: stderr lacks %q:\n%s", cmd, want, errOut)
			}
		}
		if strings.Contains(errOut, "a.json") || strings.Contains(errOut, "Guide rows") {
			t.Errorf("%s --quiet: stderr says more than the problems:\n%s", cmd, errOut)
		}
	}
}

func TestReadErrorsAreSafeForTerminals(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"\x1b[31mred\x1b[0m.txt": "not a log\n",
		"header.csv":             "Operation,\u009b2JName\u202e\n1,2\n",
		"a.json":                 ropcSignIn,
	})
	for _, cmd := range []string{"scan", "events"} {
		code, _, errOut := run(t, cmd, "--format", "jsonl", dir)
		if code != exitIncomplete {
			t.Errorf("%s: exit %d\n%s", cmd, code, errOut)
		}
		if strings.ContainsAny(errOut, "\x1b\x07\u009b\u202e") {
			t.Errorf("%s: stderr carries escape sequences from file names or contents:\n%q", cmd, errOut)
		}
		if !strings.Contains(errOut, "CSV header has none of the columns") || !strings.Contains(errOut, "red") {
			t.Errorf("%s: stderr lacks the unreadable inputs:\n%s", cmd, errOut)
		}
	}
}

func TestHelpExplainsExitStatus(t *testing.T) {
	for _, cmd := range []string{"scan", "events"} {
		code, out, _ := run(t, cmd, "-h")
		if code != exitOK || !strings.Contains(out, "Exit status:") || !strings.Contains(out, "3  some inputs or records could not be read") {
			t.Errorf("%s -h: exit %d, no exit status explained:\n%s", cmd, code, out)
		}
	}
}

func TestPostureProblemsAreSafeForTerminals(t *testing.T) {
	dir := writeFiles(t, map[string]string{"\x1b]0;owned\x07apps.json": "not JSON\n"})
	_, _, errOut := run(t, "posture", "--snapshot", dir)
	if !strings.Contains(errOut, "apps.json: not valid JSON") || strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("stderr = %q, want the problem without escape sequences", errOut)
	}
}

func TestPostureExitStatus(t *testing.T) {
	const (
		apps = `{"value":[{"id":"app-portal","appId":"8a1d2c3e-0000-4000-8000-000000000001","displayName":"Portal",` +
			`"web":{"redirectUris":["https://*.contoso.com/signin"]}}]}`
		domains = `{"value":[{"id":"contoso.com","isVerified":true,"isDefault":true}]}`
		users   = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[]}`
	)
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		want  string // on stderr
	}{
		{"everything read", map[string]string{"applications.json": apps, "domains.json": domains}, nil, exitOK, ""},
		{"a list appwatch does not evaluate", map[string]string{"applications.json": apps, "users.json": users}, nil, exitOK, "users.json: holds users"},
		{"a file that is not JSON", map[string]string{"applications.json": apps, "bad.json": `{"value":[`}, nil, exitIncomplete,
			"incomplete: 1 problems in the snapshot (listed above); the results cover only what could be read (exit status 3)"},
		{"a finding at --fail-on wins", map[string]string{"applications.json": apps, "bad.json": `{"value":[`}, []string{"--fail-on", "high"}, exitFindings, "bad.json: not valid JSON"},
		{"no finding at --fail-on", map[string]string{"applications.json": apps, "bad.json": `{"value":[`}, []string{"--fail-on", "critical"}, exitIncomplete, "incomplete"},
		{"nothing usable", map[string]string{"bad.json": `{"value":[`}, nil, exitUsage, "no application"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			code, _, errOut := run(t, append([]string{"posture", "--no-dns", "--format", "jsonl", "--snapshot", dir}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d; stderr should say %q:\n%s", code, tt.code, tt.want, errOut)
			}
		})
	}
}

func TestScanSnapshotExitStatus(t *testing.T) {
	logs := writeFiles(t, map[string]string{"a.json": benignSignIn})
	snap := writeFiles(t, map[string]string{"domains.json": `{"value":[{"id":"contoso.com","isVerified":true}]}`})
	if code, _, errOut := run(t, "scan", "--format", "jsonl", "--snapshot", snap, logs); code != exitOK {
		t.Errorf("a clean snapshot: exit %d\n%s", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(snap, "apps.json"), []byte("not JSON"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "scan", "--format", "jsonl", "--snapshot", snap, logs)
	if code != exitIncomplete || !strings.Contains(errOut, "apps.json: not valid JSON") || !strings.Contains(errOut, "1 problems in the snapshot") {
		t.Errorf("a snapshot file that is not JSON: exit %d, want %d\n%s", code, exitIncomplete, errOut)
	}
}

func TestScanReadsALinkedFileOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{"logs/a.json": ropcSignIn, "elsewhere/b.json": ropcSignIn})
	for link, target := range map[string]string{
		"logs/a-link.json":  "logs/a.json",
		"logs/b-link1.json": "elsewhere/b.json",
		"logs/b-link2.json": "elsewhere/b.json",
	} {
		if err := os.Symlink(filepath.Join(dir, target), filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	code, out, errOut := run(t, "scan", "--format", "jsonl", "-v", filepath.Join(dir, "logs"))
	if code != exitOK || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, %d alerts, want 1\n%s", code, strings.Count(out, "\n"), errOut)
	}
	for _, want := range []string{"total: 2 inputs (0 unreadable), 2 records",
		"a.json: the same file as " + filepath.Join(dir, "logs", "a-link.json") + ", read once",
		"2 paths name a file already read"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
