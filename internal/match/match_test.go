package match

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/sigma"
)

func newSchema(t testing.TB) *Schema {
	t.Helper()
	cat, err := event.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return NewSchema(cat)
}

func TestSchemaField(t *testing.T) {
	// Each group lists names of one field: the catalog name first, then
	// its spellings in Graph objects, diagnostic records (Event Hub),
	// Log Analytics tables and portal downloads, in any case.
	groups := [][]string{
		{"activity", "activityDisplayName", "operationName", "properties.activityDisplayName", "ActivityDisplayName", "OperationName", "Activity", "ACTIVITY"},
		{"actor.upn", "initiatedBy.user.userPrincipalName", "userPrincipalName", "properties.initiatedBy.user.userPrincipalName", "UserPrincipalName", "ActorUserPrincipalName"},
		{"signin.protocol", "authenticationProtocol", "properties.authenticationProtocol", "AuthenticationProtocol"},
		{"signin.status", "status.errorCode", "properties.status.errorCode", "resultType", "ResultType"},
		{"target.name", "targetResources.displayName", "properties.targetResources.displayName", "TargetResources.displayName", "Target1DisplayName"},
		{"credential.added_count"},
		{"property.KeyDescription.new", "property.keydescription.NEW", "PROPERTY.KeyDescription.new"},
		{"property.KeyDescription.old"},
		{"detail.User-Agent", "detail.user-agent", "Detail.USER-AGENT"},
	}
	s := newSchema(t)
	ids := map[int]string{}
	for _, names := range groups {
		first, ok := s.Field(names[0])
		if !ok {
			t.Errorf("Field(%q) not found", names[0])
			continue
		}
		if other, dup := ids[first.ID]; dup {
			t.Errorf("Field(%q) has ID %d, already given to %q", names[0], first.ID, other)
		}
		ids[first.ID] = names[0]
		if got := s.fields[first.ID].Name; !strings.EqualFold(got, names[0]) {
			t.Errorf("field %d is %q, want %q", first.ID, got, names[0])
		}
		for _, name := range names[1:] {
			f, ok := s.Field(name)
			if !ok {
				t.Errorf("Field(%q) not found", name)
				continue
			}
			if f.ID != first.ID || f.Name != first.Name {
				t.Errorf("Field(%q) = %d %q, want %d %q like %q", name, f.ID, f.Name, first.ID, first.Name, names[0])
			}
		}
		// Asking again gives the same answer.
		if again, _ := s.Field(names[0]); again.ID != first.ID {
			t.Errorf("Field(%q) changed ID from %d to %d", names[0], first.ID, again.ID)
		}
	}
	// activity brings activity_raw, which re and cased read.
	if got := len(s.Getters()); got != len(groups)+1 {
		t.Errorf("%d getters, want one per field resolved and activity_raw (%d)", got, len(groups)+1)
	}
}

// TestSchemaFieldRaw checks that re and cased on activity read the
// activity as logged, and that portal column names with spaces resolve.
func TestSchemaFieldRaw(t *testing.T) {
	s := newSchema(t)
	f, ok := s.Field("OperationName")
	if !ok || f.Raw == nil || s.fields[f.Raw.ID].Name != "activity_raw" || f.Raw.Fold != nil {
		t.Fatalf("OperationName = %+v, want a Raw field activity_raw without Fold", f)
	}
	for _, name := range []string{"Authentication Protocol", "Date (UTC)", "Request ID"} {
		if _, ok := s.Field(name); !ok {
			t.Errorf("portal column %q does not resolve", name)
		}
	}
}

func TestSchemaFieldFold(t *testing.T) {
	s := newSchema(t)
	f, ok := s.Field("signin.protocol")
	if !ok || f.Fold == nil {
		t.Fatalf("signin.protocol: %+v, %v; want a field with a Fold function", f, ok)
	}
	if got := f.Fold("Device Code"); got != f.Fold("deviceCode") {
		t.Errorf("Fold(Device Code) = %q, Fold(deviceCode) = %q, want equal", got, f.Fold("deviceCode"))
	}
}

func TestSchemaFieldUnknown(t *testing.T) {
	s := newSchema(t)
	for _, name := range []string{"", "no.such.field", "activityName", "property..new", "property.X", "detail.", "initiatedBy.user", "Authentication"} {
		if f, ok := s.Field(name); ok {
			t.Errorf("Field(%q) = %+v, want not found", name, f)
		}
	}
	if got := len(s.Getters()); got != 0 {
		t.Errorf("unknown names took %d IDs", got)
	}
}

func TestSchemaFieldConcurrent(t *testing.T) {
	s := newSchema(t)
	names := []string{"activity", "operationName", "detail.User-Agent", "detail.user-agent", "property.AppAddress.new", "actor.ip"}
	const goroutines = 8
	got := make([][]int, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range names {
				f, ok := s.Field(names[(i+g)%len(names)])
				if !ok {
					t.Errorf("Field(%q) not found", names[(i+g)%len(names)])
				}
				got[g] = append(got[g], f.ID)
			}
		}()
	}
	wg.Wait()
	byName := map[string]int{}
	for g, ids := range got {
		for i, id := range ids {
			key := strings.ToLower(names[(i+g)%len(names)])
			if prev, ok := byName[key]; ok && prev != id {
				t.Errorf("%s resolved to IDs %d and %d", key, prev, id)
			}
			byName[key] = id
		}
	}
	// activity brings activity_raw, which re and cased read.
	if n := len(s.Getters()); n != 5 {
		t.Errorf("%d fields resolved, want 5", n)
	}
}

func TestKinds(t *testing.T) {
	all := []event.Kind{event.KindAudit, kindPIM, event.KindSignIn, event.KindKeyVault, event.KindActivity, event.KindRisk}
	tests := []struct {
		ls   sigma.Logsource
		want []event.Kind
	}{
		{sigma.Logsource{Product: "azure", Service: "auditlogs"}, []event.Kind{event.KindAudit, kindPIM}},
		{sigma.Logsource{Product: "azure", Service: "audit"}, []event.Kind{event.KindAudit, kindPIM}},
		{sigma.Logsource{Product: "azure", Service: "pim"}, []event.Kind{kindPIM}},
		{sigma.Logsource{Product: "azure", Service: "riskdetection"}, []event.Kind{event.KindRisk}},
		{sigma.Logsource{Product: "azure", Service: "AADUserRiskEvents"}, []event.Kind{event.KindRisk}},
		{sigma.Logsource{Product: "azure", Service: "signinlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "signin"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "noninteractiveusersigninlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "serviceprincipalsigninlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "managedidentitysigninlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "aadnoninteractiveusersigninlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "aadserviceprincipalsigninlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azure", Service: "keyvault"}, []event.Kind{event.KindKeyVault}},
		{sigma.Logsource{Product: "azure", Service: "azurekeyvault"}, []event.Kind{event.KindKeyVault}},
		{sigma.Logsource{Product: "azure", Service: "activitylogs"}, []event.Kind{event.KindActivity}},
		{sigma.Logsource{Product: "azure", Service: "activitylog"}, []event.Kind{event.KindActivity}},
		{sigma.Logsource{Product: "Azure", Service: "SignInLogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "entra", Service: "auditlogs"}, []event.Kind{event.KindAudit, kindPIM}},
		{sigma.Logsource{Product: "entraid", Service: "signinlogs"}, []event.Kind{event.KindSignIn}},
		{sigma.Logsource{Product: "azuread", Service: "keyvault"}, []event.Kind{event.KindKeyVault}},
		{sigma.Logsource{Service: "auditlogs"}, []event.Kind{event.KindAudit, kindPIM}},
		{sigma.Logsource{Product: "azure"}, all},
		{sigma.Logsource{Product: "entra"}, all},
		{sigma.Logsource{Product: "entraid"}, all},
		{sigma.Logsource{Product: "AzureAD"}, all},
	}
	s := newSchema(t)
	for _, tt := range tests {
		got, err := s.Kinds(tt.ls)
		if err != nil {
			t.Errorf("Kinds(%v): %v", tt.ls, err)
			continue
		}
		var want sigma.KindSet
		for _, k := range tt.want {
			want = want.With(int(k))
		}
		if got != want {
			t.Errorf("Kinds(%v) = %b, want %b", tt.ls, got, want)
		}
		if got.Has(int(event.KindUnknown)) {
			t.Errorf("Kinds(%v) includes unknown events", tt.ls)
		}
	}
}

func TestKindsErrors(t *testing.T) {
	tests := []struct {
		ls   sigma.Logsource
		want string // in the message
	}{
		{sigma.Logsource{Product: "windows", Service: "security"}, `product "windows"`},
		{sigma.Logsource{Product: "m365", Service: "auditlogs"}, `product m365 (the Microsoft 365 unified audit log`},
		{sigma.Logsource{Product: "aws"}, `product "aws"`},
		{sigma.Logsource{Product: "azure", Service: "exchange"}, `service "exchange"`},
		{sigma.Logsource{Service: "sysmon"}, `service "sysmon"`},
		{sigma.Logsource{Product: "azure", Category: "process_creation"}, `category "process_creation"`},
		{sigma.Logsource{Product: "azure", Service: "auditlogs", Category: "x"}, `category "x"`},
		{sigma.Logsource{}, "neither a product nor a service"},
		{sigma.Logsource{Definition: "audit logs"}, "neither a product nor a service"},
	}
	s := newSchema(t)
	for _, tt := range tests {
		_, err := s.Kinds(tt.ls)
		if err == nil {
			t.Errorf("Kinds(%v) succeeded, want an error", tt.ls)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Kinds(%v) = %q, want it to mention %s", tt.ls, err, tt.want)
		}
	}
}

// testEvent is an audit record with something in every place Keywords
// reads.
func testEvent() *event.Event {
	return &event.Event{
		Kind:          event.KindAudit,
		Time:          time.Date(2026, 3, 11, 10, 15, 0, 0, time.UTC),
		ID:            "rec-1",
		CorrelationID: "corr-1",
		Activity:      "Update application",
		ActivityKey:   event.NormalizeActivity("Update application"),
		Category:      "ApplicationManagement",
		Result:        event.ResultSuccess,
		ResultReason:  "ok",
		UserAgent:     "Mozilla/5.0",
		Actor:         event.Actor{Type: event.ActorUser, ID: "u-1", AppID: "app-0", Name: "Ana", UPN: "ana@contoso.com", IP: "203.0.113.10"},
		Targets: []event.Target{{
			ID: "obj-1", Type: "Application", Name: "Payroll Sync", UPN: "",
			Props: []event.Property{{
				Name: "AppAddress",
				Old:  modprop.Value{Items: []string{"https://old.contoso.com/cb"}},
				New:  modprop.Value{Items: []string{"https://old.contoso.com/cb", "https://new.example/cb"}},
			}},
		}},
		Details: []event.Detail{{Key: "User-Agent", Value: "Edg/120.0"}},
	}
}

func TestEventAdapter(t *testing.T) {
	s := newSchema(t)
	tests := []struct {
		field string
		e     *event.Event
		want  []string
	}{
		{"activityDisplayName", testEvent(), []string{event.NormalizeActivity("Update application")}},
		{"actor.upn", testEvent(), []string{"ana@contoso.com"}},
		{"target.name", testEvent(), []string{"Payroll Sync"}},
		{"property.AppAddress.new", testEvent(), []string{"https://old.contoso.com/cb", "https://new.example/cb"}},
		{"property.appaddress.old", testEvent(), []string{"https://old.contoso.com/cb"}},
		{"detail.user-agent", testEvent(), []string{"Edg/120.0"}},
		{"detail.Missing", testEvent(), nil},
		{"signin.app_name", &event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{AppName: "Portal"}}, []string{"Portal"}},
	}
	ids := make([]int, len(tests))
	for i, tt := range tests {
		f, ok := s.Field(tt.field)
		if !ok {
			t.Fatalf("Field(%q) not found", tt.field)
		}
		ids[i] = f.ID
	}
	a := NewEvent(s)
	for i, tt := range tests {
		a.Reset(tt.e)
		got := a.Values(ids[i], []string{"kept"})
		if want := append([]string{"kept"}, tt.want...); !reflect.DeepEqual(got, want) {
			t.Errorf("Values(%s) = %q, want %q", tt.field, got, want)
		}
	}
	a.Reset(testEvent())
	for _, id := range []int{-1, len(tests) + 100} {
		if got := a.Values(id, nil); len(got) != 0 {
			t.Errorf("Values(%d) = %q, want nothing", id, got)
		}
	}
	if got := a.Kind(); got != int(event.KindAudit) {
		t.Errorf("Kind = %d, want %d", got, event.KindAudit)
	}
	if got := a.Time(); !got.Equal(testEvent().Time) {
		t.Errorf("Time = %v, want %v", got, testEvent().Time)
	}
}

func TestEventAdapterSeesOnlyEarlierFields(t *testing.T) {
	s := newSchema(t)
	before, _ := s.Field("activity")
	a := NewEvent(s)
	after, _ := s.Field("actor.upn")
	a.Reset(testEvent())
	if got := a.Values(before.ID, nil); len(got) != 1 {
		t.Errorf("Values(activity) = %q, want one value", got)
	}
	if got := a.Values(after.ID, nil); len(got) != 0 {
		t.Errorf("a field resolved after NewEvent gave %q, want nothing", got)
	}
}

func TestEventKeywords(t *testing.T) {
	tests := []struct {
		name string
		e    *event.Event
		want []string
	}{
		{
			name: "audit",
			e:    testEvent(),
			want: []string{"rec-1", "corr-1", "Update application", "ApplicationManagement", "ok", "Mozilla/5.0",
				"u-1", "app-0", "Ana", "ana@contoso.com", "203.0.113.10",
				"obj-1", "Application", "Payroll Sync", "AppAddress",
				"https://old.contoso.com/cb", "https://old.contoso.com/cb", "https://new.example/cb",
				"User-Agent", "Edg/120.0"},
		},
		{
			name: "sign-in",
			e: &event.Event{Kind: event.KindSignIn, ID: "s-1", SignIn: event.SignIn{
				Protocol: "deviceCode", AppID: "app-1", AppName: "Portal", ResourceName: "Microsoft Graph",
				ServicePrincipalName: "Portal SP", FailureReason: "expired", Country: "NL",
			}},
			want: []string{"s-1", "deviceCode", "app-1", "Portal", "Microsoft Graph", "Portal SP", "expired"},
		},
		{
			name: "key vault",
			e: &event.Event{Kind: event.KindKeyVault, KeyVault: event.KeyVault{
				Operation: "SecretGet", Object: "https://kv.vault.azure.net/secrets/db", RequestURI: "https://kv.vault.azure.net/secrets/db?api-version=7.4",
				ClientInfo: "curl/8.0", Vault: "kv",
			}},
			want: []string{"SecretGet", "https://kv.vault.azure.net/secrets/db", "https://kv.vault.azure.net/secrets/db?api-version=7.4", "curl/8.0"},
		},
		{
			name: "activity log",
			e:    &event.Event{Kind: event.KindActivity, Azure: event.Azure{Operation: "Microsoft.KeyVault/vaults/write", ResourceID: "/subscriptions/s/kv"}},
			want: []string{"Microsoft.KeyVault/vaults/write", "/subscriptions/s/kv"},
		},
		{name: "empty", e: &event.Event{}, want: nil},
	}
	a := NewEvent(newSchema(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.Reset(tt.e)
			got := a.Keywords(nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Keywords = %q, want %q", got, tt.want)
			}
			if slices.Contains(got, "") {
				t.Error("Keywords holds an empty string")
			}
		})
	}
}

const testRules = `title: Device code sign-in to a named app
name: device-code-portal
logsource:
  product: azure
  service: signinlogs
detection:
  sel:
    authenticationProtocol: device code
    AppDisplayName|contains: portal
  condition: sel
level: medium
---
title: Redirect URI outside contoso added
name: redirect-uri-added
logsource:
  product: azure
  service: auditlogs
detection:
  sel:
    activityDisplayName: Update application
    property.AppAddress.new|contains: '.example/'
  keyword:
    - 'Payroll'
  condition: sel and keyword
level: high
`

// decodeAll decodes Graph objects, one per line.
func decodeAll(t testing.TB, lines ...string) []*event.Event {
	t.Helper()
	var out []*event.Event
	st, err := decode.NewDecoder(decode.Options{}).Decode(context.Background(), "test.json",
		strings.NewReader(strings.Join(lines, "\n")), func(e *event.Event) error {
			out = append(out, e)
			return nil
		})
	if err != nil || st.ErrorCount > 0 || len(out) != len(lines) {
		t.Fatalf("decode: %v, %v, %d events from %d lines", err, st.Errors, len(out), len(lines))
	}
	return out
}

func signInLine(id, protocol, app string) string {
	return fmt.Sprintf(`{"id":%q,"createdDateTime":"2026-03-11T10:00:00Z","userPrincipalName":"ana@contoso.com",`+
		`"appId":"app-1","appDisplayName":%q,"ipAddress":"203.0.113.10","authenticationProtocol":%q,`+
		`"status":{"errorCode":0},"resourceDisplayName":"Microsoft Graph"}`, id, app, protocol)
}

func auditLine(id, newURI string) string {
	return fmt.Sprintf(`{"id":%q,"activityDisplayName":"Update application","activityDateTime":"2026-03-11T10:05:00Z",`+
		`"category":"ApplicationManagement","correlationId":"c-%s","result":"success","loggedByService":"Core Directory",`+
		`"initiatedBy":{"user":{"id":"u-1","userPrincipalName":"ana@contoso.com"}},`+
		`"targetResources":[{"id":"obj-1","type":"Application","displayName":"Payroll Sync","modifiedProperties":[`+
		`{"displayName":"AppAddress","oldValue":"[]","newValue":"[{\"AddressType\":0,\"Address\":\"%s\",\"ReplyAddressClientType\":1}]"}]}]}`,
		id, id, newURI)
}

func compileTestRules(t testing.TB, s *Schema) *sigma.Ruleset {
	t.Helper()
	rules, err := sigma.Parse("test.yml", []byte(testRules))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sigma.Compile(rules, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestMatchDecodedEvents(t *testing.T) {
	s := newSchema(t)
	rs := compileTestRules(t, s)
	evs := decodeAll(t,
		signInLine("s-match", "deviceCode", "Contoso Portal"),
		signInLine("s-protocol", "oAuth2", "Contoso Portal"),
		signInLine("s-app", "deviceCode", "Outlook"),
		auditLine("a-match", "https://app.evil.example/cb"),
		auditLine("a-owned", "https://app.contoso.com/cb"),
	)
	want := map[string][]int{"s-match": {0}, "s-protocol": nil, "s-app": nil, "a-match": {1}, "a-owned": nil}
	a := NewEvent(s)
	for _, e := range evs {
		a.Reset(e)
		got := rs.Match(a, nil)
		if !slices.Equal(got, want[e.ID]) {
			t.Errorf("%s matched rules %v, want %v", e.ID, got, want[e.ID])
		}
	}
}

func TestMatchSignInAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts mean nothing under -race")
	}
	s := newSchema(t)
	rs := compileTestRules(t, s)
	evs := decodeAll(t, signInLine("s-match", "deviceCode", "Contoso Portal"), auditLine("a-match", "https://x.example/cb"))
	a := NewEvent(s)
	hits := make([]int, 0, 4)
	for _, e := range evs {
		a.Reset(e)
		hits = rs.Match(a, hits[:0])
	}
	a.Reset(evs[0])
	allocs := testing.AllocsPerRun(100, func() {
		hits = rs.Match(a, hits[:0])
	})
	if allocs != 0 {
		t.Errorf("matching a sign-in allocates %.1f times, want 0", allocs)
	}
	if !slices.Equal(hits, []int{0}) {
		t.Errorf("hits = %v, want [0]", hits)
	}
}

// TestPIMAndPresence checks that the logsource service pim selects the
// audit records Privileged Identity Management logged, that auditlogs
// still covers them, and that exists and ” see fields present without a
// value: the null appId of an application initiator.
func TestPIMAndPresence(t *testing.T) {
	s := newSchema(t)
	src := `title: pim
logsource: {product: azure, service: pim}
detection: {sel: {activity: Add member to role completed (PIM activation)}, condition: sel}
---
title: audit
logsource: {product: azure, service: auditlogs}
detection: {sel: {activity: Add member to role completed (PIM activation)}, condition: sel}
---
title: app without app id
logsource: {product: azure, service: auditlogs}
detection: {sel: {InitiatedBy.app.appId|exists: true}, empty: {InitiatedBy.app.appId: ''}, condition: sel and empty}
`
	rules, err := sigma.Parse("t.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sigma.Compile(rules, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := NewEvent(s)
	activity := "Add member to role completed (PIM activation)"
	tests := []struct {
		e    *event.Event
		want []int
	}{
		{&event.Event{Kind: event.KindAudit, Service: "PIM", ActivityKey: event.NormalizeActivity(activity)}, []int{0, 1}},
		{&event.Event{Kind: event.KindAudit, Service: "Core Directory", ActivityKey: event.NormalizeActivity(activity)}, []int{1}},
		{&event.Event{Kind: event.KindAudit, Actor: event.Actor{Type: event.ActorApp, ServicePrincipalID: "sp"}}, []int{2}},
		{&event.Event{Kind: event.KindAudit, Actor: event.Actor{Type: event.ActorUser, ID: "u"}}, nil},
	}
	for i, tt := range tests {
		a.Reset(tt.e)
		if got := rs.Match(a, nil); !slices.Equal(got, tt.want) {
			t.Errorf("event %d matched %v, want %v", i, got, tt.want)
		}
	}
}
