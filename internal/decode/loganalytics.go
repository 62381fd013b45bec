package decode

import (
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// parseColumns reads the columns of a Log Analytics query API table:
// [{"name": "TenantId", "type": "string"}, ...], the table starting at
// line.
func parseColumns(b []byte, line int) ([]string, error) {
	var p lazyjson.Parser
	v, err := p.ParseBytes(b)
	if err != nil {
		return nil, &recordError{line: line, msg: message(msgColumnsInvalid, shortErr(err))}
	}
	arr, err := v.Array()
	if err != nil {
		return nil, &recordError{line: line, msg: message(msgColumnsNotArray)}
	}
	cols := make([]string, len(arr))
	for i, c := range arr {
		cols[i] = getStr(c, "name")
		if cols[i] == "" {
			cols[i] = getStr(c, "ColumnName")
		}
	}
	return cols, nil
}

// tableRow normalizes a row of a Log Analytics query API response: an array
// of cells in the order of columns.
func (d *Decoder) tableRow(e *event.Event, v *lazyjson.Value, columns []string) (string, string) {
	cellsOf, err := v.Array()
	if err != nil {
		return "", skipNotArray
	}
	m := &d.outer
	m.reset()
	row := apiRow{columns: columns, cells: cellsOf}
	m.row = row
	for i, c := range columns {
		if i >= len(cellsOf) {
			break
		}
		s := lookupSlot([]byte(c))
		if s == sNone || m.v[s] != nil {
			continue
		}
		m.v[s] = cellsOf[i]
		m.set = append(m.set, s)
	}
	m.pascal = true
	return d.flat(e, m, LayoutLogAnalyticsAPI)
}

// apiRow gives access to a query API row's cells by column name.
type apiRow struct {
	columns []string
	cells   []*lazyjson.Value
}

func (r apiRow) get(name string) string {
	for i, c := range r.columns {
		if i < len(r.cells) && strings.EqualFold(c, name) {
			return text(r.cells[i])
		}
	}
	return ""
}
