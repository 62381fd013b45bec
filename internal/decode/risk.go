package decode

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
)

// Entra ID Protection risk detections come as Microsoft Graph riskDetection
// and servicePrincipalRiskDetection objects, as diagnostic records of the
// categories UserRiskEvents and ServicePrincipalRiskEvents (Event Hub,
// storage) and as rows of the Log Analytics tables AADUserRiskEvents and
// AADServicePrincipalRiskEvents. All of them carry riskEventType.

// isRisk reports whether m holds a risk detection.
func isRisk(m *members) bool { return m.has(sRiskEventType) || m.has(sRiskType) && m.has(sRiskState) }

// riskCategories are the diagnostic categories of risk detections.
var riskCategories = []string{"UserRiskEvents", "ServicePrincipalRiskEvents"}

func isRiskCategory(c string) bool {
	for _, s := range riskCategories {
		if strings.EqualFold(c, s) {
			return true
		}
	}
	return false
}

// riskDetection normalizes a risk detection held in m: a Graph object, a
// Log Analytics row, or the properties of a diagnostic record (then env is
// the envelope).
func (d *Decoder) riskDetection(e *event.Event, m, env *members) {
	e.Kind = event.KindRisk
	e.ID = m.str(sID)
	e.Time, _ = firstTime(m, sActivityDateTime, sDetectedDateTime, sTimeGenerated)
	e.CorrelationID = m.str(sCorrelationID)
	e.TenantID = m.tenant()
	e.Stream = riskStream(m.str(sType), m.has(sSPID))
	e.Activity = "Risk detection"
	if env != nil {
		fromEnvelope(e, env)
		e.Stream = env.str(sCategory)
		e.Activity = cmp.Or(env.str(sOperationName), e.Activity)
	}
	e.ActivityKey = d.activityKey(e.Activity)
	r := &e.Risk
	r.EventType = m.first(sRiskEventType, sRiskType)
	r.State = m.str(sRiskState)
	r.Level = m.str(sRiskLevelPlain)
	r.Detail = m.str(sRiskDetail)
	r.Source = m.str(sSource)
	r.Timing = m.str(sDetectionTiming)
	r.Activity = m.str(sActivityDisplayName)
	present(e, m, riskHeld)
	present(e, env, envelopeHeld)
	ip := cleanIP(m.str(sIPAddress))
	if sp := m.str(sSPID); sp != "" {
		e.Actor = event.Actor{Type: event.ActorApp, ID: sp, ServicePrincipalID: sp, AppID: m.str(sAppID),
			Name: cmp.Or(m.str(sSPName), m.str(sAppDisplayName)), IP: ip}
		return
	}
	e.Actor = event.Actor{Type: event.ActorUser, ID: m.str(sUserID), UPN: m.str(sUPN), Name: m.str(sUserDisplayName), IP: ip}
}

// riskStream names the stream of a risk detection read from Graph or Log
// Analytics: the diagnostic category it would have.
func riskStream(table string, servicePrincipal bool) string {
	if servicePrincipal || strings.EqualFold(table, "AADServicePrincipalRiskEvents") {
		return "ServicePrincipalRiskEvents"
	}
	return "UserRiskEvents"
}
