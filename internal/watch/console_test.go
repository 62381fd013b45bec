package watch

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// TestConsoleOnListener mounts a console on the service's listener: it
// gets the store the service opened and every path but the probes and
// metrics, which stay the service's own.
func TestConsoleOnListener(t *testing.T) {
	dsn := storetest.SQLite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Pointer[store.Store]
	console := func(st *store.Store) (http.Handler, error) {
		got.Store(st)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "console %s", r.URL.Path) }), nil
	}
	startService(t, Options{Store: dsn, Sources: []feed.Source{dirSource(t.TempDir())}, Listener: ln, Console: console})
	base := "http://" + ln.Addr().String()
	waitFor(t, 10*time.Second, "the listener", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	for path, want := range map[string]string{"/healthz": "ok\n", "/alerts": "console /alerts", "/": "console /", "/signin": "console /signin"} {
		if body := get(t, base+path); body != want {
			t.Errorf("GET %s: %q, want %q", path, body, want)
		}
	}
	if m := get(t, base+"/metrics"); !strings.Contains(m, "appwatch_records_total") && !strings.Contains(m, "go_goroutines") {
		t.Errorf("/metrics is not the service's: %.300s", m)
	}
	if st := got.Load(); st == nil || st.Ping(t.Context()) != nil {
		t.Error("the console did not get the service's store")
	}
}

// TestConsoleFailsStart stops the service from starting when its console
// cannot be made.
func TestConsoleFailsStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Run(t.Context(), Options{Store: storetest.SQLite(t), Sources: []feed.Source{dirSource(t.TempDir())}, Load: loader(), Listener: ln,
		Console: func(*store.Store) (http.Handler, error) { return nil, errors.New("no templates") }})
	if err == nil || !strings.Contains(err.Error(), "console: no templates") {
		t.Errorf("Run with a console that fails: %v", err)
	}
}
