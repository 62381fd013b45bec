package enrich

import (
	"slices"
	"testing"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

// keyIDs returns the key ids of creds.
func keyIDs(creds []modprop.Credential) []string {
	var out []string
	for _, c := range creds {
		out = append(out, c.KeyID)
	}
	return out
}

// names returns the display names of creds.
func credNames(creds []modprop.Credential) []string {
	var out []string
	for _, c := range creds {
		out = append(out, c.DisplayName)
	}
	return out
}

type credWant struct {
	added, removed []string // key ids
	addedNames     []string // display names, when checked
	before         int
	target         string
}

func checkCredential(t *testing.T, e *event.Event, want credWant) {
	t.Helper()
	got := e.Derived.Credential
	if !slices.Equal(keyIDs(got.Added), want.added) {
		t.Errorf("added = %v, want %v", keyIDs(got.Added), want.added)
	}
	if !slices.Equal(keyIDs(got.Removed), want.removed) {
		t.Errorf("removed = %v, want %v", keyIDs(got.Removed), want.removed)
	}
	if want.addedNames != nil && !slices.Equal(credNames(got.Added), want.addedNames) {
		t.Errorf("added names = %q, want %q", credNames(got.Added), want.addedNames)
	}
	if got.Before != want.before {
		t.Errorf("before = %d, want %d", got.Before, want.before)
	}
	if got.Target != want.target {
		t.Errorf("target = %q, want %q", got.Target, want.target)
	}
}

func TestCredentialReal(t *testing.T) {
	tests := []struct {
		file, activity string
		want           credWant
	}{
		{"audit/elastic-integrations__auditlogs-sample-sp-credentials.log", "Add service principal credentials", credWant{
			added:  []string{"d747da7e-e11b-4af2-aede-0487c44067af"},
			before: 2, target: "ServicePrincipal",
		}},
		{"audit/azure-sentinel__training-lab-AuditLogs_Hunting.csv", "Update application – Certificates and secrets management", credWant{
			added: []string{"11ca002d-d846-4692-8e1f-501db99f485a"}, addedNames: []string{"key 2"},
			before: 1, target: "Application",
		}},
		{"audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", "Update application – Certificates and secrets management", credWant{
			added: []string{"59eaeebc-8a6b-44a6-9f24-7d55e64420c9"}, addedNames: []string{"SimuLandCreds"},
			before: 0, target: "Application",
		}},
		{"audit/sekoia-intake-formats__graphapi__test_event_0077.json", "Create application – Certificates and secrets management", credWant{
			before: 0, target: "Application",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := byActivity(t, realSample(t, tt.file), tt.activity)
			checkCredential(t, e, tt.want)
		})
	}
}

func TestCredentialElasticUpdatesWithoutKeys(t *testing.T) {
	evs := realSample(t, "audit/elastic-integrations__auditlogs-sample-sp-credentials.log")
	for _, e := range evs {
		if e.ActivityKey == "update service principal" && e.Derived.Credential.Target != "" {
			t.Errorf("%s: credential facts %+v from a record without KeyDescription", e.ID, e.Derived.Credential)
		}
	}
}

func TestCredentialFixtures(t *testing.T) {
	evs := fixture(t, "credentials.json", nil)
	tests := []struct {
		id   string
		want credWant
	}{
		// The certificate kept has a comma in its subject; it must not count as changed.
		{"cred-removed", credWant{removed: []string{"0d0d0d0d-1111-4111-8111-111111111111"}, before: 3, target: "Application"}},
		{"cred-no-old", credWant{added: []string{"0d0d0d0d-1111-4111-8111-111111111111"}, addedNames: []string{"ci"}, before: -1, target: "ServicePrincipal"}},
		{"cred-case", credWant{added: []string{"0d0d0d0d-2222-4222-8222-222222222222"}, before: 1, target: "Application"}},
		{"cred-untyped", credWant{removed: []string{"0d0d0d0d-1111-4111-8111-111111111111"}, before: 1, target: "ServicePrincipal"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			checkCredential(t, get(t, evs, tt.id), tt.want)
		})
	}
}
