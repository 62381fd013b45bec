package decode

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
)

// Limits of the Entra portal's audit CSV download: it keeps at most three
// targets with five modified properties each, and six additional details.
const (
	portalTargets    = 3
	portalProperties = 5
	portalDetails    = 6
)

// portalAudit normalizes a row of the Entra portal's audit log CSV download,
// which flattens targets, modified properties and additional details into
// numbered columns (Target1ModifiedProperty1Name, ...). The download has no
// record id; the correlation id stands in for it.
func (d *Decoder) portalAudit(e *event.Event, m *members, row csvRow) {
	e.Kind = event.KindAudit
	e.Time, _ = firstTime(m, sCreatedDateTime)
	e.CorrelationID = m.str(sCorrelationID)
	e.ID = e.CorrelationID
	e.Stream = "AuditLogs"
	e.Activity = m.str(sActivityDisplayName)
	e.ActivityKey = d.activityKey(e.Activity)
	e.Category = m.str(sCategory)
	e.Service = m.str(sLoggedByService)
	e.Result = auditResult(m.str(sResult))
	e.ResultReason = m.str(sResultReason)
	e.UserAgent = m.str(sUserAgent)
	e.Actor = portalActor(row)
	e.TenantID = row.get("ActorHomeTenantId")
	present(e, m, auditHeld)
	present(e, m, correlationHeld)
	for i := 1; i <= portalTargets; i++ {
		if t, ok := d.portalTarget(row, "Target"+strconv.Itoa(i)); ok {
			e.Targets = append(e.Targets, t)
		}
	}
	for i := 1; i <= portalDetails; i++ {
		n := strconv.Itoa(i)
		if k := row.get("AdditionalDetail" + n + "Key"); k != "" {
			e.Details = append(e.Details, event.Detail{Key: k, Value: row.get("AdditionalDetail" + n + "Value")})
		}
	}
}

// portalActor reads the Actor* columns.
func portalActor(row csvRow) event.Actor {
	a := event.Actor{
		Name: row.get("ActorDisplayName"),
		ID:   row.get("ActorObjectId"),
		UPN:  row.get("ActorUserPrincipalName"),
		IP:   cleanIP(row.get("IPAddress")),
	}
	sp := row.get("ActorServicePrincipalId")
	switch typ := strings.ToLower(row.get("ActorType")); {
	case typ == "user" || a.UPN != "":
		a.Type = event.ActorUser
	case typ == "application" || typ == "serviceprincipal" || typ == "app" || sp != "":
		a.Type = event.ActorApp
		a.ServicePrincipalID = sp
		a.ID = cmp.Or(sp, a.ID)
		a.Name = cmp.Or(a.Name, row.get("ActorServicePrincipalName"))
	default:
		a.Type = event.ActorSystem
	}
	return a
}

// portalTarget reads the columns of one numbered target.
func (d *Decoder) portalTarget(row csvRow, prefix string) (event.Target, bool) {
	t := event.Target{
		Type: row.get(prefix + "Type"),
		Name: row.get(prefix + "DisplayName"),
		ID:   row.get(prefix + "ObjectId"),
		UPN:  row.get(prefix + "UserPrincipalName"),
	}
	for j := 1; j <= portalProperties; j++ {
		p := prefix + "ModifiedProperty" + strconv.Itoa(j)
		name := row.get(p + "Name")
		if name == "" {
			continue
		}
		t.Props = append(t.Props, event.Property{
			Name: name,
			Old:  d.props.Decode(row.get(p + "OldValue")),
			New:  d.props.Decode(row.get(p + "NewValue")),
		})
	}
	ok := t.Type != "" || t.Name != "" || t.ID != "" || len(t.Props) > 0
	return t, ok
}
