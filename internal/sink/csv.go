package sink

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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

// csvStoredHeader names the columns of a stored alert that follow those
// of csvHeader (see Options.Stored).
var csvStoredHeader = []string{"alert_key", "status", "first_seen"}

// csvWriter writes RFC 4180 CSV: a header, then one row per alert.
type csvWriter struct {
	w      *csv.Writer
	stored bool
	header bool
	closed bool
}

func newCSV(w io.Writer, stored bool) *csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{w: cw, stored: stored}
}

func (c *csvWriter) Write(a alert.Alert) error {
	if c.closed {
		return ErrClosed
	}
	row, err := csvRow(normalize(a))
	if c.stored {
		row = append(row, defuse(visible(a.AlertKey)), defuse(visible(a.Status)), defuse(visible(a.FirstSeen)))
	}
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
	header := csvHeader
	if c.stored {
		header = append(slices.Clip(header), csvStoredHeader...)
	}
	if err := c.w.Write(header); err != nil {
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
		row[i] = defuse(visible(lineEnds.Replace(s)))
	}
	return row, nil
}

// lineEnds turns CRLF and lone CR into LF inside cells; the CSV writer
// then writes every line break inside a quoted cell as CRLF.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// visible replaces what could drive a terminal the file is printed on, or
// be lost by a program reading it, with characters that show what was
// there: a C0 control other than tab and line feed, and DEL, become their
// Unicode control pictures (ESC is written ␛, NUL ␀); a C1 control and a
// byte that is not UTF-8 become U+FFFD.
func visible(s string) string {
	if !needsVisible(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		case r >= 0x80 && r <= 0x9f:
			return utf8.RuneError
		}
		return r
	}, s)
}

// needsVisible reports whether visible would change s.
func needsVisible(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// defuse keeps a spreadsheet from reading a cell as a formula: a cell that
// starts with =, +, -, @ or a tab gets a leading apostrophe, which
// spreadsheets hide and treat as "this is text".
func defuse(s string) string {
	if s != "" && strings.IndexByte("=+-@\t", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
