package posturepoll

import (
	"cmp"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/store"
)

// findingCounts counts the findings of a snapshot by check.
func findingCounts(findings []store.Alert) map[string]int64 {
	out := map[string]int64{}
	for _, f := range findings {
		out[f.Alert.RuleID]++
	}
	return out
}

// appItems lists what each application holds in snap, for the history
// the console shows: the credentials of its registration and service
// principal, the permissions granted to its service principal, and the
// owners of both. Collections the snapshot did not read add nothing.
func appItems(snap *snapshot.Snapshot, ref *refdata.Data) []store.AppItem {
	var out []store.AppItem
	spByID := map[string]*snapshot.ServicePrincipal{}
	for i := range snap.ServicePrincipals {
		sp := &snap.ServicePrincipals[i]
		spByID[sp.ID] = sp
	}
	for i := range snap.Applications {
		a := &snap.Applications[i]
		if a.AppID == "" {
			continue
		}
		out = append(out, credentialItems(a.AppID, "application", a.KeyCredentials, a.PasswordCredentials)...)
		for _, f := range a.FederatedIdentityCredentials {
			out = append(out, store.AppItem{AppID: a.AppID, Kind: store.ItemCredential, Item: "application:federated:" + f.ID,
				Detail: detail("on", "application", "type", "federated", "name", f.Name, "issuer", f.Issuer,
					"subject", cmp.Or(f.Subject, claims(f.ClaimsMatchingExpression)))})
		}
		out = append(out, ownerItems(a.AppID, "application", a.Owners)...)
	}
	for _, sp := range snap.ServicePrincipals {
		if sp.AppID == "" {
			continue
		}
		out = append(out, credentialItems(sp.AppID, "servicePrincipal", sp.KeyCredentials, sp.PasswordCredentials)...)
		out = append(out, ownerItems(sp.AppID, "servicePrincipal", sp.Owners)...)
	}
	for _, ara := range snap.AppRoleAssignments {
		sp := spByID[ara.PrincipalID]
		if sp == nil || sp.AppID == "" {
			continue
		}
		api, apiName := resource(spByID, ref, ara.ResourceID, ara.ResourceDisplayName)
		value := ara.AppRoleID
		if res := spByID[ara.ResourceID]; res != nil {
			for _, r := range res.AppRoles {
				if strings.EqualFold(r.ID, ara.AppRoleID) && r.Value != "" {
					value = r.Value
				}
			}
		}
		p := ref.Classify(api, refdata.Application, ara.AppRoleID)
		if !p.Known {
			p = ref.Classify(api, refdata.Application, value)
		}
		out = append(out, store.AppItem{AppID: sp.AppID, Kind: store.ItemPermission, Item: "application:" + ara.ResourceID + ":" + strings.ToLower(ara.AppRoleID),
			Detail: detail("type", "application", "api", apiName, "permission", cmp.Or(p.Value, value), "level", p.Level.String())})
	}
	for _, g := range snap.Grants {
		sp := spByID[g.ClientID]
		if sp == nil || sp.AppID == "" {
			continue
		}
		api, apiName := resource(spByID, ref, g.ResourceID, "")
		for _, scope := range g.Scopes() {
			p := ref.Classify(api, refdata.Delegated, scope)
			consent := "all-users"
			if !strings.EqualFold(g.ConsentType, "AllPrincipals") {
				consent = "user"
			}
			out = append(out, store.AppItem{AppID: sp.AppID, Kind: store.ItemPermission,
				Item: "delegated:" + g.ResourceID + ":" + strings.ToLower(scope) + ":" + consent + ":" + g.PrincipalID,
				Detail: detail("type", "delegated", "api", apiName, "permission", scope, "level", p.Level.String(),
					"consent", consent, "principal", g.PrincipalID)})
		}
	}
	return out
}

// resource returns the app id (or name) of the API whose service
// principal is id, for refdata to look up, and the API's name.
func resource(spByID map[string]*snapshot.ServicePrincipal, ref *refdata.Data, id, name string) (string, string) {
	key := cmp.Or(name, id)
	if sp := spByID[id]; sp != nil {
		key, name = cmp.Or(sp.AppID, sp.DisplayName, key), cmp.Or(sp.DisplayName, name)
	}
	if api, ok := ref.API(key); ok {
		return api.AppID, cmp.Or(name, api.Name)
	}
	return key, cmp.Or(name, id)
}

func credentialItems(appID, on string, keys, passwords []snapshot.Credential) []store.AppItem {
	var out []store.AppItem
	for _, list := range []struct {
		typ   string
		creds []snapshot.Credential
	}{{"certificate", keys}, {"secret", passwords}} {
		for _, c := range list.creds {
			if c.KeyID == "" {
				continue
			}
			out = append(out, store.AppItem{AppID: appID, Kind: store.ItemCredential, Item: on + ":" + strings.ToLower(c.KeyID),
				Detail: detail("on", on, "type", list.typ, "name", c.DisplayName, "key_id", c.KeyID, "hint", c.Hint,
					"start", timeText(c.StartDateTime), "end", timeText(c.EndDateTime))})
		}
	}
	return out
}

func ownerItems(appID, on string, owners []snapshot.Owner) []store.AppItem {
	var out []store.AppItem
	for _, o := range owners {
		if o.ID == "" {
			continue
		}
		out = append(out, store.AppItem{AppID: appID, Kind: store.ItemOwner, Item: on + ":" + o.ID,
			Detail: detail("on", on, "type", o.Kind(), "name", o.DisplayName, "upn", o.UserPrincipalName, "id", o.ID, "user_type", o.UserType)})
	}
	return out
}

// detail makes a map of the key and value pairs kv, leaving out empty
// values.
func detail(kv ...string) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[kv[i]] = kv[i+1]
		}
	}
	return m
}

func claims(e *snapshot.ClaimsExpression) string {
	if e == nil {
		return ""
	}
	return e.Value
}

// timeText writes t in RFC 3339, UTC, or "" when unset or unreadable.
func timeText(t snapshot.Time) string {
	if t.Time.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
