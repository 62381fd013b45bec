package policy

import (
	"fmt"
	"strconv"
	"time"
)

// minute is a wall-clock time of day in minutes after midnight, from 0
// (00:00) to 1440 (24:00, the end of the day).
type minute int

const endOfDay minute = 24 * 60

// parseClock reads a time of day written "HH:MM" on the 24-hour clock.
// "24:00" is accepted; callers decide whether it may be used.
func parseClock(s string) (minute, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("bad time %q: want HH:MM on the 24-hour clock, like 08:00 or 17:30", s)
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	switch {
	case h == 24 && m == 0:
		return endOfDay, nil
	case h > 23 || m > 59:
		return 0, fmt.Errorf("bad time %q: hours go from 00 to 23 and minutes from 00 to 59 (24:00 marks the end of a day)", s)
	}
	return minute(h*60 + m), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// String writes m as HH:MM.
func (m minute) String() string {
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// minuteOf returns the wall-clock time of day of t in its own location.
func minuteOf(t time.Time) minute {
	return minute(t.Hour()*60 + t.Minute())
}

// dayNames are the names a policy uses for the days of the week, indexed
// by time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func parseDay(s string) (time.Weekday, bool) {
	for d, name := range dayNames {
		if s == name {
			return time.Weekday(d), true
		}
	}
	return 0, false
}

// weekdays is a set of days of the week.
type weekdays [7]bool

func (w weekdays) has(d time.Weekday) bool { return w[d] }

// span is a half-open range of the day, [start, end).
type span struct {
	start, end minute
}

func (s span) contains(m minute) bool {
	return s.start <= m && m < s.end
}

// schedule holds business hours: for each day of the week, the ranges of
// wall-clock time in loc that count as working time.
type schedule struct {
	loc  *time.Location
	week [7][]span
}

// defaultSchedule is Monday to Friday, 08:00 to 18:00 UTC.
func defaultSchedule() schedule {
	s := schedule{loc: time.UTC}
	for d := time.Monday; d <= time.Friday; d++ {
		s.week[d] = []span{{start: 8 * 60, end: 18 * 60}}
	}
	return s
}

// contains reports whether t falls in one of the day's ranges. Times are
// compared on the wall clock of the schedule's zone, so a range keeps its
// local meaning across daylight-saving changes.
func (s schedule) contains(t time.Time) bool {
	lt := t.In(s.loc)
	m := minuteOf(lt)
	for _, sp := range s.week[lt.Weekday()] {
		if sp.contains(m) {
			return true
		}
	}
	return false
}

// empty reports whether no day has any working time.
func (s schedule) empty() bool {
	for _, spans := range s.week {
		if len(spans) > 0 {
			return false
		}
	}
	return true
}

// dateLayout is how a policy writes calendar dates.
const dateLayout = "2006-01-02"

// date is a calendar day.
type date struct {
	year  int
	month time.Month
	day   int
}

// dateOf returns the calendar day of t in its own location.
func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

// window is an approved change window: either one-off, from a fixed
// instant to another, or recurring on some days of the week between two
// wall-clock times of a zone.
type window struct {
	name string

	from, to time.Time // one-off windows

	recurring  bool
	loc        *time.Location
	days       weekdays
	start, end minute // end <= start means the window runs past midnight
}

// contains reports whether t is inside the window.
func (w window) contains(t time.Time) bool {
	if !w.recurring {
		return !t.Before(w.from) && t.Before(w.to)
	}
	lt := t.In(w.loc)
	m, d := minuteOf(lt), lt.Weekday()
	if w.start < w.end {
		return w.days.has(d) && w.start <= m && m < w.end
	}
	yesterday := (d + 6) % 7
	return (w.days.has(d) && m >= w.start) || (w.days.has(yesterday) && m < w.end)
}
