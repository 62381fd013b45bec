package sink

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
)

// csvHeader names the CSV columns, in order.
var csvHeader = []string{
	"time", "level", "guide_row", "rule_id", "title",
	"actor_type", "actor_id", "actor_upn", "actor_name", "actor_ip",
	"target_type", "target_id", "target_app_id", "target_name",
	"outside_business_hours", "change_window", "event_id", "tenant_id",
	"source_format", "source_file", "source_line", "attack", "evidence",
}

// csvWriter writes RFC 4180 CSV: a header, then one row per alert.
type csvWriter struct {
	w      *csv.Writer
	header bool
	closed bool
}

func newCSV(w io.Writer) *csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{w: cw}
}

func (c *csvWriter) Write(a alert.Alert) error {
	if c.closed {
		return ErrClosed
	}
	row, err := csvRow(normalize(a))
	if err != nil {
		return fmt.Errorf("write alert %s as CSV: %w", a.RuleID, err)
	}
	if err := c.writeHeader(); err != nil {
		return err
	}
	if err := c.w.Write(row); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

func (c *csvWriter) Close() error {
	if c.closed {
		return ErrClosed
	}
	c.closed = true
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

func (c *csvWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	if err := c.w.Write(csvHeader); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}

func csvRow(a alert.Alert) ([]string, error) {
	var ev bytes.Buffer
	enc := json.NewEncoder(&ev)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a.Evidence); err != nil {
		return nil, err
	}
	line := ""
	if a.Source.Line > 0 {
		line = strconv.Itoa(a.Source.Line)
	}
	row := []string{
		a.Time, a.Level, a.GuideRow, a.RuleID, a.Title,
		a.Actor.Type, a.Actor.ID, a.Actor.UPN, a.Actor.Name, a.Actor.IP,
		a.Target.Type, a.Target.ID, a.Target.AppID, a.Target.Name,
		strconv.FormatBool(a.OutsideBusinessHours), a.ChangeWindow, a.EventID, a.TenantID,
		a.Source.Format, a.Source.File, line, strings.Join(a.Attack, " "),
		strings.TrimSuffix(ev.String(), "\n"),
	}
	for i, s := range row {
		row[i] = defuse(lineEnds.Replace(s))
	}
	return row, nil
}

// lineEnds turns CRLF and lone CR into LF inside cells; the CSV writer
// then writes every line break inside a quoted cell as CRLF.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// defuse keeps a spreadsheet from reading a cell as a formula: a cell that
// starts with =, +, -, @ or a tab gets a leading apostrophe, which
// spreadsheets hide and treat as "this is text".
func defuse(s string) string {
	if s != "" && strings.IndexByte("=+-@\t", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
