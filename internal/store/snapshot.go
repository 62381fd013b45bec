package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Snapshot is the latest tenant snapshot a source took, kept so that the
// next one can be compared with it.
type Snapshot struct {
	Taken time.Time
	// Body is the snapshot in the source's own encoding, stored as given.
	Body []byte
	// Findings counts the snapshot's findings by check, and Items lists
	// what each application holds in it: the console shows the trend of
	// the one and the history of the other across snapshots. Neither is
	// read back by Snapshot.
	Findings map[string]int64
	Items    []AppItem
}

// Snapshot returns the snapshot stored for source, or nil when there is
// none.
func (s *Store) Snapshot(ctx context.Context, source string) (*Snapshot, error) {
	defer s.timed("snapshot")()
	var taken int64
	var body []byte
	err := s.db.QueryRowContext(ctx, s.q("SELECT taken_ns, body FROM snapshots WHERE source = ?"), source).Scan(&taken, &body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("store %s: snapshot of %s: %w", s.name, source, err)
	}
	return &Snapshot{Taken: time.Unix(0, taken).UTC(), Body: body}, nil
}

// setSnapshot keeps snap as source's latest snapshot, unless the one
// stored was taken later: an instance that lost its lease while taking a
// snapshot must not put an older one back in place of its successor's,
// whose changes the next comparison would otherwise find again.
func (s *Store) setSnapshot(ctx context.Context, tx *sql.Tx, source string, snap *Snapshot) error {
	if snap == nil {
		return nil
	}
	var prev int64
	err := tx.QueryRowContext(ctx, s.q("SELECT taken_ns FROM snapshots WHERE source = ?"), source).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := s.keepHistory(ctx, tx, source, snap, prev); err != nil {
		return err
	}
	body := snap.Body
	if body == nil {
		body = []byte{}
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO snapshots (source, taken_ns, body) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET taken_ns = excluded.taken_ns, body = excluded.body
		WHERE snapshots.taken_ns < excluded.taken_ns`),
		source, snap.Taken.UnixNano(), body)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}

// setStatuses marks the alerts whose keys are in resolve as resolved,
// when they are open or acknowledged, and those in reopen as open again,
// when they were resolved, and reports whether it changed any. Keys are
// updated in order, so that two transactions cannot deadlock.
func (s *Store) setStatuses(ctx context.Context, tx *sql.Tx, resolve, reopen []string) (bool, error) {
	steps := []struct {
		keys     []string
		to, from string
	}{
		{resolve, alert.StatusResolved, "status IN ('open', 'acknowledged')"},
		{reopen, alert.StatusOpen, "status = 'resolved'"},
	}
	changed := false
	for _, st := range steps {
		keys := slices.Sorted(slices.Values(st.keys))
		for _, k := range slices.Compact(keys) {
			r, err := tx.ExecContext(ctx, s.q("UPDATE alerts SET status = ? WHERE alert_key = ? AND "+st.from), st.to, k)
			if err != nil {
				return false, fmt.Errorf("alert %s: status %s: %w", k, st.to, err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return false, fmt.Errorf("alert %s: status %s: %w", k, st.to, err)
			} else if n > 0 {
				changed = true
			}
		}
	}
	return changed, nil
}
