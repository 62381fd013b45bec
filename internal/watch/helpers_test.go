package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/dir"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
)

// loader loads the built-in rules, and the user rules in dirs, with the
// default policy, as appwatch watch does.
func loader(dirs ...string) func(context.Context) (*Config, error) {
	return func(ctx context.Context) (*Config, error) {
		pol := policy.Default()
		ref, err := refdata.Load()
		if err != nil {
			return nil, err
		}
		set, err := ruleset.Load(ctx, ruleset.Options{Dirs: dirs, Placeholders: pol.Placeholders})
		if err != nil {
			return nil, err
		}
		cfg := &Config{
			Rules:    scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()},
			Policy:   pol,
			Lang:     "en",
			Enricher: func() scan.Enricher { return enrich.New(ref, pol) },
		}
		for _, sk := range set.Skipped {
			cfg.Skipped = append(cfg.Skipped, sk)
		}
		return cfg, nil
	}
}

// withSinks returns load with sinks added to the configuration it
// loads first; later loads get none.
func withSinks(load func(context.Context) (*Config, error), sinks ...*notify.Sink) func(context.Context) (*Config, error) {
	first := true
	return func(ctx context.Context) (*Config, error) {
		cfg, err := load(ctx)
		if err == nil && first {
			cfg.Sinks, first = sinks, false
		}
		return cfg, err
	}
}

// running is a service started by a test.
type running struct {
	t    *testing.T
	stop context.CancelFunc
	done chan error
}

// startService runs the service with opts until the test ends or stop
// is called.
func startService(t *testing.T, opts Options) *running {
	t.Helper()
	if opts.Load == nil {
		opts.Load = loader()
	}
	if opts.Logger == nil && os.Getenv("WATCH_TEST_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if opts.Sweep == 0 {
		opts.Sweep = 50 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(t.Context())
	r := &running{t: t, stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- Run(ctx, opts) }()
	t.Cleanup(func() { r.close() })
	return r
}

// close stops the service and expects it to return in time.
func (r *running) close() {
	r.t.Helper()
	r.stop()
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("Run: %v", err)
		}
		r.done <- nil // for a second close
	case <-time.After(10 * time.Second):
		r.t.Fatal("the service did not stop within 10 seconds")
	}
}

// dirSource is a dir source polling often, with a short settle time.
func dirSource(path string) feed.Source {
	return dir.New(path, dir.Options{Poll: 10 * time.Millisecond, Settle: 100 * time.Millisecond})
}

// openStore opens the store at dsn for checking what a service stored.
func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// waitFor polls cond until it holds, failing the test after deadline.
func waitFor(t *testing.T, deadline time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("gave up waiting after %v: %s", deadline, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// recordsStored returns how many records of source the store counted.
func recordsStored(t *testing.T, st *store.Store, source string) int64 {
	t.Helper()
	c, err := st.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c[source].Records
}

// storedAlerts returns the stored alerts, by key.
func storedAlerts(t *testing.T, st *store.Store) map[string]alert.Alert {
	t.Helper()
	out := map[string]alert.Alert{}
	if err := st.Alerts(t.Context(), store.Filter{}, func(a alert.Alert) error {
		if _, dup := out[a.AlertKey]; dup {
			t.Errorf("alert %s listed twice", a.AlertKey)
		}
		out[a.AlertKey] = a
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeCorpus writes a synthetic corpus of about size bytes to path, two
// records in five of them audit records, and returns its lines.
func writeCorpus(t *testing.T, path string, size int64, seed uint64) []string {
	t.Helper()
	var b bytes.Buffer
	if _, err := corpus.Generate(&b, corpus.Options{Size: size, Seed: seed, AuditShare: 0.4}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// testRecords returns the records of a rule's test file, one JSON
// object per line, in the file's order.
func testRecords(t *testing.T, rule, file string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "rules", "testdata", rule, file))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Records []json.RawMessage }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range doc.Records {
		var c bytes.Buffer
		if err := json.Compact(&c, r); err != nil {
			t.Fatal(err)
		}
		out = append(out, c.String()+"\n")
	}
	return out
}

// appendFile appends text to the file at path.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
