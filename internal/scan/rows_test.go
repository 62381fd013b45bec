package scan

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/source"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// This file holds, for each guide row the built-in rules read from audit
// logs, a table of every activity the reference data gives the row (and,
// for the URI rows, every category and every suffix of shared host). Each
// record is written in four layouts (a Microsoft Graph object, an Event
// Hub diagnostic record, a Log Analytics row as JSON and as the portal's
// CSV export), and as the Entra portal's audit CSV download when its
// numbered columns hold the record whole, with two spellings of its
// activity (the reference's, and Entra's with an en dash and a trailing
// space); it is scanned by Run as appwatch scan does, and the alert and its
// evidence are checked. The sign-in and Key Vault rows have tables of the
// values their rules decide on, in the layouts those logs come in.

const (
	tenantID    = "3f2c1a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
	payrollSP   = "6f708192-a3b4-4c5d-8e6f-708192a3b4c5"
	payrollApp  = "7d6c5b4a-3928-4a1b-9c0d-e9f8a7b6c5d4"
	payrollObj  = "a1b2c3d4-1111-4111-8111-111111111111"
	graphSPObj  = "0c0c0c0c-0000-4000-8000-000000000000"
	graphAppID  = "00000003-0000-0000-c000-000000000000"
	customAPI   = "0d0d0d0d-0000-4000-8000-000000000000"
	adminUser   = "ana.admin@contoso.com"
	helpdeskUPN = "li.wei@contoso.com"
)

// layout writes one directoryAudit object as a file of one layout.
type layout struct {
	name, file string
	write      func(rec map[string]any) string
}

// fits reports whether layout l can hold rec whole: the portal's CSV
// download keeps only some targets and properties.
func (l layout) fits(rec map[string]any) bool {
	return l.name != "portal-csv" || portalFits(rec)
}

// layouts are the layouts every audit record of the tables is written in.
var layouts = []layout{
	{"graph", "audit.json", func(rec map[string]any) string { return jsonText(rec) + "\n" }},
	{"diagnostic", "audit.json", func(rec map[string]any) string {
		return jsonText(map[string]any{
			"records": []any{map[string]any{
				"time": rec["activityDateTime"], "resourceId": "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
				"operationName": rec["activityDisplayName"], "operationVersion": "1.0", "category": "AuditLogs",
				"tenantId": tenantID, "resultSignature": "None", "durationMs": 0, "correlationId": rec["correlationId"],
				"Level": 4, "properties": rec,
			}},
		}) + "\n"
	}},
	{"loganalytics-json", "audit.json", func(rec map[string]any) string { return columnsJSON(auditColumns(rec)) }},
	{"loganalytics-csv", "audit.csv", func(rec map[string]any) string { return csvText(auditColumns(rec)) }},
	{"portal-csv", "audit.csv", portalCSV},
}

// The Entra portal's audit CSV download keeps three targets with five
// modified properties each.
const portalTargets, portalProperties = 3, 5

// portalFits reports whether the portal's download keeps every target and
// modified property of rec.
func portalFits(rec map[string]any) bool {
	targets := rec["targetResources"].([]any)
	if len(targets) > portalTargets {
		return false
	}
	for _, t := range targets {
		if len(t.(map[string]any)["modifiedProperties"].([]any)) > portalProperties {
			return false
		}
	}
	return true
}

// portalCSV writes a directoryAudit object as a row of the Entra portal's
// audit CSV download, with its numbered target columns.
func portalCSV(rec map[string]any) string {
	user := rec["initiatedBy"].(map[string]any)["user"].(map[string]any)
	cols := []column{
		{"Date (UTC)", rec["activityDateTime"]}, {"CorrelationId", rec["correlationId"]}, {"Service", rec["loggedByService"]},
		{"Category", rec["category"]}, {"Activity", rec["activityDisplayName"]}, {"Result", rec["result"]},
		{"ResultReason", rec["resultReason"]}, {"ActorType", "User"}, {"ActorObjectId", user["id"]},
		{"ActorUserPrincipalName", user["userPrincipalName"]}, {"IPAddress", user["ipAddress"]},
	}
	targets := rec["targetResources"].([]any)
	for i := range portalTargets {
		t := map[string]any{"modifiedProperties": []any{}}
		if i < len(targets) {
			t = targets[i].(map[string]any)
		}
		n := fmt.Sprintf("Target%d", i+1)
		cols = append(cols, column{n + "Type", t["type"]}, column{n + "DisplayName", t["displayName"]}, column{n + "ObjectId", t["id"]})
		props := t["modifiedProperties"].([]any)
		for j := range portalProperties {
			p := map[string]any{}
			if j < len(props) {
				p = props[j].(map[string]any)
			}
			m := fmt.Sprintf("%sModifiedProperty%d", n, j+1)
			cols = append(cols, column{m + "Name", p["displayName"]}, column{m + "OldValue", p["oldValue"]}, column{m + "NewValue", p["newValue"]})
		}
	}
	for i := range cols {
		if cols[i].value == nil {
			cols[i].value = ""
		}
	}
	return csvText(cols)
}

// columnsJSON writes a Log Analytics row as a JSON array of one object.
func columnsJSON(cols []column) string {
	row := map[string]any{}
	for _, c := range cols {
		row[c.name] = c.value
	}
	return jsonText([]any{row}) + "\n"
}

// csvText writes a Log Analytics row as the portal's CSV export does,
// dates in the US style under headers ending in " [UTC]".
func csvText(cols []column) string {
	var head, row []string
	for _, c := range cols {
		v := fmt.Sprint(c.value)
		if t, ok := c.value.(time.Time); ok {
			c.name, v = c.name+" [UTC]", t.Format("1/2/2006, 3:04:05.000 PM")
		}
		head, row = append(head, c.name), append(row, v)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(head)
	w.Write(row)
	w.Flush()
	return b.String()
}

// column is a column of an AuditLogs row of Log Analytics.
type column struct {
	name  string
	value any
}

// auditColumns writes a directoryAudit object as the columns of a Log
// Analytics AuditLogs row, dates as time.Time.
func auditColumns(rec map[string]any) []column {
	when, err := time.Parse(time.RFC3339Nano, rec["activityDateTime"].(string))
	if err != nil {
		panic(err) // auditRecord writes RFC 3339
	}
	return []column{
		{"TenantId", tenantID}, {"SourceSystem", "Azure AD"}, {"TimeGenerated", when},
		{"OperationName", rec["activityDisplayName"]}, {"ActivityDisplayName", rec["activityDisplayName"]},
		{"Category", rec["category"]}, {"Result", rec["result"]}, {"ResultReason", rec["resultReason"]},
		{"CorrelationId", rec["correlationId"]}, {"Id", rec["id"]}, {"LoggedByService", rec["loggedByService"]},
		{"AADOperationType", rec["operationType"]}, {"ActivityDateTime", when},
		// Log Analytics exports dynamic columns as JSON text.
		{"InitiatedBy", jsonText(rec["initiatedBy"])},
		{"TargetResources", jsonText(rec["targetResources"])},
		{"AdditionalDetails", jsonText(rec["additionalDetails"])},
		{"Type", "AuditLogs"},
	}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps, slices and strings always marshal
	}
	return string(b)
}

// auditRecord is a directoryAudit object of activity by the administrator.
func auditRecord(activity, service, category string, targets []any) map[string]any {
	return map[string]any{
		"id": "Directory_row-test", "category": category, "correlationId": "c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
		"result": "success", "resultReason": "", "activityDisplayName": activity,
		"activityDateTime": wednesday.Format(time.RFC3339Nano), "loggedByService": service, "operationType": "Update",
		"initiatedBy":       map[string]any{"user": map[string]any{"id": "u-ana", "userPrincipalName": adminUser, "ipAddress": "203.0.113.10"}},
		"targetResources":   targets,
		"additionalDetails": []any{},
	}
}

// prop is a modified property with JSON-quoted values, as Entra writes
// them; an empty value is logged as null.
func prop(name, old, new string) map[string]any {
	m := map[string]any{"displayName": name, "oldValue": nil, "newValue": nil}
	if old != "" {
		m["oldValue"] = old
	}
	if new != "" {
		m["newValue"] = new
	}
	return m
}

func resource(id, typ, name string, props ...map[string]any) map[string]any {
	mods := make([]any, len(props))
	for i, p := range props {
		mods[i] = p
	}
	return map[string]any{"id": id, "type": typ, "displayName": name, "modifiedProperties": mods}
}

func q(s string) string { return jsonText(s) }

// rowCase is one record of a row's table and what its alert must say.
type rowCase struct {
	name string
	// activity is the activity of the reference data the record is of:
	// the record is written with each of its spellings.
	activity string
	record   map[string]any
	rule     string
	// evidence maps paths in the alert's evidence (as JSON, dots between
	// keys, [0] for the first item) to the values they must hold.
	evidence map[string]any
	// target, when not nil, is the alert's target.
	target *alert.Target
}

// spellings are the ways an activity name of the reference data reaches
// appwatch: as the reference spells it, and as Entra logs it, with an en
// dash for a hyphen between spaces and a trailing space.
func spellings(name string) map[string]string {
	return map[string]string{
		"reference": name,
		"logged":    strings.ReplaceAll(name, " - ", " \u2013 ") + " ",
	}
}

// runRowCase writes the record in every layout, with every spelling of its
// activity, scans it as appwatch scan does and checks the alert.
func runRowCase(t *testing.T, cfg func() Config, c rowCase) {
	t.Helper()
	for _, spelling := range slices.Sorted(maps.Keys(spellings(c.activity))) {
		rec := maps.Clone(c.record)
		logged := spellings(c.activity)[spelling]
		rec["activityDisplayName"] = logged
		for _, l := range layouts {
			if !l.fits(rec) {
				continue
			}
			t.Run(c.name+"/"+spelling+"/"+l.name, func(t *testing.T) {
				got := scanOne(t, cfg(), l, rec, c.rule)
				ev := asJSON(t, got.Evidence)
				if v, _ := at(ev, "activity").(string); strings.TrimSpace(v) != strings.TrimSpace(logged) {
					t.Errorf("evidence activity = %q, want %q", v, logged)
				}
				for path, want := range c.evidence {
					if v := at(ev, path); fmt.Sprint(v) != fmt.Sprint(want) {
						t.Errorf("evidence %s = %v, want %v\n%s", path, v, want, jsonText(got.Evidence))
					}
				}
				if c.target != nil && got.Target != *c.target {
					t.Errorf("target %+v, want %+v", got.Target, *c.target)
				}
			})
		}
	}
}

// scanOne writes rec as a file of layout l, scans it with scan.Run, the
// entry appwatch scan uses, and returns the alert of rule, failing when
// the record was not read as one event of that layout or no such alert was
// raised.
func scanOne(t *testing.T, cfg Config, l layout, rec map[string]any, rule string) alert.Alert {
	t.Helper()
	inputs, err := source.FromFS(fstest.MapFS{l.file: {Data: []byte(l.write(rec))}}, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), inputs, cfg, ingest.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tot := res.Read.Totals(); tot.Events != 1 || tot.Errors != 0 || tot.Layouts[l.name] != 1 {
		t.Fatalf("read %d events, %d errors, layouts %v; want 1 event of %s", tot.Events, tot.Errors, tot.Layouts, l.name)
	}
	var rules []string
	for _, a := range res.Alerts {
		if a.RuleID == rule {
			return a
		}
		rules = append(rules, a.RuleID)
	}
	t.Fatalf("no %s alert; alerts: %v", rule, rules)
	return alert.Alert{}
}

func asJSON(t *testing.T, v any) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(jsonText(v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at follows a path such as "uri.redirect_added[0].host.category".
func at(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		key, index, indexed := strings.Cut(part, "[")
		m, _ := v.(map[string]any)
		v = m[key]
		if indexed {
			l, _ := v.([]any)
			i := 0
			fmt.Sscanf(strings.TrimSuffix(index, "]"), "%d", &i)
			if i >= len(l) {
				return nil
			}
			v = l[i]
		}
	}
	return v
}

// rowActivities returns the reference data's activities for row, failing
// when there are none.
func rowActivities(t *testing.T, row string) []refdata.AuditActivity {
	t.Helper()
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	acts := ref.RowActivities(row)
	if len(acts) == 0 {
		t.Fatalf("the reference data gives row %s no activity", row)
	}
	return acts
}

// defaultConfig loads the built-in rules once and returns a function
// giving a Config with a fresh enricher chain (the URI enricher remembers
// what it saw), under the default policy.
func defaultConfig(t *testing.T) func() Config {
	cfg := builtinConfig(t, policy.Default())
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	return func() Config {
		c := cfg
		c.Enricher = enrich.New(ref, c.Policy)
		return c
	}
}

// appTarget is the Payroll application, or its service principal for
// activities on service principals.
func appTarget(activity string, props ...map[string]any) map[string]any {
	if strings.Contains(strings.ToLower(activity), "service principal") {
		return resource(payrollSP, "ServicePrincipal", "Payroll Sync", append(props, prop("TargetId.ServicePrincipalNames", "", q(payrollApp)))...)
	}
	return resource(payrollObj, "Application", "Payroll Sync", append(props, prop("AppId", "", q(payrollApp)))...)
}

func rowCredentialAdded(t *testing.T) {
	keys := func(ids ...string) string {
		var items []string
		for _, id := range ids {
			items = append(items, fmt.Sprintf("[KeyIdentifier=%s,KeyType=Password,KeyUsage=Verify,DisplayName=%s]", id, id))
		}
		return jsonText(items)
	}
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "credential-added") {
		runRowCase(t, cfg, rowCase{
			name:     a.Name,
			activity: a.Name,
			record:   auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name, prop("KeyDescription", keys("k-old"), keys("k-old", "k-new")))}),
			rule:     "credential-added-to-app",
			evidence: map[string]any{
				"credential.added[0].key_id": "k-new", "credential.existing_before": 1,
			},
		})
	}
}

// grantRecord is an app role assignment or delegated grant on the API
// apiName, to the Payroll service principal.
func grantRecord(activity, apiID, apiName string, props ...map[string]any) map[string]any {
	props = append(props,
		prop("ServicePrincipal.ObjectID", "", q(payrollSP)),
		prop("ServicePrincipal.DisplayName", "", q("Payroll Sync")),
		prop("ServicePrincipal.AppId", "", q(payrollApp)),
		prop("TargetId.ServicePrincipalNames", "", q(apiID)))
	return auditRecord(activity, "Core Directory", "ApplicationManagement", []any{
		resource(graphSPObj, "ServicePrincipal", apiName, props...),
		resource(payrollSP, "ServicePrincipal", payrollApp),
	})
}

// consentRecord is a consent to the Payroll service principal for the
// Graph scopes given, by an administrator for everyone or by a user.
func consentRecord(admin bool, scopes string) map[string]any {
	isAdmin, consentType := `"False"`, "Principal"
	if admin {
		isAdmin, consentType = `"True"`, "AllPrincipals"
	}
	perms := fmt.Sprintf("[] => [[Id: x, ClientId: %s, PrincipalId: , ResourceId: %s, ConsentType: %s, Scope:  %s, CreatedDateTime: , LastModifiedDateTime ]]; ", payrollSP, graphSPObj, consentType, scopes)
	return auditRecord("Consent to application", "Core Directory", "ApplicationManagement", []any{
		resource(payrollSP, "ServicePrincipal", "Payroll Sync",
			prop("ConsentContext.IsAdminConsent", "", q(strings.Trim(isAdmin, `"`))),
			prop("ConsentContext.IsAppOnly", "", q("False")),
			prop("ConsentAction.Permissions", "", q(perms)),
			prop("TargetId.ServicePrincipalNames", "", q(payrollApp))),
	})
}

// permissionCases writes a record for each permission activity of row
// that raises rule.
func permissionCases(t *testing.T, row, rule string, apiID, apiName, appRole, scope string, admin bool) {
	t.Helper()
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, row) {
		c := rowCase{name: a.Name, activity: a.Name, rule: rule, evidence: map[string]any{}}
		switch a.Name {
		case "Add app role assignment to service principal":
			c.record = grantRecord(a.Name, apiID, apiName, prop("AppRole.Value", "", q(appRole)))
			c.evidence["grant.type"], c.evidence["grant.permissions[0].value"] = "application", appRole
			c.evidence["grant.client_sp_id"] = payrollSP
		case "Add delegated permission grant":
			c.record = grantRecord(a.Name, apiID, apiName,
				prop("DelegatedPermissionGrant.Scope", "", q(scope)),
				prop("DelegatedPermissionGrant.ConsentType", "", q("AllPrincipals")))
			c.evidence["grant.type"], c.evidence["grant.permissions[0].value"] = "delegated", scope
			c.evidence["grant.consent_type"] = "AllPrincipals"
		case "Consent to application":
			c.record = consentRecord(admin, scope)
			c.evidence["grant.admin_consent"] = fmt.Sprint(admin)
			c.evidence["grant.permissions[0].value"] = scope
		default:
			t.Fatalf("no record written for %q", a.Name)
		}
		runRowCase(t, cfg, c)
	}
}

func rowPrivilegedAppPermission(t *testing.T) {
	t.Run("every-permission", rowEveryPermission)
	permissionCases(t, "privileged-app-permission", "privileged-app-permission", graphAppID, "Microsoft Graph", "Application.ReadWrite.All", "", true)
}

func rowAdminConsentPrivileged(t *testing.T) {
	permissionCases(t, "admin-consent-privileged", "admin-consent-privileged", graphAppID, "Microsoft Graph", "Mail.ReadWrite", "Directory.ReadWrite.All", true)
}

func rowSensitiveAPIPermission(t *testing.T) {
	permissionCases(t, "sensitive-api-permission", "sensitive-api-permission", graphAppID, "Microsoft Graph", "User.Read.All", "Mail.Read", true)
}

func rowOtherAPIAppRole(t *testing.T) {
	permissionCases(t, "other-api-app-role", "other-api-app-role", "7e7e7e7e-0000-4000-8000-000000000000", "Skype for Business Online", "Reports.Read", "", true)
}

func rowTenantWideDelegatedGrant(t *testing.T) {
	permissionCases(t, "tenant-wide-delegated-grant", "tenant-wide-delegated-grant", graphAppID, "Microsoft Graph", "", "Directory.ReadWrite.All", true)
}

func rowUserConsent(t *testing.T) {
	t.Run("every-graph-scope", rowEveryGraphScopeConsent)
	permissionCases(t, "user-consent", "user-consent", graphAppID, "Microsoft Graph", "", "User.Read", false)
}

func rowRiskyConsentBlocked(t *testing.T) {
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "risky-consent-blocked") {
		rec := consentRecord(false, "Mail.Read")
		rec["result"] = "failure"
		rec["resultReason"] = "Microsoft.online.Security.userConsentBlockedForRiskyAppsException"
		rec["activityDisplayName"] = a.Name
		runRowCase(t, cfg, rowCase{
			name: a.Name, record: rec, rule: "risky-consent-blocked",
			activity: a.Name,
			evidence: map[string]any{"result": "failure", "result_reason": rec["resultReason"]},
		})
	}
}

func rowOwnerAdded(t *testing.T) {
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "owner-added") {
		kind, typ, id := "Application", "Application", payrollObj
		if strings.Contains(a.Name, "service principal") {
			kind, typ, id = "ServicePrincipal", "ServicePrincipal", payrollSP
		}
		rec := auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{
			resource("u-li", "User", "", prop(kind+".ObjectID", "", q(id)), prop(kind+".DisplayName", "", q("Payroll Sync"))),
			resource(id, typ, "Payroll Sync"),
		})
		// The evidence holds only the activity: the alert's target says
		// which application was given an owner.
		runRowCase(t, cfg, rowCase{name: a.Name, activity: a.Name, record: rec, rule: "owner-added", evidence: map[string]any{},
			target: &alert.Target{Type: typ, ID: id, Name: "Payroll Sync"}})
	}
}

// appAddress writes the AppAddress value of redirect URIs.
func appAddress(uris ...string) string {
	items := make([]map[string]any, len(uris))
	for i, u := range uris {
		items[i] = map[string]any{"AddressType": 0, "Address": u, "ReplyAddressClientType": 1, "ReplyAddressIndex": nil, "IsReplyAddressDefault": false}
	}
	return jsonText(items)
}

// categoryHosts are hosts of every category of shared_hosts.csv.
var categoryHosts = map[string]string{
	uricheck.CategoryCloud:      "payroll-prod.azurewebsites.net",
	uricheck.CategoryTunnel:     "1a2b-203-0-113-7.ngrok-free.app",
	uricheck.CategoryDynamicDNS: "payroll.duckdns.org",
	uricheck.CategoryShortener:  "bit.ly",
}

func TestCategoryHostsCoverEveryCategory(t *testing.T) {
	for _, c := range uricheck.Categories() {
		if sh, ok := uricheck.Classify(categoryHosts[c]); !ok || sh.Category != c {
			t.Errorf("category %s: test host %q is %+v", c, categoryHosts[c], sh)
		}
	}
}

// uriRowCases checks a URI rule on every activity of the row, with a URI
// under each category of shared host, and with a plain HTTP one.
func uriRowCases(t *testing.T, row, rule string, withHTTP bool) {
	t.Helper()
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, row) {
		for _, c := range uricheck.Categories() {
			uri := "https://" + categoryHosts[c] + "/signin"
			runRowCase(t, cfg, rowCase{
				name:     a.Name + "/" + c,
				activity: a.Name,
				record:   auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name, prop("AppAddress", appAddress(), appAddress(uri)))}),
				rule:     rule,
				evidence: map[string]any{
					"uri.redirect_added[0].uri": uri, "uri.redirect_added[0].issues[0]": "claimable_host",
					"uri.redirect_added[0].host.category": c, "uri.redirect_added[0].ownership": "undecided",
				},
			})
		}
		if !withHTTP {
			continue
		}
		uri := "http://portal.contoso.com/cb"
		runRowCase(t, cfg, rowCase{
			name:     a.Name + "/http",
			activity: a.Name,
			record:   auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name, prop("AppAddress", appAddress(), appAddress(uri)))}),
			rule:     rule,
			evidence: map[string]any{
				"uri.redirect_added[0].uri": uri, "uri.redirect_added[0].issues[0]": "not_https",
				"uri.redirect_added[0].ownership": "undecided",
			},
		})
	}
}

// sharedHostCases checks a URI rule on a record of the row's first
// activity that adds, for each category of shared host, a redirect URI
// under every suffix of that category, in every layout: the evidence must
// name each URI with its category and suffix.
func sharedHostCases(t *testing.T, row, rule string) {
	t.Helper()
	cfg := defaultConfig(t)
	a := rowActivities(t, row)[0]
	bySuffix := map[string][]uricheck.SharedHost{}
	for _, sh := range uricheck.SharedHosts() {
		bySuffix[sh.Category] = append(bySuffix[sh.Category], sh)
	}
	for _, c := range uricheck.Categories() {
		want := map[string]uricheck.SharedHost{}
		var uris []string
		for _, sh := range bySuffix[c] {
			uri := "https://payroll." + sh.Suffix + "/signin"
			want[uri] = sh
			uris = append(uris, uri)
		}
		rec := auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name, prop("AppAddress", appAddress(), appAddress(uris...)))})
		for _, l := range layouts {
			if !l.fits(rec) {
				continue
			}
			t.Run("every-suffix/"+c+"/"+l.name, func(t *testing.T) {
				got := scanOne(t, cfg(), l, rec, rule)
				added, _ := at(asJSON(t, got.Evidence), "uri.redirect_added").([]any)
				seen := 0
				for _, item := range added {
					uri, _ := at(item, "uri").(string)
					sh, ok := want[uri]
					if !ok {
						continue
					}
					seen++
					if cat, suffix := at(item, "host.category"), at(item, "host.suffix"); cat != sh.Category || suffix != sh.Suffix {
						t.Errorf("%s: host %v under %v, want %s under %s", uri, cat, suffix, sh.Category, sh.Suffix)
					}
				}
				if seen != len(want) {
					t.Errorf("evidence names %d of the %d URIs under %s suffixes", seen, len(want), c)
				}
			})
		}
	}
}

func rowDanglingURI(t *testing.T) {
	uriRowCases(t, "dangling-uri", "dangling-uri", false)
	sharedHostCases(t, "dangling-uri", "dangling-uri")
}

func rowRedirectURIChange(t *testing.T) {
	uriRowCases(t, "redirect-uri-change", "redirect-uri-added-risky", true)
	sharedHostCases(t, "redirect-uri-change", "redirect-uri-added-risky")
}

func rowAppIDURIChange(t *testing.T) {
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "appid-uri-change") {
		uri := "api://payroll.contoso.com"
		runRowCase(t, cfg, rowCase{
			name:     a.Name,
			activity: a.Name,
			record:   auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name, prop("AppIdentifierUri", "[]", jsonText([]string{uri})))}),
			rule:     "appid-uri-change",
			evidence: map[string]any{"uri.identifier_added[0].uri": uri},
		})
	}
}

func rowLogoutURLChange(t *testing.T) {
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "logout-url-change") {
		runRowCase(t, cfg, rowCase{
			name:     a.Name,
			activity: a.Name,
			record: auditRecord(a.Name, "Core Directory", "ApplicationManagement", []any{appTarget(a.Name,
				prop("LogoutUrl", q("https://portal.contoso.com/logout"), q("https://1a2b.ngrok-free.app/logout")))}),
			rule: "logout-url-change",
			evidence: map[string]any{
				"uri.logout_new":           "https://1a2b.ngrok-free.app/logout",
				"uri.logout_host.category": "tunnel", "uri.logout_ownership": "undecided",
			},
		})
	}
}

// roleRecordFor writes a record of the role activity a for the Payroll
// service principal and Global Administrator: PIM's layout (the role
// first, a request, the member, the tenant) for PIM's activities, the
// directory's (the member with Role.* properties, then the role) for the
// others, with the administrative unit of scoped activities.
func roleRecordFor(a refdata.AuditActivity) map[string]any {
	return roleRecordWith(a, globalAdmin, "Global Administrator")
}

// roleRecordWith is roleRecordFor with the role of template id roleID
// and name roleName.
func roleRecordWith(a refdata.AuditActivity, roleID, roleName string) map[string]any {
	category := a.Categories[0]
	for _, c := range a.Categories {
		if c == "RoleManagement" {
			category = c
		}
	}
	if a.Services[0] == "PIM" {
		return auditRecord(a.Name, "PIM", category, []any{
			resource(roleID, "Role", roleName),
			resource("0f1e2d3c-4b5a-4968-8776-655443322110", "Request", ""),
			resource(payrollSP, "ServicePrincipal", "Payroll Sync"),
			resource(tenantID, "Directory", "Contoso"),
		})
	}
	old, new := "", q(roleID)
	name := q(roleName)
	oldName, newName := "", name
	if a.Change == refdata.ChangeRemove {
		old, new, oldName, newName = new, "", name, ""
	}
	targets := []any{
		resource(payrollSP, "ServicePrincipal", "Payroll Sync",
			prop("Role.TemplateId", old, new), prop("Role.DisplayName", oldName, newName),
			prop("TargetId.ServicePrincipalNames", "", q(payrollApp))),
		resource("9a9a9a9a-0000-4000-8000-000000000000", "Role", ""),
	}
	if strings.Contains(a.Key, "scoped") {
		targets = append(targets, resource("8b8b8b8b-8888-4888-8888-888888888888", "AdministrativeUnit", "Paris office"))
	}
	return auditRecord(a.Name, "Core Directory", category, targets)
}

func rowSPRoleAssigned(t *testing.T) {
	t.Run("every-directory-role", rowEveryDirectoryRole)
	t.Run("every-azure-role", rowEveryAzureRole)
	cfg := defaultConfig(t)
	for _, a := range rowActivities(t, "sp-role-assigned") {
		rule := "sp-privileged-role-assigned"
		if a.Change == refdata.ChangeRemove {
			rule = "sp-role-removed"
		}
		runRowCase(t, cfg, rowCase{
			name: a.Name, record: roleRecordFor(a), rule: rule,
			activity: a.Name,
			evidence: map[string]any{
				"role.name": "Global Administrator", "role.id": globalAdmin, "role.privileged": "true",
				"role.member_type": "ServicePrincipal", "role.member_id": payrollSP,
				"role.change": a.Change, "role.assignment": a.Assignment, "role.stage": a.Stage, "role.logged_by": a.Services[0],
			},
		})
	}
}

// signInLayouts are the layouts a signIn object is written in: a Graph
// object, an Event Hub diagnostic record and a Log Analytics SigninLogs
// row, whose dynamic columns are JSON text.
var signInLayouts = []layout{
	{"graph", "signins.json", func(rec map[string]any) string { return jsonText(rec) + "\n" }},
	{"diagnostic", "signins.json", func(rec map[string]any) string {
		return jsonText(map[string]any{"records": []any{map[string]any{
			"time": rec["createdDateTime"], "resourceId": "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
			"operationName": "Sign-in activity", "operationVersion": "1.0", "category": "SignInLogs",
			"tenantId": tenantID, "resultType": "0", "correlationId": rec["correlationId"], "Level": 4,
			"properties": rec,
		}}}) + "\n"
	}},
	{"loganalytics-json", "signins.json", func(rec map[string]any) string {
		return jsonText([]any{map[string]any{
			"TenantId": tenantID, "SourceSystem": "Azure AD", "TimeGenerated": rec["createdDateTime"],
			"OperationName": "Sign-in activity", "Category": "SignInLogs", "ResultType": "0",
			"CorrelationId": rec["correlationId"], "Id": rec["id"], "CreatedDateTime": rec["createdDateTime"],
			"UserPrincipalName": rec["userPrincipalName"], "UserId": rec["userId"],
			"AppId": rec["appId"], "AppDisplayName": rec["appDisplayName"], "IPAddress": rec["ipAddress"],
			"ClientAppUsed": rec["clientAppUsed"], "AuthenticationProtocol": rec["authenticationProtocol"],
			"OriginalTransferMethod": rec["originalTransferMethod"], "RiskLevelDuringSignIn": rec["riskLevelDuringSignIn"],
			"ResourceDisplayName": rec["resourceDisplayName"], "IsInteractive": true, "Type": "SigninLogs",
			"Status": jsonText(rec["status"]),
		}}) + "\n"
	}},
}

// signInRecord is a successful interactive signIn object of the helpdesk
// user to the Microsoft Graph Command Line Tools.
func signInRecord(protocol, transferMethod, risk string) map[string]any {
	return map[string]any{
		"id": "5e4d3c2b-row-test", "createdDateTime": wednesday.Format(time.RFC3339Nano),
		"correlationId": "c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0d", "userPrincipalName": helpdeskUPN, "userId": "u-li",
		"appId": "14d82eec-204b-4c2f-b7e8-296a70dab67e", "appDisplayName": "Microsoft Graph Command Line Tools",
		"ipAddress": "198.51.100.24", "clientAppUsed": "Mobile Apps and Desktop clients",
		"authenticationProtocol": protocol, "originalTransferMethod": transferMethod,
		"riskLevelDuringSignIn": risk, "resourceDisplayName": "Microsoft Graph",
		"status": map[string]any{"errorCode": 0, "failureReason": "Other."},
	}
}

// signInCase is a sign-in of a row's table and the alert it must raise.
type signInCase struct {
	name, protocol, transferMethod, risk, rule string
}

// runSignInCases writes each case in every sign-in layout, scans it and
// checks the rule's alert and that its evidence carries the protocol and
// transfer method that decided it.
func runSignInCases(t *testing.T, cases []signInCase) {
	cfg := defaultConfig(t)
	for _, c := range cases {
		for _, l := range signInLayouts {
			t.Run(c.name+"/"+l.name, func(t *testing.T) {
				got := scanOne(t, cfg(), l, signInRecord(c.protocol, c.transferMethod, c.risk), c.rule)
				ev := asJSON(t, got.Evidence)
				for path, want := range map[string]string{"signin.protocol": c.protocol, "signin.transfer_method": c.transferMethod} {
					if v, _ := at(ev, path).(string); v != want && !(want == "none" && v == "") {
						t.Errorf("evidence %s = %q, want %q\n%s", path, v, want, jsonText(got.Evidence))
					}
				}
			})
		}
	}
}

func rowROPCSignIn(t *testing.T) {
	runSignInCases(t, []signInCase{
		{"ropc", "ropc", "none", "none", "ropc-signin"},
	})
}

func rowDeviceCodeSignIn(t *testing.T) {
	runSignInCases(t, []signInCase{
		{"protocol", "deviceCode", "none", "none", "device-code-signin"},
		{"transfer-method", "none", "deviceCodeFlow", "none", "device-code-signin"},
		{"protocol-risky", "deviceCode", "none", "high", "device-code-signin-risky"},
		{"transfer-method-risky", "none", "deviceCodeFlow", "medium", "device-code-signin-risky"},
	})
}

const (
	vaultURL      = "https://payroll-kv.vault.azure.net"
	vaultResource = "/SUBSCRIPTIONS/6C1E2D3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F/RESOURCEGROUPS/PAYROLL-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/PAYROLL-KV"
	policyObject  = "5e6f7081-92a3-4b4c-8d5e-6f708192a3b4"
)

// vaultRequest is a request to the Payroll key vault by the helpdesk user,
// as Key Vault's AuditEvent logs it.
type vaultRequest struct {
	operation string
	at        time.Time
	status    int    // httpStatusCode
	signature string // resultSignature; resultType is always Success
	policy    string // "added" or "removed": the access policy change logged
}

// vaultLayouts write a vaultRequest as an Event Hub diagnostic record, an
// AzureDiagnostics row of Log Analytics (nested fields flattened into
// columns) as JSON, and that row as the portal's CSV.
var vaultLayouts = []struct {
	name, file string
	write      func(r vaultRequest) string
}{
	{"diagnostic", "vault.json", func(r vaultRequest) string {
		props := map[string]any{"id": vaultURL + "/secrets/payroll-db", "requestUri": vaultURL + "/secrets/payroll-db?api-version=7.5",
			"clientInfo": "azsdk-go-azsecrets/1.1.0", "httpStatusCode": r.status}
		if r.policy != "" {
			props[r.policy+"AccessPolicy"] = map[string]any{"ObjectId": policyObject, "TenantId": tenantID,
				"Permissions": map[string]any{"keys": []string{}, "secrets": []string{"get", "list"}, "certificates": []string{}}}
		}
		return jsonText(map[string]any{"records": []any{map[string]any{
			"time": r.at.Format(time.RFC3339Nano), "category": "AuditEvent", "operationName": r.operation,
			"resultType": "Success", "resultSignature": r.signature, "durationMs": "12", "callerIpAddress": "203.0.113.10",
			"correlationId": "7e6d0154-5c4b-4a39-8281-706f5e4d3c2c", "resourceId": vaultResource, "operationVersion": "7.5",
			"tenantId": tenantID, "properties": props,
			"identity": map[string]any{"claim": map[string]any{"oid": "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "upn": helpdeskUPN,
				"appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "tid": tenantID}},
		}}}) + "\n"
	}},
	{"loganalytics-json", "vault.json", func(r vaultRequest) string { return columnsJSON(vaultColumns(r)) }},
	{"loganalytics-csv", "vault.csv", func(r vaultRequest) string { return csvText(vaultColumns(r)) }},
}

// vaultColumns writes a vaultRequest as the columns of an AzureDiagnostics
// row.
func vaultColumns(r vaultRequest) []column {
	cols := []column{
		{"TenantId", tenantID}, {"TimeGenerated", r.at}, {"ResourceId", vaultResource}, {"Category", "AuditEvent"},
		{"ResourceProvider", "MICROSOFT.KEYVAULT"}, {"Resource", "PAYROLL-KV"}, {"ResourceType", "VAULTS"},
		{"OperationName", r.operation}, {"ResultType", "Success"}, {"ResultSignature", r.signature},
		{"CorrelationId", "7e6d0154-5c4b-4a39-8281-706f5e4d3c2c"}, {"CallerIPAddress", "203.0.113.10"},
		{"id_s", vaultURL + "/secrets/payroll-db"}, {"clientInfo_s", "azsdk-go-azsecrets/1.1.0"},
		{"httpStatusCode_d", r.status}, {"requestUri_s", vaultURL + "/secrets/payroll-db?api-version=7.5"},
		{"identity_claim_oid_g", "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f"}, {"identity_claim_upn_s", helpdeskUPN},
		{"identity_claim_appid_g", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"}, {"Type", "AzureDiagnostics"},
	}
	if r.policy != "" {
		p := r.policy + "AccessPolicy_"
		cols = append(cols, column{p + "ObjectId_g", policyObject}, column{p + "TenantId_g", tenantID},
			column{p + "Permissions_secrets_s", `["get","list"]`})
	}
	return cols
}

// vaultCase is a Key Vault request of the row's table, the alert it must
// raise and what the alert's evidence must hold.
type vaultCase struct {
	name     string
	request  vaultRequest
	rule     string
	evidence map[string]any
}

func rowKeyVaultAccess(t *testing.T) {
	t.Run("activity-log", rowKeyVaultAccessActivity)
	saturdayNight := time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC)
	cases := []vaultCase{
		{"refused-403", vaultRequest{operation: "SecretGet", at: wednesday, status: 403, signature: "Forbidden"},
			"keyvault-request-refused", map[string]any{"keyvault.http_status": "403", "keyvault.result_signature": "Forbidden"}},
		{"refused-forbidden-signature", vaultRequest{operation: "KeyDecrypt", at: wednesday, status: 401, signature: "Forbidden"},
			"keyvault-request-refused", map[string]any{"keyvault.result_signature": "Forbidden"}},
		{"policy-added", vaultRequest{operation: "VaultPatch", at: wednesday, status: 200, signature: "OK", policy: "added"},
			"keyvault-access-policy-changed", map[string]any{"keyvault.access_policy_added.object_id": policyObject,
				"keyvault.access_policy_added.secrets[1]": "list"}},
		{"policy-removed", vaultRequest{operation: "VaultPut", at: wednesday, status: 200, signature: "OK", policy: "removed"},
			"keyvault-access-policy-changed", map[string]any{"keyvault.access_policy_removed.object_id": policyObject}},
		{"policy-notification", vaultRequest{operation: "VaultAccessPolicyChangedEventGridNotification", at: wednesday, status: 200, signature: "OK"},
			"keyvault-access-policy-changed", map[string]any{}},
		{"outside-hours", vaultRequest{operation: "SecretGet", at: saturdayNight, status: 200, signature: "OK"},
			"keyvault-access-outside-hours", map[string]any{}},
	}
	cfg := defaultConfig(t)
	for _, c := range cases {
		for _, l := range vaultLayouts {
			t.Run(c.name+"/"+l.name, func(t *testing.T) {
				write := func(map[string]any) string { return l.write(c.request) }
				got := scanOne(t, cfg(), layout{l.name, l.file, write}, nil, c.rule)
				ev := asJSON(t, got.Evidence)
				want := maps.Clone(c.evidence)
				want["keyvault.operation"], want["keyvault.vault"] = c.request.operation, "payroll-kv"
				for path, w := range want {
					if v := at(ev, path); fmt.Sprint(v) != fmt.Sprint(w) {
						t.Errorf("evidence %s = %v, want %v\n%s", path, v, w, jsonText(got.Evidence))
					}
				}
			})
		}
	}
}

const (
	policyWrite    = "Microsoft.KeyVault/vaults/accessPolicies/write"
	vaultARM       = "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/resourceGroups/payroll-rg/providers/Microsoft.KeyVault/vaults/payroll-kv"
	policyWriteCID = "a1b20150-c3d4-4e5f-8a6b-7c8d9e0f1a2c"
)

// activityLayouts write a successful write of the Payroll vault's access
// policies by the administrator as the Activity Log's REST export, its
// diagnostic record and an AzureActivity row as JSON and CSV.
var activityLayouts = []layout{
	{"activitylog", "activity.json", func(map[string]any) string {
		value := func(v string) map[string]any { return map[string]any{"value": v, "localizedValue": v} }
		return jsonText(map[string]any{
			"authorization": map[string]any{"action": policyWrite, "scope": vaultARM}, "caller": adminUser,
			"claims":        map[string]any{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": adminUser, "ipaddr": "203.0.113.10"},
			"correlationId": policyWriteCID, "eventTimestamp": wednesday.Format(time.RFC3339Nano),
			"category": value("Administrative"), "operationName": value(policyWrite), "eventName": value("EndRequest"),
			"resourceId": vaultARM, "resourceProviderName": value("Microsoft.KeyVault"),
			"status": value("Succeeded"), "subStatus": value("OK"), "level": "Informational",
		}) + "\n"
	}},
	{"diagnostic", "activity.json", func(map[string]any) string {
		return jsonText(map[string]any{"records": []any{map[string]any{
			"time": wednesday.Format(time.RFC3339Nano), "resourceId": strings.ToUpper(vaultARM), "operationName": strings.ToUpper(policyWrite),
			"category": "Administrative", "resultType": "Success", "resultSignature": "Succeeded.OK", "correlationId": policyWriteCID,
			"callerIpAddress": "203.0.113.10", "level": "Information", "tenantId": tenantID,
			"identity": map[string]any{"authorization": map[string]any{"action": policyWrite, "scope": vaultARM},
				"claims": map[string]any{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": adminUser}},
			"properties": map[string]any{"statusCode": "OK"},
		}}}) + "\n"
	}},
	{"loganalytics-json", "activity.json", func(map[string]any) string { return columnsJSON(activityColumns()) }},
	{"loganalytics-csv", "activity.csv", func(map[string]any) string { return csvText(activityColumns()) }},
}

// activityColumns are the columns of the AzureActivity row of the
// access policy write.
func activityColumns() []column {
	return []column{
		{"TenantId", tenantID}, {"SourceSystem", "Azure"}, {"TimeGenerated", wednesday}, {"CategoryValue", "Administrative"},
		{"CorrelationId", policyWriteCID}, {"Caller", adminUser}, {"CallerIpAddress", "203.0.113.10"},
		{"Authorization", jsonText(map[string]any{"action": policyWrite, "scope": vaultARM})},
		{"OperationNameValue", policyWrite}, {"OperationName", "Update Key Vault access policies"},
		{"ActivityStatusValue", "Success"}, {"ActivitySubstatusValue", "OK"}, {"ResourceProviderValue", "Microsoft.KeyVault"},
		{"_ResourceId", vaultARM}, {"Level", "Informational"}, {"Type", "AzureActivity"},
	}
}

// rowKeyVaultAccessActivity checks the Activity Log rule of the Key Vault
// row in every Activity Log layout.
func rowKeyVaultAccessActivity(t *testing.T) {
	cfg := defaultConfig(t)
	for _, l := range activityLayouts {
		t.Run(l.name, func(t *testing.T) {
			got := scanOne(t, cfg(), l, nil, "keyvault-access-policy-changed-activity")
			ev := asJSON(t, got.Evidence)
			if v, _ := at(ev, "azure.operation").(string); !strings.EqualFold(v, policyWrite) {
				t.Errorf("evidence azure.operation = %q, want %s\n%s", v, policyWrite, jsonText(got.Evidence))
			}
			if v, _ := at(ev, "azure.resource_id").(string); !strings.EqualFold(v, vaultARM) {
				t.Errorf("evidence azure.resource_id = %q, want %s\n%s", v, vaultARM, jsonText(got.Evidence))
			}
		})
	}
}

// roleLayouts are the layouts the tables of every role write in, fewer
// than the activity tables use to keep them fast.
var roleLayouts = []layout{layouts[0], layouts[3]}

// rowEveryDirectoryRole checks, for every Entra built-in role of the
// reference data, that a service principal made a member of it by the
// directory or by PIM raises the privileged or the plain role rule as the
// data marks the role, with the role's id, name and label in the evidence.
func rowEveryDirectoryRole(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig(t)
	var acts []refdata.AuditActivity
	for _, name := range []string{"Add member to role", "Add member to role in PIM completed (permanent)"} {
		a, ok := ref.AuditActivity(name)
		if !ok {
			t.Fatalf("the activity reference lost %q", name)
		}
		acts = append(acts, a)
	}
	for _, r := range ref.DirectoryRoles() {
		rule := "sp-role-assigned"
		if r.Privileged {
			rule = "sp-privileged-role-assigned"
		}
		for _, a := range acts {
			rec := roleRecordWith(a, r.ID, r.Name)
			for _, l := range roleLayouts {
				t.Run(r.Name+"/"+a.Services[0]+"/"+l.name, func(t *testing.T) {
					got := scanOne(t, cfg(), l, rec, rule)
					ev := asJSON(t, got.Evidence)
					for path, want := range map[string]any{"role.id": r.ID, "role.name": r.Name, "role.privileged": r.Privileged, "role.member_id": payrollSP} {
						if v := at(ev, path); fmt.Sprint(v) != fmt.Sprint(want) {
							t.Errorf("evidence %s = %v, want %v\n%s", path, v, want, jsonText(got.Evidence))
						}
					}
				})
			}
		}
	}
}

const assignmentCID = "b7a60001-9584-4736-8251-403f2e1d0c9c"

// azureAssignment is the Activity Log event of a role assignment of the
// Azure role roleID to the Payroll service principal, completed, with the
// assignment in the response body.
func azureAssignment(roleID string) map[string]any {
	body := jsonText(map[string]any{
		"id":   "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/providers/Microsoft.Authorization/roleAssignments/4d3c2b1a-0000-4000-8000-000000000001",
		"type": "Microsoft.Authorization/roleAssignments",
		"properties": map[string]any{
			"roleDefinitionId": "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/providers/Microsoft.Authorization/roleDefinitions/" + roleID,
			"principalId":      payrollSP, "principalType": "ServicePrincipal",
			"scope": "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
		},
	})
	return map[string]any{"roleID": roleID, "body": body}
}

// azureLayouts write an azureAssignment as the Activity Log's REST export
// and as an AzureActivity row of Log Analytics.
var azureLayouts = []layout{
	{"activitylog", "activity.json", func(rec map[string]any) string {
		value := func(v string) map[string]any { return map[string]any{"value": v, "localizedValue": v} }
		return jsonText(map[string]any{
			"caller": adminUser, "correlationId": assignmentCID, "eventTimestamp": wednesday.Format(time.RFC3339Nano),
			"claims":        map[string]any{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": adminUser},
			"authorization": map[string]any{"action": "Microsoft.Authorization/roleAssignments/write", "scope": "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"},
			"category":      value("Administrative"), "operationName": value("Microsoft.Authorization/roleAssignments/write"),
			"resourceProviderName": value("Microsoft.Authorization"), "status": value("Succeeded"), "subStatus": value("Created"),
			"resourceId": "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/providers/Microsoft.Authorization/roleAssignments/4d3c2b1a-0000-4000-8000-000000000001",
			"properties": map[string]any{"statusCode": "Created", "responseBody": rec["body"]},
		}) + "\n"
	}},
	{"loganalytics-json", "activity.json", func(rec map[string]any) string {
		return columnsJSON([]column{
			{"TenantId", tenantID}, {"TimeGenerated", wednesday}, {"CategoryValue", "Administrative"},
			{"CorrelationId", assignmentCID}, {"Caller", adminUser},
			{"OperationNameValue", "Microsoft.Authorization/roleAssignments/write"}, {"OperationName", "Create role assignment"},
			{"ActivityStatusValue", "Success"}, {"ActivitySubstatusValue", "Created"}, {"ResourceProviderValue", "Microsoft.Authorization"},
			{"_ResourceId", "/subscriptions/6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/providers/microsoft.authorization/roleassignments/4d3c2b1a-0000-4000-8000-000000000001"},
			{"Properties", jsonText(map[string]any{"statusCode": "Created", "responseBody": rec["body"]})},
			{"Type", "AzureActivity"},
		})
	}},
}

// rowEveryAzureRole checks, for every Azure built-in role of the reference
// data, that assigning it to a service principal raises the privileged or
// the plain Azure role rule as the data marks the role.
func rowEveryAzureRole(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig(t)
	for _, r := range ref.AzureRoles() {
		rule := "sp-azure-role-assigned"
		if r.Privileged {
			rule = "sp-privileged-azure-role-assigned"
		}
		for _, l := range azureLayouts {
			t.Run(r.Name+"/"+l.name, func(t *testing.T) {
				got := scanOne(t, cfg(), l, azureAssignment(r.ID), rule)
				ev := asJSON(t, got.Evidence)
				for path, want := range map[string]any{"role.name": r.Name, "role.privileged": r.Privileged, "azure.principal_id": payrollSP} {
					if v := at(ev, path); fmt.Sprint(v) != fmt.Sprint(want) {
						t.Errorf("evidence %s = %v, want %v\n%s", path, v, want, jsonText(got.Evidence))
					}
				}
			})
		}
	}
}

// batchLayouts write many directoryAudit objects as one file: Graph
// objects one per line, and a Log Analytics CSV export with one header.
var batchLayouts = []struct {
	name, file string
	write      func(recs []map[string]any) string
}{
	{"graph", "audit.json", func(recs []map[string]any) string {
		var b strings.Builder
		for _, rec := range recs {
			b.WriteString(jsonText(rec) + "\n")
		}
		return b.String()
	}},
	{"loganalytics-csv", "audit.csv", func(recs []map[string]any) string {
		var b strings.Builder
		w := csv.NewWriter(&b)
		for i, rec := range recs {
			var head, row []string
			for _, c := range auditColumns(rec) {
				v := fmt.Sprint(c.value)
				if t, ok := c.value.(time.Time); ok {
					c.name, v = c.name+" [UTC]", t.Format("1/2/2006, 3:04:05.000 PM")
				}
				head, row = append(head, c.name), append(row, v)
			}
			if i == 0 {
				w.Write(head)
			}
			w.Write(row)
		}
		w.Flush()
		return b.String()
	}},
}

// scanBatch scans recs written as one file of layout l with Run and
// returns the alerts by the id of the record that raised them.
func scanBatch(t *testing.T, cfg Config, name, file string, text string, n int) map[string][]alert.Alert {
	t.Helper()
	inputs, err := source.FromFS(fstest.MapFS{file: {Data: []byte(text)}}, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), inputs, cfg, ingest.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tot := res.Read.Totals(); tot.Events != n || tot.Errors != 0 || tot.Layouts[name] != n {
		t.Fatalf("read %d events, %d errors, layouts %v; want %d events of %s", tot.Events, tot.Errors, tot.Layouts, n, name)
	}
	out := map[string][]alert.Alert{}
	for _, a := range res.Alerts {
		out[a.EventID] = append(out[a.EventID], a)
	}
	return out
}

// wantPermissionRules are the rules a grant of p on api must raise and
// must not raise: an app role on a sensitive API raises the sensitive
// API and admin consent rules, and the privileged permission rule when
// the data classifies it critical or high; on another API, the other API
// rule. A delegated grant to everyone on a sensitive API raises the
// sensitive API rule, and the tenant-wide and admin consent rules when it
// is privileged; on another API, none.
func wantPermissionRules(p refdata.Permission, api refdata.API) (want, not []string) {
	privileged := p.Level >= refdata.LevelHigh
	add := func(ok bool, rule string) {
		if ok {
			want = append(want, rule)
		} else {
			not = append(not, rule)
		}
	}
	if p.Type == refdata.Application {
		add(api.Sensitive, "sensitive-api-permission")
		add(api.Sensitive, "admin-consent-privileged")
		add(api.Sensitive && privileged, "privileged-app-permission")
		add(!api.Sensitive, "other-api-app-role")
		return want, not
	}
	add(api.Sensitive, "sensitive-api-permission")
	add(api.Sensitive && privileged, "tenant-wide-delegated-grant")
	add(api.Sensitive && privileged, "admin-consent-privileged")
	return want, not
}

// rowEveryPermission checks every permission of the reference data, as an
// app role assignment or a delegated grant to everyone, written in the
// batch layouts, for the rules wantPermissionRules gives and the
// permission and its level in their evidence.
func rowEveryPermission(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig(t)
	type group struct {
		api   refdata.API
		typ   refdata.PermissionType
		perms []refdata.Permission
	}
	var groups []*group
	for _, p := range ref.Permissions() {
		api, ok := ref.API(p.Resource)
		if !ok {
			t.Fatalf("%s %s: API %s unknown", p.Type, p.Value, p.Resource)
		}
		if n := len(groups); n == 0 || groups[n-1].api.AppID != api.AppID || groups[n-1].typ != p.Type {
			groups = append(groups, &group{api: api, typ: p.Type})
		}
		g := groups[len(groups)-1]
		g.perms = append(g.perms, p)
	}
	for _, g := range groups {
		recs := make([]map[string]any, len(g.perms))
		for i, p := range g.perms {
			if g.typ == refdata.Application {
				recs[i] = grantRecord("Add app role assignment to service principal", g.api.AppID, g.api.Name,
					prop("AppRole.Id", "", q(p.ID)), prop("AppRole.Value", "", q(p.Value)))
			} else {
				recs[i] = grantRecord("Add delegated permission grant", g.api.AppID, g.api.Name,
					prop("DelegatedPermissionGrant.Scope", "", q(p.Value)),
					prop("DelegatedPermissionGrant.ConsentType", "", q("AllPrincipals")))
			}
			recs[i]["id"] = fmt.Sprintf("Directory_perm-%04d", i)
			recs[i]["correlationId"] = fmt.Sprintf("c0ffee00-0000-4000-8000-%012d", i)
			// An hour apart, so that two permissions of one name (Azure AD
			// Graph has two Domain.ReadWrite.All app roles) are two changes
			// rather than two records of one.
			recs[i]["activityDateTime"] = wednesday.Add(time.Duration(i) * time.Hour).Format(time.RFC3339Nano)
		}
		for _, l := range batchLayouts {
			t.Run(g.api.Name+"/"+string(g.typ)+"/"+l.name, func(t *testing.T) {
				byRecord := scanBatch(t, cfg(), l.name, l.file, l.write(recs), len(recs))
				for i, p := range g.perms {
					checkPermissionAlerts(t, p, g.api, byRecord[recs[i]["id"].(string)])
				}
			})
		}
	}
}

// checkPermissionAlerts checks the alerts of one grant of p.
func checkPermissionAlerts(t *testing.T, p refdata.Permission, api refdata.API, alerts []alert.Alert) {
	t.Helper()
	got := map[string]alert.Alert{}
	for _, a := range alerts {
		got[a.RuleID] = a
	}
	want, not := wantPermissionRules(p, api)
	for _, rule := range want {
		a, ok := got[rule]
		if !ok {
			t.Errorf("%s %s (%s): no %s alert; alerts: %v", p.Type, p.Value, p.Level, rule, ruleIDs(alerts))
			continue
		}
		ev := asJSON(t, a.Evidence)
		if v := at(ev, "grant.permissions[0].value"); v != p.Value {
			t.Errorf("%s %s: %s evidence names permission %v", p.Type, p.Value, rule, v)
		}
		if v := at(ev, "grant.permissions[0].level"); v != p.Level.String() {
			t.Errorf("%s %s: %s evidence level %v, want %s", p.Type, p.Value, rule, v, p.Level)
		}
	}
	for _, rule := range not {
		if _, ok := got[rule]; ok {
			t.Errorf("%s %s (%s) on %s: unexpected %s alert", p.Type, p.Value, p.Level, api.Name, rule)
		}
	}
}

// rowEveryGraphScopeConsent checks every Microsoft Graph scope of the
// reference data consented to by a user and by an administrator, in the
// batch layouts: a user's consent raises the plain or the risky user
// consent rule as the scope is privileged or not, an administrator's the
// privileged admin consent rule exactly when it is privileged.
func rowEveryGraphScopeConsent(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig(t)
	var scopes []refdata.Permission
	for _, p := range ref.Permissions() {
		if p.Resource == graphAppID && p.Type == refdata.Delegated {
			scopes = append(scopes, p)
		}
	}
	for _, admin := range []bool{false, true} {
		recs := make([]map[string]any, len(scopes))
		for i, p := range scopes {
			recs[i] = consentRecord(admin, p.Value)
			recs[i]["id"] = fmt.Sprintf("Directory_consent-%04d", i)
			recs[i]["correlationId"] = fmt.Sprintf("c0ffee00-0000-4000-9000-%012d", i)
			recs[i]["activityDateTime"] = wednesday.Add(time.Duration(i) * time.Hour).Format(time.RFC3339Nano)
		}
		for _, l := range batchLayouts {
			t.Run(fmt.Sprintf("admin=%v/%s", admin, l.name), func(t *testing.T) {
				byRecord := scanBatch(t, cfg(), l.name, l.file, l.write(recs), len(recs))
				for i, p := range scopes {
					privileged := p.Level >= refdata.LevelHigh
					got := map[string]bool{}
					for _, a := range byRecord[recs[i]["id"].(string)] {
						got[a.RuleID] = true
					}
					want := map[string]bool{
						"user-consent":             !admin && !privileged,
						"user-consent-risky":       !admin && privileged,
						"admin-consent-privileged": admin && privileged,
					}
					for rule, w := range want {
						if got[rule] != w {
							t.Errorf("%s (%s), admin %v: %s alert %v, want %v", p.Value, p.Level, admin, rule, got[rule], w)
						}
					}
				}
			})
		}
	}
}

// rowTables are the tables of the guide rows, by row key.
var rowTables = map[string]func(t *testing.T){
	"credential-added":            rowCredentialAdded,
	"privileged-app-permission":   rowPrivilegedAppPermission,
	"admin-consent-privileged":    rowAdminConsentPrivileged,
	"sensitive-api-permission":    rowSensitiveAPIPermission,
	"other-api-app-role":          rowOtherAPIAppRole,
	"tenant-wide-delegated-grant": rowTenantWideDelegatedGrant,
	"user-consent":                rowUserConsent,
	"risky-consent-blocked":       rowRiskyConsentBlocked,
	"owner-added":                 rowOwnerAdded,
	"dangling-uri":                rowDanglingURI,
	"redirect-uri-change":         rowRedirectURIChange,
	"appid-uri-change":            rowAppIDURIChange,
	"logout-url-change":           rowLogoutURLChange,
	"sp-role-assigned":            rowSPRoleAssigned,
	"ropc-signin":                 rowROPCSignIn,
	"device-code-signin":          rowDeviceCodeSignIn,
	"keyvault-access":             rowKeyVaultAccess,
}

// TestRows runs the table of every guide row: the audit rows, whose
// activities come from the reference data, and the sign-in and Key Vault
// rows, whose values come from their rules. It fails for a row the
// activity reference gives activities to and that has no table, so that a
// row added to the reference data is tested as soon as it is added.
func TestRows(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rowKeys(ref) {
		if rowTables[row] == nil {
			t.Errorf("the activity reference gives row %s activities, and it has no table here", row)
		}
	}
	for _, row := range slices.Sorted(maps.Keys(rowTables)) {
		t.Run(row, rowTables[row])
	}
}
