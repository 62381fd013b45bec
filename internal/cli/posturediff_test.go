package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/snapshot"
)

// writeTenant writes s to a new directory.
func writeTenant(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snapshot")
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPostureDiff compares postureTenant with itself, then with a later
// state of it, in every format.
func TestPostureDiff(t *testing.T) {
	old := writeTenant(t, postureTenant())
	code, out, errOut := run(t, "posture", "diff", old, writeTenant(t, postureTenant()), "--format", "jsonl")
	if code != exitOK || out != "" || !strings.Contains(errOut, "No alerts.") {
		t.Fatalf("identical snapshots: exit %d, %q, %q", code, out, errOut)
	}

	later := postureTenant()
	later.Applications[0].PasswordCredentials = append(later.Applications[0].PasswordCredentials, snapshot.Credential{KeyID: "secret-2", DisplayName: "backdoor"})
	later.Applications[1].Web.RedirectURIs = append(later.Applications[1].Web.RedirectURIs, "http://evil.example/cb")
	later.Applications[1].Owners = append(later.Applications[1].Owners, snapshot.Owner{ODataType: "#microsoft.graph.user", ID: "u-eve", UserPrincipalName: "eve@fabrikam.com"})
	later.RoleAssignments = append(later.RoleAssignments, snapshot.RoleAssignment{ID: "ra-2", PrincipalID: "sp-payroll", RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"})
	newDir := writeTenant(t, later)

	code, out, errOut = run(t, "posture", "diff", old, newDir, "--format", "jsonl", "--tenant", ourTenant, "--fail-on", "high")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (high changes and --fail-on high):\n%s", code, exitFindings, errOut)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var a map[string]any
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		ev := a["evidence"].(map[string]any)
		if _, err := time.Parse(time.RFC3339, fmt.Sprint(a["time"])); err != nil {
			t.Errorf("change %v: time: %v", a["rule_id"], err)
		}
		if ev["found_by"] != "snapshot-comparison" || a["tenant_id"] != ourTenant || a["title"] == "" {
			t.Errorf("change %v", a)
		}
		got = append(got, a["rule_id"].(string)+" "+a["event_id"].(string)+" "+a["level"].(string))
	}
	want := []string{
		"snapshot-credential-added app-payroll high",
		"snapshot-redirect-uri-changed app-portal high",
		"snapshot-owner-added app-portal medium",
		"snapshot-role-assigned sp-payroll high",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(errOut, "4 alerts") {
		t.Errorf("summary: %q", errOut)
	}
	for format, wants := range map[string][]string{
		"table": {"Credential added to an ap", "found by comparing snapshots", "owner added: eve@fabrikam.com"},
		"json":  {`"rule_id": "snapshot-role-assigned"`},
		"csv":   {"snapshot-owner-added"},
		"sarif": {`"id": "snapshot-logout-url-changed"`, `"ruleId": "snapshot-credential-added"`},
	} {
		code, out, errOut := run(t, "posture", "diff", old, newDir, "--format", format, "--quiet")
		if code != exitOK || errOut != "" {
			t.Errorf("%s: exit %d, %q", format, code, errOut)
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, out)
			}
		}
	}
	code, out, _ = run(t, "posture", "diff", old, newDir, "--format", "jsonl", "--lang", "it")
	if code != exitOK || !strings.Contains(out, "Credenziale aggiunta a un'app") {
		t.Errorf("--lang it: exit %d, %s", code, out)
	}
}

func TestPostureDiffUsage(t *testing.T) {
	dir := writeSnapshot(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"posture", "diff", dir}, "want two snapshots"},
		{[]string{"posture", "diff", dir, filepath.Join(dir, "none")}, "no such file"},
		{[]string{"posture", "diff", dir, t.TempDir()}, "no application, service principal"},
		{[]string{"posture", "diff", dir, dir, "--format", "xml"}, "xml"},
	} {
		code, _, errOut := run(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}
