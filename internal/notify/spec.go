package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// The kinds of sink.
const (
	KindWebhook  = "webhook"
	KindTeams    = "teams"
	KindSlack    = "slack"
	KindSyslog   = "syslog"
	KindSplunk   = "splunk"
	KindSentinel = "sentinel"
	KindFile     = "file"
)

// Kinds returns the kinds of sink, in the order the documentation lists
// them.
func Kinds() []string {
	return []string{KindWebhook, KindTeams, KindSlack, KindSyslog, KindSplunk, KindSentinel, KindFile}
}

// envPrefix introduces a target read from an environment variable:
// slack:env:NAME.
const envPrefix = "env:"

// maxTimeout bounds the timeout= option.
const maxTimeout = 5 * time.Minute

// Config is one sink as the operator wrote it. Parse fills it from a
// spec; New checks what depends on the kind and the environment.
type Config struct {
	// Kind is one of Kinds.
	Kind string
	// Target is the receiver's URL, the syslog address (tcp://, udp:// or
	// tls://HOST:PORT) or the file's path; or env:NAME, the environment
	// variable that holds it, for URLs that are secrets themselves (Slack
	// and Teams webhook URLs).
	Target string
	// Name identifies the sink in logs, metrics and the outbox: the name=
	// option, or the spec with everything that could be a secret left out.
	Name string
	// Filter selects the alerts the sink takes.
	Filter Filter
	// Lang is the language of the sink's messages (an i18n tag); empty
	// means Options.Lang.
	Lang string
	// Timeout bounds one delivery attempt; zero means Options.Timeout.
	Timeout time.Duration
	// Delivery is how an outbox sends to the sink: the kind's defaults,
	// changed by the rate=, concurrency= and group options.
	Delivery Delivery
	// grouped says the spec set one of the group options.
	grouped bool
	// Options are the kind's own options, such as secret-env= for a
	// webhook or cef for syslog; an option given without a value is
	// "true".
	Options map[string]string
}

// Filter selects alerts by level and guide row. The zero Filter selects
// every alert.
type Filter struct {
	// MinLevel is the lowest level taken; empty takes every level.
	MinLevel string
	// Rows are the guide rows taken; empty takes every row.
	Rows []string
}

// Match reports whether f selects a.
func (f Filter) Match(a *alert.Alert) bool {
	if f.MinLevel != "" && alert.Rank(a.Level) < alert.Rank(f.MinLevel) {
		return false
	}
	return len(f.Rows) == 0 || slices.Contains(f.Rows, a.GuideRow)
}

// commonOptions are the options every kind takes.
var commonOptions = []string{"name", "min-level", "rows", "lang", "timeout", "rate", "concurrency"}

// kindOptions returns the options a kind takes beyond the common ones.
func kindOptions(kind string) []string {
	switch kind {
	case KindWebhook:
		return []string{"secret-env"}
	case KindSyslog:
		return []string{"cef", "facility", "ca", "max-size"}
	case KindSplunk:
		return []string{"token-env", "index", "source", "sourcetype"}
	case KindTeams, KindSlack:
		return groupOptions
	}
	return nil
}

// Parse reads a sink written KIND:TARGET[#OPTIONS]:
//
//	webhook:https://soc.example.com/hooks/appwatch#secret-env=HOOK_SECRET
//	teams:env:APPWATCH_TEAMS_URL#min-level=high&lang=ja
//	slack:env:APPWATCH_SLACK_URL#rows=credential-added,owner-added
//	syslog:tcp://siem.example.com:514#cef
//	syslog+tls://siem.example.com:6514#ca=/etc/appwatch/siem-ca.pem
//	syslog:udp://127.0.0.1:514
//	splunk:https://splunk.example.com:8088#index=security
//	sentinel:https://DCE.REGION.ingest.monitor.azure.com/dataCollectionRules/dcr-ID/streams/Custom-Appwatch_CL
//	file:/var/log/appwatch/alerts.jsonl
//
// OPTIONS, after the last #, are NAME=VALUE pairs joined by &: name=,
// min-level=, rows= (guide rows, comma-separated), lang= and timeout= for
// every kind, rate= and concurrency= for the outbox, group-by=,
// group-wait=, group-interval= and repeat-interval= for the chat kinds, and
// each kind's own (see docs/delivery.md). Secrets are
// never options: they come from environment variables the options name.
// Parse makes no network request and reads no environment variable.
func Parse(spec string) (Config, error) {
	kind, rest, ok := strings.Cut(spec, ":")
	if kind == "syslog+tls" {
		kind, rest = KindSyslog, "tls:"+rest
	}
	if !ok || kind == "" {
		return Config{}, i18n.Errorf("sink: write KIND:TARGET, KIND one of %s", strings.Join(Kinds(), ", "))
	}
	if !slices.Contains(Kinds(), kind) {
		return Config{}, i18n.Errorf("sink kind %q: not one of %s", kind, strings.Join(Kinds(), ", "))
	}
	target, frag := rest, ""
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		target, frag = rest[:i], rest[i+1:]
	}
	c := Config{Kind: kind, Target: target, Delivery: defaultDelivery(kind)}
	name := defaultName(kind, target)
	if target == "" {
		return Config{}, i18n.Errorf("sink %s: no target after the kind", name)
	}
	opts, err := parseOptions(frag)
	if err != nil {
		return Config{}, i18n.Errorf("sink %s: %w", name, err)
	}
	if err := c.setOptions(opts); err != nil {
		return Config{}, i18n.Errorf("sink %s: %w", name, err)
	}
	if c.Name == "" {
		c.Name = name
	}
	if !strings.HasPrefix(target, envPrefix) {
		if err := checkTarget(kind, target); err != nil {
			return Config{}, i18n.Errorf("sink %s: %w", c.Name, err)
		}
	}
	return c, nil
}

// parseOptions reads NAME=VALUE pairs joined by &, values %-escaped.
func parseOptions(frag string) (map[string]string, error) {
	opts := map[string]string{}
	if frag == "" {
		return opts, nil
	}
	for _, kv := range strings.Split(frag, "&") {
		k, v, hasValue := strings.Cut(kv, "=")
		if k == "" {
			return nil, i18n.Errorf("option %q: no name", kv)
		}
		if !hasValue {
			v = "true"
		}
		v, err := url.QueryUnescape(v)
		if err != nil {
			return nil, i18n.Errorf("option %s: %w", k, err)
		}
		if _, dup := opts[k]; dup {
			return nil, i18n.Errorf("option %s given twice", k)
		}
		opts[k] = v
	}
	return opts, nil
}

// setOptions checks opts against c's kind and keeps them.
func (c *Config) setOptions(opts map[string]string) error {
	allowed := append(slices.Clone(commonOptions), kindOptions(c.Kind)...)
	c.Options = map[string]string{}
	for k, v := range opts {
		switch {
		case k == "secret" || k == "token" || k == "password":
			return i18n.Errorf("option %s: secrets are never written in a sink; put it in an environment variable and name the variable with %s-env=", k, k)
		case !slices.Contains(allowed, k):
			return i18n.Errorf("option %q: a %s sink takes %s", k, c.Kind, strings.Join(allowed, ", "))
		}
		if err := c.setOption(k, v); err != nil {
			return i18n.Errorf("option %s: %w", k, err)
		}
	}
	return nil
}

func (c *Config) setOption(k, v string) error {
	switch k {
	case "name":
		if v == "" || len(v) > 64 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) {
			return i18n.Errorf("a name is 1 to 64 printable ASCII characters without spaces")
		}
		c.Name = v
	case "min-level":
		if !alert.ValidLevel(v) {
			return i18n.Errorf("%q is not one of informational, low, medium, high, critical", v)
		}
		c.Filter.MinLevel = v
	case "rows":
		for _, r := range strings.Split(v, ",") {
			if r = strings.TrimSpace(r); r == "" {
				return i18n.Errorf("an empty guide row")
			}
			c.Filter.Rows = append(c.Filter.Rows, r)
		}
	case "lang":
		lang, err := i18n.Parse(v)
		if err != nil {
			return err
		}
		c.Lang = lang
	case "timeout":
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > maxTimeout {
			return i18n.Errorf("%q is not a duration between 0 and %s", v, maxTimeout)
		}
		c.Timeout = d
	case "rate", "concurrency", "group-by", "group-wait", "group-interval", "repeat-interval":
		c.grouped = c.grouped || slices.Contains(groupOptions, k)
		return c.Delivery.set(k, v)
	default:
		c.Options[k] = v
	}
	return nil
}

// checkTarget checks the form of a target given in the spec or read from
// the environment. Its errors never quote a URL, which may be a secret.
func checkTarget(kind, target string) error {
	switch kind {
	case KindFile:
		return nil
	case KindSyslog:
		_, _, err := syslogAddress(target)
		return err
	}
	u, err := url.Parse(target)
	if err != nil {
		return i18n.Errorf("the target is not a URL")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return i18n.Errorf("the target is not an http:// or https:// URL")
	case u.Host == "":
		return i18n.Errorf("the target URL has no host")
	case kind == KindSentinel && u.Scheme != "https":
		return i18n.Errorf("the Logs Ingestion API is only reached over https")
	case kind == KindSentinel:
		_, _, err := ingestionPath(u.Path)
		return err
	}
	return nil
}

// syslogAddress splits a syslog target, tcp://, udp:// or tls://HOST[:PORT],
// into its network and address, adding the standard port when none is
// given: 514 for tcp and udp, 6514 for tls (RFC 5425).
func syslogAddress(target string) (network, addr string, err error) {
	scheme, hostport, ok := strings.Cut(target, "://")
	if !ok || (scheme != "tcp" && scheme != "udp" && scheme != "tls") {
		return "", "", i18n.Errorf("write syslog:tcp://HOST:PORT, syslog:udp://HOST:PORT or syslog+tls://HOST:PORT")
	}
	if hostport == "" || strings.ContainsAny(hostport, "/?@") {
		return "", "", i18n.Errorf("%q is not HOST:PORT", hostport)
	}
	if _, _, err := net.SplitHostPort(hostport); err != nil {
		port := "514"
		if scheme == "tls" {
			port = "6514"
		}
		hostport = net.JoinHostPort(strings.Trim(hostport, "[]"), port)
	}
	return scheme, hostport, nil
}

// defaultName names a sink by its spec without what could be a secret: a
// URL loses its user, query and fragment, and the path of a webhook, Teams
// or Slack URL (which often holds a token) is replaced by a short digest
// of the whole target, so that two such sinks still have two names. A
// target read from the environment is named by its variable.
func defaultName(kind, target string) string {
	if v, ok := strings.CutPrefix(target, envPrefix); ok {
		return kind + ":env:" + v
	}
	if kind == KindFile || kind == KindSyslog {
		return kind + ":" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return kind + ":" + digest(target)
	}
	base := u.Scheme + "://" + u.Host
	switch kind {
	case KindSplunk, KindSentinel:
		return kind + ":" + base + u.EscapedPath()
	}
	if strings.Trim(u.Path, "/") == "" && u.RawQuery == "" {
		return kind + ":" + base
	}
	return kind + ":" + base + "/…/" + digest(target)
}

// digest is a short, stable stand-in for a string that must not be shown.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}
