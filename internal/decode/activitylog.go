package decode

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// Activity Log events reach us in three shapes: the REST / portal export
// (operationName {value, localizedValue}, eventTimestamp, claims, caller),
// the diagnostic record of an Event Hub or storage export (operationName as
// text, identity {authorization, claims}) and the Log Analytics AzureActivity
// table (OperationNameValue, Properties and Claims as JSON in strings). In
// every shape the event's activity is the operation
// (Microsoft.KeyVault/vaults/write), which is what rules compare; the
// localized name the REST export and Log Analytics add is kept beside it.

// activityLog normalizes an Activity Log event from the REST export or the
// AzureActivity table.
func (d *Decoder) activityLog(e *event.Event, m *members, layout string) (string, string) {
	if !m.pascal {
		layout = LayoutActivityLog
	}
	e.Kind = event.KindActivity
	e.Time, _ = firstTime(m, sEventTimestamp, sTimeGenerated, sTime)
	e.CorrelationID = m.str(sCorrelationID)
	e.ID = e.CorrelationID
	present(e, m, correlationHeld)
	e.Stream = cmp.Or(valueOf(m, sCategory), "Administrative")
	a := &e.Azure
	a.Operation = cmp.Or(m.str(sOperationNameValue), valueOf(m, sOperationName))
	a.OperationDisplay = localized(m.v[sOperationName])
	if m.pascal && m.has(sOperationNameValue) {
		a.OperationDisplay = m.str(sOperationName)
	}
	e.Activity = a.Operation
	e.ActivityKey = d.activityKey(e.Activity)
	a.Provider = valueOf(m, sResourceProvider)
	a.ResourceID = cmp.Or(m.column("_ResourceId"), m.str(sResourceID))
	a.Status = cmp.Or(m.str(sActivityStatus), valueOf(m, sStatus))
	e.Result = activityResult(a.Status)
	authz := d.json(m, sAuthorization)
	a.Scope = getStr(authz, "scope")
	claims := d.json(m, sClaims)
	e.TenantID = cmp.Or(m.tenant(), claimTenant(claims))
	e.Actor = claimsActor(claims, cleanIP(m.first(sCallerIP)))
	if e.Actor.UPN == "" && strings.Contains(m.str(sCaller), "@") {
		e.Actor.Type, e.Actor.UPN = event.ActorUser, m.str(sCaller)
	}
	if e.Actor.IP == "" {
		e.Actor.IP = cleanIP(getStr(get(m.obj, "httpRequest"), "clientIpAddress"))
	}
	d.roleAssignment(a, e.CorrelationID, d.json(m, sProperties))
	return layout, ""
}

// activityDiagnostic normalizes an Activity Log diagnostic record.
func (d *Decoder) activityDiagnostic(e *event.Event, env *members, props *lazyjson.Value) (string, string) {
	e.Kind = event.KindActivity
	e.Time, _ = firstTime(env, sTime)
	e.CorrelationID = env.str(sCorrelationID)
	e.ID = e.CorrelationID
	present(e, env, correlationHeld)
	e.Stream = env.str(sCategory)
	a := &e.Azure
	a.Operation = env.str(sOperationName)
	e.Activity = a.Operation
	e.ActivityKey = d.activityKey(e.Activity)
	a.ResourceID = env.str(sResourceID)
	a.Provider = providerOf(a.Operation)
	a.Status = env.str(sResultType)
	e.Result = activityResult(a.Status)
	identity := env.v[sIdentity]
	a.Scope = getStr(get(identity, "authorization"), "scope")
	claims := get(identity, "claims")
	e.TenantID = cmp.Or(env.str(sTenantID), claimTenant(claims))
	e.Actor = claimsActor(claims, cleanIP(env.str(sCallerIP)))
	d.roleAssignment(a, e.CorrelationID, props)
	return LayoutDiagnostic, ""
}

// roleAssignment reads the principal and role of a role assignment from the
// request or response body in the event's properties. Only the Started
// event carries the request body; Sequencer keeps its facts by correlation
// id for the events that complete the same operation, which d.role marks.
func (d *Decoder) roleAssignment(a *event.Azure, correlation string, props *lazyjson.Value) {
	if !strings.EqualFold(a.Operation, "Microsoft.Authorization/roleAssignments/write") {
		return
	}
	for _, k := range [...]string{"requestbody", "responseBody"} {
		body := get(props, k)
		if body != nil && body.Type() == lazyjson.TypeString {
			body = d.jsonText(string(body.GetStringBytes()))
		}
		p := get(body, "properties")
		if p == nil {
			continue
		}
		a.PrincipalID = getStr(p, "principalId")
		a.PrincipalType = getStr(p, "principalType")
		a.RoleDefinitionID = lastSegment(getStr(p, "roleDefinitionId"))
		a.Scope = cmp.Or(getStr(p, "scope"), a.Scope)
		if correlation != "" {
			d.role = roleRemember
		}
		return
	}
	if correlation != "" {
		d.role = roleRecall
	}
}

// valueOf returns a member that is either text or a {value, localizedValue}
// object, as the Activity Log writes names.
func valueOf(m *members, s slot) string {
	if v := m.v[s]; v != nil && v.Type() == lazyjson.TypeObject {
		return getStr(v, "value")
	}
	return m.str(s)
}

// localized returns the localizedValue of a {value, localizedValue} object.
func localized(v *lazyjson.Value) string {
	if v == nil || v.Type() != lazyjson.TypeObject {
		return ""
	}
	return getStr(v, "localizedValue")
}

// activityResult maps an Activity Log status: Succeeded and Success are
// success, Failed and Failure failure, Started and Accepted unknown.
func activityResult(status string) string {
	switch strings.ToLower(status) {
	case "succeeded", "success":
		return event.ResultSuccess
	case "failed", "failure":
		return event.ResultFailure
	}
	return ""
}

// providerOf returns the resource provider of an operation name such as
// MICROSOFT.KEYVAULT/VAULTS/WRITE.
func providerOf(op string) string {
	if i := strings.IndexByte(op, '/'); i > 0 {
		return op[:i]
	}
	return ""
}

// lastSegment returns the part of a path after its last slash.
func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}
