package enrich

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// appFrom says where a record names the application it is about.
type appFrom uint8

const (
	fromTarget  appFrom = iota + 1 // the application or service principal target
	fromGrantee                    // ServicePrincipal.* properties, else the second target
	fromOwner                      // Application.* or ServicePrincipal.* properties, else the other target
)

// appEnricher finds the application a record is about (see
// event.AppFacts), whether it is a Microsoft first-party app and whether
// its name deserves a look.
type appEnricher struct {
	ref    *refdata.Data
	names  *nameChecker
	from   map[string]appFrom
	roles  map[string]refdata.AuditActivity
	tenant *Tenant // may be nil
}

func newAppEnricher(ref *refdata.Data, tenant *Tenant) *appEnricher {
	a := &appEnricher{ref: ref, names: newNameChecker(ref), from: make(map[string]appFrom), roles: roleActivities(ref), tenant: tenant}
	add := func(f appFrom, set activitySet) {
		for k := range set {
			a.from[k] = f
		}
	}
	add(fromTarget, credentialActivities())
	add(fromTarget, uriActivities())
	add(fromTarget, activities("Consent to application"))
	add(fromGrantee, activities(
		"Add app role assignment to service principal",
		"Remove app role assignment from service principal",
		"Add delegated permission grant",
		"Remove delegated permission grant",
	))
	add(fromOwner, activities(
		"Add owner to application", "Add owner to service principal",
		"Remove owner from application", "Remove owner from service principal",
	))
	return a
}

// Name returns "app".
func (a *appEnricher) Name() string { return "app" }

// Enrich fills e.Derived.App.
func (a *appEnricher) Enrich(e *event.Event) {
	var app event.AppFacts
	switch e.Kind {
	case event.KindSignIn:
		app = event.AppFacts{ID: e.SignIn.AppID, ObjectID: e.SignIn.ServicePrincipalID, Name: e.SignIn.AppName}
	case event.KindKeyVault:
		app = event.AppFacts{ID: e.Actor.AppID}
		if e.Actor.Type == event.ActorApp {
			app.ObjectID, app.Name = e.Actor.ServicePrincipalID, e.Actor.Name
		}
	case event.KindActivity:
		if isAzureRoleAssignment(e) && strings.EqualFold(e.Azure.PrincipalType, typeServicePrincipal) {
			app = event.AppFacts{ObjectID: e.Azure.PrincipalID}
		}
	case event.KindAudit:
		app = a.auditApp(e)
	}
	if app.ID == "" && app.ObjectID == "" && app.Name == "" {
		return
	}
	if app.ID != "" {
		_, app.FirstParty = a.ref.FirstPartyApp(app.ID)
	}
	if !app.FirstParty {
		app.Suspicious = a.names.check(app.Name)
	}
	e.Derived.App = app
}

// auditApp finds the application of an audit record.
func (a *appEnricher) auditApp(e *event.Event) event.AppFacts {
	if _, ok := a.roles[e.ActivityKey]; ok {
		return roleMemberApp(e, a.tenant)
	}
	switch a.from[e.ActivityKey] {
	case fromTarget:
		return targetApp(e)
	case fromGrantee:
		return granteeApp(e)
	case fromOwner:
		return ownedApp(e)
	}
	return event.AppFacts{}
}

// targetApp reads the application or service principal the record acted
// on. Its app id comes from the service principal names, an AppId or
// AppPrincipalId property, or the AppId additional detail.
func targetApp(e *event.Event) event.AppFacts {
	t := firstOf(e, typeApplication, typeServicePrincipal)
	if t == nil {
		if len(e.Targets) != 1 {
			return event.AppFacts{}
		}
		t = &e.Targets[0] // the record's only target, of a type it did not give
	}
	id := firstGUID(newText(prop(t, "TargetId.ServicePrincipalNames")))
	for _, name := range []string{"AppId", "AppPrincipalId"} {
		if id == "" {
			id = newText(prop(t, name))
		}
	}
	if id == "" {
		id = detail(e, "AppId")
	}
	return event.AppFacts{ID: id, ObjectID: t.ID, Name: t.Name}
}

// grantTargets finds, in the record of an app role assignment or a
// delegated grant, the resource API's service principal and the target
// of the client given the permission. The API carries the AppRole.* or
// DelegatedPermissionGrant.* properties, and names the client in its
// ServicePrincipal.ObjectID property; a record without them names the
// API and the client as two service principals. Either may be nil.
func grantTargets(e *event.Event) (api, client *event.Target) {
	api = targetWith(e, "AppRole.Id", "AppRole.Value", "DelegatedPermissionGrant.Scope", "DelegatedPermissionGrant.ConsentType")
	clientID := propText(e, "ServicePrincipal.ObjectID")
	for i := range e.Targets {
		t := &e.Targets[i]
		if t == api || !isAppType(t) {
			continue
		}
		switch {
		case clientID != "" && strings.EqualFold(t.ID, clientID):
			client = t
		case api == nil && clientID != "":
			api = t
		case api == nil:
			api = t // without properties the API comes before the client
		case client == nil && clientID == "":
			client = t
		}
	}
	return api, client
}

// granteeApp reads the service principal given an app role or a delegated
// grant: the ServicePrincipal.* properties, or else the client target.
func granteeApp(e *event.Event) event.AppFacts {
	app := event.AppFacts{
		ID:       propText(e, "ServicePrincipal.AppId"),
		ObjectID: propText(e, "ServicePrincipal.ObjectID"),
		Name:     propText(e, "ServicePrincipal.DisplayName"),
	}
	if app.ObjectID != "" || app.ID != "" {
		return app
	}
	if _, client := grantTargets(e); client != nil {
		return otherTarget(client)
	}
	return app
}

// otherTarget reads an application from a target that carries no
// properties. Some records put the app id in its display name.
func otherTarget(t *event.Target) event.AppFacts {
	if uricheck.IsGUID(t.Name) {
		return event.AppFacts{ID: t.Name, ObjectID: t.ID}
	}
	return event.AppFacts{ObjectID: t.ID, Name: t.Name}
}

// ownerProps are the properties with which an owner record describes the
// object owned; they sit on the owner's target.
var ownerProps = []string{
	"Application.ObjectID", "Application.AppId", "Application.DisplayName",
	"ServicePrincipal.ObjectID", "ServicePrincipal.AppId", "ServicePrincipal.DisplayName",
}

// ownedApp reads the application or service principal given an owner:
// the Application.* or ServicePrincipal.* properties on the owner target,
// or else the application or service principal target that is not the
// owner.
func ownedApp(e *event.Event) event.AppFacts {
	for _, kind := range []string{typeApplication, typeServicePrincipal} {
		app := event.AppFacts{
			ID:       propText(e, kind+".AppId"),
			ObjectID: propText(e, kind+".ObjectID"),
			Name:     propText(e, kind+".DisplayName"),
		}
		if app.ID != "" || app.ObjectID != "" {
			return app
		}
	}
	owner := targetWith(e, ownerProps...)
	if owner == nil {
		owner = firstOf(e, "User")
	}
	var found *event.Target
	for i := range e.Targets {
		if t := &e.Targets[i]; t != owner && isAppType(t) {
			// A service principal can own one: when two carry no
			// properties, the owner is logged before what it owns.
			found = t
		}
	}
	if found == nil {
		return event.AppFacts{}
	}
	return otherTarget(found)
}

// roleMemberApp reads the service principal given or losing a directory
// role. PIM's records do not give its app id; the tenant snapshot, when
// there is one, does, and also tells a service principal from a member
// of a type the record does not give.
func roleMemberApp(e *event.Event, tenant *Tenant) event.AppFacts {
	t := roleMember(e)
	if t == nil {
		return event.AppFacts{}
	}
	sp, known := tenant.ServicePrincipal(t.ID)
	if !strings.EqualFold(t.Type, typeServicePrincipal) && !(known && !isPrincipalType(t.Type)) {
		return event.AppFacts{}
	}
	app := event.AppFacts{
		ID:       firstGUID(newText(prop(t, "TargetId.ServicePrincipalNames"))),
		ObjectID: t.ID,
		Name:     t.Name,
	}
	if known {
		app.ID, app.Name = cmp.Or(app.ID, sp.AppID), cmp.Or(app.Name, sp.DisplayName)
	}
	return app
}
