package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// ropcSignIn is an Event Hub sign-in record whose authentication protocol
// is ROPC, written by us.
const ropcSignIn = `{"time":"2026-03-07T02:10:00Z","resourceId":"/tenants/3f2504e0-4f89-41d3-9a0c-0305e82c3301/providers/Microsoft.aadiam","operationName":"Sign-in activity","category":"SignInLogs","tenantId":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","resultType":"0","callerIpAddress":"203.0.113.9","correlationId":"b1f0c5d2-3c1e-4a55-9b7e-1d2c3b4a5f60","properties":{"id":"7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f","createdDateTime":"2026-03-07T02:09:58Z","userPrincipalName":"ops@contoso.example","userId":"0f1e2d3c-4b5a-4968-8776-655443322110","appId":"1950a258-227b-4e31-a9cf-717495945fc2","appDisplayName":"Legacy Script \u001b[31mRED","ipAddress":"203.0.113.9","status":{"errorCode":0},"authenticationProtocol":"ropc","isInteractive":true}}
`

// benignSignIn is the same sign-in with the OAuth 2.0 protocol.
var benignSignIn = strings.Replace(strings.Replace(ropcSignIn, `"ropc"`, `"oAuth2"`, 1), "7c1d2e3f", "8c1d2e3f", 1)

func TestEventsJSONL(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.json": ropcSignIn + benignSignIn, "notes.txt": "not a log\n"})
	code, out, errOut := run(t, "events", "--format", "jsonl", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d events, want 2:\n%s", len(lines), out)
	}
	var e struct {
		Kind   string `json:"kind"`
		Time   string `json:"time"`
		SignIn struct {
			Protocol string `json:"protocol"`
		} `json:"signin"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatal(err)
	}
	if e.Kind != "signin" || e.Time != "2026-03-07T02:09:58Z" || e.SignIn.Protocol != "ropc" {
		t.Errorf("first event = %+v", e)
	}
	for _, want := range []string{"a.json: diagnostic 2, 2 records, 2 events", "notes.txt: skipped: plain text, not a log", "total: 2 inputs (0 unreadable, 1 plain text files skipped), 2 records, 2 events"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
}

func TestEventsSinceUntil(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.json": ropcSignIn + benignSignIn})
	tests := []struct {
		args   []string
		events int
	}{
		{[]string{"--since", "2026-03-07"}, 2},
		{[]string{"--since", "2026-03-07T02:10"}, 0},
		{[]string{"--until", "2026-03-07T02:09:58"}, 0},
		{[]string{"--until", "2026-03-07T02:09:59"}, 2},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, append(append([]string{"events", "--format", "jsonl", "--quiet"}, tt.args...), dir)...)
		if code != exitOK {
			t.Errorf("%v: exit %d\n%s", tt.args, code, errOut)
		}
		if got := strings.Count(out, "\n"); got != tt.events {
			t.Errorf("%v: %d events, want %d", tt.args, got, tt.events)
		}
	}
}

func TestEventsTableIsSafeForTerminals(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.json": ropcSignIn})
	code, out, _ := run(t, "events", "--format", "table", "--quiet", dir)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Errorf("table output carries an escape sequence from the log:\n%q", out)
	}
	if !strings.Contains(out, "Legacy Sc") {
		t.Errorf("table lacks the app name:\n%s", out)
	}
}

func TestScanJSONLAndFailOn(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ropcSignIn))
	zw.Close()
	dir := writeFiles(t, map[string]string{"benign.json": benignSignIn, "ropc.json.gz": gz.String()})
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"scan", "--format", "jsonl", dir}, exitOK},
		{[]string{"scan", "--format", "jsonl", "--fail-on", "medium", dir}, exitFindings},
		{[]string{"scan", "--format", "jsonl", "--fail-on", "high", dir}, exitOK},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d\n%s", tt.args, code, tt.code, errOut)
			continue
		}
		alerts := parseAlerts(t, out, dir)
		if len(alerts) != 1 || alerts[0]["rule_id"] != "ropc-signin" || alerts[0]["guide_row"] != "ropc-signin" {
			t.Errorf("%v: alerts = %v", tt.args, alerts)
			continue
		}
		src := alerts[0]["source"].(map[string]any)
		if src["file"] != filepath.Join(dir, "ropc.json.gz") || src["format"] != "diagnostic" {
			t.Errorf("source = %v", src)
		}
		if alerts[0]["outside_business_hours"] != true {
			t.Errorf("a Saturday 02:10 UTC sign-in is not outside the default business hours")
		}
	}
}

func TestScanCoverageInLanguage(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.json": ropcSignIn})
	code, _, errOut := run(t, "scan", "--format", "jsonl", "--lang", "ja", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"アラート 1 件", "ROPC によるサインイン", "監査ログが指定されていません", "態勢チェックのみ"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("Japanese coverage lacks %q:\n%s", want, errOut)
		}
	}
}

// TestScanReadsInjectedEnvironment checks that the language comes from
// the environment the command is given, not from the process's.
func TestScanReadsInjectedEnvironment(t *testing.T) {
	t.Setenv("LC_ALL", "ja_JP.UTF-8")
	dir := writeFiles(t, map[string]string{"a.json": ropcSignIn})
	tests := []struct {
		vars map[string]string
		want string
	}{
		{nil, "1 alert"},
		{map[string]string{"LANG": "it_IT.UTF-8"}, "1 avviso"},
		{map[string]string{"LANG": "it_IT.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "1 則警示"},
	}
	for _, tt := range tests {
		code, _, errOut := runEnv(t, tt.vars, "scan", "--format", "jsonl", dir)
		if code != exitOK || !strings.Contains(errOut, tt.want) {
			t.Errorf("environment %v: exit %d, stderr lacks %q:\n%s", tt.vars, code, tt.want, errOut)
		}
	}
}

func TestScanUsageErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"notes.txt": "hello\n", "bad.yml": "title: x\nlogsource: {product: azure, service: auditlogs}\ndetection:\n  sel:\n    activity|wide: x\n  condition: sel\n"})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no paths", []string{"scan"}, "Usage: appwatch scan"},
		{"missing path", []string{"scan", filepath.Join(dir, "missing")}, "missing"},
		{"nothing readable", []string{"scan", filepath.Join(dir, "notes.txt")}, "no input could be read"},
		{"bad level", []string{"scan", "--fail-on", "severe", dir}, "--fail-on"},
		{"bad format", []string{"scan", "--format", "xml", dir}, `--format "xml": want table, jsonl`},
		{"bad language", []string{"scan", "--lang", "fr", dir}, "--lang"},
		{"bad rule", []string{"scan", "--rules", dir, filepath.Join(dir, "notes.txt")}, "bad.yml:5"},
		{"bad policy", []string{"scan", "--config", filepath.Join(dir, "notes.txt"), dir}, "policy"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d mentioning %q", tt.name, code, errOut, exitUsage, tt.want)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"good.yaml": "version: 1\nbusiness_hours:\n  timezone: Europe/Rome\n  days: [mon, tue, wed, thu, fri]\n  start: \"08:00\"\n  end: \"18:00\"\n",
		"bad.yaml":  "version: 1\nbusiness_hourz: {}\n",
	})
	code, out, _ := run(t, "config", "check", filepath.Join(dir, "good.yaml"))
	if code != exitOK || !strings.Contains(out, "good.yaml: ok") {
		t.Errorf("good policy: exit %d, %q", code, out)
	}
	code, out, _ = run(t, "config", "check", filepath.Join(dir, "bad.yaml"))
	if code != exitFindings || !strings.Contains(out, "bad.yaml:2:1:") || !strings.Contains(out, `did you mean "business_hours"`) {
		t.Errorf("bad policy: exit %d, %q", code, out)
	}
	code, out, _ = run(t, "config", "schema")
	if code != exitOK || !json.Valid([]byte(out)) {
		t.Errorf("config schema: exit %d, valid JSON %v", code, json.Valid([]byte(out)))
	}
}

// TestConfigCheckRuleIDs checks that the rule ids a policy names must be
// those of loaded rules: the built-in ones, and yours with --rules; the
// example policy names only rules that exist.
func TestConfigCheckRuleIDs(t *testing.T) {
	rules := writeFiles(t, map[string]string{"mine.yml": "title: Mine\nname: my-rule\nlevel: low\n" +
		"logsource: {product: azure, service: auditlogs}\ndetection: {sel: {activity: Add user}, condition: sel}\n"})
	dir := writeFiles(t, map[string]string{"p.yaml": "version: 1\nseverity:\n  rules:\n    aw-device-code-signin: critical\n    my-rule: high\n" +
		"suppressions:\n  - rule: aw-keyvault-*\n    reason: r\n    expires: 2030-01-01\n"})
	p := filepath.Join(dir, "p.yaml")
	code, out, _ := run(t, "config", "check", "--rules", rules, p)
	want := []string{
		p + `:4:5: severity.rules.aw-device-code-signin: no rule has the id "aw-device-code-signin" (did you mean "device-code-signin"?)`,
		p + `:7:11: suppressions[0].rule: the pattern "aw-keyvault-*" matches no rule`,
	}
	for _, w := range want {
		if code != exitFindings || !strings.Contains(out, w) {
			t.Errorf("exit %d, output\n%s\nlacks %s", code, out, w)
		}
	}
	if strings.Contains(out, "my-rule") {
		t.Errorf("the id of a rule of --rules was refused:\n%s", out)
	}
	if code, out, _ = run(t, "config", "check", filepath.Join("..", "..", "examples", "policy.yaml")); code != exitOK {
		t.Errorf("the example policy: exit %d\n%s", code, out)
	}
	if _, _, errOut := run(t, "scan", "--config", p, "--rules", rules, dir); !strings.Contains(errOut, `no rule has the id "aw-device-code-signin"`) {
		t.Errorf("scan does not warn about the unknown rule id:\n%s", errOut)
	}
}

func TestMainUsage(t *testing.T) {
	if code, _, errOut := run(t); code != exitUsage || !strings.Contains(errOut, "scan") {
		t.Errorf("no command: exit %d, %q", code, errOut)
	}
	if code, _, _ := run(t, "frobnicate"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, out, _ := run(t, "version"); code != exitOK || !strings.HasPrefix(out, "appwatch ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// redirectAdded is a Graph directoryAudit record of a redirect URI on a
// partner's domain added to the Payroll application, written by us.
const redirectAdded = `{"id":"Directory_uri-1","category":"ApplicationManagement","correlationId":"c-uri-1","result":"success",` +
	`"activityDisplayName":"Update application","activityDateTime":"2026-03-11T10:00:00Z","loggedByService":"Core Directory",` +
	`"initiatedBy":{"user":{"id":"u-ana","userPrincipalName":"ana@contoso.com"}},` +
	`"targetResources":[{"id":"obj-payroll","type":"Application","displayName":"Payroll",` +
	`"modifiedProperties":[{"displayName":"AppAddress","oldValue":"[]",` +
	`"newValue":"[{\"AddressType\":0,\"Address\":\"https://portal.fabrikam-partner.net/cb\",\"ReplyAddressClientType\":1}]"}]}]}
`

// TestScanSnapshotDecidesOwnership checks that without owned domains a
// redirect URI's ownership is undecided and said so, and that a tenant
// snapshot's verified domains decide it.
func TestScanSnapshotDecidesOwnership(t *testing.T) {
	dir := writeFiles(t, map[string]string{"audit.json": redirectAdded})
	snap := writeFiles(t, map[string]string{"domains.json": `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#domains",` +
		`"value":[{"id":"contoso.com","isVerified":true,"isDefault":true}]}`})
	tests := []struct {
		name      string
		args      []string
		rules     []string
		ownership string
	}{
		{"no snapshot", nil, []string{"redirect-uri-added"}, "undecided"},
		{"snapshot", []string{"--snapshot", snap}, []string{"dangling-uri", "redirect-uri-added-risky"}, "not_owned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, append(append([]string{"scan", "--format", "jsonl"}, tt.args...), dir)...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			var rules []string
			for _, a := range parseAlerts(t, out, dir) {
				rules = append(rules, a["rule_id"].(string))
				uri := a["evidence"].(map[string]any)["uri"].(map[string]any)
				added := uri["redirect_added"].([]any)[0].(map[string]any)
				if added["ownership"] != tt.ownership {
					t.Errorf("%s: ownership %v, want %s", a["rule_id"], added["ownership"], tt.ownership)
				}
			}
			if strings.Join(rules, ",") != strings.Join(tt.rules, ",") {
				t.Errorf("alerts %v, want %v", rules, tt.rules)
			}
		})
	}
	code, _, errOut := run(t, "scan", "--snapshot", filepath.Join(snap, "missing"), dir)
	if code != exitUsage || !strings.Contains(errOut, "--snapshot") {
		t.Errorf("a missing snapshot: exit %d, stderr %q", code, errOut)
	}
}

// TestScanSkipsBadRules scans with a folder of public-style rules, one of
// which cannot be loaded: the others raise their alerts, the bad one is
// named with its line and column, and --strict-rules stops instead.
func TestScanSkipsBadRules(t *testing.T) {
	rules := writeFiles(t, map[string]string{
		"ropc.yml": "title: ROPC sign-in\nid: 5d1f4e2a-0b3c-4d5e-8f6a-7b8c9d0e1f2a\nlevel: medium\n" +
			"logsource: {product: azure, service: signinlogs}\ndetection: {sel: {properties.message: ROPC}, condition: sel}\n",
		"bad.yml": "title: Bad\nid: 6e2a5f3b-1c4d-4e6f-9a7b-8c9d0e1f2a3b\nlevel: low\n" +
			"logsource: {product: azure, service: signinlogs}\ndetection: {sel: {ActivityDetails: Sign-ins}, condition: sel}\n",
	})
	logs := writeFiles(t, map[string]string{"s.json": ropcSignIn})
	code, out, errOut := run(t, "scan", "--no-builtin", "--rules", rules, "--format", "jsonl", logs)
	if code != exitOK || !strings.Contains(out, `"rule_id":"5d1f4e2a-0b3c-4d5e-8f6a-7b8c9d0e1f2a"`) || !strings.Contains(out, `"guide_row":"ropc-sign-in"`) {
		t.Errorf("exit %d, alerts:\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{filepath.Join(rules, "bad.yml") + `:5:19: unknown field "ActivityDetails"`, "1 of your rules loaded, 1 skipped"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, out, _ = run(t, "scan", "--no-builtin", "--strict-rules", "--rules", rules, "--format", "jsonl", logs)
	if code != exitUsage || out != "" {
		t.Errorf("--strict-rules: exit %d, output %q; want exit %d and no alerts", code, out, exitUsage)
	}
}
