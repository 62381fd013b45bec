package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// buildAppwatch builds the appwatch binary into a temporary directory.
func buildAppwatch(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build appwatch with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "appwatch")
	if out, err := exec.Command(goTool, "build", "-o", bin, "github.com/appwatch/appwatch/cmd/appwatch").CombinedOutput(); err != nil {
		t.Fatalf("build appwatch: %v\n%s", err, out)
	}
	return bin
}

// tenantGraph is a fake Graph for appwatch watch's graph and posture
// sources: the tenant of postureTenant, which change swaps for one with
// an owner and a secret more, and a sign-in log holding an ROPC sign-in,
// to which addLate adds another, twenty minutes old.
type tenantGraph struct {
	srv            *httptest.Server
	before, after  http.Handler
	changed, late  atomic.Bool
	signIns, snaps atomic.Int64 // polls of the interactive sign-ins, snapshots taken
	first, lateRec []byte
}

func newTenantGraph(t *testing.T) *tenantGraph {
	before, after := postureTenant(), postureTenant()
	after.Applications = slices.Clone(before.Applications)
	payroll, portal := &after.Applications[0], &after.Applications[1]
	payroll.PasswordCredentials = append(slices.Clone(payroll.PasswordCredentials), snapshot.Credential{
		KeyID: "secret-2", DisplayName: "added", StartDateTime: snapshot.Time{Time: time.Now().UTC().Truncate(time.Second)},
		EndDateTime: snapshot.Time{Time: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second)}})
	portal.Owners = []snapshot.Owner{{ODataType: "#microsoft.graph.user", ID: "u-eve", DisplayName: "Eve", UserPrincipalName: "eve@contoso.com"}}
	after.ServicePrincipals, after.Domains = before.ServicePrincipals, before.Domains

	g := &tenantGraph{before: fakeGraph(t, before).Config.Handler, after: fakeGraph(t, after).Config.Handler}
	g.first = ropcGraphSignIn(t)
	var rec map[string]any
	json.Unmarshal(g.first, &rec)
	rec["id"] = "b5c2b5c0-9c4e-4e43-9f7a-late00000001"
	rec["createdDateTime"] = time.Now().UTC().Add(-20 * time.Minute).Format(time.RFC3339)
	g.lateRec, _ = json.Marshal(rec)
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *tenantGraph) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/v1.0/auditLogs/directoryAudits":
		w.Write([]byte(`{"value":[]}`))
	case r.URL.Path == "/beta/auditLogs/signIns" && strings.Contains(r.URL.Query().Get("$filter"), "'interactiveUser'"):
		g.signIns.Add(1)
		recs := [][]byte{g.first}
		if g.late.Load() {
			recs = append(recs, g.lateRec)
		}
		fmt.Fprintf(w, `{"value":[%s]}`, bytes.Join(recs, []byte(",")))
	case r.URL.Path == "/beta/auditLogs/signIns":
		w.Write([]byte(`{"value":[]}`))
	default:
		if r.URL.Path == "/v1.0/domains" {
			g.snaps.Add(1)
		}
		if g.changed.Load() {
			g.after.ServeHTTP(w, r)
		} else {
			g.before.ServeHTTP(w, r)
		}
	}
}

// lockedBuffer is a bytes.Buffer a child process and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// storedAlerts lists the alerts in the store at dsn with appwatch alerts,
// as "rule_id event_id status alert_key".
func storedAlerts(t *testing.T, bin, dsn string) []string {
	t.Helper()
	out, err := exec.Command(bin, "alerts", "--store", dsn, "--format", "jsonl").Output()
	if err != nil {
		return nil // not created yet
	}
	var list []string
	for line := range strings.Lines(string(out)) {
		var a struct {
			RuleID   string `json:"rule_id"`
			EventID  string `json:"event_id"`
			Status   string `json:"status"`
			AlertKey string `json:"alert_key"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("appwatch alerts wrote %q: %v", line, err)
		}
		list = append(list, strings.Join([]string{a.RuleID, a.EventID, a.Status, a.AlertKey}, " "))
	}
	return list
}

// count counts the alerts of rule in list, or of rule and status when
// status is not "".
func count(list []string, rule, status string) int {
	n := 0
	for _, a := range list {
		f := strings.Fields(a)
		if f[0] == rule && (status == "" || f[2] == status) {
			n++
		}
	}
	return n
}

// TestWatchGraphBinary runs the appwatch binary with the graph and
// posture sources against a fake Graph three times over one store, as an
// operator would: killed with SIGKILL after its first alerts, restarted
// after the tenant changed and a sign-in came in late, stopped with
// SIGTERM, and run once more. The sign-ins' alerts are stored once each,
// the changes between the snapshots raise one alert each, the finding
// the change fixed is resolved, and no record is read twice.
func TestWatchGraphBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds appwatch")
	}
	bin := buildAppwatch(t)
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			g := newTenantGraph(t)
			args := []string{"watch", "--store", dsn, "--source", "graph", "--source", "posture",
				"--graph-url", g.srv.URL + "/v1.0", "--access-token-file", writeToken(t, testToken), "--graph-rate", "-1", "--no-dns",
				"--graph-poll", "500ms", "--posture-every", "1s", "--lease-ttl", "2s", "--log-format", "json"}
			var logs lockedBuffer
			start := func() *exec.Cmd {
				cmd := exec.Command(bin, args...)
				cmd.Stderr = &logs
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
				return cmd
			}
			waitFor := func(what string, ok func([]string) bool) []string {
				t.Helper()
				deadline := time.Now().Add(90 * time.Second)
				for {
					list := storedAlerts(t, bin, dsn)
					if ok(list) {
						return list
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s: not after 90s; stored:\n%s\nwatch logged:\n%s", what, strings.Join(list, "\n"), logs.String())
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			// more waits until the sign-ins were polled and snapshots taken
			// n more times.
			more := func(n int64) {
				t.Helper()
				signIns, snaps := g.signIns.Load()+n, g.snaps.Load()+n
				waitFor("more polls", func([]string) bool { return g.signIns.Load() >= signIns && g.snaps.Load() >= snaps })
			}

			cmd := start()
			waitFor("first alerts", func(l []string) bool {
				return count(l, "ropc-signin", "") == 1 && count(l, "app-without-owner", "open") == 1
			})
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			g.changed.Store(true)
			g.late.Store(true)
			cmd = start()
			waitFor("the late sign-in and the changes", func(l []string) bool {
				return count(l, "ropc-signin", "") == 2 && count(l, "snapshot-owner-added", "") == 1 && count(l, "snapshot-credential-added", "") == 1
			})
			more(3)
			stopped := time.Now()
			cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil || time.Since(stopped) > 10*time.Second {
				t.Errorf("watch stopped after %s: %v; want exit 0 within 10s", time.Since(stopped), err)
			}

			cmd = start()
			more(3)
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()

			list := storedAlerts(t, bin, dsn)
			for _, c := range []struct {
				rule, status string
				want         int
			}{
				{"ropc-signin", "", 2},
				{"snapshot-owner-added", "open", 1},
				{"snapshot-credential-added", "open", 1},
				{"app-without-owner", "resolved", 1},
				{"credential-on-external-service-principal", "open", 1},
			} {
				if got := count(list, c.rule, c.status); got != c.want {
					t.Errorf("%d alerts of %s %s, want %d", got, c.rule, c.status, c.want)
				}
			}
			keys := map[string]bool{}
			for _, a := range list {
				key := strings.Fields(a)[3]
				if keys[key] {
					t.Errorf("alert key %s stored twice", key)
				}
				keys[key] = true
			}
			st, err := store.Open(t.Context(), dsn, store.Options{MustExist: true})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			counts, err := st.Counts(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if c := counts["graph"]; c.Records != 2 {
				t.Errorf("graph source counts %+v, want the 2 sign-ins read once each", c)
			}
			if t.Failed() {
				t.Logf("stored:\n%s\nwatch logged:\n%s", strings.Join(list, "\n"), logs.String())
			}
		})
	}
}
