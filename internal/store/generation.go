package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Generation returns the generation of the alerts: a number that grows
// whenever alerts are stored or deleted or their status or assignee
// changes, in any process sharing the store. What is computed from the
// alerts after reading generation g stays true while Generation returns
// g.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT n FROM alert_generation WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("store %s: alert generation: %w", s.name, err)
	}
	return n, nil
}

// alertsChanged adds one to the generation of the alerts within tx. It
// is the last statement of the transactions that change alerts: on
// PostgreSQL the row stays locked until they commit, so they queue on it
// only as they end, and never while holding it wait for another lock.
func (s *Store) alertsChanged(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "UPDATE alert_generation SET n = n + 1 WHERE id = 1"); err != nil {
		return fmt.Errorf("alert generation: %w", err)
	}
	return nil
}

// maxCachedGroups bounds the facet groups a store keeps, over every
// query: about 200 bytes each.
const maxCachedGroups = 200_000

// facetCache keeps the facet groups of the latest generation of the
// alerts, by query.
type facetCache struct {
	mu     sync.Mutex
	gen    int64
	groups map[string][]facetGroup
	size   int
}

// get returns the groups of key kept at generation gen.
func (c *facetCache) get(gen int64, key string) ([]facetGroup, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil, false
	}
	g, ok := c.groups[key]
	return g, ok
}

// put keeps the groups of key read at generation gen, forgetting those
// of older generations. Groups of a generation older than the kept ones
// are not kept, and when the cache is full it starts afresh.
func (c *facetCache) put(gen int64, key string, groups []facetGroup) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen || len(groups) > maxCachedGroups {
		return
	}
	if gen > c.gen || c.groups == nil || c.size+len(groups) > maxCachedGroups {
		c.gen, c.groups, c.size = gen, map[string][]facetGroup{}, 0
	}
	if _, ok := c.groups[key]; !ok {
		c.groups[key], c.size = groups, c.size+len(groups)
	}
}
