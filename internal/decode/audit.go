package decode

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// audit normalizes a directory audit record held in m: a Graph
// directoryAudit object, the properties of a diagnostic record (then env is
// the record's envelope) or a Log Analytics AuditLogs row.
func (d *Decoder) audit(e *event.Event, m, env *members) {
	e.Kind = event.KindAudit
	e.ID = m.str(sID)
	e.Time, _ = firstTime(m, sActivityDateTime, sCreatedDateTime, sTimeGenerated)
	e.CorrelationID = m.str(sCorrelationID)
	e.TenantID = m.tenant()
	e.Stream = "AuditLogs"
	if env != nil {
		fromEnvelope(e, env)
		e.Stream = cmp.Or(env.str(sCategory), e.Stream)
	}
	e.Activity = m.first(sActivityDisplayName, sOperationName)
	if e.Activity == "" && env != nil {
		e.Activity = env.str(sOperationName)
	}
	e.ActivityKey = d.activityKey(e.Activity)
	e.Category = m.str(sCategory)
	e.Service = m.str(sLoggedByService)
	e.OperationType = m.str(sOperationType)
	e.Result = auditResult(m.str(sResult))
	e.ResultReason = m.first(sResultReason, sResultDescription)
	initiator := d.json(m, sInitiatedBy)
	e.Actor = d.initiator(initiator)
	initiatorHeld(e, initiator)
	if env != nil {
		fillActorFromEnvelope(&e.Actor, env)
	}
	e.Targets = d.targets(d.json(m, sTargetResources))
	e.Details = details(d.json(m, sAdditionalDetails))
	e.UserAgent = m.str(sUserAgent)
	if e.UserAgent == "" {
		e.UserAgent = detail(e.Details, "User-Agent")
	}
	present(e, m, auditHeld)
	present(e, env, envelopeHeld)
}

// fromEnvelope completes an event read from the properties of a diagnostic
// record with its envelope: the time and correlation id when the
// properties lack them, and the envelope's tenant, which comes first.
func fromEnvelope(e *event.Event, env *members) {
	if e.Time.IsZero() {
		e.Time, _ = firstTime(env, sTime)
	}
	if e.CorrelationID == "" { // read only when needed: it is copied
		e.CorrelationID = env.str(sCorrelationID)
	}
	e.TenantID = cmp.Or(env.str(sTenantID), e.TenantID, tenantFromResource(env.str(sResourceID)))
}

// auditResult maps the ways audit records state their result: "success",
// "failure", "timeout", or the enum's numbers 0, 1 and 2.
func auditResult(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "success", "0", "succeeded", "true":
		return event.ResultSuccess
	case "failure", "1", "timeout", "2", "failed", "false":
		return event.ResultFailure
	}
	return ""
}

// initiator reads an initiatedBy object: {"user": {...}} or {"app": {...}},
// the other side null or missing, or {} for the system.
func (d *Decoder) initiator(v *lazyjson.Value) event.Actor {
	if u := get(v, "user"); hasAny(u, "id", "userPrincipalName", "displayName") {
		return event.Actor{
			Type: event.ActorUser,
			ID:   getStr(u, "id"),
			UPN:  getStr(u, "userPrincipalName"),
			Name: getStr(u, "displayName"),
			IP:   cleanIP(getStr(u, "ipAddress")),
		}
	}
	if a := get(v, "app"); hasAny(a, "appId", "servicePrincipalId", "displayName", "servicePrincipalName") {
		sp := getStr(a, "servicePrincipalId")
		appID := getStr(a, "appId")
		return event.Actor{
			Type:               event.ActorApp,
			ID:                 cmp.Or(sp, appID),
			AppID:              appID,
			ServicePrincipalID: sp,
			Name:               cmp.Or(getStr(a, "displayName"), getStr(a, "servicePrincipalName")),
		}
	}
	return event.Actor{Type: event.ActorSystem}
}

// fillActorFromEnvelope completes the actor from a diagnostic envelope: the
// caller's IP address and the identity's name.
func fillActorFromEnvelope(a *event.Actor, env *members) {
	if a.IP == "" {
		a.IP = cleanIP(env.str(sCallerIP))
	}
	if a.Name == "" && a.Type != event.ActorUser {
		a.Name = env.str(sIdentity)
	}
}

// hasAny reports whether object v has a non-empty member among names.
func hasAny(v *lazyjson.Value, names ...string) bool {
	if v == nil || v.Type() != lazyjson.TypeObject {
		return false
	}
	for _, n := range names {
		if getStr(v, n) != "" {
			return true
		}
	}
	return false
}

// targets reads a targetResources array.
func (d *Decoder) targets(v *lazyjson.Value) []event.Target {
	arr := array(v)
	if len(arr) == 0 {
		return nil
	}
	out := make([]event.Target, 0, len(arr))
	for _, t := range arr {
		if t.Type() != lazyjson.TypeObject {
			continue
		}
		out = append(out, event.Target{
			ID:    getStr(t, "id"),
			Type:  getStr(t, "type"),
			Name:  getStr(t, "displayName"),
			UPN:   getStr(t, "userPrincipalName"),
			Props: d.modified(get(t, "modifiedProperties")),
		})
	}
	return out
}

// array returns the elements of v when it is an array, or v alone when it
// is an object (some exports hold a single target unwrapped).
func array(v *lazyjson.Value) []*lazyjson.Value {
	if v == nil {
		return nil
	}
	switch v.Type() {
	case lazyjson.TypeArray:
		return v.GetArray()
	case lazyjson.TypeObject:
		return []*lazyjson.Value{v}
	}
	return nil
}

// modified reads a modifiedProperties array, decoding each value from its
// JSON-in-a-string form.
func (d *Decoder) modified(v *lazyjson.Value) []event.Property {
	arr := array(v)
	if len(arr) == 0 {
		return nil
	}
	out := make([]event.Property, 0, len(arr))
	for _, p := range arr {
		out = append(out, event.Property{
			Name: getStr(p, "displayName"),
			Old:  d.props.Decode(rawValue(get(p, "oldValue"))),
			New:  d.props.Decode(rawValue(get(p, "newValue"))),
		})
	}
	return out
}

// rawValue returns the text to decode for a property value: the content of
// a JSON string, or the JSON text of anything else.
func rawValue(v *lazyjson.Value) string {
	if v == nil || v.Type() == lazyjson.TypeNull {
		return ""
	}
	if v.Type() == lazyjson.TypeString {
		return v.UniqueText()
	}
	return v.JSON()
}

// details reads an additionalDetails array of {key, value} objects.
func details(v *lazyjson.Value) []event.Detail {
	arr := array(v)
	if len(arr) == 0 {
		return nil
	}
	out := make([]event.Detail, 0, len(arr))
	for _, kv := range arr {
		k := getStr(kv, "key")
		if k == "" {
			continue
		}
		out = append(out, event.Detail{Key: k, Value: getStr(kv, "value")})
	}
	return out
}

// detail returns the value of additional detail key.
func detail(ds []event.Detail, key string) string {
	for _, d := range ds {
		if strings.EqualFold(d.Key, key) {
			return d.Value
		}
	}
	return ""
}

// cleanIP drops the placeholders exports write for a missing address.
func cleanIP(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "<null>", "null", "n/a", "na", "<redacted>", "-":
		return ""
	}
	return strings.TrimSpace(s)
}

// tenantFromResource returns the tenant id of a resource id such as
// /tenants/<id>/providers/Microsoft.aadiam.
func tenantFromResource(id string) string {
	const prefix = "/tenants/"
	if len(id) < len(prefix) || !strings.EqualFold(id[:len(prefix)], prefix) {
		return ""
	}
	rest := id[len(prefix):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return strings.ToLower(rest)
}
