package decode

import (
	"strings"
	"time"
)

// timeLayouts are the ways exports write times, tried in order after
// RFC 3339. Times without a zone are UTC: the portal and Log Analytics
// write UTC and say so in the column name ("Date (UTC)", "TimeGenerated [UTC]").
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"1/2/2006, 3:04:05.999999999 PM",
	"1/2/2006 3:04:05.999999999 PM",
	"1/2/2006, 15:04:05.999999999",
	"1/2/2006 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads a time as written by any supported layout and returns it
// in UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// firstTime returns the first of the slots that holds a readable time.
func firstTime(m *members, slots ...slot) (time.Time, bool) {
	if m == nil {
		return time.Time{}, false
	}
	for _, s := range slots {
		if t, ok := m.time(s); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseTimeBytes is parseTime for text held in bytes. It reads the
// RFC 3339 times most records carry ("2026-03-02T07:00:00.1234567Z")
// without copying them, and leaves the other layouts to parseTime.
func parseTimeBytes(b []byte) (time.Time, bool) {
	if t, ok := rfc3339(b); ok {
		return t, true
	}
	return parseTime(string(b))
}

// rfc3339 reads exactly YYYY-MM-DDTHH:MM:SS, up to nine digits of
// fraction, and Z or a ±HH:MM offset, checking what time.Parse checks.
// It reports false for anything else, which parseTime then reads.
func rfc3339(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && n <= 9 && rest[n] >= '0' && rest[n] <= '9' {
			nsec = nsec*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			return time.Time{}, false
		}
		for k := n; k <= 9; k++ {
			nsec *= 10
		}
		rest = rest[n:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

// digits reads b as a decimal number of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of a month.
func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
