package store

import (
	"context"
	"fmt"
	"time"
)

// Lease takes or renews the lease name for holder until ttl from now, and
// reports whether holder has it: it does when nobody held it, when the
// last holder's lease expired, or when holder held it already.
func (s *Store) Lease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	defer s.timed("lease")()
	now := s.now()
	r, err := s.db.ExecContext(ctx, s.q(`INSERT INTO leases (name, holder, expires_ns) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ns = excluded.expires_ns
		WHERE leases.holder = excluded.holder OR leases.expires_ns <= ?`),
		name, holder, now.Add(ttl).UnixNano(), now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("store %s: lease %s: %w", s.name, name, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store %s: lease %s: %w", s.name, name, err)
	}
	return n == 1, nil
}

// Release gives up holder's lease name, if it holds it.
func (s *Store) Release(ctx context.Context, name, holder string) error {
	defer s.timed("lease")()
	_, err := s.db.ExecContext(ctx, s.q("DELETE FROM leases WHERE name = ? AND holder = ?"), name, holder)
	if err != nil {
		return fmt.Errorf("store %s: release lease %s: %w", s.name, name, err)
	}
	return nil
}
