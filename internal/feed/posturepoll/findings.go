package posturepoll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/snapdiff"
	"github.com/appwatch/appwatch/internal/store"
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

// itemLists are the evidence lists whose items a finding is stored apart
// for: credentials and URIs.
var itemLists = []string{"credentials", "secrets", "uris"}

// findingAlerts splits the findings that list several credentials or
// URIs into one per item, and keys each by its check, tenant, object
// and item.
func findingAlerts(findings []alert.Alert) []store.Alert {
	var out []store.Alert
	for _, f := range findings {
		for _, a := range split(f) {
			out = append(out, store.Alert{Key: findingKey(a), Alert: a})
		}
	}
	return out
}

// split returns a finding for each item of its first item list, each
// with that item alone in the list, or the finding itself.
func split(f alert.Alert) []alert.Alert {
	for _, k := range itemLists {
		items, ok := f.Evidence[k].([]map[string]any)
		if !ok || len(items) < 2 {
			continue
		}
		out := make([]alert.Alert, len(items))
		for i, it := range items {
			a := f
			a.Evidence = maps.Clone(f.Evidence)
			a.Evidence[k] = []map[string]any{it}
			out[i] = a
		}
		return out
	}
	return []alert.Alert{f}
}

// findingKey is the key of a finding: its check, tenant, object and the
// item it is about.
func findingKey(a alert.Alert) string {
	return digest("posture", a.RuleID, a.TenantID, a.Target.Type, a.Target.ID, a.EventID, itemOf(a.Evidence))
}

// itemOf names the credential or URI a finding is about: a credential's
// key id, a URI and where it sits; "" for findings about an object.
func itemOf(ev map[string]any) string {
	for _, k := range itemLists {
		var items []map[string]any
		switch v := ev[k].(type) {
		case []map[string]any:
			items = v
		case []any: // read back from the store
			for _, it := range v {
				if m, ok := it.(map[string]any); ok {
					items = append(items, m)
				}
			}
		}
		if len(items) != 1 {
			continue
		}
		it := items[0]
		if id, ok := it["key_id"].(string); ok {
			return k + ":" + strings.ToLower(id)
		}
		uri, _ := it["uri"].(string)
		where, _ := it["where"].(string)
		return k + ":" + where + ":" + uri
	}
	return ""
}

// changeKey is the key of a change: the change and the snapshot it was
// found against, so that a change undone and made again later raises a
// new alert.
func changeKey(c snapdiff.Change, since time.Time) string {
	return digest("snapshot-change", c.Alert.RuleID, c.Alert.TenantID, since.UTC().Format(time.RFC3339Nano), c.Key)
}

// judge returns what tells whether the evaluation of a snapshot judged a
// stored finding: not when its check was not evaluated (a collection
// missing, DNS off, the tenant's domains unknown) or left out, and for
// the dangling URI checks, only when DNS answered about the host.
func judge(res *posture.Result) func(alert.Alert) bool {
	unjudged := map[string]bool{}
	for _, r := range slices.Concat(res.DNS.Unknown, res.DNS.Skipped) {
		unjudged[strings.ToLower(r.Host)] = true
	}
	ran := map[string]bool{}
	for _, c := range res.Checks {
		ran[c.ID] = c.Status == posture.StatusPass || c.Status == posture.StatusFail
	}
	return func(a alert.Alert) bool {
		switch a.RuleID {
		case posture.RedirectURIDangling, posture.IdentifierURIDangling, posture.LogoutURLDangling:
			return ran[a.RuleID] && res.DNS.Enabled && !unjudged[strings.ToLower(hostOf(a.Evidence))]
		}
		return ran[a.RuleID]
	}
}

// hostOf returns the host of a stored URI finding.
func hostOf(ev map[string]any) string {
	items, _ := ev["uris"].([]any)
	if len(items) != 1 {
		return ""
	}
	m, _ := items[0].(map[string]any)
	h, _ := m["host"].(string)
	return h
}

// statuses compares the findings of a snapshot with those stored: the
// stored open or acknowledged ones missing now and judged are resolved,
// the resolved ones present again reopened.
func statuses(ctx context.Context, st feed.Store, findings []store.Alert, judged func(alert.Alert) bool) (resolve, reopen []string, err error) {
	present := map[string]bool{}
	for _, f := range findings {
		present[f.Key] = true
	}
	checks := map[string]bool{}
	for _, c := range posture.Checks() {
		checks[c.ID] = true
	}
	err = st.Alerts(ctx, store.Filter{Source: Name, Statuses: []string{alert.StatusOpen, alert.StatusAcknowledged, alert.StatusResolved}}, func(a alert.Alert) error {
		switch {
		case !checks[a.RuleID]:
		case a.Status == alert.StatusResolved && present[a.AlertKey]:
			reopen = append(reopen, a.AlertKey)
		case a.Status != alert.StatusResolved && !present[a.AlertKey] && judged(a):
			resolve = append(resolve, a.AlertKey)
		}
		return nil
	})
	return resolve, reopen, err
}
