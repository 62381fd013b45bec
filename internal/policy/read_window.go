package policy

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

func (c *checker) changeWindows(n *yaml.Node, p *Policy) {
	const path = "change_windows"
	items, _ := c.list(n, path)
	seen := make(map[string]int)
	for i, item := range items {
		ip := index(path, i)
		m := c.keys(item, ip, "name", "start", "end", "days", "timezone")
		if m == nil {
			continue
		}
		w, ok := c.window(m, resolve(item), ip, p.hours.loc)
		if !ok {
			continue
		}
		if line, dup := seen[w.name]; dup {
			c.errorf(m["name"], ip+".name", "another window is already named %q (line %d)", w.name, line)
			continue
		}
		seen[w.name] = m["name"].Line
		p.windows = append(p.windows, w)
	}
}

// window reads one change window. Windows with days recur every week;
// windows without are one-off.
func (c *checker) window(m map[string]*yaml.Node, n *yaml.Node, path string, loc *time.Location) (window, bool) {
	var w window
	var okName bool
	if c.need(m, n, path, "name") {
		w.name, okName = c.str(m["name"], path+".name")
	}
	hasStart, hasEnd := c.need(m, n, path, "start"), c.need(m, n, path, "end")
	if !hasStart || !hasEnd {
		return w, false
	}
	if m["days"] == nil && !isClock(m["start"]) {
		return w, c.oneOff(m, path, &w) && okName
	}
	if !c.need(m, n, path, "days") {
		return w, false
	}
	return w, c.recurring(m, path, loc, &w) && okName
}

// isClock reports whether n is a time of day, which marks a recurring
// window even when its days are missing.
func isClock(n *yaml.Node) bool {
	r := resolve(n)
	if !isString(r) {
		return false
	}
	_, err := parseClock(strings.TrimSpace(r.Value))
	return err == nil
}

func (c *checker) oneOff(m map[string]*yaml.Node, path string, w *window) bool {
	if tz := m["timezone"]; tz != nil {
		c.errorf(tz, path+".timezone", "only recurring windows (with days) take a time zone; the start and end of a one-off window carry their own UTC offset")
	}
	from, okFrom := c.instant(m["start"], path+".start")
	to, okTo := c.instant(m["end"], path+".end")
	if !okFrom || !okTo {
		return false
	}
	if !to.After(from) {
		c.errorf(m["end"], path+".end", "end %s is not after start %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
		return false
	}
	w.from, w.to = from, to
	return m["timezone"] == nil
}

// instant reads an RFC 3339 time with its UTC offset.
func (c *checker) instant(n *yaml.Node, path string) (time.Time, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		hint := ""
		if _, clockErr := parseClock(s); clockErr == nil {
			hint = "; for a window that recurs every week at this time, add days"
		}
		c.errorf(n, path, "bad time %q: a one-off window needs a full RFC 3339 time with offset, such as 2025-06-14T22:00:00+02:00%s", s, hint)
		return time.Time{}, false
	}
	return t, true
}

func (c *checker) recurring(m map[string]*yaml.Node, path string, loc *time.Location, w *window) bool {
	w.recurring, w.loc = true, loc
	ok := true
	if tz := m["timezone"]; tz != nil {
		w.loc, ok = c.location(tz, path+".timezone")
	}
	days, okDays := c.days(m["days"], path+".days")
	if okDays && days == (weekdays{}) {
		c.errorf(m["days"], path+".days", "a recurring window needs at least one day")
	}
	w.days = days
	ok = ok && okDays && days != (weekdays{})
	var okStart, okEnd bool
	w.start, okStart = c.windowClock(m["start"], path+".start", false)
	w.end, okEnd = c.windowClock(m["end"], path+".end", true)
	if okStart && okEnd && w.start == w.end {
		c.errorf(m["end"], path+".end", "start and end are both %s; for a whole day, use 00:00 to 24:00", w.start)
		return false
	}
	return ok && okStart && okEnd
}

// windowClock reads the time of day of a recurring window, pointing to
// one-off windows when it finds a full date and time instead.
func (c *checker) windowClock(n *yaml.Node, path string, canEndDay bool) (minute, bool) {
	if r := resolve(n); isString(r) {
		if _, err := time.Parse(time.RFC3339, strings.TrimSpace(r.Value)); err == nil {
			c.errorf(n, path, "a window with days recurs and takes a time of day (HH:MM); for a one-off window, leave out days")
			return 0, false
		}
	}
	return c.clock(n, path, canEndDay)
}
