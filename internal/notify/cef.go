package notify

import (
	"strconv"
	"strings"
)

// cefEvent is one event in the Common Event Format (CEF) of ArcSight,
// which SIEMs such as Microsoft Sentinel read from syslog:
//
//	CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...
type cefEvent struct {
	Vendor, Product, Version string
	SignatureID, Name        string
	Severity                 int // 0 to 10
	Ext                      []cefExt
}

// cefExt is one key=value pair of the extension. Keys are letters and
// digits.
type cefExt struct{ Key, Value string }

// String writes e in CEF. In the header, '\' and '|' are escaped with a
// backslash and line breaks become spaces; in extension values, '\' and
// '=' are escaped with a backslash and line breaks written \n and \r.
// Text that is not valid UTF-8 has its bad bytes replaced.
func (e *cefEvent) String() string {
	var b strings.Builder
	b.WriteString("CEF:0")
	for _, h := range []string{e.Vendor, e.Product, e.Version, e.SignatureID, e.Name, strconv.Itoa(min(max(e.Severity, 0), 10))} {
		b.WriteByte('|')
		b.WriteString(cefHeader.Replace(strings.ToValidUTF8(h, "\uFFFD")))
	}
	b.WriteByte('|')
	for i, x := range e.Ext {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x.Key)
		b.WriteByte('=')
		b.WriteString(cefValue.Replace(strings.ToValidUTF8(x.Value, "\uFFFD")))
	}
	return b.String()
}

var (
	cefHeader = strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\r\n", " ", "\n", " ", "\r", " ")
	cefValue  = strings.NewReplacer(`\`, `\\`, `=`, `\=`, "\n", `\n`, "\r", `\r`)
)
