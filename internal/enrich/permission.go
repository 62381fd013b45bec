package enrich

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
	"github.com/appwatch/appwatch/internal/refdata"
)

// Consent types of delegated permission grants.
const (
	consentAll       = "AllPrincipals"
	consentPrincipal = "Principal"
)

// graphAppID is the app id of Microsoft Graph, the API a consent is
// assumed to be for when every scope it grants is a Graph permission.
const graphAppID = "00000003-0000-0000-c000-000000000000"

// permissionEnricher describes the permissions granted by app role
// assignments, delegated permission grants and consents (see
// event.GrantFacts), classified with the reference data.
type permissionEnricher struct {
	ref                         *refdata.Data
	appRole, delegated, consent string
}

func newPermissionEnricher(ref *refdata.Data) *permissionEnricher {
	return &permissionEnricher{
		ref:       ref,
		appRole:   event.NormalizeActivity("Add app role assignment to service principal"),
		delegated: event.NormalizeActivity("Add delegated permission grant"),
		consent:   event.NormalizeActivity("Consent to application"),
	}
}

// Name returns "permission".
func (p *permissionEnricher) Name() string { return "permission" }

// Enrich fills e.Derived.Grant.
func (p *permissionEnricher) Enrich(e *event.Event) {
	if e.Kind != event.KindAudit || len(e.Targets) == 0 {
		return
	}
	switch e.ActivityKey {
	case p.appRole:
		e.Derived.Grant = p.appRoleGrant(e)
	case p.delegated:
		e.Derived.Grant = p.delegatedGrant(e)
	case p.consent:
		e.Derived.Grant = p.consentGrant(e)
	}
}

// appRoleGrant describes an app role assignment: an application
// permission on the API whose service principal carries the AppRole.*
// properties.
func (p *permissionEnricher) appRoleGrant(e *event.Event) event.GrantFacts {
	g := event.GrantFacts{Type: string(refdata.Application), AdminConsent: "true"}
	var api refdata.API
	if t, _ := grantTargets(e); t != nil {
		api = p.resource(t, "")
		setAPI(&g, api, t)
	}
	value, id := propText(e, "AppRole.Value"), propText(e, "AppRole.Id")
	key := value
	if key == "" {
		key = id
	}
	if key != "" {
		c := p.ref.Classify(api.AppID, refdata.Application, key)
		perm := event.Permission{Value: cmp.Or(value, c.Value), ID: strings.ToLower(cmp.Or(id, c.ID)), Level: levelText(c.Level)}
		g.Permissions = []event.Permission{perm}
		g.Level = perm.Level
	}
	setClient(&g, granteeApp(e))
	return g
}

// delegatedGrant describes a delegated permission grant: the scopes it
// adds on the API whose service principal carries the
// DelegatedPermissionGrant.* properties.
func (p *permissionEnricher) delegatedGrant(e *event.Event) event.GrantFacts {
	g := event.GrantFacts{Type: string(refdata.Delegated)}
	t, _ := grantTargets(e)
	if t == nil {
		setClient(&g, granteeApp(e))
		return g
	}
	// The AppId detail of these records names the API, not the client.
	api := p.resource(t, detail(e, "AppId"))
	setAPI(&g, api, t)
	var added []string
	if sp := prop(t, "DelegatedPermissionGrant.Scope"); sp != nil {
		added = subtract(scopes(sp.New.Items), scopes(sp.Old.Items))
	}
	setPermissions(&g, p.ref.ClassifyScopes(api.AppID, added), false)
	if ct := prop(t, "DelegatedPermissionGrant.ConsentType"); ct != nil {
		g.ConsentType = strings.TrimSpace(ct.New.String())
	}
	if strings.EqualFold(g.ConsentType, consentAll) {
		g.AdminConsent = "true"
	}
	setClient(&g, granteeApp(e))
	return g
}

// consentGrant describes a consent: the scopes the grants after the
// change hold beyond those before it. The record names the API only by the
// object id of its service principal, which differs in every tenant.
func (p *permissionEnricher) consentGrant(e *event.Event) event.GrantFacts {
	before, after := modprop.ParseConsentPermissions(propText(e, "ConsentAction.Permissions"))
	typ := refdata.Delegated
	if modprop.IsTrue(propText(e, "ConsentContext.IsAppOnly")) {
		typ = refdata.Application
	}
	g := event.GrantFacts{Type: string(typ), ConsentType: consentTypeOf(e, after)}
	perms := p.classify(graphAppID, typ, subtract(grantScopes(after), grantScopes(before)))
	if api, ok := p.allKnownTo(graphAppID, perms); ok {
		g.API, g.APIID, g.APISensitive, g.APIInferred = api.Name, api.AppID, api.Sensitive, true
		setPermissions(&g, perms, false)
	} else {
		// Graph classified them by name, as a sensitive API would be;
		// keep no ids: they would be Graph's, and the API may be another.
		setPermissions(&g, perms, true)
	}
	switch v := propText(e, "ConsentContext.IsAdminConsent"); {
	case v != "":
		g.AdminConsent = strconv.FormatBool(modprop.IsTrue(v))
	case g.ConsentType == consentAll:
		g.AdminConsent = "true"
	}
	setClient(&g, consentClient(e, after))
	return g
}

// consentTypeOf is AllPrincipals when the consent was given for everyone,
// Principal when the grants say it was for one user, or "".
func consentTypeOf(e *event.Event, after []modprop.Grant) string {
	if modprop.IsTrue(propText(e, "ConsentContext.OnBehalfOfAll")) {
		return consentAll
	}
	ct := ""
	for _, gr := range after {
		switch {
		case strings.EqualFold(gr.ConsentType, consentAll):
			return consentAll
		case strings.EqualFold(gr.ConsentType, consentPrincipal):
			ct = consentPrincipal
		}
	}
	return ct
}

// consentClient is the application consented to: the service principal
// target, with its app id from the service principal names.
func consentClient(e *event.Event, after []modprop.Grant) event.AppFacts {
	app := targetApp(e)
	if app.ObjectID == "" && len(after) > 0 {
		app.ObjectID = after[0].ClientID
	}
	return app
}

// allKnownTo returns the API apiID when perms, classified on that API,
// are all in the reference data.
func (p *permissionEnricher) allKnownTo(apiID string, perms []refdata.Permission) (refdata.API, bool) {
	if len(perms) == 0 || slices.ContainsFunc(perms, func(c refdata.Permission) bool { return !c.Known }) {
		return refdata.API{}, false
	}
	return p.ref.API(apiID)
}

func (p *permissionEnricher) classify(apiID string, typ refdata.PermissionType, perms []string) []refdata.Permission {
	out := make([]refdata.Permission, 0, len(perms))
	for _, v := range perms {
		out = append(out, p.ref.Classify(apiID, typ, v))
	}
	return out
}

// resource resolves the API a grant is for from the target's service
// principal names, an app id the record gives, or the target's name.
func (p *permissionEnricher) resource(t *event.Target, appID string) refdata.API {
	for _, name := range []string{newText(prop(t, "TargetId.ServicePrincipalNames")), appID, t.Name} {
		if name == "" {
			continue
		}
		if api, ok := p.ref.API(name); ok {
			return api
		}
	}
	return refdata.API{}
}

// setAPI records the API, or what the record says of an API the
// reference data does not know.
func setAPI(g *event.GrantFacts, api refdata.API, t *event.Target) {
	if api.AppID != "" {
		g.API, g.APIID, g.APISensitive = api.Name, api.AppID, api.Sensitive
		return
	}
	g.API = t.Name
	g.APIID = firstGUID(newText(prop(t, "TargetId.ServicePrincipalNames")))
}

// setPermissions stores perms and their highest level; noIDs drops the
// permission ids.
func setPermissions(g *event.GrantFacts, perms []refdata.Permission, noIDs bool) {
	for _, c := range perms {
		perm := event.Permission{Value: c.Value, ID: c.ID, Level: levelText(c.Level)}
		if noIDs {
			perm.ID = ""
		}
		g.Permissions = append(g.Permissions, perm)
	}
	g.Level = levelText(refdata.MaxLevel(perms))
}

func setClient(g *event.GrantFacts, app event.AppFacts) {
	g.ClientSPID, g.ClientAppID, g.ClientName = app.ObjectID, app.ID, app.Name
}

// levelText names a level, or "" when it is unknown.
func levelText(l refdata.Level) string {
	if l == refdata.LevelUnknown {
		return ""
	}
	return l.String()
}

// scopes splits the items of a scope value into scopes.
func scopes(items []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, modprop.ParseScope(it)...)
	}
	return out
}

// grantScopes returns the scopes of every grant.
func grantScopes(gs []modprop.Grant) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Scopes...)
	}
	return out
}

// subtract returns the entries of a not in b, ignoring case, each once.
func subtract(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !inFold(b, s) && !inFold(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// inFold reports whether list holds s, ignoring case.
func inFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
