package posture

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// hold marks collections as held by s, as Collect or Read would.
func hold(s *snapshot.Snapshot, colls ...snapshot.Collection) *snapshot.Snapshot {
	if s.Contexts == nil {
		s.Contexts = map[snapshot.Collection]string{}
	}
	for _, c := range colls {
		s.Contexts[c] = snapshot.DefaultMetadata + "#" + string(c)
	}
	return s
}

// result returns how check id ended.
func result(tb testing.TB, res *Result, id string) CheckResult {
	tb.Helper()
	i := slices.IndexFunc(res.Checks, func(c CheckResult) bool { return c.ID == id })
	if i < 0 {
		tb.Fatalf("no result for %s", id)
	}
	return res.Checks[i]
}

func signedIn(appID string, last, appOnly, delegated time.Duration) snapshot.ServicePrincipalSignInActivity {
	act := func(d time.Duration) *snapshot.SignInActivity {
		if d == 0 {
			return nil
		}
		return &snapshot.SignInActivity{LastSignInDateTime: at(d)}
	}
	return snapshot.ServicePrincipalSignInActivity{ID: "act-" + appID, AppID: appID, LastSignInActivity: act(last),
		ApplicationClient: act(appOnly), DelegatedClient: act(delegated)}
}

// usageTenant has four apps of the tenant: "fresh" signed in yesterday
// with an unused delegated grant, "stale" last signed in 200 days ago and
// holds Mail.Read, "never" was created two years ago and never signed in
// (a secret only), "new" was created last week and never signed in.
func usageTenant() *snapshot.Snapshot {
	s := &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{graphSP()}}
	for _, id := range []string{"fresh", "stale", "never", "new"} {
		a, sp := app(id)
		a.CreatedDateTime = at(-730 * day)
		s.Applications = append(s.Applications, a)
		s.ServicePrincipals = append(s.ServicePrincipals, sp)
	}
	s.Applications[3].CreatedDateTime = at(-7 * day)
	s.Applications[2].PasswordCredentials = []snapshot.Credential{secret("s-never", -400*day, 300*day)}
	s.Applications[3].PasswordCredentials = []snapshot.Credential{secret("s-new", -7*day, 100*day)}
	s.Grants = []snapshot.Grant{{ID: "g-fresh", ClientID: "sp-fresh", ConsentType: "AllPrincipals", ResourceID: graphSPID, Scope: "User.Read Mail.ReadWrite"}}
	s.AppRoleAssignments = []snapshot.AppRoleAssignment{
		{ID: "ara-stale", AppRoleID: mailRead, PrincipalID: "sp-stale", PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
		{ID: "ara-fresh", AppRoleID: userReadAl, PrincipalID: "sp-fresh", PrincipalType: "ServicePrincipal", ResourceID: graphSPID},
	}
	s.SignInActivities = []snapshot.ServicePrincipalSignInActivity{
		signedIn("appid-fresh", -day, -day, 0),
		signedIn("appid-stale", -200*day, -200*day, 0),
	}
	return hold(s, snapshot.SignInActivities)
}

func TestDormantApps(t *testing.T) {
	res := evaluate(t, usageTenant(), Options{})
	if got := targets(res, AppDormant); !slices.Equal(got, []string{"sp-never", "sp-stale"}) {
		t.Fatalf("dormant = %v", got)
	}
	stale := of(res, AppDormant)[1]
	if stale.Level != alert.LevelMedium || stale.Evidence["days_since_sign_in"] != 200.0 || stale.GuideRow != RowAppUsage ||
		stale.Evidence["privileges"] == nil || stale.Evidence["holds"].(map[string]any)["application_permissions"] != 1 {
		t.Errorf("stale app = %+v", stale)
	}
	never := of(res, AppDormant)[0]
	if never.Level != alert.LevelLow || never.Evidence["last_sign_in"] != nil || never.Evidence["holds"].(map[string]any)["current_credentials"] != 1 {
		t.Errorf("app that never signed in = %+v", never)
	}
	if r := result(t, res, AppDormant); r.Status != StatusFail || r.Evaluated != 4 || r.Findings != 2 {
		t.Errorf("result = %+v", r)
	}
	// A shorter dormancy period takes in nothing more: "fresh" signed in
	// yesterday and "new" is a week old.
	short := evaluate(t, usageTenant(), Options{DormantAfter: 8 * day})
	if got := targets(short, AppDormant); len(got) != 2 {
		t.Errorf("dormant after 8 days = %v", got)
	}
}

func TestUnusedPermissions(t *testing.T) {
	res := evaluate(t, usageTenant(), Options{})
	got := of(res, PermissionUnused)
	// "fresh" signs in app-only but never on behalf of users, so its
	// delegated grant is unused; "stale" is dormant and reported as such.
	if len(got) != 1 || got[0].EventID != "sp-fresh" {
		t.Fatalf("unused permissions = %+v", got)
	}
	unused := items(t, got[0], "unused")
	if len(unused) != 1 || unused[0]["type"] != "delegated" || unused[0]["last_used"] != nil || got[0].Level != alert.LevelMedium {
		t.Errorf("finding = %+v", got[0])
	}
}

func TestUsageReportsEmptyOrMissing(t *testing.T) {
	s := usageTenant()
	s.SignInActivities = nil
	res := evaluate(t, s, Options{})
	for _, id := range []string{AppDormant, PermissionUnused} {
		if r := result(t, res, id); r.Status != StatusNotEvaluated || !strings.Contains(r.Reason, "holds no records") {
			t.Errorf("%s with an empty report = %+v", id, r)
		}
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "did not run") }) {
		t.Errorf("notes = %q", res.Notes)
	}

	missing := usageTenant()
	delete(missing.Contexts, snapshot.SignInActivities)
	missing.Gaps = []snapshot.Gap{{Collection: snapshot.SignInActivities, Status: 403, Code: "Authorization_RequestDenied", Permission: "AuditLog.Read.All"}}
	r := result(t, evaluate(t, missing, Options{}), AppDormant)
	if r.Status != StatusNotEvaluated || !strings.Contains(r.Reason, "grant AuditLog.Read.All") || r.Evaluated != 0 {
		t.Errorf("without the report = %+v", r)
	}
	unlicensed := usageTenant()
	delete(unlicensed.Contexts, snapshot.SignInActivities)
	unlicensed.Gaps = []snapshot.Gap{{Collection: snapshot.SignInActivities, Status: 403, Licence: "Microsoft Entra ID P1"}}
	if r := result(t, evaluate(t, unlicensed, Options{}), AppDormant); !strings.Contains(r.Reason, "lacks Microsoft Entra ID P1") {
		t.Errorf("without a licence = %+v", r)
	}
	old := usageTenant()
	delete(old.Contexts, snapshot.SignInActivities)
	if r := result(t, evaluate(t, old, Options{}), AppDormant); r.Reason != "the snapshot holds no servicePrincipalSignInActivities" {
		t.Errorf("an older snapshot = %+v", r)
	}
}

func TestUnusedCredentials(t *testing.T) {
	a, sp := app("a")
	a.PasswordCredentials = []snapshot.Credential{
		secret("used", -300*day, 60*day),
		secret("idle", -300*day, 60*day),
		secret("young", -10*day, 60*day),
		secret("gone", -400*day, -day),
	}
	sp.KeyCredentials = []snapshot.Credential{cert("sp-idle", -200*day, 100*day)}
	s := hold(&snapshot.Snapshot{Applications: []snapshot.Application{a}, ServicePrincipals: []snapshot.ServicePrincipal{sp},
		CredentialActivities: []snapshot.AppCredentialSignInActivity{
			{ID: "c1", KeyID: "USED", AppID: a.AppID, SignInActivity: &snapshot.SignInActivity{LastSignInDateTime: at(-3 * day)}},
			{ID: "c2", KeyID: "idle", AppID: a.AppID, SignInActivity: &snapshot.SignInActivity{LastSignInDateTime: at(-120 * day)}},
		}}, snapshot.CredentialActivities)
	res := evaluate(t, s, Options{})
	got := of(res, CredentialUnused)
	if len(got) != 2 {
		t.Fatalf("findings = %+v", got)
	}
	if ids := values(items(t, got[0], "credentials"), "key_id"); got[0].EventID != "app-a" || !slices.Equal(ids, []string{"idle"}) {
		t.Errorf("app = %v %v", got[0].EventID, ids)
	}
	if c := items(t, got[1], "credentials")[0]; got[1].EventID != "sp-a" || c["key_id"] != "sp-idle" || c["last_sign_in"] != nil || got[1].GuideRow != "credential-lifetime" {
		t.Errorf("service principal = %+v", got[1])
	}
	if r := result(t, res, CredentialUnused); r.Evaluated != 2 {
		t.Errorf("result = %+v", r)
	}
}

func TestRecommendations(t *testing.T) {
	s := hold(&snapshot.Snapshot{Recommendations: []snapshot.Recommendation{
		{ID: "t_Microsoft.Identity.IAM.Insights.StaleApps", RecommendationType: "staleApps", Status: "active", Priority: "medium", DisplayName: "Remove unused applications",
			ImpactedResources: []snapshot.ImpactedResource{{ID: "x", SubjectID: "app-1", DisplayName: "Old app", ResourceType: "app", Status: "active"},
				{ID: "y", SubjectID: "app-2", Status: "completedBySystem"}}},
		{ID: "t_Microsoft.Identity.IAM.Insights.AdalToMsalMigration", RecommendationType: "unknownFutureValue", Status: "active", Priority: "low"},
		{ID: "t_Microsoft.Identity.IAM.Insights.StaleAppCreds", RecommendationType: "staleAppCreds", Status: "dismissed"},
		{ID: "t_Microsoft.Identity.IAM.Insights.TenantMFA", RecommendationType: "tenantMFA", Status: "active", Priority: "high"},
	}}, snapshot.Recommendations)
	res := evaluate(t, s, Options{})
	got := of(res, EntraRecommendation)
	if len(got) != 2 {
		t.Fatalf("findings = %+v", got)
	}
	adal, stale := got[0], got[1]
	if adal.Evidence["recommendation"] != "adalToMsalMigration" || adal.Level != alert.LevelMedium || adal.Target.Type != "Recommendation" {
		t.Errorf("ADAL = %+v", adal)
	}
	if objs := items(t, stale, "impacted"); stale.Level != alert.LevelLow || len(objs) != 1 || objs[0]["id"] != "app-1" || stale.Evidence["impacted_count"] != 2 {
		t.Errorf("stale apps = %+v", stale)
	}
	if r := result(t, res, EntraRecommendation); r.Evaluated != 4 || r.Findings != 2 {
		t.Errorf("result = %+v", r)
	}
}

// TestReasonsTranslated fails when a reason a check is not evaluated for,
// given by a constant rather than a literal the command line's message
// test finds, has no text in a language.
func TestReasonsTranslated(t *testing.T) {
	for _, key := range append([]string{emptySignIns, emptyCredentials}, snapshot.GapFormats()...) {
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, key) {
				t.Errorf("no %s text for %q; add it to internal/i18n/cli.go", lang, key)
			}
		}
	}
}
