package watch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/sigma"
)

// digest hashes parts, each length-prefixed so that no two lists of parts
// hash alike, into 32 hex digits.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// AlertKey is the key of the alert a raises for a record: its rule, its
// tenant and the record, named by its own id or, for logs that give it
// none, by ref, its place in the source. appwatch scan --notify keys the
// alerts it sends with it too, so that a receiver sees one record's
// alert under one key whichever command sent it.
func AlertKey(a *alert.Alert, ref string) string {
	record := "id:" + a.EventID
	if a.EventID == "" {
		record = "at:" + ref
	}
	return digest("alert", a.RuleID, a.TenantID, record)
}

// correlationKey is the key of a correlation alert: its rule, its group
// and the key of its first contribution, which together name the window.
func correlationKey(rule string, group []string, first string) string {
	return digest(append([]string{"correlation", rule, first}, group...)...)
}

// scopeKey names the store scope of one group of one correlation rule.
func scopeKey(rule string, group []string) string {
	return rule + "/" + digest(group...)
}

// storedRef is what a stored correlation hit refers to: the alert of a
// detection hit, or the result of an inner correlation.
type storedRef struct {
	Alert  *alert.Alert  `json:"alert,omitempty"`
	Result *storedResult `json:"result,omitempty"`
}

// storedResult is a correlation result with rules named by id.
type storedResult struct {
	Rule    string               `json:"rule"`
	GroupBy []string             `json:"group_by"`
	Group   []string             `json:"group"`
	Start   time.Time            `json:"start"`
	End     time.Time            `json:"end"`
	Count   int64                `json:"count"`
	Events  []storedContribution `json:"events"`
}

type storedContribution struct {
	Rule string    `json:"rule"`
	Time time.Time `json:"time"`
	Ref  storedRef `json:"ref"`
}

// codec turns references to rules into ids and back, for one rule set.
type codec struct {
	meta  []*alert.Rule
	index map[string]int // rule id → index
}

func newCodec(meta []*alert.Rule) *codec {
	c := &codec{meta: meta, index: make(map[string]int, len(meta))}
	for i, m := range meta {
		c.index[m.ID] = i
	}
	return c
}

// encode writes ref, an *alert.Alert or a *sigma.CorrelationResult.
func (c *codec) encode(ref any) (storedRef, error) {
	switch r := ref.(type) {
	case *alert.Alert:
		return storedRef{Alert: r}, nil
	case *sigma.CorrelationResult:
		sr := &storedResult{Rule: c.meta[r.Rule].ID, GroupBy: r.GroupBy, Group: r.Group, Start: r.Start, End: r.End, Count: r.Count}
		for _, e := range r.Events {
			inner, err := c.encode(e.Ref)
			if err != nil {
				return storedRef{}, err
			}
			sr.Events = append(sr.Events, storedContribution{Rule: c.meta[e.Rule].ID, Time: e.Time, Ref: inner})
		}
		return storedRef{Result: sr}, nil
	}
	return storedRef{}, fmt.Errorf("correlation reference of type %T", ref)
}

// encodeJSON writes ref as JSON.
func (c *codec) encodeJSON(ref any) ([]byte, error) {
	sr, err := c.encode(ref)
	if err != nil {
		return nil, err
	}
	return json.Marshal(sr)
}

// decode reads a stored reference back: an *alert.Alert or a
// *sigma.CorrelationResult of the current rules.
func (c *codec) decode(sr storedRef) (any, error) {
	switch {
	case sr.Alert != nil:
		return sr.Alert, nil
	case sr.Result != nil:
		r := sr.Result
		rule, ok := c.index[r.Rule]
		if !ok {
			return nil, fmt.Errorf("correlation rule %s is no longer loaded", r.Rule)
		}
		res := &sigma.CorrelationResult{Rule: rule, GroupBy: r.GroupBy, Group: r.Group, Start: r.Start, End: r.End, Count: r.Count}
		for _, e := range r.Events {
			inner, err := c.decode(e.Ref)
			if err != nil {
				return nil, err
			}
			i, ok := c.index[e.Rule]
			if !ok {
				return nil, fmt.Errorf("rule %s is no longer loaded", e.Rule)
			}
			res.Events = append(res.Events, sigma.Contribution{Rule: i, Time: e.Time, Ref: inner})
		}
		return res, nil
	}
	return nil, fmt.Errorf("empty correlation reference")
}

// decodeJSON reads a reference stored as JSON.
func (c *codec) decodeJSON(b []byte) (any, error) {
	var sr storedRef
	if err := json.Unmarshal(b, &sr); err != nil {
		return nil, err
	}
	return c.decode(sr)
}
