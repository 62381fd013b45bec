package event

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/modprop"
)

func TestCatalogNamesAreUnique(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Fields() {
		if f.Doc == "" || f.Type == "" || f.Get == nil {
			t.Errorf("field %s lacks a doc, type or getter", f.Name)
		}
	}
}

func TestCatalogLookup(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e := &Event{
		Kind:        KindAudit,
		Activity:    "Update application – Certificates and secrets management ",
		ActivityKey: NormalizeActivity("Update application – Certificates and secrets management "),
		Actor:       Actor{Type: ActorUser, UPN: "a@contoso.com", Name: "Ann"},
		Targets: []Target{{ID: "t1", Type: "Application", Props: []Property{{
			Name: "KeyDescription",
			Old:  modprop.Value{Items: []string{"old"}},
			New:  modprop.Value{Items: []string{"new1", "new2"}},
		}}}},
		Details: []Detail{{Key: "User-Agent", Value: "curl"}},
		SignIn:  SignIn{Protocol: "deviceCode"},
	}
	tests := []struct {
		name string
		want []string
	}{
		{"activity", []string{"update application-certificates and secrets management"}},
		{"OperationName", []string{"update application-certificates and secrets management"}},
		{"properties.activityDisplayName", []string{"update application-certificates and secrets management"}},
		{"ACTIVITYDISPLAYNAME", []string{"update application-certificates and secrets management"}},
		{"activity_raw", []string{"Update application – Certificates and secrets management "}},
		{"properties.initiatedBy.user.userPrincipalName", []string{"a@contoso.com"}},
		{"InitiatedBy.user.userPrincipalName", []string{"a@contoso.com"}},
		{"actor.user_name", []string{"Ann"}},
		{"TargetResources.id", []string{"t1"}},
		{"property.KeyDescription.new", []string{"new1", "new2"}},
		{"property.keydescription.OLD", []string{"old"}},
		{"property.new", []string{"new1", "new2"}},
		{"property.old", []string{"old"}},
		{"detail.user-agent", []string{"curl"}},
		{"properties.targetResources", []string{"t1", "Application", "KeyDescription", "old", "new1", "new2"}},
		{"AuthenticationProtocol", []string{"devicecode"}},
		{"kind", []string{"audit"}},
	}
	for _, tt := range tests {
		f, ok := c.Lookup(tt.name)
		if !ok {
			t.Errorf("Lookup(%q) failed", tt.name)
			continue
		}
		if got := f.Get(e, nil); !slices.Equal(got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, ok := c.Lookup("no.such.field"); ok {
		t.Error("Lookup of an unknown field succeeded")
	}
}

// TestEveryListedNameResolves checks that every name docs/fields.md lists
// for a field (layout paths, portal columns with spaces and parentheses,
// aliases) is one a rule may use.
func TestEveryListedNameResolves(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Fields() {
		for _, n := range f.Names() {
			if _, ok := c.Lookup(n); !ok {
				t.Errorf("field %s lists %q, which does not resolve", f.Name, n)
			}
		}
	}
	for _, n := range []string{"Date (UTC)", "Request ID", "Authentication requirement", "Device ID", "properties.result",
		"operationName.value", "Type", "CategoryValue", "additionalDetails.additionalInfo", "ConsentContext.IsAdminConsent",
		"TargetResources.modifiedProperties", "DeviceDetail.isCompliant", "DeviceDetail.trusttype", "NetworkLocationDetails",
		"RiskState", "ClientApp", "ClientAppUsed", "Status", "riskEventType", "failure_status_reason"} {
		if _, ok := c.Lookup(n); !ok {
			t.Errorf("Lookup(%q) failed", n)
		}
	}
}

// TestNamesByKind checks names that mean different fields in different
// kinds of event.
func TestNamesByKind(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	audit := &Event{Kind: KindAudit, ID: "audit-1", ActivityKey: "update user", Result: ResultSuccess, ResultReason: "ok"}
	vault := &Event{Kind: KindKeyVault, ID: "corr-1", ActivityKey: "secretget",
		KeyVault: KeyVault{Operation: "SecretGet", Object: "https://kv.vault.azure.net/secrets/db"}}
	signIn := &Event{Kind: KindSignIn, Result: ResultFailure, ResultReason: "Authentication failed during strong authentication request.",
		SignIn: SignIn{RiskState: "atRisk", FailureReason: "Authentication failed during strong authentication request.",
			StatusDetail: "MFA denied; user declined the authentication", Protocol: "deviceCode"}}
	riskEv := &Event{Kind: KindRisk, ActivityKey: "user risk detection", Risk: Risk{State: "dismissed", EventType: "unfamiliarFeatures"}}
	activityEv := &Event{Kind: KindActivity, Activity: "Microsoft.KeyVault/vaults/write", ActivityKey: "microsoft.keyvault/vaults/write",
		Azure: Azure{Operation: "Microsoft.KeyVault/vaults/write", OperationDisplay: "Create or Update Vault"}}
	tests := []struct {
		name string
		e    *Event
		want []string
	}{
		{"properties.id", audit, []string{"audit-1"}},
		{"properties.id", vault, []string{"https://kv.vault.azure.net/secrets/db"}},
		{"OperationName", vault, []string{"secretget"}},
		{"OperationName", activityEv, []string{"microsoft.keyvault/vaults/write"}},
		{"operationName.value", activityEv, []string{"Microsoft.KeyVault/vaults/write"}},
		{"azure.operation_display", activityEv, []string{"Create or Update Vault"}},
		{"RiskState", signIn, []string{"atRisk"}},
		{"riskState", riskEv, []string{"dismissed"}},
		{"riskEventType", riskEv, []string{"unfamiliarFeatures"}},
		{"riskState", audit, nil},
		{"Status", audit, []string{"success", "ok"}},
		{"Status", signIn, []string{"failure", "Authentication failed during strong authentication request.", "MFA denied; user declined the authentication"}},
		{"properties.message", signIn, []string{"device code"}},
		{"properties.message", audit, []string{"update user"}},
	}
	for _, tt := range tests {
		f, ok := c.Lookup(tt.name)
		if !ok {
			t.Errorf("Lookup(%q) failed", tt.name)
			continue
		}
		if got := f.Get(tt.e, nil); !slices.Equal(got, tt.want) {
			t.Errorf("%s on %s = %q, want %q", tt.name, tt.e.Kind, got, tt.want)
		}
	}
}

// TestPropertyMessage checks that properties.message gives each modified
// property as Entra logs it, so that a rule comparing it with a fragment
// of targetResources matches.
func TestPropertyMessage(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e := &Event{Kind: KindAudit, ActivityKey: "update user", Targets: []Target{{Props: []Property{
		{Name: "UserType", Old: modprop.Value{Raw: `["Guest"]`}, New: modprop.Value{Raw: `["Member"]`}},
		{Name: "AccountEnabled"},
	}}}}
	f, _ := c.Lookup("properties.message")
	want := []string{"update user",
		NormalizeActivity(`"displayName":"UserType","oldValue":"[\"Guest\"]","newValue":"[\"Member\"]"`),
		NormalizeActivity(`"displayName":"AccountEnabled","oldValue":null,"newValue":null`)}
	if got := f.Get(e, nil); !slices.Equal(got, want) {
		t.Errorf("properties.message = %q, want %q", got, want)
	}
}

// TestPresentWithoutValue checks the fields that are in a record without
// a value: the null appId of an application initiator, the empty device
// of a sign-in from an unknown device.
func TestPresentWithoutValue(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		e    *Event
		want bool
	}{
		{"InitiatedBy.app.appId", &Event{Kind: KindAudit, Actor: Actor{Type: ActorApp, ServicePrincipalID: "sp"}}, true},
		{"InitiatedBy.app.appId", &Event{Kind: KindAudit, Actor: Actor{Type: ActorUser}}, false},
		{"DeviceDetail.deviceId", &Event{Kind: KindSignIn, SignIn: SignIn{Device: &Device{}}}, true},
		{"DeviceDetail.trustType", &Event{Kind: KindSignIn}, false},
	}
	for _, tt := range tests {
		f, _ := c.Lookup(tt.name)
		if got := f.Present != nil && f.Present(tt.e); got != tt.want {
			t.Errorf("%s present = %v, want %v", tt.name, got, tt.want)
		}
	}
}
