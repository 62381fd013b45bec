// Package storetest gives tests stores to run against: a SQLite file in
// the test's temporary directory, and a fresh schema of the PostgreSQL
// server named by APPWATCH_TEST_POSTGRES (.ci/run starts one). Tests of
// PostgreSQL skip when that variable is unset, except when
// APPWATCH_REQUIRE_POSTGRES is set, as in CI, where they fail instead.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	// The PostgreSQL driver, to create and drop the test's schema.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Dialects are the store dialects tests run against, as named by DSN.
func Dialects() []string { return []string{"sqlite", "postgres"} }

// DSN returns a new, empty store of dialect for the test: see SQLite and
// Postgres.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "postgres" {
		return Postgres(t)
	}
	return SQLite(t)
}

// SQLite returns a store in a new file under t.TempDir().
func SQLite(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
}

// Postgres returns a store in a new schema of the test server, dropped
// when the test ends; it skips the test when there is no server.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("APPWATCH_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("APPWATCH_REQUIRE_POSTGRES") != "" {
			t.Fatal("APPWATCH_REQUIRE_POSTGRES is set but APPWATCH_TEST_POSTGRES is not")
		}
		t.Skip("APPWATCH_TEST_POSTGRES is not set: no PostgreSQL server to test with")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("APPWATCH_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
