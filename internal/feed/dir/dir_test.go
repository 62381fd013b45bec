package dir

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// auditLine is a Graph directoryAudit record with the given id, on one line.
func auditLine(id string) string {
	return `{"id":"` + id + `","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z","result":"success"}` + "\n"
}

func auditLines(ids ...string) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(auditLine(id))
	}
	return b.String()
}

// harness runs a Source over a folder with a settable clock, and stores
// the positions of the batches it hands on, as the service would.
type harness struct {
	t      *testing.T
	dir    string
	now    time.Time
	stored map[string]string
	src    *Source
	opts   Options
	// batches are the batches handed on since the last take.
	batches []*feed.Batch
	// fail, when set, fails the handing on of the batch after that many.
	fail int
}

func newHarness(t *testing.T, opts Options) *harness {
	h := &harness{t: t, dir: t.TempDir(), now: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), stored: map[string]string{}, opts: opts}
	h.restart()
	return h
}

func (h *harness) Positions(context.Context, string) (map[string]string, error) {
	return h.stored, nil
}

// restart starts a new Source over the stored positions, as a restarted
// process would.
func (h *harness) restart() {
	if h.src != nil {
		h.src.closeAll()
	}
	opts := h.opts
	opts.Now = func() time.Time { return h.now }
	h.src = New(h.dir, opts)
	if err := h.src.start(h.t.Context(), h); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(h.src.closeAll)
}

var errHandOn = errors.New("handing on failed")

// poll polls once and returns the error.
func (h *harness) poll() error {
	return h.src.poll(h.t.Context(), func(b *feed.Batch) error {
		if h.fail > 0 {
			h.fail--
			if h.fail == 0 {
				return errHandOn
			}
		}
		h.batches = append(h.batches, b)
		for _, p := range b.Positions {
			h.stored[p.Stream] = p.Value
		}
		return nil
	})
}

// take polls once and returns what the batches handed on held.
func (h *harness) take() taken {
	h.t.Helper()
	if err := h.poll(); err != nil {
		h.t.Fatal(err)
	}
	var out taken
	for _, b := range h.batches {
		for _, e := range b.Events {
			out.ids = append(out.ids, e.Event.ID)
			out.refs = append(out.refs, e.Ref)
			out.lines = append(out.lines, e.Event.Source.Line)
			out.places = append(out.places, fmt.Sprint(e.Event.Source.Line, ":", e.Event.Source.Index))
		}
		for _, r := range b.Rejected {
			out.rejected = append(out.rejected, r.Position+": "+r.Reason+": "+strings.TrimSpace(string(r.Head)))
		}
		out.counts.Records += b.Counts.Records
		out.counts.Events += b.Counts.Events
		out.counts.Rejected += b.Counts.Rejected
		out.counts.Skipped += b.Counts.Skipped
	}
	out.batches = len(h.batches)
	h.batches = nil
	return out
}

type taken struct {
	ids, refs, rejected []string
	places              []string // line:index of each event
	lines               []int
	counts              store.Counts
	batches             int
}

func (h *harness) write(name, content string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, name), []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) append(name, content string) {
	h.t.Helper()
	f, err := os.OpenFile(filepath.Join(h.dir, name), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		h.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) rename(from, to string) {
	h.t.Helper()
	if err := os.Rename(filepath.Join(h.dir, from), to); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) path(name string) string { return filepath.Join(h.dir, name) }

func expectIDs(t *testing.T, what string, got taken, want ...string) {
	t.Helper()
	if !slices.Equal(got.ids, want) {
		t.Errorf("%s: read %q, want %q", what, got.ids, want)
	}
}

func TestAppendedLines(t *testing.T) {
	h := newHarness(t, Options{})
	h.write("audit.json", auditLines("a1", "a2"))
	got := h.take()
	expectIDs(t, "first poll", got, "a1", "a2")
	if !slices.Equal(got.lines, []int{1, 2}) {
		t.Errorf("lines %v, want [1 2]", got.lines)
	}
	expectIDs(t, "nothing new", h.take())

	h.append("audit.json", auditLine("a3")+`{"id":"a4","activityDisplayName":"Add`)
	expectIDs(t, "a line without its end waits", h.take(), "a3")
	h.now = h.now.Add(time.Second)
	expectIDs(t, "still waiting", h.take())
	h.append("audit.json", ` user","activityDateTime":"2026-05-04T10:00:00Z","result":"success"}`+"\n"+auditLine("a5"))
	got = h.take()
	expectIDs(t, "the line got its end", got, "a4", "a5")
	if !slices.Equal(got.lines, []int{4, 5}) {
		t.Errorf("lines %v, want [4 5]", got.lines)
	}
	if got.refs[0] == got.refs[1] || !strings.HasSuffix(got.refs[0], ":4.0") {
		t.Errorf("refs %q, want stream:line.record", got.refs)
	}
}

func TestPartialLineSettles(t *testing.T) {
	h := newHarness(t, Options{Settle: 5 * time.Second})
	h.write("audit.json", auditLine("a1")+strings.TrimSuffix(auditLine("a2"), "\n"))
	expectIDs(t, "first poll", h.take(), "a1")
	h.now = h.now.Add(4 * time.Second)
	expectIDs(t, "before settling", h.take())
	h.now = h.now.Add(time.Second)
	expectIDs(t, "settled", h.take(), "a2")
	expectIDs(t, "read once", h.take())
}

func TestRotation(t *testing.T) {
	h := newHarness(t, Options{})
	h.write("app.log", auditLines("a1", "a2"))
	expectIDs(t, "first poll", h.take(), "a1", "a2")
	// logrotate: the file is renamed, the writer adds its last lines to
	// it, and a new file takes its name.
	h.rename("app.log", h.path("app.log.1"))
	h.append("app.log.1", auditLine("a3"))
	h.write("app.log", auditLines("b1"))
	got := h.take()
	slices.Sort(got.ids)
	expectIDs(t, "after rotation", got, "a3", "b1")
	// The rotated file leaves the folder with lines not read yet: they
	// are read through the open file.
	h.append("app.log.1", auditLine("a4"))
	h.rename("app.log.1", filepath.Join(t.TempDir(), "archived.log"))
	expectIDs(t, "rotated out of the folder", h.take(), "a4")
	if len(h.src.files) != 1 {
		t.Errorf("following %d files, want only app.log", len(h.src.files))
	}
}

func TestTruncation(t *testing.T) {
	h := newHarness(t, Options{})
	h.write("app.log", auditLines("a1", "a2", "a3"))
	expectIDs(t, "first poll", h.take(), "a1", "a2", "a3")
	// copytruncate: the content is copied away and the file emptied.
	f, err := os.OpenFile(h.path("app.log"), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(auditLine("b1"))
	f.Close()
	got := h.take()
	expectIDs(t, "after truncation", got, "b1")
	if !slices.Equal(got.lines, []int{1}) {
		t.Errorf("lines %v, want [1]", got.lines)
	}
}

func TestRestart(t *testing.T) {
	h := newHarness(t, Options{})
	h.write("a.log", auditLines("a1", "a2"))
	h.write("b.log", auditLines("b1"))
	expectIDs(t, "first run", h.take(), "a1", "a2", "b1")
	h.append("a.log", auditLine("a3"))
	h.restart()
	expectIDs(t, "after restart", h.take(), "a3")

	// Stopped, the file is rewritten in place with other content: its
	// first bytes no longer match the stored digest.
	h.restart()
	f, err := os.OpenFile(h.path("b.log"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(auditLines("c1", "c2"))
	f.Close()
	expectIDs(t, "content replaced", h.take(), "c1", "c2")
}

func TestRejected(t *testing.T) {
	h := newHarness(t, Options{})
	content := []byte(auditLine("a1") + "not json at all\n" + `{"id":"x",` + "\n" + auditLine("a2") + "\n" +
		`{"records":[{"id":"r1","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z"},{"id":` + "\n")
	h.write("audit.json", string(content))
	got := h.take()
	// The decoder keeps the good record of the broken wrapper line.
	expectIDs(t, "good records", got, "a1", "a2", "r1")
	want := []string{
		"line 2: not a JSON record: not json at all",
		`line 3: invalid JSON: {"id":"x",`,
		`line 6: invalid JSON: {"records":[{"id":"r1","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z"},{"id":`,
	}
	if !slices.Equal(got.rejected, want) {
		t.Errorf("rejected\n %q\nwant\n %q", got.rejected, want)
	}
	if c := got.counts; c.Records != 6 || c.Events != 3 || c.Rejected != 3 || c.Skipped != 0 {
		t.Errorf("counts %+v, want 6 records: 3 events, 3 rejected", c)
	}
	// Lines and record indexes are those of the file read whole, as
	// appwatch scan reads it.
	var places []string
	if _, err := decode.NewDecoder(decode.Options{}).Decode(t.Context(), "x", bytes.NewReader(content), func(e *event.Event) error {
		places = append(places, fmt.Sprint(e.Source.Line, ":", e.Source.Index))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.places, places) {
		t.Errorf("events at line:index %v, want %v", got.places, places)
	}
}

// TestDecoderGivesUp feeds a batch the decoder gives up on (many broken
// records, none good) and expects every line accounted for.
func TestDecoderGivesUp(t *testing.T) {
	h := newHarness(t, Options{})
	h.write("audit.json", auditLine("first"))
	expectIDs(t, "first line", h.take(), "first")
	var b strings.Builder
	for i := range 120 {
		fmt.Fprintf(&b, "{\"id\":\"x%d\",\n", i)
	}
	b.WriteString(auditLine("a1"))
	h.append("audit.json", b.String())
	got := h.take()
	expectIDs(t, "after the broken lines", got, "a1")
	if c := got.counts; c.Records != 121 || c.Rejected != 120 || len(got.rejected) != 120 {
		t.Errorf("counts %+v and %d rejected records, want 121 records, 120 rejected", c, len(got.rejected))
	}
	if got.rejected[119] != `line 121: invalid JSON: {"id":"x119",` {
		t.Errorf("last rejected record %q", got.rejected[119])
	}
}

func TestLongLine(t *testing.T) {
	h := newHarness(t, Options{MaxBatch: 256})
	long := `{"id":"long","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z","result":"success","x":"` + strings.Repeat("y", 1000) + `"}` + "\n"
	h.write("audit.json", auditLine("a1")+long+auditLine("a2"))
	got := h.take()
	expectIDs(t, "long line", got, "a1", "long", "a2")
	if got.batches < 3 {
		t.Errorf("%d batches, want the long line in a batch of its own", got.batches)
	}
}

func gzipped(t *testing.T, s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWholeDocuments(t *testing.T) {
	h := newHarness(t, Options{Settle: 5 * time.Second})
	records := `[{"id":"g1","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z"},
{"id":"g2","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z"}]`
	h.write("export.json.gz", gzipped(t, records))
	h.write("pretty.json", "{\n  \"value\": [\n    {\"id\": \"p1\", \"activityDisplayName\": \"Add user\", \"activityDateTime\": \"2026-05-04T10:00:00Z\"}\n  ]\n}\n")
	h.write("audit.csv", "TimeGenerated [UTC],OperationName,Id,ActivityDisplayName,Result\n\"5/4/2026, 10:00:00.000 AM\",Add user,c1,Add user,success\n")
	expectIDs(t, "before settling", h.take())
	h.now = h.now.Add(5 * time.Second)
	got := h.take()
	expectIDs(t, "settled", got, "c1", "g1", "g2", "p1")
	expectIDs(t, "read once", h.take())
	h.restart()
	expectIDs(t, "read once across a restart", h.take())

	// Changed later, a document is read again.
	h.write("pretty.json", "{\"value\": [{\"id\": \"p2\", \"activityDisplayName\": \"Add user\", \"activityDateTime\": \"2026-05-04T10:00:00Z\"}]}")
	h.now = h.now.Add(time.Second)
	expectIDs(t, "changed, not settled", h.take())
	h.now = h.now.Add(5 * time.Second)
	got = h.take()
	expectIDs(t, "changed and settled", got, "p2")
	if !strings.Contains(got.refs[0], ":g1:") {
		t.Errorf("ref %s, want the second reading", got.refs[0])
	}
}

// TestWholeResume stops while a document is read in batches and expects
// a restart to read only what was not stored.
func TestWholeResume(t *testing.T) {
	h := newHarness(t, Options{Settle: time.Second, WholeBatch: 2})
	var b strings.Builder
	b.WriteString("[")
	for i := range 7 {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i == 3 {
			b.WriteString(`{"id": 7, "activityDateTime": [}`)
			continue
		}
		fmt.Fprintf(&b, `{"id":"w%d","activityDisplayName":"Add user","activityDateTime":"2026-05-04T10:00:00Z"}`, i)
	}
	b.WriteString("]")
	h.write("export.json", b.String())
	expectIDs(t, "before settling", h.take())
	h.now = h.now.Add(time.Second)
	h.fail = 3 // the third batch is not stored
	if err := h.poll(); !errors.Is(err, errHandOn) {
		t.Fatalf("poll: %v, want the hand-on error", err)
	}
	var first []string
	for _, bt := range h.batches {
		for _, e := range bt.Events {
			first = append(first, e.Event.ID)
		}
	}
	h.batches = nil
	h.restart()
	expectIDs(t, "a restart waits for the file to settle", h.take())
	h.now = h.now.Add(time.Second)
	got := h.take()
	all := append(first, got.ids...)
	if want := []string{"w0", "w1", "w2", "w4", "w5", "w6"}; !slices.Equal(all, want) {
		t.Errorf("read %q then %q, want %q once each", first, got.ids, want)
	}
}
