package policy

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/uricheck"
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
	{"expected_changes", (*checker).expectedChanges},
	{"placeholders", (*checker).placeholders},
	{"delivery", (*checker).deliverySection},
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
			if uricheck.IsGUID(s) {
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
		c.ruleRef(v, path+".rule", s.Rule)
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
	okExpiry := false
	if c.need(m, n, path, "expires") {
		v := m["expires"]
		s.Expires, okExpiry = c.expiry(v, path+".expires", loc)
		s.expiresLine, s.expiresColumn = v.Line, v.Column
	}
	ok = ok && okExpiry
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

// guideRow warns about a row key that is not one of the guide's but looks
// like a misspelt one. Rules beyond the guide use keys of their own, so an
// unknown key alone is not a problem.
func (c *checker) guideRow(n *yaml.Node, path, key string) {
	if key == "" || guide.IsRow(key) || strings.ContainsAny(key, "*?") {
		return
	}
	rows := guide.Rows()
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.Key
	}
	if s := suggest(key, keys); s != "" {
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
		} else {
			c.ruleRef(e.key, kp, key)
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

// ruleRef records a rule id the policy names, for RuleRefs.
func (c *checker) ruleRef(n *yaml.Node, path, id string) {
	if strings.TrimSpace(id) == "" {
		return
	}
	r := resolve(n)
	c.refs = append(c.refs, RuleRef{ID: id, Pattern: strings.ContainsAny(id, "*?"), Line: r.Line, Column: r.Column, Path: path})
}

// expectedChanges reads how alerts of approved actors inside change windows
// are graded:
//
//	expected_changes:
//	  level: low        # the level they get; "unchanged" keeps theirs
//	  up_to: high       # only alerts at or below this level are lowered
func (c *checker) expectedChanges(n *yaml.Node, p *Policy) {
	const path = "expected_changes"
	m := c.keys(n, path, "level", "up_to")
	if v := m["level"]; v != nil {
		if s, ok := c.str(v, path+".level"); ok && s == "unchanged" {
			p.expected.level = ""
		} else if l, ok := c.levelOrUnchanged(v, path+".level"); ok {
			p.expected.level = l
		}
	}
	if v := m["up_to"]; v != nil {
		if l, ok := c.level(v, path+".up_to"); ok {
			p.expected.upTo = l
		}
	}
	if e := p.expected; e.level != "" && rank(e.upTo) <= rank(e.level) {
		c.warnf(n, path, "up_to %s is not above level %s, so no alert is lowered", e.upTo, e.level)
	}
}

// levelOrUnchanged reads a level, saying that "unchanged" is allowed too
// when it is neither.
func (c *checker) levelOrUnchanged(n *yaml.Node, path string) (string, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(levels, s) {
		c.errorf(n, path, "unknown level %q: use informational, low, medium, high, critical or unchanged%s", s, didYouMean(s, append(slices.Clone(levels), "unchanged")))
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
