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

// Actor is a person acting through the console, as the audit trail names
// them: a stable id (local:NAME, or entra:TENANT/OBJECT) and a display
// name.
type Actor struct {
	ID, Name string
}

// Triage actions.
const (
	ActionAcknowledge = "acknowledge"
	ActionAssign      = "assign"
	ActionResolve     = "resolve"
	ActionReopen      = "reopen"
	ActionComment     = "comment"
)

// Verdicts an alert is resolved with.
const (
	VerdictTruePositive  = "true-positive"
	VerdictBenign        = "benign"
	VerdictFalsePositive = "false-positive"
)

// Verdicts returns the verdicts, in the order forms offer them.
func Verdicts() []string { return []string{VerdictTruePositive, VerdictBenign, VerdictFalsePositive} }

// Triage is one triage action on an alert.
type Triage struct {
	// Action is one of the Action constants.
	Action string
	// Assignee is who the alert is assigned to (ActionAssign; empty
	// unassigns).
	Assignee string
	// Verdict is one of the verdicts (ActionResolve).
	Verdict string
	// Comment is free text, required for ActionComment.
	Comment string
}

// MaxComment is the longest comment or reason kept, in bytes.
const MaxComment = 4000

// check returns what is wrong with t.
func (t Triage) check() error {
	switch {
	case len(t.Comment) > MaxComment:
		return fmt.Errorf("comment longer than %d bytes", MaxComment)
	case t.Action == ActionResolve && !validVerdict(t.Verdict):
		return fmt.Errorf("verdict %q: want true-positive, benign or false-positive", t.Verdict)
	case t.Action == ActionComment && t.Comment == "":
		return errors.New("an empty comment")
	case t.Action == ActionAssign && len(t.Assignee) > 200:
		return errors.New("assignee longer than 200 bytes")
	}
	switch t.Action {
	case ActionAcknowledge, ActionAssign, ActionResolve, ActionReopen, ActionComment:
		return nil
	}
	return fmt.Errorf("unknown action %q", t.Action)
}

func validVerdict(v string) bool {
	return v == VerdictTruePositive || v == VerdictBenign || v == VerdictFalsePositive
}

// TriageAlert applies t to the alert key, and stores it in the audit trail
// as done by by, in one transaction. It returns ErrNotFound for a key
// that is not stored.
func (s *Store) TriageAlert(ctx context.Context, key string, t Triage, by Actor) error {
	defer s.timed("triage")()
	if err := t.check(); err != nil {
		return fmt.Errorf("triage %s: %w (%w)", key, err, ErrInvalid)
	}
	now := s.now().UnixNano()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, s.q("SELECT status FROM alerts WHERE alert_key = ?"), key).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		set, args := "triaged_ns = ?", []any{now}
		detail := auditDetail{Comment: t.Comment, From: status}
		switch t.Action {
		case ActionAcknowledge:
			set, args = set+", status = ?", append(args, alert.StatusAcknowledged)
		case ActionAssign:
			set, args = set+", assignee = ?", append(args, t.Assignee)
			detail.Assignee = &t.Assignee
		case ActionResolve:
			set, args = set+", status = ?, verdict = ?", append(args, alert.StatusResolved, t.Verdict)
			detail.Verdict = t.Verdict
		case ActionReopen:
			set, args = set+", status = ?, verdict = ''", append(args, alert.StatusOpen)
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE alerts SET "+set+" WHERE alert_key = ?"), append(args, key)...); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, by, t.Action, key, detail); err != nil {
			return err
		}
		return s.alertsChanged(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store %s: triage %s: %w", s.name, key, err)
	}
	return nil
}

// ErrNotFound is returned for an alert or account that is not stored.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned with the reason for a triage action that cannot
// be stored as given.
var ErrInvalid = errors.New("invalid")

// auditDetail is the detail of an audit entry, stored as JSON.
type auditDetail struct {
	From     string  `json:"from,omitempty"` // the status before
	Assignee *string `json:"assignee,omitempty"`
	Verdict  string  `json:"verdict,omitempty"`
	Comment  string  `json:"comment,omitempty"`
	Role     string  `json:"role,omitempty"`
	Reason   string  `json:"reason,omitempty"`
}

// audit appends an entry to the audit trail within tx.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, by Actor, action, key string, d auditDetail) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO audit_log (at_ns, user_id, user_name, action, alert_key, detail)
		VALUES (?, ?, ?, ?, ?, ?)`), s.now().UnixNano(), by.ID, by.Name, action, key, string(b))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Audit stores an entry in the audit trail that no other change goes
// with, such as a sign-in.
func (s *Store) Audit(ctx context.Context, by Actor, action string, e AuditEntry) error {
	defer s.timed("audit")()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, by, action, e.AlertKey, auditDetail{Role: e.Role, Reason: e.Reason, Comment: e.Comment})
	})
	if err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	return nil
}

// AuditEntry is one entry of the audit trail.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	By       Actor
	Action   string
	AlertKey string
	// From is the alert's status before the action.
	From string
	// Assignee is set by assign actions (empty when unassigned, with
	// Assigned true).
	Assignee string
	Assigned bool
	Verdict  string
	Comment  string
	// Role and Reason describe sign-ins: the role granted, or why one
	// was refused.
	Role, Reason string
}

// AuditQuery selects audit entries, newest first.
type AuditQuery struct {
	// AlertKey keeps the entries about one alert; empty keeps all.
	AlertKey string
	// Before keeps entries older than this sequence number; 0 starts at
	// the newest.
	Before int64
	Limit  int
}

// AuditTrail returns the entries q selects, newest first.
func (s *Store) AuditTrail(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	defer s.timed("audit")()
	query, args := "SELECT seq, at_ns, user_id, user_name, action, alert_key, detail FROM audit_log WHERE 1 = 1", []any{}
	if q.AlertKey != "" {
		query, args = query+" AND alert_key = ?", append(args, q.AlertKey)
	}
	if q.Before > 0 {
		query, args = query+" AND seq < ?", append(args, q.Before)
	}
	query += " ORDER BY seq DESC LIMIT ?"
	rows, err := s.db.QueryContext(ctx, s.q(query), append(args, max(q.Limit, 1))...)
	if err != nil {
		return nil, fmt.Errorf("store %s: audit trail: %w", s.name, err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		var detail string
		if err := rows.Scan(&e.Seq, &at, &e.By.ID, &e.By.Name, &e.Action, &e.AlertKey, &detail); err != nil {
			return nil, fmt.Errorf("store %s: audit trail: %w", s.name, err)
		}
		e.At = time.Unix(0, at).UTC()
		var d auditDetail
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			return nil, fmt.Errorf("store %s: audit entry %d: %w", s.name, e.Seq, err)
		}
		e.From, e.Verdict, e.Comment, e.Role, e.Reason = d.From, d.Verdict, d.Comment, d.Role, d.Reason
		if d.Assignee != nil {
			e.Assignee, e.Assigned = *d.Assignee, true
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
