package ruleset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file builds, for a public-style rule, one record in each layout
// that should make it fire: what the rule names, at the place each layout
// carries it, in the spelling real logs use (ServicePrincipal for the
// rule's "Service Principal", deviceCode for "Device Code").

// publicLayouts are the layouts a record is built in; Activity Log rules
// get the REST export in place of Graph, which does not serve them.
var publicLayouts = []string{"eventhub", "la-json", "la-csv", "graph"}

const (
	tenant = "6f2b3c4d-8e9a-4b1c-9d2e-3f4a5b6c7d8e"
	when   = "2025-03-04T10:02:11Z"
	corr   = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"
	userID = "e4d3c2b1-a0f9-4e8d-b7c6-5a4b3c2d1e0f"
	upn    = "adele.vance@contoso.example"
	ip     = "198.51.100.23"
)

// build returns the record of rule r in layout, or nil when no record of
// the rule's service carries what it asks (riskEventType in PIM audit
// records).
func build(r *publicRule, layout string) []byte {
	m := merged(r.needs())
	switch r.service {
	case "auditlogs":
		return writeAudit(auditOf(m), layout)
	case "pim":
		if _, ok := m["riskeventtype"]; ok {
			return nil
		}
		a := auditOf(m)
		a.service, a.category = "PIM", "RoleManagement"
		return writeAudit(a, layout)
	case "signinlogs":
		return writeSignIn(signInOf(m), layout)
	case "activitylogs":
		return writeActivity(activityOf(m), layout)
	case "riskdetection":
		return writeRisk(m["riskeventtype"], m["riskstate"], layout)
	}
	return nil
}

type prop struct{ name, old, new string }

type audit struct {
	activity, category, service, result, reason string
	initiator                                   string
	byApp                                       bool // an application without an app id acted
	targetType, targetName                      string
	props                                       []prop
	details                                     [][2]string
}

func auditOf(m map[string]string) *audit {
	a := &audit{activity: "Update user", category: "UserManagement", service: "Core Directory", result: "success",
		initiator: upn, targetType: "User", targetName: "Lee Gu"}
	p := prop{}
	for k, v := range m {
		switch k {
		case "properties.message", "operationname", "activitydisplayname", "activitytype":
			if strings.HasPrefix(v, `"displayName"`) {
				var x struct{ DisplayName, OldValue, NewValue string }
				json.Unmarshal([]byte("{"+v+"}"), &x)
				a.props = append(a.props, prop{x.DisplayName, x.OldValue, x.NewValue})
				continue
			}
			a.activity = v
		case "category":
			a.category = v
		case "loggedbyservice":
			a.service = v
		case "status", "properties.result":
			if strings.EqualFold(v, "success") || strings.EqualFold(v, "failure") {
				a.result = strings.ToLower(v)
			} else {
				a.reason = v
			}
		case "failure_status_reason":
			a.activity, a.result, a.reason = "Consent to application", "failure", v
		case "consentcontext.isadminconsent":
			a.activity, a.category, a.service = "Consent to application", "ApplicationManagement", "Core Directory"
			a.targetType, a.targetName = "ServicePrincipal", "Contoso Sync"
			a.props = append(a.props, prop{"ConsentContext.IsAdminConsent", "", strconv.Quote(strings.ToUpper(v[:1]) + v[1:])})
		case "targetresources.modifiedproperties":
			a.props = append(a.props, prop{v, "", `""`})
		case "targetresources.modifiedproperties.displayname":
			p.name = v
		case "targetresources.modifiedproperties.newvalue":
			p.new = strconv.Quote(v)
		case "targetresources", "properties.targetresources", "target":
			a.targetName = v
		case "targetresources.type":
			a.targetType = strings.ReplaceAll(v, " ", "")
		case "additionaldetails.additionalinfo":
			a.details = append(a.details, [2]string{"AdditionalInfo", v})
		case "initiatedby":
			a.initiator = v
		case "initiatedby.app.appid":
			a.byApp = true
		}
	}
	if p.name != "" || p.new != "" {
		if p.name == "" {
			p.name = "StrongAuthenticationRequirement"
		}
		a.props = append(a.props, p)
	}
	return a
}

func (a *audit) graph() map[string]any {
	props := []any{}
	for _, p := range a.props {
		props = append(props, map[string]any{"displayName": p.name, "oldValue": nullIfEmpty(p.old), "newValue": nullIfEmpty(p.new)})
	}
	details := []any{}
	for _, d := range a.details {
		details = append(details, map[string]any{"key": d[0], "value": d[1]})
	}
	return map[string]any{
		"id":                  "Directory_" + corr + "_X1_1",
		"category":            a.category,
		"correlationId":       corr,
		"result":              a.result,
		"resultReason":        a.reason,
		"activityDisplayName": a.activity,
		"activityDateTime":    when,
		"loggedByService":     a.service,
		"operationType":       "Update",
		"initiatedBy":         a.initiatedBy(),
		"targetResources": []any{map[string]any{
			"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "displayName": a.targetName, "type": a.targetType,
			"userPrincipalName": nil, "modifiedProperties": props}},
		"additionalDetails": details,
	}
}

// initiatedBy is the initiator as Entra logs it: a user, or an
// application whose appId is null.
func (a *audit) initiatedBy() map[string]any {
	if a.byApp {
		return map[string]any{"app": map[string]any{"appId": nil, "displayName": "Contoso Provisioning",
			"servicePrincipalId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "servicePrincipalName": nil}}
	}
	return map[string]any{"user": map[string]any{
		"id": userID, "displayName": "Adele Vance", "userPrincipalName": a.initiator, "ipAddress": ip}}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func writeAudit(a *audit, layout string) []byte {
	g := a.graph()
	switch layout {
	case "graph":
		return jsonOf(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits", "value": []any{g}})
	case "eventhub":
		return jsonOf(map[string]any{"records": []any{map[string]any{
			"time": when, "resourceId": "/tenants/" + tenant + "/providers/Microsoft.aadiam", "operationName": a.activity,
			"operationVersion": "1.0", "category": "AuditLogs", "tenantId": tenant, "resultSignature": "None",
			"durationMs": 0, "callerIpAddress": ip, "correlationId": corr, "Level": 4, "properties": g}}})
	}
	row := map[string]any{
		"TenantId": tenant, "SourceSystem": "Azure AD", "TimeGenerated": when, "OperationName": a.activity,
		"Category": a.category, "CorrelationId": corr, "Identity": "Adele Vance", "Level": "4",
		"AdditionalDetails": textOf(g["additionalDetails"]), "Id": g["id"], "InitiatedBy": textOf(g["initiatedBy"]),
		"LoggedByService": a.service, "Result": a.result, "ResultReason": a.reason,
		"TargetResources": textOf(g["targetResources"]), "AADTenantId": tenant, "ActivityDisplayName": a.activity,
		"ActivityDateTime": when, "AADOperationType": "Update", "Type": "AuditLogs",
	}
	return writeRow(row, layout)
}

type signIn struct {
	errorCode, failureReason, details string
	authReq, riskState, clientApp     string
	userAgent, resource, ca, upn      string
	protocol                          string
	device                            map[string]any
	netloc                            any
}

func signInOf(m map[string]string) *signIn {
	s := &signIn{errorCode: "0", authReq: "singleFactorAuthentication", riskState: "none", clientApp: "Browser",
		userAgent: "Mozilla/5.0", resource: "Microsoft Graph", ca: "notApplied", upn: upn, protocol: "none",
		device: map[string]any{"deviceId": "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f", "displayName": "LAPTOP-1",
			"operatingSystem": "Windows10", "browser": "Edge", "isCompliant": true, "isManaged": true, "trustType": "Azure AD joined"},
		netloc: []any{map[string]any{"networkType": "namedNetwork", "networkNames": []any{"HQ"}}}}
	for k, v := range m {
		switch k {
		case "resulttype":
			s.errorCode = v
		case "resultdescription":
			s.failureReason = v
			if s.errorCode == "0" {
				s.errorCode = "50126"
			}
		case "status":
			if !strings.EqualFold(v, "success") {
				s.details = v
				if s.errorCode == "0" {
					s.errorCode = "500121"
				}
			}
		case "authenticationrequirement":
			s.authReq = v
		case "devicedetail.iscompliant":
			s.device["isCompliant"] = v == "true"
		case "devicedetail.trusttype":
			s.device["trustType"] = ""
		case "devicedetail.deviceid":
			s.device["deviceId"] = v
		case "networklocationdetails":
			s.netloc = []any{}
		case "riskstate":
			s.riskState = v
		case "clientapp", "clientappused":
			s.clientApp = v
		case "useragent":
			s.userAgent = v
		case "resourcedisplayname":
			s.resource = v
		case "conditionalaccessstatus":
			s.ca = v
		case "username":
			s.upn = v
		case "properties.message":
			s.protocol = map[string]string{"device code": "deviceCode", "ropc": "ropc"}[strings.ToLower(v)]
		}
	}
	return s
}

func (s *signIn) graph() map[string]any {
	code, _ := strconv.Atoi(s.errorCode)
	return map[string]any{
		"id": "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e", "createdDateTime": when, "userDisplayName": "Adele Vance",
		"userPrincipalName": s.upn, "userId": userID, "appId": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
		"appDisplayName": "Microsoft Office", "ipAddress": ip, "clientAppUsed": s.clientApp, "userAgent": s.userAgent,
		"correlationId": corr, "conditionalAccessStatus": s.ca, "authenticationProtocol": s.protocol,
		"authenticationRequirement": s.authReq, "isInteractive": true, "resourceDisplayName": s.resource,
		"resourceId": "00000003-0000-0000-c000-000000000000", "riskState": s.riskState, "riskLevelDuringSignIn": "none",
		"status":                 map[string]any{"errorCode": code, "failureReason": nullIfEmpty(s.failureReason), "additionalDetails": nullIfEmpty(s.details)},
		"deviceDetail":           s.device,
		"networkLocationDetails": s.netloc,
		"location":               map[string]any{"city": "Amsterdam", "countryOrRegion": "NL"},
	}
}

func writeSignIn(s *signIn, layout string) []byte {
	g := s.graph()
	switch layout {
	case "graph":
		return jsonOf(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns", "value": []any{g}})
	case "eventhub":
		return jsonOf(map[string]any{"records": []any{map[string]any{
			"time": when, "resourceId": "/tenants/" + tenant + "/providers/Microsoft.aadiam", "operationName": "Sign-in activity",
			"operationVersion": "1.0", "category": "SignInLogs", "tenantId": tenant, "resultType": s.errorCode,
			"resultDescription": s.failureReason, "resultSignature": "None", "durationMs": 0, "callerIpAddress": ip,
			"correlationId": corr, "identity": "Adele Vance", "Level": 4, "location": "NL", "properties": g}}})
	}
	row := map[string]any{
		"TenantId": tenant, "SourceSystem": "Azure AD", "TimeGenerated": when, "OperationName": "Sign-in activity",
		"Category": "SignInLogs", "ResultType": s.errorCode, "ResultDescription": s.failureReason, "CorrelationId": corr,
		"Identity": "Adele Vance", "Level": "4", "Location": "NL", "AppDisplayName": "Microsoft Office",
		"AppId": g["appId"], "AuthenticationProtocol": s.protocol, "AuthenticationRequirement": s.authReq,
		"ClientAppUsed": s.clientApp, "ConditionalAccessStatus": s.ca, "CreatedDateTime": when,
		"DeviceDetail": textOf(s.device), "Id": g["id"], "IPAddress": ip, "IsInteractive": true,
		"NetworkLocationDetails": textOf(s.netloc), "ResourceDisplayName": s.resource,
		"ResourceIdentity": g["resourceId"], "RiskState": s.riskState, "RiskLevelDuringSignIn": "none",
		"Status": textOf(g["status"]), "UserAgent": s.userAgent, "UserDisplayName": "Adele Vance",
		"UserId": userID, "UserPrincipalName": s.upn, "AADTenantId": tenant, "Type": "SigninLogs",
	}
	return writeRow(row, layout)
}

type activity struct {
	op, category, provider, resource string
}

func activityOf(m map[string]string) *activity {
	a := &activity{op: "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", category: "Administrative"}
	for k, v := range m {
		switch k {
		case "operationname", "operationnamevalue", "keyword", "properties.message":
			a.op = v
		case "categoryvalue":
			a.category = v
		case "resourceprovidervalue":
			a.provider = v
		case "resourceid":
			a.resource = v
		}
	}
	if a.provider == "" {
		a.provider, _, _ = strings.Cut(a.op, "/")
	}
	a.resource = "/subscriptions/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-ops/providers/" + a.provider + "/items/" + a.resource + "item-1"
	return a
}

// localized makes a display name of an operation, as REST and Log
// Analytics give beside the operation itself.
func (a *activity) localized() string {
	parts := strings.Split(a.op, "/")
	return "Run " + strings.ToLower(strings.Join(parts[1:], " "))
}

func writeActivity(a *activity, layout string) []byte {
	lower := strings.ToLower(a.op)
	claims := map[string]any{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": upn,
		"http://schemas.microsoft.com/identity/claims/objectidentifier": userID,
		"http://schemas.microsoft.com/identity/claims/tenantid":         tenant, "ipaddr": ip}
	switch layout {
	case "graph": // the REST export
		return jsonOf([]any{map[string]any{
			"authorization": map[string]any{"action": lower, "scope": a.resource}, "caller": upn, "channels": "Operation",
			"claims": claims, "correlationId": corr, "eventDataId": "ev-1",
			"category":       map[string]any{"value": a.category, "localizedValue": a.category},
			"eventTimestamp": when, "id": a.resource + "/events/ev-1", "level": "Informational", "operationId": corr,
			"operationName":        map[string]any{"value": lower, "localizedValue": a.localized()},
			"resourceProviderName": map[string]any{"value": a.provider, "localizedValue": a.provider},
			"resourceId":           a.resource,
			"status":               map[string]any{"value": "Succeeded", "localizedValue": "Succeeded"},
			"subStatus":            map[string]any{"value": "OK", "localizedValue": "OK"},
			"submissionTimestamp":  when, "subscriptionId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "tenantId": tenant,
			"properties": map[string]any{"statusCode": "OK", "eventCategory": a.category, "entity": a.resource, "message": lower},
		}})
	case "eventhub":
		return jsonOf(map[string]any{"records": []any{map[string]any{
			"time": when, "resourceId": strings.ToUpper(a.resource), "operationName": strings.ToUpper(a.op),
			"category": a.category, "resultType": "Success", "resultSignature": "Succeeded.OK", "durationMs": "0",
			"callerIpAddress": ip, "correlationId": corr,
			"identity": map[string]any{"authorization": map[string]any{"scope": a.resource, "action": lower}, "claims": claims},
			"level":    "Information", "location": "global",
			"properties": map[string]any{"statusCode": "OK", "eventCategory": a.category, "entity": a.resource, "message": lower}}}})
	}
	row := map[string]any{
		"TenantId": tenant, "SourceSystem": "Azure", "CallerIpAddress": ip, "CategoryValue": a.category,
		"CorrelationId": corr, "Authorization": textOf(map[string]any{"action": lower, "scope": a.resource}),
		"Claims": textOf(claims), "Level": "Informational", "OperationNameValue": lower,
		"Properties": textOf(map[string]any{"eventCategory": a.category, "entity": a.resource, "message": lower}),
		"Caller":     upn, "EventDataId": "ev-1", "ResourceGroup": "rg-ops", "ResourceProviderValue": a.provider,
		"ActivityStatusValue": "Success", "TimeGenerated": when, "SubscriptionId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		"OperationName": a.localized(), "ActivityStatus": "Succeeded", "Category": a.category,
		"ResourceId": a.resource, "ResourceProvider": a.provider, "Resource": "item-1", "Type": "AzureActivity",
		"_ResourceId": strings.ToLower(a.resource),
	}
	return writeRow(row, layout)
}

func writeRisk(eventType, state, layout string) []byte {
	if state == "" {
		state = "atRisk"
	}
	g := map[string]any{
		"id": "7c7668bf6b9324b33680508b470da8193ff9bb551d9b420f64111b1e3b257b7f", "requestId": "33333333-3333-4333-8333-333333333333",
		"correlationId": corr, "riskType": eventType, "riskEventType": eventType, "riskState": state, "riskLevel": "medium",
		"riskDetail": "none", "source": "IdentityProtection", "detectionTimingType": "realtime", "activity": "signin",
		"tokenIssuerType": "AzureAD", "ipAddress": ip, "location": map[string]any{"city": "Amsterdam", "countryOrRegion": "NL"},
		"activityDateTime": when, "detectedDateTime": when, "lastUpdatedDateTime": when, "userId": userID,
		"userDisplayName": "Adele Vance", "userPrincipalName": upn, "additionalInfo": `[{"Key":"userAgent","Value":"Mozilla/5.0"}]`,
	}
	switch layout {
	case "graph":
		return jsonOf(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskDetections", "value": []any{g}})
	case "eventhub":
		return jsonOf(map[string]any{"records": []any{map[string]any{
			"time": when, "resourceId": "/tenants/" + tenant + "/providers/microsoft.aadiam", "operationName": "User Risk Detection",
			"operationVersion": "1.0", "category": "UserRiskEvents", "tenantId": tenant, "resultSignature": "None",
			"durationMs": 0, "callerIpAddress": ip, "correlationId": g["id"], "identity": "Adele Vance", "Level": 4,
			"location": "nl", "properties": g}}})
	}
	row := map[string]any{
		"TenantId": tenant, "SourceSystem": "Azure AD", "TimeGenerated": when, "Activity": "signin", "ActivityDateTime": when,
		"AdditionalInfo": g["additionalInfo"], "CorrelationId": corr, "DetectedDateTime": when, "DetectionTimingType": "realtime",
		"Id": g["id"], "IpAddress": ip, "LastUpdatedDateTime": when, "Location": textOf(g["location"]), "OperationName": "User Risk Detection",
		"RequestId": g["requestId"], "RiskDetail": "none", "RiskEventType": eventType, "RiskLevel": "medium", "RiskState": state,
		"RiskType": eventType, "Source": "IdentityProtection", "TokenIssuerType": "AzureAD", "UserDisplayName": "Adele Vance",
		"UserId": userID, "UserPrincipalName": upn, "Type": "AADUserRiskEvents",
	}
	return writeRow(row, layout)
}

// jsonOf writes v, made of maps, slices and scalars only, as JSON.
func jsonOf(v any) []byte {
	b, _ := json.MarshalIndent(v, "", "  ")
	return b
}

// textOf writes v as compact JSON, as Log Analytics puts dynamic columns
// in strings.
func textOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// writeRow writes a Log Analytics row as a JSON export or a CSV export.
func writeRow(row map[string]any, layout string) []byte {
	if layout == "la-json" {
		return jsonOf([]any{row})
	}
	cols := make([]string, 0, len(row))
	for k := range row {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := make([]string, len(cols))
	cells := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c
		if strings.HasSuffix(c, "Time") || strings.HasSuffix(c, "DateTime") || c == "TimeGenerated" {
			header[i] = c + " [UTC]"
		}
		switch v := row[c].(type) {
		case string:
			cells[i] = v
		default:
			cells[i] = fmt.Sprint(v)
		}
	}
	w.Write(header)
	w.Write(cells)
	w.Flush()
	return b.Bytes()
}
