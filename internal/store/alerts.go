package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Filter selects stored alerts. Zero fields select everything.
type Filter struct {
	// Since and Until bound the time the activity happened: Since
	// inclusive, Until exclusive.
	Since, Until time.Time
	Rows         []string // guide rows
	MinLevel     string
	Statuses     []string
	Source       string // the watch source that stored them
}

// Alerts calls fn with every stored alert f selects, with its key, status
// and first-seen time set: oldest activity first (alerts without a time
// first), then by rule as scan orders them, then in the order stored. It
// stops at fn's first error.
func (s *Store) Alerts(ctx context.Context, f Filter, fn func(alert.Alert) error) error {
	defer s.timed("alerts")()
	where, args := f.where()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT alert_key, status, first_seen_ns, body FROM alerts`+where+
		` ORDER BY time_ns IS NOT NULL, time_ns, rule_id, seq`), args...)
	if err != nil {
		return fmt.Errorf("store %s: alerts: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, status, body string
		var first int64
		if err := rows.Scan(&key, &status, &first, &body); err != nil {
			return fmt.Errorf("store %s: alerts: %w", s.name, err)
		}
		var a alert.Alert
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			return fmt.Errorf("store %s: alert %s: %w", s.name, key, err)
		}
		a.AlertKey, a.Status, a.FirstSeen = key, status, alert.FormatTime(time.Unix(0, first))
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store %s: alerts: %w", s.name, err)
	}
	return nil
}

// where writes f as a WHERE clause with ? placeholders.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if !f.Since.IsZero() {
		add("time_ns >= ?", f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		add("time_ns < ?", f.Until.UnixNano())
	}
	if len(f.Rows) > 0 {
		add("guide_row IN ("+marks(len(f.Rows))+")", strs(f.Rows)...)
	}
	if f.MinLevel != "" {
		add("level_rank >= ?", alert.Rank(f.MinLevel))
	}
	if len(f.Statuses) > 0 {
		add("status IN ("+marks(len(f.Statuses))+")", strs(f.Statuses)...)
	}
	if f.Source != "" {
		add("source = ?", f.Source)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// RejectedRecord is a rejected record as stored.
type RejectedRecord struct {
	Source string
	Rejected
	At time.Time
}

// RejectedRecords calls fn with the rejected records of source (of every
// source when empty), in the order stored.
func (s *Store) RejectedRecords(ctx context.Context, source string, fn func(RejectedRecord) error) error {
	defer s.timed("rejected")()
	query, args := "SELECT source, stream, position, reason, message, head, at_ns FROM rejected", []any{}
	if source != "" {
		query, args = query+" WHERE source = ?", append(args, source)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY seq"), args...)
	if err != nil {
		return fmt.Errorf("store %s: rejected records: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RejectedRecord
		var at sql.NullInt64
		if err := rows.Scan(&r.Source, &r.Stream, &r.Position, &r.Reason, &r.Message, &r.Head, &at); err != nil {
			return fmt.Errorf("store %s: rejected records: %w", s.name, err)
		}
		r.At = fromNanos(at)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
