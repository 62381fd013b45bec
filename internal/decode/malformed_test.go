package decode

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

// auditLine returns a one-line Graph directoryAudit record with the given id.
func auditLine(id string) string {
	return `{"id":"` + id + `","activityDisplayName":"Add user","activityDateTime":"2025-01-02T03:04:05Z","result":"success"}`
}

// laCSVHeader is a Log Analytics AuditLogs CSV header.
const laCSVHeader = "TimeGenerated [UTC],OperationName,Id,ActivityDisplayName,Result,InitiatedBy\n"

// csvLine returns an AuditLogs CSV row with the given id.
func csvLine(id string) string {
	return `"1/2/2025, 3:04:05.000 AM",Add user,` + id + `,Add user,success,"{""user"":{""id"":""u1""}}"` + "\n"
}

// decodeString decodes in as an input named "in" and returns the ids of its
// events.
func decodeString(t *testing.T, opts Options, in io.Reader) ([]string, *Stats, error) {
	t.Helper()
	var ids []string
	st, err := NewDecoder(opts).Decode(context.Background(), "in", in, func(e *event.Event) error {
		ids = append(ids, e.ID)
		return nil
	})
	return ids, st, err
}

func TestMalformedInput(t *testing.T) {
	a1, a2, a3 := auditLine("a1"), auditLine("a2"), auditLine("a3")
	nested := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	tests := []struct {
		name string
		in   string
		// ids are the events that must still be read.
		ids []string
		// errLines are the lines the bad-record messages must name.
		errLines []int
		// err is what Decode's error must say, when it refuses the input.
		err string
	}{
		{"JSON Lines, truncated last line", a1 + "\n" + a2[:40], []string{"a1"}, []int{2}, ""},
		{"JSON Lines, truncated line in the middle", a1 + "\n" + a2[:40] + "\n" + a3 + "\n", []string{"a1", "a3"}, []int{2}, ""},
		{"JSON Lines, truncated inside a nested value", a1 + "\n" + `{"id":"x","targetResources":[{"id":"t"` + "\n" + a3 + "\n", []string{"a1", "a3"}, []int{2}, ""},
		{"JSON Lines, indented, line cut between members", a1 + "\n  " + `{"id":"x","result":"success"` + "\n  " + a3 + "\n", []string{"a1", "a3"}, []int{2}, ""},
		{"JSON Lines, truncated first line", a2[:60] + "\n" + a3 + "\n", []string{"a3"}, []int{1}, ""},
		{"JSON Lines, first line cut after a value", `{"id":"x","targetResources":[1,2` + "\n" + a2 + "\n", []string{"a2"}, []int{1}, ""},
		{"truncated pretty-printed object", "{\n  \"id\": \"a1\",\n  \"activityDisplayName\": \"Add", nil, []int{1}, ""},
		{"JSON array, truncated", "[\n" + a1 + ",\n" + a2[:50], []string{"a1"}, []int{3}, ""},
		{"JSON array, trailing comma", "[" + a1 + "," + a2 + ",]", []string{"a1", "a2"}, nil, ""},
		{"JSON array, element cut short", "[\n" + a1 + ",\n" + a2[:50] + ",\n" + a3 + "\n]\n", []string{"a1", "a3"}, []int{3}, ""},
		{"concatenated objects without newlines", a1 + a2 + a3, []string{"a1", "a2", "a3"}, nil, ""},
		{"JSON Lines, then two objects on one line", a1 + "\n" + a2 + a3 + "\n", []string{"a1", "a2", "a3"}, nil, ""},
		{"JSON Lines, then a broken and a good object on one line", a1 + "\n" + `{"id":"x",}` + a3 + "\n", []string{"a1", "a3"}, []int{2}, ""},
		{"objects separated by spaces and CRLF", a1 + "  \r\n\r\n" + a2 + "\r\n", []string{"a1", "a2"}, nil, ""},
		{"byte order mark", "\xef\xbb\xbf" + a1 + "\n", []string{"a1"}, nil, ""},
		{"records wrapper, element cut short", `{"records":[` + a1 + ",\n" + a2[:50] + "\n,\n" + a3 + "]}", []string{"a1", "a3"}, []int{2}, ""},
		{"garbage line between records", a1 + "\n\x00\x01\xfe\xff garbage\n" + a2 + "\n", []string{"a1", "a2"}, []int{2}, ""},
		{"stray closing brackets", a1 + "}]\n" + a2 + "\n", []string{"a1", "a2"}, nil, ""},
		{"colon missing", `{"id" "x"}` + "\n" + a2 + "\n", []string{"a2"}, []int{1}, ""},
		{"numbers where strings belong", `{"id":5,"activityDisplayName":7,"activityDateTime":12,"result":0}`, []string{"5"}, nil, ""},
		{"initiatedBy is a string", `{"id":"s","activityDisplayName":"Add user","initiatedBy":"bob"}`, []string{"s"}, nil, ""},
		{"arrays where objects belong", `{"id":"r","activityDisplayName":"Add user","initiatedBy":[{"user":{}}],"targetResources":[[1],"x"],"additionalDetails":{"key":7}}`, []string{"r"}, nil, ""},
		{"objects where arrays belong", `{"id":"o","activityDisplayName":"Add user","targetResources":{"id":"t","modifiedProperties":{"displayName":"p","newValue":5}}}`, []string{"o"}, nil, ""},
		{"sign-in with wrong types", `{"id":"g","createdDateTime":"x","status":"bad","location":7,"signInEventTypes":"servicePrincipal","isInteractive":"maybe","servicePrincipalId":["a"]}`, []string{"g"}, nil, ""},
		{"records that are not objects", `[1,"x",null,[],true]` + "\n" + a1, []string{"a1"}, nil, ""},
		{"deeply nested array", strings.Repeat("[", 100000), nil, []int{1}, ""},
		{"deeply nested but closed", nested + "\n" + a1 + "\n", []string{"a1"}, []int{1}, ""},
		{"deeply nested member", `{"id":"d","x":` + nested + `}` + "\n" + a1 + "\n", []string{"a1"}, []int{1}, ""},
		{"deeply nested JSON in a string", `{"Id":"q","ActivityDisplayName":"Add user","InitiatedBy":"` + strings.Repeat("[", 5000) + `"}`, []string{"q"}, nil, ""},
		{"query API table that is not an object", `{"tables":[7,{"columns":[{"name":"Id"},{"name":"ActivityDisplayName"}],"rows":[["t1","Add user"],7]}]}`, []string{"t1"}, []int{1}, ""},
		{"query API columns that are not an array", `{"tables":[{"columns":{"name":"Id"},"rows":[["t1","Add user"]]}]}`, nil, []int{1}, ""},
		{"empty input", "", nil, nil, ""},
		{"whitespace only", " \n\t\r\n  ", nil, nil, ""},
		{"binary garbage", "\x00\x01\x02\x03\xff\xfe garbage", nil, nil, "in:1: content is neither JSON nor CSV"},
		{"prose after blank lines", "\n\n# notes\nno commas here\n", nil, nil, "in:3: content is neither JSON nor CSV"},
		{"CSV, unknown header", "alpha,beta,gamma\n1,2,3\n", nil, nil, "in:1: CSV header has none of the columns"},
		{"CSV, missing columns", laCSVHeader + csvLine("c1") + "x,y\n" + csvLine("c3"), []string{"c1", "c3"}, []int{3}, ""},
		{"CSV, extra columns", laCSVHeader + strings.TrimSuffix(csvLine("c1"), "\n") + ",extra,more\n", []string{"c1"}, nil, ""},
		{"CSV, CRLF line endings", strings.ReplaceAll(laCSVHeader+csvLine("c1")+csvLine("c2"), "\n", "\r\n"), []string{"c1", "c2"}, nil, ""},
		{"CSV, byte order mark", "\xef\xbb\xbf" + laCSVHeader + csvLine("c1"), []string{"c1"}, nil, ""},
		{"CSV, bare quote inside a field", laCSVHeader + `"1/2/2025, 3:04:05.000 AM",Add "user",c1,Add user,success,` + "\n", []string{"c1"}, nil, ""},
		{"CSV, dynamic column that is not JSON", laCSVHeader + `"1/2/2025, 3:04:05.000 AM",Add user,c1,Add user,success,{user` + "\n", []string{"c1"}, nil, ""},
		{"CSV, header only", laCSVHeader, nil, nil, ""},
		{"gzip header, broken body", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", nil, nil, "in: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, st, err := decodeString(t, Options{}, strings.NewReader(tt.in))
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("Decode: %v", err)
			case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
				t.Fatalf("Decode error = %v, want it to start with %q", err, tt.err)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("events %q, want %q", ids, tt.ids)
			}
			checkErrorLines(t, st, tt.errLines)
		})
	}
}

// checkErrorLines checks that the bad records were counted and reported at
// the given lines, each message naming the input.
func checkErrorLines(t *testing.T, st *Stats, lines []int) {
	t.Helper()
	if st.ErrorCount != len(lines) || len(st.Errors) != len(lines) {
		t.Fatalf("%d errors %q, want %d at lines %v", st.ErrorCount, st.Errors, len(lines), lines)
	}
	for i, line := range lines {
		if prefix := fmt.Sprintf("in:%d: ", line); !strings.HasPrefix(st.Errors[i], prefix) {
			t.Errorf("error %q does not start with %q", st.Errors[i], prefix)
		}
	}
	if st.Records < st.Events+st.SkippedCount() {
		t.Errorf("%d records, fewer than %d events and %d skipped", st.Records, st.Events, st.SkippedCount())
	}
}

// repeatReader yields n copies of one byte.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// TestHugeLine feeds a single 100 MB line, made up as it is read, and checks
// that the record is refused at the limit, the input goes on where the
// layout allows it, and memory stays far below the size of the line.
func TestHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	const size = 100 << 20
	tests := []struct {
		name     string
		in       func() io.Reader
		ids      []string
		errLines []int
	}{
		{"JSON string", func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"id":"big","x":"`), &repeatReader{'a', size},
				strings.NewReader(`"}`+"\n"+auditLine("after")+"\n"))
		}, []string{"after"}, []int{1}},
		{"JSON array element", func() io.Reader {
			return io.MultiReader(strings.NewReader(`[`+auditLine("before")+`,["`), &repeatReader{'b', size},
				strings.NewReader(`"],`+auditLine("after")+`]`))
		}, []string{"before", "after"}, []int{1}},
		{"JSON nesting", func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"id":"deep","x":`), &repeatReader{'[', size / 2}, &repeatReader{']', size / 2},
				strings.NewReader("}\n"+auditLine("after")+"\n"))
		}, []string{"after"}, []int{1}},
		// The CSV reader cannot resynchronise inside a line it did not
		// finish, so the rest of the input is dropped with an error.
		{"CSV cell", func() io.Reader {
			return io.MultiReader(strings.NewReader(laCSVHeader+csvLine("c1")+`x,y,`), &repeatReader{'c', size},
				strings.NewReader("\n"+csvLine("c3")))
		}, []string{"c1"}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			ids, st, err := decodeString(t, Options{MaxRecord: 1 << 20}, tt.in())
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("events %q, want %q", ids, tt.ids)
			}
			checkErrorLines(t, st, tt.errLines)
			if !strings.Contains(st.Errors[0], "limit") {
				t.Errorf("error %q does not name the size limit", st.Errors[0])
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
				t.Errorf("allocated %d MiB reading a %d MiB line with a 1 MiB limit", grew>>20, size>>20)
			}
		})
	}
}

// TestRecordLimit checks that records over MaxRecord are skipped with an
// error in every JSON layout, and those around them are read.
func TestRecordLimit(t *testing.T) {
	big := `{"id":"big","activityDisplayName":"Add user","x":"` + strings.Repeat("z", 2000) + `"}`
	tests := []struct {
		name string
		in   string
		ids  []string
	}{
		{"JSON Lines", auditLine("a1") + "\n" + big + "\n" + auditLine("a3") + "\n", []string{"a1", "a3"}},
		{"array", "[" + auditLine("a1") + ",\n" + big + ",\n" + auditLine("a3") + "]", []string{"a1", "a3"}},
		{"records wrapper", `{"records":[` + auditLine("a1") + ",\n" + big + ",\n" + auditLine("a3") + "]}", []string{"a1", "a3"}},
		{"big wrapper member before the records", `{"x":"` + strings.Repeat("z", 2000) + `","records":[` + auditLine("a1") + "]}", []string{"a1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, st, err := decodeString(t, Options{MaxRecord: 1000}, strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("events %q, want %q", ids, tt.ids)
			}
			if want := len(tt.ids) == 2; want != (st.ErrorCount == 1) {
				t.Errorf("errors %q", st.Errors)
			}
		})
	}
}

// TestErrorCap checks that error messages are capped, all errors are
// counted, and an input of nothing but errors is given up on.
func TestErrorCap(t *testing.T) {
	var b strings.Builder
	for range 30 {
		b.WriteString("{\"id\":\n")
	}
	b.WriteString(auditLine("ok") + "\n")
	ids, st, err := decodeString(t, Options{MaxErrors: 3}, strings.NewReader(b.String()))
	if err != nil || !slices.Equal(ids, []string{"ok"}) || len(st.Errors) != 3 || st.ErrorCount != 30 {
		t.Errorf("err %v, ids %q, %d messages, %d errors; want ok, 3 messages, 30 errors", err, ids, len(st.Errors), st.ErrorCount)
	}
	_, _, err = decodeString(t, Options{}, strings.NewReader(strings.Repeat("{\"a\" 1}\n", 200)))
	if err == nil || !strings.Contains(err.Error(), "giving up") {
		t.Errorf("err = %v, want giving up", err)
	}
}

// TestGzipInput reads a compressed input and refuses a cut one.
func TestGzipInput(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(auditLine("z1") + "\n" + auditLine("z2") + "\n"))
	zw.Close()
	ids, _, err := decodeString(t, Options{}, bytes.NewReader(buf.Bytes()))
	if err != nil || !slices.Equal(ids, []string{"z1", "z2"}) {
		t.Errorf("err %v, ids %q", err, ids)
	}
	_, _, err = decodeString(t, Options{}, bytes.NewReader(buf.Bytes()[:buf.Len()-12]))
	if err == nil || !strings.HasPrefix(err.Error(), "in: ") || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut gzip: err = %v, want an unexpected EOF naming the input", err)
	}
}

// TestContextAndEmit checks that a cancelled context and a failing emit
// stop the input with their error.
func TestContextAndEmit(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		b.WriteString(auditLine(fmt.Sprint(i)) + "\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewDecoder(Options{}).Decode(ctx, "in", strings.NewReader(b.String()), func(*event.Event) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	stop := errors.New("stop")
	n := 0
	_, err = NewDecoder(Options{}).Decode(context.Background(), "in", strings.NewReader(b.String()), func(*event.Event) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("emit error: err = %v after %d events", err, n)
	}
}
