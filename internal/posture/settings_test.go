package posture

import (
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

func authz(createApps bool, policies ...string) snapshot.AuthorizationPolicy {
	return snapshot.AuthorizationPolicy{ID: "authorizationPolicy", DefaultUserRolePermissions: &snapshot.DefaultUserPermissions{
		AllowedToCreateApps: &createApps, PermissionGrantPoliciesAssigned: policies}}
}

func consentSettings(values ...string) snapshot.DirectorySetting {
	d := snapshot.DirectorySetting{ID: "s1", DisplayName: "Consent Policy Settings", TemplateID: consentSettingsTemplate}
	for i := 0; i+1 < len(values); i += 2 {
		d.Values = append(d.Values, snapshot.SettingValue{Name: values[i], Value: values[i+1]})
	}
	return d
}

func TestTenantConsentSettings(t *testing.T) {
	legacy := consentForSelf + policyLegacy
	low := consentForSelf + policyLow
	teams := consentForOwned + "microsoft-dynamically-managed-permissions-for-team"
	tests := []struct {
		name     string
		authz    snapshot.AuthorizationPolicy
		settings []snapshot.DirectorySetting
		grants   []snapshot.PermissionGrantPolicy
		want     map[string]string // check → level
	}{
		{"Microsoft's defaults of old", authz(true, legacy, teams), []snapshot.DirectorySetting{consentSettings("BlockUserConsentForRiskyApps", "false", "EnableGroupSpecificConsent", "true")}, nil,
			map[string]string{UsersCanRegisterApps: alert.LevelMedium, UserConsentUnrestricted: alert.LevelHigh, RiskBasedConsentOff: alert.LevelMedium, GroupOwnerConsentAllowed: alert.LevelMedium}},
		{"hardened", authz(false, low, teams), []snapshot.DirectorySetting{consentSettings("BlockUserConsentForRiskyApps", "true", "EnableGroupSpecificConsent", "false")}, nil,
			map[string]string{}},
		{"no user consent at all, risky apps not blocked", authz(false), []snapshot.DirectorySetting{consentSettings("BlockUserConsentForRiskyApps", "false")}, nil,
			map[string]string{}},
		{"settings absent keep Microsoft's default of blocking risky consent", authz(false, low), nil, nil, map[string]string{}},
		{"a custom policy that admits unverified apps", authz(false, consentForSelf+"contoso-consent"), nil, []snapshot.PermissionGrantPolicy{{ID: "contoso-consent",
			Includes: []snapshot.PermissionGrantConditions{{PermissionType: "delegated", PermissionClassification: "low"}}}},
			map[string]string{UserConsentUnrestricted: alert.LevelMedium}},
		{"a custom policy the snapshot lacks", authz(false, consentForSelf+"elsewhere"), nil, nil, map[string]string{UserConsentUnrestricted: alert.LevelMedium}},
		{"a custom policy as strict as Microsoft's", authz(false, consentForSelf+"strict"), nil, []snapshot.PermissionGrantPolicy{{ID: "strict",
			Includes: []snapshot.PermissionGrantConditions{{PermissionType: "delegated", PermissionClassification: "low", ClientApplicationsFromVerifiedPublisherOnly: true}}}},
			map[string]string{}},
		{"group owners consent under a custom policy", authz(false, consentForOwned+"all-for-groups"), nil, nil, map[string]string{GroupOwnerConsentAllowed: alert.LevelMedium}},
	}
	ids := []string{UsersCanRegisterApps, UserConsentUnrestricted, RiskBasedConsentOff, GroupOwnerConsentAllowed}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hold(&snapshot.Snapshot{AuthorizationPolicies: []snapshot.AuthorizationPolicy{tt.authz}, DirectorySettings: tt.settings,
				PermissionGrantPolicies: tt.grants}, snapshot.AuthorizationPolicies, snapshot.DirectorySettings, snapshot.PermissionGrantPolicies)
			res := evaluate(t, s, Options{})
			for _, id := range ids {
				got := of(res, id)
				want, wanted := tt.want[id]
				switch {
				case !wanted && len(got) > 0:
					t.Errorf("%s fired: %+v", id, got[0].Evidence)
				case wanted && (len(got) != 1 || got[0].Level != want || got[0].Target.Type != "Policy" || got[0].EventID != "authorizationPolicy"):
					t.Errorf("%s = %+v, want one at %s", id, got, want)
				}
				if r := result(t, res, id); r.Evaluated != 1 {
					t.Errorf("%s evaluated %d", id, r.Evaluated)
				}
			}
		})
	}
}

func TestAdminConsentWorkflow(t *testing.T) {
	for _, tt := range []struct {
		name   string
		policy snapshot.AdminConsentRequestPolicy
		level  string
	}{
		{"off", snapshot.AdminConsentRequestPolicy{}, alert.LevelLow},
		{"on without reviewers", snapshot.AdminConsentRequestPolicy{IsEnabled: true}, alert.LevelMedium},
		{"on with reviewers", snapshot.AdminConsentRequestPolicy{IsEnabled: true, Reviewers: []snapshot.ReviewerScope{{Query: "/users/x"}}}, ""},
	} {
		s := hold(&snapshot.Snapshot{AdminConsentRequestPolicies: []snapshot.AdminConsentRequestPolicy{tt.policy}}, snapshot.AdminConsentPolicies)
		got := of(evaluate(t, s, Options{}), AdminConsentWorkflowOff)
		if tt.level == "" && len(got) > 0 || tt.level != "" && (len(got) != 1 || got[0].Level != tt.level || got[0].EventID != "adminConsentRequestPolicy") {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

func restriction(typ, max string, after time.Duration) snapshot.CredentialRestriction {
	r := snapshot.CredentialRestriction{RestrictionType: typ, MaxLifetime: max}
	if after != 0 {
		r.RestrictForAppsCreatedAfter = at(after)
	}
	return r
}

func TestAppManagementPolicies(t *testing.T) {
	oldApp, _ := app("old")
	oldApp.CreatedDateTime = at(-900 * day)
	oldApp.PasswordCredentials = []snapshot.Credential{secret("s", -10*day, 700*day)}
	newApp, _ := app("new")
	newApp.CreatedDateTime = at(-10 * day)
	strict := &snapshot.AppRestrictions{
		PasswordCredentials: []snapshot.CredentialRestriction{restriction("passwordAddition", "", 0)},
		KeyCredentials:      []snapshot.CredentialRestriction{restriction("asymmetricKeyLifetime", "P180D", 0)},
	}
	tests := []struct {
		name        string
		policies    []snapshot.AppManagementPolicy
		weak        []string // the restrictions reported, or "enabled"/"missing"
		exemptLevel string
	}{
		{"strict", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", IsEnabled: true, ApplicationRestrictions: strict}}, nil, ""},
		{"disabled", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", ApplicationRestrictions: strict}}, []string{"enabled"}, ""},
		{"no default", []snapshot.AppManagementPolicy{{ID: "p1", IsEnabled: true, Restrictions: strict}}, []string{"missing"}, ""},
		{"secrets capped too long, no certificate limit", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", IsEnabled: true,
			ApplicationRestrictions: &snapshot.AppRestrictions{PasswordCredentials: []snapshot.CredentialRestriction{
				restriction("passwordLifetime", "P1Y", 0), restriction("customPasswordAddition", "", 0)}}}},
			[]string{"passwordLifetime", "asymmetricKeyLifetime"}, ""},
		{"a disabled restriction counts as none", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", IsEnabled: true,
			ApplicationRestrictions: &snapshot.AppRestrictions{
				PasswordCredentials: []snapshot.CredentialRestriction{{RestrictionType: "passwordAddition", State: "disabled"}, restriction("passwordLifetime", "P90D", 0),
					restriction("customPasswordAddition", "", 0)},
				KeyCredentials: strict.KeyCredentials}}}, []string{}, ""},
		{"the trap: secrets banned for new apps only", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", IsEnabled: true,
			ApplicationRestrictions: &snapshot.AppRestrictions{
				PasswordCredentials: []snapshot.CredentialRestriction{restriction("passwordAddition", "", -365*day)},
				KeyCredentials:      strict.KeyCredentials}}}, nil, alert.LevelMedium},
		{"a per-app policy turned off", []snapshot.AppManagementPolicy{{ID: "defaultAppManagementPolicy", IsEnabled: true, ApplicationRestrictions: strict},
			{ID: "p1", DisplayName: "Payroll", Restrictions: strict, AppliesTo: []snapshot.Owner{{ID: "app-old"}}}}, []string{"enabled"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hold(&snapshot.Snapshot{Applications: []snapshot.Application{oldApp, newApp}, AppManagementPolicies: tt.policies}, snapshot.AppManagementPolicies)
			res := evaluate(t, s, Options{})
			weak := of(res, AppManagementPolicyWeak)
			if len(tt.weak) == 0 && tt.weak != nil {
				tt.weak = nil
			}
			switch {
			case tt.weak == nil && len(weak) > 0:
				t.Errorf("weak policy reported: %+v", weak[0].Evidence)
			case tt.weak != nil && len(weak) != 1:
				t.Errorf("weak = %+v", weak)
			case tt.weak != nil && tt.weak[0] == "enabled":
				if weak[0].Evidence["enabled"] != false {
					t.Errorf("evidence = %+v", weak[0].Evidence)
				}
			case tt.weak != nil && tt.weak[0] == "missing":
				if weak[0].Evidence["default_policy"] != "missing" {
					t.Errorf("evidence = %+v", weak[0].Evidence)
				}
			case tt.weak != nil:
				got := values(items(t, weak[0], "weaknesses"), "restriction")
				if !same(got, tt.weak) {
					t.Errorf("weaknesses = %v, want %v", got, tt.weak)
				}
			}
			ex := of(res, AppManagementPolicyExempts)
			if tt.exemptLevel == "" {
				if len(ex) > 0 {
					t.Errorf("exemption reported: %+v", ex[0].Evidence)
				}
				return
			}
			if len(ex) != 1 || ex[0].Level != tt.exemptLevel {
				t.Fatalf("exemptions = %+v", ex)
			}
			r := items(t, ex[0], "restrictions")[0]
			if r["restriction"] != "passwordAddition" || r["exempt_apps"] != 1 || r["exempt_with_credentials"] != 1 || r["examples"].([]string)[0] != "App old" {
				t.Errorf("exemption = %+v", r)
			}
		})
	}
}

func TestISODuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"P90D": 90 * day, "P1Y": 365 * day, "P2W": 14 * day, "PT12H": 12 * time.Hour, "P1DT1H30M": day + 90*time.Minute, "PT0.5S": 500 * time.Millisecond, "p30d": 30 * day,
	} {
		if got, ok := isoDuration(in); !ok || got != want {
			t.Errorf("isoDuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "P", "PT", "90D", "P1.5Y2", "P99999999999999999999Y", "PXD"} {
		if d, ok := isoDuration(bad); ok {
			t.Errorf("isoDuration(%q) = %v, want an error", bad, d)
		}
	}
}
