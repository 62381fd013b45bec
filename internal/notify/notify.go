package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// DefaultTimeout bounds one delivery attempt when neither the sink's
// timeout= option nor Options.Timeout says otherwise.
const DefaultTimeout = 10 * time.Second

// Sender is what each kind of sink implements: it delivers alerts,
// already filtered and in the sink's language, to one receiver.
type Sender interface {
	// Send delivers alerts in order and returns how many of the leading
	// ones were delivered; when that is not all of them, the error says
	// why the next one was not. Sending what was not delivered again is
	// safe.
	Send(ctx context.Context, alerts []alert.Alert) (int, error)
	// Close releases connections and files. The Sender is not used after.
	Close() error
}

// GroupSender is a Sender that can also list several alerts in one
// message: the chat sinks (Teams and Slack), for grouped notifications.
type GroupSender interface {
	Sender
	// SendGroup delivers alerts as one message; either the message was
	// delivered, or the error says why not.
	SendGroup(ctx context.Context, alerts []alert.Alert) error
}

// Options are what the sinks share and what comes from outside the spec.
// The zero value works for every kind but sentinel, which needs a
// Credential.
type Options struct {
	// Lang is the language of sinks that set none (an i18n tag); empty
	// means English.
	Lang string
	// Rules describe the rules that raise alerts: a sink in another
	// language than the alert's takes the title, description and
	// remediation from the rule.
	Rules []*alert.Rule
	// LookupEnv reads environment variables: env: targets, secret-env=,
	// token-env=. Default os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// HTTPClient sends the HTTP sinks' requests. Default: a client of its
	// own. Redirects are never followed, whatever it says.
	HTTPClient *http.Client
	// Timeout bounds one delivery attempt. Default DefaultTimeout.
	Timeout time.Duration
	// Now is the clock, for the webhook's timestamp, syslog's header and
	// Retry-After dates. Default time.Now.
	Now func() time.Time
	// Hostname names this machine in syslog and Splunk events. Default
	// os.Hostname.
	Hostname string
	// Version is appwatch's version, sent as the User-Agent and the CEF
	// device version.
	Version string
	// Credential gets tokens for the Logs Ingestion API (the sentinel
	// sink), as for appwatch posture collect.
	Credential azcore.TokenCredential
	// Logger receives a debug record per delivery. Default slog.Default().
	Logger *slog.Logger
}

// Sink is one configured sink: its name, its filter and language, and the
// Sender of its kind. It is safe for concurrent use when its Sender is;
// every Sender of this package is.
type Sink struct {
	cfg     Config
	sender  Sender
	lang    string
	rules   map[string]*alert.Rule
	log     *slog.Logger
	timeout time.Duration
}

// New builds the sink cfg describes. It reads the environment variables
// the sink names and checks what it can without a network request.
func New(cfg Config, opts Options) (*Sink, error) {
	opts = opts.withDefaults()
	if cfg.Timeout > 0 {
		opts.Timeout = cfg.Timeout
	}
	lang := cmp.Or(cfg.Lang, opts.Lang, i18n.English)
	target, err := resolveTarget(cfg, opts.LookupEnv)
	if err != nil {
		return nil, i18n.Errorf("sink %s: %w", cfg.Name, err)
	}
	sender, err := newSender(cfg, target, lang, opts)
	if err != nil {
		return nil, i18n.Errorf("sink %s: %w", cfg.Name, err)
	}
	rules := map[string]*alert.Rule{}
	for _, r := range opts.Rules {
		if r != nil {
			rules[r.ID] = r
		}
	}
	return &Sink{cfg: cfg, sender: sender, lang: lang, rules: rules, log: opts.Logger, timeout: opts.Timeout}, nil
}

func (o Options) withDefaults() Options {
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Hostname == "" {
		o.Hostname, _ = os.Hostname()
	}
	o.Version = cmp.Or(o.Version, "dev")
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// resolveTarget reads an env: target from the environment and checks it.
func resolveTarget(cfg Config, lookup func(string) (string, bool)) (string, error) {
	name, ok := strings.CutPrefix(cfg.Target, envPrefix)
	if !ok {
		return cfg.Target, nil
	}
	v, _ := lookup(name)
	if v = strings.TrimSpace(v); v == "" {
		return "", i18n.Errorf("the environment variable %s, which should hold the target, is empty or not set", name)
	}
	if err := checkTarget(cfg.Kind, v); err != nil {
		return "", i18n.Errorf("the environment variable %s: %w", name, err)
	}
	return v, nil
}

func newSender(cfg Config, target, lang string, opts Options) (Sender, error) {
	p := i18n.NewPrinter(lang)
	switch cfg.Kind {
	case KindWebhook:
		return newWebhook(cfg, target, opts)
	case KindTeams:
		return newTeams(target, p, opts), nil
	case KindSlack:
		return newSlack(target, p, opts), nil
	case KindSyslog:
		return newSyslog(cfg, target, p, opts)
	case KindSplunk:
		return newSplunk(cfg, target, opts)
	case KindSentinel:
		return newSentinel(target, opts)
	case KindFile:
		return newFile(target)
	}
	return nil, i18n.Errorf("unknown kind %q", cfg.Kind)
}

// Name identifies the sink; it never holds a secret.
func (s *Sink) Name() string { return s.cfg.Name }

// Kind is the sink's kind, one of Kinds.
func (s *Sink) Kind() string { return s.cfg.Kind }

// Accepts reports whether the sink takes a, by its level and guide row.
func (s *Sink) Accepts(a *alert.Alert) bool { return s.cfg.Filter.Match(a) }

// Groups reports whether the sink can list several alerts in one message
// (see SendGroup).
func (s *Sink) Groups() bool {
	_, ok := s.sender.(GroupSender)
	return ok
}

// Send delivers alerts, in the sink's language, and returns how many of
// the leading ones were delivered. Its errors are *Error.
func (s *Sink) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	if len(alerts) == 0 {
		return 0, nil
	}
	start := time.Now()
	n, err := s.sender.Send(ctx, s.localize(alerts))
	s.log.Debug("notify: send", "sink", s.cfg.Name, "alerts", len(alerts), "delivered", n, "took", time.Since(start), "err", err)
	return n, s.wrap(err)
}

// SendGroup delivers alerts as one message, on a sink that Groups.
func (s *Sink) SendGroup(ctx context.Context, alerts []alert.Alert) error {
	g, ok := s.sender.(GroupSender)
	if !ok {
		return s.wrap(permanent(fmt.Errorf("a %s sink does not group alerts", s.cfg.Kind)))
	}
	if len(alerts) == 0 {
		return nil
	}
	return s.wrap(g.SendGroup(ctx, s.localize(alerts)))
}

// Close closes the sink's connections and files.
func (s *Sink) Close() error { return s.wrap(s.sender.Close()) }

// wrap makes err an *Error naming the sink.
func (s *Sink) wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = temporary(err)
	}
	if e.Sink == "" {
		e.Sink = s.cfg.Name
	}
	return e
}

// localize returns copies of alerts with the title, description and
// remediation in the sink's language, where their rule has them.
func (s *Sink) localize(alerts []alert.Alert) []alert.Alert {
	out := make([]alert.Alert, len(alerts))
	for i, a := range alerts {
		if r := s.rules[a.RuleID]; r != nil {
			t := r.Text(s.lang)
			a.Title = cmp.Or(t.Title, a.Title)
			a.Description = cmp.Or(t.Description, a.Description)
			a.Remediation = cmp.Or(t.Remediation, a.Remediation)
		}
		out[i] = a
	}
	return out
}
