package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
)

// migrations holds the schema changes of each dialect, one file per step,
// named NNN_what.sql; steps are applied in number order, each once.
//
//go:embed migrations
var migrations embed.FS

// migrationLock is the PostgreSQL advisory lock key that lets one of
// several instances starting at once apply the migrations.
const migrationLock = 0x61707077 // "appw"

// step is one migration.
type step struct {
	version int
	name    string
	sql     string
}

// steps reads the migrations of dialect, in version order.
func steps(dialect string) ([]step, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []step
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: want NNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, step{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b step) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrate applies the steps the database lacks, each in its own
// transaction, and refuses a database newer than this program.
func (s *Store) migrate(ctx context.Context) error {
	defer s.timed("migrate")()
	all, err := steps(s.dialect)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	return s.applySteps(ctx, all)
}

// applySteps applies those of all, in version order, that the database
// has not recorded.
func (s *Store) applySteps(ctx context.Context, all []step) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("lock for migrations: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_ns BIGINT  NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, conn)
	if err != nil {
		return err
	}
	if latest := all[len(all)-1].version; len(applied) > 0 && slices.Max(applied) > latest {
		return i18n.Errorf("schema version %d is newer than this appwatch knows (%d): upgrade appwatch", slices.Max(applied), latest)
	}
	for _, st := range all {
		if slices.Contains(applied, st.version) {
			continue
		}
		if err := s.apply(ctx, conn, st); err != nil {
			return fmt.Errorf("migration %s: %w", st.name, err)
		}
	}
	return nil
}

// appliedVersions returns the versions schema_migrations records. A step
// is applied when it is missing, not only when it is newer than the
// latest one, so a step numbered below one already applied still runs.
func appliedVersions(ctx context.Context, conn *sql.Conn) ([]int, error) {
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema versions: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema versions: %w", err)
	}
	return out, nil
}

// apply runs one step and records it, in one transaction, unless another
// process applied it meanwhile.
func (s *Store) apply(ctx context.Context, conn *sql.Conn, st step) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	var done int
	err = tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), st.version).Scan(&done)
	if err == nil && done > 0 {
		return tx.Rollback()
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, st.sql)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_ns) VALUES (?, ?, ?)"), st.version, st.name, s.now().UnixNano())
	}
	if err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
