package corpus

import (
	"encoding/json"
	"fmt"
	"strings"
)

// prop is one modified property; old and new are written as Entra writes
// them: JSON text inside a JSON string.
type prop struct{ name, old, new string }

// quoted returns s as the JSON text of a string, which Entra then stores in a
// string again.
func quoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// audit returns one application-management audit record. About half are
// the routine changes that fill real audit logs (display names, required
// permissions, service principal updates with nothing of note); the rest
// are the changes the guide watches: credentials, grants, role
// assignments, redirect URIs, owners and consents.
func (g *gen) audit() string {
	a := pick(g.r, g.apps)
	if g.r.IntN(2) == 0 {
		return g.routineAudit(a)
	}
	switch g.r.IntN(8) {
	case 0:
		return g.auditRecord("Update application – Certificates and secrets management ", "Update", "Application", a.appID, a.name, g.credentialProps())
	case 1:
		return g.auditRecord("Add service principal credentials", "Update", "ServicePrincipal", a.spID, a.name, g.credentialProps())
	case 2:
		return g.auditRecord("Add app role assignment to service principal", "Assign", "ServicePrincipal", g.guid(), "Microsoft Graph", []prop{
			{"AppRole.Id", "", quoted("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9")},
			{"AppRole.Value", "", quoted(pick(g.r, []string{"Application.ReadWrite.All", "Mail.Read", "User.Read.All", "Sites.Read.All"}))},
			{"ServicePrincipal.ObjectID", "", quoted(a.spID)},
			{"ServicePrincipal.DisplayName", "", quoted(a.name)},
			{"ServicePrincipal.AppId", "", quoted(a.appID)},
			{"TargetId.ServicePrincipalNames", "", quoted("https://graph.microsoft.com;00000003-0000-0000-c000-000000000000")},
		})
	case 3:
		return g.auditRecord("Add delegated permission grant", "Assign", "ServicePrincipal", g.guid(), "Microsoft Graph", []prop{
			{"DelegatedPermissionGrant.Scope", "", quoted(" User.Read Mail.Read")},
			{"DelegatedPermissionGrant.ConsentType", "", quoted(pick(g.r, []string{"Principal", "AllPrincipals"}))},
			{"ServicePrincipal.ObjectID", "", quoted(a.spID)},
		})
	case 4:
		return g.auditRecord("Update application", "Update", "Application", a.appID, a.name, []prop{
			{"AppAddress", g.addresses(a, 1), g.addresses(a, 2)},
			{"Included Updated Properties", "", quoted("AppAddress")},
		})
	case 5:
		return g.auditRecord("Add member to role", "Assign", "ServicePrincipal", a.spID, a.name, []prop{
			{"Role.ObjectID", "", quoted("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3")},
			{"Role.DisplayName", "", quoted("Application Administrator")},
			{"Role.TemplateId", "", quoted("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3")},
			{"Role.WellKnownObjectName", "", quoted("ApplicationAdministrator")},
		})
	case 6:
		u := pick(g.r, g.users)
		return g.auditRecord("Add owner to application", "Assign", "User", u.id, u.upn, []prop{
			{"Application.ObjectID", "", quoted(a.appID)},
			{"Application.DisplayName", "", quoted(a.name)},
		})
	default:
		return g.auditRecord("Consent to application", "Assign", "ServicePrincipal", a.spID, a.name, []prop{
			{"ConsentContext.IsAdminConsent", "", quoted(pick(g.r, []string{"True", "False"}))},
			{"ConsentContext.IsAppOnly", "", quoted("False")},
			{"ConsentContext.OnBehalfOfAll", "", quoted("False")},
			{"ConsentAction.Permissions", "", quoted(fmt.Sprintf("[] => [[Id: %s, ClientId: %s, PrincipalId: %s, ResourceId: %s, ConsentType: Principal, Scope:  User.Read Mail.Read, CreatedDateTime: , LastModifiedDateTime ]]; ", strings.ReplaceAll(g.guid(), "-", ""), a.spID, pick(g.r, g.users).id, g.guid()))},
		})
	}
}

// newServicePrincipal returns the audit record of a service principal
// created for one of n apps, or for a new app when n is zero.
func (g *gen) newServicePrincipal(n int) string {
	var a app
	if n > 0 {
		for len(g.extra) < n {
			g.extra = append(g.extra, app{g.guid(), g.guid(), fmt.Sprintf("Integration %d", len(g.extra)+1)})
		}
		a = g.extra[g.r.IntN(n)]
	} else {
		a = app{g.guid(), g.guid(), fmt.Sprintf("Integration %d", g.r.IntN(1_000_000))}
	}
	return g.auditRecord("Add service principal", "Add", "ServicePrincipal", a.spID, a.name, []prop{
		{"AccountEnabled", "", "[true]"},
		{"AppPrincipalId", "", quoted(a.appID)},
		{"DisplayName", "", quoted(a.name)},
		{"ServicePrincipalNames", "", fmt.Sprintf("[%q]", a.appID)},
		{"Included Updated Properties", "", quoted("AccountEnabled, AppPrincipalId, DisplayName, ServicePrincipalNames")},
	})
}

// routineAudit returns an application-management record no rule should
// care about.
func (g *gen) routineAudit(a app) string {
	switch g.r.IntN(3) {
	case 0:
		return g.auditRecord("Update application", "Update", "Application", a.appID, a.name, []prop{
			{"DisplayName", quoted(a.name), quoted(a.name + " (v2)")},
			{"Included Updated Properties", "", quoted("DisplayName")},
		})
	case 1:
		return g.auditRecord("Update service principal", "Update", "ServicePrincipal", a.spID, a.name, []prop{
			{"TargetId.ServicePrincipalNames", "", quoted(a.appID)},
			{"Included Updated Properties", "", quoted("")},
		})
	default:
		return g.auditRecord("Update application", "Update", "Application", a.appID, a.name, []prop{
			{"RequiredResourceAccess", `[{"ResourceAppId":"00000003-0000-0000-c000-000000000000","RequiredAppPermissions":[{"EntitlementId":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]}],"EncodingVersion":1}]`,
				`[{"ResourceAppId":"00000003-0000-0000-c000-000000000000","RequiredAppPermissions":[{"EntitlementId":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]},{"EntitlementId":"37f7f235-527c-4136-accd-4a02d197296e","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]}],"EncodingVersion":1}]`},
			{"Included Updated Properties", "", quoted("RequiredResourceAccess")},
		})
	}
}

// credentialProps returns a KeyDescription change that adds a secret.
func (g *gen) credentialProps() []prop {
	old := fmt.Sprintf("[KeyIdentifier=%s,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=build-agent]", g.guid())
	added := fmt.Sprintf("[KeyIdentifier=%s,KeyType=Password,KeyUsage=Verify,DisplayName=rotation %d]", g.guid(), g.r.IntN(100))
	list := func(items ...string) string { b, _ := json.Marshal(items); return string(b) }
	return []prop{
		{"KeyDescription", list(old), list(old, added)},
		{"Included Updated Properties", "", quoted("KeyDescription")},
	}
}

// addresses returns an AppAddress value with n redirect URIs.
func (g *gen) addresses(a app, n int) string {
	var parts []string
	for i := range n {
		host := strings.ToLower(strings.ReplaceAll(a.name, " ", "")) + ".contoso.example"
		parts = append(parts, fmt.Sprintf(`{"AddressType":0,"Address":"https://%s/signin-oidc%d","ReplyAddressClientType":1,"ReplyAddressIndex":null,"IsReplyAddressDefault":false}`, host, i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// auditRecord returns an audit diagnostic record with one target carrying
// props, initiated by a user of the tenant.
func (g *gen) auditRecord(activity, opType, targetType, targetID, targetName string, props []prop) string {
	u := pick(g.r, g.users)
	ip := pick(g.r, g.ips)
	corr := g.guid()
	var mp []string
	for _, p := range props {
		old := "null"
		if p.old != "" {
			old = quoted(p.old)
		}
		mp = append(mp, fmt.Sprintf(`{"displayName":%q,"oldValue":%s,"newValue":%s}`, p.name, old, quoted(p.new)))
	}
	body := fmt.Sprintf(`{"id":"Directory_%s_%05d_%d","category":"ApplicationManagement","correlationId":%q,"result":"success","resultReason":"","activityDisplayName":%q,"activityDateTime":%q,"loggedByService":"Core Directory","operationType":%q,"userAgent":null,`+
		`"initiatedBy":{"user":{"id":%q,"displayName":null,"userPrincipalName":%q,"ipAddress":%q,"roles":[]}},`+
		`"targetResources":[{"id":%q,"displayName":%q,"type":%q,"modifiedProperties":[%s],"administrativeUnits":[]}],`+
		`"additionalDetails":[{"key":"User-Agent","value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"},{"key":"AppId","value":%q}]}`,
		corr, g.r.IntN(100000), g.r.IntN(1<<30), corr, activity, g.now.Format("2006-01-02T15:04:05.0000000+00:00"), opType,
		u.id, u.upn, ip, targetID, targetName, targetType, strings.Join(mp, ","), g.guid())
	return g.envelope(activity, "AuditLogs", "", u.upn, ip, corr, body)
}
