package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Change names the change an alert is about, so that the alerts the
// several records of one change raise are recognised as one (see
// docs/rules.md, "One change, several records"): an alert is a copy of
// an alert raised before for the same Key whose time is within Within of
// its own, or at any time when Within is 0. A scan recognises copies
// among the alerts it raised last alike; appwatch watch's store keeps
// the changes with the alerts and decides in the transaction that stores
// them, so that a restarted process or another instance decides alike.
type Change struct {
	Key    string
	Within time.Duration
}

// ChangeOf returns the change a is about. a is an alert with the policy
// applied, raised for an event whose copy key is copyKey (see
// event.Event.CopyKey).
//
// When the record says which change it describes (copyKey is set), the
// change is the rule and that key, and records logged within ten
// minutes of each other are copies. Otherwise the change is the rule,
// the operation (its correlation id, or the record's id and time), the
// target and the evidence apart from the activity's name: an application
// update and its "Certificates and secrets management" twin share them.
func ChangeOf(a alert.Alert, copyKey string) Change {
	if copyKey != "" {
		return Change{Key: digest("copy", a.RuleID, copyKey), Within: copyWindow}
	}
	return Change{Key: digest("same", dedupeKey(a), evidenceText(a))}
}

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
