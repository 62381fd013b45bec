package policy

import (
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/guide"
)

// DefaultFirstSeenWindow is how long first-seen suppression stays quiet
// about the same rule, application and actor when the policy says
// nothing.
const DefaultFirstSeenWindow = 24 * time.Hour

// maxDeliveryDuration bounds the durations of the delivery section.
const maxDeliveryDuration = 7 * day

// GroupLabels lists what chat sinks may group alerts by; notify's list
// is the same (a test there keeps them equal).
func GroupLabels() []string { return []string{"app", "row", "rule", "actor", "level", "tenant"} }

// Grouping is how chat sinks group alerts when their own options do not
// say: Alertmanager's group_by, group_wait, group_interval and
// repeat_interval.
type Grouping struct {
	By                     []string
	Wait, Interval, Repeat time.Duration
}

// delivery is the delivery section of a policy.
type delivery struct {
	grouping  *Grouping
	quiet     time.Duration
	quietRows []string // nil: the rows the guide calls medium risk
	sinks     []Sink
}

// Sink is a sink of the policy's delivery.sinks, written as watch's
// --sink takes it; package notify reads it.
type Sink struct {
	Spec string
	Line int // its line in the policy file
}

// Sinks returns the sinks the policy adds to watch's --sink.
func (p *Policy) Sinks() []Sink { return slices.Clone(p.delivery.sinks) }

// defaultQuietRows are the rows first-seen suppression applies to when
// the policy does not list them: those the guide calls medium risk.
func defaultQuietRows() []string {
	var out []string
	for _, r := range guide.Rows() {
		if r.Risk == "medium" {
			out = append(out, r.Key)
		}
	}
	return out
}

// Grouping returns how chat sinks group alerts, or nil when the policy
// leaves it to them.
func (p *Policy) Grouping() *Grouping {
	if p.delivery.grouping == nil {
		return nil
	}
	g := *p.delivery.grouping
	g.By = slices.Clone(g.By)
	return &g
}

// FirstSeen returns how long, around an alert of the guide row, another
// of the same rule, application and actor makes it redundant: it is
// stored suppressed and not delivered. Zero means never.
func (p *Policy) FirstSeen(row string) time.Duration {
	rows := p.delivery.quietRows
	if rows == nil {
		rows = defaultQuietRows()
	}
	if !slices.Contains(rows, row) {
		return 0
	}
	return p.delivery.quiet
}

// deliverySection reads:
//
//	delivery:
//	  grouping: {by: [app, row], wait: 30s, interval: 5m, repeat: 4h}
//	  first_seen: {window: 24h, guide_rows: [...]}
//	  sinks: [webhook:URL, ...]
func (c *checker) deliverySection(n *yaml.Node, p *Policy) {
	const path = "delivery"
	m := c.keys(n, path, "grouping", "first_seen", "sinks")
	if v := m["sinks"]; v != nil {
		if items, ok := c.list(v, path+".sinks"); ok {
			for i, item := range items {
				if spec, ok := c.str(item, index(path+".sinks", i)); ok {
					p.delivery.sinks = append(p.delivery.sinks, Sink{Spec: spec, Line: resolve(item).Line})
				}
			}
		}
	}
	if v := m["grouping"]; v != nil {
		c.grouping(v, path+".grouping", p)
	}
	if v := m["first_seen"]; v != nil {
		c.firstSeen(v, path+".first_seen", p)
	}
}

func (c *checker) grouping(n *yaml.Node, path string, p *Policy) {
	m := c.keys(n, path, "by", "wait", "interval", "repeat")
	if m == nil {
		return
	}
	g := &Grouping{By: []string{"app", "row"}, Wait: 30 * time.Second, Interval: 5 * time.Minute}
	if v := m["by"]; v != nil {
		g.By = nil
		for i, l := range c.strList(v, path+".by") {
			if !slices.Contains(GroupLabels(), l) {
				c.errorf(resolve(v), index(path+".by", i), "unknown label %q: use %s%s", l, strings.Join(GroupLabels(), ", "), didYouMean(l, GroupLabels()))
				continue
			}
			g.By = append(g.By, l)
		}
	}
	for key, d := range map[string]*time.Duration{"wait": &g.Wait, "interval": &g.Interval, "repeat": &g.Repeat} {
		if v := m[key]; v != nil {
			if got, ok := c.duration(v, path+"."+key); ok {
				*d = got
			}
		}
	}
	p.delivery.grouping = g
}

func (c *checker) firstSeen(n *yaml.Node, path string, p *Policy) {
	m := c.keys(n, path, "window", "guide_rows")
	if v := m["window"]; v != nil {
		if d, ok := c.duration(v, path+".window"); ok {
			p.delivery.quiet = d
		}
	}
	if v := m["guide_rows"]; v != nil {
		rows := c.strList(v, path+".guide_rows")
		for i, r := range rows {
			c.guideRow(v, index(path+".guide_rows", i), r)
		}
		p.delivery.quietRows = append([]string{}, rows...)
	}
}

// duration reads a Go duration (30s, 5m, 4h) from 0 to a week.
func (c *checker) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > maxDeliveryDuration {
		c.errorf(n, path, "bad duration %q: want one from 0 to 168h, such as 30s, 5m or 4h", s)
		return 0, false
	}
	return d, true
}
