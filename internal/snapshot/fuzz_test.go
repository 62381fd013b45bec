package snapshot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzRead feeds arbitrary file content to Read's recogniser. It must not
// panic, and whatever it makes of the bytes must encode and read back the
// same.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "foreign*", "*.json"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"@odata.context":"x#applications('a')/owners","value":[{"id":"o"}]}`))
	f.Add([]byte(`[{"@odata.type":"#microsoft.graph.directoryRole","id":"r","members":[{"@odata.type":"#microsoft.graph.servicePrincipal","id":"s"}]}]`))
	f.Add([]byte{0xFF, 0xFE, '[', 0, ']', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newReader()
		r.add("fuzz.json", data)
		s := r.snapshot()
		for _, d := range defs {
			out, err := json.Marshal(s.listDoc(d))
			if err != nil {
				t.Fatalf("encode %s: %v", d.c, err)
			}
			back := newReader()
			back.add(string(d.c)+".json", out)
			if got, want := d.values(back.snapshot()), d.values(s); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s does not read back:\n got %+v\nwant %+v", d.c, got, want)
			}
		}
	})
}

// FuzzTime checks that any JSON value reads as a Time without error and
// that a written Time reads back equal.
func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2026-06-05T20:15:38.2619305Z"`, `"\/Date(1924992000000)\/"`, `null`, `{"value":"2025-01-01","DisplayHint":2}`,
		`"2025-01-01T00:00:00"`, `17`, `"yesterday"`, `{"value":{"value":1}}`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var v Time
		if err := v.UnmarshalJSON(data); err != nil {
			t.Fatalf("UnmarshalJSON(%s): %v", data, err)
		}
		out, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		var back Time
		back.UnmarshalJSON(out)
		if !back.Time.Equal(v.Time) || back.raw != v.raw {
			t.Fatalf("%s → %s → %+v, want %+v", data, out, back, v)
		}
	})
}
