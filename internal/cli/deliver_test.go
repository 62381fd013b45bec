package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/store"
)

// receiver is a loopback HTTP receiver of webhooks that records what it
// took and answers with the status its fail says (200 when zero).
type receiver struct {
	*httptest.Server
	fail atomic.Int32
	mu   sync.Mutex
	ids  []string // webhook-id headers of the requests it took
	body []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		if code := int(r.fail.Load()); code != 0 {
			w.WriteHeader(code)
			return
		}
		r.mu.Lock()
		r.ids = append(r.ids, req.Header.Get("webhook-id"))
		r.body = append(r.body, string(b))
		r.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) took() ([]string, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...), append([]string(nil), r.body...)
}

// ropcAt is the ROPC sign-in with another id and correlation id (their
// first 8 hex digits) on another day of March 2026.
func ropcAt(id, day string) string {
	return strings.NewReplacer("7c1d2e3f", id, "b1f0c5d2", id, "2026-03-07T", "2026-03-"+day+"T").Replace(ropcSignIn)
}

// watchUntil runs appwatch watch with args until cond holds, then stops
// it and checks that it exited 0.
func watchUntil(t *testing.T, what string, cond func() bool, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut, Width: 80},
			append([]string{"watch", "--poll", "10ms", "--log-format", "json"}, args...))
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		select {
		case code := <-done:
			t.Fatalf("watch exited %d before %s:\n%s", code, what, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("not %s after 60s; watch said:\n%s", what, errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, errOut.String())
	}
}

// deliveries lists the deliveries of the store db as deliveries list
// --json writes them.
func deliveries(t *testing.T, db string, args ...string) []deliveryJSON {
	t.Helper()
	code, out, errOut := run(t, append([]string{"deliveries", "list", "--store", db, "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("deliveries list exited %d: %s", code, errOut)
	}
	var ds []deliveryJSON
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var d deliveryJSON
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

func countState(ds []deliveryJSON, state string) int {
	n := 0
	for _, d := range ds {
		if d.State == state {
			n++
		}
	}
	return n
}

// TestWatchDelivers runs appwatch watch with a webhook and a Teams sink
// as a user would, the Teams sink grouping as the policy file says:
// every alert reaches both, the webhook with its alert_key as webhook-id;
// a silence added with appwatch silence add holds the next alert back,
// which is stored suppressed; after the silence is expired alerts flow
// again, and first-seen suppression keeps quiet about a repeat.
func TestWatchDelivers(t *testing.T) {
	hook, teams := newReceiver(t), newReceiver(t)
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + benignSignIn})
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(pol, []byte("version: 1\ndelivery:\n  grouping: {by: [row], wait: 0s, interval: 0s}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := "sqlite:" + filepath.Join(dir, "appwatch.db")
	args := []string{"--store", db, "--source", "dir:" + logs, "--config", pol, "--sink", "webhook:" + hook.URL, "--sink", "teams:" + teams.URL}
	sent := func(n int) func() bool {
		return func() bool { return storedRecords(t, db, "dir:"+logs, 1) && countState(deliveries(t, db), "sent") >= n }
	}
	watchUntil(t, "both deliveries sent", sent(2), args...)

	ids, bodies := hook.took()
	keys := storedKeys(t, db)
	if len(ids) != 1 || len(keys) != 1 || ids[0] != keys[0] {
		t.Fatalf("webhook-ids %v, stored alert keys %v: want the one alert's key once", ids, keys)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(bodies[0]), &got); err != nil || got["alert_key"] != keys[0] || got["rule_id"] != "ropc-signin" {
		t.Errorf("webhook body %s (%v)", bodies[0], err)
	}
	if _, tb := teams.took(); len(tb) != 1 || !strings.Contains(tb[0], "AdaptiveCard") {
		t.Errorf("Teams took %d messages, want one Adaptive Card: %v", len(tb), tb)
	}

	code, out, errOut := run(t, "silence", "add", "--store", db, "--reason", "pen test CHG-7", "--author", "alice", "row=ropc-signin", "actor=~ops@.*")
	if code != exitOK || strings.TrimSpace(out) != "1" {
		t.Fatalf("silence add: exit %d, %q, %s", code, out, errOut)
	}
	appendTo(t, filepath.Join(logs, "signins.json"), ropcAt("9c1d2e3f", "07"))
	watchUntil(t, "the silenced record stored", func() bool { return storedRecords(t, db, "dir:"+logs, 3) }, args...)
	code, out, _ = run(t, "alerts", "--store", db, "--format", "jsonl", "--status", "suppressed")
	if code != exitOK || strings.Count(out, "\n") != 1 {
		t.Errorf("alerts --status suppressed: exit %d, %q; want the silenced alert", code, out)
	}
	code, out, _ = run(t, "silence", "list", "--store", db)
	if code != exitOK || !strings.Contains(out, "row=ropc-signin actor=~ops@.*") || !strings.Contains(out, "alice") {
		t.Errorf("silence list: exit %d:\n%s", code, out)
	}

	if code, _, errOut := run(t, "silence", "expire", "--store", db, "--author", "bob", "1"); code != exitOK {
		t.Fatalf("silence expire: %s", errOut)
	}
	appendTo(t, filepath.Join(logs, "signins.json"), ropcAt("ac1d2e3f", "09")+ropcAt("bc1d2e3f", "09"))
	watchUntil(t, "the next alerts delivered", sent(4), args...)
	code, out, _ = run(t, "silence", "list", "--store", db, "--all")
	if code != exitOK || !strings.Contains(out, "expire") || !strings.Contains(out, "bob") {
		t.Errorf("silence list --all: exit %d:\n%s", code, out)
	}
	if ids, _ := hook.took(); len(ids) != 2 {
		t.Errorf("the webhook took %d alerts, want 2: the first, and the first after the silence (the next is first-seen suppressed)", len(ids))
	}
	if n := len(storedKeys(t, db)); n != 4 {
		t.Errorf("%d alerts stored, want 4", n)
	}
}

// TestDeliveriesRetry: a webhook that refuses alerts leaves dead
// letters; once it takes them again, deliveries retry sends them.
func TestDeliveriesRetry(t *testing.T) {
	hook := newReceiver(t)
	hook.fail.Store(http.StatusBadRequest)
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + ropcAt("9c1d2e3f", "09")})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	args := []string{"--store", db, "--source", "dir:" + logs, "--sink", "webhook:" + hook.URL + "#name=soc"}
	watchUntil(t, "dead letters", func() bool { return storedRecords(t, db, "dir:"+logs, 2) && countState(deliveries(t, db), "dead") == 2 }, args...)
	dead := deliveries(t, db, "--state", "dead", "--sink", "soc")
	if len(dead) != 2 || !strings.Contains(dead[0].LastError, "400") {
		t.Fatalf("dead letters %+v", dead)
	}
	hook.fail.Store(0)
	code, out, errOut := run(t, "deliveries", "retry", "--store", db, "--sink", "soc")
	if code != exitOK || !strings.HasPrefix(out, "2 ") {
		t.Fatalf("deliveries retry: exit %d, %q, %s", code, out, errOut)
	}
	watchUntil(t, "the retried deliveries sent", func() bool { return countState(deliveries(t, db), "sent") == 2 }, args...)
	if ids, _ := hook.took(); len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("webhook-ids %v, want two different", ids)
	}
}

// TestScanNotify sends a scan's alerts to a webhook, each under the
// same webhook-id run after run, and fails with exit status 3 when the
// webhook refuses them.
func TestScanNotify(t *testing.T) {
	hook := newReceiver(t)
	logs := writeFiles(t, map[string]string{"signins.json": ropcSignIn + benignSignIn})
	for range 2 {
		code, out, errOut := run(t, "scan", "--format", "jsonl", "--notify", "webhook:"+hook.URL, logs)
		if code != exitOK || strings.Count(out, "\n") != 1 {
			t.Fatalf("scan --notify: exit %d, %d alerts: %s", code, strings.Count(out, "\n"), errOut)
		}
		if !strings.Contains(errOut, hook.URL+": 1 alerts delivered") {
			t.Errorf("stderr does not say what was delivered:\n%s", errOut)
		}
	}
	if ids, bodies := hook.took(); len(bodies) != 2 || len(ids[0]) != 32 || ids[0] != ids[1] || !strings.Contains(bodies[0], ids[0]) {
		t.Errorf("webhook-ids %v: want one key, the same in both runs and in the bodies", ids)
	}
	hook.fail.Store(http.StatusForbidden)
	code, _, errOut := run(t, "scan", "--format", "jsonl", "--notify", "webhook:"+hook.URL, logs)
	if code != exitIncomplete || !strings.Contains(errOut, "1 of 1 alerts not delivered") || !strings.Contains(errOut, "403") {
		t.Errorf("scan --notify to a refusing webhook: exit %d, stderr:\n%s", code, errOut)
	}
}

// storedKeys returns the alert keys the store at dsn holds.
func storedKeys(t *testing.T, dsn string) []string {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var keys []string
	err = st.Alerts(t.Context(), store.Filter{}, func(a alert.Alert) error {
		keys = append(keys, a.AlertKey)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// TestWatchLoaderSinks checks what watch reads again on SIGHUP: the sinks
// of --sink and of the policy, grouped as the policy says, and an error
// naming the policy's line for a sink that does not parse.
func TestWatchLoaderSinks(t *testing.T) {
	policyFile := filepath.Join(t.TempDir(), "policy.yaml")
	write := func(text string) {
		if err := os.WriteFile(policyFile, []byte("version: 1\n"+text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := watchFlags{config: policyFile, lang: "en"}
	f.sinks.flag = "sink"
	if err := f.sinks.Set("webhook:https://soc.example.com/hook#name=hook"); err != nil {
		t.Fatal(err)
	}
	load := f.loader(nil)
	wait := func() map[string]time.Duration {
		t.Helper()
		cfg, err := load(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]time.Duration{}
		for _, sk := range cfg.Sinks {
			out[sk.Name()] = -1
			if g := sk.Delivery().Group; g != nil {
				out[sk.Name()] = g.Wait
			}
			sk.Close()
		}
		return out
	}
	write("delivery:\n  sinks: ['slack:https://hooks.slack.example/T0/B0/x#name=chat']\n  grouping: {wait: 10s}\n")
	if got := wait(); len(got) != 2 || got["hook"] != -1 || got["chat"] != 10*time.Second {
		t.Errorf("sinks and their group-wait = %v", got)
	}
	write("delivery:\n  sinks: ['slack:https://hooks.slack.example/T0/B0/x#name=chat']\n  grouping: {wait: 20s}\n")
	if got := wait(); got["chat"] != 20*time.Second {
		t.Errorf("after the policy changed: %v", got)
	}
	write("delivery:\n  sinks:\n    - 'webhook:https://soc.example.com/other#name=hook'\n")
	if _, err := load(t.Context()); err == nil || !strings.Contains(err.Error(), "two sinks are named hook") {
		t.Errorf("two sinks of one name: %v", err)
	}
	write("delivery:\n  sinks:\n    - 'nowhere:x'\n")
	if _, err := load(t.Context()); err == nil || !strings.Contains(err.Error(), "policy.yaml:4: delivery.sinks[0]: ") {
		t.Errorf("a bad sink: %v", err)
	}
}
