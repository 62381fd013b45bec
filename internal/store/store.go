package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"

	// Database drivers: "pgx" for PostgreSQL, "sqlite" for SQLite.
	_ "github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Options tune a Store.
type Options struct {
	// Now is the store's clock, for first-seen times, expiries and
	// leases; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is told how long each operation took: op names
	// the operation (commit, evaluate, alerts, positions, ...).
	Observe func(op string, d time.Duration)
	// MustExist refuses to create a new SQLite file, for commands that
	// only read a store.
	MustExist bool
}

// Store is an open store. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect string
	name    string // the store as given, without credentials
	now     func() time.Time
	observe func(string, time.Duration)
	queries sync.Map // query text with ? placeholders → the dialect's
	facets  facetCache
	// writing is held by the transaction of this process that has
	// SQLite's write lock, or waits for it (see inTx).
	writing sync.Mutex
	// inserted, set by tests, is called in the transaction just after
	// the row of each alert is inserted (or found there already).
	inserted func(key string)
}

// Open opens the store dsn, sqlite:PATH or a postgres:// (postgresql://)
// URL, and brings its schema up to date.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, observe: opts.Observe}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		err = s.openSQLite(strings.TrimPrefix(dsn, "sqlite:"), opts.MustExist)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = s.openPostgres(dsn)
	default:
		return nil, i18n.Errorf("store %q: want sqlite:PATH or postgres://USER@HOST:PORT/DB", dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.retryBusy(ctx, s.prepare); err != nil {
		s.db.Close()
		return nil, i18n.Errorf("store %s: %w", s.name, err)
	}
	return s, nil
}

// prepare connects and brings the schema up to date.
func (s *Store) prepare(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return err
	}
	return s.migrate(ctx)
}

// openBusyWait bounds how long Open retries a SQLite file that another
// process holds locked while it opens or migrates it.
const openBusyWait = 30 * time.Second

// retryBusy runs f again while SQLite answers SQLITE_BUSY, for at most
// openBusyWait. SQLite returns BUSY without waiting on busy_timeout in a
// few cases, such as switching a new file to WAL while another process
// opens it, so two appwatch commands started together would otherwise
// fail.
func (s *Store) retryBusy(ctx context.Context, f func(context.Context) error) error {
	deadline := time.Now().Add(openBusyWait)
	pause := 5 * time.Millisecond
	for {
		err := f(ctx)
		if err == nil || s.dialect != SQLite || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// extended codes included.
func isBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

func (s *Store) openSQLite(path string, mustExist bool) error {
	s.dialect, s.name = SQLite, "sqlite:"+path
	if path == "" || strings.ContainsAny(path, "?#") {
		return i18n.Errorf("store %q: want sqlite:PATH, a file name without ? or #", s.name)
	}
	if mustExist {
		if _, err := os.Stat(path); err != nil {
			return i18n.Errorf("store %s: %w", s.name, err)
		}
	}
	// Every transaction takes the write lock when it begins (immediate),
	// so two writers queue on busy_timeout instead of one failing when it
	// upgrades a read lock; WAL lets readers in other processes go on.
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_busy_timeout=10000&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1")
	if err != nil {
		return i18n.Errorf("store %s: %w", s.name, err)
	}
	s.db = db
	return nil
}

func (s *Store) openPostgres(dsn string) error {
	s.dialect, s.name = Postgres, redact(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return i18n.Errorf("store %s: %w", s.name, err)
	}
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.db = db
	return nil
}

// redact drops the password from a URL for messages.
func redact(dsn string) string {
	at := strings.LastIndexByte(dsn, '@')
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return dsn[:scheme+3] + user + ":xxxxx" + dsn[at:]
	}
	return dsn
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Dialect returns SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// String returns the store's name, without credentials.
func (s *Store) String() string { return s.name }

// Ping checks that the store answers.
func (s *Store) Ping(ctx context.Context) error {
	defer s.timed("ping")()
	return s.db.PingContext(ctx)
}

// timed starts timing the operation op; call the result when it is done.
func (s *Store) timed(op string) func() {
	if s.observe == nil {
		return func() {}
	}
	start := time.Now()
	return func() { s.observe(op, time.Since(start)) }
}

// q returns query, written with ? placeholders, in the store's dialect.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	if v, ok := s.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	s.queries.Store(query, b.String())
	return b.String()
}

// inTx runs fn in a transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.dialect == SQLite {
		defer s.queue()()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// queue waits until no other transaction of this process holds SQLite's
// write lock, and returns the function that lets the next one go. Every
// transaction takes that lock as it begins, so this loses no parallelism;
// it spares waiting in SQLite's busy handler, which polls with sleeps of
// up to 100 ms, so that a transaction starts as soon as the one before
// ends. (A mutex rather than a strict queue: one that has waited a
// millisecond gets it next, while a burst of commits may go on until
// then, which lets the outbox claim what they stored in one go.)
func (s *Store) queue() func() {
	s.writing.Lock()
	return s.writing.Unlock
}

// nanos is t as stored: Unix nanoseconds, or NULL for the zero time.
func nanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

// fromNanos reads a time stored by nanos.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}
