package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// section reads one top-level section of the policy into p.
type section struct {
	key  string
	read func(c *checker, n *yaml.Node, p *Policy)
}

// sections lists the top-level sections in the order they are read:
// business_hours comes before the sections whose dates and times default to
// its time zone.
var sections = []section{
	{"tenant", (*checker).tenant},
	{"business_hours", (*checker).businessHours},
	{"holidays", (*checker).holidays},
	{"change_windows", (*checker).changeWindows},
	{"approved", (*checker).approved},
	{"owned_domains", (*checker).ownedDomains},
	{"credentials", (*checker).credentials},
	{"suppressions", (*checker).suppressions},
	{"severity", (*checker).severity},
	{"placeholders", (*checker).placeholders},
}

// policy reads the whole document.
func (c *checker) policy(root *yaml.Node) *Policy {
	p := Default()
	names := []string{"version"}
	for _, s := range sections {
		names = append(names, s.key)
	}
	m := c.keys(root, "", names...)
	if m == nil {
		return p
	}
	c.version(m["version"], root)
	for _, s := range sections {
		if n := m[s.key]; n != nil {
			s.read(c, n, p)
		}
	}
	return p
}

func (c *checker) version(n, root *yaml.Node) {
	if n == nil {
		c.errorf(root, "", "missing \"version: 1\"")
		return
	}
	r := resolve(n)
	var v int
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!int" || r.Decode(&v) != nil {
		c.errorf(n, "version", "want the number 1, got %s", describe(r))
		return
	}
	if v != 1 {
		c.errorf(n, "version", "version %d is not supported; this appwatch reads version 1", v)
	}
}

func (c *checker) tenant(n *yaml.Node, p *Policy) {
	m := c.keys(n, "tenant", "id", "name")
	if v := m["id"]; v != nil {
		if s, ok := c.str(v, "tenant.id"); ok {
			if isGUID(s) {
				p.tenant.ID = strings.ToLower(s)
			} else {
				c.errorf(v, "tenant.id", "want the tenant id, a GUID (8-4-4-4-12 hex digits), got %q", s)
			}
		}
	}
	if v := m["name"]; v != nil {
		p.tenant.Name, _ = c.str(v, "tenant.name")
	}
}

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
		dateNode, name := item, ""
		if r := resolve(item); r.Kind == yaml.MappingNode {
			m := c.keys(r, ip, "date", "name")
			if v := m["name"]; v != nil {
				name, _ = c.str(v, ip+".name")
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
		key := d.Format(dateLayout)
		if _, dup := p.holidays[key]; dup {
			c.warnf(dateNode, ip, "%s is listed twice", key)
		}
		p.holidays[key] = name
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

func (c *checker) approved(n *yaml.Node, p *Policy) {
	m := c.keys(n, "approved", "actors", "apps")
	if v := m["actors"]; v != nil {
		p.actorList = c.strList(v, "approved.actors")
		p.actors = newIDSet(p.actorList)
	}
	if v := m["apps"]; v != nil {
		p.appList = c.strList(v, "approved.apps")
		p.apps = newIDSet(p.appList)
	}
}

func (c *checker) ownedDomains(n *yaml.Node, p *Policy) {
	const path = "owned_domains"
	items, ok := c.list(n, path)
	if ok && len(items) == 0 {
		c.warnf(n, path, "the list is empty, which counts as not configured")
	}
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		ip := index(path, i)
		s, ok := c.str(item, ip)
		if !ok {
			continue
		}
		d := strings.TrimSuffix(strings.ToLower(s), ".")
		if msg := checkDomain(d); msg != "" {
			c.errorf(item, ip, "%q: %s", s, msg)
			continue
		}
		if !seen[d] {
			seen[d] = true
			p.domains = append(p.domains, d)
		}
	}
}

func (c *checker) credentials(n *yaml.Node, p *Policy) {
	const path = "credentials"
	m := c.keys(n, path, "max_secret_lifetime", "max_certificate_lifetime")
	if v := m["max_secret_lifetime"]; v != nil {
		if d, ok := c.lifetime(v, path+".max_secret_lifetime"); ok {
			p.secretMax = d
		}
	}
	if v := m["max_certificate_lifetime"]; v != nil {
		if d, ok := c.lifetime(v, path+".max_certificate_lifetime"); ok {
			p.certMax = d
		}
	}
}

func (c *checker) lifetime(n *yaml.Node, path string) (time.Duration, bool) {
	if r := resolve(n); !isString(r) {
		c.errorf(n, path, "want a duration with a unit, such as 180d, 26w or 4320h, got %s", describe(r))
		return 0, false
	}
	s, ok := c.str(n, path)
	if !ok {
		return 0, false
	}
	d, err := parseLifetime(s)
	if err != nil {
		c.errorf(n, path, "%v", err)
		return 0, false
	}
	return d, true
}

func (c *checker) suppressions(n *yaml.Node, p *Policy) {
	const path = "suppressions"
	items, _ := c.list(n, path)
	for i, item := range items {
		ip := index(path, i)
		m := c.keys(item, ip, "rule", "guide_row", "actor", "target", "app_id", "reason", "expires")
		if m == nil {
			continue
		}
		if s, ok := c.suppression(m, resolve(item), ip, p.hours.loc); ok {
			p.suppressions = append(p.suppressions, s)
		}
	}
}

func (c *checker) suppression(m map[string]*yaml.Node, n *yaml.Node, path string, loc *time.Location) (Suppression, bool) {
	s := Suppression{Line: n.Line}
	ok := true
	if m["rule"] == nil && m["guide_row"] == nil {
		c.errorf(n, path, "say which alerts to silence: give rule, guide_row or both")
		ok = false
	}
	if v := m["rule"]; v != nil {
		s.Rule, _ = c.str(v, path+".rule")
	}
	if v := m["guide_row"]; v != nil {
		s.GuideRow, _ = c.str(v, path+".guide_row")
		c.guideRow(v, path+".guide_row", s.GuideRow)
	}
	if v := m["actor"]; v != nil {
		s.Actor = c.patterns(v, path+".actor")
	}
	if v := m["target"]; v != nil {
		s.Target = c.patterns(v, path+".target")
	}
	if v := m["app_id"]; v != nil {
		s.AppID = c.patterns(v, path+".app_id")
	}
	if c.need(m, n, path, "reason") {
		s.Reason, _ = c.str(m["reason"], path+".reason")
	}
	if c.need(m, n, path, "expires") {
		v := m["expires"]
		s.Expires, _ = c.expiry(v, path+".expires", loc)
		s.expiresLine, s.expiresColumn = v.Line, v.Column
	} else {
		ok = false
	}
	if ok && s.silencesAll() {
		c.warnf(n, path, "this suppression silences every alert")
	}
	return s, ok
}

// expiry reads the end of a suppression: a date, meaning the start of that
// day in loc, or an RFC 3339 time.
func (c *checker) expiry(n *yaml.Node, path string, loc *time.Location) (time.Time, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return time.Time{}, false
	}
	if d, err := time.Parse(dateLayout, s); err == nil {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	c.errorf(n, path, "bad expiry %q: want a date (YYYY-MM-DD) or an RFC 3339 time", s)
	return time.Time{}, false
}

// guideRows are the row keys of guide-rows.yaml. Alerts of rules beyond the
// guide use keys of their own, so an unknown key is only worth a warning
// when it looks like a misspelt known one.
var guideRows = []string{
	"credential-added", "credential-lifetime", "sp-role-assigned", "privileged-app-permission",
	"admin-consent-privileged", "sensitive-api-permission", "other-api-app-role",
	"tenant-wide-delegated-grant", "keyvault-access", "user-consent", "risky-consent-blocked",
	"ropc-signin", "device-code-signin", "dangling-uri", "redirect-uri-change",
	"appid-uri-change", "owner-added", "logout-url-change", "outside-change-window",
}

func (c *checker) guideRow(n *yaml.Node, path, key string) {
	if key == "" || slices.Contains(guideRows, key) || strings.ContainsAny(key, "*?") {
		return
	}
	if s := suggest(key, guideRows); s != "" {
		c.warnf(n, path, "%q is not a row of the guide (did you mean %q?)", key, s)
	}
}

// Levels are the alert levels, lowest first.
var levels = []string{"informational", "low", "medium", "high", "critical"}

func (c *checker) severity(n *yaml.Node, p *Policy) {
	const path = "severity"
	m := c.keys(n, path, "rules", "guide_rows")
	if v := m["rules"]; v != nil {
		c.levelMap(v, path+".rules", p.ruleLevels, false)
	}
	if v := m["guide_rows"]; v != nil {
		c.levelMap(v, path+".guide_rows", p.rowLevels, true)
	}
}

func (c *checker) levelMap(n *yaml.Node, path string, out map[string]string, rows bool) {
	pairs, _ := c.entries(n, path)
	for _, e := range pairs {
		key := e.key.Value
		kp := join(path, key)
		if strings.TrimSpace(key) == "" {
			c.errorf(e.key, path, "empty key")
			continue
		}
		if rows {
			c.guideRow(e.key, kp, key)
		}
		if l, ok := c.level(e.value, kp); ok {
			out[key] = l
		}
	}
}

func (c *checker) level(n *yaml.Node, path string) (string, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(levels, s) {
		c.errorf(n, path, "unknown level %q: use informational, low, medium, high or critical%s", s, didYouMean(s, levels))
		return "", false
	}
	return s, true
}

// placeholderName is what a placeholder may be called.
var placeholderName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

func (c *checker) placeholders(n *yaml.Node, p *Policy) {
	const path = "placeholders"
	pairs, _ := c.entries(n, path)
	for _, e := range pairs {
		name := e.key.Value
		if !placeholderName.MatchString(name) {
			c.errorf(e.key, path, "bad name %q: use letters, digits, _, . and -, without the %% signs", name)
			continue
		}
		p.placeholders[name] = c.strList(e.value, join(path, name))
	}
}
