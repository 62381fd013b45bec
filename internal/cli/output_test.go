package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResolveOutputs(t *testing.T) {
	tests := []struct {
		name    string
		tty     bool
		formats []string
		out     string
		want    []output
		err     string
	}{
		{"default in a pipe", false, nil, "", []output{{"jsonl", ""}}, ""},
		{"default on a terminal", true, nil, "", []output{{"table", ""}}, ""},
		{"-o chooses by extension", true, nil, "alerts.sarif", []output{{"sarif", "alerts.sarif"}}, ""},
		{"-o with an unknown extension", true, nil, "alerts.log", []output{{"jsonl", "alerts.log"}}, ""},
		{"-o -", true, nil, "-", []output{{"table", ""}}, ""},
		{"one format to -o", false, []string{"CSV"}, "x.out", []output{{"csv", "x.out"}}, ""},
		{"format with its file", false, []string{"table,sarif=out.sarif"}, "", []output{{"table", ""}, {"sarif", "out.sarif"}}, ""},
		{"repeated", false, []string{"table", "jsonl=a.jsonl"}, "", []output{{"table", ""}, {"jsonl", "a.jsonl"}}, ""},
		{"several to -o", false, []string{"table,sarif,csv=c.csv"}, "report", []output{{"table", "report.txt"}, {"sarif", "report.sarif"}, {"csv", "c.csv"}}, ""},
		{"auto to a named file", false, []string{"auto=x.json"}, "", []output{{"json", "x.json"}}, ""},
		{"two to standard output", false, []string{"table,sarif"}, "", nil, "only one output can go to standard output"},
		{"-o and every format has a file", false, []string{"sarif=a.sarif"}, "b", nil, "every --format already names its file"},
		{"auto among several", false, []string{"auto,sarif"}, "base", nil, "cannot be one of several"},
		{"same file twice", false, []string{"json=a,csv=a"}, "", nil, "two outputs go to a"},
		{"unknown format", false, []string{"xml"}, "", nil, "want table, jsonl"},
	}
	for _, tt := range tests {
		var formats formatList
		var err error
		for _, f := range tt.formats {
			if err = formats.Set(f); err != nil {
				break
			}
		}
		var got []output
		if err == nil {
			got, err = resolveOutputs(Env{StdoutTTY: tt.tty}, formats, tt.out)
		}
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case !slices.Equal(got, tt.want):
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTimeFlag(t *testing.T) {
	now := time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-06-01", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-06-01T08:30", time.Date(2026, 6, 1, 8, 30, 0, 0, time.UTC)},
		{"2026-06-01 08:30", time.Date(2026, 6, 1, 8, 30, 0, 0, time.UTC)},
		{"2026-06-01T08:30:15", time.Date(2026, 6, 1, 8, 30, 15, 0, time.UTC)},
		{"2026-06-01T10:30:00+02:00", time.Date(2026, 6, 1, 8, 30, 0, 0, time.UTC)},
		{"36h", now.Add(-36 * time.Hour)},
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"yesterday", time.Time{}},
		{"-3d", time.Time{}},
		{"0d", time.Time{}},
		{"2026-13-01", time.Time{}},
	}
	for _, tt := range tests {
		var w window
		err := w.since.Set(tt.in)
		if tt.want.IsZero() {
			if err == nil {
				t.Errorf("%q: accepted", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		w.resolve(newCmdline(Env{}, "scan", "", ""), now)
		if !w.since.at.Equal(tt.want) {
			t.Errorf("%q: %v, want %v", tt.in, w.since.at, tt.want)
		}
	}
}

// TestTableOnTerminalSummarisesOnce checks that a table on a terminal
// ends with the totals and that standard error, on the same screen, does
// not repeat them; piped, the summary on standard error has them.
func TestTableOnTerminalSummarisesOnce(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var out, errOut bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, StdoutTTY: tty, StderrTTY: tty, Width: 100,
			LookupEnv: func(k string) (string, bool) { return "1", k == "NO_COLOR" }}
		if code := Main(t.Context(), env, []string{"demo", "--format", "table"}); code != exitOK {
			t.Fatalf("exit %d\n%s", code, errOut.String())
		}
		const totals = "43 alerts: 5 critical, 20 high, 12 medium, 3 low, 3 informational"
		if !strings.Contains(out.String(), "\n"+totals+"\nGuide rows with alerts: 17 of 18\n") {
			t.Errorf("terminal %v: the table does not end with the totals:\n%s", tty, out.String())
		}
		if got := strings.Count(out.String()+errOut.String(), totals); tty && got != 1 || !tty && got != 2 {
			t.Errorf("terminal %v: totals printed %d times\nstderr:\n%s", tty, got, errOut.String())
		}
	}
}
