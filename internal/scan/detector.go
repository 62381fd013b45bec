// Package scan runs the detection half of the pipeline over normalized
// events: enrich, match the Sigma rules, evaluate correlations, and turn
// hits into alerts with the tenant policy applied (level overrides,
// expected changes, suppressions).
//
// Memory does not grow with the input. A Detector keeps a hit of a rule
// that feeds a correlation rule only until the correlation can no longer
// use it: it decides a correlation's windows once the newest hit that
// reached it is more than the correlation's timespan plus Config.Lateness
// ahead of them (see sigma.Correlator.FlushSettled). Inputs read in
// roughly time order therefore hold only the last timespans' hits. A hit
// arriving later than that allowance, behind a newer one, widens the
// allowance from then on, so an export written newest first (Microsoft
// Graph pages, Log Analytics exports sorted by time descending) is still
// correlated in full, holding its hits until the end; a pattern whose
// first steps were decided before its late steps arrived is missed and
// counted in LateCorrelationInputs. Observe raises the alerts of
// correlation rules as their windows are decided, Finish the rest.
//
// Run spreads the work of each event over the workers that decode it: what
// depends on the event alone (enriching, matching, building its alerts with
// the policy applied) is done there, and only what depends on the events
// before it (recognising copies, counting, correlating) on the goroutine
// that called Run, in input order. The events whose enrichment depends on
// the events before them are left whole to that goroutine (see
// enrich.Chain.Ordered). The alerts are therefore the same whatever the
// number of workers.
package scan

import (
	"encoding/json"
	"hash/maphash"
	"sort"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/sigma"
)

// Enricher fills the derived fields of an event before matching.
type Enricher interface {
	Enrich(e *event.Event)
}

// Rules is a compiled rule set with each rule's alert metadata.
type Rules struct {
	Set    *sigma.Ruleset
	Schema *match.Schema
	// Meta holds the alert metadata of rule i at index i.
	Meta []*alert.Rule
}

// Config is what a Detector needs.
type Config struct {
	Rules    Rules
	Enricher Enricher // may be nil
	Policy   *policy.Policy
	Lang     string
	// Now is the time suppressions are checked against; zero means the
	// current time at each check, for detectors that run for long.
	Now time.Time
	// KeepCopies leaves the recognition of copies (see Change) to the
	// caller: Detect returns the alerts of every record with their
	// changes, and nothing is remembered. appwatch watch's store decides
	// there, across restarts and processes.
	KeepCopies bool
	// Emit, when set, receives each alert as soon as it is raised (the
	// alerts of correlation rules once their windows are decided), and
	// Finish returns nothing, so memory stays bounded however many alerts
	// a scan raises. Without Emit, Finish returns every alert sorted by
	// time.
	Emit func(alert.Alert) error
	// Lateness is how far behind the newest input of a correlation rule
	// another may arrive and still be correlated in full; zero means
	// DefaultLateness. See the package documentation.
	Lateness time.Duration
}

// DefaultLateness is the Lateness of a Config that sets none. Records of
// one log exported together are rarely further apart than this from
// their time order; exports written newest first widen it as they are
// read.
const DefaultLateness = time.Hour

// Detector turns events into alerts. Observe it with every event, then
// Finish. A Detector is not safe for concurrent use.
type Detector struct {
	cfg      Config
	judge    *judge // the judge of the events Observe and Detect see
	verdict  verdict
	corr     *sigma.Correlator
	recent   recentAlerts  // for recognising duplicates
	out      Outcome       // reused by Detect
	alerts   []alert.Alert // collected when Config.Emit is nil
	err      error         // the first error Emit returned
	Coverage Coverage
	// Suppressed counts alerts silenced by the policy, by rule id.
	Suppressed map[string]int
	// Copies counts, by rule id, the alerts not raised because an alert
	// of the same rule was raised for another record of the same change
	// (see docs/rules.md, "One change, several records").
	Copies map[string]int
}

// NewDetector returns a detector for cfg.
func NewDetector(cfg Config) *Detector {
	if cfg.Policy == nil {
		cfg.Policy = policy.Default()
	}
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	if cfg.Lateness <= 0 {
		cfg.Lateness = DefaultLateness
	}
	d := &Detector{
		cfg:        cfg,
		corr:       sigma.NewCorrelator(cfg.Rules.Set),
		recent:     recentAlerts{byKey: map[string][]kept{}, seed: maphash.MakeSeed()},
		Coverage:   newCoverage(),
		Suppressed: map[string]int{},
		Copies:     map[string]int{},
	}
	d.judge = d.newJudge(cfg.Enricher)
	return d
}

// Outcome is what one event raised. Detect reuses its slices, so they
// are valid until the next call.
type Outcome struct {
	// Alerts are the alerts of the rules reported on their own, with the
	// policy applied; copies of alerts raised recently are left out,
	// unless Config.KeepCopies.
	Alerts []alert.Alert
	// Suppressed are the alerts a policy suppression silences.
	Suppressed []alert.Alert
	// AlertChanges and SuppressedChanges hold, with Config.KeepCopies,
	// the change each alert of Alerts and Suppressed is about, at the
	// same index.
	AlertChanges, SuppressedChanges []Change
	// Hits are the event's hits of rules that correlations use. Each Ref
	// is the *alert.Alert the rule raises for the event, before the policy
	// is applied, as CorrelationAlert expects to find it.
	Hits []sigma.Hit
}

// Detect enriches e, matches it and returns what it raised. Observe files
// the hits in the detector's own Correlator; a caller that keeps
// correlation state elsewhere files them there, evaluates them with
// sigma.Ruleset.Evaluate and turns the results into alerts with
// CorrelationAlert.
func (d *Detector) Detect(e *event.Event) *Outcome {
	d.Coverage.see(e)
	d.verdict.reset()
	d.judge.judge(e, &d.verdict)
	return d.settle(e, &d.verdict)
}

// settle turns the verdict on e into what e raised: it leaves out copies
// of recent alerts and counts what is suppressed. It is the part of
// Detect that depends on the events before e.
func (d *Detector) settle(e *event.Event, v *verdict) *Outcome {
	out := &d.out
	out.Alerts, out.Suppressed, out.Hits = out.Alerts[:0], out.Suppressed[:0], out.Hits[:0]
	out.AlertChanges, out.SuppressedChanges = out.AlertChanges[:0], out.SuppressedChanges[:0]
	for i := range v.hits {
		// A worker judged e before its place in the input was known.
		v.hits[i].Ref.(*alert.Alert).Source.Index = e.Source.Index
	}
	out.Hits = append(out.Hits, v.hits...)
	for i := range v.found {
		f := &v.found[i]
		a := f.alert
		a.Source.Index = e.Source.Index
		if d.cfg.KeepCopies {
			d.keep(out, a, ChangeOf(a, f.copyKey), f.silenced)
			continue
		}
		if !d.recent.fresh(f.key, f.kept) {
			d.Copies[a.RuleID]++
			continue
		}
		if f.silenced {
			d.Suppressed[a.RuleID]++
			out.Suppressed = append(out.Suppressed, a)
		} else {
			out.Alerts = append(out.Alerts, a)
		}
	}
	return out
}

// keep adds a, about ch, to out, copies included (Config.KeepCopies).
func (d *Detector) keep(out *Outcome, a alert.Alert, ch Change, silenced bool) {
	if silenced {
		d.Suppressed[a.RuleID]++
		out.Suppressed, out.SuppressedChanges = append(out.Suppressed, a), append(out.SuppressedChanges, ch)
		return
	}
	out.Alerts, out.AlertChanges = append(out.Alerts, a), append(out.AlertChanges, ch)
}

// Observe enriches e, matches it and records the alerts it raises,
// and those of the correlation windows its hits decide. It returns the
// error of Config.Emit, after which the scan should stop.
func (d *Detector) Observe(e *event.Event) error {
	return d.record(d.Detect(e))
}

// observeJudged is Observe for an event a worker may have judged
// already (see Run).
func (d *Detector) observeJudged(e *event.Event, v verdict) error {
	if !v.done {
		return d.Observe(e)
	}
	d.Coverage.see(e)
	return d.record(d.settle(e, &v))
}

// record reports the alerts of out and files its hits.
func (d *Detector) record(out *Outcome) error {
	for _, h := range out.Hits {
		d.corr.AddHit(h)
	}
	for _, a := range out.Alerts {
		d.report(a)
	}
	if len(out.Hits) > 0 {
		d.raiseCorrelations(d.corr.FlushSettled(d.cfg.Lateness))
	}
	return d.err
}

// LateCorrelationInputs returns how many hits of correlation inputs came
// after windows they could have completed were decided (see the package
// documentation).
func (d *Detector) LateCorrelationInputs() int64 { return d.corr.Late() }

// HeldCorrelationInputs returns how many hits of correlation inputs the
// Detector holds, waiting for their windows to be decided.
func (d *Detector) HeldCorrelationInputs() int { return d.corr.Held() }

// Err returns the first error Config.Emit returned.
func (d *Detector) Err() error { return d.err }

// Finish decides the correlation windows still open. Without Config.Emit
// it returns every alert, sorted by time, then rule; with it, it emits the
// correlation rules' alerts and returns nil (see Err).
func (d *Detector) Finish() []alert.Alert {
	d.raiseCorrelations(d.corr.Flush())
	out := d.alerts
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Time != b.Time {
			return alertTime(a).Before(alertTime(b))
		}
		return a.RuleID < b.RuleID
	})
	return out
}

// raiseCorrelations reports the alerts of correlation results.
func (d *Detector) raiseCorrelations(results []*sigma.CorrelationResult) {
	for _, r := range results {
		a, silenced := d.CorrelationAlert(r)
		switch {
		case !d.fresh(a, ""):
			d.Copies[a.RuleID]++
		case silenced:
			d.Suppressed[a.RuleID]++
		default:
			d.report(a)
		}
	}
}

// CorrelationAlert builds the alert of a correlation result, with the
// policy applied, and reports whether a policy suppression silences it.
// Unlike the alerts of Detect, it is not checked against recent alerts.
func (d *Detector) CorrelationAlert(r *sigma.CorrelationResult) (alert.Alert, bool) {
	meta := d.cfg.Rules.Meta[r.Rule]
	a := correlationAlert(meta, r, d.cfg.Lang)
	// An approved actor does not make a pattern expected, so only the
	// time facts of the last event are applied.
	silenced := applyPolicy(&d.cfg, &a, event.ContextFacts{OutsideHours: a.OutsideBusinessHours, ChangeWindow: a.ChangeWindow})
	return a, silenced
}

// alertTime reads an alert's time back. The text does not sort as the time
// does: FormatTime leaves out zero fractions, so "10:00:00.5Z" comes before
// "10:00:00Z". An alert without a time sorts first.
func alertTime(a alert.Alert) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, a.Time)
	return t
}

// applyPolicy applies the policy of cfg to a, an alert of an activity
// that happened in the context ctx, and reports whether a suppression
// silences it.
func applyPolicy(cfg *Config, a *alert.Alert, ctx event.ContextFacts) bool {
	p := cfg.Policy
	a.Level = p.Level(a.RuleID, a.GuideRow, a.Level)
	a.OutsideBusinessHours = ctx.OutsideHours && ctx.ChangeWindow == ""
	if ctx.ApprovedActor && ctx.ChangeWindow != "" {
		note := "approved actor inside change window " + ctx.ChangeWindow
		if l, lowered := p.ExpectedChangeLevel(a.Level); lowered {
			note += "; level " + a.Level + " lowered to " + l
			a.Level = l
		}
		a.Evidence["expected_change"] = note
	}
	_, silenced := p.Suppression(a.SuppressionFacts(), cfg.now())
	return silenced
}

// fresh reports whether a is not a copy of an alert raised recently, and
// remembers it. copyKey, when not empty, names the change a's record
// describes (see event.Event.CopyKey): an alert of the same rule for the
// same change logged close in time is a copy.
func (d *Detector) fresh(a alert.Alert, copyKey string) bool {
	return d.recent.fresh(recentKey(a, copyKey), d.recent.keep(a))
}

// report hands on an alert that is neither a copy nor suppressed.
func (d *Detector) report(a alert.Alert) {
	if d.err != nil {
		return
	}
	d.Coverage.alert(a.GuideRow)
	if d.cfg.Emit != nil {
		d.err = d.cfg.Emit(a)
		return
	}
	d.alerts = append(d.alerts, a)
}

// now is the time suppressions are checked against.
func (cfg *Config) now() time.Time {
	if cfg.Now.IsZero() {
		return time.Now()
	}
	return cfg.Now
}

// RecentWindow is how many alerts a detector remembers for recognising
// duplicates. The records Entra writes for one change sit next to each
// other in an export, so a window this size catches them in practice
// while memory stays bounded.
const RecentWindow = 2048

// recentAlerts remembers the last alerts raised, by recentKey: of each,
// only what recognising a copy needs, so that the window takes little
// memory.
type recentAlerts struct {
	byKey map[string][]kept
	order []string // keys in the order their alerts were added
	seed  maphash.Seed
}

// kept is a remembered alert: its time and a digest of its evidence
// without the activity's name (see evidenceText).
type kept struct {
	time     time.Time
	evidence uint64
}

// recentKey returns the key under which recentAlerts remembers a, an
// alert of a record about the change copyKey names, when not empty. The
// key starts with "c" when alerts under it are copies when close in time,
// with "e" when they are copies when their evidence is the same.
func recentKey(a alert.Alert, copyKey string) string {
	if copyKey != "" {
		return "c" + a.RuleID + "\x00" + copyKey
	}
	return "e" + dedupeKey(a)
}

// keep returns what r remembers of a.
func (r *recentAlerts) keep(a alert.Alert) kept {
	return kept{time: alertTime(a), evidence: maphash.String(r.seed, evidenceText(a))}
}

// fresh reports whether no alert remembered under key is a copy of the
// alert k was kept from, and remembers it.
func (r *recentAlerts) fresh(key string, k kept) bool {
	byTime := key[0] == 'c'
	for _, prev := range r.byKey[key] {
		if byTime && closeInTime(prev, k) || !byTime && prev.evidence == k.evidence {
			return false
		}
	}
	r.add(key, k)
	return true
}

// copyWindow is how far apart in time two records of one change may be
// logged. PIM's request, its completion and the directory's own record of
// an assignment are written within seconds of each other; a PIM
// assignment that starts later is logged by the directory when it starts,
// and is then reported again.
const copyWindow = 10 * time.Minute

// closeInTime reports whether prev and k happened within copyWindow of
// each other.
func closeInTime(prev, k kept) bool {
	d := k.time.Sub(prev.time)
	return -copyWindow <= d && d <= copyWindow
}

// add remembers k under key, forgetting the oldest alert when the window
// is full.
func (r *recentAlerts) add(key string, k kept) {
	r.byKey[key] = append(r.byKey[key], k)
	r.order = append(r.order, key)
	if len(r.order) <= RecentWindow {
		return
	}
	old := r.order[0]
	r.order = r.order[1:]
	if rest := r.byKey[old][1:]; len(rest) > 0 {
		r.byKey[old] = rest
	} else {
		delete(r.byKey, old)
	}
}

// dedupeKey groups alerts that may be duplicates: the paired records Entra
// writes for one change (an application update and its "Certificates and
// secrets management" twin, for instance) share the rule, the operation's
// correlation id (or the event id) and the target. Alerts with the same
// key are duplicates when their evidenceText is the same too.
func dedupeKey(a alert.Alert) string {
	op := a.CorrelationID
	if op == "" {
		op = a.EventID + "|" + a.Time
	}
	corr := ""
	if a.Correlation != nil {
		corr = a.Correlation.Start + strings.Join(groupValues(a.Correlation.Group), "|")
	}
	return strings.Join([]string{a.RuleID, op, a.Target.ID, a.Target.AppID, corr}, "\x00")
}

// evidenceText is the alert's evidence without the name of the activity,
// as text: alerts with the same dedupeKey and the same evidence text are
// duplicates.
func evidenceText(a alert.Alert) string {
	ev := make(map[string]any, len(a.Evidence))
	for k, v := range a.Evidence {
		if k != "activity" {
			ev[k] = v
		}
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func groupValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m[k]
	}
	return out
}
