package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line args and returns the exit status and the
// standard output and error.
// run runs the command line args with an empty environment and returns
// the exit status, standard output and standard error.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, nil, args...)
}

// runEnv is run with the environment variables vars.
func runEnv(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, LookupEnv: func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}}
	code := Main(t.Context(), env, args)
	return code, out.String(), errOut.String()
}

// guestRule is a user rule with one test record that makes it fire and
// one that wrongly expects it not to.
var guestRule = map[string]string{
	"guest.yml": `title: Owner added by a guest
name: guest-owner
level: medium
logsource: {product: azure, service: auditlogs}
detection:
  sel:
    activity: Add owner to application
    actor.upn|contains: '#EXT#'
  condition: sel
guide_row: owner-added
translations:
  it: {title: Proprietario aggiunto da un ospite}
`,
	"testdata/guest-owner/match-a.json": `{"id":"1","activityDisplayName":"Add owner to application","activityDateTime":"2026-03-11T10:00:00Z",
"result":"success","initiatedBy":{"user":{"id":"u","userPrincipalName":"bob#EXT#@contoso.onmicrosoft.com"}},"targetResources":[]}`,
	"testdata/guest-owner/nomatch-b.json": `{"id":"2","activityDisplayName":"Add owner to application","activityDateTime":"2026-03-11T10:00:00Z",
"result":"success","initiatedBy":{"user":{"id":"u","userPrincipalName":"eve#EXT#@contoso.onmicrosoft.com"}},"targetResources":[]}`,
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRulesList(t *testing.T) {
	dir := writeFiles(t, guestRule)
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"rules", "list"},
			[]string{"RULE", "credential-added-to-app  ", "credential-added  ", "Credential added to an application\n", "correlation", "input"},
			[]string{"guest-owner"}},
		{[]string{"rules", "list", "--lang", "ja"}, []string{"ルール  ", "アプリケーションに資格情報が追加された\n", "  重大  "}, []string{"RULE", "critical"}},
		{[]string{"rules", "list", "--lang", "it", "--rules", dir, "--no-builtin"},
			[]string{"guest-owner  ", "Proprietario aggiunto da un ospite"}, []string{"credential-added"}},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, tt.args...)
		if code != exitOK {
			t.Errorf("%v: exit %d, stderr %s", tt.args, code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: output holds %q", tt.args, n)
			}
		}
	}
}

func TestRulesShow(t *testing.T) {
	code, out, errOut := run(t, "rules", "show", "credential-added-to-app")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"rule:       credential-added-to-app\n", "kind:       detection\n", "att&ck:     T1098.001\n",
		"[en] Credential added to an application", "[ja] ", "False positives:\n  - Planned rotation",
		"誤判：\n  - ", "name: credential-added-to-app\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}

	code, out, errOut = run(t, "rules", "show", "--lang", "zh-TW", "app-credential-added")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"規則：      app-credential-added\n", "種類：      關聯輸入\n", "ATT&CK：    T1098.001\n",
		"[zh-TW] 應用程式新增了認證（關聯輸入）", "name: app-credential-added\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "[ja]") || strings.Contains(out, "name: admin-consent-granted") || strings.Contains(out, "kind:") {
		t.Errorf("output holds other languages, rules or English labels:\n%s", out)
	}
}

func TestRulesErrors(t *testing.T) {
	bad := writeFiles(t, map[string]string{"bad.yml": "title: x\nname: x\nlevel: high\nlogsource: {service: auditlogs}\n" +
		"detection: {sel: {activity|nequal: y}, condition: sel}\nguide_row: x\n"})
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"rules"}, exitUsage, "Usage: appwatch rules SUBCOMMAND"},
		{[]string{"rules", "frobnicate"}, exitUsage, `unknown subcommand "frobnicate"`},
		{[]string{"rules", "list", "--lang", "fr"}, exitUsage, `--lang "fr": want one of en, zh-TW, it, ja`},
		{[]string{"rules", "show", "no-such-rule"}, exitUsage, `no rule "no-such-rule"`},
		{[]string{"rules", "show"}, exitUsage, "Usage: appwatch rules show"},
		{[]string{"rules", "test"}, exitUsage, "give the directories of the rules to test, or --builtin"},
		{[]string{"rules", "list", "--rules", bad, "--strict-rules"}, exitUsage, filepath.Join(bad, "bad.yml") + `:5:19: unknown modifier "nequal"`},
		{[]string{"rules", "list", "--rules", bad}, exitOK, "0 of your rules loaded, 1 skipped because they could not be loaded"},
		{[]string{"rules", "list", "--config", filepath.Join(bad, "missing.yaml")}, exitUsage, "missing.yaml"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

func TestRulesTest(t *testing.T) {
	dir := writeFiles(t, guestRule)
	code, out, _ := run(t, "rules", "test", dir)
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	for _, w := range []string{"FAIL  guest-owner  " + filepath.Join(dir, "testdata", "guest-owner", "nomatch-b.json") + ": the rule fired 1 times on 1 events",
		"2 test files: 1 passed, 1 failed"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "match-a.json") {
		t.Errorf("passing case listed without -v:\n%s", out)
	}
	if err := os.Remove(filepath.Join(dir, "testdata", "guest-owner", "nomatch-b.json")); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "rules", "test", "-v", dir)
	if code != exitOK || !strings.Contains(out, "ok    guest-owner") || !strings.Contains(out, "1 test files: 1 passed, 0 failed") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestRulesExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut := run(t, "rules", "export", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, p := range []string{"credential-added-to-app.yml", "testdata/ropc-signin/match-graph.json"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Errorf("not exported: %v", err)
		}
	}
	if code, _, errOut := run(t, "rules", "export", dir); code != exitUsage || !strings.Contains(errOut, "exists") {
		t.Errorf("second export: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(t, "rules", "export", "--force", dir); code != exitOK {
		t.Errorf("forced export: exit %d, %s", code, errOut)
	}
	// The exported copy loads on its own, without the built-in rules.
	if code, out, errOut := run(t, "rules", "list", "--no-builtin", "--rules", dir); code != exitOK || !strings.Contains(out, "ropc-signin") {
		t.Errorf("listing the export: exit %d, %s", code, errOut)
	}
}
