package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// States of a delivery.
const (
	DeliveryPending  = "pending"  // waiting to be sent, or to be tried again
	DeliverySent     = "sent"     // the sink took it
	DeliveryDead     = "dead"     // given up: the sink refused it, or kept failing
	DeliverySilenced = "silenced" // not sent: a silence matched the alert
)

// DeliveryStates lists the states of a delivery.
func DeliveryStates() []string {
	return []string{DeliveryPending, DeliverySent, DeliveryDead, DeliverySilenced}
}

// Delivery is one alert on its way to one sink: the outbox row written
// with the alert.
type Delivery struct {
	ID       int64
	AlertKey string
	Sink     string
	Group    string // the group it joins on a sink that groups, or ""
	State    string
	Attempts int // attempts that failed, or succeeded
	// Created is when the alert was stored. Since is when the current run
	// of attempts began: Created, or when an operator retried it.
	Created, Since time.Time
	// Due is when it may be tried next, while pending.
	Due time.Time
	// Done is when it was sent, given up or silenced.
	Done      time.Time
	LastError string
	// Lease is how long the claim on it lasts, for claimed deliveries.
	Lease time.Time
	// Alert is the stored alert, with its key, status and first-seen time,
	// filled by claims and by Deliveries with DeliveryFilter.WithAlert.
	Alert alert.Alert
}

// insertDeliveries writes a pending delivery of the alert key to each
// route's sink.
func (s *Store) insertDeliveries(ctx context.Context, tx *sql.Tx, key string, routes []Route, now int64) error {
	for _, r := range routes {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO deliveries
			(alert_key, sink, grp, state, attempts, created_ns, since_ns, due_ns, holder, lease_ns, last_error)
			VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, '', 0, '') ON CONFLICT (alert_key, sink) DO NOTHING`),
			key, r.Sink, r.Group, now, now, now)
		if err != nil {
			return fmt.Errorf("delivery to %s: %w", r.Sink, err)
		}
	}
	return nil
}

// DeliveryFilter selects deliveries. Zero fields select everything.
type DeliveryFilter struct {
	Sinks    []string
	States   []string
	AlertKey string
	IDs      []int64
	// WithAlert fills Delivery.Alert.
	WithAlert bool
	// Limit bounds how many are listed; 0 lists all.
	Limit int
}

func (f DeliveryFilter) where() (string, []any) {
	var conds []string
	var args []any
	if len(f.Sinks) > 0 {
		conds, args = append(conds, "d.sink IN ("+marks(len(f.Sinks))+")"), append(args, strs(f.Sinks)...)
	}
	if len(f.States) > 0 {
		conds, args = append(conds, "d.state IN ("+marks(len(f.States))+")"), append(args, strs(f.States)...)
	}
	if f.AlertKey != "" {
		conds, args = append(conds, "d.alert_key = ?"), append(args, f.AlertKey)
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "d.id IN ("+marks(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// deliveryColumns are what scanDelivery reads, the alert's last.
const deliveryColumns = `d.id, d.alert_key, d.sink, d.grp, d.state, d.attempts, d.created_ns, d.since_ns, d.due_ns,
	d.done_ns, d.last_error, d.lease_ns, a.status, a.first_seen_ns, a.body`

func scanDelivery(rows *sql.Rows, withAlert bool) (Delivery, error) {
	var d Delivery
	var created, since, due, done, lease, first sql.NullInt64
	var status, body string
	err := rows.Scan(&d.ID, &d.AlertKey, &d.Sink, &d.Group, &d.State, &d.Attempts, &created, &since, &due,
		&done, &d.LastError, &lease, &status, &first, &body)
	if err != nil {
		return d, err
	}
	d.Created, d.Since, d.Done = fromNanos(created), fromNanos(since), fromNanos(done)
	if lease.Int64 > 0 {
		d.Lease = fromNanos(lease)
	}
	if d.State == DeliveryPending {
		d.Due = fromNanos(due)
	}
	if withAlert {
		if err := json.Unmarshal([]byte(body), &d.Alert); err != nil {
			return d, fmt.Errorf("alert %s: %w", d.AlertKey, err)
		}
		d.Alert.AlertKey, d.Alert.Status, d.Alert.FirstSeen = d.AlertKey, status, alert.FormatTime(fromNanos(first))
	}
	return d, nil
}

// Deliveries calls fn with the deliveries f selects, oldest first. It is
// what appwatch deliveries list and the console read.
func (s *Store) Deliveries(ctx context.Context, f DeliveryFilter, fn func(Delivery) error) error {
	defer s.timed("deliveries")()
	where, args := f.where()
	query := `SELECT ` + deliveryColumns + ` FROM deliveries d JOIN alerts a ON a.alert_key = d.alert_key` + where + ` ORDER BY d.id`
	if f.Limit > 0 {
		query, args = query+" LIMIT ?", append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("store %s: deliveries: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDelivery(rows, f.WithAlert)
		if err != nil {
			return fmt.Errorf("store %s: deliveries: %w", s.name, err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store %s: deliveries: %w", s.name, err)
	}
	return nil
}

// SinkBacklog is what a sink still has to deliver.
type SinkBacklog struct {
	Sink    string
	Pending int64
	Dead    int64
	// OldestPending is when the oldest pending delivery's alert was
	// stored; zero when none is pending.
	OldestPending time.Time
}

// Backlog returns, per sink with pending or dead deliveries, how many
// there are and how old the oldest pending one is, by sink name.
func (s *Store) Backlog(ctx context.Context) (map[string]SinkBacklog, error) {
	defer s.timed("backlog")()
	rows, err := s.db.QueryContext(ctx, `SELECT sink, state, COUNT(*), MIN(created_ns) FROM deliveries
		WHERE state IN ('pending', 'dead') GROUP BY sink, state`)
	if err != nil {
		return nil, fmt.Errorf("store %s: backlog: %w", s.name, err)
	}
	defer rows.Close()
	out := map[string]SinkBacklog{}
	for rows.Next() {
		var sink, state string
		var n int64
		var oldest sql.NullInt64
		if err := rows.Scan(&sink, &state, &n, &oldest); err != nil {
			return nil, fmt.Errorf("store %s: backlog: %w", s.name, err)
		}
		b := out[sink]
		b.Sink = sink
		if state == DeliveryPending {
			b.Pending, b.OldestPending = n, fromNanos(oldest)
		} else {
			b.Dead = n
		}
		out[sink] = b
	}
	return out, rows.Err()
}

// RetryDeliveries makes the dead deliveries f selects (whatever f's
// States) pending again, due now, their run of attempts starting now,
// and lifts the pause of their sinks. It returns how many it retried.
func (s *Store) RetryDeliveries(ctx context.Context, f DeliveryFilter) (int64, error) {
	defer s.timed("retry")()
	f.States = []string{DeliveryDead}
	where, args := f.where()
	now := s.now().UnixNano()
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT DISTINCT d.sink FROM deliveries d`+where), args...)
		if err != nil {
			return err
		}
		var sinks []string
		for rows.Next() {
			var sink string
			if err := rows.Scan(&sink); err != nil {
				rows.Close()
				return err
			}
			sinks = append(sinks, sink)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, s.q(`UPDATE deliveries SET state = 'pending', since_ns = ?, due_ns = ?,
			holder = '', lease_ns = 0, done_ns = NULL WHERE id IN (SELECT d.id FROM deliveries d`+where+`)`),
			append([]any{now, now}, args...)...)
		if err != nil {
			return err
		}
		if n, err = r.RowsAffected(); err != nil {
			return err
		}
		for _, sink := range sinks {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE delivery_sinks SET next_ns = ?, failures = 0, updated_ns = ? WHERE sink = ?`),
				now, now, sink); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store %s: retry deliveries: %w", s.name, err)
	}
	return n, nil
}

// Claim asks for deliveries of one sink to send.
type Claim struct {
	Sink   string
	Holder string // names the process claiming, as for leases
	// Group, when set, claims only the deliveries of this group; see
	// ClaimGroup.
	Group string
	Limit int
	// Lease is how long the claim lasts: until then no other holder
	// claims the deliveries; after, any holder may.
	Lease time.Duration
}

// ClaimDeliveries claims the pending deliveries of c.Sink that are due
// and not claimed by another holder whose lease still runs, oldest due
// first, at most c.Limit, and returns them with their alerts. On
// PostgreSQL, processes claiming at once skip each other's rows.
func (s *Store) ClaimDeliveries(ctx context.Context, c Claim) ([]Delivery, error) {
	defer s.timed("claim")()
	var out []Delivery
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = s.claim(ctx, tx, c, s.now())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store %s: claim deliveries of %s: %w", s.name, c.Sink, err)
	}
	return out, nil
}

func (s *Store) claim(ctx context.Context, tx *sql.Tx, c Claim, now time.Time) ([]Delivery, error) {
	query := `SELECT ` + deliveryColumns + ` FROM deliveries d JOIN alerts a ON a.alert_key = d.alert_key
		WHERE d.sink = ? AND d.state = 'pending' AND d.due_ns <= ? AND d.lease_ns <= ?`
	args := []any{c.Sink, now.UnixNano(), now.UnixNano()}
	if c.Group != "" {
		query, args = query+" AND d.grp = ?", append(args, c.Group)
	}
	query, args = query+" ORDER BY d.due_ns, d.id LIMIT ?", append(args, c.Limit)
	if s.dialect == Postgres {
		query += " FOR UPDATE OF d SKIP LOCKED"
	}
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows, true)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	lease := now.Add(c.Lease)
	for i := range out {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE deliveries SET holder = ?, lease_ns = ? WHERE id = ?`),
			c.Holder, lease.UnixNano(), out[i].ID); err != nil {
			return nil, err
		}
		out[i].Lease = lease
	}
	return out, nil
}

// Outcome is what became of a claimed delivery.
type Outcome struct {
	ID int64
	// State is the delivery's new state; DeliveryPending puts it back,
	// to be tried again at Due.
	State string
	Due   time.Time
	// Attempted counts an attempt: false for a delivery given back
	// without being sent (a stop, the sink's rate limit).
	Attempted bool
	Error     string
	// SuppressedBy, for DeliverySilenced, names the silence; the alert,
	// if still open, becomes suppressed by it.
	SuppressedBy string
	// Group, when set, moves the delivery to this group of its sink.
	Group string
}

// GroupSent records the message a sink that groups sent for a group.
type GroupSent struct {
	Sink, Group string
	At          time.Time
	// Keys are the alerts it listed, added to those the group listed
	// before (the last MaxGroupKeys are kept), or in their place with
	// Replace.
	Keys    []string
	Replace bool
}

// MaxGroupKeys bounds how many alert keys a group remembers for
// repeats.
const MaxGroupKeys = 500

// FinishDeliveries records outcomes of deliveries holder claimed, and
// the group message sent if any, in one transaction, and lets go of the
// claims (and of the group's). An outcome of a delivery holder no longer
// holds is recorded all the same: the delivery was sent by then.
func (s *Store) FinishDeliveries(ctx context.Context, holder string, outcomes []Outcome, sent *GroupSent) error {
	defer s.timed("finish")()
	now := s.now().UnixNano()
	sorted := slices.Clone(outcomes)
	slices.SortFunc(sorted, func(a, b Outcome) int { return cmp.Compare(a.ID, b.ID) })
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		silenced := false
		for _, o := range sorted {
			if err := s.finish(ctx, tx, o, now); err != nil {
				return fmt.Errorf("delivery %d: %w", o.ID, err)
			}
			silenced = silenced || o.State == DeliverySilenced
		}
		if sent != nil {
			if err := s.groupSent(ctx, tx, sent); err != nil {
				return err
			}
		}
		if !silenced {
			return nil
		}
		return s.alertsChanged(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store %s: finish deliveries: %w", s.name, err)
	}
	return nil
}

// groupSent records a group's message and lets go of the group.
func (s *Store) groupSent(ctx context.Context, tx *sql.Tx, sent *GroupSent) error {
	keys := sent.Keys
	if !sent.Replace {
		var before string
		err := tx.QueryRowContext(ctx, s.q(`SELECT keys FROM delivery_groups WHERE sink = ? AND grp = ?`), sent.Sink, sent.Group).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var old []string
		json.Unmarshal([]byte(cmp.Or(before, "[]")), &old) // written below: a list of strings
		seen := map[string]bool{}
		keys = slices.DeleteFunc(append(old, keys...), func(k string) bool {
			dup := seen[k]
			seen[k] = true
			return dup
		})
	}
	if len(keys) > MaxGroupKeys {
		keys = keys[len(keys)-MaxGroupKeys:]
	}
	b, _ := json.Marshal(keys) // a list of strings: cannot fail
	_, err := tx.ExecContext(ctx, s.q(`UPDATE delivery_groups SET last_sent_ns = ?, keys = ?, holder = '', lease_ns = 0
		WHERE sink = ? AND grp = ?`), sent.At.UnixNano(), string(b), sent.Sink, sent.Group)
	return err
}

func (s *Store) finish(ctx context.Context, tx *sql.Tx, o Outcome, now int64) error {
	attempts := 0
	if o.Attempted {
		attempts = 1
	}
	due, done := sql.NullInt64{}, sql.NullInt64{Int64: now, Valid: true}
	if o.State == DeliveryPending {
		due.Int64, due.Valid, done = o.Due.UnixNano(), true, sql.NullInt64{}
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE deliveries SET state = ?, attempts = attempts + ?, due_ns = COALESCE(?, due_ns),
		done_ns = ?, last_error = CASE WHEN ? = '' THEN last_error ELSE ? END, holder = '', lease_ns = 0,
		grp = CASE WHEN ? = '' THEN grp ELSE ? END
		WHERE id = ?`), o.State, attempts, due, done, o.Error, o.Error, o.Group, o.Group, o.ID)
	if err != nil || o.State != DeliverySilenced {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE alerts SET status = 'suppressed', suppressed_by = ?
		WHERE status = 'open' AND alert_key = (SELECT alert_key FROM deliveries WHERE id = ?)`), o.SuppressedBy, o.ID)
	return err
}

// NextDue returns when the next pending delivery of sink falls due (or
// its claim ends, if later), or the zero time when none is pending.
func (s *Store) NextDue(ctx context.Context, sink string) (time.Time, error) {
	defer s.timed("next")()
	var next sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT MIN(CASE WHEN lease_ns > due_ns THEN lease_ns ELSE due_ns END)
		FROM deliveries WHERE sink = ? AND state = 'pending'`), sink).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("store %s: next delivery of %s: %w", s.name, sink, err)
	}
	return fromNanos(next), nil
}

// ExpirePending gives up the pending deliveries of sink whose run of
// attempts began before before, unclaimed: what a dispatcher does while
// the sink keeps failing. reason becomes their last error unless they
// have one. It returns how many it gave up.
func (s *Store) ExpirePending(ctx context.Context, sink string, before time.Time, reason string) (int64, error) {
	defer s.timed("expire")()
	now := s.now().UnixNano()
	r, err := s.db.ExecContext(ctx, s.q(`UPDATE deliveries SET state = 'dead', done_ns = ?,
		last_error = CASE WHEN last_error = '' THEN ? ELSE last_error END
		WHERE sink = ? AND state = 'pending' AND since_ns < ? AND lease_ns <= ?`), now, reason, sink, before.UnixNano(), now)
	if err != nil {
		return 0, fmt.Errorf("store %s: expire deliveries of %s: %w", s.name, sink, err)
	}
	return r.RowsAffected()
}
