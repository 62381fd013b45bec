package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DefaultRetention is how long alerts and rejected records are kept.
const DefaultRetention = 90 * 24 * time.Hour

// Prune says what to delete. Zero times delete nothing of their kind.
type Prune struct {
	// Alerts and Rejected delete what was stored before them.
	Alerts, Rejected time.Time
	// Hits deletes correlation hits of activities before it, and the
	// results of windows that ended before it: no window still open can
	// use them.
	Hits time.Time
	// Positions deletes the positions of streams not read since it, such
	// as files deleted long ago.
	Positions time.Time
}

// Pruned counts what Prune deleted.
type Pruned struct {
	Alerts, Rejected, Seen, Hits, Results, Positions int64
	// History counts the snapshots' findings per check and the items of
	// apps' history deleted with the alerts of their time.
	History int64
}

// Prune deletes what p selects, and seen ids that expired.
func (s *Store) Prune(ctx context.Context, p Prune) (Pruned, error) {
	defer s.timed("prune")()
	var out Pruned
	var findings, items int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		steps := []struct {
			n     *int64
			query string
			at    time.Time
		}{
			{&out.Alerts, "DELETE FROM alerts WHERE first_seen_ns < ?", p.Alerts},
			{&out.Rejected, "DELETE FROM rejected WHERE at_ns < ?", p.Rejected},
			{&out.Seen, "DELETE FROM seen WHERE expires_ns <= ?", s.now()},
			{&out.Hits, "DELETE FROM corr_hits WHERE time_ns < ?", p.Hits},
			{&out.Results, "DELETE FROM corr_results WHERE end_ns < ?", p.Hits},
			{&out.Positions, "DELETE FROM positions WHERE updated_ns < ?", p.Positions},
			{&findings, "DELETE FROM snapshot_findings WHERE taken_ns < ?", p.Alerts},
			{&items, "DELETE FROM app_history WHERE last_ns < ?", p.Alerts},
		}
		for _, st := range steps {
			if st.at.IsZero() {
				continue
			}
			r, err := tx.ExecContext(ctx, s.q(st.query), st.at.UnixNano())
			if err != nil {
				return err
			}
			if *st.n, err = r.RowsAffected(); err != nil {
				return err
			}
		}
		out.History = findings + items
		_, err := tx.ExecContext(ctx, `DELETE FROM corr_scopes WHERE NOT dirty
			AND NOT EXISTS (SELECT 1 FROM corr_hits h WHERE h.scope = corr_scopes.scope)`)
		if err != nil || out.Alerts == 0 {
			return err
		}
		return s.alertsChanged(ctx, tx)
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("store %s: prune: %w", s.name, err)
	}
	return out, nil
}
