package policy

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

func (c *checker) businessHours(n *yaml.Node, p *Policy) {
	const path = "business_hours"
	errs := c.errors
	m := c.keys(n, path, "timezone", "days", "start", "end", "ranges", "per_day")
	if m == nil {
		return
	}
	s := schedule{loc: time.UTC}
	if c.need(m, n, path, "timezone") {
		if loc, ok := c.location(m["timezone"], path+".timezone"); ok {
			s.loc = loc
		}
	}
	spans, hasHours := c.commonHours(m, n, path)
	switch {
	case m["days"] != nil && !hasHours:
		c.errorf(m["days"], path+".days", "days need hours: give start and end, or ranges")
	case m["days"] == nil && hasHours:
		c.errorf(n, path, "hours need days: add days, such as [mon, tue, wed, thu, fri]")
	}
	if v := m["days"]; v != nil {
		days, _ := c.days(v, path+".days")
		for d := range s.week {
			if days.has(time.Weekday(d)) {
				s.week[d] = spans
			}
		}
	}
	if v := m["per_day"]; v != nil {
		c.perDay(v, path+".per_day", &s)
	}
	if s.empty() && c.errors == errs {
		c.warnf(n, path, "no day has business hours, so every activity counts as outside business hours")
	}
	p.hours = s
}

// commonHours reads the hours shared by all listed days: start and end, or
// ranges. present says whether any of those keys was given.
func (c *checker) commonHours(m map[string]*yaml.Node, n *yaml.Node, path string) (spans []span, present bool) {
	start, end, ranges := m["start"], m["end"], m["ranges"]
	switch {
	case ranges != nil && (start != nil || end != nil):
		c.errorf(ranges, path+".ranges", "give either start and end, or ranges, not both")
		return nil, true
	case ranges != nil:
		return c.ranges(ranges, path+".ranges"), true
	case start == nil && end == nil:
		return nil, false
	case start == nil:
		c.errorf(n, path, "end needs a start")
		return nil, true
	case end == nil:
		c.errorf(n, path, "start needs an end")
		return nil, true
	}
	if sp, ok := c.span(start, end, path); ok {
		spans = []span{sp}
	}
	return spans, true
}

// ranges reads a list of {start, end} ranges of business hours.
func (c *checker) ranges(n *yaml.Node, path string) []span {
	items, _ := c.list(n, path)
	spans := make([]span, 0, len(items))
	for i, item := range items {
		ip := index(path, i)
		m := c.keys(item, ip, "start", "end")
		if m == nil {
			continue
		}
		hasStart, hasEnd := c.need(m, item, ip, "start"), c.need(m, item, ip, "end")
		if !hasStart || !hasEnd {
			continue
		}
		if sp, ok := c.span(m["start"], m["end"], ip); ok {
			spans = append(spans, sp)
		}
	}
	return spans
}

// span reads one range of business hours, which must end after it starts
// on the same day.
func (c *checker) span(start, end *yaml.Node, path string) (span, bool) {
	from, okFrom := c.clock(start, path+".start", false)
	to, okTo := c.clock(end, path+".end", true)
	if !okFrom || !okTo {
		return span{}, false
	}
	if to <= from {
		c.errorf(end, path+".end", "end %s is not after start %s; business hours cannot run past midnight (end a day at 24:00 and start the next at 00:00)", to, from)
		return span{}, false
	}
	return span{start: from, end: to}, true
}

func (c *checker) clock(n *yaml.Node, path string, canEndDay bool) (minute, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return 0, false
	}
	m, err := parseClock(s)
	if err != nil {
		c.errorf(n, path, "%v", err)
		return 0, false
	}
	if m == endOfDay && !canEndDay {
		c.errorf(n, path, "24:00 can only end a range; start at 00:00 instead")
		return 0, false
	}
	return m, true
}

// perDay reads hours for single days, which replace the common hours on
// those days. An empty list closes the day.
func (c *checker) perDay(n *yaml.Node, path string, s *schedule) {
	m := c.keys(n, path, dayNames[:]...)
	for d, name := range dayNames {
		if v := m[name]; v != nil {
			s.week[d] = c.ranges(v, join(path, name))
		}
	}
}

// days reads a list of days of the week; ok is false when an error was
// reported.
func (c *checker) days(n *yaml.Node, path string) (w weekdays, ok bool) {
	errs := c.errors
	items, _ := c.list(n, path)
	for i, item := range items {
		ip := index(path, i)
		s, ok := c.str(item, ip)
		if !ok {
			continue
		}
		d, ok := parseDay(s)
		if !ok {
			c.errorf(item, ip, "unknown day %q: use mon, tue, wed, thu, fri, sat or sun%s", s, didYouMean(s, dayNames[:]))
			continue
		}
		if w[d] {
			c.warnf(item, ip, "%s is listed twice", s)
		}
		w[d] = true
	}
	return w, c.errors == errs
}

func (c *checker) location(n *yaml.Node, path string) (*time.Location, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return nil, false
	}
	if s == "Local" {
		c.errorf(n, path, "\"Local\" depends on the machine running appwatch; name an IANA zone such as Europe/Rome")
		return nil, false
	}
	loc, err := c.loadZone(s)
	if err != nil {
		c.errorf(n, path, "unknown time zone %q: want an IANA zone name such as Europe/Rome, America/New_York or UTC", s)
		return nil, false
	}
	if strings.HasPrefix(s, "Etc/GMT") && len(s) > len("Etc/GMT") {
		off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Format("-07:00")
		c.warnf(n, path, "%s means UTC%s, as the sign of Etc/GMT zones is reversed; a named zone such as Europe/Rome avoids the confusion", s, off)
	}
	return loc, true
}

// loadZone loads a time zone once per file.
func (c *checker) loadZone(name string) (*time.Location, error) {
	if loc, ok := c.zones[name]; ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("load time zone: %w", err)
	}
	if c.zones == nil {
		c.zones = make(map[string]*time.Location)
	}
	c.zones[name] = loc
	return loc, nil
}

func (c *checker) holidays(n *yaml.Node, p *Policy) {
	const path = "holidays"
	items, _ := c.list(n, path)
	for i, item := range items {
		ip := index(path, i)
		dateNode := item
		if r := resolve(item); r.Kind == yaml.MappingNode {
			m := c.keys(r, ip, "date", "name")
			if v := m["name"]; v != nil {
				c.str(v, ip+".name") // checked; the name is for people only
			}
			if !c.need(m, r, ip, "date") {
				continue
			}
			dateNode, ip = m["date"], ip+".date"
		}
		d, ok := c.date(dateNode, ip)
		if !ok {
			continue
		}
		if p.holidays[dateOf(d)] {
			c.warnf(dateNode, ip, "%s is listed twice", d.Format(dateLayout))
		}
		p.holidays[dateOf(d)] = true
	}
}

// date reads a calendar date, YYYY-MM-DD, as midnight UTC.
func (c *checker) date(n *yaml.Node, path string) (time.Time, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return time.Time{}, false
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		c.errorf(n, path, "bad date %q: want YYYY-MM-DD, such as 2025-12-25", s)
		return time.Time{}, false
	}
	return d, true
}
