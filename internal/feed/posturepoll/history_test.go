package posturepoll

import (
	"reflect"
	"testing"

	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/store"
)

// TestAppItems lists what an app holds in a snapshot: credentials of its
// registration and service principal, a federated credential, owners,
// an application permission named from the resource's app roles and the
// reference data, and delegated scopes granted for all users.
func TestAppItems(t *testing.T) {
	ref, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	const graphSP, graphAppID = "99999999-0000-4000-8000-000000000001", "00000003-0000-0000-c000-000000000000"
	const mailRead = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"
	snap := tenant([]string{"K-1"})
	app := &snap.Applications[0]
	app.Owners = []snapshot.Owner{{ODataType: "#microsoft.graph.user", ID: "u-1", DisplayName: "Ana", UserPrincipalName: "ana@contoso.com"}}
	app.FederatedIdentityCredentials = []snapshot.FederatedIdentityCredential{{ID: "f-1", Name: "deploy", Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:contoso/payroll:ref:refs/heads/main"}}
	snap.ServicePrincipals = []snapshot.ServicePrincipal{
		{ID: "sp-1", AppID: appAppID, DisplayName: "Payroll Sync", KeyCredentials: []snapshot.Credential{{KeyID: "c-1", Type: "AsymmetricX509Cert", DisplayName: "CN=payroll"}}},
		{ID: graphSP, AppID: graphAppID, DisplayName: "Microsoft Graph", AppRoles: []snapshot.AppRole{{ID: mailRead, Value: "Mail.Read"}}},
	}
	snap.AppRoleAssignments = []snapshot.AppRoleAssignment{{ID: "a-1", AppRoleID: mailRead, PrincipalID: "sp-1", PrincipalType: "ServicePrincipal", ResourceID: graphSP}}
	snap.Grants = []snapshot.Grant{{ID: "g-1", ClientID: "sp-1", ConsentType: "AllPrincipals", ResourceID: graphSP, Scope: "User.Read Mail.Send"}}

	got := map[string]map[string]any{}
	for _, it := range appItems(snap, ref) {
		if it.AppID != appAppID {
			continue
		}
		got[it.Kind+" "+it.Item] = it.Detail
	}
	want := map[string]map[string]any{
		store.ItemCredential + " application:k-1": {"on": "application", "type": "secret", "key_id": "K-1",
			"start": "2026-05-03T06:00:00Z", "end": "2028-05-03T06:00:00Z"},
		store.ItemCredential + " application:federated:f-1": {"on": "application", "type": "federated", "name": "deploy",
			"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:contoso/payroll:ref:refs/heads/main"},
		store.ItemCredential + " servicePrincipal:c-1": {"on": "servicePrincipal", "type": "certificate", "name": "CN=payroll", "key_id": "c-1"},
		store.ItemOwner + " application:u-1":           {"on": "application", "type": "user", "name": "Ana", "upn": "ana@contoso.com", "id": "u-1"},
		store.ItemPermission + " application:" + graphSP + ":" + mailRead: {"type": "application", "api": "Microsoft Graph",
			"permission": "Mail.Read", "level": "high"},
		store.ItemPermission + " delegated:" + graphSP + ":user.read:all-users:": {"type": "delegated", "api": "Microsoft Graph",
			"permission": "User.Read", "level": "low", "consent": "all-users"},
		store.ItemPermission + " delegated:" + graphSP + ":mail.send:all-users:": {"type": "delegated", "api": "Microsoft Graph",
			"permission": "Mail.Send", "level": "high", "consent": "all-users"},
	}
	if !reflect.DeepEqual(got, want) {
		for k, v := range got {
			if !reflect.DeepEqual(v, want[k]) {
				t.Errorf("%s: %v, want %v", k, v, want[k])
			}
		}
		for k := range want {
			if got[k] == nil {
				t.Errorf("%s missing", k)
			}
		}
	}
}
