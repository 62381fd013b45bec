package scan

import (
	"slices"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/guide"
)

// Coverage records which guide rows a scan's input could show, and how many
// alerts each raised. A row can be shown when the input holds the kind of
// log its evidence lives in; rows that need Microsoft Graph objects are
// left to appwatch posture.
type Coverage struct {
	Kinds  map[event.Kind]int // events read, by kind
	Alerts map[string]int     // alerts raised, by guide row
}

func newCoverage() Coverage {
	return Coverage{Kinds: map[event.Kind]int{}, Alerts: map[string]int{}}
}

func (c *Coverage) see(e *event.Event) { c.Kinds[e.Kind]++ }

func (c *Coverage) alert(row string) { c.Alerts[row]++ }

// RowState says what a scan could tell about one guide row.
type RowState struct {
	Row guide.Row
	// Shown is set when the input held the logs the row needs.
	Shown bool
	// Missing names the log the row needs when it was not given:
	// "audit", "signin", "keyvault", or "graph" for posture-only rows.
	Missing string
	Alerts  int
}

// Rows returns the state of every guide row, in the guide's order. Alerts
// of rules with their own keys (not guide rows) are not listed.
func (c *Coverage) Rows() []RowState {
	var out []RowState
	for _, r := range guide.Rows() {
		s := RowState{Row: r, Alerts: c.Alerts[r.Key], Shown: slices.ContainsFunc(r.Sources, c.has)}
		if !s.Shown {
			s.Missing = string(r.Sources[0])
		}
		out = append(out, s)
	}
	return out
}

// has reports whether the input held logs of source s.
func (c *Coverage) has(s guide.Source) bool {
	switch s {
	case guide.Audit:
		return c.Kinds[event.KindAudit] > 0
	case guide.SignIn:
		return c.Kinds[event.KindSignIn] > 0
	case guide.KeyVault:
		return c.Kinds[event.KindKeyVault] > 0 || c.Kinds[event.KindActivity] > 0
	}
	return false
}
