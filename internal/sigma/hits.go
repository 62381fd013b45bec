package sigma

import (
	"time"
)

// Hit is one detection hit, or one result of an inner correlation, filed
// under one group of one correlation rule. A Correlator keeps its hits in
// memory; a caller that keeps correlation state elsewhere (a database
// shared by several processes) stores the hits Hits and OuterHits return,
// and later gives the hits of one group back to Evaluate. Both ways give
// the same results.
type Hit struct {
	Corr  int      // index of the correlation rule in the Ruleset
	Group []string // the values of its group-by fields, in order
	// Value is the value of the field a value_count correlation counts;
	// HasValue is false when the event has none.
	Value    string
	HasValue bool
	// Contribution holds the rule that matched (a detection rule, or the
	// inner correlation), the time and the caller's reference.
	Contribution
}

// Hits returns the hits that a match of detection rule i on e files: one
// for each correlation that uses the rule, except those whose group-by
// fields e lacks. ref is handed back in the results.
func (rs *Ruleset) Hits(i int, e Event, ref any) []Hit {
	if i < 0 || i >= len(rs.corr.feeds) {
		return nil
	}
	var out []Hit
	var buf []string
	for _, f := range rs.corr.feeds[i] {
		cr := rs.corr.corrs[f.corr]
		m := &cr.members[f.member]
		h := Hit{Corr: cr.rule, Group: make([]string, len(m.group)), Contribution: Contribution{Rule: i, Time: e.Time(), Ref: ref}}
		complete := true
		for k, id := range m.group {
			buf = e.Values(id, buf[:0])
			if len(buf) == 0 {
				complete = false
				break
			}
			h.Group[k] = buf[0]
		}
		if !complete {
			continue
		}
		if m.value >= 0 {
			if buf = e.Values(m.value, buf[:0]); len(buf) > 0 {
				h.Value, h.HasValue = buf[0], true
			}
		}
		out = append(out, h)
	}
	return out
}

// OuterHits returns the hits that res, a result of an inner correlation,
// files in the correlations that use it. Their Ref is res.
func (rs *Ruleset) OuterHits(res *CorrelationResult) []Hit {
	k := rs.corr.position(res.Rule)
	if k < 0 {
		return nil
	}
	var out []Hit
	for _, f := range rs.corr.corrs[k].outs {
		cr := rs.corr.corrs[f.corr]
		m := &cr.members[f.member]
		h := Hit{Corr: cr.rule, Group: make([]string, len(m.group)), Contribution: Contribution{Rule: res.Rule, Time: res.End, Ref: res}}
		for g, idx := range m.group {
			h.Group[g] = res.Group[idx]
		}
		if m.value >= 0 {
			h.Value, h.HasValue = res.Group[m.value], true
		}
		out = append(out, h)
	}
	return out
}

// Evaluate runs the window search of one correlation over the hits of one
// of its groups, in any order (see Correlations for the order of
// correlations). It returns the results whose windows can no
// longer change once no hit older than watermark arrives (every window
// when final), and the hits that later windows may still use, in time
// order: the hits a Correlator would keep after FlushBefore(watermark).
// Hits of another correlation, or of a rule that is not one of its
// members, are left out.
func (rs *Ruleset) Evaluate(hits []Hit, watermark time.Time, final bool) (results []*CorrelationResult, rest []Hit) {
	if len(hits) == 0 {
		return nil, nil
	}
	k := rs.corr.position(hits[0].Corr)
	if k < 0 {
		return nil, nil
	}
	cr := rs.corr.corrs[k]
	g := &corrGroup{values: hits[0].Group}
	for _, h := range hits {
		if ch, ok := cr.hit(h); ok && h.Corr == hits[0].Corr {
			g.hits = append(g.hits, ch)
		}
	}
	results = cr.scan(g, watermark.Add(-cr.delay), final)
	rest = make([]Hit, len(g.hits))
	for j, ch := range g.hits {
		rest[j] = Hit{Corr: cr.rule, Group: g.values, Value: ch.value, HasValue: ch.hasValue, Contribution: ch.contribution()}
	}
	return results, rest
}

// Correlations returns the indexes of the correlation rules, each after
// the correlations whose results it uses. Callers of Evaluate evaluate the
// groups of each correlation in this order, filing the OuterHits of the
// results before going on, so that a correlation sees the results it uses.
func (rs *Ruleset) Correlations() []int {
	out := make([]int, len(rs.corr.corrs))
	for k, cr := range rs.corr.corrs {
		out[k] = cr.rule
	}
	return out
}

// EarlyResults reports whether a window of correlation rule i that meets
// its condition can be reported before it closes: its condition has no
// upper bound, so more hits can only add results, never take one away.
// The results of such a rule that Evaluate returns when final are then
// results of the complete input too, though they may list fewer events.
func (rs *Ruleset) EarlyResults(i int) bool {
	k := rs.corr.position(i)
	if k < 0 {
		return false
	}
	for _, b := range rs.corr.corrs[k].c.Condition {
		if b.Op != "gt" && b.Op != "gte" {
			return false
		}
	}
	return true
}

// position returns where correlation rule i is in p.corrs, or -1.
func (p *corrPlan) position(i int) int {
	for k, cr := range p.corrs {
		if cr.rule == i {
			return k
		}
	}
	return -1
}

// hit turns h into the hit a group keeps, finding the member it is for.
func (cr *corrRule) hit(h Hit) (corrHit, bool) {
	for mi, m := range cr.members {
		if m.rule == h.Rule {
			return corrHit{t: h.Time, rule: int32(h.Rule), member: int32(mi), hasValue: h.HasValue, value: h.Value, ref: h.Ref}, true
		}
	}
	return corrHit{}, false
}
