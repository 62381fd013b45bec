package decode

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/event"
)

// decoded is what decoding one input gave, to compare.
type decoded struct {
	Events     []string // each event in JSON
	Records    int
	Layouts    map[string]int
	Skipped    map[string]int
	Errors     []string
	Rejections []Rejection
}

// decodeWith decodes b with Decode, or with DecodeLine when line is set,
// and reports whether DecodeLine took it.
func decodeWith(t *testing.T, b []byte, line bool) (decoded, bool) {
	t.Helper()
	var out decoded
	d := NewDecoder(Options{Rejected: func(rj Rejection) { out.Rejections = append(out.Rejections, rj) }})
	emit := func(e *event.Event) error {
		j, err := json.Marshal(e)
		if err != nil {
			return err
		}
		out.Events = append(out.Events, string(j))
		return nil
	}
	var st *Stats
	var err error
	ok := true
	if line {
		st, ok, err = d.DecodeLine("message", b, emit)
	} else {
		st, err = d.Decode(context.Background(), "message", bytes.NewReader(b), emit)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return out, false
	}
	out.Records, out.Layouts, out.Skipped, out.Errors = st.Records, st.Layouts, st.Skipped, st.Errors
	return out, true
}

// TestDecodeLine decodes messages, one line each, with DecodeLine and with
// Decode: where DecodeLine takes a message, both give the same events,
// counts, errors and rejections; the messages it must leave to Decode it
// leaves.
func TestDecodeLine(t *testing.T) {
	var gen bytes.Buffer
	if _, err := corpus.Generate(&gen, corpus.Options{Size: 256 << 10, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	records := strings.Split(strings.TrimSpace(gen.String()), "\n")
	take := map[string]string{
		"one record":                   records[0],
		"one record, trailing newline": records[1] + "\r\n",
		"wrapper":                      `{"records":[` + strings.Join(records[:20], ",") + `]}`,
		"value wrapper":                `{"@odata.context":"x","value":[` + strings.Join(records[20:25], ",") + `]}`,
		"record of no known layout":    `{"a":1,"b":{"c":[1,2]}}`,
		"wrapper of a wrapper":         `{"records":[{"records":[` + records[3] + `]},` + records[4] + `]}`,
	}
	leave := map[string]string{
		"two lines":             records[0] + "\n" + records[1],
		"pretty":                "{\n" + records[0][1:],
		"array":                 "[" + records[0] + "," + records[1] + "]",
		"broken":                records[0][:len(records[0])-1],
		"two objects":           records[0] + records[1],
		"tables":                `{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"string"}],"rows":[["x"]]}]}`,
		"not an object inside":  `{"records":[` + records[0] + `,"text"]}`,
		"wrapper with more":     `{"a":1,"b":2,"c":3,"d":4,"records":[` + records[0] + `]}`,
		"records and value":     `{"records":[` + records[0] + `],"value":[` + records[1] + `]}`,
		"not JSON":              `records`,
		"gzip":                  "\x1f\x8b\x08\x00",
		"over the record limit": `{"records":[` + records[0] + `,{"x":"` + strings.Repeat("y", DefaultMaxRecord) + `"}]}`,
	}
	// The fixtures that are one JSON document each, written on one line.
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	rules, _ := filepath.Glob(filepath.Join("..", "..", "rules", "testdata", "*", "*.json"))
	files = append(files, rules...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c bytes.Buffer
		if json.Compact(&c, b) == nil && c.Len() > 0 && c.Bytes()[0] == '{' && !bytes.Contains(b, []byte(`"tables"`)) {
			take[f] = c.String()
		}
	}
	for name, msg := range take {
		t.Run(name, func(t *testing.T) {
			want, _ := decodeWith(t, []byte(msg), false)
			got, ok := decodeWith(t, []byte(msg), true)
			if !ok {
				t.Fatal("DecodeLine left the message to Decode")
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("DecodeLine gave\n%+v\nDecode\n%+v", got, want)
			}
		})
	}
	for name, msg := range leave {
		t.Run(name, func(t *testing.T) {
			if _, ok := decodeWith(t, []byte(msg), true); ok {
				t.Error("DecodeLine took a message Decode may read otherwise")
			}
		})
	}
}

// FuzzDecodeLine decodes any message with DecodeLine and, when it takes
// the message, with Decode too: they must agree.
func FuzzDecodeLine(f *testing.F) {
	for _, b := range seedFiles(f, ".json") {
		var c bytes.Buffer
		if json.Compact(&c, b) == nil {
			f.Add(c.Bytes())
		}
	}
	f.Add([]byte(`{"records":[{"time":"2025-01-01T00:00:00Z","category":"AuditEvent","properties":{"httpStatusCode":403}}]}`))
	f.Add([]byte(`{"records":[{"records":[{"a":1}]},{"operationName":"Add owner to application"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want decoded
		var ok bool
		within(t, 10*time.Second, "decoding", func() {
			got, ok = decodeWith(t, data, true)
			if ok {
				want, _ = decodeWith(t, data, false)
			}
		})
		if ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeLine gave\n%+v\nDecode\n%+v", got, want)
		}
	})
}
