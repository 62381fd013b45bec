package console

import (
	"net/http"
	"strings"
	"testing"
)

// TestPagesRender signs in with each role and draws every page.
func TestPagesRender(t *testing.T) {
	e := newEnv(t, testAlerts(30), nil)
	for _, acct := range []struct{ name, password string }{{adminName, adminPassword}, {viewerName, viewerPassword}} {
		cl := e.client()
		e.signIn(cl, acct.name, acct.password)
		for _, path := range []string{
			"/alerts", "/alerts?group=app", "/alerts?group=row&level=high", "/alerts?range=7d&status=open&outside=true",
			"/alerts/key-0001", "/alerts/key-0029", "/apps", "/apps/4f1c2d3e-0000-4000-8000-00000000000a",
			"/coverage", "/posture", "/silences", "/silences/new?from=key-0002", "/audit",
		} {
			resp, body := e.get(cl, path)
			want := http.StatusOK
			if acct.name == viewerName && (strings.HasPrefix(path, "/silences/new") || path == "/audit") {
				want = http.StatusForbidden
			}
			if resp.StatusCode != want {
				t.Errorf("%s GET %s: %s, want %d\n%.3000s", acct.name, path, resp.Status, want, body)
			}
		}
	}
}
