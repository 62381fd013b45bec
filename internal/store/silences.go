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

// Matcher says which alerts a silence matches: those whose fields equal
// every value it sets. Empty fields match anything.
type Matcher struct {
	RuleID   string `json:"rule_id,omitempty"`
	GuideRow string `json:"guide_row,omitempty"`
	TenantID string `json:"tenant_id,omitempty"`
	AppID    string `json:"app_id,omitempty"`
	// ActorID is compared with the actor's id, else its UPN or name, as
	// alerts are filtered by actor.
	ActorID string `json:"actor_id,omitempty"`
}

// Empty reports whether m sets no field, and so would match every alert.
func (m Matcher) Empty() bool { return m == Matcher{} }

// Matches reports whether a has every value m sets.
func (m Matcher) Matches(a *alert.Alert) bool {
	eq := func(want, got string) bool { return want == "" || want == got }
	return eq(m.RuleID, a.RuleID) && eq(m.GuideRow, a.GuideRow) && eq(m.TenantID, a.TenantID) &&
		eq(m.AppID, a.Target.AppID) && eq(m.ActorID, actorID(a.Actor))
}

// Silence is a stored silence: while it is active, alerts it matches are
// stored with status suppressed, never dropped.
type Silence struct {
	ID      int64
	Matcher Matcher
	Reason  string
	// CreatedBy names who made it, CreatorID is their stable id;
	// AlertKey is the alert it was made from, if any.
	CreatedBy, CreatorID string
	AlertKey             string
	Created              time.Time
	Expires              time.Time
}

// Active reports whether the silence is in force at now.
func (s Silence) Active(now time.Time) bool { return now.Before(s.Expires) }

// ErrNotFound is returned for an alert, silence or account that is not
// stored.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned with the reason for a triage action or a
// silence that cannot be stored as given.
var ErrInvalid = errors.New("invalid")

// AddSilence stores a new silence, audited as done by by, and returns
// its id. It refuses a silence that matches everything, has no reason or
// has already expired.
func (s *Store) AddSilence(ctx context.Context, si Silence, by Actor) (int64, error) {
	defer s.timed("silence")()
	now := s.now()
	switch {
	case si.Matcher.Empty():
		return 0, fmt.Errorf("silence: the matcher sets no field and would silence every alert (%w)", ErrInvalid)
	case si.Reason == "":
		return 0, fmt.Errorf("silence: a reason is required (%w)", ErrInvalid)
	case len(si.Reason) > MaxComment:
		return 0, fmt.Errorf("silence: reason longer than %d bytes (%w)", MaxComment, ErrInvalid)
	case !si.Expires.After(now):
		return 0, fmt.Errorf("silence: it expires before it starts (%w)", ErrInvalid)
	}
	matcher, err := json.Marshal(si.Matcher)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO silences (matcher, reason, created_by, creator_id, created_ns, expires_ns, alert_key)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), string(matcher), si.Reason, by.Name, by.ID, now.UnixNano(), si.Expires.UnixNano(), si.AlertKey).Scan(&id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "silence", si.AlertKey, auditDetail{
			Silence: id, Matcher: &si.Matcher, Comment: si.Reason, Expires: si.Expires.UTC().Format(time.RFC3339),
		})
	})
	if err != nil {
		return 0, fmt.Errorf("store %s: add silence: %w", s.name, err)
	}
	return id, nil
}

// ExpireSilence ends silence id now, audited as done by by.
func (s *Store) ExpireSilence(ctx context.Context, id int64, by Actor) error {
	defer s.timed("silence")()
	now := s.now().UnixNano()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var key string
		err := tx.QueryRowContext(ctx, s.q("SELECT alert_key FROM silences WHERE id = ?"), id).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE silences SET expires_ns = ? WHERE id = ? AND expires_ns > ?"), now, id, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "expire-silence", key, auditDetail{Silence: id})
	})
	if err != nil {
		return fmt.Errorf("store %s: expire silence %d: %w", s.name, id, err)
	}
	return nil
}

// Silences returns the silences that are active, or that expired after
// since, newest first.
func (s *Store) Silences(ctx context.Context, since time.Time) ([]Silence, error) {
	defer s.timed("silences")()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, matcher, reason, created_by, creator_id, created_ns, expires_ns, alert_key
		FROM silences WHERE expires_ns > ? ORDER BY id DESC`), since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("store %s: silences: %w", s.name, err)
	}
	defer rows.Close()
	var out []Silence
	for rows.Next() {
		si, err := scanSilence(rows)
		if err != nil {
			return nil, fmt.Errorf("store %s: silences: %w", s.name, err)
		}
		out = append(out, si)
	}
	return out, rows.Err()
}

// SilenceByID returns silence id.
func (s *Store) SilenceByID(ctx context.Context, id int64) (Silence, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT id, matcher, reason, created_by, creator_id, created_ns, expires_ns, alert_key
		FROM silences WHERE id = ?`), id)
	si, err := scanSilence(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Silence{}, ErrNotFound
	}
	if err != nil {
		return Silence{}, fmt.Errorf("store %s: silence %d: %w", s.name, id, err)
	}
	return si, nil
}

func scanSilence(row interface{ Scan(...any) error }) (Silence, error) {
	var si Silence
	var matcher string
	var created, expires int64
	if err := row.Scan(&si.ID, &matcher, &si.Reason, &si.CreatedBy, &si.CreatorID, &created, &expires, &si.AlertKey); err != nil {
		return Silence{}, err
	}
	if err := json.Unmarshal([]byte(matcher), &si.Matcher); err != nil {
		return Silence{}, fmt.Errorf("silence %d: matcher: %w", si.ID, err)
	}
	si.Created, si.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return si, nil
}

// silenceSet is the silences active during one commit.
type silenceSet []Silence

// activeSilences reads the silences active at now within tx.
func activeSilences(ctx context.Context, tx *sql.Tx, s *Store, now int64) (silenceSet, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, matcher, reason, created_by, creator_id, created_ns, expires_ns, alert_key
		FROM silences WHERE expires_ns > ? ORDER BY id`), now)
	if err != nil {
		return nil, fmt.Errorf("silences: %w", err)
	}
	defer rows.Close()
	var out silenceSet
	for rows.Next() {
		si, err := scanSilence(rows)
		if err != nil {
			return nil, fmt.Errorf("silences: %w", err)
		}
		out = append(out, si)
	}
	return out, rows.Err()
}

// match returns the id of the first silence that matches a.
func (ss silenceSet) match(a *alert.Alert) (int64, bool) {
	for _, si := range ss {
		if si.Matcher.Matches(a) {
			return si.ID, true
		}
	}
	return 0, false
}
