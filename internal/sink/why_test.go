package sink

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

func TestWhy(t *testing.T) {
	all := sampleAlerts()
	tests := []struct {
		name  string
		lang  string
		alert alert.Alert
		want  []string
	}{
		{"secret added outside hours", "en", all[0], []string{`credential added: Password "ci, "prod"` + "\n" + `rotation"`, "outside business hours"}},
		{"certificate in a change window", "en", all[1], []string{"credential added: AsymmetricX509Cert", "in change window CHG-42", "approved actor"}},
		{"application permissions", "en", all[2], []string{"application permissions Directory.ReadWrite.All, Mail.ReadWrite on Microsoft Graph"}},
		{"delegated for all users", "en", all[3], []string{"delegated permissions Mail.Read, Files.ReadWrite.All on Microsoft Graph", "for all users", "admin consent"}},
		{"privileged role", "en", all[4], []string{"privileged role Global Administrator"}},
		{"URIs", "en", all[5], []string{"redirect URI added: http://*.contoso-app.net/callback (not HTTPS, wildcard)", "logout URL https://portal.contoso.com/logout → (none) (blank)"}},
		{"sign-in protocol", "en", all[6], []string{"protocol ropc"}},
		{"Key Vault read", "en", all[7], []string{"Key Vault operation SecretGet https://kv-prod.vault.azure.net/secrets/db-password", "status 200", "outside business hours"}},
		{"blocked consent", "en", all[8], []string{"suspicious app name: looks like Microsoft Teams", "failed: Microsoft.online.Security.userConsentBlockedForRiskyAppsException"}},
		{"correlation", "en", all[9], []string{"5 related events"}},
		{"URIs in Japanese", "ja", all[5], []string{"リダイレクト URI を追加: http://*.contoso-app.net/callback (HTTPS 以外、ワイルドカード)", "ログアウト URL https://portal.contoso.com/logout → (なし) (空白)"}},
		{"grant in Traditional Chinese", "zh-TW", all[3], []string{"委派權限 Mail.Read、Files.ReadWrite.All，API：Microsoft Graph", "代表所有使用者", "管理員同意"}},
		{"user consent, removed URIs, unknown issue", "en", alert.Alert{Evidence: map[string]any{
			"grant": map[string]any{"type": "delegated", "admin_consent": "false", "api": "Contoso API"},
			"uri":   map[string]any{"identifier_added": []any{map[string]any{"uri": "api://x", "issues": []any{"brand_new_issue"}}}, "redirect_removed": []string{"https://a", "https://a"}},
		}}, []string{"permissions on Contoso API", "consented by a user", "redirect URI removed: https://a", "app ID URI added: api://x (brand_new_issue)"}},
		{"credential removed, azure", "en", alert.Alert{Evidence: map[string]any{
			"credential": map[string]any{"removed": []map[string]string{{"type": "Password", "key_id": "k"}, {"key_id": "k2"}}},
			"azure":      map[string]any{"operation": "Microsoft.KeyVault/vaults/write", "status": "Succeeded"},
			"keyvault":   map[string]any{"access_policy_added": map[string]any{"object_id": "x"}},
		}}, []string{"credential removed: Password, k2", "access policy changed", "Azure operation Microsoft.KeyVault/vaults/write", "status Succeeded"}},
		{"shared hosts and undecided ownership", "en", alert.Alert{Evidence: map[string]any{"uri": map[string]any{
			"redirect_added": []any{map[string]any{"uri": "https://a1b2.ngrok-free.app/cb", "issues": []any{"claimable_host"},
				"host": map[string]any{"category": "tunnel", "suffix": "ngrok-free.app", "owner": "ngrok"}, "ownership": "undecided"}},
			"logout_old": "", "logout_new": "https://bit.ly/x", "logout_issues": []any{"claimable_host"},
			"logout_host": map[string]any{"category": "url_shortener", "suffix": "bit.ly"}, "logout_ownership": "not_owned",
		}}}, []string{
			"redirect URI added: https://a1b2.ngrok-free.app/cb (host others could claim, tunnel service ngrok, owner not known: neither the policy nor a snapshot lists the tenant's domains)",
			"logout URL (none) → https://bit.ly/x (host others could claim, URL shortener bit.ly)",
		}},
		{"shared host in Italian", "it", alert.Alert{Evidence: map[string]any{"uri": map[string]any{
			"identifier_added": []any{map[string]any{"uri": "https://x.duckdns.org", "host": map[string]any{"category": "dynamic_dns", "suffix": "duckdns.org"}}},
		}}}, []string{"URI AppID aggiunto: https://x.duckdns.org (DNS dinamico duckdns.org)"}},
		{"role by id, not privileged", "it", alert.Alert{Evidence: map[string]any{"role": map[string]any{"id": "role-1", "privileged": "false"}}}, []string{"ruolo role-1"}},
		{"activity only", "en", alert.Alert{Evidence: map[string]any{"activity": "Add owner to application", "result": "success"}}, []string{"activity: Add owner to application"}},
		{"suspicious name in Italian", "it", all[8], []string{"nome app sospetto: somiglia a Microsoft Teams", "non riuscito: Microsoft.online.Security.userConsentBlockedForRiskyAppsException"}},
		{"generic name in Japanese", "ja", alert.Alert{Evidence: map[string]any{"suspicious_app_name": "generic name"}}, []string{"疑わしいアプリ名: 汎用的な名前"}},
		{"posture: credentials", "en", alert.Alert{Time: "2026-06-01T12:00:00Z", Evidence: map[string]any{"credentials": []any{
			map[string]any{"kind": "secret", "display_name": "ci", "lifetime_days": 730, "limit_days": 180},
			map[string]any{"kind": "certificate", "key_id": "k2", "end": "2026-05-01T00:00:00Z"},
			map[string]any{"kind": "certificate", "key_id": "k3", "end": "2026-06-20T00:00:00Z"},
		}}}, []string{`client secret "ci" (valid 730 days, limit 180), certificate "k2" (expired 2026-05-01), certificate "k3" (expires 2026-06-20)`}},
		{"posture: secret where a certificate would do", "ja", alert.Alert{Evidence: map[string]any{
			"secrets": []any{map[string]any{"kind": "secret", "key_id": "s1"}}, "reasons": []any{"has_certificate", "privileged"},
			"privileges": map[string]any{"permissions": []any{map[string]any{"value": "Mail.Read"}}, "roles": []any{map[string]any{"name": "Global Administrator"}}},
		}}, []string{`クライアント シークレット "s1"`, "アプリには証明書もある", "アプリが特権を持つ", "保有: Mail.Read、Global Administrator"}},
		{"posture: URIs, origin, owners", "en", alert.Alert{Evidence: map[string]any{
			"app_origin": "multi_tenant", "app_owner_tenant": "t-1",
			"uris": []any{
				map[string]any{"uri": "https://old.example/cb", "where": "web", "dns": "nxdomain", "claimable": true},
				map[string]any{"uri": "https://shared.contoso.com/cb", "where": "spa", "also_on": []any{map[string]any{"id": "a2", "name": "Other App"}}},
			},
			"owners": []any{map[string]any{"upn": "ada@contoso.com"}, map[string]any{"name": "Bob"}},
		}}, []string{"app registered in tenant t-1",
			"2 URIs: https://old.example/cb (web, DNS nxdomain, host others could claim), https://shared.contoso.com/cb (spa, also on Other App)",
			"user owners: ada@contoso.com, Bob"}},
		{"posture: one URI, logout", "zh-TW", alert.Alert{Evidence: map[string]any{
			"uris": []any{map[string]any{"uri": "https://a.example", "where": "identifier"}}, "logout_url": " ", "state": "blank",
		}}, []string{"URI https://a.example (identifier)", "登出 URL 為空白"}},
		{"owner found by comparing snapshots", "ja", alert.Alert{Evidence: map[string]any{
			"owner": map[string]any{"id": "u-1", "upn": "eve@fabrikam.net"}, "found_by": "snapshot-comparison",
		}}, []string{"所有者を追加: eve@fabrikam.net", "スナップショットの比較で検出"}},
		{"nothing", "en", alert.Alert{}, nil},
		{"wrong types are ignored", "en", alert.Alert{Evidence: map[string]any{"credential": "oops", "grant": 3, "uri": []string{"x"}, "count": "many"}}, nil},
	}
	for _, tt := range tests {
		p := i18n.NewPrinter(tt.lang)
		if got := why(p, &tt.alert); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		// An alert read back from JSON explains itself the same way.
		b, err := json.Marshal(tt.alert)
		if err != nil {
			t.Fatal(err)
		}
		var back alert.Alert
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got := why(p, &back); !slices.Equal(got, tt.want) {
			t.Errorf("%s, read back from JSON:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
