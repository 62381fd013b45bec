package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// SinkState is what the processes sending to one sink share.
type SinkState struct {
	// Next is when the sink may take its next message: its rate limit,
	// and its pause after failures or a Retry-After.
	Next time.Time
	// Failures counts the attempts in a row that failed.
	Failures int
}

// SinkState returns the shared state of sink; the zero SinkState when
// nothing was sent to it yet.
func (s *Store) SinkState(ctx context.Context, sink string) (SinkState, error) {
	defer s.timed("sink")()
	var st SinkState
	var next int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT next_ns, failures FROM delivery_sinks WHERE sink = ?`), sink).Scan(&next, &st.Failures)
	if errors.Is(err, sql.ErrNoRows) {
		return SinkState{}, nil
	}
	if err != nil {
		return SinkState{}, fmt.Errorf("store %s: state of sink %s: %w", s.name, sink, err)
	}
	st.Next = fromNanos(sql.NullInt64{Int64: next, Valid: next != 0})
	return st, nil
}

// TakeSlot asks to send sink one message now, keeping its rate limit
// across every process: when the sink may take one (its Next has come),
// the slot is taken, Next moves interval past now (or past Next, if
// later) and TakeSlot returns the zero time; otherwise it returns when
// the sink may take one.
func (s *Store) TakeSlot(ctx context.Context, sink string, interval time.Duration) (time.Time, error) {
	defer s.timed("sink")()
	now := s.now().UnixNano()
	var wait time.Time
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		next, err := s.lockSink(ctx, tx, sink, now)
		if err != nil {
			return err
		}
		if next > now {
			wait = time.Unix(0, next).UTC()
			return nil
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE delivery_sinks SET next_ns = ?, updated_ns = ? WHERE sink = ?`),
			max(next, now)+interval.Nanoseconds(), now, sink)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("store %s: rate of sink %s: %w", s.name, sink, err)
	}
	return wait, nil
}

// lockSink returns the sink's next_ns, creating its row, locked for the
// transaction.
func (s *Store) lockSink(ctx context.Context, tx *sql.Tx, sink string, now int64) (int64, error) {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO delivery_sinks (sink, next_ns, failures, updated_ns) VALUES (?, 0, 0, ?)
		ON CONFLICT (sink) DO NOTHING`), sink, now); err != nil {
		return 0, err
	}
	query := `SELECT next_ns FROM delivery_sinks WHERE sink = ?`
	if s.dialect == Postgres {
		query += " FOR UPDATE"
	}
	var next int64
	err := tx.QueryRowContext(ctx, s.q(query), sink).Scan(&next)
	return next, err
}

// SinkFailed counts a failed attempt on sink and pauses it: Next becomes
// now plus pause(failures in a row), or plus retryAfter when longer, unless
// it is later already. It returns the new state.
func (s *Store) SinkFailed(ctx context.Context, sink string, pause func(failures int) time.Duration, retryAfter time.Duration) (SinkState, error) {
	defer s.timed("sink")()
	now := s.now().UnixNano()
	var st SinkState
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		next, err := s.lockSink(ctx, tx, sink, now)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.q(`UPDATE delivery_sinks SET failures = failures + 1, updated_ns = ? WHERE sink = ?
			RETURNING failures`), now, sink).Scan(&st.Failures); err != nil {
			return err
		}
		next = max(next, now+max(pause(st.Failures), retryAfter).Nanoseconds())
		st.Next = time.Unix(0, next).UTC()
		_, err = tx.ExecContext(ctx, s.q(`UPDATE delivery_sinks SET next_ns = ? WHERE sink = ?`), next, sink)
		return err
	})
	if err != nil {
		return SinkState{}, fmt.Errorf("store %s: failure of sink %s: %w", s.name, sink, err)
	}
	return st, nil
}

// SinkRecovered records that sink took a message: its failures in a row
// are forgotten.
func (s *Store) SinkRecovered(ctx context.Context, sink string) error {
	defer s.timed("sink")()
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE delivery_sinks SET failures = 0, updated_ns = ? WHERE sink = ? AND failures > 0`),
		s.now().UnixNano(), sink)
	if err != nil {
		return fmt.Errorf("store %s: recovery of sink %s: %w", s.name, sink, err)
	}
	return nil
}

// PendingGroup is a group of a sink that groups, with deliveries pending.
type PendingGroup struct {
	Group string
	// First is when the oldest pending delivery's alert was stored; Due
	// when the earliest of them may be tried (after a failed message).
	First, Due time.Time
	// LastSent is when the group's last message went; zero when none did.
	LastSent time.Time
}

// PendingGroups lists the groups of sink with pending deliveries that no
// other holder has claimed, with what decides when their next message
// goes.
func (s *Store) PendingGroups(ctx context.Context, sink string) ([]PendingGroup, error) {
	defer s.timed("groups")()
	now := s.now().UnixNano()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT d.grp, MIN(d.created_ns), MIN(d.due_ns), COALESCE(MAX(g.last_sent_ns), 0)
		FROM deliveries d LEFT JOIN delivery_groups g ON g.sink = d.sink AND g.grp = d.grp
		WHERE d.sink = ? AND d.state = 'pending' AND d.lease_ns <= ? AND COALESCE(g.lease_ns, 0) <= ?
		GROUP BY d.grp ORDER BY MIN(d.created_ns), MIN(d.id)`), sink, now, now)
	if err != nil {
		return nil, fmt.Errorf("store %s: groups of %s: %w", s.name, sink, err)
	}
	defer rows.Close()
	var out []PendingGroup
	for rows.Next() {
		var g PendingGroup
		var first, due, last int64
		if err := rows.Scan(&g.Group, &first, &due, &last); err != nil {
			return nil, fmt.Errorf("store %s: groups of %s: %w", s.name, sink, err)
		}
		g.First, g.Due = time.Unix(0, first).UTC(), time.Unix(0, due).UTC()
		if last > 0 {
			g.LastSent = time.Unix(0, last).UTC()
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ClaimGroup claims group c.Group of sink c.Sink for c.Holder, then its
// pending deliveries that are due, as ClaimDeliveries does. It returns
// claimed false when another holder has the group. The group's claim ends
// with FinishDeliveries or ReleaseGroup, or when the lease runs out.
func (s *Store) ClaimGroup(ctx context.Context, c Claim) ([]Delivery, bool, error) {
	defer s.timed("claim")()
	var out []Delivery
	var claimed bool
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		now := s.now()
		if claimed, err = s.claimGroup(ctx, tx, c, now); err != nil || !claimed {
			return err
		}
		if c.Limit > 0 {
			out, err = s.claim(ctx, tx, c, now)
		}
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store %s: claim group of %s: %w", s.name, c.Sink, err)
	}
	return out, claimed, nil
}

func (s *Store) claimGroup(ctx context.Context, tx *sql.Tx, c Claim, now time.Time) (bool, error) {
	r, err := tx.ExecContext(ctx, s.q(`INSERT INTO delivery_groups (sink, grp, last_sent_ns, keys, holder, lease_ns)
		VALUES (?, ?, 0, '[]', ?, ?)
		ON CONFLICT (sink, grp) DO UPDATE SET holder = excluded.holder, lease_ns = excluded.lease_ns
		WHERE delivery_groups.lease_ns <= ? OR delivery_groups.holder = excluded.holder`),
		c.Sink, c.Group, c.Holder, now.Add(c.Lease).UnixNano(), now.UnixNano())
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// ReleaseGroup lets go of holder's claim on a group without recording a
// message.
func (s *Store) ReleaseGroup(ctx context.Context, sink, group, holder string) error {
	defer s.timed("groups")()
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE delivery_groups SET holder = '', lease_ns = 0 WHERE sink = ? AND grp = ? AND holder = ?`),
		sink, group, holder)
	if err != nil {
		return fmt.Errorf("store %s: release group of %s: %w", s.name, sink, err)
	}
	return nil
}

// QuietGroup is a group whose last message went before a time, and that
// has nothing pending: what a repeat may remind of.
type QuietGroup struct {
	Group    string
	LastSent time.Time
	Keys     []string // the alerts its last message listed
}

// QuietGroups lists the groups of sink, unclaimed and with no pending
// delivery, whose last message went before before.
func (s *Store) QuietGroups(ctx context.Context, sink string, before time.Time) ([]QuietGroup, error) {
	defer s.timed("groups")()
	now := s.now().UnixNano()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT g.grp, g.last_sent_ns, g.keys FROM delivery_groups g
		WHERE g.sink = ? AND g.last_sent_ns > 0 AND g.last_sent_ns < ? AND g.lease_ns <= ?
		AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.sink = g.sink AND d.grp = g.grp AND d.state = 'pending')
		ORDER BY g.last_sent_ns`), sink, before.UnixNano(), now)
	if err != nil {
		return nil, fmt.Errorf("store %s: quiet groups of %s: %w", s.name, sink, err)
	}
	defer rows.Close()
	var out []QuietGroup
	for rows.Next() {
		var g QuietGroup
		var last int64
		var keys string
		if err := rows.Scan(&g.Group, &last, &keys); err != nil {
			return nil, fmt.Errorf("store %s: quiet groups of %s: %w", s.name, sink, err)
		}
		g.LastSent = time.Unix(0, last).UTC()
		if err := json.Unmarshal([]byte(keys), &g.Keys); err != nil {
			return nil, fmt.Errorf("store %s: group %s of %s: %w", s.name, g.Group, sink, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ForgetGroup deletes holder's group, which has nothing left to remind
// of; its next alert starts it again.
func (s *Store) ForgetGroup(ctx context.Context, sink, group, holder string) error {
	defer s.timed("groups")()
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM delivery_groups WHERE sink = ? AND grp = ? AND holder = ?`), sink, group, holder)
	if err != nil {
		return fmt.Errorf("store %s: forget group of %s: %w", s.name, sink, err)
	}
	return nil
}

// OpenAlerts returns those of the alerts keys names that are still open,
// in the order of keys.
func (s *Store) OpenAlerts(ctx context.Context, keys []string) ([]alert.Alert, error) {
	defer s.timed("alerts")()
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT alert_key, status, first_seen_ns, body FROM alerts
		WHERE status = 'open' AND alert_key IN (`+marks(len(keys))+`)`), strs(keys)...)
	if err != nil {
		return nil, fmt.Errorf("store %s: open alerts: %w", s.name, err)
	}
	defer rows.Close()
	byKey := map[string]alert.Alert{}
	for rows.Next() {
		var key, status, body string
		var first int64
		if err := rows.Scan(&key, &status, &first, &body); err != nil {
			return nil, fmt.Errorf("store %s: open alerts: %w", s.name, err)
		}
		var a alert.Alert
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			return nil, fmt.Errorf("store %s: alert %s: %w", s.name, key, err)
		}
		a.AlertKey, a.Status, a.FirstSeen = key, status, alert.FormatTime(time.Unix(0, first))
		byKey[key] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: open alerts: %w", s.name, err)
	}
	var out []alert.Alert
	for _, k := range keys {
		if a, ok := byKey[k]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}
