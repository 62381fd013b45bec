package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

func TestWatchUsage(t *testing.T) {
	logs := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"watch", "--source", "dir:" + logs}, "--store is required"},
		{[]string{"watch", "--store", "sqlite:x.db"}, "at least one --source is required"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph"}, "--source graph: no way to sign in"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "kafka://h:9092/t"}, "group= is required"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "kafkas://h/t?group=g"}, "want HOST:PORT"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "s3:bucket"}, "want dir:PATH, kafka://"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "dir:" + filepath.Join(logs, "none")}, "no such file"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "dir:" + logs, "--sink", "webhook:ftp://x"}, "not an http:// or https:// URL"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "dir:" + logs, "--sink", "teams:https://x#group-by=host"}, `"host" is not one of app, row`},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "dir:" + logs, "--sink", "slack:env:APPWATCH_TEST_UNSET_URL"}, "APPWATCH_TEST_UNSET_URL"},
		{[]string{"deliveries", "list"}, "--store is required"},
		{[]string{"deliveries", "list", "--store", "sqlite:x.db", "--state", "lost"}, `--state "lost"`},
		{[]string{"silence", "add", "--store", "sqlite:x.db", "--reason", "r", "row=~.*"}, "match every alert"},
		{[]string{"silence", "add", "--store", "sqlite:x.db", "row=owner-added"}, "--reason is required"},
		{[]string{"silence", "expire", "--store", "sqlite:x.db", "x"}, `"x" is not a silence id`},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "dir:" + logs, "--log-format", "xml"}, "--log-format"},
		{[]string{"watch", "--store", "mysql://x", "--source", "dir:" + logs}, "want sqlite:PATH or postgres://"},
		{[]string{"alerts"}, "--store is required"},
		{[]string{"alerts", "--store", "sqlite:" + filepath.Join(logs, "none.db")}, "no such file"},
		{[]string{"alerts", "--store", "sqlite:x.db", "--since", "yesterday"}, "--since"},
		{[]string{"alerts", "--store", "sqlite:x.db", "--status", "open,closed"}, `--status "closed"`},
		{[]string{"alerts", "--store", "sqlite:x.db", "--min-level", "severe"}, "--min-level"},
	}
	for _, tc := range cases {
		code, _, errOut := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}

// TestWatchThenAlerts runs appwatch watch over a folder until its record
// is stored, stops it, and lists the stored alert with appwatch alerts.
func TestWatchThenAlerts(t *testing.T) {
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + benignSignIn})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	ctx, cancel := context.WithCancel(t.Context())
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut, Width: 80},
			[]string{"watch", "--store", db, "--source", "dir:" + logs, "--poll", "10ms", "--log-format", "json"})
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !storedRecords(t, db, "dir:"+logs, 2) {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("records not stored after 60s; watch said:\n%s", errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, errOut.String())
	}

	code, out, stderr := run(t, "alerts", "--store", db, "--format", "jsonl", "--row", "ropc-signin", "--status", "open")
	if code != exitOK {
		t.Fatalf("alerts exited %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d alerts, want the ROPC sign-in's:\n%s", len(lines), out)
	}
	var a map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if a["rule_id"] != "ropc-signin" || a["status"] != "open" || len(a["alert_key"].(string)) != 32 {
		t.Errorf("alert %v", a)
	}
	if _, err := time.Parse(time.RFC3339, a["first_seen"].(string)); err != nil {
		t.Errorf("first_seen: %v", err)
	}
	key := a["alert_key"].(string)
	code, out, _ = run(t, "alerts", "--store", db, "--format", "csv", "--row", "ropc-signin")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || code != exitOK || len(rows) != 2 {
		t.Fatalf("alerts --format csv: exit %d, %d rows (%v):\n%s", code, len(rows), err, out)
	}
	if got := rows[0][len(rows[0])-3:]; !slices.Equal(got, []string{"alert_key", "status", "first_seen"}) {
		t.Errorf("CSV header ends %v, want alert_key, status, first_seen", got)
	}
	if got := rows[1][len(rows[1])-3:]; got[0] != key || got[1] != "open" || got[2] != a["first_seen"] {
		t.Errorf("CSV row ends %v, want %s, open, %s", got, key, a["first_seen"])
	}
	code, out, _ = run(t, "alerts", "--store", db, "--format", "table", "--row", "ropc-signin")
	if code != exitOK || !strings.Contains(strings.Join(strings.Fields(out), " "), "alert_key "+key+", status open, first seen "+a["first_seen"].(string)) {
		t.Errorf("alerts --format table: exit %d, no line with the key, status and first seen:\n%s", code, out)
	}
	for _, filter := range [][]string{{"--row", "owner-added"}, {"--min-level", "critical"}, {"--status", "resolved"}, {"--since", "2026-03-08"}, {"--until", "2026-03-07T02:00:00Z"}} {
		code, out, _ := run(t, append([]string{"alerts", "--store", db, "--format", "jsonl"}, filter...)...)
		if code != exitOK || out != "" {
			t.Errorf("alerts %v: exit %d, %q; want nothing", filter, code, out)
		}
	}
	if code, _, _ := run(t, "alerts", "--store", db, "--fail-on", "medium"); code != exitFindings {
		t.Errorf("--fail-on medium: exit %d, want %d", code, exitFindings)
	}
}

// storedRecords reports whether the store at dsn counted n records of
// source.
func storedRecords(t *testing.T, dsn, source string, n int64) bool {
	st, err := store.Open(t.Context(), dsn, store.Options{MustExist: true})
	if err != nil {
		return false
	}
	defer st.Close()
	c, err := st.Counts(t.Context())
	return err == nil && c[source].Records >= n
}
