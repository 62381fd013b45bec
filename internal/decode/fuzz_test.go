package decode

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/event"
)

// seedFiles returns the contents of the fixtures, and of the published
// samples when they are present, whose names end in one of exts. The
// samples are read when the fuzz test starts, never copied.
func seedFiles(f *testing.F, exts ...string) [][]byte {
	f.Helper()
	var paths []string
	for _, ext := range exts {
		m, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
		paths = append(paths, m...)
	}
	dir := os.Getenv("APPWATCH_REAL_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "real")
	}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
			if err == nil && !de.IsDir() && slices.ContainsFunc(exts, func(e string) bool { return strings.HasSuffix(p, e) }) {
				paths = append(paths, p)
			}
			return nil
		})
	}
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) <= 8<<10 {
			out = append(out, b)
		}
	}
	return out
}

// chunkReader returns at most n bytes per Read, so that the splitter's
// buffer boundaries fall everywhere.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

// decodeResult is what decoding one input gave, in comparable form.
type decodeResult struct {
	Err     string
	Records int
	Errors  []string
	Skipped map[string]int
	Events  []string
}

// decodeAllWays decodes data with a fresh decoder, reading it in chunks of
// chunk bytes when chunk > 0, and checks the invariants every result keeps.
func decodeAllWays(t *testing.T, data []byte, chunk int, opts Options) decodeResult {
	t.Helper()
	var r io.Reader = bytes.NewReader(data)
	if chunk > 0 {
		r = &chunkReader{r, chunk}
	}
	var res decodeResult
	st, err := NewDecoder(opts).Decode(context.Background(), "fuzz", r, func(e *event.Event) error {
		checkFuzzEvent(t, e)
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("event does not marshal: %v", err)
		}
		res.Events = append(res.Events, string(b))
		return nil
	})
	if err != nil {
		res.Err = err.Error()
		if !strings.HasPrefix(res.Err, "fuzz") {
			t.Fatalf("error %q does not name the input", err)
		}
	}
	if st.Events != len(res.Events) || st.Records < st.Events+st.SkippedCount() || st.ErrorCount < len(st.Errors) {
		t.Fatalf("inconsistent stats: %d records, %d events (%d emitted), %d skipped, %d errors (%d kept)",
			st.Records, st.Events, len(res.Events), st.SkippedCount(), st.ErrorCount, len(st.Errors))
	}
	for _, msg := range st.Errors {
		if !strings.HasPrefix(msg, "fuzz:") {
			t.Fatalf("error %q does not name the input and line", msg)
		}
	}
	res.Records, res.Errors, res.Skipped = st.Records, st.Errors, st.Skipped
	return res
}

// checkFuzzEvent checks what every emitted event must satisfy.
func checkFuzzEvent(t *testing.T, e *event.Event) {
	t.Helper()
	if e.Kind == event.KindUnknown {
		t.Fatalf("event of unknown kind: %+v", e)
	}
	if e.Source.Line < 1 || e.Source.File != "fuzz" || e.Source.Format == "" {
		t.Fatalf("bad source %+v", e.Source)
	}
	if !e.Time.IsZero() && e.Time.Location() != time.UTC {
		t.Fatalf("time %v is not UTC", e.Time)
	}
	if e.ActivityKey != event.NormalizeActivity(e.Activity) {
		t.Fatalf("activity key %q of %q", e.ActivityKey, e.Activity)
	}
	switch e.Result {
	case "", event.ResultSuccess, event.ResultFailure:
	default:
		t.Fatalf("result %q", e.Result)
	}
}

// within runs f and fails the test if it has not returned after d, so that
// an input that makes the decoder loop is reported with the input. A
// failure inside f ends f's goroutine; the test then stops here.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		if t.Failed() {
			t.FailNow()
		}
	case <-time.After(d):
		t.Fatalf("%s took over %v", what, d)
	}
}

// FuzzDecodeJSON runs the whole decoder on JSON input (and whatever else
// the fuzzer makes of it: gzip, CSV, garbage). Reading the input in small
// chunks must give the same result as reading it whole.
func FuzzDecodeJSON(f *testing.F) {
	for _, b := range seedFiles(f, ".json", ".ndjson", ".log", ".gz") {
		f.Add(b, uint8(7))
	}
	f.Add([]byte(auditLine("a1")+"\n"+auditLine("a2")[:40]+"\n"+auditLine("a3")), uint8(1))
	f.Add([]byte(`{"records":[{"time":"2025-01-01T00:00:00Z","category":"AuditEvent","properties":{"httpStatusCode":403}}]}`), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		var whole, parts decodeResult
		within(t, 10*time.Second, "decoding", func() {
			whole = decodeAllWays(t, data, 0, Options{})
			parts = decodeAllWays(t, data, int(chunk%16)+1, Options{})
			decodeAllWays(t, data, 0, Options{MaxRecord: 64, MaxErrors: 1})
		})
		if !equalResults(whole, parts) {
			t.Fatalf("reading in chunks of %d changed the result:\nwhole: %+v\nparts: %+v", chunk%16+1, whole, parts)
		}
	})
}

// equalResults compares two results; a read error may only differ in the
// position the reader reached.
func equalResults(a, b decodeResult) bool {
	return a.Err == b.Err && a.Records == b.Records && slices.Equal(a.Errors, b.Errors) &&
		slices.Equal(a.Events, b.Events) && equalCounts(a.Skipped, b.Skipped)
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// csvHeaders are headers the CSV fuzz target puts before its input, so that
// the fuzzer spends its time on rows rather than on being recognised.
var csvHeaders = []string{
	"",
	laCSVHeader,
	"TimeGenerated [UTC],OperationName,Id,CorrelationId,AppId,UserPrincipalName,UserId,IPAddress,Status_dynamic,AuthenticationProtocol,IsInteractive,LocationDetails_dynamic,Type\n",
	"TimeGenerated [UTC],ResourceProvider,ResourceId,OperationName,CorrelationId,ResultSignature,httpStatusCode_d,id_s,identity_claim_upn_s,identity_claim_oid_g,addedAccessPolicy_ObjectId_g,addedAccessPolicy_Permissions_secrets_s\n",
	"Date (UTC),Request ID,User ID,Username,Application ID ,Service principal ID,Managed Identity type,Status,Sign-in error code,Authentication Protocol,Location\n",
	"\"Date (UTC)\",\"CorrelationId\",\"Activity\",\"Result\",\"ActorType\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1ObjectId\",\"Target1ModifiedProperty1Name\",\"Target1ModifiedProperty1OldValue\",\"Target1ModifiedProperty1NewValue\",\"AdditionalDetail1Key\",\"AdditionalDetail1Value\"\n",
}

// FuzzDecodeCSV runs the whole decoder on CSV input, after one of a few
// known headers or none.
func FuzzDecodeCSV(f *testing.F) {
	for _, b := range seedFiles(f, ".csv") {
		f.Add(uint8(0), b, uint8(5))
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			for h := range csvHeaders[1:] {
				f.Add(uint8(h+1), b[i+1:], uint8(9))
			}
		}
	}
	f.Add(uint8(1), []byte(csvLine("c1")+"x,y\n\"unterminated,"), uint8(2))
	f.Fuzz(func(t *testing.T, header uint8, body []byte, chunk uint8) {
		data := append([]byte(csvHeaders[int(header)%len(csvHeaders)]), body...)
		var whole, parts decodeResult
		within(t, 10*time.Second, "decoding", func() {
			whole = decodeAllWays(t, data, 0, Options{})
			parts = decodeAllWays(t, data, int(chunk%16)+1, Options{})
			decodeAllWays(t, data, 0, Options{MaxRecord: 32, MaxErrors: 1})
		})
		if !equalResults(whole, parts) {
			t.Fatalf("reading in chunks changed the result:\nwhole: %+v\nparts: %+v", whole, parts)
		}
	})
}

// csvStep is one step of the CSV reader, in comparable form.
type csvStep struct {
	fields string
	line   int
	err    string
}

// readCSVSteps runs the CSV reader over r to the end, expecting as many
// columns as the first record has. Every step must consume input, so the
// number of steps is bounded by the input's size.
func readCSVSteps(t *testing.T, r io.Reader, size, max int) []csvStep {
	t.Helper()
	cr := newCSVReader(r, max)
	var out []csvStep
	want := 0
	for steps := 0; ; steps++ {
		if steps > size+2 {
			t.Fatalf("CSV reader did not finish after %d steps on %d bytes", steps, size)
		}
		rec, line, err := cr.Read(want)
		switch {
		case err == io.EOF:
			return out
		case err != nil:
			out = append(out, csvStep{line: line, err: err.Error()})
			continue
		}
		if want == 0 {
			want = len(rec)
		}
		out = append(out, csvStep{strings.Join(rec, "\x00"), line, ""})
	}
}

// readStdCSV reads data with encoding/csv as the CSV reader is meant to
// split it, and reports whether every record has the first's number of
// fields, when the two must agree.
func readStdCSV(data []byte) ([]csvStep, bool) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	var out []csvStep
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, true
		}
		if err != nil || len(out) > 0 && len(rec) != strings.Count(out[0].fields, "\x00")+1 {
			return out, false
		}
		line, _ := cr.FieldPos(0)
		out = append(out, csvStep{strings.Join(rec, "\x00"), line, ""})
	}
}

// FuzzCSVReader compares the CSV reader with encoding/csv, which it
// follows where the input is regular CSV, and checks that reading in
// chunks or with a small record limit neither changes the result nor
// stops the reader from finishing.
func FuzzCSVReader(f *testing.F) {
	for _, b := range seedFiles(f, ".csv") {
		f.Add(b, uint8(5))
	}
	f.Add([]byte("a,b,c\n1,\"x\ny\",3\r\n\n4,\"5,6\n7,8,9\n"), uint8(2))
	f.Add([]byte("a,\"b\"\"c\"d,e\r\n\r\n\"\"\r"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		var got, parts []csvStep
		within(t, 10*time.Second, "reading CSV", func() {
			got = readCSVSteps(t, bytes.NewReader(data), len(data), len(data)+1)
			parts = readCSVSteps(t, &chunkReader{bytes.NewReader(data), int(chunk%16) + 1}, len(data), len(data)+1)
			readCSVSteps(t, bytes.NewReader(data), len(data), int(chunk%32)+1)
		})
		if !slices.Equal(got, parts) {
			t.Fatalf("reading in chunks changed the result:\nwhole: %+v\nparts: %+v", got, parts)
		}
		if want, regular := readStdCSV(data); regular && !slices.Equal(got, want) {
			t.Fatalf("encoding/csv reads %+v, the CSV reader %+v", want, got)
		}
	})
}

// splitResult is one step of the splitter, in comparable form.
type splitResult struct {
	data    string
	line    int
	columns string
	err     string
}

// splitAll runs the splitter over r to the end. Every step must consume
// input or end it, so the number of steps is bounded by the input's size.
func splitAll(t *testing.T, r io.Reader, size, max int) []splitResult {
	t.Helper()
	sp := newSplitterBuf(r, max, make([]byte, readSize))
	var out []splitResult
	for steps := 0; ; steps++ {
		if steps > size+2 {
			t.Fatalf("splitter did not finish after %d steps on %d bytes", steps, size)
		}
		rec, err := sp.next()
		if err == io.EOF {
			return out
		}
		var re *recordError
		switch {
		case errors.As(err, &re):
			out = append(out, splitResult{line: re.line, err: re.msg.String()})
			continue
		case err != nil:
			t.Fatalf("read error from a bytes reader: %v", err)
		}
		if len(rec.data) == 0 || len(rec.data) > max || rec.line < 1 {
			t.Fatalf("record of %d bytes at line %d (limit %d)", len(rec.data), rec.line, max)
		}
		out = append(out, splitResult{string(rec.data), rec.line, strings.Join(rec.columns, ","), ""})
	}
}

// FuzzSplitter runs the record splitter alone. The records it cuts, and
// the errors it reports, must not depend on how the input was read.
func FuzzSplitter(f *testing.F) {
	for _, b := range seedFiles(f, ".json", ".ndjson", ".log") {
		f.Add(b, uint16(4096), uint8(3))
	}
	f.Add([]byte("{\"a\":\"\\\\\\\"\"}\n[1,{\"b\":[]}]{\"records\":[{}],\"x\":{}}"), uint16(64), uint8(1))
	f.Add([]byte("\xef\xbb\xbf{\"id\":1,\n{\"id\":2}\n"), uint16(16), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, max uint16, chunk uint8) {
		limit := int(max)%8192 + 1
		var whole, parts []splitResult
		within(t, 10*time.Second, "splitting", func() {
			whole = splitAll(t, bytes.NewReader(data), len(data), limit)
			parts = splitAll(t, &chunkReader{bytes.NewReader(data), int(chunk%16) + 1}, len(data), limit)
		})
		if !slices.Equal(whole, parts) {
			t.Fatalf("reading in chunks of %d changed the split:\nwhole: %+v\nparts: %+v", chunk%16+1, whole, parts)
		}
		for i := 1; i < len(whole); i++ {
			if whole[i].line < whole[i-1].line {
				t.Fatalf("lines go back: %d then %d", whole[i-1].line, whole[i].line)
			}
		}
	})
}

// FuzzParseTime checks that any time read is UTC and reads back the same.
// FuzzParseTimeBytes checks that the fast reading of RFC 3339 times
// agrees with parseTime.
func FuzzParseTimeBytes(f *testing.F) {
	for _, s := range []string{
		"2022-01-22T18:15:02.5168093Z", "2019-09-20T04:11:04.101788-05:00", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z",
		"2026-03-02T07:00:00.0000000+00:00", "2026-03-02T07:00:00.1234567891Z", "2026-03-02T24:00:00Z", "2026-03-02T07:00:00+24:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTimeBytes([]byte(s))
		want, wantOK := parseTime(s)
		if ok != wantOK || !got.Equal(want) || got.Location() != want.Location() {
			t.Fatalf("parseTimeBytes(%q) = %v, %v; parseTime %v, %v", s, got, ok, want, wantOK)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2022-01-22T18:15:02.5168093Z", "2019-09-20T04:11:04.101788-05:00", "4/28/2021, 2:08:45.221 PM",
		"3/24/2022 2:42:35 PM", "2023-05-10 12:34:56", "2023-05-10", "13/45/2021, 2:08:45 PM", " 2023-05-10T12:34:56Z ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseTime(s)
		if !ok {
			if !tm.IsZero() {
				t.Fatalf("parseTime(%q) failed but returned %v", s, tm)
			}
			return
		}
		if tm.Location() != time.UTC {
			t.Fatalf("parseTime(%q) = %v, not UTC", s, tm)
		}
		if back, ok := parseTime(tm.Format(time.RFC3339Nano)); (!ok || !back.Equal(tm)) && tm.Year() >= 0 && tm.Year() <= 9999 {
			t.Fatalf("parseTime(%q) = %v, which reads back as %v, %v", s, tm, back, ok)
		}
	})
}
