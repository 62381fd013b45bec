package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/store"
)

// ropcGraphSignIn is ropcSignIn as Graph lists it, ten minutes old.
func ropcGraphSignIn(t *testing.T) []byte {
	var rec struct{ Properties map[string]any }
	if err := json.Unmarshal([]byte(ropcSignIn), &rec); err != nil {
		t.Fatal(err)
	}
	rec.Properties["createdDateTime"] = time.Now().UTC().Add(-10 * time.Minute).Format(time.RFC3339)
	rec.Properties["signInEventTypes"] = []string{"interactiveUser"}
	b, _ := json.Marshal(rec.Properties)
	return b
}

// TestWatchGraphAndPosture runs appwatch watch with the graph and
// posture sources against a fake Graph, and lists what it stored: the
// alert of an ROPC sign-in polled from the sign-in log, and the posture
// findings of the tenant's snapshot.
func TestWatchGraphAndPosture(t *testing.T) {
	signIn := ropcGraphSignIn(t)
	srv, _ := interceptedGraph(t, func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/v1.0/auditLogs/directoryAudits":
			w.Write([]byte(`{"value":[]}`))
		case "/beta/auditLogs/signIns":
			if strings.Contains(r.URL.Query().Get("$filter"), "'interactiveUser'") {
				w.Write(append(append([]byte(`{"value":[`), signIn...), "]}"...))
			} else {
				w.Write([]byte(`{"value":[]}`))
			}
		default:
			return false
		}
		return true
	})
	db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
	ctx, cancel := context.WithCancel(t.Context())
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut, Width: 80},
			[]string{"watch", "--store", db, "--source", "graph", "--source", "posture", "--graph-url", srv.URL + "/v1.0",
				"--access-token-file", writeToken(t, testToken), "--graph-rate", "-1", "--no-dns", "--log-format", "json"})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !storedRecords(t, db, "graph", 1) || !storedAlertsOf(t, db, "posture") {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("nothing stored after 30s; watch said:\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("watch exited %d:\n%s", code, errOut.String())
	}
	code, out, stderr := run(t, "alerts", "--store", db, "--format", "jsonl")
	if code != exitOK {
		t.Fatalf("alerts exited %d: %s", code, stderr)
	}
	rules := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var a map[string]any
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		rules[a["rule_id"].(string)]++
		if a["status"] != "open" || len(a["alert_key"].(string)) != 32 {
			t.Errorf("alert %v", a)
		}
	}
	for _, rule := range []string{"ropc-signin", "redirect-uri-not-https", "credential-on-external-service-principal", "tenant-wide-privileged-grant"} {
		if rules[rule] != 1 {
			t.Errorf("%d alerts of %s, want 1; all: %v", rules[rule], rule, rules)
		}
	}
}

// storedAlertsOf reports whether the store at dsn holds alerts of source.
func storedAlertsOf(t *testing.T, dsn, source string) bool {
	st, err := store.Open(t.Context(), dsn, store.Options{MustExist: true})
	if err != nil {
		return false
	}
	defer st.Close()
	n := 0
	err = st.Alerts(t.Context(), store.Filter{Source: source}, func(alert.Alert) error { n++; return nil })
	return err == nil && n > 0
}

func TestWatchGraphUsage(t *testing.T) {
	token := writeToken(t, testToken)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph"}, "no way to sign in"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph:contoso", "--access-token-file", token}, "want graph alone"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "posture", "--access-token-file", token, "--posture-every", "0s"}, "--posture-every"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph", "--access-token-file", token, "--graph-poll", "0s"}, "--graph-poll"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph", "--access-token-file", token, "--lease-ttl", "0s"}, "--lease-ttl"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph", "--access-token-file", token, "--graph-logs", "signIns/all"}, `graph stream "signIns/all"`},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph", "--access-token-file", token, "--graph-overlap", "48h"}, "remembered"},
		{[]string{"watch", "--store", "sqlite:x.db", "--source", "graph", "--access-token-file", token, "--no-beta", "--graph-logs", "signIns/servicePrincipal"}, "--no-beta"},
	} {
		code, _, errOut := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}
