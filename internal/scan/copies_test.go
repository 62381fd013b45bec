package scan

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/policy"
)

const (
	globalAdmin = "62e90394-69f5-4237-9190-012177145e10"
	syncSP      = "6f708192-a3b4-4c5d-8e6f-708192a3b4c5"
)

// roleRecord is a directoryAudit object of a role assignment, as the
// directory (service "Core Directory") or PIM (service "PIM") logs it.
// PIM puts the role first and the member third; the directory puts the
// member first with the role in Role.* properties. byPIM makes PIM's
// service principal the actor, as on the directory's copy of PIM's
// changes.
func roleRecord(id, activity, service string, member string, at time.Time, byPIM bool) string {
	quoted := func(s string) string { return `"` + s + `"` }
	initiator := map[string]any{"user": map[string]any{"id": "u-ana", "userPrincipalName": "ana@contoso.com"}}
	if byPIM {
		initiator = map[string]any{"app": map[string]any{"appId": nil, "displayName": "MS-PIM", "servicePrincipalId": "sp-pim"}}
	}
	var targets []any
	if service == "PIM" {
		targets = []any{
			target(globalAdmin, "Role", "Global Administrator"),
			target("req-"+id, "Request", ""),
			target(member, "ServicePrincipal", "Azure Sync Helper"),
			target("tenant", "Directory", "Contoso"),
		}
	} else {
		targets = []any{
			target(member, "ServicePrincipal", "Azure Sync Helper",
				"Role.TemplateId", "", quoted(globalAdmin), "Role.DisplayName", "", quoted("Global Administrator")),
			target("role-object", "Role", ""),
		}
	}
	rec := map[string]any{
		"id": id, "category": "RoleManagement", "correlationId": "corr-" + id, "result": "success",
		"activityDisplayName": activity, "activityDateTime": at.Format(time.RFC3339Nano),
		"loggedByService": service, "initiatedBy": initiator, "targetResources": targets,
	}
	b, _ := json.Marshal(rec)
	return string(b) + "\n"
}

// TestRoleCopiesRaiseOnce checks that the records Entra writes for one
// role assignment raise one alert, whichever comes first, while another
// assignment, or the same one made again later, raises its own.
func TestRoleCopiesRaiseOnce(t *testing.T) {
	copies := []string{
		roleRecord("pim-req", "Add member to role in PIM requested (permanent)", "PIM", syncSP, wednesday, false),
		roleRecord("pim-done", "Add member to role in PIM completed (permanent)", "PIM", syncSP, wednesday.Add(2*time.Second), false),
		roleRecord("dir", "Add member to role", "Core Directory", syncSP, wednesday.Add(time.Second), true),
	}
	others := []string{
		// Another service principal, at the same time.
		roleRecord("other-sp", "Add member to role", "Core Directory", "sp-other", wednesday, false),
		// The same assignment, eligible rather than active.
		roleRecord("eligible", "Add eligible member to role in PIM completed (permanent)", "PIM", syncSP, wednesday, false),
		// The same assignment made again an hour later.
		roleRecord("again", "Add member to role", "Core Directory", syncSP, wednesday.Add(time.Hour), false),
	}
	orders := [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			var log string
			for _, i := range order {
				log += copies[i]
			}
			for _, o := range others {
				log += o
			}
			alerts, d := detect(t, builtinConfig(t, policy.Default()), decodeText(t, log)...)
			var got []string
			for _, a := range alerts {
				if a.RuleID == "sp-privileged-role-assigned" {
					got = append(got, a.EventID)
				}
			}
			first := []string{"pim-req", "pim-done", "dir"}[order[0]]
			want := []string{first, "other-sp", "eligible", "again"}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("alerts on %v, want %v", got, want)
			}
			if n := d.Copies["sp-privileged-role-assigned"]; n != 2 {
				t.Errorf("Copies = %v, want 2 for sp-privileged-role-assigned", d.Copies)
			}
		})
	}
}

// TestConsentCopiesRaiseOnce checks that an administrator's consent,
// logged as Consent to application and as Add delegated permission grant
// for the same scopes, raises one alert of the row's rule, and that the
// same consent by someone else is another change.
func TestConsentCopiesRaiseOnce(t *testing.T) {
	consent := consentRecord(true, "Directory.ReadWrite.All")
	consent["id"] = "rec-consent"
	grant := grantRecord("Add delegated permission grant", graphAppID, "Microsoft Graph",
		prop("DelegatedPermissionGrant.Scope", "", q("Directory.ReadWrite.All")),
		prop("DelegatedPermissionGrant.ConsentType", "", q("AllPrincipals")))
	grant["id"], grant["correlationId"] = "rec-grant", "c0ffee01-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
	other := consentRecord(true, "Directory.ReadWrite.All")
	other["id"] = "rec-other-admin"
	other["initiatedBy"] = map[string]any{"user": map[string]any{"id": "u-bo", "userPrincipalName": "bo@contoso.com"}}
	for _, order := range [][]map[string]any{{consent, grant, other}, {grant, consent, other}} {
		var log string
		for _, r := range order {
			log += jsonText(r) + "\n"
		}
		alerts, d := detect(t, builtinConfig(t, policy.Default()), decodeText(t, log)...)
		var got []string
		for _, a := range alerts {
			if a.RuleID == "admin-consent-privileged" {
				got = append(got, a.EventID)
			}
		}
		want := []string{order[0]["id"].(string), "rec-other-admin"}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("first %s: alerts on %v, want %v", order[0]["id"], got, want)
		}
		if d.Copies["admin-consent-privileged"] != 1 {
			t.Errorf("Copies = %v, want 1 for admin-consent-privileged", d.Copies)
		}
	}
}
