package alert

import (
	"reflect"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

func TestEvidence(t *testing.T) {
	tests := []struct {
		name string
		e    event.Event
		want map[string]any
	}{
		{
			name: "empty audit record",
			e:    event.Event{Kind: event.KindAudit},
			want: map[string]any{},
		},
		{
			name: "empty sign-in section is left out",
			e:    event.Event{Kind: event.KindSignIn, Activity: "Sign-in activity"},
			want: map[string]any{"activity": "Sign-in activity"},
		},
		{
			name: "empty key vault section is left out",
			e:    event.Event{Kind: event.KindKeyVault, Result: "success"},
			want: map[string]any{"result": "success"},
		},
		{
			name: "empty azure section is left out",
			e:    event.Event{Kind: event.KindActivity, Azure: event.Azure{Provider: "Microsoft.KeyVault"}},
			want: map[string]any{},
		},
		{
			name: "activity and result",
			e:    event.Event{Kind: event.KindAudit, Activity: "Add owner to application", Result: "failure", ResultReason: "denied"},
			want: map[string]any{"activity": "Add owner to application", "result": "failure", "result_reason": "denied"},
		},
		{
			name: "credentials added and removed, count unknown",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{Credential: event.CredentialFacts{
				Added: []modprop.Credential{
					{KeyID: "k1", Type: "AsymmetricX509Cert", Usage: "Verify", DisplayName: "CN=sync"},
					{KeyID: "k2", Type: "Password"},
				},
				Removed: []modprop.Credential{{KeyID: "k0", Type: "Password", Usage: "Verify"}},
				Before:  -1,
				Target:  "ServicePrincipal",
			}}},
			want: map[string]any{"credential": map[string]any{
				"added": []map[string]string{
					{"key_id": "k1", "type": "AsymmetricX509Cert", "usage": "Verify", "display_name": "CN=sync"},
					{"key_id": "k2", "type": "Password"},
				},
				"removed": []map[string]string{{"key_id": "k0", "type": "Password", "usage": "Verify"}},
				"on":      "ServicePrincipal",
			}},
		},
		{
			name: "first credential",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{Credential: event.CredentialFacts{
				Added: []modprop.Credential{{KeyID: "k1", Type: "Password"}},
			}}},
			want: map[string]any{"credential": map[string]any{
				"added":           []map[string]string{{"key_id": "k1", "type": "Password"}},
				"existing_before": 0,
			}},
		},
		{
			name: "credential facts without a change are left out",
			e:    event.Event{Kind: event.KindAudit, Derived: event.Derived{Credential: event.CredentialFacts{Before: 3, Target: "Application"}}},
			want: map[string]any{},
		},
		{
			name: "grant",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{Grant: event.GrantFacts{
				Type: "application", API: "Microsoft Graph", APIID: "00000003-0000-0000-c000-000000000000", APISensitive: true,
				Permissions: []event.Permission{{Value: "RoleManagement.ReadWrite.Directory", Level: "critical"}},
				Level:       "critical", AdminConsent: "true", ClientSPID: "sp-1", ClientName: "Sync",
			}}},
			want: map[string]any{"grant": map[string]any{
				"type": "application", "api": "Microsoft Graph", "api_id": "00000003-0000-0000-c000-000000000000",
				"api_sensitive": true,
				"permissions":   []event.Permission{{Value: "RoleManagement.ReadWrite.Directory", Level: "critical"}},
				"level":         "critical", "admin_consent": "true", "client_sp_id": "sp-1", "client_name": "Sync",
			}},
		},
		{
			name: "delegated grant to an API that is not sensitive",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{Grant: event.GrantFacts{
				Type: "delegated", ConsentType: "Principal", AdminConsent: "false", ClientAppID: "app-9",
			}}},
			want: map[string]any{"grant": map[string]any{
				"type": "delegated", "api_sensitive": false, "consent_type": "Principal",
				"admin_consent": "false", "client_app_id": "app-9",
			}},
		},
		{
			name: "role",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{Role: event.RoleFacts{
				Name: "Global Administrator", TemplateID: "62e90394-69f5-4237-9190-012177145e10", Privileged: "true",
				Source: "entra", MemberType: "ServicePrincipal", MemberID: "sp-1", Scope: "/",
			}}},
			want: map[string]any{"role": map[string]any{
				"name": "Global Administrator", "id": "62e90394-69f5-4237-9190-012177145e10", "privileged": "true",
				"source": "entra", "member_type": "ServicePrincipal", "member_id": "sp-1", "scope": "/",
			}},
		},
		{
			name: "role known by id only",
			e:    event.Event{Kind: event.KindAudit, Derived: event.Derived{Role: event.RoleFacts{TemplateID: "r-1", MemberID: "sp-1"}}},
			want: map[string]any{"role": map[string]any{"id": "r-1", "member_id": "sp-1"}},
		},
		{
			name: "role facts without a role are left out",
			e:    event.Event{Kind: event.KindAudit, Derived: event.Derived{Role: event.RoleFacts{MemberID: "sp-1"}}},
			want: map[string]any{},
		},
		{
			name: "uris",
			e: event.Event{Kind: event.KindAudit, Derived: event.Derived{URI: event.URIFacts{
				RedirectAdded:     []event.URIFact{{URI: "http://evil.example/cb", Issues: []string{"not_https"}}},
				RedirectRemoved:   []string{"https://app.contoso.com/cb"},
				IdentifierAdded:   []event.URIFact{{URI: "api://x"}},
				IdentifierRemoved: []string{"api://y"},
				LogoutChanged:     true,
				LogoutNew:         "https://x.azurewebsites.net/logout",
				LogoutIssues:      []string{"claimable_host"},
			}}},
			want: map[string]any{"uri": map[string]any{
				"redirect_added":     []event.URIFact{{URI: "http://evil.example/cb", Issues: []string{"not_https"}}},
				"redirect_removed":   []string{"https://app.contoso.com/cb"},
				"identifier_added":   []event.URIFact{{URI: "api://x"}},
				"identifier_removed": []string{"api://y"},
				"logout_old":         "",
				"logout_new":         "https://x.azurewebsites.net/logout",
				"logout_issues":      []string{"claimable_host"},
			}},
		},
		{
			name: "logout url unchanged is left out",
			e:    event.Event{Kind: event.KindAudit, Derived: event.Derived{URI: event.URIFacts{LogoutOld: "https://a", LogoutNew: "https://a"}}},
			want: map[string]any{},
		},
		{
			name: "suspicious app name",
			e:    event.Event{Kind: event.KindAudit, Derived: event.Derived{App: event.AppFacts{Name: "Micros0ft Teams", Suspicious: "looks like Microsoft Teams"}}},
			want: map[string]any{"suspicious_app_name": "looks like Microsoft Teams"},
		},
		{
			name: "sign-in",
			e: event.Event{Kind: event.KindSignIn, Result: "failure", SignIn: event.SignIn{
				Protocol: "deviceCode", TransferMethod: "deviceCodeFlow", Status: "50126", FailureReason: "bad password",
				AppID: "app-1", ResourceID: "res-1", ClientApp: "Mobile Apps and Desktop clients",
				CredentialType: "clientSecret", Country: "NL", ServicePrincipalID: "sp-1",
			}},
			want: map[string]any{"result": "failure", "signin": map[string]any{
				"protocol": "deviceCode", "transfer_method": "deviceCodeFlow", "status": "50126", "failure_reason": "bad password",
				"app": "app-1", "app_id": "app-1", "resource": "res-1", "client_app": "Mobile Apps and Desktop clients",
				"credential_type": "clientSecret", "country": "NL",
			}},
		},
		{
			name: "sign-in names app and resource when known",
			e:    event.Event{Kind: event.KindSignIn, SignIn: event.SignIn{AppID: "app-1", AppName: "Portal", ResourceID: "res-1", ResourceName: "Graph"}},
			want: map[string]any{"signin": map[string]any{"app": "Portal", "app_id": "app-1", "resource": "Graph"}},
		},
		{
			name: "key vault",
			e: event.Event{Kind: event.KindKeyVault, KeyVault: event.KeyVault{
				Operation: "VaultPatch", Vault: "kv-prod", Object: "https://kv-prod.vault.azure.net/", HTTPStatus: "200",
				ResultSignature: "OK", ClientInfo: "AzurePowerShell/1.0", RequestURI: "https://kv-prod.vault.azure.net/?api-version=7.4",
				Added:   &event.AccessPolicy{ObjectID: "obj-1", Secrets: []string{"get", "list"}},
				Removed: &event.AccessPolicy{ObjectID: "obj-2", Keys: []string{"all"}},
			}},
			want: map[string]any{"keyvault": map[string]any{
				"operation": "VaultPatch", "vault": "kv-prod", "object": "https://kv-prod.vault.azure.net/", "http_status": "200",
				"result_signature": "OK", "client_info": "AzurePowerShell/1.0",
				"access_policy_added":   &event.AccessPolicy{ObjectID: "obj-1", Secrets: []string{"get", "list"}},
				"access_policy_removed": &event.AccessPolicy{ObjectID: "obj-2", Keys: []string{"all"}},
			}},
		},
		{
			name: "azure activity",
			e: event.Event{Kind: event.KindActivity, Azure: event.Azure{
				Operation: "Microsoft.Authorization/roleAssignments/write", Provider: "Microsoft.Authorization", Status: "Succeeded",
				ResourceID: "/subscriptions/s", PrincipalID: "p-1", PrincipalType: "ServicePrincipal",
				RoleDefinitionID: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", Scope: "/subscriptions/s",
			}},
			want: map[string]any{"azure": map[string]any{
				"operation": "Microsoft.Authorization/roleAssignments/write", "status": "Succeeded",
				"resource_id": "/subscriptions/s", "principal_id": "p-1", "principal_type": "ServicePrincipal",
				"role_definition_id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "scope": "/subscriptions/s",
			}},
		},
		{
			name: "sections of other kinds are not read",
			e: event.Event{Kind: event.KindAudit, SignIn: event.SignIn{AppID: "app-1"},
				KeyVault: event.KeyVault{Vault: "kv"}, Azure: event.Azure{Operation: "op"}},
			want: map[string]any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evidence(&tt.e)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Evidence:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}
