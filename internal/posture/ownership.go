package posture

import (
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// ownershipChecks judges who owns the tenant's apps: nobody, guests,
// users without a strong authentication method, other service
// principals; and which Agent ID objects have no sponsor.
//
// appwatch's stance on owners: an owner of an app can add a credential
// to it and act as the app, so ownership is a privilege, not a record of
// who is accountable. Privileged apps should have no owners in Microsoft
// Entra ID (privileged-app-user-owner and the credential path check
// report those they have) and record who answers for them in the app's
// notes; an unprivileged app with neither owners nor notes is reported
// because nobody is known to answer for it.
func (e *evaluator) ownershipChecks() {
	reg := map[string]*snapshot.UserRegistration{}
	for i := range e.s.UserRegistrations {
		reg[strings.ToLower(e.s.UserRegistrations[i].ID)] = &e.s.UserRegistrations[i]
	}
	for i := range e.s.Applications {
		a := &e.s.Applications[i]
		obj := appObject(a, i)
		if a.Owners != nil {
			e.judged(AppWithoutOwner, 1)
			if len(a.Owners) == 0 && strings.TrimSpace(a.Notes) == "" {
				ev := map[string]any{"owners": 0}
				if p := e.appPrivilege(a); p != nil {
					ev["privileges"] = p.evidence()
				}
				e.add(AppWithoutOwner, obj, "", ev)
			}
		}
		e.owners(obj, a.Owners, e.appPrivilege(a), reg)
	}
	for i := range e.s.ServicePrincipals {
		sp := &e.s.ServicePrincipals[i]
		if !e.ownApp(sp) {
			continue
		}
		e.owners(e.spObject(sp), sp.Owners, e.privilege[sp.ID], reg)
	}
	e.sponsors()
}

// ownApp reports whether a service principal belongs to the tenant: its
// app is registered here, or its owner organisation is the tenant.
func (e *evaluator) ownApp(sp *snapshot.ServicePrincipal) bool {
	if _, ok := e.appIndex[strings.ToLower(sp.AppID)]; ok {
		return true
	}
	return e.tenantID != "" && strings.EqualFold(sp.AppOwnerOrganizationID, e.tenantID)
}

// owners reports the guest, weakly authenticated and service principal
// owners of one object.
func (e *evaluator) owners(obj object, owners []snapshot.Owner, priv *privilege, reg map[string]*snapshot.UserRegistration) {
	if len(owners) == 0 {
		return
	}
	e.judged(AppOwnerGuest, 1)
	e.judged(AppOwnerServicePrincipal, 1)
	var guests, weak, sps []map[string]any
	judgedAuth := false
	for _, o := range owners {
		switch kind := o.Kind(); {
		case strings.EqualFold(kind, "servicePrincipal") || strings.HasPrefix(kind, "agentIdentity"):
			sps = append(sps, ownerFact(o))
			continue
		case !strings.EqualFold(kind, "user") && (kind != "" || o.UserPrincipalName == ""):
			continue
		}
		if guest(o) {
			guests = append(guests, ownerFact(o))
		}
		if len(reg) == 0 {
			continue
		}
		if r := reg[strings.ToLower(o.ID)]; r != nil {
			judgedAuth = true
			if !strongMethod(r) {
				f := ownerFact(o)
				f["methods_registered"] = r.MethodsRegistered
				weak = append(weak, f)
			}
		}
	}
	if judgedAuth {
		e.judged(AppOwnerWeakAuth, 1)
	}
	level := ""
	ev := func(key string, list []map[string]any) map[string]any {
		m := map[string]any{key: list}
		if priv != nil {
			m["privileges"] = priv.evidence()
		}
		return m
	}
	if priv != nil {
		level = alert.LevelHigh
	}
	if len(guests) > 0 {
		e.add(AppOwnerGuest, obj, level, ev("owners", guests))
	}
	if len(weak) > 0 {
		e.add(AppOwnerWeakAuth, obj, level, ev("owners", weak))
	}
	if len(sps) > 0 {
		e.add(AppOwnerServicePrincipal, obj, level, ev("owners", sps))
	}
}

func ownerFact(o snapshot.Owner) map[string]any {
	m := map[string]any{}
	putStr(m, "id", o.ID)
	putStr(m, "type", o.Kind())
	putStr(m, "name", o.DisplayName)
	putStr(m, "upn", o.UserPrincipalName)
	putStr(m, "user_type", o.UserType)
	return m
}

// guest reports whether a user is a guest: its user type says so, or its
// user principal name is that of an invited external user.
func guest(o snapshot.Owner) bool {
	return strings.EqualFold(o.UserType, "Guest") || strings.Contains(o.UserPrincipalName, "#EXT#") || strings.Contains(o.UserPrincipalName, "#ext#")
}

// weakMethods are the authentication methods that do not count as
// strong: phone calls and texts, email and security questions.
var weakMethods = map[string]bool{
	"mobilephone": true, "alternatemobilephone": true, "officephone": true, "email": true, "securityquestion": true,
}

// strongMethod reports whether a user has registered a strong
// authentication method.
func strongMethod(r *snapshot.UserRegistration) bool {
	for _, m := range r.MethodsRegistered {
		if !weakMethods[strings.ToLower(m)] {
			return true
		}
	}
	return false
}

// sponsors reports Agent ID objects that have no sponsor: nobody is
// known to answer for what the agent does.
func (e *evaluator) sponsors() {
	if !e.on(AgentWithoutSponsor) {
		return
	}
	for i := range e.s.Agents {
		a := &e.s.Agents[i]
		e.judged(AgentWithoutSponsor, 1)
		if len(a.Sponsors) > 0 {
			continue
		}
		obj := object{typ: typeOf(a.Kind()), id: a.ID, index: i}
		owners := 0
		if sp := e.spByID[a.ID]; sp != nil {
			obj, owners = e.spObject(sp), len(sp.Owners)
		} else if j, ok := e.appByID[a.ID]; ok {
			obj, owners = appObject(&e.s.Applications[j], j), len(e.s.Applications[j].Owners)
		}
		ev := map[string]any{"kind": a.Kind(), "sponsors": 0, "owners": owners}
		putStr(ev, "blueprint_app_id", a.BlueprintAppID)
		e.add(AgentWithoutSponsor, obj, "", ev)
	}
}

// typeOf returns the target type of an object of Graph type kind: the
// type with a capital letter, or "ServicePrincipal" for none.
func typeOf(kind string) string {
	if kind == "" {
		return "ServicePrincipal"
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}
