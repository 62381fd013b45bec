package event

import (
	"strconv"

	"github.com/appwatch/appwatch/internal/modprop"
)

// derivedFields are the fields enrichers fill (see Derived). Their
// documentation names the enricher that computes them.
func derivedFields() []*Field {
	var fs []*Field
	fs = append(fs, appFields()...)
	fs = append(fs, credentialFields()...)
	fs = append(fs, grantFields()...)
	fs = append(fs, roleFields()...)
	fs = append(fs, uriFields()...)
	fs = append(fs, contextFields()...)
	return fs
}

func appFields() []*Field {
	return []*Field{
		{Name: "app.id", Type: TypeString, Doc: "[app] app id of the application the record is about (given a credential, permission, role, owner or URI, or consented to); its object id when the app id is not logged",
			Get: str(func(e *Event) string { return e.Derived.App.Key() })},
		{Name: "app.object_id", Type: TypeString, Doc: "[app] object id of that application or service principal",
			Get: str(func(e *Event) string { return e.Derived.App.ObjectID })},
		{Name: "app.name", Type: TypeString, Doc: "[app] display name of that application",
			Get: str(func(e *Event) string { return e.Derived.App.Name })},
		{Name: "app.first_party", Type: TypeBool, Doc: "[app] whether it is a Microsoft first-party application",
			Get: str(func(e *Event) string {
				return boolIf(e.Derived.App.ObjectID != "" || e.Derived.App.ID != "", e.Derived.App.FirstParty)
			})},
		{Name: "app.suspicious_name", Type: TypeString, Doc: "[app] why the application's name deserves a look (generic, or like a well-known app's); empty when it does not",
			Get: str(func(e *Event) string { return e.Derived.App.Suspicious })},
	}
}

func credentialFields() []*Field {
	cred := func(get func(c modprop.Credential) string) Getter {
		return func(e *Event, dst []string) []string {
			for _, c := range e.Derived.Credential.Added {
				if v := get(c); v != "" {
					dst = append(dst, v)
				}
			}
			return dst
		}
	}
	return []*Field{
		{Name: "credential.added_count", Type: TypeInt, Doc: "[credential] how many credentials the record adds (new key ids in KeyDescription)",
			Get: str(func(e *Event) string {
				return countText(len(e.Derived.Credential.Added), e.Derived.Credential.Target != "")
			})},
		{Name: "credential.added.type", Type: TypeList, Doc: "[credential] key types of the added credentials: Password (a client secret), AsymmetricX509Cert, Symmetric",
			Get: cred(func(c modprop.Credential) string { return c.Type })},
		{Name: "credential.added.usage", Type: TypeList, Doc: "[credential] key usages of the added credentials: Verify, Sign",
			Get: cred(func(c modprop.Credential) string { return c.Usage })},
		{Name: "credential.added.name", Type: TypeList, Doc: "[credential] display names of the added credentials",
			Get: cred(func(c modprop.Credential) string { return c.DisplayName })},
		{Name: "credential.added.key_id", Type: TypeList, Doc: "[credential] key ids of the added credentials",
			Get: cred(func(c modprop.Credential) string { return c.KeyID })},
		{Name: "credential.removed_count", Type: TypeInt, Doc: "[credential] how many credentials the record removes",
			Get: str(func(e *Event) string {
				return countText(len(e.Derived.Credential.Removed), e.Derived.Credential.Target != "")
			})},
		{Name: "credential.before_count", Type: TypeInt, Doc: "[credential] how many credentials existed before the change (absent when the record does not say)",
			Get: str(func(e *Event) string {
				if e.Derived.Credential.Target == "" || e.Derived.Credential.Before < 0 {
					return ""
				}
				return strconv.Itoa(e.Derived.Credential.Before)
			})},
		{Name: "credential.target", Type: TypeString, Doc: "[credential] whether the credential change is on an Application or a ServicePrincipal",
			Get: str(func(e *Event) string { return e.Derived.Credential.Target })},
	}
}

func grantFields() []*Field {
	perm := func(get func(p Permission) string) Getter {
		return func(e *Event, dst []string) []string {
			for _, p := range e.Derived.Grant.Permissions {
				if v := get(p); v != "" {
					dst = append(dst, v)
				}
			}
			return dst
		}
	}
	g := func(e *Event) *GrantFacts { return &e.Derived.Grant }
	return []*Field{
		{Name: "grant.type", Type: TypeString, Doc: "[permission] application (an app role) or delegated (OAuth2 scopes)",
			Get: str(func(e *Event) string { return g(e).Type })},
		{Name: "grant.api", Type: TypeString, Doc: "[permission] the API (resource service principal) the permissions are for",
			Get: str(func(e *Event) string { return g(e).API })},
		{Name: "grant.api_id", Type: TypeString, Doc: "[permission] the app id of that API",
			Get: str(func(e *Event) string { return g(e).APIID })},
		{Name: "grant.api_sensitive", Type: TypeBool, Doc: "[permission] whether the API holds sensitive data: Microsoft Graph, Exchange Online, SharePoint Online, Azure AD Graph",
			Get: str(func(e *Event) string { return boolIf(g(e).Type != "", g(e).APISensitive) })},
		{Name: "grant.api_inferred", Type: TypeBool, Doc: "[permission] whether the API was inferred from the permission names rather than read from the record (consents name the API only by its service principal object id; when every scope is a Microsoft Graph permission, the API is taken to be Microsoft Graph)",
			Get: str(func(e *Event) string { return boolIf(g(e).Type != "", g(e).APIInferred) })},
		{Name: "grant.permission", Type: TypeList, Doc: "[permission] the permissions granted (for an amended grant, those added)",
			Get: perm(func(p Permission) string { return p.Value })},
		{Name: "grant.permission_id", Type: TypeList, Doc: "[permission] the ids of the permissions granted, when logged",
			Get: perm(func(p Permission) string { return p.ID })},
		{Name: "grant.level", Type: TypeString, Doc: "[permission] the highest classification among the permissions: critical, high or low",
			Get: str(func(e *Event) string { return g(e).Level })},
		{Name: "grant.privileged", Type: TypeBool, Doc: "[permission] whether any permission is classified critical or high",
			Get: str(func(e *Event) string {
				return boolIf(g(e).Type != "", g(e).Level == "critical" || g(e).Level == "high")
			})},
		{Name: "grant.consent_type", Type: TypeString, Doc: "[permission] AllPrincipals (on behalf of every user) or Principal (one user)",
			Get: str(func(e *Event) string { return g(e).ConsentType })},
		{Name: "grant.admin_consent", Type: TypeBool, Doc: "[permission] whether an administrator consented (application permissions and AllPrincipals grants always are)",
			Get: str(func(e *Event) string { return g(e).AdminConsent })},
		{Name: "grant.client_sp_id", Type: TypeString, Doc: "[permission] the service principal id of the application granted the permissions",
			Get: str(func(e *Event) string { return g(e).ClientSPID })},
		{Name: "grant.client_app_id", Type: TypeString, Doc: "[permission] the app id of the application granted the permissions",
			Get: str(func(e *Event) string { return g(e).ClientAppID })},
		{Name: "grant.client_name", Type: TypeString, Doc: "[permission] the name of the application granted the permissions",
			Get: str(func(e *Event) string { return g(e).ClientName })},
	}
}

func roleFields() []*Field {
	r := func(e *Event) *RoleFacts { return &e.Derived.Role }
	return []*Field{
		{Name: "role.name", Type: TypeString, Doc: "[role] the role assigned",
			Get: str(func(e *Event) string { return r(e).Name })},
		{Name: "role.template_id", Type: TypeString, Doc: "[role] its Entra role template id or Azure role definition id",
			Get: str(func(e *Event) string { return r(e).TemplateID })},
		{Name: "role.privileged", Type: TypeBool, Doc: "[role] whether the role is privileged (absent when the role is unknown)",
			Get: str(func(e *Event) string { return r(e).Privileged })},
		{Name: "role.source", Type: TypeString, Doc: "[role] entra (a directory role), azure (an Azure RBAC role) or group (membership of a group managed by PIM)",
			Get: str(func(e *Event) string { return r(e).Source })},
		{Name: "role.change", Type: TypeString, Doc: "[role] add, remove or extend (an assignment prolonged or renewed), from the activity reference data",
			Get: str(func(e *Event) string { return r(e).Change })},
		{Name: "role.assignment", Type: TypeString, Doc: "[role] active or eligible",
			Get: str(func(e *Event) string { return r(e).Assignment })},
		{Name: "role.stage", Type: TypeString, Doc: "[role] done (the change took effect), requested or approved (a PIM request on its way)",
			Get: str(func(e *Event) string { return r(e).Stage })},
		{Name: "role.member_type", Type: TypeString, Doc: "[role] the type of the member assigned: ServicePrincipal, User, Group",
			Get: str(func(e *Event) string { return r(e).MemberType })},
		{Name: "role.member_id", Type: TypeString, Doc: "[role] the object id of the member assigned",
			Get: str(func(e *Event) string { return r(e).MemberID })},
		{Name: "role.scope", Type: TypeString, Doc: "[role] the scope of the assignment (directory, administrative unit, Azure scope)",
			Get: str(func(e *Event) string { return r(e).Scope })},
	}
}

func uriFields() []*Field {
	u := func(e *Event) *URIFacts { return &e.Derived.URI }
	uris := func(get func(e *Event) []URIFact) Getter {
		return func(e *Event, dst []string) []string {
			for _, f := range get(e) {
				dst = append(dst, f.URI)
			}
			return dst
		}
	}
	issues := func(get func(e *Event) []URIFact) Getter {
		return func(e *Event, dst []string) []string {
			for _, f := range get(e) {
				dst = appendNew(dst, f.Issues...)
			}
			return dst
		}
	}
	redirect := func(e *Event) []URIFact { return u(e).RedirectAdded }
	identifier := func(e *Event) []URIFact { return u(e).IdentifierAdded }
	return []*Field{
		{Name: "uri.redirect.added", Type: TypeList, Doc: "[uri] redirect URIs added (AppAddress)",
			Get: uris(redirect)},
		{Name: "uri.redirect.removed", Type: TypeList, Doc: "[uri] redirect URIs removed",
			Get: list(func(e *Event) []string { return u(e).RedirectRemoved })},
		{Name: "uri.redirect.issues", Type: TypeList, Doc: "[uri] what is wrong with the added redirect URIs: not_https, wildcard, not_owned_domain, shared_with_other_app, claimable_host",
			Get: issues(redirect)},
		{Name: "uri.identifier.added", Type: TypeList, Doc: "[uri] identifier (App ID) URIs added (AppIdentifierUri)",
			Get: uris(identifier)},
		{Name: "uri.identifier.removed", Type: TypeList, Doc: "[uri] identifier URIs removed",
			Get: list(func(e *Event) []string { return u(e).IdentifierRemoved })},
		{Name: "uri.identifier.issues", Type: TypeList, Doc: "[uri] what is wrong with the added identifier URIs",
			Get: issues(identifier)},
		{Name: "uri.identifier.changed", Type: TypeBool, Doc: "[uri] whether identifier URIs were added, changed or removed",
			Get: str(func(e *Event) string {
				return boolIf(true, len(u(e).IdentifierAdded)+len(u(e).IdentifierRemoved) > 0)
			})},
		{Name: "uri.logout.changed", Type: TypeBool, Doc: "[uri] whether the logout URL changed",
			Get: str(func(e *Event) string { return boolIf(true, u(e).LogoutChanged) })},
		{Name: "uri.logout.old", Type: TypeString, Doc: "[uri] the logout URL before the change",
			Get: str(func(e *Event) string { return u(e).LogoutOld })},
		{Name: "uri.logout.new", Type: TypeString, Doc: "[uri] the logout URL after the change",
			Get: str(func(e *Event) string { return u(e).LogoutNew })},
		{Name: "uri.logout.issues", Type: TypeList, Doc: "[uri] what is wrong with the new logout URL: blank, not_https, not_owned_domain, claimable_host",
			Get: list(func(e *Event) []string { return u(e).LogoutIssues })},
		{Name: "uri.host_category", Type: TypeList, Doc: "[uri] the kinds of shared domain the added redirect and identifier URIs and the new logout URL are under: cloud_hosting, tunnel, dynamic_dns, url_shortener",
			Get: func(e *Event, dst []string) []string {
				return eachAdded(e, dst, func(f URIFact) string {
					if f.Host == nil {
						return ""
					}
					return f.Host.Category
				})
			}},
		{Name: "uri.ownership", Type: TypeList, Doc: "[uri] whether the tenant owns the hosts of those URIs: owned, not_owned, or undecided when neither the policy nor a tenant snapshot lists its domains",
			Get: func(e *Event, dst []string) []string {
				return eachAdded(e, dst, func(f URIFact) string { return f.Ownership })
			}},
	}
}

// eachAdded appends get of every added redirect and identifier URI and of
// the new logout URL, each value once, skipping empty ones.
func eachAdded(e *Event, dst []string, get func(URIFact) string) []string {
	u := &e.Derived.URI
	add := func(v string) {
		if v != "" {
			dst = appendNew(dst, v)
		}
	}
	for _, list := range [][]URIFact{u.RedirectAdded, u.IdentifierAdded} {
		for _, f := range list {
			add(get(f))
		}
	}
	if u.LogoutNew != "" {
		add(get(URIFact{Host: u.LogoutHost, Ownership: u.LogoutOwnership}))
	}
	return dst
}

func contextFields() []*Field {
	c := func(e *Event) *ContextFacts { return &e.Derived.Context }
	return []*Field{
		{Name: "context.outside_business_hours", Type: TypeBool, Doc: "[context] whether the event fell outside the tenant's business hours (or on a holiday) and outside every approved change window, the alert's outside_business_hours (policy file; default Monday to Friday 08:00-18:00 UTC)",
			Get: str(func(e *Event) string { return boolIf(c(e).Evaluated, c(e).OutsideHours && c(e).ChangeWindow == "") })},
		{Name: "context.change_window", Type: TypeString, Doc: "[context] the approved change window the event fell in, if any",
			Get: str(func(e *Event) string { return c(e).ChangeWindow })},
		{Name: "context.in_change_window", Type: TypeBool, Doc: "[context] whether the event fell in an approved change window",
			Get: str(func(e *Event) string { return boolIf(c(e).Evaluated, c(e).ChangeWindow != "") })},
		{Name: "context.approved_actor", Type: TypeBool, Doc: "[context] whether the actor is among the policy's approved actors or apps",
			Get: str(func(e *Event) string { return boolIf(c(e).Evaluated, c(e).ApprovedActor) })},
	}
}

// boolIf returns "true" or "false" for b when known, "" otherwise.
func boolIf(known, b bool) string {
	if !known {
		return ""
	}
	return strconv.FormatBool(b)
}

// countText returns n as text when known.
func countText(n int, known bool) string {
	if !known {
		return ""
	}
	return strconv.Itoa(n)
}

// appendNew appends the values of vs not yet in dst.
func appendNew(dst []string, vs ...string) []string {
outer:
	for _, v := range vs {
		for _, d := range dst {
			if d == v {
				continue outer
			}
		}
		dst = append(dst, v)
	}
	return dst
}
