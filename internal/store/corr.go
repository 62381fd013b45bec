package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Hit is a correlation hit: a detection hit (or an inner correlation's
// result) filed under one group of one correlation rule.
type Hit struct {
	// Scope names the correlation rule and group; every hit of one group
	// has the same scope.
	Scope string
	// Key names the hit within its scope: storing a key twice keeps the
	// first.
	Key   string
	Corr  string // the correlation rule's id
	Rule  string // the id of the rule that matched
	Time  time.Time
	Group []string
	// Value is the counted value of value_count correlations; HasValue
	// is false when there is none.
	Value    string
	HasValue bool
	// Ref is the caller's description of what matched, as JSON.
	Ref []byte
	// Stored is when the hit was first stored, as Evaluate reads it back.
	Stored time.Time
}

// Result is a correlation result a scope stored: its key, which is the
// key of its alert, and its window.
type Result struct {
	Key        string
	Start, End time.Time
}

// insertHits stores hits, each once per scope and key, and marks their
// scopes dirty. It returns the scopes, sorted.
func (s *Store) insertHits(ctx context.Context, tx *sql.Tx, hits []Hit, now int64) ([]string, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	sorted := slices.Clone(hits)
	slices.SortFunc(sorted, func(a, b Hit) int { return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Key, b.Key)) })
	var scopes []string
	for i, h := range sorted {
		if i > 0 && h.Scope == sorted[i-1].Scope {
			continue
		}
		scopes = append(scopes, h.Scope)
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO corr_scopes (scope, corr_rule, dirty, updated_ns) VALUES (?, ?, TRUE, ?)
			ON CONFLICT (scope) DO UPDATE SET dirty = TRUE, updated_ns = excluded.updated_ns`), h.Scope, h.Corr, now)
		if err != nil {
			return nil, fmt.Errorf("correlation scope %s: %w", h.Scope, err)
		}
	}
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO corr_hits (scope, hit_key, rule_id, time_ns, grp, value, ref, stored_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, hit_key) DO NOTHING`))
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	for _, h := range sorted {
		grp, err := json.Marshal(h.Group)
		if err != nil {
			return nil, err
		}
		value := sql.NullString{String: h.Value, Valid: h.HasValue}
		if _, err := stmt.ExecContext(ctx, h.Scope, h.Key, h.Rule, h.Time.UnixNano(), string(grp), value, string(h.Ref), now); err != nil {
			return nil, fmt.Errorf("correlation hit %s: %w", h.Key, err)
		}
	}
	return scopes, nil
}

// Evaluation is what evaluating one scope decided.
type Evaluation struct {
	// Alerts are the correlation alerts to store, each once per key.
	Alerts []Alert
	// Done lists the keys of the scope's hits that no window needs any
	// more; they are deleted.
	Done []string
	// Hits are hits filed in other scopes (outer correlations), which
	// become dirty.
	Hits []Hit
	// Results are the scope's results as the evaluation found them: the
	// window of a result stored before (same key) is replaced, a new one
	// is added.
	Results []Result
}

// Evaluated is what evaluating one scope stored.
type Evaluated struct {
	Scope string
	*Evaluation
	// Inserted holds the indexes in Alerts of the alerts stored now; the
	// others were stored before.
	Inserted []int
}

// Evaluate evaluates correlation scopes in one transaction: with each
// scope locked against other processes in turn, it reads the scope's hits
// in time order and the results it stored before in order of their
// start, calls eval with them, and stores what eval decided; the scope is
// then clean, and deleted once it holds no hit (its results stay). Scopes
// that are gone are left out. An error of eval rolls back every scope.
func (s *Store) Evaluate(ctx context.Context, scopes []string, eval func(scope string, hits []Hit, results []Result) (*Evaluation, error)) ([]Evaluated, error) {
	defer s.timed("evaluate")()
	now := s.now().UnixNano()
	sorted := slices.Clone(scopes)
	slices.Sort(sorted)
	var out []Evaluated
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for _, scope := range slices.Compact(sorted) {
			ev, err := s.evaluate(ctx, tx, scope, now, eval)
			if err != nil {
				return fmt.Errorf("scope %s: %w", scope, err)
			}
			if ev != nil {
				out = append(out, *ev)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store %s: evaluate correlations: %w", s.name, err)
	}
	return out, nil
}

// evaluate evaluates one scope in tx; it returns nil when the scope is
// gone.
func (s *Store) evaluate(ctx context.Context, tx *sql.Tx, scope string, now int64, eval func(string, []Hit, []Result) (*Evaluation, error)) (*Evaluated, error) {
	var corr string
	lock := "SELECT corr_rule FROM corr_scopes WHERE scope = ?"
	if s.dialect == Postgres {
		lock += " FOR UPDATE"
	}
	if err := tx.QueryRowContext(ctx, s.q(lock), scope).Scan(&corr); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	hits, err := s.scopeHits(ctx, tx, scope, corr)
	if err != nil {
		return nil, err
	}
	results, err := s.scopeResults(ctx, tx, scope)
	if err != nil {
		return nil, err
	}
	ev, err := eval(scope, hits, results)
	if err != nil {
		return nil, err
	}
	ins, err := s.insertAlerts(ctx, tx, "correlation", ev.Alerts, now)
	if err != nil {
		return nil, err
	}
	if err := s.setResults(ctx, tx, scope, ev.Results); err != nil {
		return nil, err
	}
	if err := s.deleteHits(ctx, tx, scope, ev.Done); err != nil {
		return nil, err
	}
	if _, err := s.insertHits(ctx, tx, ev.Hits, now); err != nil {
		return nil, err
	}
	if err := s.settle(ctx, tx, scope, len(hits)-len(ev.Done)); err != nil {
		return nil, err
	}
	return &Evaluated{Scope: scope, Evaluation: ev, Inserted: ins.inserted}, nil
}

// scopeHits reads the hits of scope in time order.
func (s *Store) scopeHits(ctx context.Context, tx *sql.Tx, scope, corr string) ([]Hit, error) {
	rows, err := tx.QueryContext(ctx, s.q("SELECT hit_key, rule_id, time_ns, grp, value, ref, stored_ns FROM corr_hits WHERE scope = ? ORDER BY time_ns, hit_key"), scope)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		h := Hit{Scope: scope, Corr: corr}
		var t, stored int64
		var grp, ref string
		var value sql.NullString
		if err := rows.Scan(&h.Key, &h.Rule, &t, &grp, &value, &ref, &stored); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(grp), &h.Group); err != nil {
			return nil, fmt.Errorf("hit %s: group: %w", h.Key, err)
		}
		h.Time = time.Unix(0, t).UTC()
		h.Value, h.HasValue = value.String, value.Valid
		h.Ref = []byte(ref)
		h.Stored = time.Unix(0, stored).UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// scopeResults reads the results scope stored, in order of their start.
func (s *Store) scopeResults(ctx context.Context, tx *sql.Tx, scope string) ([]Result, error) {
	rows, err := tx.QueryContext(ctx, s.q("SELECT result_key, start_ns, end_ns FROM corr_results WHERE scope = ? ORDER BY start_ns, end_ns, result_key"), scope)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Result
	for rows.Next() {
		var r Result
		var start, end int64
		if err := rows.Scan(&r.Key, &start, &end); err != nil {
			return nil, err
		}
		r.Start, r.End = time.Unix(0, start).UTC(), time.Unix(0, end).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// setResults stores the results of scope, replacing the windows of those
// stored before.
func (s *Store) setResults(ctx context.Context, tx *sql.Tx, scope string, results []Result) error {
	sorted := slices.Clone(results)
	slices.SortFunc(sorted, func(a, b Result) int { return cmp.Compare(a.Key, b.Key) })
	for _, r := range sorted {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO corr_results (scope, result_key, start_ns, end_ns) VALUES (?, ?, ?, ?)
			ON CONFLICT (scope, result_key) DO UPDATE SET start_ns = excluded.start_ns, end_ns = excluded.end_ns`),
			scope, r.Key, r.Start.UnixNano(), r.End.UnixNano())
		if err != nil {
			return fmt.Errorf("correlation result %s: %w", r.Key, err)
		}
	}
	return nil
}

func (s *Store) deleteHits(ctx context.Context, tx *sql.Tx, scope string, keys []string) error {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	for _, k := range sorted {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM corr_hits WHERE scope = ? AND hit_key = ?"), scope, k); err != nil {
			return fmt.Errorf("delete hit %s: %w", k, err)
		}
	}
	return nil
}

// settle marks scope clean, or deletes it when no hit is left.
func (s *Store) settle(ctx context.Context, tx *sql.Tx, scope string, left int) error {
	if left <= 0 {
		var n int
		if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM corr_hits WHERE scope = ?"), scope).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			_, err := tx.ExecContext(ctx, s.q("DELETE FROM corr_scopes WHERE scope = ?"), scope)
			return err
		}
	}
	_, err := tx.ExecContext(ctx, s.q("UPDATE corr_scopes SET dirty = FALSE WHERE scope = ?"), scope)
	return err
}

// Scope names a correlation scope and its correlation rule.
type Scope struct {
	Scope string
	Corr  string
}

// DirtyScopes returns up to limit scopes that hits were added to before
// before (at any time, when zero) and that were not evaluated since,
// oldest change first.
func (s *Store) DirtyScopes(ctx context.Context, before time.Time, limit int) ([]Scope, error) {
	defer s.timed("scopes")()
	var until int64 = math.MaxInt64
	if !before.IsZero() {
		until = before.UnixNano()
	}
	return s.scopes(ctx, s.q("SELECT scope, corr_rule FROM corr_scopes WHERE dirty AND updated_ns < ? ORDER BY updated_ns LIMIT ?"), until, limit)
}

// ScopesBefore returns up to limit scopes holding a hit of an event older
// than t that was stored before stored: scopes whose windows a watermark
// past t may decide, and whose hits the lateness allowed may let go.
func (s *Store) ScopesBefore(ctx context.Context, t, stored time.Time, limit int) ([]Scope, error) {
	defer s.timed("scopes")()
	return s.scopes(ctx, s.q(`SELECT c.scope, c.corr_rule FROM corr_scopes c
		WHERE EXISTS (SELECT 1 FROM corr_hits h WHERE h.scope = c.scope AND h.time_ns < ? AND h.stored_ns < ?)
		ORDER BY c.scope LIMIT ?`), t.UnixNano(), stored.UnixNano(), limit)
}

func (s *Store) scopes(ctx context.Context, query string, args ...any) ([]Scope, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: correlation scopes: %w", s.name, err)
	}
	defer rows.Close()
	var out []Scope
	for rows.Next() {
		var sc Scope
		if err := rows.Scan(&sc.Scope, &sc.Corr); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
