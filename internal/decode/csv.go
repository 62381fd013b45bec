package decode

import (
	"strings"

	"github.com/appwatch/appwatch/internal/event"
)

// csvHeader is the parsed header of a CSV input.
type csvHeader struct {
	names  []string // cleaned column names
	slots  []slot   // slot of each column, sNone when it has none
	layout string
	portal bool // an Entra portal download
}

// knownCSVHeader reports whether the first line of b is the header of a
// CSV layout this package reads.
func knownCSVHeader(b []byte) bool {
	head := splitCSVLine(firstLine(b))
	if head == nil {
		return false
	}
	_, err := parseHeader(head)
	return err == nil
}

// parseHeader cleans the column names (trailing spaces, a byte order mark,
// the " [UTC]" suffix of Log Analytics exports, the _dynamic / _string
// suffixes of Sentinel exports) and recognises the layout.
func parseHeader(head []string) (*csvHeader, error) {
	h := &csvHeader{names: make([]string, len(head)), slots: make([]slot, len(head))}
	has := map[string]bool{}
	for i, n := range head {
		n = strings.TrimSpace(strings.TrimPrefix(n, "\ufeff"))
		clean := strings.TrimSuffix(n, " [UTC]")
		clean = strings.TrimSuffix(strings.TrimSuffix(clean, "_dynamic"), "_string")
		h.names[i] = n
		lower := strings.ToLower(clean)
		has[lower] = true
		if s := lookupSlot([]byte(n)); s != sNone {
			h.slots[i] = s
		} else {
			h.slots[i] = lookupSlot([]byte(clean))
		}
	}
	switch {
	case has["date (utc)"] && has["actortype"]:
		h.layout, h.portal = LayoutPortalCSV, true
	case has["date (utc)"] && has["request id"]:
		h.layout, h.portal = LayoutPortalCSV, true
	case has["operationname"] || has["timegenerated"] || has["type"] || has["activitydisplayname"]:
		h.layout = LayoutLogAnalyticsCSV
	default:
		return nil, messageErr(msgHeaderColumns, preview(head))
	}
	return h, nil
}

// portalSignInStream tells which sign-in log a row of a portal download
// belongs to, or "" when the row names a user. The user downloads
// (interactive and non-interactive share one header) name a user; the
// application and managed identity downloads name a service principal,
// and the latter fill in the managed identity type. The row decides, not
// the header: headers change over time and share columns.
func portalSignInStream(m *members, row csvRow) string {
	switch {
	case m.has(sUserID) || m.has(sUPN):
		return ""
	case row.get("Managed Identity type") != "":
		return "ManagedIdentitySignInLogs"
	case m.has(sSPID):
		return "ServicePrincipalSignInLogs"
	}
	return ""
}

// preview shortens a header for an error message.
func preview(head []string) string {
	s := strings.Join(head, ",")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// csvRow normalizes one CSV row. Cells are kept as written, spaces
// included, as the JSON layouts keep them (an activity name such as
// "Update application – Certificates and secrets management " ends in a
// space); a cell of spaces only counts as empty.
func (d *Decoder) csvRow(e *event.Event, h *csvHeader, rec []string) (string, string) {
	m := &d.outer
	m.reset()
	m.csv, m.pascal = true, !h.portal
	row := csvRow{h: h, cells: rec}
	m.row = row
	for i, s := range h.slots {
		if s == sNone || i >= len(rec) {
			continue
		}
		m.hold(s)
		if m.text[s] != "" {
			continue
		}
		if strings.TrimSpace(rec[i]) != "" {
			m.text[s] = rec[i]
			m.set = append(m.set, s)
		}
	}
	if h.layout != LayoutPortalCSV {
		return d.flat(e, m, h.layout)
	}
	if m.has(sActivityDisplayName) {
		d.portalAudit(e, m, row)
		return LayoutPortalCSV, ""
	}
	d.signIn(e, m, nil)
	if s := portalSignInStream(m, row); s != "" {
		e.Stream = s
	}
	return LayoutPortalCSV, ""
}

// csvRow gives access to a CSV row's cells by column name.
type csvRow struct {
	h     *csvHeader
	cells []string
}

func (r csvRow) get(name string) string {
	for i, n := range r.h.names {
		if i < len(r.cells) && strings.EqualFold(n, name) {
			return strings.TrimSpace(r.cells[i])
		}
	}
	return ""
}
