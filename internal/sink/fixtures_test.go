package sink

import (
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

// The fixtures below are made up for these tests: a tenant, its people and
// apps, and the alerts appwatch would raise about them.

const tenant = "6f0c2a52-7c1e-4c8e-9a4b-2d5f0e1a9b33"

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func texts(en, ja string) map[string]alert.Text {
	m := map[string]alert.Text{"en": {
		Title:       en,
		Description: "Explains why " + en + " matters and what to look at.",
		Remediation: "Confirm the change with its owner; undo it if nobody asked for it.",
	}}
	if ja != "" {
		m["ja"] = alert.Text{Title: ja}
	}
	return m
}

// sampleRules are the rules the sample alerts come from, plus one that
// raised nothing (SARIF must still describe it).
func sampleRules() []*alert.Rule {
	return []*alert.Rule{
		{ID: "aw-credential-added", GuideRow: "credential-added", Level: alert.LevelHigh, Attack: []string{"T1098.001"}, Texts: texts("Credential added to an application", "アプリケーションに資格情報が追加されました")},
		{ID: "aw-privileged-app-permission", GuideRow: "privileged-app-permission", Level: alert.LevelCritical, Attack: []string{"T1098.003", "T1098"}, Texts: texts("Highly privileged application permission granted", "")},
		{ID: "aw-tenant-wide-grant", GuideRow: "tenant-wide-delegated-grant", Level: alert.LevelHigh, Attack: []string{"T1098.003"}, Texts: texts("Privileged delegated permissions granted for all users", "")},
		{ID: "aw-sp-role", GuideRow: "sp-role-assigned", Level: alert.LevelHigh, Attack: []string{"T1098.003"}, Texts: texts("Service principal assigned to a directory role", "")},
		{ID: "aw-redirect-uri", GuideRow: "redirect-uri-change", Level: alert.LevelMedium, Attack: []string{"T1528"}, Texts: texts("Risky redirect URI added", "危険なリダイレクト URI が追加されました")},
		{ID: "aw-ropc-signin", GuideRow: "ropc-signin", Level: alert.LevelMedium, Attack: []string{"T1078.004"}, Texts: texts("Sign-in with resource owner password credentials", "")},
		{ID: "aw-keyvault-secret-read", GuideRow: "keyvault-access", Level: alert.LevelLow, Attack: []string{"T1555.006"}, Texts: texts("Key Vault secret read outside business hours", "")},
		{ID: "aw-consent-blocked", GuideRow: "risky-consent-blocked", Level: alert.LevelInformational, Texts: texts("User consent blocked as risky", "")},
		{ID: "aw-device-code-signin", GuideRow: "device-code-signin", Level: alert.LevelLow, Attack: []string{"T1528"}, Texts: texts("Sign-in with the device code flow", "")},
	}
}

func rule(id string) *alert.Rule {
	for _, r := range sampleRules() {
		if r.ID == id {
			return r
		}
	}
	panic("no sample rule " + id)
}

func audit(id, when string, line int) event.Event {
	return event.Event{
		Kind: event.KindAudit, ID: id, CorrelationID: "corr-" + id, TenantID: tenant,
		Time: ts(when), Result: event.ResultSuccess,
		Source: event.Source{Format: "graph-audit", File: "/data/logs/audit/2024-05.json", Line: line, Index: line - 1},
	}
}

func alice() event.Actor {
	return event.Actor{Type: event.ActorUser, ID: "0b1c2d3e-0000-4000-8000-00000000a11c", UPN: "alice@contoso.com", Name: "Alice Rossi", IP: "203.0.113.7"}
}

// sampleAlerts are the alerts of the golden tests, deliberately out of
// order.
func sampleAlerts() []alert.Alert {
	var out []alert.Alert
	add := func(ruleID string, e event.Event, edit func(a *alert.Alert)) {
		a := alert.FromEvent(rule(ruleID), &e, "en")
		if edit != nil {
			edit(&a)
		}
		out = append(out, a)
	}

	e := audit("a1", "2024-05-02T22:15:07Z", 12)
	e.Activity = "Update application – Certificates and secrets management"
	e.Actor = alice()
	e.Derived.App = event.AppFacts{ID: "11111111-2222-4333-8444-555555555555", ObjectID: "aaaa0000-0000-4000-8000-000000000001", Name: "Contoso HR Sync"}
	e.Targets = []event.Target{{ID: "aaaa0000-0000-4000-8000-000000000001", Type: "Application", Name: "Contoso HR Sync"}}
	e.Derived.Credential = event.CredentialFacts{Added: []modprop.Credential{{KeyID: "k-1", Type: "Password", Usage: "Verify", DisplayName: "ci, \"prod\"\nrotation"}}, Before: 1, Target: "Application"}
	e.Derived.Context.OutsideHours = true
	add("aw-credential-added", e, nil)

	e = audit("a2", "2024-05-01T09:00:00Z", 3)
	e.Activity = "Add service principal credentials"
	e.Actor = event.Actor{Type: event.ActorApp, ID: "sp-0007", Name: "Deployment Pipeline"}
	e.Derived.App = event.AppFacts{ID: "99999999-2222-4333-8444-555555555555", ObjectID: "bbbb0000-0000-4000-8000-000000000002", Name: "給与計算システム"}
	e.Targets = []event.Target{{ID: "bbbb0000-0000-4000-8000-000000000002", Type: "ServicePrincipal", Name: "給与計算システム"}}
	e.Derived.Credential = event.CredentialFacts{Added: []modprop.Credential{{KeyID: "k-2", Type: "AsymmetricX509Cert", Usage: "Verify"}}, Before: -1, Target: "ServicePrincipal"}
	e.Derived.Context = event.ContextFacts{Evaluated: true, ChangeWindow: "CHG-42", ApprovedActor: true}
	add("aw-credential-added", e, nil)

	e = audit("a3", "2024-05-03T03:30:00Z", 40)
	e.Activity = "Add app role assignment to service principal"
	e.Actor = alice()
	e.Derived.App = event.AppFacts{ID: "33333333-2222-4333-8444-555555555555", ObjectID: "cccc0000-0000-4000-8000-000000000003", Name: `=HYPERLINK("http://evil.example","open")`}
	e.Derived.Grant = event.GrantFacts{Type: "application", API: "Microsoft Graph", APIID: "00000003-0000-0000-c000-000000000000", APISensitive: true,
		Permissions: []event.Permission{{Value: "Directory.ReadWrite.All", Level: "critical"}, {Value: "Mail.ReadWrite", Level: "high"}}, Level: "critical", AdminConsent: "true"}
	add("aw-privileged-app-permission", e, nil)

	e = audit("a4", "2024-05-03T03:31:00Z", 41)
	e.Activity = "Add delegated permission grant"
	e.Actor = alice()
	e.Derived.App = event.AppFacts{ID: "33333333-2222-4333-8444-555555555555", ObjectID: "cccc0000-0000-4000-8000-000000000003", Name: "Mail Helper"}
	e.Derived.Grant = event.GrantFacts{Type: "delegated", API: "Microsoft Graph", APISensitive: true,
		Permissions: []event.Permission{{Value: "Mail.Read"}, {Value: "Files.ReadWrite.All"}}, ConsentType: "AllPrincipals", AdminConsent: "true"}
	add("aw-tenant-wide-grant", e, nil)

	e = audit("a5", "2024-05-04T10:00:00Z", 55)
	e.Activity = "Add member to role"
	e.Actor = alice()
	e.Targets = []event.Target{{ID: "dddd0000-0000-4000-8000-000000000004", Type: "ServicePrincipal", Name: "Backup Agent"}}
	e.Derived.Role = event.RoleFacts{Name: "Global Administrator", TemplateID: "62e90394-69f5-4237-9190-012177145e10", Privileged: "true", Source: "entra", MemberType: "ServicePrincipal"}
	add("aw-sp-role", e, nil)

	e = audit("a6", "2024-05-04T11:00:00Z", 60)
	e.Activity = "Update application"
	e.Actor = alice()
	e.Derived.App = event.AppFacts{ID: "44444444-2222-4333-8444-555555555555", ObjectID: "eeee0000-0000-4000-8000-000000000005", Name: "Portale Clienti"}
	e.Derived.URI = event.URIFacts{
		RedirectAdded: []event.URIFact{{URI: "http://*.contoso-app.net/callback", Issues: []string{"not_https", "wildcard"}}},
		LogoutChanged: true, LogoutOld: "https://portal.contoso.com/logout", LogoutNew: "",
		LogoutIssues: []string{"blank"},
	}
	add("aw-redirect-uri", e, nil)

	e = event.Event{Kind: event.KindSignIn, ID: "s1", TenantID: tenant, Time: ts("2024-05-02T08:00:00Z"), Result: event.ResultSuccess,
		Actor:  event.Actor{Type: event.ActorUser, ID: "u-tanaka", UPN: "tanaka@contoso.co.jp", Name: "田中 太郎", IP: "198.51.100.23"},
		SignIn: event.SignIn{Protocol: "ropc", Status: "0", AppID: "55555555-2222-4333-8444-555555555555", AppName: "経費精算アプリケーション（本番環境）", ResourceName: "Microsoft Graph"},
		Source: event.Source{Format: "graph-signin", File: "/data/logs/signin/day1.json", Line: 7, Index: 6},
	}
	add("aw-ropc-signin", e, nil)

	e = event.Event{Kind: event.KindKeyVault, ID: "kv-corr-1", TenantID: tenant, Time: ts("2024-05-05T23:59:59.123Z"), Result: event.ResultSuccess,
		Actor: event.Actor{Type: event.ActorApp, ID: "sp-batch", IP: "192.0.2.10"},
		KeyVault: event.KeyVault{Operation: "SecretGet", Vault: "kv-prod", ResourceID: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-prod",
			Object: "https://kv-prod.vault.azure.net/secrets/db-password", HTTPStatus: "200"},
		Source: event.Source{Format: "keyvault-diagnostic", File: "/elsewhere/kv.json", Line: 2, Index: 1},
	}
	e.Derived.Context.OutsideHours = true
	add("aw-keyvault-secret-read", e, nil)

	e = audit("a9", "2024-05-06T12:00:00Z", 90)
	e.Activity = "Consent to application"
	e.Result = event.ResultFailure
	e.ResultReason = "Microsoft.online.Security.userConsentBlockedForRiskyAppsException"
	e.Actor = event.Actor{Type: event.ActorUser, UPN: "\x1b[31mmallory\x1b[0m@contoso.com", Name: "Mallory\u202Egnp.exe"}
	e.Derived.App = event.AppFacts{ObjectID: "ffff0000-0000-4000-8000-000000000006", Name: "Microsoft Teams Helper", Suspicious: "looks like Microsoft Teams"}
	e.Source.File = "-"
	add("aw-consent-blocked", e, nil)

	// A correlation alert of a rule that is not in the rule list and not
	// one of the guide's rows, from a relative path, without a line.
	out = append(out, alert.Alert{
		GuideRow: "aw-bulk-owners", RuleID: "aw-owner-burst", Title: "Many owners added in a short time", Level: alert.LevelMedium,
		Time: "2024-05-06T13:00:00Z", EventID: "a10", TenantID: tenant,
		Actor:  alert.Actor{Type: event.ActorUser, UPN: "bob@contoso.com"},
		Target: alert.Target{Type: "Application", ID: "abab0000-0000-4000-8000-000000000007", Name: "Inventario"},
		Evidence: map[string]any{"group": map[string]string{"actor": "bob@contoso.com"}, "count": 5,
			"steps": []map[string]any{{"rule_id": "aw-owner-added", "time": "2024-05-06T12:58:00Z"}}},
		Attack: []string{"T1098"},
		Source: alert.Source{Format: "graph-audit", File: "logs/audit 2024.jsonl", Index: 3},
		Correlation: &alert.Correlation{Start: "2024-05-06T12:50:00Z", End: "2024-05-06T13:00:00Z",
			Events: []alert.EventRef{{RuleID: "aw-owner-added", EventID: "a10"}}},
	})
	return out
}
