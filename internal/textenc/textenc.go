// Package textenc reads text files whatever Unicode encoding their byte
// order mark names. Windows PowerShell 5.1 writes UTF-16 with a byte order
// mark when output is redirected with '>' or Out-File, and spreadsheet
// programs start UTF-8 with one; readers of JSON and CSV want plain UTF-8.
package textenc

import (
	"bytes"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// IsUTF16 reports whether b starts with a UTF-16 byte order mark, little
// or big endian.
func IsUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// NewReader returns a reader of r as UTF-8: UTF-16 with a byte order mark
// is converted (an unpaired surrogate or a lone last byte becomes U+FFFD),
// a UTF-8 byte order mark is dropped, and anything else passes unchanged.
func NewReader(r io.Reader) io.Reader {
	return transform.NewReader(r, bomOverride())
}

// ToUTF8 converts b as NewReader does.
func ToUTF8(b []byte) []byte {
	out, _, err := transform.Bytes(bomOverride(), b)
	if err != nil {
		// The transformers used never fail; keep the input as it is.
		return b
	}
	return out
}

// bomOverride decodes by the byte order mark, and passes text without one
// through unchanged.
func bomOverride() transform.Transformer {
	return unicode.BOMOverride(transform.Nop)
}
