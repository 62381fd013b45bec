package snapshot

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/realdata"
)

// realGraphDir returns the directory of published samples, skipping the test
// when it is absent.
func realGraphDir(tb testing.TB) string {
	tb.Helper()
	return realdata.Dir(tb, "graph-objects")
}

// TestReadRealFiles reads each published Graph file alone and checks the
// values read from it against the file.
func TestReadRealFiles(t *testing.T) {
	dir := realGraphDir(t)
	for _, tc := range []struct {
		file  string
		check func(t *testing.T, s *Snapshot)
	}{
		{"graph-docs__application-get-example1-response.json", func(t *testing.T, s *Snapshot) {
			a := one(t, s.Applications)
			if a.ID != "03ef14b0-ca33-4840-8f4f-d6e91916010e" || a.SignInAudience != "AzureADandPersonalMicrosoftAccount" ||
				a.PublisherDomain != "contoso.com" || a.Web == nil || a.Web.ImplicitGrantSettings == nil ||
				a.Web.ImplicitGrantSettings.EnableIDTokenIssuance || a.SPA != nil || a.PublicClient == nil ||
				a.KeyCredentials == nil || len(a.KeyCredentials) != 0 ||
				!a.CreatedDateTime.Equal(time.Date(2019, 9, 17, 19, 10, 35, 274261800, time.UTC)) {
				t.Errorf("application = %+v", a)
			}
		}},
		{"graph2otel__liveApplications.json", func(t *testing.T, s *Snapshot) {
			if len(s.Applications) != 3 {
				t.Fatalf("%d applications", len(s.Applications))
			}
			a := s.Applications[1]
			pc := a.PasswordCredentials
			if a.DisplayName != "IntuneBrew Automation" || len(pc) != 1 || pc[0].DisplayName != "github-actions" || pc[0].Hint != "xxx" ||
				pc[0].KeyID != "d057c8cf-6a83-43c3-9c05-3bb4e0dee568" ||
				!pc[0].EndDateTime.Equal(time.Date(2028, 6, 5, 0, 0, 0, 0, time.UTC)) ||
				!pc[0].StartDateTime.Equal(time.Date(2026, 6, 5, 20, 15, 38, 261930500, time.UTC)) {
				t.Errorf("application = %+v", a)
			}
		}},
		{"graph2otel__liveServicePrincipals.json", func(t *testing.T, s *Snapshot) {
			if len(s.ServicePrincipals) != 2 || s.ServicePrincipals[1].AppID != "00000002-0000-0ff1-ce00-000000000000" {
				t.Errorf("service principals = %+v", s.ServicePrincipals)
			}
		}},
		{"graph2otel__liveApps.json", func(t *testing.T, s *Snapshot) {
			if len(s.Applications) != 4 {
				t.Fatalf("%d applications", len(s.Applications))
			}
			owned := s.Applications[3] // sorted by id: 067c..., a2, a3, a4
			if owned.ID != "a4" || len(owned.Owners) != 1 || owned.Owners[0].UserPrincipalName != "admin@m7kni.io" {
				t.Errorf("owned app = %+v", owned)
			}
			if s.Applications[0].Owners == nil || len(s.Applications[0].Owners) != 0 {
				t.Errorf("an app with no owners must say so: %+v", s.Applications[0])
			}
		}},
		{"graph2otel__liveSPs.json", func(t *testing.T, s *Snapshot) {
			if len(s.ServicePrincipals) != 3 || s.ServicePrincipals[2].ServicePrincipalType != "ManagedIdentity" {
				t.Errorf("service principals = %+v", s.ServicePrincipals)
			}
		}},
		{"graph2otel__liveFICsEmpty.json", func(t *testing.T, s *Snapshot) {
			a := one(t, s.Applications)
			if a.FederatedIdentityCredentials == nil || len(a.FederatedIdentityCredentials) != 0 {
				t.Errorf("application = %+v", a)
			}
		}},
		{"graph2otel__liveGrantsBody.json", func(t *testing.T, s *Snapshot) {
			if len(s.Grants) != 5 {
				t.Fatalf("%d grants", len(s.Grants))
			}
			principal := 0
			for _, g := range s.Grants {
				if g.ConsentType == "Principal" && g.PrincipalID == "bbcfc3c5-0b93-4135-9ef9-18477a9fb504" {
					principal++
				}
			}
			if principal != 2 || len(s.Grants[0].Scopes()) == 0 {
				t.Errorf("grants = %+v", s.Grants)
			}
		}},
		{"graph2otel__liveGraphAssignedToBody.json", func(t *testing.T, s *Snapshot) {
			if len(s.AppRoleAssignments) != 5 {
				t.Fatalf("%d assignments", len(s.AppRoleAssignments))
			}
			for _, a := range s.AppRoleAssignments {
				if a.ResourceID != "62cb17e7-d25e-4356-ad51-a861585f8634" || a.PrincipalType != "ServicePrincipal" || a.CreatedDateTime.IsZero() {
					t.Errorf("assignment = %+v", a)
				}
			}
		}},
		{"graph2otel__liveGraphSPBody.json", func(t *testing.T, s *Snapshot) {
			sp := one(t, s.ServicePrincipals)
			if len(sp.AppRoles) != 5 || sp.AppRoles[4].Value != "Directory.ReadWrite.All" || !sp.AppRoles[4].ForApplications() {
				t.Errorf("service principal = %+v", sp)
			}
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, problems, err := Read(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			tc.check(t, s)
		})
	}
}

// TestReadRealDirectory reads every published file at once: objects in
// several files merge by id.
func TestReadRealDirectory(t *testing.T) {
	s, problems, err := Read(realGraphDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	graphSP := find(t, s.ServicePrincipals, "62cb17e7-d25e-4356-ad51-a861585f8634", func(v ServicePrincipal) string { return v.ID })
	if len(graphSP.AppRoles) != 5 {
		t.Errorf("Graph's service principal = %+v", graphSP)
	}
	monitor := find(t, s.ServicePrincipals, "012a652a-fb9f-44cd-940e-6ffaf620a54c", func(v ServicePrincipal) string { return v.ID })
	if monitor.ServicePrincipalType != "Application" || monitor.KeyCredentials == nil || monitor.Owners == nil {
		t.Errorf("service principal from two files = %+v", monitor)
	}
	intune := find(t, s.Applications, "067cdb04-d9df-4760-befa-bc05a4014a99", func(a Application) string { return a.ID })
	if intune.SignInAudience != "AzureADMyOrg" || intune.FederatedIdentityCredentials == nil || intune.Owners == nil {
		t.Errorf("application from two files = %+v", intune)
	}
	if len(s.Grants) != 5 || len(s.AppRoleAssignments) != 5 || len(s.Applications) != 8 {
		t.Errorf("%d grants, %d assignments, %d applications", len(s.Grants), len(s.AppRoleAssignments), len(s.Applications))
	}
}

func one[T any](t *testing.T, items []T) T {
	t.Helper()
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	return items[0]
}
