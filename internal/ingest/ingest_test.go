package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/source"
)

// auditLine is one Microsoft Graph directoryAudit object on one line.
func auditLine(id, activity, at string) string {
	return fmt.Sprintf(`{"id":%q,"activityDisplayName":%q,"activityDateTime":%q,"category":"ApplicationManagement",`+
		`"correlationId":"corr-%s","result":"success","loggedByService":"Core Directory",`+
		`"initiatedBy":{"user":{"id":"u-1","userPrincipalName":"ana@contoso.com"}},`+
		`"targetResources":[{"id":"obj-1","type":"Application","displayName":"Payroll Sync"}]}`+"\n", id, activity, at, id)
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// testFile is one input of the test run and what reading it gives.
type testFile struct {
	name, content string
	ids           []string // ids of the events, in file order
}

// testFiles returns the inputs of the test run, in name order: JSON lines,
// a portal CSV download, a text file that is no log, an empty file, a
// gzip-compressed file and JSON lines with a broken record.
func testFiles(t *testing.T) []testFile {
	csv := `"Date (UTC)","CorrelationId","Service","Category","Activity","Result","ResultReason","ActorType","ActorUserPrincipalName"` + "\n" +
		`"2026-03-11T11:00:00Z","b1","Core Directory","ApplicationManagement","Add owner to application","success","","User","ana@contoso.com"` + "\n" +
		`"2026-03-11T11:05:00Z","b2","Core Directory","ApplicationManagement","Remove owner from application","success","","User","ana@contoso.com"` + "\n"
	return []testFile{
		{"a.jsonl", auditLine("a1", "Add application", "2026-03-11T10:00:00Z") +
			auditLine("a2", "Update application", "2026-03-11T10:01:00Z") +
			auditLine("a3", "Add service principal", "2026-03-11T10:02:00Z"), []string{"a1", "a2", "a3"}},
		{"b.csv", csv, []string{"b1", "b2"}},
		{"c.txt", "these are notes, not a log\nsecond line\n", nil},
		{"d.json", "", nil},
		{"e.json.gz", gzipped(t, auditLine("e1", "Add application", "2026-03-11T12:00:00Z")+
			auditLine("e2", "Delete application", "2026-03-11T12:01:00Z")), []string{"e1", "e2"}},
		{"f.jsonl", auditLine("f1", "Add application", "2026-03-11T13:00:00Z") + "{\"id\": \"broken\n" + `{"neither":"audit nor sign-in"}` + "\n", []string{"f1"}},
	}
}

// writeInputs writes files into a new working directory and returns them
// as inputs named by their relative paths.
func writeInputs(t *testing.T, files []testFile) []source.Input {
	t.Helper()
	t.Chdir(t.TempDir())
	names := make([]string, len(files))
	for i, f := range files {
		if err := os.WriteFile(f.name, []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
		names[i] = f.name
	}
	inputs, err := source.Expand(names, nil)
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}

// recorder is an emit function that records event ids and fails the test
// when it is called concurrently.
type recorder struct {
	t        *testing.T
	inflight atomic.Int32
	ids      []string
}

func (r *recorder) emit(e *event.Event) error {
	if n := r.inflight.Add(1); n != 1 {
		r.t.Errorf("emit called with %d calls in flight", n)
	}
	runtime.Gosched()
	r.ids = append(r.ids, e.ID)
	r.inflight.Add(-1)
	return nil
}

func TestRun(t *testing.T) {
	for _, workers := range []int{0, 1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			files := testFiles(t)
			inputs := writeInputs(t, files)
			rec := &recorder{t: t}
			sum, err := Run(context.Background(), inputs, Options{Workers: workers}, rec.emit)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var want []string
			for _, f := range files {
				want = append(want, f.ids...)
			}
			if !reflect.DeepEqual(rec.ids, want) {
				t.Errorf("events %v, want %v in input order", rec.ids, want)
			}
			checkDelivered(t, rec.ids, files)
			checkFiles(t, sum, files)
		})
	}
}

// checkDelivered checks that every event was delivered once, and the events
// of each file in file order.
func checkDelivered(t *testing.T, got []string, files []testFile) {
	t.Helper()
	pos := map[string]int{}
	for i, id := range got {
		if _, dup := pos[id]; dup {
			t.Errorf("event %s delivered twice", id)
		}
		pos[id] = i
	}
	n := 0
	for _, f := range files {
		for i, id := range f.ids {
			n++
			p, ok := pos[id]
			if !ok {
				t.Errorf("event %s of %s not delivered", id, f.name)
				continue
			}
			if i > 0 && p < pos[f.ids[i-1]] {
				t.Errorf("event %s of %s delivered before %s", id, f.name, f.ids[i-1])
			}
		}
	}
	if len(got) != n {
		t.Errorf("delivered %d events, want %d", len(got), n)
	}
}

func checkFiles(t *testing.T, sum *Summary, files []testFile) {
	t.Helper()
	type stats struct {
		name             string
		records, events  int
		errors           int
		layouts, skipped map[string]int
	}
	want := []stats{
		{"a.jsonl", 3, 3, 0, map[string]int{"graph": 3}, map[string]int{}},
		{"b.csv", 2, 2, 0, map[string]int{"portal-csv": 2}, map[string]int{}},
		{"c.txt", 0, 0, 0, map[string]int{}, map[string]int{}},
		{"d.json", 0, 0, 0, map[string]int{}, map[string]int{}},
		{"e.json.gz", 2, 2, 0, map[string]int{"graph": 2}, map[string]int{}},
		{"f.jsonl", 3, 1, 1, map[string]int{"graph": 1}, map[string]int{"invalid JSON": 1, "unrecognised record": 1}},
	}
	if len(sum.Files) != len(want) {
		t.Fatalf("%d file stats, want %d", len(sum.Files), len(want))
	}
	for i, w := range want {
		f := sum.Files[i]
		got := stats{f.Name, f.Records, f.Events, f.ErrorCount, f.Layouts, f.Skipped}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("file %d: %+v, want %+v", i, got, w)
		}
	}
	wantTotals := Totals{
		Inputs: 6, Unreadable: 1, Records: 10, Events: 8, Errors: 1,
		Skipped: map[string]int{"invalid JSON": 1, "unrecognised record": 1},
		Layouts: map[string]int{"graph": 6, "portal-csv": 2},
	}
	if got := sum.Totals(); !reflect.DeepEqual(got, wantTotals) {
		t.Errorf("Totals = %+v, want %+v", got, wantTotals)
	}
	failed := sum.Failed()
	if len(failed) != 1 || failed["c.txt"] == nil {
		t.Fatalf("Failed = %v, want c.txt only", failed)
	}
	if msg := failed["c.txt"].Error(); !strings.Contains(msg, "CSV header") {
		t.Errorf("c.txt failed with %q, want the CSV header problem", msg)
	}
	var b strings.Builder
	sum.Write(&b, i18n.NewPrinter("en"))
	for _, line := range []string{
		"a.jsonl: graph 3, 3 records, 3 events\n",
		"\nc.txt: not read: CSV header",
		"\nd.json: 0 records, 0 events (empty)\n",
		"\ntotal: 6 inputs (1 unreadable), 10 records, 8 events, 2 skipped, 1 errors\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("Write output lacks %q:\n%s", line, b.String())
		}
	}
}

func TestRunOpenError(t *testing.T) {
	files := testFiles(t)[:2]
	inputs := writeInputs(t, files)
	if err := os.Remove("a.jsonl"); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{t: t}
	sum, err := Run(context.Background(), inputs, Options{Workers: 2}, rec.emit)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !reflect.DeepEqual(rec.ids, []string{"b1", "b2"}) {
		t.Errorf("events %v, want those of b.csv", rec.ids)
	}
	failed := sum.Failed()
	if !errors.Is(failed["a.jsonl"], os.ErrNotExist) || len(failed) != 1 {
		t.Errorf("Failed = %v, want a.jsonl not found", failed)
	}
	if got := sum.Totals(); got.Inputs != 2 || got.Unreadable != 1 || got.Events != 2 {
		t.Errorf("Totals = %+v, want 2 inputs, 1 unreadable, 2 events", got)
	}
}

func TestRunNoInputs(t *testing.T) {
	sum, err := Run(context.Background(), nil, Options{Workers: 4}, func(*event.Event) error {
		t.Error("emit called without inputs")
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := sum.Totals(); got.Inputs != 0 || got.Events != 0 {
		t.Errorf("Totals = %+v, want nothing", got)
	}
}

func TestRunEmitError(t *testing.T) {
	errStop := errors.New("sink full")
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			inputs := writeInputs(t, testFiles(t))
			var mu sync.Mutex
			calls, after := 0, 0
			_, err := Run(context.Background(), inputs, Options{Workers: workers}, func(e *event.Event) error {
				mu.Lock()
				defer mu.Unlock()
				calls++
				switch {
				case calls == 2:
					return errStop
				case calls > 2:
					after++
				}
				return nil
			})
			if !errors.Is(err, errStop) {
				t.Fatalf("Run returned %v, want the emit error", err)
			}
			if after > 0 {
				t.Errorf("emit called %d times after it failed", after)
			}
		})
	}
}

func TestRunCancel(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			inputs := writeInputs(t, testFiles(t))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			_, err := Run(ctx, inputs, Options{Workers: workers}, func(e *event.Event) error {
				calls++
				if calls == 1 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run returned %v, want context.Canceled", err)
			}
			if calls != 1 {
				t.Errorf("emit called %d times, want it to stop after the cancel", calls)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	inputs := writeInputs(t, testFiles(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, inputs, Options{Workers: 2}, func(e *event.Event) error {
		t.Errorf("emit called with %s after the context was cancelled", e.ID)
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
}

// A text file found beside logs in a directory (a README) is named and
// skipped, not a read error; the same file named on the command line, or
// binary content, is unreadable.
func TestRunPlainText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", auditLine("a1", "Add owner to application", "2024-01-02T03:04:05Z")+"\n")
	write("README.md", "# Exported logs\n\nTaken from the tenant on 2 January.\n")
	write("blob.bin", "\x00\x01\x02 binary")
	tests := []struct {
		name            string
		paths           []string
		unread, notLogs int
	}{
		{"directory", []string{dir}, 1, 1},
		{"named", []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "README.md")}, 1, 0},
	}
	for _, tt := range tests {
		inputs, err := source.Expand(tt.paths, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{t: t}
		sum, err := Run(t.Context(), inputs, Options{Workers: 2}, rec.emit)
		if err != nil {
			t.Fatalf("%s: Run: %v", tt.name, err)
		}
		got := sum.Totals()
		if got.Unreadable != tt.unread || got.NotLogs != tt.notLogs || got.Events != 1 {
			t.Errorf("%s: Totals = %+v, want %d unreadable, %d not logs, 1 event", tt.name, got, tt.unread, tt.notLogs)
		}
		if !got.Incomplete() {
			t.Errorf("%s: not incomplete, though an input was unreadable", tt.name)
		}
	}
}

// TestRunSameWhateverTheWorkers reads inputs large enough to be cut into
// many batches (a big JSON Lines file with broken records, a gzip file,
// many small files) with several numbers of workers, and expects the same
// events, in the same order with the same sources, and the same
// statistics.
func TestRunSameWhateverTheWorkers(t *testing.T) {
	var big strings.Builder
	for i := range 6000 {
		if i%997 == 0 {
			big.WriteString("{\"id\": \"cut short\n")
		}
		big.WriteString(auditLine(fmt.Sprintf("big-%d", i), "Update application", "2026-03-11T10:00:00Z"))
	}
	files := []testFile{{name: "big.jsonl", content: big.String()}}
	var small strings.Builder
	for i := range 3000 {
		small.WriteString(auditLine(fmt.Sprintf("gz-%d", i), "Add application", "2026-03-11T11:00:00Z"))
	}
	files = append(files, testFile{name: "big.jsonl.gz", content: gzipped(t, small.String())})
	for i := range 40 {
		files = append(files, testFile{name: fmt.Sprintf("small-%02d.json", i), content: auditLine(fmt.Sprintf("s-%d", i), "Add owner to application", "2026-03-11T12:00:00Z")})
	}
	inputs := writeInputs(t, files)
	type seen struct {
		id   string
		src  event.Source
		stat string
	}
	var want []seen
	for _, workers := range []int{1, 2, 3, 8} {
		var got []seen
		sum, err := Run(t.Context(), inputs, Options{Workers: workers}, func(e *event.Event) error {
			got = append(got, seen{id: e.ID, src: e.Source})
			return nil
		})
		if err != nil {
			t.Fatalf("workers=%d: Run: %v", workers, err)
		}
		for _, f := range sum.Files {
			got = append(got, seen{stat: fmt.Sprintf("%s %d %d %v %v %v", f.Name, f.Records, f.Events, f.Layouts, f.Skipped, f.Errors)})
		}
		if want == nil {
			want = got
			if len(got) < 9000 {
				t.Fatalf("read %d events and stats, want over 9,000", len(got))
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("workers=%d: entry %d is %+v, with one worker %+v", workers, i, got[i], want[i])
				}
			}
			t.Fatalf("workers=%d: %d entries, with one worker %d", workers, len(got), len(want))
		}
	}
}

// TestRunMemoryPerInput reads thousands of one-record inputs, as a
// storage account export of hourly blobs holds, and checks that the
// memory a run keeps per input is its statistics only, well under a
// kilobyte: nothing is set aside for an input before it is read.
func TestRunMemoryPerInput(t *testing.T) {
	const n = 20_000
	fsys := fstest.MapFS{}
	for i := range n {
		fsys[fmt.Sprintf("h=%05d-PT1H.json", i)] = &fstest.MapFile{Data: []byte(auditLine(fmt.Sprintf("r-%d", i), "Add application", "2026-03-11T10:00:00Z"))}
	}
	inputs, err := source.FromFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.KeepAlive(inputs)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	events := 0
	sum, err := Run(t.Context(), inputs, Options{Workers: 2}, func(*event.Event) error { events++; return nil })
	if err != nil || events != n {
		t.Fatalf("Run: %v, %d events, want %d", err, events, n)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	if per > 600 {
		t.Errorf("the run keeps %d bytes per input, want under 600", per)
	}
	t.Logf("%d bytes kept per input", per)
	runtime.KeepAlive(sum)
}

// TestRunPrepared prepares the events of many batches on several workers,
// with the events reused from batch to batch, and checks that emit gets
// each event with what was prepared for it, in input order, and that the
// events of Activity Log role assignments completed from an earlier event
// are left unprepared.
func TestRunPrepared(t *testing.T) {
	var big strings.Builder
	for i := range 5000 {
		big.WriteString(auditLine(fmt.Sprintf("big-%d", i), "Update application", "2026-03-11T10:00:00Z"))
	}
	roles := `{"time":"2026-03-11T10:00:00Z","resourceId":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/ra1","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":"Start","correlationId":"op-1","callerIpAddress":"203.0.113.9","identity":{"claims":{"appid":"app-1"}},"properties":{"requestbody":"{\"Id\":\"ra1\",\"Properties\":{\"PrincipalId\":\"p-1\",\"PrincipalType\":\"ServicePrincipal\",\"RoleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/rd-1\",\"Scope\":\"/subscriptions/s1\"}}"}}` + "\n" +
		`{"time":"2026-03-11T10:00:01Z","resourceId":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/ra1","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":"Success","correlationId":"op-1","callerIpAddress":"203.0.113.9","identity":{"claims":{"appid":"app-1"}},"properties":{"statusCode":"Created"}}` + "\n"
	inputs := writeInputs(t, []testFile{{name: "big.jsonl", content: big.String()}, {name: "roles.jsonl", content: roles}})
	for _, workers := range []int{1, 3} {
		type prepared struct{ id, principal string }
		prepare := func() func(*event.Event) prepared {
			return func(e *event.Event) prepared {
				return prepared{id: e.ID + "|" + e.CorrelationID, principal: e.Azure.PrincipalID}
			}
		}
		var got []string
		n := 0
		_, err := RunPrepared(t.Context(), inputs, Options{Workers: workers, Transient: true}, prepare, func(e *event.Event, p prepared) error {
			n++
			switch {
			case e.Kind == event.KindActivity:
				got = append(got, fmt.Sprintf("%q %q", p.id, e.Azure.PrincipalID))
			case p.id != e.ID+"|"+e.CorrelationID:
				t.Fatalf("workers=%d: event %d (%s) came with what was prepared for %q", workers, n, e.ID, p.id)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("workers=%d: %v", workers, err)
		}
		want := []string{`"op-1|op-1" "p-1"`, `"" "p-1"`}
		if n != 5002 || !reflect.DeepEqual(got, want) {
			t.Errorf("workers=%d: %d events, role assignments %v; want 5002 events, %v", workers, n, got, want)
		}
	}
}
