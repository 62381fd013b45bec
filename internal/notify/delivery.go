package notify

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// Delivery is how an outbox sends to one sink. Each kind has defaults
// (see defaultDelivery); the options rate=, concurrency= and, on the chat
// kinds, group-by=, group-wait=, group-interval= and repeat-interval=
// change them.
type Delivery struct {
	// Rate is the most messages a second the sink takes, 0 for no limit.
	Rate float64
	// Concurrency is how many messages may be on their way at once.
	Concurrency int
	// Batch is how many alerts one Send carries at most: 1 for the kinds
	// that send one request per alert anyway.
	Batch int
	// Group, when set, lists the alerts of a group in one message.
	Group *Grouping
}

// Grouping is Alertmanager's grouping, for the chat sinks: alerts that
// share the values of By make one group, whose first message waits Wait
// for more alerts to join it, whose next ones go at most every Interval
// while alerts keep coming, and which is sent again after Repeat while
// its alerts are still open (never when Repeat is 0).
type Grouping struct {
	By                     []string
	Wait, Interval, Repeat time.Duration
}

// GroupLabels lists what alerts may be grouped by.
func GroupLabels() []string { return []string{"app", "row", "rule", "actor", "level", "tenant"} }

// Defaults of grouping.
const (
	DefaultGroupWait     = 30 * time.Second
	DefaultGroupInterval = 5 * time.Minute
)

// groupOptions are the options of the kinds that group.
var groupOptions = []string{"group-by", "group-wait", "group-interval", "repeat-interval"}

// maxConcurrency bounds concurrency=.
const maxConcurrency = 64

// defaultDelivery is how kind is sent to unless options say otherwise:
// chat sinks one message a second, grouped by application and guide row;
// HTTP receivers that take any rate four requests at once; syslog and
// files in order, in batches; Splunk and Sentinel in batches, two at once.
func defaultDelivery(kind string) Delivery {
	switch kind {
	case KindTeams, KindSlack:
		return Delivery{Rate: 1, Concurrency: 1, Batch: 1,
			Group: &Grouping{By: []string{"app", "row"}, Wait: DefaultGroupWait, Interval: DefaultGroupInterval}}
	case KindWebhook:
		return Delivery{Concurrency: 4, Batch: 1}
	case KindSplunk, KindSentinel:
		return Delivery{Concurrency: 2, Batch: 100}
	}
	return Delivery{Concurrency: 1, Batch: 100}
}

// set applies one of the delivery options.
func (d *Delivery) set(k, v string) error {
	switch k {
	case "rate":
		r, err := parseRate(v)
		if err != nil {
			return err
		}
		d.Rate = r
	case "concurrency":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxConcurrency {
			return i18n.Errorf("%q is not a whole number from 1 to %d", v, maxConcurrency)
		}
		d.Concurrency = n
	case "group-by":
		if v == "none" {
			d.Group = nil
			return nil
		}
		var by []string
		for _, l := range strings.Split(v, ",") {
			if l = strings.TrimSpace(l); !slices.Contains(GroupLabels(), l) {
				return i18n.Errorf("%q is not one of %s, or none", l, strings.Join(GroupLabels(), ", "))
			}
			by = append(by, l)
		}
		d.grouping().By = by
	case "group-wait", "group-interval", "repeat-interval":
		dur, err := time.ParseDuration(v)
		if err != nil || dur < 0 || dur > 7*24*time.Hour {
			return i18n.Errorf("%q is not a duration from 0 to 168h", v)
		}
		g := d.grouping()
		switch k {
		case "group-wait":
			g.Wait = dur
		case "group-interval":
			g.Interval = dur
		default:
			g.Repeat = dur
		}
	}
	return nil
}

// GroupByDefault makes g the grouping of a chat sink whose spec set no
// group option (the tenant policy's); other sinks keep theirs.
func (c *Config) GroupByDefault(g Grouping) {
	if c.grouped || c.Delivery.Group == nil {
		return
	}
	g.By = slices.Clone(g.By)
	c.Delivery.Group = &g
}

// grouping returns d's grouping, making one by app and row if grouping
// was turned off by an earlier option.
func (d *Delivery) grouping() *Grouping {
	if d.Group == nil {
		d.Group = &Grouping{By: []string{"app", "row"}, Wait: DefaultGroupWait, Interval: DefaultGroupInterval}
	}
	return d.Group
}

// parseRate reads a rate: messages a second (0.5, 2), or N/s, N/m, N/h.
func parseRate(v string) (float64, error) {
	num, unit, _ := strings.Cut(v, "/")
	r, err := strconv.ParseFloat(num, 64)
	per := map[string]float64{"": 1, "s": 1, "m": 60, "h": 3600}[unit]
	if err != nil || per == 0 || r < 0 || r > 10000 {
		return 0, i18n.Errorf("write a rate as messages a second (2, 0.5) or N/s, N/m, N/h; 0 for no limit")
	}
	return r / per, nil
}

// Interval is the time between two messages the rate allows, 0 for no
// limit.
func (d Delivery) Interval() time.Duration {
	if d.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / d.Rate)
}

// Key is the group a of alert joins: the values of g.By, written
// label=value and joined by &.
func (g *Grouping) Key(a *alert.Alert) string {
	parts := make([]string, len(g.By))
	for i, l := range g.By {
		var v string
		switch l {
		case "app":
			v = cmp.Or(a.Target.AppID, a.Target.ID, a.Target.Name)
		case "row":
			v = a.GuideRow
		case "rule":
			v = a.RuleID
		case "actor":
			v = cmp.Or(a.Actor.ID, a.Actor.UPN, a.Actor.Name)
		case "level":
			v = a.Level
		case "tenant":
			v = a.TenantID
		}
		parts[i] = l + "=" + v
	}
	return strings.Join(parts, "&")
}

// Delivery returns how the sink is sent to. Grouping is left out for a
// sink whose kind cannot group.
func (s *Sink) Delivery() Delivery {
	d := s.cfg.Delivery
	if d.Concurrency < 1 {
		d.Concurrency = 1
	}
	if d.Batch < 1 {
		d.Batch = 1
	}
	if !s.Groups() {
		d.Group = nil
	}
	return d
}

// Timeout is how long one attempt to send to the sink may take.
func (s *Sink) Timeout() time.Duration { return s.timeout }
