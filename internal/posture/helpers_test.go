package posture

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// now is the time every test evaluates at.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Ids the fixtures use.
const (
	tenantID   = "11111111-1111-4111-8111-111111111111"
	otherOrg   = "22222222-2222-4222-8222-222222222222"
	graphAppID = "00000003-0000-0000-c000-000000000000"
	graphSPID  = "sp-graph"
	globalAdm  = "62e90394-69f5-4237-9190-012177145e10"
	dirReaders = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
	mailRead   = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"
	roleMgmtRW = "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"
	userReadAl = "df021288-bdef-4463-88db-98f22de89214"
)

var (
	refOnce sync.Once
	refData *refdata.Data
	refErr  error
)

// ref loads the reference data once for all tests.
func ref(tb testing.TB) *refdata.Data {
	tb.Helper()
	refOnce.Do(func() { refData, refErr = refdata.Load() })
	if refErr != nil {
		tb.Fatal(refErr)
	}
	return refData
}

// at returns a snapshot time the given duration from now.
func at(d time.Duration) snapshot.Time { return snapshot.Time{Time: now.Add(d)} }

// secret and cert make credentials valid from start to end, relative to
// now.
func secret(id string, start, end time.Duration) snapshot.Credential {
	return snapshot.Credential{KeyID: id, DisplayName: id, StartDateTime: at(start), EndDateTime: at(end)}
}

func cert(id string, start, end time.Duration) snapshot.Credential {
	return snapshot.Credential{KeyID: id, Type: "AsymmetricX509Cert", Usage: "Verify", StartDateTime: at(start), EndDateTime: at(end)}
}

// app returns an app registration of the tenant and its service principal.
func app(id string) (snapshot.Application, snapshot.ServicePrincipal) {
	return snapshot.Application{ID: "app-" + id, AppID: "appid-" + id, DisplayName: "App " + id},
		snapshot.ServicePrincipal{ID: "sp-" + id, AppID: "appid-" + id, DisplayName: "App " + id, AppOwnerOrganizationID: tenantID, ServicePrincipalType: "Application"}
}

// graphSP is Microsoft Graph's service principal with a few of its app
// roles.
func graphSP() snapshot.ServicePrincipal {
	return snapshot.ServicePrincipal{ID: graphSPID, AppID: graphAppID, DisplayName: "Microsoft Graph", AppOwnerOrganizationID: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
		AppRoles: []snapshot.AppRole{{ID: mailRead, Value: "Mail.Read"}, {ID: roleMgmtRW, Value: "RoleManagement.ReadWrite.Directory"}, {ID: userReadAl, Value: "User.Read.All"}}}
}

// contoso is the verified domain list of the fixtures' tenant.
func contoso() []snapshot.Domain {
	return []snapshot.Domain{
		{ID: "contoso.com", IsVerified: true, IsDefault: true},
		{ID: "contoso.onmicrosoft.com", IsVerified: true, IsInitial: true},
		{ID: "unverified.example", IsVerified: false},
	}
}

// parsePolicy parses a policy file's text.
func parsePolicy(tb testing.TB, src string) *policy.Policy {
	tb.Helper()
	p, _, err := policy.Parse("test.yml", []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// evaluate runs Evaluate at now with opts, filling in what they lack.
func evaluate(tb testing.TB, s *snapshot.Snapshot, opts Options) *Result {
	tb.Helper()
	if opts.Ref == nil {
		opts.Ref = ref(tb)
	}
	if opts.Now.IsZero() {
		opts.Now = now
	}
	res, err := Evaluate(context.Background(), s, opts)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range res.Findings {
		checkContract(tb, f)
	}
	return res
}

// checkContract checks what the alert contract asks of every finding.
func checkContract(tb testing.TB, a alert.Alert) {
	tb.Helper()
	if _, err := time.Parse(time.RFC3339, a.Time); err != nil || !strings.HasSuffix(a.Time, "Z") {
		tb.Errorf("%s: time %q is not RFC 3339 UTC", a.RuleID, a.Time)
	}
	if !alert.ValidLevel(a.Level) || a.Title == "" || a.EventID == "" || a.GuideRow == "" || a.Actor.Type != "system" ||
		a.Evidence == nil || len(a.Attack) == 0 || a.Source.Format != SourceFormat || a.Target.ID == "" {
		tb.Errorf("finding breaks the contract: %+v", a)
	}
}

// of returns the findings of one check.
func of(res *Result, id string) []alert.Alert {
	var out []alert.Alert
	for _, f := range res.Findings {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// targets returns the event ids of the findings of one check.
func targets(res *Result, id string) []string {
	var out []string
	for _, f := range of(res, id) {
		out = append(out, f.EventID)
	}
	return out
}

// items returns the list under key in a finding's evidence.
func items(tb testing.TB, a alert.Alert, key string) []map[string]any {
	tb.Helper()
	v, ok := a.Evidence[key].([]map[string]any)
	if !ok {
		tb.Fatalf("%s: evidence[%q] is %T", a.RuleID, key, a.Evidence[key])
	}
	return v
}

// values returns the string field of each item.
func values(list []map[string]any, field string) []string {
	var out []string
	for _, m := range list {
		s, _ := m[field].(string)
		out = append(out, s)
	}
	return out
}

func same(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
