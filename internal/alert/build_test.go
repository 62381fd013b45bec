package alert

import (
	"reflect"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

func testRule() *Rule {
	return &Rule{
		ID:       "credential-added-to-app",
		GuideRow: "credential-added",
		Level:    LevelHigh,
		Attack:   []string{"T1098.001"},
		Texts: map[string]Text{
			"en":    {Title: "Credential added", Description: "A secret was added.", Remediation: "Ask the owner.", FalsePositives: []string{"A planned rotation"}},
			"ja":    {Title: "資格情報が追加された", Description: "シークレットが追加されました。", Remediation: "所有者に確認してください。", FalsePositives: []string{"計画されたローテーション"}},
			"it":    {Title: "Credenziali aggiunte"},
			"zh-TW": {Description: "新增了祕密。", Remediation: "請確認。"},
		},
	}
}

func TestRuleText(t *testing.T) {
	r := testRule()
	en := r.Texts["en"]
	tests := []struct {
		lang string
		want Text
	}{
		{"en", en},
		{"ja", r.Texts["ja"]},
		{"it", Text{Title: "Credenziali aggiunte", Description: en.Description, Remediation: en.Remediation, FalsePositives: en.FalsePositives}},
		{"zh-TW", Text{Title: en.Title, Description: "新增了祕密。", Remediation: "請確認。", FalsePositives: en.FalsePositives}},
		{"fr", en},
		{"", en},
	}
	for _, tt := range tests {
		if got := r.Text(tt.lang); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Text(%q) = %+v, want %+v", tt.lang, got, tt.want)
		}
	}
}

func TestRuleTextDoesNotChangeTexts(t *testing.T) {
	r := testRule()
	r.Text("it")
	if got := r.Texts["it"]; got.Description != "" || got.Remediation != "" {
		t.Errorf("Text filled the stored translation: %+v", got)
	}
}

var when = time.Date(2026, 3, 11, 10, 15, 0, 123456000, time.UTC)

// auditCredentialEvent is an application update that added a client
// secret, as the enrichers leave it.
func auditCredentialEvent() *event.Event {
	return &event.Event{
		Kind:          event.KindAudit,
		Time:          when,
		ID:            "Directory_c0ffee03_1003",
		CorrelationID: "c0ffee03-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
		TenantID:      "11111111-2222-3333-4444-555555555555",
		Activity:      "Update application – Certificates and secrets management ",
		Result:        event.ResultSuccess,
		Actor: event.Actor{
			Type: event.ActorUser, ID: "5e1b7c3a", UPN: "ana.admin@contoso.com", IP: "203.0.113.10",
		},
		Targets: []event.Target{
			{ID: "0a1b2c3d", Type: "Application", Name: "Contoso Billing Sync"},
		},
		Derived: event.Derived{
			App: event.AppFacts{ID: "9f8e7d6c", ObjectID: "0a1b2c3d", Name: "Contoso Billing Sync"},
			Credential: event.CredentialFacts{
				Added:  []modprop.Credential{{KeyID: "33c3d4e5", Type: "Password", Usage: "Verify"}},
				Before: 2,
				Target: "Application",
			},
			Context: event.ContextFacts{Evaluated: true, OutsideHours: true, ChangeWindow: "patch", ApprovedActor: true},
		},
		Source: event.Source{Format: "graph", File: "audit.json", Line: 7, Index: 2},
	}
}

func TestFromEventAudit(t *testing.T) {
	e := auditCredentialEvent()
	r := testRule()
	a := FromEvent(r, e, "ja")
	want := Alert{
		GuideRow: "credential-added",
		RuleID:   "credential-added-to-app",
		Title:    "資格情報が追加された",
		Level:    LevelHigh,
		Time:     "2026-03-11T10:15:00.123456Z",
		EventID:  "Directory_c0ffee03_1003",
		TenantID: "11111111-2222-3333-4444-555555555555",
		Actor:    Actor{Type: "user", ID: "5e1b7c3a", UPN: "ana.admin@contoso.com", IP: "203.0.113.10"},
		Target:   Target{Type: "Application", ID: "0a1b2c3d", AppID: "9f8e7d6c", Name: "Contoso Billing Sync"},
		Evidence: map[string]any{
			"activity": "Update application – Certificates and secrets management ",
			"result":   "success",
			"credential": map[string]any{
				"added":           []map[string]string{{"key_id": "33c3d4e5", "type": "Password", "usage": "Verify"}},
				"existing_before": 2,
				"on":              "Application",
			},
		},
		Attack:               []string{"T1098.001"},
		OutsideBusinessHours: true,
		Source:               Source{Format: "graph", File: "audit.json", Line: 7, Index: 2},
		Description:          "シークレットが追加されました。",
		Remediation:          "所有者に確認してください。",
		ChangeWindow:         "patch",
		ApprovedActor:        true,
		CorrelationID:        "c0ffee03-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
	}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("FromEvent:\n got %#v\nwant %#v", a, want)
	}
	a.Attack[0] = "changed"
	if r.Attack[0] != "T1098.001" {
		t.Error("the alert's attack ids share the rule's slice")
	}
}

func TestFromEventIDAndActor(t *testing.T) {
	tests := []struct {
		name      string
		id, corr  string
		actor     event.Actor
		wantID    string
		wantActor Actor
	}{
		{"own id", "rec-1", "corr-1", event.Actor{Type: event.ActorApp, ID: "sp-1", Name: "Sync"}, "rec-1", Actor{Type: "app", ID: "sp-1", Name: "Sync"}},
		{"correlation id when no id", "", "corr-1", event.Actor{Type: event.ActorUser, UPN: "u@contoso.com"}, "corr-1", Actor{Type: "user", UPN: "u@contoso.com"}},
		{"system actor by default", "rec-2", "", event.Actor{}, "rec-2", Actor{Type: "system"}},
		{"unknown type keeps what is known", "", "", event.Actor{IP: "192.0.2.1"}, "", Actor{Type: "system", IP: "192.0.2.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &event.Event{Kind: event.KindAudit, ID: tt.id, CorrelationID: tt.corr, Actor: tt.actor}
			a := FromEvent(testRule(), e, "en")
			if a.EventID != tt.wantID {
				t.Errorf("EventID = %q, want %q", a.EventID, tt.wantID)
			}
			if a.Actor != tt.wantActor {
				t.Errorf("Actor = %+v, want %+v", a.Actor, tt.wantActor)
			}
			if a.CorrelationID != tt.corr {
				t.Errorf("CorrelationID = %q, want %q", a.CorrelationID, tt.corr)
			}
		})
	}
}

func TestFromEventTarget(t *testing.T) {
	tests := []struct {
		name string
		e    event.Event
		want Target
	}{
		{
			name: "service principal sign-in",
			e: event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{
				AppID: "app-1", AppName: "Billing", ServicePrincipalID: "sp-1", ServicePrincipalName: "Billing SP",
			}},
			want: Target{Type: "ServicePrincipal", ID: "sp-1", AppID: "app-1", Name: "Billing SP"},
		},
		{
			name: "service principal sign-in without its name",
			e: event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{
				AppID: "app-1", AppName: "Billing", ServicePrincipalID: "sp-1",
			}},
			want: Target{Type: "ServicePrincipal", ID: "sp-1", AppID: "app-1", Name: "Billing"},
		},
		{
			name: "user sign-in targets the app",
			e: event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{AppID: "app-2", AppName: "Portal"},
				Derived: event.Derived{App: event.AppFacts{ID: "other", ObjectID: "other-obj"}}},
			want: Target{Type: "Application", AppID: "app-2", Name: "Portal"},
		},
		{
			name: "key vault targets the vault",
			e: event.Event{Kind: event.KindKeyVault, KeyVault: event.KeyVault{
				Vault: "kv-prod", ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod",
			}},
			want: Target{Type: "KeyVault", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod", Name: "kv-prod"},
		},
		{
			name: "activity log targets the resource",
			e:    event.Event{Kind: event.KindActivity, Azure: event.Azure{ResourceID: "/subscriptions/s/rg/x"}},
			want: Target{Type: "AzureResource", ID: "/subscriptions/s/rg/x"},
		},
		{
			name: "audit app facts with the matching target's type",
			e: event.Event{Kind: event.KindAudit,
				Targets: []event.Target{{ID: "u-1", Type: "User"}, {ID: "obj-1", Type: "Application", Name: "App"}},
				Derived: event.Derived{App: event.AppFacts{ID: "app-1", ObjectID: "obj-1", Name: "App"}}},
			want: Target{Type: "Application", ID: "obj-1", AppID: "app-1", Name: "App"},
		},
		{
			name: "audit app facts typed by the credential change",
			e: event.Event{Kind: event.KindAudit,
				Derived: event.Derived{App: event.AppFacts{ObjectID: "obj-2", Name: "App"},
					Credential: event.CredentialFacts{Target: "Application"}}},
			want: Target{Type: "Application", ID: "obj-2", Name: "App"},
		},
		{
			name: "audit app facts default to a service principal",
			e: event.Event{Kind: event.KindAudit,
				Derived: event.Derived{App: event.AppFacts{ID: "app-3"}}},
			want: Target{Type: "ServicePrincipal", AppID: "app-3"},
		},
		{
			name: "audit without app facts: first target",
			e: event.Event{Kind: event.KindAudit, Targets: []event.Target{
				{ID: "u-1", Type: "User", UPN: "bob@contoso.com"}, {ID: "g-1", Type: "Group", Name: "Admins"},
			}},
			want: Target{Type: "User", ID: "u-1", Name: "bob@contoso.com"},
		},
		{
			name: "nothing known",
			e:    event.Event{Kind: event.KindAudit},
			want: Target{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := FromEvent(testRule(), &tt.e, "en")
			if a.Target != tt.want {
				t.Errorf("Target = %+v, want %+v", a.Target, tt.want)
			}
		})
	}
}

func TestSourceOf(t *testing.T) {
	e := &event.Event{Source: event.Source{Format: "diagnostic", File: "a.json", Line: 3, Index: 9}}
	want := Source{Format: "diagnostic", File: "a.json", Line: 3, Index: 9}
	if got := SourceOf(e); got != want {
		t.Errorf("SourceOf = %+v, want %+v", got, want)
	}
}
