package decode

import (
	"fmt"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// Layout names, as reported in Stats and event.Source.Format.
const (
	LayoutGraph           = "graph"             // Microsoft Graph objects, list responses and portal JSON downloads
	LayoutDiagnostic      = "diagnostic"        // Azure Monitor diagnostic records (Event Hub, storage)
	LayoutDiagnostic2018  = "diagnostic-2018"   // the 2018 audit schema (category Audit)
	LayoutLogAnalytics    = "loganalytics-json" // Log Analytics rows exported as JSON
	LayoutLogAnalyticsCSV = "loganalytics-csv"  // Log Analytics rows exported as CSV
	LayoutLogAnalyticsAPI = "loganalytics-api"  // Log Analytics query API response (tables/rows)
	LayoutPortalCSV       = "portal-csv"        // Entra portal CSV downloads
	LayoutActivityLog     = "activitylog"       // Azure Activity Log events (REST / portal export)
)

// Skip reasons: records that are understood but not analysed, then
// records that could not be read. Stats.Skipped counts records by them,
// and the read summary translates them.
const (
	skipNotObject   = "not a JSON object"
	skipUnknown     = "unrecognised record"
	skipGraphObject = "Microsoft Graph directory object (read by appwatch posture, not scan)"
	skipNotArray    = "table row that is not an array"
	skipJSON        = "invalid JSON"
	skipCSV         = "invalid CSV"
	skipColumns     = "CSV row with missing columns"
	skipCut         = "input cut short"
	// Records of a layout appwatch reads, from a table or category it
	// does not analyse; Stats.Skipped names the table or category.
	skipTable    = "Log Analytics table %s is not analysed"
	skipCategory = "log category %s is not analysed"
)

// SkipReasons returns every reason a record can be skipped for, as
// Stats.Skipped names them; the last two are formats that take the name
// of a table or log category (see SkipMessage).
func SkipReasons() []string {
	return []string{skipNotObject, skipUnknown, skipGraphObject, skipNotArray, skipJSON, skipCSV, skipColumns, skipCut, skipTable, skipCategory}
}

// SkipMessage returns a reason as Stats.Skipped names it as a Message, to
// be shown in the user's language: its format is one of SkipReasons, and
// the name of a table or log category is its argument.
func SkipMessage(reason string) Message {
	for _, f := range [...]string{skipTable, skipCategory} {
		before, after, _ := strings.Cut(f, "%s")
		if name, ok := strings.CutPrefix(reason, before); ok {
			if name, ok = strings.CutSuffix(name, after); ok {
				return message(f, name)
			}
		}
	}
	return Message{Format: reason}
}

// object normalizes one JSON object into e. It returns the layout, or the
// reason the record is skipped.
func (d *Decoder) object(e *event.Event, v *lazyjson.Value) (string, string) {
	if v.Type() != lazyjson.TypeObject {
		return "", skipNotObject
	}
	out := &d.outer
	out.reset()
	out.fromObject(v)
	if props := out.v[sProperties]; props != nil && props.Type() == lazyjson.TypeObject && out.has(sTime) {
		return d.diagnostic(e, out, props)
	}
	layout := LayoutGraph
	if out.pascal {
		layout = LayoutLogAnalytics
	}
	return d.flat(e, out, layout)
}

// flat normalizes a record whose fields are at the top level: a Graph
// object, a portal download, a Log Analytics row or an Activity Log event.
// layout is where the record came from.
func (d *Decoder) flat(e *event.Event, m *members, layout string) (string, string) {
	switch {
	case isRisk(m):
		d.riskDetection(e, m, nil)
		return layout, ""
	case m.has(sActivityDisplayName) || m.has(sInitiatedBy) || m.has(sTargetResources):
		d.audit(e, m, nil)
		return layout, ""
	case m.has(sOperationNameValue) || m.has(sEventTimestamp):
		return d.activityLog(e, m, layout)
	case isKeyVaultRow(m):
		d.keyVaultRow(e, m)
		return layout, ""
	case isSignIn(m):
		d.signIn(e, m, nil)
		return layout, ""
	case m.has(sType) && m.pascal:
		return "", fmt.Sprintf(skipTable, m.str(sType))
	case isGraphObject(m.obj):
		return "", skipGraphObject
	}
	return "", skipUnknown
}

// isSignIn reports whether m holds a sign-in record: Graph signIn objects
// and sign-in table rows have a creation time and a status, protocol,
// client app or conditional access status, which directory objects such as
// applications do not.
func isSignIn(m *members) bool {
	if !m.has(sCreatedDateTime) && !m.has(sTimeGenerated) {
		return false
	}
	return m.has(sStatus) || m.has(sAuthProtocol) || m.has(sErrorCode) || m.has(sClientAppUsed) || m.has(sConditionalAccess) || signInStream(m.str(sType)) != ""
}

// isGraphObject reports whether v looks like a Microsoft Graph directory
// object: an application, service principal, grant or role assignment.
func isGraphObject(v *lazyjson.Value) bool {
	if v == nil {
		return false
	}
	for _, k := range [...]string{"appId", "servicePrincipalType", "consentType", "appRoleId", "keyCredentials", "passwordCredentials", "principalId", "federatedIdentityCredentials", "appRoles", "identifierUris", "signInAudience", "issuer", "@odata.type"} {
		if v.Get(k) != nil {
			return true
		}
	}
	return false
}

// diagnostic normalizes an Azure Monitor diagnostic record, whose category
// says which log it belongs to.
func (d *Decoder) diagnostic(e *event.Event, env *members, props *lazyjson.Value) (string, string) {
	category := env.str(sCategory)
	switch {
	case strings.EqualFold(category, "AuditLogs"):
		d.audit(e, d.properties(props), env)
		return LayoutDiagnostic, ""
	case strings.EqualFold(category, "Audit"):
		d.audit2018(e, env, props)
		return LayoutDiagnostic2018, ""
	case isSignInCategory(category):
		d.signIn(e, d.properties(props), env)
		return LayoutDiagnostic, ""
	case isActivityCategory(category):
		return d.activityDiagnostic(e, env, props)
	case isRiskCategory(category):
		d.riskDetection(e, d.properties(props), env)
		return LayoutDiagnostic, ""
	case strings.EqualFold(category, "AuditEvent") || isKeyVaultResource(env.str(sResourceID)):
		d.keyVault(e, env, props)
		return LayoutDiagnostic, ""
	case category == "":
		return "", skipUnknown
	}
	return "", fmt.Sprintf(skipCategory, category)
}

// properties returns the members of a diagnostic record's properties, for
// the logs whose records hold their fields there. The others read the few
// properties they need directly.
func (d *Decoder) properties(props *lazyjson.Value) *members {
	in := &d.inner
	in.reset()
	in.fromObject(props)
	return in
}

// signInCategories are the diagnostic categories of Entra sign-in logs.
var signInCategories = []string{
	"SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs",
	"ManagedIdentitySignInLogs", "MicrosoftServicePrincipalSignInLogs", "ADFSSignInLogs",
}

func isSignInCategory(c string) bool {
	for _, s := range signInCategories {
		if strings.EqualFold(c, s) {
			return true
		}
	}
	return false
}

// activityCategories are the Activity Log categories.
var activityCategories = []string{"Administrative", "Security", "Policy", "Alert", "Autoscale", "Recommendation", "ResourceHealth", "ServiceHealth"}

func isActivityCategory(c string) bool {
	for _, s := range activityCategories {
		if strings.EqualFold(c, s) {
			return true
		}
	}
	return false
}

func isKeyVaultResource(id string) bool {
	return containsFold(id, "/providers/microsoft.keyvault/")
}

// containsFold reports whether s contains the ASCII substr, ignoring case.
func containsFold(s, substr string) bool { return lastIndexFold(s, substr) >= 0 }

// lastIndexFold returns the byte index in s of the last instance of the
// ASCII substr, ignoring case, or -1. Unlike searching a lower-cased copy,
// the index is valid in s whatever s holds.
func lastIndexFold(s, substr string) int {
	n := len(substr)
	for i := len(s) - n; i >= 0; i-- {
		if strings.EqualFold(s[i:i+n], substr) {
			return i
		}
	}
	return -1
}
