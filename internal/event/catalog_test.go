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
