package decode

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

// The fixtures in testdata/ are written by us for layouts that have no
// published sample (see testdata/README.md). They describe one invented
// tenant, Contoso, whose events appear in several layouts each.

// fixtureEvents decodes a fixture and returns its events by correlation id.
func fixtureEvents(t *testing.T, file string) map[string]*event.Event {
	t.Helper()
	evs, st, err := decodeFile(t, filepath.Join("testdata", file))
	if err != nil || st.ErrorCount != 0 || st.SkippedCount() != 0 {
		t.Fatalf("%s: %v, errors %v, skipped %v", file, err, st.Errors, st.Skipped)
	}
	byCorrelation := map[string]*event.Event{}
	for _, e := range evs {
		byCorrelation[e.CorrelationID] = e
	}
	return byCorrelation
}

// lackable zeroes a field that some layout does not carry.
var lackable = map[string]func(*event.Event){
	"ID":                       func(e *event.Event) { e.ID = "" },
	"TenantID":                 func(e *event.Event) { e.TenantID = "" },
	"Stream":                   func(e *event.Event) { e.Stream = "" },
	"OperationType":            func(e *event.Event) { e.OperationType = "" },
	"UserAgent":                func(e *event.Event) { e.UserAgent = "" },
	"SignIn.Protocol":          func(e *event.Event) { e.SignIn.Protocol = "" },
	"SignIn.TransferMethod":    func(e *event.Event) { e.SignIn.TransferMethod = "" },
	"SignIn.CredentialType":    func(e *event.Event) { e.SignIn.CredentialType = "" },
	"SignIn.IncomingTokenType": func(e *event.Event) { e.SignIn.IncomingTokenType = "" },
	"SignIn.Interactive":       func(e *event.Event) { e.SignIn.Interactive = "" },
	"SignIn.EventTypes":        func(e *event.Event) { e.SignIn.EventTypes = nil },
	"SignIn.ClientApp":         func(e *event.Event) { e.SignIn.ClientApp = "" },
	"SignIn.RiskLevel":         func(e *event.Event) { e.SignIn.RiskLevel = "" },
	"SignIn.AppName":           func(e *event.Event) { e.SignIn.AppName = "" },
}

// Fields that only some layouts carry.
var (
	// Graph directoryAudit and signIn objects carry no tenant id.
	graphLacks = []string{"TenantID"}
	// The portal's audit download has no record id (the correlation id
	// stands in) and no operation type.
	portalAuditLacks = []string{"ID", "OperationType"}
	// The SigninLogs table of the Azure Monitor reference has no transfer
	// method, client credential type, incoming token type or sign-in event
	// types; AADNonInteractiveUserSignInLogs has the event types.
	laUserSignInLacks     = []string{"SignIn.TransferMethod", "SignIn.CredentialType", "SignIn.IncomingTokenType", "SignIn.EventTypes"}
	laNonInteractiveLacks = []string{"SignIn.TransferMethod", "SignIn.CredentialType", "SignIn.IncomingTokenType"}
	// The portal's user sign-in downloads have no tenant, interactive
	// flag, event types or risk level.
	portalUserLacks = []string{"TenantID", "SignIn.Interactive", "SignIn.EventTypes", "SignIn.RiskLevel"}
	// AADServicePrincipalSignInLogs has no protocol, transfer method,
	// interactive flag, event types, incoming token type, client app, risk
	// level, application name or user agent.
	laSPLacks = []string{"SignIn.Protocol", "SignIn.TransferMethod", "SignIn.IncomingTokenType", "SignIn.Interactive",
		"SignIn.EventTypes", "SignIn.ClientApp", "SignIn.RiskLevel", "SignIn.AppName", "UserAgent"}
	// The portal's application and managed identity downloads have 22
	// columns: none of the sign-in details above, and no tenant.
	portalAppLacks = []string{"TenantID", "SignIn.Protocol", "SignIn.TransferMethod", "SignIn.CredentialType",
		"SignIn.IncomingTokenType", "SignIn.Interactive", "SignIn.EventTypes", "SignIn.ClientApp", "SignIn.RiskLevel", "UserAgent"}
)

// layout is one rendering of a logical event: its fixture file and the
// fields that layout does not carry.
type layout struct {
	file  string
	lacks []string
}

// equivalences lists logical events written in several layouts. The first
// layout is the reference the others are compared with.
var equivalences = []struct {
	name        string
	correlation string
	layouts     []layout
}{
	{"application secret added", "4c0e9d1a-6b2f-4e3a-9c8d-7f6e5d4c3b2a", []layout{
		{"eventhub-auditlogs.json", nil},
		{"graph-directoryaudits.json", graphLacks},
		{"la-auditlogs.ndjson", nil},
		{"la-auditlogs.csv", nil},
		{"portal-audit.csv", portalAuditLacks},
	}},
	{"ROPC sign-in", "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f", []layout{
		{"eventhub-signins.json", nil},
		{"graph-beta-signins.json", graphLacks},
		{"la-signinlogs.json", laUserSignInLacks},
		{"la-signinlogs.csv", laUserSignInLacks},
		{"portal-signins-interactive.csv", portalUserLacks},
	}},
	{"device code sign-in", "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", []layout{
		{"eventhub-signins.json", nil},
		{"graph-beta-signins.json", graphLacks},
		{"la-signinlogs.json", laUserSignInLacks},
		{"la-signinlogs.csv", laUserSignInLacks},
		{"portal-signins-interactive.csv", portalUserLacks},
	}},
	{"service principal sign-in with a client secret", "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", []layout{
		{"eventhub-signins.json", nil},
		{"graph-beta-signins.json", graphLacks},
		{"la-aadspsignins-api.json", laSPLacks},
		{"la-aadspsignins.csv", laSPLacks},
		{"portal-signins-application.csv", portalAppLacks},
	}},
	{"managed identity sign-in", "5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c", []layout{
		{"eventhub-signins.json", nil},
		{"graph-beta-signins.json", graphLacks},
		{"portal-signins-msi.csv", portalAppLacks},
	}},
	{"non-interactive sign-in", "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", []layout{
		{"storage-noninteractive-PT1H.json.gz", nil},
		{"la-aadnoninteractive.ndjson", laNonInteractiveLacks},
		// The portal writes interactive and non-interactive sign-ins with
		// the same header; only the file name tells them apart, so the
		// row reads as the default, SignInLogs.
		{"portal-signins-noninteractive.csv", append([]string{"Stream"}, portalUserLacks...)},
	}},
	{"SecretGet refused with 403", "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", []layout{
		{"eventhub-keyvault.json", nil},
		{"la-azurediagnostics-keyvault.json", nil},
		{"la-azurediagnostics-keyvault.csv", nil},
		{"la-azkvauditlogs.json", nil},
	}},
	{"VaultPatch adding an access policy", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", []layout{
		{"eventhub-keyvault.json", nil},
		{"la-azurediagnostics-keyvault.json", nil},
		{"la-azurediagnostics-keyvault.csv", nil},
	}},
}

// TestLayoutsEquivalent checks that a logical event normalizes to the same
// event whatever layout it was read from. The comparison ignores Source,
// the fields a layout is listed as lacking, and the case of Key Vault
// resource ids (Azure resource ids are case-insensitive and Log Analytics
// lower-cases _ResourceId).
func TestLayoutsEquivalent(t *testing.T) {
	for _, eq := range equivalences {
		t.Run(eq.name, func(t *testing.T) {
			if len(eq.layouts) < 3 {
				t.Fatalf("%d layouts, want at least 3", len(eq.layouts))
			}
			ref := eq.layouts[0]
			want := fixtureEvents(t, ref.file)[eq.correlation]
			if want == nil {
				t.Fatalf("%s holds no event with correlation id %s", ref.file, eq.correlation)
			}
			for _, l := range eq.layouts[1:] {
				got := fixtureEvents(t, l.file)[eq.correlation]
				if got == nil {
					t.Errorf("%s holds no event with correlation id %s", l.file, eq.correlation)
					continue
				}
				lacks := append(slices.Clone(ref.lacks), l.lacks...)
				if diffs := eventDiff(want, got, lacks); len(diffs) > 0 {
					t.Errorf("%s differs from %s:\n\t%s", l.file, ref.file, strings.Join(diffs, "\n\t"))
				}
			}
		})
	}
}

// eventDiff returns the fields in which a and b differ, ignoring Source and
// the fields named in lacks.
func eventDiff(a, b *event.Event, lacks []string) []string {
	ca, cb := comparable(a, lacks), comparable(b, lacks)
	var diffs []string
	jsonDiff(ca, cb, "", &diffs)
	sort.Strings(diffs)
	return diffs
}

// comparable returns e as a JSON tree without the ignored fields.
func comparable(e *event.Event, lacks []string) any {
	c := *e
	c.Source = event.Source{}
	c.KeyVault.ResourceID = strings.ToLower(c.KeyVault.ResourceID)
	for _, f := range lacks {
		zero, ok := lackable[f]
		if !ok {
			panic("unknown lackable field " + f)
		}
		zero(&c)
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		panic(err)
	}
	return tree
}

// jsonDiff appends the paths at which two JSON trees differ.
func jsonDiff(a, b any, path string, out *[]string) {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if !okA || !okB {
		if !reflect.DeepEqual(a, b) {
			*out = append(*out, fmt.Sprintf("%s: %v != %v", path, a, b))
		}
		return
	}
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	for k := range keys {
		jsonDiff(ma[k], mb[k], path+"."+k, out)
	}
}

// TestEventDiff checks the comparison itself: it must see a difference in
// any field but the ones it is told to ignore.
func TestEventDiff(t *testing.T) {
	base := event.Event{Kind: event.KindSignIn, ID: "a", TenantID: "t", Actor: event.Actor{Name: "n"}, Source: event.Source{File: "x", Line: 3}}
	base.SignIn.EventTypes = []string{"interactiveUser"}
	other := base
	other.Source = event.Source{File: "y", Line: 9}
	if d := eventDiff(&base, &other, nil); len(d) != 0 {
		t.Errorf("Source should be ignored: %v", d)
	}
	other.TenantID = "u"
	other.SignIn.EventTypes = nil
	if d := eventDiff(&base, &other, nil); len(d) != 2 {
		t.Errorf("diff = %v, want tenant and event types", d)
	}
	if d := eventDiff(&base, &other, []string{"TenantID", "SignIn.EventTypes"}); len(d) != 0 {
		t.Errorf("lacking fields should be ignored: %v", d)
	}
	other.Actor.IP = "192.0.2.1"
	if d := eventDiff(&base, &other, []string{"TenantID", "SignIn.EventTypes"}); len(d) != 1 || !strings.HasPrefix(d[0], ".actor.ip") {
		t.Errorf("diff = %v, want the actor's address", d)
	}
}

// TestLacksAreLacking keeps the lists of lacking fields honest: a layout
// listed as lacking a field must leave it empty, else the field should be
// compared.
func TestLacksAreLacking(t *testing.T) {
	for _, eq := range equivalences {
		for _, l := range eq.layouts {
			e := fixtureEvents(t, l.file)[eq.correlation]
			if e == nil {
				t.Fatalf("%s holds no event with correlation id %s", l.file, eq.correlation)
			}
			for _, f := range l.lacks {
				if d := eventDiff(e, e, nil); len(d) != 0 {
					t.Fatalf("an event differs from itself: %v", d)
				}
				if d := eventDiff(e, e, []string{f}); len(d) != 0 {
					t.Fatalf("zeroing a field on both sides changed the diff: %v", d)
				}
				if !lacks(e, f) {
					t.Errorf("%s: %s is listed as lacking %s but carries it", eq.name, l.file, f)
				}
			}
		}
	}
}

// lacks reports whether field f of e is empty, or holds what the decoder
// writes when a record does not say: the correlation id for the record id,
// SignInLogs for the sign-in category.
func lacks(e *event.Event, f string) bool {
	switch {
	case f == "ID" && e.ID == e.CorrelationID:
		return true
	case f == "Stream" && e.Kind == event.KindSignIn && e.Stream == "SignInLogs":
		return true
	}
	c := *e
	lackable[f](&c)
	return reflect.DeepEqual(comparable(&c, nil), comparable(e, nil))
}

// The invented Contoso tenant of the fixtures.
const (
	contoso   = "6f2b3c4d-8e9a-4b1c-9d2e-3f4a5b6c7d8e"
	workspace = "b1e2c3d4-0a9b-4c8d-8e7f-6a5b4c3d2e1f"
)

// TestFixtureValues checks the reference rendering of each fixture event
// against the facts it was written from, so that the equivalence test
// cannot pass on events that are equal but wrong.
func TestFixtureValues(t *testing.T) {
	megan := user("a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b", "megan.bowen@contoso.example", "Megan Bowen", "203.0.113.45")
	lee := user("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "lee.gu@contoso.example", "Lee Gu", "192.0.2.77")
	const oldKey = "[KeyIdentifier=0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d,KeyType=Password,KeyUsage=Verify,DisplayName=old secret]"
	const newKey = "[KeyIdentifier=5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9,KeyType=Password,KeyUsage=Verify,DisplayName=rotation 2025]"
	const payroll = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
	const sp = "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e"
	const mi = "c8d9e0f1-a2b3-4c4d-8e5f-6a7b8c9d0e1f"
	diego := event.Actor{Type: event.ActorUser, ID: "f0e1d2c3-b4a5-4968-8776-655443322110", AppID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
		UPN: "diego.siciliani@contoso.example", Name: "diego.siciliani@contoso.example", IP: "198.51.100.99"}
	meganClaims := event.Actor{Type: event.ActorUser, ID: megan.ID, AppID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
		UPN: megan.UPN, Name: megan.UPN, IP: megan.IP}
	const assignment = "/subscriptions/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-secrets/providers/Microsoft.Authorization/roleAssignments/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a"
	roleToSP := func(time, activity, key, result, status, op, provider, resource string) want {
		return want{kind: event.KindActivity, time: time, id: "6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f", tenant: contoso,
			stream: "Administrative", activity: activity, key: key, result: result, actor: meganClaims,
			azure: &event.Azure{Operation: op, Provider: provider, ResourceID: resource, Status: status, PrincipalID: sp,
				PrincipalType: "ServicePrincipal", RoleDefinitionID: "b24988ac-6180-42a0-ab88-20f7382dd24c",
				Scope: "/subscriptions/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-secrets"}}
	}
	// The REST export names the operation in the reader's language too.
	displayed := func(w want) want {
		w.azure.OperationDisplay = "Create role assignment"
		return w
	}
	const eh = "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE"
	const ra = "Microsoft.Authorization/roleAssignments/write"
	tests := []struct {
		file   string
		events []want
	}{
		{"eventhub-auditlogs.json", []want{
			audit("2025-03-04T09:15:27Z", "Directory_4c0e9d1a-6b2f-4e3a-9c8d-7f6e5d4c3b2a_K7Q2M_48213377", contoso,
				"Update application – Certificates and secrets management ", certSecret, "success", megan,
				tgt(payroll, "Application", "Payroll Sync", "")).with(
				prop{0, "KeyDescription", items(oldKey), items(oldKey, newKey)},
				prop{0, "Included Updated Properties", nil, items("KeyDescription")}),
			audit("2025-03-04T09:21:02.4410071Z", "Directory_8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e_P3L9X_90817263", contoso,
				"Add owner to application", "add owner to application", "success", megan,
				tgt("e4d3c2b1-a0f9-4e8d-b7c6-5a4b3c2d1e0f", "User", "", "adele.vance@contoso.example"), tgt(payroll, "Application", "", "")).with(
				prop{0, "Application.DisplayName", nil, items("Payroll Sync")}),
		}},
		{"eventhub-signins.json", []want{
			signIn("2025-03-04T10:02:11Z", "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e", contoso, "SignInLogs", "success",
				user("e4d3c2b1-a0f9-4e8d-b7c6-5a4b3c2d1e0f", "adele.vance@contoso.example", "Adele Vance", "198.51.100.23"),
				signInWant{protocol: "ropc", transfer: "none", status: "0", appID: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
					credType: "none", tokenType: "none", interactive: "true"}),
			signIn("2025-03-05T22:41:03Z", "8f9e0d1c-2b3a-4c5d-9e6f-0a1b2c3d4e5f", contoso, "SignInLogs", "success", lee,
				signInWant{protocol: "deviceCode", transfer: "deviceCodeFlow", status: "0", appID: "29d9ed98-a469-4536-ade2-f981bc1d605e",
					credType: "none", tokenType: "none", interactive: "true"}),
			signIn("2025-03-06T03:17:45Z", "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", contoso, "ServicePrincipalSignInLogs", "success",
				event.Actor{Type: event.ActorApp, ID: sp, AppID: "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f", ServicePrincipalID: sp,
					Name: "Invoice Exporter", IP: "203.0.113.200"},
				signInWant{protocol: "none", transfer: "none", status: "0", appID: "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f", spID: sp,
					spName: "Invoice Exporter", credType: "clientSecret", credKeyID: "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7",
					tokenType: "none", interactive: "false"}),
			signIn("2025-03-06T04:00:12Z", "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b", contoso, "ManagedIdentitySignInLogs", "success",
				event.Actor{Type: event.ActorApp, ID: mi, AppID: "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", ServicePrincipalID: mi,
					Name: "func-payroll-export"},
				signInWant{protocol: "none", transfer: "none", status: "0", appID: "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", spID: mi,
					spName: "func-payroll-export", credType: "managedIdentity", tokenType: "none", interactive: "false"}),
		}},
		{"storage-noninteractive-PT1H.json.gz", []want{
			signIn("2025-03-05T22:55:40Z", "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", contoso, "NonInteractiveUserSignInLogs", "success", lee,
				signInWant{protocol: "none", transfer: "none", status: "0", appID: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
					credType: "none", tokenType: "none", interactive: "false"}),
		}},
		{"eventhub-keyvault.json", []want{
			keyVault("2025-03-06T14:28:09Z", "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", "", "failure", diego,
				kvWant{"SecretGet", "kv-contoso-pay", "403", "Forbidden", "https://kv-contoso-pay.vault.azure.net/secrets/payroll-db-password"}),
			keyVault("2025-03-07T08:03:55Z", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", contoso, "success", meganClaims,
				kvWant{"VaultPatch", "kv-contoso-pay", "200", "OK", "https://kv-contoso-pay.vault.azure.net/"}),
		}},
		{"activitylog-export.json", []want{
			displayed(roleToSP("2025-03-07T08:10:31.5521874Z", ra, "microsoft.authorization/roleassignments/write", "", "Started", ra, "Microsoft.Authorization", assignment)),
			displayed(roleToSP("2025-03-07T08:10:33.091441Z", ra, "microsoft.authorization/roleassignments/write", "success", "Succeeded", ra, "Microsoft.Authorization", assignment)),
		}},
		{"activitylog-eventhub.json", []want{
			roleToSP("2025-03-07T08:10:31.5521874Z", eh, "microsoft.authorization/roleassignments/write", "", "Start", eh, "MICROSOFT.AUTHORIZATION", strings.ToUpper(assignment)),
			roleToSP("2025-03-07T08:10:33.091441Z", eh, "microsoft.authorization/roleassignments/write", "success", "Success", eh, "MICROSOFT.AUTHORIZATION", strings.ToUpper(assignment)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, st, err := decodeFile(t, filepath.Join("testdata", tt.file))
			if err != nil || st.ErrorCount != 0 || len(evs) != len(tt.events) {
				t.Fatalf("%v, errors %v, %d events, want %d", err, st.Errors, len(evs), len(tt.events))
			}
			for i, w := range tt.events {
				checkEvent(t, i, evs[i], w)
			}
		})
	}
	t.Run("access policy added", func(t *testing.T) {
		for _, file := range []string{"eventhub-keyvault.json", "la-azurediagnostics-keyvault.json", "la-azurediagnostics-keyvault.csv"} {
			e := fixtureEvents(t, file)["1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"]
			want := &event.AccessPolicy{ObjectID: sp, TenantID: contoso, Secrets: []string{"get", "list"}}
			if e == nil || !reflect.DeepEqual(e.KeyVault.Added, want) || e.KeyVault.Removed != nil {
				t.Errorf("%s: added %+v, removed %+v; want %+v added", file, e.KeyVault.Added, e.KeyVault.Removed, want)
			}
		}
	})
}

// TestFixtureListsAndWrappers checks what the wrappers of the fixtures
// hold: the @odata.nextLink of a Graph list is not a record, and the
// Log Analytics workspace id never passes for the directory tenant.
func TestFixtureListsAndWrappers(t *testing.T) {
	tests := []struct {
		file    string
		records int
		layout  string
	}{
		{"graph-directoryaudits.json", 2, LayoutGraph},
		{"graph-beta-signins.json", 4, LayoutGraph},
		{"la-aadspsignins-api.json", 1, LayoutLogAnalyticsAPI},
		{"la-signinlogs.json", 2, LayoutLogAnalytics},
		{"la-signinlogs.csv", 2, LayoutLogAnalyticsCSV},
		{"portal-audit.csv", 2, LayoutPortalCSV},
		{"storage-noninteractive-PT1H.json.gz", 1, LayoutDiagnostic},
	}
	for _, tt := range tests {
		evs, st, err := decodeFile(t, filepath.Join("testdata", tt.file))
		if err != nil || st.Records != tt.records || st.Events != tt.records || st.Layouts[tt.layout] != tt.records {
			t.Errorf("%s: %v, %d records, %d events, layouts %v; want %d %s records", tt.file, err, st.Records, st.Events, st.Layouts, tt.records, tt.layout)
		}
		for _, e := range evs {
			if e.TenantID == workspace {
				t.Errorf("%s: record %s takes the workspace id for its tenant", tt.file, e.ID)
			}
		}
	}
}

// TestSignInDetails reads the sign-in details public rules look at (the
// authentication requirement, the device, the named networks, the risk
// state and the status details) from one sign-in in each layout.
func TestSignInDetails(t *testing.T) {
	graph := `{"id":"s1","createdDateTime":"2025-03-04T10:02:11Z","userId":"u1","userPrincipalName":"a@contoso.example",` +
		`"appId":"a1","status":{"errorCode":500121,"failureReason":"Authentication failed during strong authentication request.","additionalDetails":"MFA denied; user declined the authentication"},` +
		`"authenticationRequirement":"multiFactorAuthentication","riskState":"atRisk","networkLocationDetails":[],` +
		`"deviceDetail":{"deviceId":"","displayName":"","operatingSystem":"Windows10","browser":"Edge","isCompliant":false,"isManaged":false,"trustType":""}}`
	eventHub := `{"records":[{"time":"2025-03-04T10:02:11Z","category":"SignInLogs","operationName":"Sign-in activity","resultType":"500121","properties":` + graph + `}]}`
	la := `[{"TimeGenerated":"2025-03-04T10:02:11Z","Id":"s1","UserId":"u1","UserPrincipalName":"a@contoso.example","AppId":"a1","ResultType":"500121",` +
		`"Status":"{\"errorCode\":500121,\"failureReason\":\"Authentication failed during strong authentication request.\",\"additionalDetails\":\"MFA denied; user declined the authentication\"}",` +
		`"AuthenticationRequirement":"multiFactorAuthentication","RiskState":"atRisk","NetworkLocationDetails":"[]",` +
		`"DeviceDetail":"{\"deviceId\":\"\",\"operatingSystem\":\"Windows10\",\"browser\":\"Edge\",\"isCompliant\":false,\"isManaged\":false,\"trustType\":\"\"}","Type":"SigninLogs"}]`
	csv := "TimeGenerated [UTC],Id,UserId,UserPrincipalName,AppId,ResultType,Status,AuthenticationRequirement,RiskState,NetworkLocationDetails,DeviceDetail,Type\n" +
		`2025-03-04T10:02:11Z,s1,u1,a@contoso.example,a1,500121,"{""errorCode"":500121,""failureReason"":""Authentication failed during strong authentication request."",""additionalDetails"":""MFA denied; user declined the authentication""}",` +
		`multiFactorAuthentication,atRisk,[],"{""deviceId"":"""",""operatingSystem"":""Windows10"",""browser"":""Edge"",""isCompliant"":false,""isManaged"":false,""trustType"":""""}",SigninLogs` + "\n"
	want := event.SignIn{Status: "500121", FailureReason: "Authentication failed during strong authentication request.",
		StatusDetail: "MFA denied; user declined the authentication", AuthRequirement: "multiFactorAuthentication",
		RiskState: "atRisk", NetworkLocations: "[]", Device: &event.Device{OS: "Windows10", Browser: "Edge", Compliant: "false", Managed: "false"}}
	for name, src := range map[string]string{"graph": graph, "eventhub": eventHub, "la-json": la, "la-csv": csv} {
		var got []*event.Event
		st, err := NewDecoder(Options{}).Decode(t.Context(), name, strings.NewReader(src), func(e *event.Event) error {
			got = append(got, e)
			return nil
		})
		if err != nil || st.ErrorCount > 0 || len(got) != 1 {
			t.Errorf("%s: %v %v, %d events", name, err, st.Errors, len(got))
			continue
		}
		s := got[0].SignIn
		if s.Status != want.Status || s.FailureReason != want.FailureReason || s.StatusDetail != want.StatusDetail ||
			s.AuthRequirement != want.AuthRequirement || s.RiskState != want.RiskState || s.NetworkLocations != want.NetworkLocations ||
			s.Device == nil || *s.Device != *want.Device {
			t.Errorf("%s: sign-in = %+v, device %+v\n\twant %+v, device %+v", name, s, s.Device, want, want.Device)
		}
	}
}
