package notify

import (
	"cmp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The lengths RFC 5424 allows the header fields.
const (
	maxHostname = 255
	maxAppName  = 48
	maxProcID   = 128
	maxMsgID    = 32
	maxSDName   = 32
)

// utf8BOM starts a message text in UTF-8 (RFC 5424, section 6.4).
const utf8BOM = "\uFEFF"

// syslogMessage is one RFC 5424 message.
type syslogMessage struct {
	Facility, Severity int
	Time               time.Time
	Hostname           string
	AppName            string
	ProcID             string
	MsgID              string
	SD                 []sdElement
	// Msg is the free text; with BOM it is written as MSG-UTF8, after a
	// byte order mark.
	Msg string
	BOM bool
}

// sdElement is one element of structured data: [ID name="value" ...].
type sdElement struct {
	ID     string
	Params []sdParam
}

// sdParam is one parameter of an element.
type sdParam struct{ Name, Value string }

// appendRFC5424 appends m in the syslog protocol's format. Header fields
// are cut to their length and keep only printable US-ASCII, an empty one
// is the NILVALUE "-", parameter values have '"', '\' and ']' escaped, and
// text that is not valid UTF-8 has its bad bytes replaced.
func appendRFC5424(b []byte, m *syslogMessage) []byte {
	b = append(b, '<')
	b = strconv.AppendInt(b, int64(m.Facility*8+m.Severity), 10)
	b = append(b, ">1 "...)
	if m.Time.IsZero() {
		b = append(b, '-')
	} else {
		b = m.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.999999Z07:00")
	}
	for _, f := range []struct {
		s string
		n int
	}{{m.Hostname, maxHostname}, {m.AppName, maxAppName}, {m.ProcID, maxProcID}, {m.MsgID, maxMsgID}} {
		b = append(b, ' ')
		b = append(b, headerField(f.s, f.n)...)
	}
	b = append(b, ' ')
	if len(m.SD) == 0 {
		b = append(b, '-')
	}
	for _, e := range m.SD {
		b = append(b, '[')
		b = append(b, sdName(e.ID, maxSDName+16)...) // name@enterprise-number
		for _, p := range e.Params {
			b = append(b, ' ')
			b = append(b, sdName(p.Name, maxSDName)...)
			b = append(b, `="`...)
			b = appendSDValue(b, p.Value)
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	if m.Msg != "" {
		b = append(b, ' ')
		if m.BOM {
			b = append(b, utf8BOM...)
		}
		b = append(b, strings.ToValidUTF8(m.Msg, "\uFFFD")...)
	}
	return b
}

// headerField keeps the printable US-ASCII characters of s, up to n, or
// gives the NILVALUE.
func headerField(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 33 || r > 126 {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s[:min(len(s), n)]
}

// sdName keeps what an SD-NAME may hold: printable US-ASCII but '=', ' ',
// ']' and '"'.
func sdName(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 33 || r > 126 || r == '=' || r == ']' || r == '"' {
			return -1
		}
		return r
	}, s)
	return cmp.Or(s[:min(len(s), n)], "x")
}

// appendSDValue appends a PARAM-VALUE: UTF-8, with '"', '\' and ']'
// escaped by a backslash.
func appendSDValue(b []byte, v string) []byte {
	for _, r := range strings.ToValidUTF8(v, "\uFFFD") {
		switch r {
		case '"', '\\', ']':
			b = append(b, '\\', byte(r))
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// appendOctetCounted frames msg for a stream (RFC 6587 section 3.4.1,
// RFC 5425): its length in bytes, a space, the message.
func appendOctetCounted(b, msg []byte) []byte {
	b = strconv.AppendInt(b, int64(len(msg)), 10)
	b = append(b, ' ')
	return append(b, msg...)
}
