//go:build unix

package watch

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// hook is a webhook receiver that records the webhook-ids it took, and
// answers 500 while it fails.
type hook struct {
	*httptest.Server
	mu      sync.Mutex
	ids     map[string]int
	failing bool
}

func newHook(t *testing.T) *hook {
	h := &hook{ids: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.failing {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		h.ids[r.Header.Get("webhook-id")]++
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) fail(on bool) {
	h.mu.Lock()
	h.failing = on
	h.mu.Unlock()
}

func (h *hook) took() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.ids)
}

// TestReloadSinks runs appwatch watch as a child process with its sinks
// in the policy file and changes them with SIGHUP: the sink taken out
// stops receiving and keeps its undelivered alerts pending in the store
// (appwatch deliveries list shows them); the sink put in receives what is
// stored from then on; a policy with a bad sink is refused, saying why,
// and the sinks in use stay; and the sink put back sends what it had
// pending.
func TestReloadSinks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds appwatch and runs it")
	}
	bin := buildAppwatch(t)
	dsn, logs := storetest.SQLite(t), t.TempDir()
	a, b := newHook(t), newHook(t)
	policy := filepath.Join(t.TempDir(), "policy.yaml")
	writePolicy := func(sinks ...string) {
		t.Helper()
		text := "version: 1\ndelivery:\n  sinks:\n"
		for _, s := range sinks {
			text += fmt.Sprintf("    - %q\n", s)
		}
		if err := os.WriteFile(policy, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sinkA, sinkB := "webhook:"+a.URL+"#name=a", "webhook:"+b.URL+"#name=b"
	writePolicy(sinkA)
	log, err := os.Create(filepath.Join(t.TempDir(), "watch.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			out, _ := os.ReadFile(log.Name())
			t.Logf("the child's log ends:\n%s", tail(string(out), 4000))
		}
	}()
	c := startChild(t, bin, dsn, logs, log, "--config", policy, "--retry-max", "200ms")
	st := openStore(t, dsn)
	logHas := func(s string) func() bool {
		return func() bool {
			out, _ := os.ReadFile(log.Name())
			return strings.Count(string(out), s) > 0
		}
	}
	reloads := 0
	hangup := func(want string) {
		t.Helper()
		reloads++
		n := reloads
		c.cmd.Process.Signal(syscall.SIGHUP)
		waitFor(t, 30*time.Second, "reload "+fmt.Sprint(n), func() bool {
			out, _ := os.ReadFile(log.Name())
			return strings.Count(string(out), `"msg":"reload`) >= n
		})
		if !logHas(want)() {
			t.Fatalf("after SIGHUP %d the log does not say %q", n, want)
		}
	}

	// Each part of the corpus raises open alerts of its own.
	lines := writeCorpus(t, filepath.Join(t.TempDir(), "corpus"), 240<<10, 11)
	part := len(lines) / 4
	seen := map[string]bool{}
	written := 0
	write := func(i int) map[string]bool {
		t.Helper()
		chunk := lines[i*part : (i+1)*part]
		appendFile(t, filepath.Join(logs, fmt.Sprintf("part%d.json", i)), strings.Join(chunk, ""))
		written += len(chunk)
		waitFor(t, 60*time.Second, "part stored", func() bool { return recordsStored(t, st, "dir:"+logs) == int64(written) })
		out := map[string]bool{}
		for k, al := range storedAlerts(t, st) {
			if !seen[k] && al.Status == "open" {
				out[k], seen[k] = true, true
			}
		}
		if len(out) == 0 {
			t.Fatalf("part %d raised no open alert", i)
		}
		return out
	}
	got := func(h *hook, keys map[string]bool) func() bool {
		return func() bool {
			took := h.took()
			for k := range keys {
				if took[k] == 0 {
					return false
				}
			}
			return true
		}
	}
	none := func(name string, h *hook, keys map[string]bool) {
		t.Helper()
		took := h.took()
		for k := range keys {
			if took[k] > 0 {
				t.Errorf("sink %s took %s", name, k)
			}
		}
	}

	first := write(0)
	waitFor(t, 60*time.Second, "a takes the first part", got(a, first))

	a.fail(true)
	second := write(1)
	writePolicy(sinkB)
	hangup("reloaded rules, policy and sinks")
	if !logHas(`sink removed`)() {
		t.Error("the log does not say that sink a was removed")
	}
	pending := 0
	err = st.Deliveries(t.Context(), store.DeliveryFilter{Sinks: []string{"a"}, States: []string{store.DeliveryPending}}, func(d store.Delivery) error {
		if !second[d.AlertKey] {
			t.Errorf("pending delivery of %s to a, not of the second part", d.AlertKey)
		}
		pending++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pending != len(second) {
		t.Errorf("%d deliveries to the removed sink pending, want the second part's %d", pending, len(second))
	}
	out, err := exec.Command(bin, "deliveries", "list", "--store", dsn, "--sink", "a", "--state", "pending").CombinedOutput()
	if err != nil {
		t.Fatalf("deliveries list: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " pending "); n != len(second) {
		t.Errorf("deliveries list shows %d pending deliveries to a, want %d:\n%s", n, len(second), out)
	}

	third := write(2)
	waitFor(t, 60*time.Second, "b takes the third part", got(b, third))
	none("b", b, first)
	none("b", b, second)

	writePolicy("nowhere:x")
	hangup(`reload failed`)
	if !logHas(`delivery.sinks[0]`)() || !logHas(`nowhere`)() {
		t.Error("the failed reload does not name the bad sink")
	}
	fourth := write(3)
	waitFor(t, 60*time.Second, "b, kept, takes the fourth part", got(b, fourth))

	a.fail(false)
	writePolicy(sinkA, sinkB)
	hangup("reloaded rules, policy and sinks")
	waitFor(t, 60*time.Second, "a, back, sends what it had pending", got(a, second))
	none("a", a, third)
	none("a", a, fourth)

	c.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-c.done; err != nil {
		t.Errorf("appwatch watch exited with %v after SIGTERM, want 0", err)
	}
}
