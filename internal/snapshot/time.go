package snapshot

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Time is a Graph timestamp. Reading it never fails: it understands RFC
// 3339 text with any fraction of a second (Graph writes seven digits),
// the same without a zone (taken as UTC), Windows PowerShell's
// "/Date(milliseconds)/" and its {"value": ...} wrapper, and null. Text it
// cannot read is kept as it was, so that writing the snapshot loses
// nothing, and Raw reports it.
type Time struct {
	time.Time
	raw string
}

// Raw returns the text of a timestamp that could not be read, and false
// for a readable or absent one.
func (t Time) Raw() (string, bool) { return t.raw, t.raw != "" }

// IsZero reports whether the timestamp is absent: no time and no
// unreadable text.
func (t Time) IsZero() bool { return t.Time.IsZero() && t.raw == "" }

// MarshalJSON writes the time in RFC 3339 with as many fraction digits as
// needed, the unreadable text as it was read, or null.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.raw != "":
		return json.Marshal(t.raw)
	case t.Time.IsZero():
		return []byte("null"), nil
	}
	return json.Marshal(t.Time.UTC().Format(time.RFC3339Nano))
}

// UnmarshalJSON reads a timestamp; see Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			t.keep(b)
			return nil
		}
		t.parse(s)
	case b[0] == '{':
		var wrapped struct {
			Value json.RawMessage `json:"value"`
		}
		if json.Unmarshal(b, &wrapped) == nil && len(wrapped.Value) > 0 && wrapped.Value[0] != '{' {
			return t.UnmarshalJSON(wrapped.Value)
		}
		t.keep(b)
	default:
		t.keep(b)
	}
	return nil
}

// keep stores unreadable text with each invalid UTF-8 byte replaced by
// U+FFFD, as encoding/json writes it, so that it reads back the same.
func (t *Time) keep(b []byte) {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r)
		b = b[n:]
	}
	t.raw = sb.String()
}

// layouts are the text forms of a timestamp, tried in order.
var layouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02"}

// msDate matches "/Date(1700000000000)/" with an optional zone offset.
var msDate = regexp.MustCompile(`^/Date\((-?\d{1,15})([+-]\d{4})?\)/$`)

func (t *Time) parse(s string) {
	if s == "" {
		return
	}
	for _, l := range layouts {
		if v, err := time.Parse(l, s); err == nil {
			t.Time = v.UTC()
			return
		}
	}
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, _ := strconv.ParseInt(m[1], 10, 64)
		t.Time = time.UnixMilli(ms).UTC()
		return
	}
	t.keep([]byte(s))
}
