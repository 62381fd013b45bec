package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck/dnstest"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/snapshot"
)

const (
	graphAppID  = "00000003-0000-0000-c000-000000000000"
	msftTenant  = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
	ourTenant   = "11111111-1111-4111-8111-111111111111"
	roleMgmtRW  = "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"
	globalAdmin = "62e90394-69f5-4237-9190-012177145e10"
	testToken   = "posture-test-token"
)

// postureTenant is a small tenant with one problem of most kinds. Its
// dates are relative to the time of the run, as the command line
// evaluates at the current time.
func postureTenant() *snapshot.Snapshot {
	t := func(d time.Duration) snapshot.Time {
		return snapshot.Time{Time: time.Now().UTC().Add(d).Truncate(time.Second)}
	}
	day := 24 * time.Hour
	user := snapshot.Owner{ODataType: "#microsoft.graph.user", ID: "u-ada", DisplayName: "Ada", UserPrincipalName: "ada@contoso.com"}
	return &snapshot.Snapshot{
		Applications: []snapshot.Application{
			{
				ID: "app-payroll", AppID: "appid-payroll", DisplayName: "Payroll",
				Web: &snapshot.Web{RedirectURIs: []string{"https://payroll.contoso.com/signin", "http://payroll.contoso.com/legacy"}},
				KeyCredentials: []snapshot.Credential{{KeyID: "cert-1", Type: "AsymmetricX509Cert", Usage: "Verify",
					StartDateTime: t(-day), EndDateTime: t(300 * day)}},
				PasswordCredentials: []snapshot.Credential{{KeyID: "secret-1", DisplayName: "ci", StartDateTime: t(-day), EndDateTime: t(729 * day)}},
				Owners:              []snapshot.Owner{user},
			},
			{
				ID: "app-portal", AppID: "appid-portal", DisplayName: "Portal",
				Web:            &snapshot.Web{RedirectURIs: []string{"https://login.contoso.com/signin", "https://*.fabrikam.com/cb"}, LogoutURL: "https://portal.contoso.com/out"},
				IdentifierURIs: []string{"https://api.oldpartner.example"},
				Owners:         []snapshot.Owner{},
			},
		},
		ServicePrincipals: []snapshot.ServicePrincipal{
			{ID: "sp-graph", AppID: graphAppID, DisplayName: "Microsoft Graph", AppOwnerOrganizationID: msftTenant,
				AppRoles:       []snapshot.AppRole{{ID: roleMgmtRW, Value: "RoleManagement.ReadWrite.Directory", AllowedMemberTypes: []string{"Application"}}},
				KeyCredentials: []snapshot.Credential{{KeyID: "backdoor", Type: "AsymmetricX509Cert", Usage: "Verify", StartDateTime: t(-day), EndDateTime: t(90 * day)}},
				Owners:         []snapshot.Owner{}},
			{ID: "sp-payroll", AppID: "appid-payroll", DisplayName: "Payroll", AppOwnerOrganizationID: ourTenant, Owners: []snapshot.Owner{}},
			{ID: "sp-portal", AppID: "appid-portal", DisplayName: "Portal", AppOwnerOrganizationID: ourTenant, Owners: []snapshot.Owner{}},
		},
		Grants: []snapshot.Grant{{ID: "grant-1", ClientID: "sp-portal", ConsentType: "AllPrincipals", ResourceID: "sp-graph", Scope: "openid Directory.ReadWrite.All"}},
		AppRoleAssignments: []snapshot.AppRoleAssignment{{ID: "ara-1", AppRoleID: roleMgmtRW, PrincipalID: "sp-payroll", PrincipalType: "ServicePrincipal",
			PrincipalDisplayName: "Payroll", ResourceID: "sp-graph", ResourceDisplayName: "Microsoft Graph"}},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "ra-1", PrincipalID: "sp-portal", RoleDefinitionID: globalAdmin, DirectoryScopeID: "/",
			RoleDefinition: &snapshot.RoleDefinition{ID: globalAdmin, DisplayName: "Global Administrator", TemplateID: globalAdmin}}},
		Domains: []snapshot.Domain{{ID: "contoso.com", IsVerified: true, IsDefault: true}, {ID: "contoso.onmicrosoft.com", IsVerified: true, IsInitial: true}},
	}
}

// offlineFindings are the findings postureTenant raises without DNS, as
// "rule_id event_id".
var offlineFindings = []string{
	"credential-lifetime-exceeded app-payroll",
	"secret-instead-of-certificate app-payroll",
	"credential-on-external-service-principal sp-graph",
	"redirect-uri-not-https app-payroll",
	"redirect-uri-wildcard app-portal",
	"redirect-uri-unowned-domain app-portal",
	"identifier-uri-unowned-domain app-portal",
	"logout-url-missing app-payroll",
	"tenant-wide-privileged-grant grant-1",
	"privileged-application-permission sp-payroll",
	"service-principal-privileged-role sp-portal",
	"privileged-app-user-owner app-payroll",
	"app-without-owner app-portal",
	"privileged-app-credential-path sp-payroll",
	"privileged-app-credential-path sp-portal",
}

// writeSnapshot writes postureTenant to a new directory.
func writeSnapshot(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snapshot")
	if err := postureTenant().Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readFindings decodes JSON Lines output, checking each line against the
// alert contract, and returns the findings as "rule_id event_id".
func readFindings(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a line of output is not JSON: %q: %v", sc.Text(), err)
		}
		checkFindingContract(t, m)
		got = append(got, m["rule_id"].(string)+" "+m["event_id"].(string))
	}
	return got
}

// checkFindingContract checks the fields the alert contract promises.
func checkFindingContract(t *testing.T, m map[string]any) {
	t.Helper()
	str := func(k string) string {
		s, ok := m[k].(string)
		if !ok {
			t.Errorf("%v: %s is %T, want a string", m["rule_id"], k, m[k])
		}
		return s
	}
	if row := str("guide_row"); !i18n.IsRow(row) && !slices.Contains([]string{posture.RowAppUsage, posture.RowTenantSettings, posture.RowWorkloadRisk}, row) {
		t.Errorf("guide_row %q is neither one of the guide's rows nor one of posture's own", row)
	}
	if str("rule_id") == "" || str("title") == "" || str("event_id") == "" || !alert.ValidLevel(str("level")) {
		t.Errorf("finding lacks an id, title, event id or level: %v", m)
	}
	str("tenant_id")
	if ts, err := time.Parse(time.RFC3339, str("time")); err != nil || ts.Location() != time.UTC {
		t.Errorf("time %q is not RFC 3339 UTC", m["time"])
	}
	for _, k := range []string{"actor", "target", "evidence", "source"} {
		if _, ok := m[k].(map[string]any); !ok {
			t.Errorf("%s is %T, want an object", k, m[k])
		}
	}
	if m["actor"].(map[string]any)["type"] != "system" || m["target"].(map[string]any)["type"] == "" {
		t.Errorf("actor %v target %v", m["actor"], m["target"])
	}
	attack, ok := m["attack"].([]any)
	if !ok || len(attack) == 0 {
		t.Errorf("attack = %v", m["attack"])
	}
	if _, ok := m["outside_business_hours"].(bool); !ok {
		t.Errorf("outside_business_hours = %v", m["outside_business_hours"])
	}
	if m["source"].(map[string]any)["format"] != posture.SourceFormat {
		t.Errorf("source = %v", m["source"])
	}
}

func TestPostureSnapshot(t *testing.T) {
	dir := writeSnapshot(t)
	code, out, errOut := run(t, "posture", "--snapshot", dir, "--no-dns", "--format", "jsonl", "--tenant", ourTenant)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := readFindings(t, out); !same(got, offlineFindings) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(offlineFindings, "\n"))
	}
	for _, want := range []string{"15 alerts", "DNS: off", "Dangling URI", "Unused apps and access"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
}

func TestPostureSnapshotWithDNS(t *testing.T) {
	srv, err := dnstest.Start(map[string]dnstest.Name{
		"payroll.contoso.com": {A: "192.0.2.1"},
		"portal.contoso.com":  {A: "192.0.2.2"},
		"login.contoso.com":   {CNAME: "contoso-login.azurewebsites.net"},
	}, dnstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out, errOut := run(t, "posture", "--snapshot", writeSnapshot(t), "--dns-server", srv.Addr, "--format", "jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := append(slices.Clone(offlineFindings), "redirect-uri-dangling app-portal", "identifier-uri-dangling app-portal")
	if got := readFindings(t, out); !same(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(errOut, "DNS: 4 host names looked up, 2 dangling, 0 without an answer") {
		t.Errorf("summary:\n%s", errOut)
	}
}

func TestPostureFailOnAndPolicy(t *testing.T) {
	dir := writeSnapshot(t)
	if code, _, errOut := run(t, "posture", "--snapshot", dir, "--no-dns", "--fail-on", "critical", "--quiet"); code != exitFindings {
		t.Errorf("--fail-on critical with critical findings: exit %d: %s", code, errOut)
	}
	cfg := filepath.Join(t.TempDir(), "policy.yml")
	policyText := `version: 1
severity:
  rules:
    tenant-wide-privileged-grant: high
    privileged-application-permission: high
    privileged-app-credential-path: high
suppressions:
  - rule: redirect-uri-*
    target: Portal
    reason: The portal is being rebuilt (CHG-7).
    expires: 2099-01-01
`
	if err := os.WriteFile(cfg, []byte(policyText), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "posture", "--snapshot", dir, "--no-dns", "--config", cfg, "--fail-on", "critical", "--format", "jsonl")
	if code != exitOK {
		t.Errorf("--fail-on critical with the critical findings lowered: exit %d: %s", code, errOut)
	}
	got := readFindings(t, out)
	if slices.Contains(got, "redirect-uri-wildcard app-portal") || !slices.Contains(got, "redirect-uri-not-https app-payroll") {
		t.Errorf("suppression not applied as written: %v", got)
	}
	if !strings.Contains(errOut, "Suppressed by the policy: 2") {
		t.Errorf("summary:\n%s", errOut)
	}
}

func TestPostureSARIFDescribesChecks(t *testing.T) {
	code, out, errOut := run(t, "posture", "--snapshot", writeSnapshot(t), "--no-dns", "--format", "sarif", "--lang", "ja", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string                `json:"id"`
						ShortDescription struct{ Text string } `json:"shortDescription"`
						Properties       map[string]any        `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("SARIF: %v", err)
	}
	run0 := log.Runs[0]
	byID := map[string]bool{}
	for _, r := range run0.Tool.Driver.Rules {
		byID[r.ID] = true
		if r.Properties["guide_row"] == "" || r.ShortDescription.Text == "" {
			t.Errorf("rule %s: %+v", r.ID, r)
		}
	}
	for _, c := range posture.Checks() {
		if !byID[c.ID] {
			t.Errorf("SARIF does not describe check %s", c.ID)
		}
	}
	if len(run0.Results) != len(offlineFindings) {
		t.Errorf("%d results, want %d", len(run0.Results), len(offlineFindings))
	}
	if first := run0.Tool.Driver.Rules[0].ShortDescription.Text; first != posture.Checks()[0].Texts["ja"].Title {
		t.Errorf("rule texts are not in Japanese: %q", first)
	}
}

func TestPostureUsage(t *testing.T) {
	emptyDir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing snapshot", []string{"posture", "--snapshot", filepath.Join(emptyDir, "nope"), "--no-dns"}, "nope"},
		{"empty snapshot", []string{"posture", "--snapshot", emptyDir, "--no-dns"}, "no application"},
		{"unknown format", []string{"posture", "--snapshot", emptyDir, "--format", "xml"}, `--format "xml": want table, jsonl, json, csv, sarif or html`},
		{"positional argument", []string{"posture", emptyDir}, "unexpected argument"},
		{"negative expiry warning", []string{"posture", "--snapshot", emptyDir, "--expiry-warning", "-3"}, "--expiry-warning"},
		{"collect without --out", []string{"posture", "collect"}, "--out DIR is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}

// fakeGraph serves a tenant the way Graph lists it, to the bearer of
// testToken only, and counts the requests.
func fakeGraph(t *testing.T, s *snapshot.Snapshot) *httptest.Server {
	t.Helper()
	type fic struct {
		ID   string `json:"id"`
		FICs []any  `json:"federatedIdentityCredentials"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer "+testToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		q := r.URL.Query()
		var value any
		if serveTenant(w, r, s) {
			return
		}
		path, beta := strings.CutPrefix(r.URL.Path, "/beta")
		path = strings.TrimPrefix(path, "/v1.0")
		context := strings.TrimPrefix(path, "/")
		switch {
		case path == "/applications" && q.Get("$expand") == "federatedIdentityCredentials":
			var fics []fic
			for _, a := range s.Applications {
				fics = append(fics, fic{a.ID, []any{}})
			}
			value = fics
		case path == "/applications":
			value = s.Applications
		case path == "/servicePrincipals" && strings.Contains(q.Get("$filter"), graphAppID):
			value = []snapshot.ServicePrincipal{s.ServicePrincipals[0]}
		case path == "/servicePrincipals":
			value = s.ServicePrincipals
		case path == "/servicePrincipals/sp-graph/appRoleAssignedTo":
			value, context = s.AppRoleAssignments, "appRoleAssignments"
		case path == "/oauth2PermissionGrants":
			value = s.Grants
		case path == "/roleManagement/directory/roleAssignments":
			value = s.RoleAssignments
		case path == "/domains":
			value = s.Domains
		case beta || refusedOptional(path):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`)
			return
		default:
			t.Errorf("unexpected request %s", r.URL)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#" + context, "value": value})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// refusedOptional reports whether path is one of the optional
// collections, which the fake refuses as Graph does when the app lacks
// the permissions for them.
func refusedOptional(path string) bool {
	for _, p := range []string{"/policies/", "/groupSettings", "/identity/conditionalAccess/", "/roleManagement/directory/roleEligibilityScheduleInstances",
		"/reports/", "/identityProtection/", "/servicePrincipals/microsoft.graph.", "/applications/microsoft.graph."} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func TestPostureCollectThenEvaluate(t *testing.T) {
	srv := fakeGraph(t, postureTenant())
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	graphArgs := []string{"--graph-url", srv.URL + "/v1.0", "--access-token-file", tok, "--graph-rate", "-1"}
	code, _, errOut := run(t, append([]string{"posture", "collect", "--out", dir}, graphArgs...)...)
	if code != exitOK {
		t.Fatalf("collect: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "read 2 applications, 3 service principals, 1 delegated grants, 1 app role assignments, 1 role assignments, 2 domains") {
		t.Errorf("collect summary:\n%s", errOut)
	}
	for _, c := range snapshot.Collections() {
		if !snapshot.Core(c) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, string(c)+".json")); err != nil {
			t.Errorf("collect wrote no %s: %v", c, err)
		}
	}
	code, out, errOut := run(t, "posture", "--snapshot", dir, "--no-dns", "--format", "jsonl", "--tenant", ourTenant)
	if code != exitOK {
		t.Fatalf("evaluate: exit %d: %s", code, errOut)
	}
	if got := readFindings(t, out); !same(got, offlineFindings) {
		t.Errorf("findings of the collected snapshot:\n%s", strings.Join(got, "\n"))
	}

	code, out, errOut = run(t, append([]string{"posture", "--no-dns", "--format", "jsonl", "--quiet"}, graphArgs...)...)
	if code != exitOK {
		t.Fatalf("live: exit %d: %s", code, errOut)
	}
	if got := readFindings(t, out); !same(got, offlineFindings) {
		t.Errorf("findings of the live run:\n%s", strings.Join(got, "\n"))
	}
}

func TestPostureCollectRefused(t *testing.T) {
	srv := fakeGraph(t, postureTenant())
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte("someone-else"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "posture", "collect", "--out", t.TempDir(), "--graph-url", srv.URL+"/v1.0", "--access-token-file", tok, "--graph-rate", "-1")
	if code != exitUsage || !strings.Contains(errOut, "401") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestCheckIDsAreNotRuleIDs keeps posture checks and Sigma rules apart,
// so that suppressions and SARIF never mistake one for the other.
func TestCheckIDsAreNotRuleIDs(t *testing.T) {
	set, err := ruleset.Load(context.Background(), ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, r := range set.Meta() {
		rules[r.ID] = true
	}
	for _, c := range posture.Checks() {
		if rules[c.ID] {
			t.Errorf("posture check %s has the id of a built-in rule", c.ID)
		}
	}
}

func same(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
