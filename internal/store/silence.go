package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"
)

// Silence is a stored silence. The store keeps its matchers as written;
// package silence reads and applies them.
type Silence struct {
	ID       int64
	Matchers []string
	Reason   string
	Author   string
	Created  time.Time
	// Expires is the first instant the silence no longer applies; an
	// expired silence's is when it was expired.
	Expires time.Time
	// ExpiredBy names who expired it before its time, if anyone did.
	ExpiredBy string
	// Suppressed counts the alerts stored suppressed by it.
	Suppressed int64
}

// SilenceRef is how an alert suppressed by the silence id names it
// (Alert.SuppressedBy).
func SilenceRef(id int64) string { return "silence:" + strconv.FormatInt(id, 10) }

// SilenceOf returns the id of the silence an alert's SuppressedBy names,
// and false when it names none.
func SilenceOf(suppressedBy string) (int64, bool) {
	v, ok := strings.CutPrefix(suppressedBy, "silence:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil
}

// Active reports whether the silence applies at now.
func (sl Silence) Active(now time.Time) bool {
	return !now.Before(sl.Created) && now.Before(sl.Expires)
}

// SilenceEvent is one entry of a silence's audit trail.
type SilenceEvent struct {
	SilenceID int64
	Action    string // add or expire
	Author    string
	At        time.Time
	Detail    string
}

// ErrNoSilence is returned for a silence id the store does not hold.
var ErrNoSilence = errors.New("no such silence")

// AddSilence stores sl (its ID, Created and Suppressed are set by the
// store) with an "add" entry in its audit trail, and returns its id.
func (s *Store) AddSilence(ctx context.Context, sl Silence) (int64, error) {
	defer s.timed("silences")()
	now := s.now()
	matchers, _ := json.Marshal(sl.Matchers) // strings: cannot fail
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO silences (matchers, reason, author, created_ns, expires_ns)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), string(matchers), sl.Reason, sl.Author, now.UnixNano(), sl.Expires.UnixNano()).Scan(&id)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("matchers %s, until %s: %s", matchers, sl.Expires.UTC().Format(time.RFC3339), sl.Reason)
		return s.auditSilence(ctx, tx, id, "add", sl.Author, now, detail)
	})
	if err != nil {
		return 0, fmt.Errorf("store %s: add silence: %w", s.name, err)
	}
	return id, nil
}

// auditSilence appends an entry to the audit trail of the silence id.
func (s *Store) auditSilence(ctx context.Context, tx *sql.Tx, id int64, action, author string, at time.Time, detail string) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO silence_events (silence_id, action, author, at_ns, detail) VALUES (?, ?, ?, ?, ?)`),
		id, action, author, at.UnixNano(), detail)
	return err
}

// Silences returns the stored silences, oldest first: with active set,
// only those that apply now.
func (s *Store) Silences(ctx context.Context, active bool) ([]Silence, error) {
	defer s.timed("silences")()
	query := silenceQuery
	var args []any
	if active {
		now := s.now().UnixNano()
		query, args = query+" WHERE created_ns <= ? AND expires_ns > ?", []any{now, now}
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY id"), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: silences: %w", s.name, err)
	}
	defer rows.Close()
	var out []Silence
	for rows.Next() {
		sl, err := scanSilence(rows)
		if err != nil {
			return nil, fmt.Errorf("store %s: silences: %w", s.name, err)
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

// silenceQuery selects the columns scanSilence reads.
const silenceQuery = `SELECT id, matchers, reason, author, created_ns, expires_ns, expired_by,
		(SELECT COUNT(*) FROM alerts WHERE suppressed_by = 'silence:' || CAST(silences.id AS TEXT)) FROM silences`

func scanSilence(row interface{ Scan(...any) error }) (Silence, error) {
	var sl Silence
	var matchers string
	var created, expires int64
	if err := row.Scan(&sl.ID, &matchers, &sl.Reason, &sl.Author, &created, &expires, &sl.ExpiredBy, &sl.Suppressed); err != nil {
		return Silence{}, err
	}
	if err := json.Unmarshal([]byte(matchers), &sl.Matchers); err != nil {
		return Silence{}, fmt.Errorf("silence %d: %w", sl.ID, err)
	}
	sl.Created, sl.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return sl, nil
}

// SilenceByID returns the silence id, or ErrNoSilence.
func (s *Store) SilenceByID(ctx context.Context, id int64) (Silence, error) {
	defer s.timed("silences")()
	sl, err := scanSilence(s.db.QueryRowContext(ctx, s.q(silenceQuery+" WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Silence{}, ErrNoSilence
	}
	if err != nil {
		return Silence{}, fmt.Errorf("store %s: silence %d: %w", s.name, id, err)
	}
	return sl, nil
}

// ExpireSilence ends the silence id now, on behalf of author, with an
// "expire" entry in its audit trail. A silence that has already ended is
// an error; an unknown id is ErrNoSilence.
func (s *Store) ExpireSilence(ctx context.Context, id int64, author string) error {
	defer s.timed("silences")()
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var expires int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT expires_ns FROM silences WHERE id = ?`), id).Scan(&expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSilence
		}
		if err != nil {
			return err
		}
		if expires <= now.UnixNano() {
			return i18n.Errorf("it ended at %s", time.Unix(0, expires).UTC().Format(time.RFC3339))
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE silences SET expires_ns = ?, expired_by = ? WHERE id = ?`),
			now.UnixNano(), author, id); err != nil {
			return err
		}
		return s.auditSilence(ctx, tx, id, "expire", author, now, "")
	})
	if err != nil {
		return fmt.Errorf("store %s: expire silence %d: %w", s.name, id, err)
	}
	return nil
}

// SilenceEvents returns the audit trail of the silence id (of every
// silence when id is 0), oldest first.
func (s *Store) SilenceEvents(ctx context.Context, id int64) ([]SilenceEvent, error) {
	defer s.timed("silences")()
	query, args := `SELECT silence_id, action, author, at_ns, detail FROM silence_events`, []any{}
	if id != 0 {
		query, args = query+" WHERE silence_id = ?", append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY seq"), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: silence events: %w", s.name, err)
	}
	defer rows.Close()
	var out []SilenceEvent
	for rows.Next() {
		var e SilenceEvent
		var at int64
		if err := rows.Scan(&e.SilenceID, &e.Action, &e.Author, &at, &e.Detail); err != nil {
			return nil, fmt.Errorf("store %s: silence events: %w", s.name, err)
		}
		e.At = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
