package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The kinds of AppItem.
const (
	ItemCredential = "credential"
	ItemPermission = "permission"
	ItemOwner      = "owner"
)

// AppItem is something an application holds in a snapshot: a
// credential, a permission or an owner.
type AppItem struct {
	// AppID is the application (client) id.
	AppID string
	// Kind is ItemCredential, ItemPermission or ItemOwner.
	Kind string
	// Item names it among the app's items of its kind, the same from one
	// snapshot to the next: a key id, a permission on an API, an owner's
	// object id.
	Item string
	// Detail describes it for people; it is stored as JSON.
	Detail map[string]any
}

// AppRecord is an AppItem across snapshots: the first and the last
// snapshot that had it. Gone says the latest snapshot does not.
type AppRecord struct {
	AppItem
	First, Last time.Time
	Gone        bool
}

// keepHistory records in the app history the items of the snapshot
// taken at taken, when it is the source's newest: an item that the
// snapshot before (taken at prev) had goes on, any other starts anew.
// It also records the snapshot's findings per check.
func (s *Store) keepHistory(ctx context.Context, tx *sql.Tx, source string, snap *Snapshot, prev int64) error {
	taken := snap.Taken.UnixNano()
	if err := s.keepFindings(ctx, tx, source, taken, snap.Findings); err != nil {
		return err
	}
	if prev >= taken {
		return nil // an older snapshot stored late: its successor's history stands
	}
	if s.dialect != Postgres {
		return s.keepEachItem(ctx, tx, source, snap.Items, prev, taken)
	}
	for chunk := range slices.Chunk(snap.Items, historyChunk) {
		if err := s.keepItems(ctx, tx, source, chunk, prev, taken); err != nil {
			return err
		}
	}
	return nil
}

// keepEachItem is keepItems one item at a time, for SQLite: in the
// process, statements are cheap, and its planner would join a list of
// values by scanning it for every row.
func (s *Store) keepEachItem(ctx context.Context, tx *sql.Tx, source string, items []AppItem, prev, taken int64) error {
	update, err := tx.PrepareContext(ctx, `UPDATE app_history SET last_ns = ?, detail = ?
		WHERE source = ? AND app_id = ? AND kind = ? AND item = ? AND last_ns = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO app_history (source, app_id, kind, item, first_ns, last_ns, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, it := range items {
		detail, err := json.Marshal(it.Detail)
		if err != nil {
			return fmt.Errorf("history of %s: %w", it.AppID, err)
		}
		if prev > 0 {
			r, err := update.ExecContext(ctx, taken, string(detail), source, it.AppID, it.Kind, it.Item, prev)
			if err != nil {
				return fmt.Errorf("history of %s: %w", it.AppID, err)
			}
			if n, err := r.RowsAffected(); err != nil || n > 0 {
				continue
			}
		}
		if _, err := insert.ExecContext(ctx, source, it.AppID, it.Kind, it.Item, taken, taken, string(detail)); err != nil {
			return fmt.Errorf("history of %s: %w", it.AppID, err)
		}
	}
	return nil
}

// historyChunk is how many items one statement of keepItems carries.
const historyChunk = 500

// keepItems records items of the snapshot taken at taken: those the
// snapshot before (taken at prev) had go on to taken, with their detail
// as it is now; the others start anew. Two statements a chunk, for
// PostgreSQL, so that it is not asked thousands of times over the
// network.
func (s *Store) keepItems(ctx context.Context, tx *sql.Tx, source string, items []AppItem, prev, taken int64) error {
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(items)), ", ")
	args := make([]any, 0, 4*len(items))
	for _, it := range items {
		detail, err := json.Marshal(it.Detail)
		if err != nil {
			return fmt.Errorf("history of %s: %w", it.AppID, err)
		}
		args = append(args, it.AppID, it.Kind, it.Item, string(detail))
	}
	if prev > 0 {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE app_history SET last_ns = ?, detail = v.column4 FROM (VALUES `+values+`) AS v
			WHERE app_history.source = ? AND app_history.last_ns = ? AND app_history.app_id = v.column1
				AND app_history.kind = v.column2 AND app_history.item = v.column3`),
			slices.Concat([]any{taken}, args, []any{source, prev})...)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO app_history (source, app_id, kind, item, first_ns, last_ns, detail)
		SELECT CAST(? AS TEXT), v.column1, v.column2, v.column3, CAST(? AS BIGINT), CAST(? AS BIGINT), v.column4 FROM (VALUES `+values+`) AS v
		WHERE NOT EXISTS (SELECT 1 FROM app_history h WHERE h.source = ? AND h.app_id = v.column1 AND h.kind = v.column2
			AND h.item = v.column3 AND h.last_ns = ?)
		ON CONFLICT DO NOTHING`),
		slices.Concat([]any{source, taken, taken}, args, []any{source, taken})...)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// keepFindings records how many findings each check had in the snapshot
// taken at taken, and under "" how many in all.
func (s *Store) keepFindings(ctx context.Context, tx *sql.Tx, source string, taken int64, findings map[string]int64) error {
	var total int64
	rules := []string{""}
	for id, n := range findings {
		total += n
		rules = append(rules, id)
	}
	for _, id := range rules {
		n := findings[id]
		if id == "" {
			n = total
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO snapshot_findings (source, taken_ns, rule_id, n) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`), source, taken, id, n); err != nil {
			return fmt.Errorf("findings of the snapshot: %w", err)
		}
	}
	return nil
}

// SnapshotCount is how many findings the checks had in one snapshot.
type SnapshotCount struct {
	Taken time.Time
	// ByRule counts the findings of each check that had any.
	ByRule map[string]int64
	Total  int64
}

// SnapshotTrend returns the findings per check of the last n snapshots
// source took, oldest first.
func (s *Store) SnapshotTrend(ctx context.Context, source string, n int) ([]SnapshotCount, error) {
	defer s.timed("history")()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT taken_ns, rule_id, n FROM snapshot_findings
		WHERE source = ? AND taken_ns IN (SELECT taken_ns FROM snapshot_findings WHERE source = ? AND rule_id = ''
			ORDER BY taken_ns DESC LIMIT ?)
		ORDER BY taken_ns, rule_id`), source, source, n)
	if err != nil {
		return nil, fmt.Errorf("store %s: snapshot trend: %w", s.name, err)
	}
	defer rows.Close()
	var out []SnapshotCount
	for rows.Next() {
		var taken, cnt int64
		var rule string
		if err := rows.Scan(&taken, &rule, &cnt); err != nil {
			return nil, fmt.Errorf("store %s: snapshot trend: %w", s.name, err)
		}
		t := time.Unix(0, taken).UTC()
		if len(out) == 0 || !out[len(out)-1].Taken.Equal(t) {
			out = append(out, SnapshotCount{Taken: t, ByRule: map[string]int64{}})
		}
		if rule == "" {
			out[len(out)-1].Total = cnt
		} else if cnt > 0 {
			out[len(out)-1].ByRule[rule] = cnt
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: snapshot trend: %w", s.name, err)
	}
	return out, nil
}

// AppHistory returns what the snapshots of source held of the app appID,
// by kind, then the newest first, and when the latest snapshot was
// taken (zero with none).
func (s *Store) AppHistory(ctx context.Context, source, appID string) ([]AppRecord, time.Time, error) {
	defer s.timed("history")()
	var latest sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.q("SELECT taken_ns FROM snapshots WHERE source = ?"), source).Scan(&latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("store %s: history of %s: %w", s.name, appID, err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT kind, item, first_ns, last_ns, detail FROM app_history
		WHERE source = ? AND app_id = ? ORDER BY kind, last_ns DESC, first_ns DESC, item`), source, appID)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store %s: history of %s: %w", s.name, appID, err)
	}
	defer rows.Close()
	var out []AppRecord
	for rows.Next() {
		r := AppRecord{AppItem: AppItem{AppID: appID}}
		var first, last int64
		var detail string
		if err := rows.Scan(&r.Kind, &r.Item, &first, &last, &detail); err != nil {
			return nil, time.Time{}, fmt.Errorf("store %s: history of %s: %w", s.name, appID, err)
		}
		if err := json.Unmarshal([]byte(detail), &r.Detail); err != nil {
			return nil, time.Time{}, fmt.Errorf("store %s: history of %s: item %s: %w", s.name, appID, r.Item, err)
		}
		r.First, r.Last = time.Unix(0, first).UTC(), time.Unix(0, last).UTC()
		r.Gone = latest.Valid && last < latest.Int64
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("store %s: history of %s: %w", s.name, appID, err)
	}
	slices.SortStableFunc(out, func(a, b AppRecord) int { return kindOrder(a.Kind) - kindOrder(b.Kind) })
	return out, fromNanos(latest), nil
}

// kindOrder orders the kinds of AppItem as the app page shows them.
func kindOrder(kind string) int {
	return slices.Index([]string{ItemCredential, ItemPermission, ItemOwner}, kind)
}
