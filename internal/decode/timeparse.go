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
		if t, ok := parseTime(m.str(s)); ok {
			return t, true
		}
	}
	return time.Time{}, false
}
