package decode

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
	"github.com/appwatch/appwatch/internal/modprop"
)

// audit2018 normalizes a record of the audit schema Azure Monitor used
// before general availability (category "Audit"): the activity is the
// operation name, the initiator is a plain identity, the target is spelled
// out in targetResourceType and targetResourceName joined with "__", and
// modified properties are plain text in targetUpdatedProperties.
func (d *Decoder) audit2018(e *event.Event, env *members, props *lazyjson.Value) {
	e.Kind = event.KindAudit
	e.Time, _ = firstTime(env, sTime)
	e.ID = env.str(sCorrelationID)
	e.CorrelationID = env.str(sCorrelationID)
	e.TenantID = cmp.Or(env.str(sTenantID), tenantFromResource(env.str(sResourceID)))
	e.Stream = env.str(sCategory)
	e.Activity = env.str(sOperationName)
	e.ActivityKey = d.activityKey(e.Activity)
	e.Category = getStr(props, "auditEventCategory")
	e.OperationType = getStr(props, "operationType")
	e.Result = auditResult(env.str(sResultType))
	e.ResultReason = env.str(sResultDescription)
	present(e, env, correlationHeld)
	present(e, env, legacyHeld)
	e.Actor = legacyActor(env.str(sIdentity), getStr(props, "identityType"), cleanIP(env.str(sCallerIP)))
	if t, ok := legacyTarget(getStr(props, "targetResourceType"), getStr(props, "targetResourceName")); ok {
		t.Props = legacyProps(get(props, "targetUpdatedProperties"))
		e.Targets = []event.Target{t}
	}
}

// legacyActor reads the 2018 identity, where "NA" means none.
func legacyActor(identity, identityType, ip string) event.Actor {
	if strings.EqualFold(identity, "NA") {
		identity = ""
	}
	a := event.Actor{Type: event.ActorSystem, Name: identity, IP: ip}
	switch {
	case strings.EqualFold(identityType, "User") || strings.Contains(identity, "@"):
		a.Type = event.ActorUser
		if strings.Contains(identity, "@") {
			a.UPN = identity
		}
	case strings.EqualFold(identityType, "Application") || strings.EqualFold(identityType, "ServicePrincipal"):
		a.Type = event.ActorApp
	}
	return a
}

// legacyTarget zips the "__"-joined type names with the "__"-joined values,
// such as Other__ObjectID__ObjectClass__Name__AppId__SPN with
// ServicePrincipal_<id>__<id>__ServicePrincipal__Salesforce__<appid>__<spn>.
func legacyTarget(types, names string) (event.Target, bool) {
	if types == "" && names == "" {
		return event.Target{}, false
	}
	ks := strings.Split(types, "__")
	vs := strings.Split(names, "__")
	var t event.Target
	for i, k := range ks {
		if i >= len(vs) {
			break
		}
		switch strings.ToLower(k) {
		case "objectid":
			t.ID = vs[i]
		case "objectclass":
			t.Type = vs[i]
		case "name":
			t.Name = vs[i]
		case "userprincipalname", "upn":
			t.UPN = vs[i]
		}
	}
	if t.Type == "" && len(ks) > 0 {
		t.Type = ks[0]
	}
	return t, true
}

// legacyProps reads targetUpdatedProperties [{Name, OldValue, NewValue}],
// whose values are plain text.
func legacyProps(v *lazyjson.Value) []event.Property {
	var out []event.Property
	for _, p := range array(v) {
		out = append(out, event.Property{
			Name: getStr(p, "Name"),
			Old:  plainValue(getStr(p, "OldValue")),
			New:  plainValue(getStr(p, "NewValue")),
		})
	}
	return out
}

func plainValue(s string) modprop.Value {
	v := modprop.Value{Raw: s}
	if s != "" {
		v.Items = []string{s}
	}
	return v
}
