package scan

import (
	"maps"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/sigma"
)

// judge does the part of detection that depends on one event alone:
// enriching it, matching it and building the alerts of its hits with the
// policy applied. A Detector has one for the events it sees; Run gives
// each worker its own, so that the Detector's goroutine only settles
// what the workers judged (see Detector.settle).
type judge struct {
	cfg      *Config
	enricher Enricher // may be nil
	adapter  *match.Event
	hits     []int
	recent   *recentAlerts // the Detector's, only to make what it keeps
}

func (d *Detector) newJudge(en Enricher) *judge {
	return &judge{cfg: &d.cfg, enricher: en, adapter: match.NewEvent(d.cfg.Rules.Schema), recent: &d.recent}
}

// verdict is what a judge found for one event.
type verdict struct {
	// done is set once the event is judged; a worker leaves some events
	// for the Detector to judge in input order.
	done  bool
	found []found
	// hits are the event's hits of correlation inputs, each with the
	// *alert.Alert its rule raises before the policy is applied.
	hits []sigma.Hit
}

// found is the alert of one rule reported on its own.
type found struct {
	alert    alert.Alert // with the policy applied
	silenced bool        // by a suppression of the policy
	copyKey  string      // the change the event describes (event.Event.CopyKey)
	// Without Config.KeepCopies, what recognising copies needs: the key
	// and what recentAlerts keeps of the alert.
	key  string
	kept kept
}

func (v *verdict) reset() {
	clear(v.found)
	clear(v.hits)
	v.done, v.found, v.hits = false, v.found[:0], v.hits[:0]
}

// judge enriches e, matches it and fills v.
func (j *judge) judge(e *event.Event, v *verdict) {
	v.done = true
	if j.enricher != nil {
		j.enricher.Enrich(e)
	}
	j.adapter.Reset(e)
	set := j.cfg.Rules.Set
	j.hits = set.Match(j.adapter, j.hits[:0])
	for _, i := range j.hits {
		a := alert.FromEvent(j.cfg.Rules.Meta[i], e, j.cfg.Lang)
		if set.Correlated(i) {
			ref := a
			ref.Evidence = maps.Clone(a.Evidence)
			v.hits = append(v.hits, set.Hits(i, j.adapter, &ref)...)
		}
		if !set.Standalone(i) {
			continue
		}
		f := found{silenced: applyPolicy(j.cfg, &a, e.Derived.Context), copyKey: e.CopyKey()}
		if !j.cfg.KeepCopies {
			f.key, f.kept = recentKey(a, f.copyKey), j.recent.keep(a)
		}
		f.alert = a
		v.found = append(v.found, f)
	}
}

// forker is an Enricher that Run can use on every worker: Fork returns
// an enricher configured alike, with state of its own, for another
// goroutine, and Ordered reports whether what the enricher finds for e
// depends on the events it enriched before e. Run leaves those events to
// the Detector's own enricher, in input order. enrich.Chain is one.
type forker interface {
	Fork() interface{ Enrich(*event.Event) }
	Ordered(e *event.Event) bool
}

// workerJudges returns what makes the judge of each worker of Run, or
// nil when events can only be judged in input order, by the Detector:
// when its enricher cannot be forked.
func (d *Detector) workerJudges() func() func(*event.Event) verdict {
	var f forker
	if d.cfg.Enricher != nil {
		var ok bool
		if f, ok = d.cfg.Enricher.(forker); !ok {
			return nil
		}
	}
	return func() func(*event.Event) verdict {
		var en Enricher
		if f != nil {
			en = f.Fork()
		}
		j := d.newJudge(en)
		return func(e *event.Event) verdict {
			var v verdict
			if f == nil || !f.Ordered(e) {
				j.judge(e, &v)
			}
			return v
		}
	}
}
