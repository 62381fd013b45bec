package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/outbox"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/watch"
)

// sinkSpecs collects a repeatable sink flag (--sink, --notify), checking
// each spec's form as it is given.
type sinkSpecs struct {
	flag    string
	configs []notify.Config
	// where says where each config was written, for errors.
	where []string
	// err is why the last value given could not be parsed.
	err error
}

// failedWith returns why the last value given could not be parsed, for
// the message of the flag's error in the user's language.
func (s *sinkSpecs) failedWith() error { return s.err }

func (s *sinkSpecs) String() string { return fmt.Sprint(len(s.configs)) }

func (s *sinkSpecs) Set(v string) error {
	cfg, err := notify.Parse(v)
	if s.err = err; err != nil {
		return err
	}
	s.configs = append(s.configs, cfg)
	s.where = append(s.where, "--"+s.flag)
	return nil
}

// withPolicy returns the sinks of s followed by those of the policy read
// from file.
func (s *sinkSpecs) withPolicy(file string, pol *policy.Policy) (*sinkSpecs, error) {
	out := &sinkSpecs{flag: s.flag, configs: slices.Clone(s.configs), where: slices.Clone(s.where)}
	for i, sk := range pol.Sinks() {
		cfg, err := notify.Parse(sk.Spec)
		if err != nil {
			return nil, fmt.Errorf("policy %s:%d: delivery.sinks[%d]: %w", file, sk.Line, i, err)
		}
		out.configs = append(out.configs, cfg)
		out.where = append(out.where, fmt.Sprintf("policy %s:%d: delivery.sinks[%d]", file, sk.Line, i))
	}
	return out, nil
}

// open builds the sinks, chat sinks grouping as the policy says unless
// their options say otherwise.
func (s *sinkSpecs) open(lang string, rules []*alert.Rule, pol *policy.Policy, log *slog.Logger) ([]*notify.Sink, error) {
	var out []*notify.Sink
	opts := notify.Options{Lang: lang, Rules: rules, Version: readBuild().version, Logger: log}
	for i, cfg := range s.configs {
		if g := pol.Grouping(); g != nil {
			cfg.GroupByDefault(notify.Grouping{By: g.By, Wait: g.Wait, Interval: g.Interval, Repeat: g.Repeat})
		}
		sk, err := notify.New(cfg, opts)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, fmt.Errorf("%s: %w", s.where[i], err)
		}
		out = append(out, sk)
	}
	return out, nil
}

// notifyAlerts sends a one-off run's alerts to the sinks of --notify and
// says on standard error what each took. It returns exitIncomplete when
// some alerts were not delivered.
func notifyAlerts(ctx context.Context, c *cmdline, specs *sinkSpecs, lang string, rules []*alert.Rule, pol *policy.Policy, alerts []alert.Alert, quiet bool) int {
	if len(specs.configs) == 0 {
		return exitOK
	}
	sinks, err := specs.open(lang, rules, pol, slog.New(slog.DiscardHandler))
	if err != nil {
		c.report(err)
		return exitUsage
	}
	for i := range alerts {
		alerts[i].AlertKey = scanAlertKey(&alerts[i])
	}
	status := exitOK
	for _, sk := range sinks {
		rep, err := outbox.Direct{}.Send(ctx, sk, alerts)
		if cerr := sk.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			c.errorf("%s", fmt.Sprintf("--notify %s: %v", sk.Name(), err))
			status = exitIncomplete
			continue
		}
		if !quiet {
			fmt.Fprintln(c.env.Stderr, c.text("%s: %d alerts delivered", sk.Name(), rep.Sent))
		}
	}
	return status
}

// scanAlertKey is the alert_key of an alert of a one-off run: the key
// watch stores it under when its record has an id of its own, else one
// made of its activity time and evidence.
func scanAlertKey(a *alert.Alert) string {
	ref := ""
	if a.EventID == "" {
		ev, _ := json.Marshal(a.Evidence) // a map of decoded values: its errors are caught where alerts are written
		ref = a.Time + string(ev)
	}
	return watch.AlertKey(a, ref)
}
