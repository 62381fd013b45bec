package match

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/sigma"
)

// presenceRules are three rules on one field: equal to the empty string,
// exists, and does not exist.
func presenceRules(field string) string {
	return fmt.Sprintf(`title: empty
logsource: {product: azure}
detection: {sel: {%[1]s: ''}, condition: sel}
---
title: exists
logsource: {product: azure}
detection: {sel: {%[1]s|exists: true}, condition: sel}
---
title: absent
logsource: {product: azure}
detection: {sel: {%[1]s|exists: false}, condition: sel}
`, field)
}

// The states a member is in: in the record with an empty value, in the
// record as null, or not in the record.
const (
	stateEmpty  = "empty"
	stateNull   = "null"
	stateAbsent = "absent"
)

// jsonMember writes the member name in the given state, with a trailing
// comma when present.
func jsonMember(name, state string) string {
	switch state {
	case stateEmpty:
		return fmt.Sprintf("%q:\"\",", name)
	case stateNull:
		return fmt.Sprintf("%q:null,", name)
	}
	return ""
}

// Records with one member left to the test (%s), in the layouts of Graph,
// Event Hub (diagnostic records) and Log Analytics CSV.
const (
	graphAudit = `{"id":"a-1","activityDateTime":"2026-03-11T10:05:00Z","activityDisplayName":"Update application",` +
		`"category":"ApplicationManagement","correlationId":"c-1","result":"success",%s` +
		`"initiatedBy":{"user":{"id":"u-1","userPrincipalName":"ana@contoso.com"}},"targetResources":[]}`
	graphAuditUser = `{"id":"a-1","activityDateTime":"2026-03-11T10:05:00Z","activityDisplayName":"Update application",` +
		`"initiatedBy":{"user":{%s"id":"u-1","userPrincipalName":"ana@contoso.com"},"app":null},"targetResources":[]}`
	graphAuditApp = `{"id":"a-1","activityDateTime":"2026-03-11T10:05:00Z","activityDisplayName":"Update application",` +
		`"initiatedBy":{"user":null,"app":{%s"appId":null,"displayName":"Sync"}},"targetResources":[]}`
	graphSignIn = `{"id":"s-1","createdDateTime":"2026-03-11T10:00:00Z","userPrincipalName":"ana@contoso.com",` +
		`"appId":"app-1",%s"status":{%s"errorCode":50126}}`
	hubAudit = `{"records":[{"time":"2026-03-11T10:05:00Z","operationName":"Update application","category":"AuditLogs",` +
		`"tenantId":"t-1","correlationId":"c-1","properties":{"id":"a-1","category":"ApplicationManagement",` +
		`"result":"success",%s"activityDisplayName":"Update application","activityDateTime":"2026-03-11T10:05:00Z",` +
		`"initiatedBy":{"user":{"id":"u-1"}},"targetResources":[]}}]}`
	hubSignIn = `{"records":[{"time":"2026-03-11T10:00:00Z","operationName":"Sign-in activity","category":"SignInLogs",` +
		`"tenantId":"t-1","correlationId":"c-1","resultType":"0","properties":{"id":"s-1",` +
		`"createdDateTime":"2026-03-11T10:00:00Z","userPrincipalName":"ana@contoso.com",%s"appId":"app-1",` +
		`"status":{"errorCode":0}}}]}`
)

// laAuditCSV returns a Log Analytics AuditLogs export with the column
// named column present with an empty cell, or absent.
func laAuditCSV(column, state string) string {
	head := []string{"TimeGenerated [UTC]", "OperationName", "Category", "CorrelationId", "Id", "InitiatedBy",
		"Result", "ActivityDisplayName", "AADTenantId", "Type"}
	row := []string{"2026-03-11T10:05:00Z", "Update application", "ApplicationManagement", "c-1", "a-1",
		`"{""user"":{""id"":""u-1""}}"`, "success", "Update application", "t-1", "AuditLogs"}
	if state == stateEmpty {
		head = append(head, column)
		row = append(row, "")
	}
	return strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n"
}

// laSignInCSV is laAuditCSV for a SigninLogs export.
func laSignInCSV(column, state string) string {
	head := []string{"TimeGenerated [UTC]", "OperationName", "Category", "CorrelationId", "Id", "UserPrincipalName",
		"AppId", "ResultType", "AADTenantId", "Type"}
	row := []string{"2026-03-11T10:00:00Z", "Sign-in activity", "SignInLogs", "c-1", "s-1", "ana@contoso.com",
		"app-1", "0", "t-1", "SigninLogs"}
	if state == stateEmpty {
		head = append(head, "   "+column) // a cell of spaces only is empty
		row = append(row, "  ")
	}
	return strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n"
}

// portalAuditCSV is laAuditCSV for the Entra portal's audit download.
func portalAuditCSV(column, state string) string {
	head := []string{"Date (UTC)", "CorrelationId", "Service", "Category", "Activity", "Result", "ActorType", "ActorObjectId"}
	row := []string{"2026-03-11T10:05:00Z", "c-1", "Core Directory", "ApplicationManagement", "Update application", "Success", "User", "u-1"}
	if state == stateEmpty {
		head = append(head, column)
		row = append(row, "")
	}
	return strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n"
}

// decodeOne decodes one record from a file of the given name.
func decodeOne(t *testing.T, name, data string) *event.Event {
	t.Helper()
	var out []*event.Event
	st, err := decode.NewDecoder(decode.Options{}).Decode(t.Context(), name, strings.NewReader(data), func(e *event.Event) error {
		out = append(out, e)
		return nil
	})
	if err != nil || st.ErrorCount > 0 || len(out) != 1 {
		t.Fatalf("decode %s: %v, %v, %d events, want 1:\n%s", name, err, st.Errors, len(out), data)
	}
	return out[0]
}

// TestPresence checks that the empty string and exists see a field the
// record holds empty or null, in every layout, and do not see one it
// lacks.
func TestPresence(t *testing.T) {
	tests := []struct {
		layout, file string
		field        string // as the rule names it
		record       func(state string) string
		states       []string
	}{
		{"graph audit", "a.json", "resultReason", func(st string) string { return fmt.Sprintf(graphAudit, jsonMember("resultReason", st)) }, nil},
		{"graph audit", "a.json", "operationType", func(st string) string { return fmt.Sprintf(graphAudit, jsonMember("operationType", st)) }, nil},
		{"graph audit", "a.json", "userAgent", func(st string) string { return fmt.Sprintf(graphAudit, jsonMember("userAgent", st)) }, nil},
		{"graph audit", "a.json", "loggedByService", func(st string) string { return fmt.Sprintf(graphAudit, jsonMember("loggedByService", st)) }, nil},
		{"graph audit", "a.json", "initiatedBy.user.ipAddress", func(st string) string { return fmt.Sprintf(graphAuditUser, jsonMember("ipAddress", st)) }, nil},
		{"graph audit", "a.json", "actor.sp_id", func(st string) string { return fmt.Sprintf(graphAuditApp, jsonMember("servicePrincipalId", st)) }, nil},
		{"graph sign-in", "s.json", "status.additionalDetails", func(st string) string {
			return fmt.Sprintf(graphSignIn, "", jsonMember("additionalDetails", st))
		}, nil},
		{"graph sign-in", "s.json", "status.failureReason", func(st string) string {
			return fmt.Sprintf(graphSignIn, "", jsonMember("failureReason", st))
		}, nil},
		{"graph sign-in", "s.json", "result_reason", func(st string) string {
			return fmt.Sprintf(graphSignIn, "", jsonMember("failureReason", st))
		}, nil},
		{"graph sign-in", "s.json", "clientAppUsed", func(st string) string {
			return fmt.Sprintf(graphSignIn, jsonMember("clientAppUsed", st), "")
		}, nil},
		{"graph sign-in", "s.json", "servicePrincipalId", func(st string) string {
			return fmt.Sprintf(graphSignIn, jsonMember("servicePrincipalId", st), "")
		}, nil},
		{"event hub audit", "h.json", "properties.resultReason", func(st string) string { return fmt.Sprintf(hubAudit, jsonMember("resultReason", st)) }, nil},
		{"event hub audit", "h.json", "properties.loggedByService", func(st string) string { return fmt.Sprintf(hubAudit, jsonMember("loggedByService", st)) }, nil},
		{"event hub sign-in", "h.json", "properties.clientAppUsed", func(st string) string { return fmt.Sprintf(hubSignIn, jsonMember("clientAppUsed", st)) }, nil},
		{"event hub sign-in", "h.json", "properties.riskState", func(st string) string { return fmt.Sprintf(hubSignIn, jsonMember("riskState", st)) }, nil},
		{"log analytics csv audit", "a.csv", "ResultReason", func(st string) string { return laAuditCSV("ResultReason", st) }, []string{stateEmpty, stateAbsent}},
		{"log analytics csv audit", "a.csv", "LoggedByService", func(st string) string { return laAuditCSV("LoggedByService", st) }, []string{stateEmpty, stateAbsent}},
		{"log analytics csv audit", "a.csv", "UserAgent", func(st string) string { return laAuditCSV("UserAgent", st) }, []string{stateEmpty, stateAbsent}},
		{"portal csv audit", "p.csv", "ResultReason", func(st string) string { return portalAuditCSV("ResultReason", st) }, []string{stateEmpty, stateAbsent}},
		{"portal csv audit", "p.csv", "User Agent", func(st string) string { return portalAuditCSV("User Agent", st) }, []string{stateEmpty, stateAbsent}},
		{"log analytics csv sign-in", "s.csv", "UserAgent", func(st string) string { return laSignInCSV("UserAgent", st) }, []string{stateEmpty, stateAbsent}},
		{"log analytics csv sign-in", "s.csv", "ClientAppUsed", func(st string) string { return laSignInCSV("ClientAppUsed", st) }, []string{stateEmpty, stateAbsent}},
	}
	s := newSchema(t)
	want := map[string][]int{stateEmpty: {0, 1}, stateNull: {0, 1}, stateAbsent: {2}}
	for _, tt := range tests {
		rules, err := sigma.Parse("t.yml", []byte(presenceRules(tt.field)))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := sigma.Compile(rules, s, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.field, err)
		}
		a := NewEvent(s) // after compiling, which adds the field to s
		states := tt.states
		if states == nil {
			states = []string{stateEmpty, stateNull, stateAbsent}
		}
		for _, st := range states {
			e := decodeOne(t, tt.file, tt.record(st))
			a.Reset(e)
			if got := rs.Match(a, nil); !slices.Equal(got, want[st]) {
				t.Errorf("%s, %s %s: matched %v, want %v ('' exists !exists)", tt.layout, tt.field, st, got, want[st])
			}
		}
	}
}
