package match

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/realdata"
	"github.com/appwatch/appwatch/internal/sigma"
)

// emptyResultReason and nullResultReason find the members
// "resultReason": "" and "resultReason": null in JSON text.
var (
	emptyResultReason = regexp.MustCompile(`"resultReason"\s*:\s*""`)
	nullResultReason  = regexp.MustCompile(`"resultReason"\s*:\s*null`)
)

// TestRealEmptyResultReason checks, on the published audit records, that
// resultReason equal to the empty string fires on exactly the records that hold
// "resultReason": "" (24) or null (2), and the CSV rows whose
// ResultReason cell is empty, and that resultReason|exists: true fires on
// those and on the records with a reason.
func TestRealEmptyResultReason(t *testing.T) {
	dir := realdata.Dir(t, "audit")
	s := newSchema(t)
	rules, err := sigma.Parse("t.yml", []byte(presenceRules("resultReason")))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sigma.Compile(rules, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := NewEvent(s)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var jsonEmpty, jsonNull, csvEmpty, exists, withReason int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		empty, null := len(emptyResultReason.FindAll(data, -1)), len(nullResultReason.FindAll(data, -1))
		want := empty + null
		if strings.HasSuffix(f, ".csv") {
			want = emptyCells(t, f, data, "ResultReason")
		}
		var got int
		decodeFile(t, f, data, func(e *event.Event) {
			a.Reset(e)
			m := rs.Match(a, nil)
			if slices.Contains(m, 0) {
				got++
			}
			if slices.Contains(m, 1) {
				exists++
			}
			if e.ResultReason != "" {
				withReason++
			}
		})
		if got != want {
			t.Errorf("%s: resultReason: '' fired on %d records, want %d", filepath.Base(f), got, want)
		}
		if strings.HasSuffix(f, ".csv") {
			csvEmpty += got
		} else if got == want {
			jsonEmpty += empty
			jsonNull += null
		}
	}
	if jsonEmpty != 24 {
		t.Errorf(`resultReason: '' fired on %d JSON records, want the 24 that hold "resultReason": ""`, jsonEmpty)
	}
	if want := jsonEmpty + jsonNull + csvEmpty + withReason; exists != want {
		t.Errorf("resultReason|exists: true fired on %d records, want %d (%d empty or null, %d with a reason)", exists, want, jsonEmpty+jsonNull+csvEmpty, withReason)
	}
	t.Logf("resultReason: '' fired on %d JSON records holding \"\", %d holding null and %d CSV rows; exists on %d", jsonEmpty, jsonNull, csvEmpty, exists)
}

// emptyCells counts the rows of a CSV file whose cell in column is empty.
func emptyCells(t *testing.T, name string, data []byte, column string) int {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v", name, err)
	}
	i := slices.Index(rows[0], column)
	if i < 0 {
		return 0
	}
	n := 0
	for _, r := range rows[1:] {
		if strings.TrimSpace(r[i]) == "" {
			n++
		}
	}
	return n
}

// decodeFile decodes a published sample, whose broken records are left
// out, and calls f with each event.
func decodeFile(t *testing.T, name string, data []byte, f func(*event.Event)) {
	t.Helper()
	_, err := decode.NewDecoder(decode.Options{}).Decode(t.Context(), name, strings.NewReader(string(data)), func(e *event.Event) error {
		f(e)
		return nil
	})
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
}
