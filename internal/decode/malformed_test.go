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
	"unicode/utf16"

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
		{"gzip header, broken body", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", nil, nil, "in: gzip: "},
		{"JSON Lines after a warning with a comma", "WARNING: This command is in preview, and may change.\n" + a1 + "\n" + a2 + "\n", []string{"a1", "a2"}, []int{1}, ""},
		{"JSON Lines after a warning", "WARNING: preview\n\n" + a1 + "\n", []string{"a1"}, []int{1}, ""},
		{"JSON array after two warning lines", "WARNING: one\nWARNING: two, three\n[\n  " + a1 + "\n]\n", []string{"a1"}, []int{1, 2}, ""},
		{"UTF-16 LE JSON Lines", string(utf16Text(a1+"\r\n"+a2+"\r\n", false)), []string{"a1", "a2"}, nil, ""},
		{"UTF-16 BE JSON array", string(utf16Text("["+a1+",\n"+a2+"]", true)), []string{"a1", "a2"}, nil, ""},
		{"UTF-16 LE CSV", string(utf16Text(laCSVHeader+csvLine("c1"), false)), []string{"c1"}, nil, ""},
		{"UTF-16 LE, nothing after the byte order mark", "\xff\xfe", nil, nil, ""},
		{"CSV, quote never closed", laCSVHeader + csvLine("c1") + `"1/2/2025, 3:04:05.000 AM",Add user,c2,"Add user,success,` + "\n" + csvLine("c3") + csvLine("c4"), []string{"c1", "c3", "c4"}, []int{3}, ""},
		{"CSV, quote never closed on the last row", laCSVHeader + csvLine("c1") + `"1/2/2025, 3:04:05.000 AM",Add user,c2,"Add user,success,` + "\n", []string{"c1"}, []int{3}, ""},
		{"CSV, quote never closed, swallowing rows", laCSVHeader + `"1/2/2025, 3:04:05.000 AM",Add user,c1,"Add user` + "\n" + "c2,x\n" + csvLine("c3"), []string{"c3"}, []int{2, 3}, ""},
		{"CSV, quoted field over several lines", laCSVHeader + `"1/2/2025, 3:04:05.000 AM",Add user,m1,"Add` + "\n" + `user",success,` + "\n" + csvLine("c2"), []string{"m1", "c2"}, nil, ""},
		{"CSV, blank lines", laCSVHeader + "\n" + csvLine("c1") + "\r\n\n" + csvLine("c2"), []string{"c1", "c2"}, nil, ""},
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

// utf16Text encodes s as UTF-16 with a byte order mark, as Windows
// PowerShell 5.1 writes a redirected command's output.
func utf16Text(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
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

// linesReader yields n copies of one line.
type linesReader struct {
	line string
	n    int
	off  int
}

func (r *linesReader) Read(p []byte) (int, error) {
	read := 0
	for read < len(p) && r.n > 0 {
		c := copy(p[read:], r.line[r.off:])
		read += c
		if r.off += c; r.off == len(r.line) {
			r.off = 0
			r.n--
		}
	}
	if read == 0 {
		return 0, io.EOF
	}
	return read, nil
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
		{"CSV cell", func() io.Reader {
			return io.MultiReader(strings.NewReader(laCSVHeader+csvLine("c1")+`x,y,`), &repeatReader{'c', size},
				strings.NewReader("\n"+csvLine("c3")))
		}, []string{"c1", "c3"}, []int{3}},
		// The lines of a quoted field over the limit are read again as
		// rows, each of which is too short.
		{"CSV quoted field over many lines", func() io.Reader {
			return io.MultiReader(strings.NewReader(laCSVHeader+csvLine("c1")+`"1/2/2025, 3:04:05.000 AM",Add user,c2,Add user,success,"`),
				&linesReader{line: strings.Repeat("c", 8191) + "\n", n: size / 8192},
				strings.NewReader(csvLine("c3")))
		}, []string{"c1", "c3"}, nil},
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
			if tt.errLines != nil {
				checkErrorLines(t, st, tt.errLines)
			} else if want := size / 8192; st.ErrorCount != want || !strings.HasPrefix(st.Errors[0], "in:3: ") {
				t.Errorf("%d errors, first %q; want %d, the first at line 3", st.ErrorCount, st.Errors[0], want)
			}
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

// TestErrorCap checks that error messages are capped and all errors are
// counted, however many bad records come before the first good one.
func TestErrorCap(t *testing.T) {
	tests := []struct {
		name string
		bad  string
		n    int
	}{
		{"cut records", "{\"id\":\n", 30},
		{"invalid records", "{\"a\" 1}\n", 200},
		{"broken objects", "{junk\n", 150},
		{"lines that are not JSON", "WARNING: not JSON\n", 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Repeat(tt.bad, tt.n) + auditLine("ok") + "\n"
			ids, st, err := decodeString(t, Options{MaxErrors: 3}, strings.NewReader(in))
			if err != nil || !slices.Contains(ids, "ok") || len(st.Errors) != 3 || st.ErrorCount != tt.n {
				t.Errorf("err %v, ids %q, %d messages, %d errors; want ok, 3 messages, %d errors", err, ids, len(st.Errors), st.ErrorCount, tt.n)
			}
		})
	}
}

// TestGzipInput reads a compressed input.
func TestGzipInput(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(auditLine("z1") + "\n" + auditLine("z2") + "\n"))
	zw.Close()
	ids, _, err := decodeString(t, Options{}, bytes.NewReader(buf.Bytes()))
	if err != nil || !slices.Equal(ids, []string{"z1", "z2"}) {
		t.Errorf("err %v, ids %q", err, ids)
	}
}

// failReader returns its data, then err.
type failReader struct {
	data []byte
	err  error
}

func (r *failReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestCutShort checks that an input that fails part way keeps the events
// read before, and counts the failure as an error naming the line and the
// byte offset, with the record it cut short as skipped.
func TestCutShort(t *testing.T) {
	var lines, rows strings.Builder
	rows.WriteString(laCSVHeader)
	for i := range 2000 {
		lines.WriteString(auditLine(fmt.Sprint(i)) + "\n")
		rows.WriteString(csvLine(fmt.Sprint(i)))
	}
	gz := func(s string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.Bytes()
	}
	half := func(b []byte) []byte { return b[:len(b)/2] }
	small := gz(auditLine("s0") + "\n" + auditLine("s1") + "\n" + auditLine("s2") + "\n")
	eio := errors.New("input/output error")
	tests := []struct {
		name string
		in   io.Reader
		// what the message must say after the offset
		want string
	}{
		{"gzip JSON Lines", bytes.NewReader(half(gz(lines.String()))), "bytes of decompressed data: gzip: unexpected EOF"},
		{"small gzip file", bytes.NewReader(small[:len(small)-12]), "bytes of decompressed data: gzip: unexpected EOF"},
		{"gzip CSV", bytes.NewReader(half(gz(rows.String()))), "bytes of decompressed data: gzip: unexpected EOF"},
		{"JSON array, read error", &failReader{[]byte("[" + auditLine("a0") + ",\n" + auditLine("a1")[:30]), eio}, "bytes: input/output error"},
		{"JSON Lines, read error between records", &failReader{[]byte(auditLine("a0") + "\n"), eio}, "bytes: input/output error"},
		{"CSV, read error inside a quoted field", &failReader{[]byte(laCSVHeader + csvLine("c0") + `"1/2/2025, 3:04:05.000 AM",Add user,c1,"Add` + "\n"), eio}, "bytes: input/output error"},
		{"CSV, read error between rows", &failReader{[]byte(laCSVHeader + csvLine("c0")), eio}, "bytes: input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, st, err := decodeString(t, Options{}, tt.in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(ids) == 0 || st.ErrorCount != 1 {
				t.Fatalf("%d events, errors %q; want events and one error", len(ids), st.Errors)
			}
			partial := st.Skipped["input cut short"]
			line := len(ids) + 1 + partial
			if strings.Contains(tt.name, "CSV") {
				line++ // the header
			}
			if partial > 1 || st.Records != len(ids)+partial {
				t.Errorf("%d records, %d events, %d cut short", st.Records, len(ids), partial)
			}
			msg := st.Errors[0]
			if prefix := fmt.Sprintf("in:%d: input cut short after ", line-partial); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want it to start with %q and say %q", msg, prefix, tt.want)
			}
			if partial == 1 && !strings.Contains(msg, "incomplete") {
				t.Errorf("error %q does not say a record is incomplete", msg)
			}
		})
	}
	_, _, err := decodeString(t, Options{}, &failReader{nil, eio})
	if !errors.Is(err, eio) || !strings.HasPrefix(err.Error(), "in: ") {
		t.Errorf("read error before any byte: err = %v, want it naming the input", err)
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

// Text that is neither JSON nor CSV is told apart from binary content, so
// that a README beside exported logs is not taken for an unreadable log.
func TestPlainTextIsTold(t *testing.T) {
	tests := []struct {
		in   string
		text bool
	}{
		{"# Exported logs\n\nTaken on 2 January.\n", true},
		{"ログの説明\n", true},
		{"\x00\x01\x02\x03\xff\xfe garbage", false},
		{"note\x1b[2J\n", false},
		{"\xc3\x28\xa0\xa1 text after invalid bytes\n", false},
	}
	for _, tt := range tests {
		_, err := NewDecoder(Options{}).Decode(t.Context(), "in", strings.NewReader(tt.in), func(*event.Event) error { return nil })
		if !errors.Is(err, ErrNoRecognisedContent) {
			t.Errorf("%q: err %v, want ErrNoRecognisedContent", tt.in, err)
		}
		if errors.Is(err, ErrText) != tt.text {
			t.Errorf("%q: errors.Is(err, ErrText) = %v, want %v", tt.in, !tt.text, tt.text)
		}
	}
}

// TestRejected checks that every record that cannot be decoded is
// reported, beyond the messages kept, with its line and index.
func TestRejected(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []Rejection
	}{
		{
			name: "JSON Lines",
			in:   auditLine("a") + "\n{\"id\":\n" + auditLine("b") + "\n{\"id\" 1}\n{\"id\" 2}\n" + auditLine("c") + "\n",
			want: []Rejection{{Line: 2, Index: 1, Reason: "invalid JSON"}, {Line: 4, Index: 3, Reason: "invalid JSON"}, {Line: 5, Index: 4, Reason: "invalid JSON"}},
		},
		{
			name: "CSV",
			in:   laCSVHeader + csvLine("a") + "x,y\n" + csvLine("b"),
			want: []Rejection{{Line: 3, Index: 1, Reason: "CSV row with missing columns"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []Rejection
			opts := Options{MaxErrors: 1, Rejected: func(r Rejection) {
				if r.Message == "" {
					t.Errorf("rejection at line %d has no message", r.Line)
				}
				r.Message = ""
				got = append(got, r)
			}}
			_, st, err := decodeString(t, opts, strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rejected %+v, want %+v", got, tc.want)
			}
			if st.ErrorCount != len(tc.want) {
				t.Errorf("ErrorCount %d, want %d", st.ErrorCount, len(tc.want))
			}
		})
	}
}
