package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// Batch is what one batch read from a source stores, in one transaction.
type Batch struct {
	Source    string // the source as named on the command line
	Alerts    []Alert
	Rejected  []Rejected
	Hits      []Hit
	Seen      []Seen
	Positions []Position
	Counts    Counts
	// Resolve and Reopen hold keys of stored alerts whose condition no
	// longer holds, or holds again (posture findings): Resolve marks open
	// and acknowledged ones resolved, Reopen marks resolved ones open.
	Resolve, Reopen []string
	// Snapshot, when set, replaces the source's stored snapshot.
	Snapshot *Snapshot
	// Kinds counts the batch's events by kind of log (event.Kind), for
	// telling when data of each kind last arrived.
	Kinds map[string]int64
}

// Alert is an alert to store under its key.
type Alert struct {
	Key    string
	Status string // open or suppressed when stored; open when empty
	Alert  alert.Alert
	// Change, when set, names the change the alert is about (see
	// scan.Change): other records of the same change raise the same
	// alert. The alert is a copy, and is not stored, when an alert of the
	// same change whose time is within Within of its own (at any time,
	// when Within is 0) is stored already, or comes before it in the
	// batch.
	Change string
	Within time.Duration
	// SuppressedBy says why a suppressed alert is: SuppressedByPolicy or
	// a silence (SilenceRef); the store sets SuppressedByFirstSeen.
	SuppressedBy string
	// Routes are the sinks that take the alert, each with the group it
	// joins there. When the alert is stored now and open, a pending
	// delivery is written for each, in the same transaction.
	Routes []Route
	// QuietFor turns on first-seen suppression: when an alert of the same
	// rule, application and actor, not suppressed, is stored whose
	// activity is less than QuietFor before or after this one's, this one
	// is stored suppressed (SuppressedByFirstSeen) and not delivered.
	// Alerts without a time are never suppressed this way.
	QuietFor time.Duration
	// Record is the record the alert was raised on, as JSON, kept beside
	// the alert for people to read; nil keeps none.
	Record []byte
}

// Why an alert is suppressed (Alert.SuppressedBy).
const (
	SuppressedByPolicy    = "policy"     // a suppression of the tenant policy
	SuppressedByFirstSeen = "first-seen" // first-seen suppression
)

// Route sends an alert to a sink.
type Route struct {
	Sink string
	// Group is the group the alert joins on a sink that groups alerts
	// (Alertmanager's group key), empty on the others.
	Group string
}

// Rejected is a record that could not be decoded.
type Rejected struct {
	Stream string
	// Position names the record within its stream (a line, an offset);
	// a record is stored once per source, stream and position.
	Position string
	Reason   string // short, as counted: "invalid JSON"
	Message  string
	Head     []byte // the record's first bytes
}

// MaxHead is how many bytes of a rejected record are kept.
const MaxHead = 1024

// Seen is a record id a source has read, remembered until Expires.
type Seen struct {
	ID      string
	Expires time.Time
}

// Position is how far a source has read one of its streams: the text is
// the source's own (an offset, a cursor), stored as given.
type Position struct {
	Stream string
	Value  string
	// Check makes the batch conditional on the stream's stored position
	// being From ("" for none): a batch read from a position that another
	// process, or an earlier batch, has moved the stream on from is not
	// stored at all (Committed.Stale). Sources that several processes
	// may read at once, such as the partitions of a Kafka topic, set it,
	// so that a position never moves back and nothing is counted twice.
	Check bool
	From  string
}

// Counts counts what a batch read.
type Counts struct {
	Records  int64 // records read, whatever became of them
	Events   int64 // records turned into events
	Skipped  int64 // records of no interest (their layout says so)
	Rejected int64 // records that could not be decoded
}

// Committed says what a commit stored.
type Committed struct {
	// Inserted holds the indexes in Batch.Alerts of the alerts stored
	// now; the others were stored before, or are copies.
	Inserted []int
	// Copies holds the indexes in Batch.Alerts of the alerts not stored
	// because an alert of the same change was (see Alert.Change).
	Copies []int
	// Scopes lists the correlation scopes the batch's hits went to; they
	// are dirty until evaluated.
	Scopes []string
	// Stale is set when nothing was stored because a checked position
	// was no longer the one the batch was read from (see Position.Check).
	Stale bool
}

// errStale rolls back a batch whose checked positions moved on.
var errStale = errors.New("stale batch")

// Commit stores b in one transaction: its alerts (each once per key and
// once per change), rejected records, correlation hits (marking their
// scopes dirty), seen ids, status changes, snapshot, counts and
// positions. Either everything is stored or nothing: nothing when a
// checked position moved on since the batch was read (Committed.Stale).
func (s *Store) Commit(ctx context.Context, b *Batch) (*Committed, error) {
	defer s.timed("commit")()
	now := s.now().UnixNano()
	res := &Committed{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := s.insertAlerts(ctx, tx, b.Source, b.Alerts, now)
		if err != nil {
			return err
		}
		res.Inserted, res.Copies = ins.inserted, ins.copies
		if err := s.insertRejected(ctx, tx, b.Source, b.Rejected, now); err != nil {
			return err
		}
		if res.Scopes, err = s.insertHits(ctx, tx, b.Hits, now); err != nil {
			return err
		}
		if err := s.insertSeen(ctx, tx, b.Source, b.Seen); err != nil {
			return err
		}
		changed, err := s.setStatuses(ctx, tx, b.Resolve, b.Reopen)
		if err != nil {
			return err
		}
		if err := s.setSnapshot(ctx, tx, b.Source, b.Snapshot); err != nil {
			return err
		}
		if err := s.addCounts(ctx, tx, b.Source, b.Counts, int64(len(ins.inserted)), now); err != nil {
			return err
		}
		if err := s.addArrivals(ctx, tx, b.Source, b.Counts.Records, b.Kinds, now); err != nil {
			return err
		}
		if err := s.setPositions(ctx, tx, b.Source, b.Positions, now); err != nil {
			return err
		}
		if len(ins.inserted) == 0 && !changed {
			return nil
		}
		return s.alertsChanged(ctx, tx)
	})
	if errors.Is(err, errStale) {
		return &Committed{Stale: true}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: commit batch of %s: %w", s.name, b.Source, err)
	}
	return res, nil
}

// insertedAlerts says what insertAlerts did with each alert.
type insertedAlerts struct {
	inserted, copies []int
}

// insertAlerts stores the alerts whose keys are new and that are not
// copies of an alert of the same change, and returns their indexes.
// Copies are decided in the order of alerts, with the changes locked
// against other transactions; keys are then inserted in order, so that
// two transactions storing some of the same keys cannot deadlock. A
// unique index keeps one alert of a change whose alerts are copies at
// any time (Within 0), whatever decided before. First-seen suppression
// is decided as each alert is inserted, and an alert inserted open has
// its deliveries written: none for copies, nor for alerts stored before.
func (s *Store) insertAlerts(ctx context.Context, tx *sql.Tx, source string, alerts []Alert, now int64) (insertedAlerts, error) {
	var out insertedAlerts
	if len(alerts) == 0 {
		return out, nil
	}
	times := make([]sql.NullInt64, len(alerts))
	for i := range alerts {
		t, _ := time.Parse(time.RFC3339Nano, alerts[i].Alert.Time)
		times[i] = nanos(t)
	}
	copies, err := s.copies(ctx, tx, alerts, times)
	if err != nil {
		return out, err
	}
	order := make([]int, 0, len(alerts))
	for i := range alerts {
		if copies[i] {
			out.copies = append(out.copies, i)
		} else {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(alerts[i].Key, alerts[j].Key) })
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO alerts
		(alert_key, rule_id, guide_row, level, level_rank, time_ns, tenant_id, app_id, actor_id, status, first_seen_ns, source, change_key, change_ns, change_within_ns, body, suppressed_by,
		 sort_ns, outside_hours, event_id, correlation_id, app_name, actor_name)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`))
	if err != nil {
		return out, err
	}
	defer stmt.Close()
	for _, i := range order {
		a := &alerts[i]
		body, err := json.Marshal(bodyOf(a.Alert))
		if err != nil {
			return out, fmt.Errorf("alert %s: %w", a.Key, err)
		}
		t, _ := time.Parse(time.RFC3339Nano, a.Alert.Time)
		actor := actorID(a.Alert.Actor)
		status, by := cmp.Or(a.Status, alert.StatusOpen), a.SuppressedBy
		if status == alert.StatusOpen && a.QuietFor > 0 && !t.IsZero() {
			quiet, err := s.seenNear(ctx, tx, a, actor, t)
			if err != nil {
				return out, fmt.Errorf("alert %s: %w", a.Key, err)
			}
			if quiet {
				status, by = alert.StatusSuppressed, SuppressedByFirstSeen
			}
		}
		if status != alert.StatusSuppressed {
			by = ""
		}
		sortNS := now
		if !t.IsZero() {
			sortNS = t.UnixNano()
		}
		r, err := stmt.ExecContext(ctx, a.Key, a.Alert.RuleID, a.Alert.GuideRow, a.Alert.Level, alert.Rank(a.Alert.Level),
			times[i], a.Alert.TenantID, a.Alert.Target.AppID, actor, status, now, source, a.Change, times[i].Int64, int64(max(a.Within, 0)), body, by,
			sortNS, a.Alert.OutsideBusinessHours, a.Alert.EventID, a.Alert.CorrelationID, a.Alert.Target.Name, actorName(a.Alert.Actor))
		if err != nil {
			return out, fmt.Errorf("alert %s: %w", a.Key, err)
		}
		if s.inserted != nil {
			s.inserted(a.Key)
		}
		if n, err := r.RowsAffected(); err != nil {
			return out, err
		} else if n == 0 {
			continue
		}
		out.inserted = append(out.inserted, i)
		if status == alert.StatusOpen {
			if err := s.insertDeliveries(ctx, tx, a.Key, a.Routes, now); err != nil {
				return out, fmt.Errorf("alert %s: %w", a.Key, err)
			}
		}
		if err := s.insertAlertExtras(ctx, tx, a); err != nil {
			return out, fmt.Errorf("alert %s: %w", a.Key, err)
		}
	}
	slices.Sort(out.inserted)
	return out, nil
}

// copies reports, for each alert, whether it is a copy: an alert of the
// same change is stored, or comes before it in alerts, at a time close
// enough (see Alert.Change). An alert whose own key is stored is not a
// copy: it was read before, and stays as it was.
func (s *Store) copies(ctx context.Context, tx *sql.Tx, alerts []Alert, times []sql.NullInt64) ([]bool, error) {
	out := make([]bool, len(alerts))
	var changes []string
	for _, a := range alerts {
		if a.Change != "" {
			changes = append(changes, a.Change)
		}
	}
	if len(changes) == 0 {
		return out, nil
	}
	if err := s.lockChanges(ctx, tx, changes); err != nil {
		return nil, err
	}
	kept := map[string][]int64{} // change → times of the alerts of the batch kept
	for i, a := range alerts {
		if a.Change == "" {
			continue
		}
		t := times[i].Int64
		near := func(u int64) bool { return a.Within <= 0 || (t-u <= int64(a.Within) && u-t <= int64(a.Within)) }
		if slices.ContainsFunc(kept[a.Change], near) {
			out[i] = true
			continue
		}
		stored, err := s.changeKeys(ctx, tx, a.Change, t, a.Within)
		if err != nil {
			return nil, fmt.Errorf("alert %s: change: %w", a.Key, err)
		}
		if len(stored) > 0 && !slices.Contains(stored, a.Key) {
			out[i] = true
			continue
		}
		kept[a.Change] = append(kept[a.Change], t)
	}
	return out, nil
}

// changeKeys returns the keys of the stored alerts of change at a time
// within within of t (at any time when within is 0).
func (s *Store) changeKeys(ctx context.Context, tx *sql.Tx, change string, t int64, within time.Duration) ([]string, error) {
	// change_key <> '' lets the database use the partial index on
	// changes, which it cannot prove of a parameter.
	query, args := "SELECT alert_key FROM alerts WHERE change_key = ? AND change_key <> ''", []any{change}
	if within > 0 {
		query += " AND change_ns BETWEEN ? AND ?"
		args = append(args, t-int64(within), t+int64(within))
	}
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// lockChanges locks changes for the rest of tx, in order, so that two
// processes storing alerts of one change decide one after the other.
// SQLite transactions hold the database's write lock from their start
// already.
func (s *Store) lockChanges(ctx context.Context, tx *sql.Tx, changes []string) error {
	if s.dialect != Postgres {
		return nil
	}
	ids := make([]int64, len(changes))
	for i, c := range changes {
		h := fnv.New64a()
		h.Write([]byte(c))
		ids[i] = int64(h.Sum64())
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", id); err != nil {
			return fmt.Errorf("lock change: %w", err)
		}
	}
	return nil
}

// seenNear reports whether an alert of a's rule, application and actor,
// not suppressed, is stored whose activity is less than a.QuietFor from t.
func (s *Store) seenNear(ctx context.Context, tx *sql.Tx, a *Alert, actor string, t time.Time) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM (SELECT 1 FROM alerts
		WHERE rule_id = ? AND app_id = ? AND actor_id = ? AND time_ns > ? AND time_ns < ?
		AND status <> 'suppressed' AND alert_key <> ? LIMIT 1) near`),
		a.Alert.RuleID, a.Alert.Target.AppID, actor, t.Add(-a.QuietFor).UnixNano(), t.Add(a.QuietFor).UnixNano(), a.Key).Scan(&n)
	return n > 0, err
}

// insertAlertExtras stores what the console shows beside a new alert:
// its record, and the events behind a correlation alert.
func (s *Store) insertAlertExtras(ctx context.Context, tx *sql.Tx, a *Alert) error {
	if len(a.Record) > 0 {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO alert_records (alert_key, record) VALUES (?, ?)"), a.Key, string(a.Record)); err != nil {
			return fmt.Errorf("record: %w", err)
		}
	}
	if c := a.Alert.Correlation; c != nil {
		for _, e := range c.Events {
			if e.EventID == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO alert_events (alert_key, event_id) VALUES (?, ?)
				ON CONFLICT (alert_key, event_id) DO NOTHING`), a.Key, e.EventID); err != nil {
				return fmt.Errorf("correlated event %s: %w", e.EventID, err)
			}
		}
	}
	return nil
}

// actorID is the value alerts are filtered by actor with: the actor's
// id, else its UPN or name.
func actorID(a alert.Actor) string { return cmp.Or(a.ID, a.UPN, a.Name) }

// actorName is how lists name an actor.
func actorName(a alert.Actor) string { return cmp.Or(a.UPN, a.Name, a.ID) }

// bodyOf is a as stored: the fields the store keeps in columns of their
// own are left out, and set again when the alert is read.
func bodyOf(a alert.Alert) alert.Alert {
	a.AlertKey, a.Status, a.FirstSeen = "", "", ""
	return a
}

func (s *Store) insertRejected(ctx context.Context, tx *sql.Tx, source string, rejected []Rejected, now int64) error {
	if len(rejected) == 0 {
		return nil
	}
	sorted := slices.Clone(rejected)
	slices.SortFunc(sorted, func(a, b Rejected) int {
		return cmp.Or(cmp.Compare(a.Stream, b.Stream), cmp.Compare(a.Position, b.Position))
	})
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO rejected (source, stream, position, reason, message, head, at_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, stream, position) DO NOTHING`))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range sorted {
		head := r.Head
		if len(head) > MaxHead {
			head = head[:MaxHead]
		}
		if head == nil {
			head = []byte{}
		}
		if _, err := stmt.ExecContext(ctx, source, r.Stream, r.Position, r.Reason, r.Message, head, now); err != nil {
			return fmt.Errorf("rejected record %s %s: %w", r.Stream, r.Position, err)
		}
	}
	return nil
}

func (s *Store) insertSeen(ctx context.Context, tx *sql.Tx, source string, seen []Seen) error {
	if len(seen) == 0 {
		return nil
	}
	sorted := slices.Clone(seen)
	slices.SortFunc(sorted, func(a, b Seen) int { return cmp.Compare(a.ID, b.ID) })
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO seen (source, record_id, expires_ns) VALUES (?, ?, ?)
		ON CONFLICT (source, record_id) DO UPDATE SET expires_ns = excluded.expires_ns`))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range sorted {
		if _, err := stmt.ExecContext(ctx, source, r.ID, r.Expires.UnixNano()); err != nil {
			return fmt.Errorf("seen id %s: %w", r.ID, err)
		}
	}
	return nil
}

func (s *Store) addCounts(ctx context.Context, tx *sql.Tx, source string, c Counts, alerts, now int64) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO source_counts (source, records, events, skipped, rejected, alerts, updated_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET
			records = source_counts.records + excluded.records,
			events = source_counts.events + excluded.events,
			skipped = source_counts.skipped + excluded.skipped,
			rejected = source_counts.rejected + excluded.rejected,
			alerts = source_counts.alerts + excluded.alerts,
			updated_ns = excluded.updated_ns`), source, c.Records, c.Events, c.Skipped, c.Rejected, alerts, now)
	if err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	return nil
}

// setPositions stores positions, and fails with errStale when a checked
// one is no longer the one its batch was read from. A checked position is
// written only where the stored one is still From, so that of two
// processes storing batches read from the same position, the second
// finds it moved even when they commit at the same moment.
func (s *Store) setPositions(ctx context.Context, tx *sql.Tx, source string, positions []Position, now int64) error {
	sorted := slices.Clone(positions)
	slices.SortFunc(sorted, func(a, b Position) int { return cmp.Compare(a.Stream, b.Stream) })
	for _, p := range sorted {
		var r sql.Result
		var err error
		switch {
		case !p.Check:
			r, err = tx.ExecContext(ctx, s.q(`INSERT INTO positions (source, stream, position, updated_ns) VALUES (?, ?, ?, ?)
				ON CONFLICT (source, stream) DO UPDATE SET position = excluded.position, updated_ns = excluded.updated_ns`),
				source, p.Stream, p.Value, now)
		case p.From == "":
			r, err = tx.ExecContext(ctx, s.q(`INSERT INTO positions (source, stream, position, updated_ns) VALUES (?, ?, ?, ?)
				ON CONFLICT (source, stream) DO NOTHING`), source, p.Stream, p.Value, now)
		default:
			r, err = tx.ExecContext(ctx, s.q(`UPDATE positions SET position = ?, updated_ns = ?
				WHERE source = ? AND stream = ? AND position = ?`), p.Value, now, source, p.Stream, p.From)
		}
		if err != nil {
			return fmt.Errorf("position of %s: %w", p.Stream, err)
		}
		if p.Check {
			if n, err := r.RowsAffected(); err != nil {
				return fmt.Errorf("position of %s: %w", p.Stream, err)
			} else if n == 0 {
				return errStale
			}
		}
	}
	return nil
}

// Positions returns the positions stored for source, by stream.
func (s *Store) Positions(ctx context.Context, source string) (map[string]string, error) {
	defer s.timed("positions")()
	rows, err := s.db.QueryContext(ctx, s.q("SELECT stream, position FROM positions WHERE source = ?"), source)
	if err != nil {
		return nil, fmt.Errorf("store %s: positions of %s: %w", s.name, source, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var stream, pos string
		if err := rows.Scan(&stream, &pos); err != nil {
			return nil, err
		}
		out[stream] = pos
	}
	return out, rows.Err()
}

// SourceCounts is what a source has read, as its commits counted it.
type SourceCounts struct {
	Counts
	Alerts int64 // alerts stored from its records
}

// Counts returns the counts of every source, by source name.
func (s *Store) Counts(ctx context.Context) (map[string]SourceCounts, error) {
	defer s.timed("counts")()
	rows, err := s.db.QueryContext(ctx, "SELECT source, records, events, skipped, rejected, alerts FROM source_counts")
	if err != nil {
		return nil, fmt.Errorf("store %s: counts: %w", s.name, err)
	}
	defer rows.Close()
	out := map[string]SourceCounts{}
	for rows.Next() {
		var name string
		var c SourceCounts
		if err := rows.Scan(&name, &c.Records, &c.Events, &c.Skipped, &c.Rejected, &c.Alerts); err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, rows.Err()
}

// SeenIDs returns which of ids source has read and still remembers.
func (s *Store) SeenIDs(ctx context.Context, source string, ids []string) (map[string]bool, error) {
	defer s.timed("seen")()
	out := map[string]bool{}
	now := s.now().UnixNano()
	for chunk := range slices.Chunk(ids, seenChunk) {
		args := append([]any{source, now}, strs(chunk)...)
		rows, err := s.db.QueryContext(ctx, s.q("SELECT record_id FROM seen WHERE source = ? AND expires_ns > ? AND record_id IN ("+marks(len(chunk))+")"), args...)
		if err != nil {
			return nil, fmt.Errorf("store %s: seen ids of %s: %w", s.name, source, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store %s: seen ids of %s: %w", s.name, source, err)
			}
			out[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store %s: seen ids of %s: %w", s.name, source, err)
		}
	}
	return out, nil
}

// seenChunk is how many ids one query of SeenIDs asks about, well under
// SQLite's limit of 32,766 parameters and PostgreSQL's of 65,535.
const seenChunk = 500
