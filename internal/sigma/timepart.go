package sigma

import (
	"strconv"
	"time"
)

// timePartRange returns the smallest and largest number a time modifier
// gives.
func timePartRange(part modifier) (int, int) {
	switch part {
	case modMinute:
		return 0, 59
	case modHour:
		return 0, 23
	case modDay:
		return 1, 31
	case modWeek:
		return 1, 53
	case modMonth:
		return 1, 12
	}
	return 1, 9999
}

// timePartValue reads the number written in a rule for a time modifier.
func timePartValue(part modifier, s string) (int, bool) {
	n, err := strconv.Atoi(s)
	lo, hi := timePartRange(part)
	return n, err == nil && n >= lo && n <= hi
}

// timePartOf returns the number a time modifier takes from a field value
// written in RFC 3339, in the value's own offset, and false when the
// value is not such a time.
func timePartOf(part modifier, v string) (int, bool) {
	if !looksLikeTime(v) {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return 0, false
	}
	switch part {
	case modMinute:
		return t.Minute(), true
	case modHour:
		return t.Hour(), true
	case modDay:
		return t.Day(), true
	case modWeek:
		_, w := t.ISOWeek()
		return w, true
	case modMonth:
		return int(t.Month()), true
	}
	return t.Year(), true
}

// looksLikeTime is a cheap check that spares time.Parse, which allocates
// its error, from values that cannot be RFC 3339 times.
func looksLikeTime(v string) bool {
	return len(v) >= 20 && len(v) <= 40 && v[4] == '-' && v[7] == '-' && (v[10] == 'T' || v[10] == 't') && v[13] == ':'
}
