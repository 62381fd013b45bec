package sink

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/appwatch/appwatch/internal/alert"
)

// jsonlWriter writes one JSON object per alert per line.
type jsonlWriter struct {
	w      *bufio.Writer
	enc    *json.Encoder
	closed bool
}

func newJSONL(w io.Writer) *jsonlWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{w: bw, enc: enc}
}

func (j *jsonlWriter) Write(a alert.Alert) error {
	if j.closed {
		return ErrClosed
	}
	if err := j.enc.Encode(normalize(a)); err != nil {
		return fmt.Errorf("write alert %s as JSON: %w", a.RuleID, err)
	}
	return nil
}

func (j *jsonlWriter) Close() error {
	if j.closed {
		return ErrClosed
	}
	j.closed = true
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

// jsonWriter writes one indented JSON array of alerts. It streams: each
// alert is written as it comes, and Close ends the array.
type jsonWriter struct {
	w      *bufio.Writer
	n      int
	closed bool
}

func newJSON(w io.Writer) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriter(w)}
}

func (j *jsonWriter) Write(a alert.Alert) error {
	if j.closed {
		return ErrClosed
	}
	b, err := marshalIndent(normalize(a), "  ")
	if err != nil {
		return fmt.Errorf("write alert %s as JSON: %w", a.RuleID, err)
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	j.w.WriteString(sep)
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

func (j *jsonWriter) Close() error {
	if j.closed {
		return ErrClosed
	}
	j.closed = true
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	j.w.WriteString(end)
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

// marshalIndent is json.MarshalIndent without HTML escaping and without the
// trailing newline, every line after the first prefixed with prefix.
func marshalIndent(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
