package posture

import (
	"slices"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/realdata"
	"github.com/appwatch/appwatch/internal/snapshot"
)

// TestRealGraphObjects evaluates the published Graph objects together:
// two live app registrations hold two-year client secrets, which break
// the default 180-day limit, and three listed with their owners have
// none and no notes; nothing else there breaks a check (the tenant-wide
// grants hold low scopes only, the critical delegated scope is granted to
// one user, the app roles granted are low, the one user owner owns an
// unprivileged app, and no file says whether the multi-tenant apps lock
// their instances).
func TestRealGraphObjects(t *testing.T) {
	s, problems, err := snapshot.Read(realdata.Dir(t, "graph-objects"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("read: %s", p)
	}
	res := evaluate(t, s, Options{Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.RuleID+" "+f.EventID)
	}
	want := []string{
		CredentialLifetimeExceeded + " 1c52dd42-5645-4fd5-b4f4-1f9741d775a2",
		CredentialLifetimeExceeded + " 20310cfa-a958-4e78-92f1-6094aace59c6",
		AppWithoutOwner + " 067cdb04-d9df-4760-befa-bc05a4014a99",
		AppWithoutOwner + " a2",
		AppWithoutOwner + " a3",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("findings = %v, want %v", got, want)
	}
	intune := items(t, res.Findings[0], "credentials")[0]
	if intune["display_name"] != "github-actions" || intune["lifetime_days"] != 730.2 || intune["limit_days"] != 180.0 || intune["kind"] != kindSecret {
		t.Errorf("IntuneBrew secret = %v", intune)
	}
	if tail := items(t, res.Findings[1], "credentials")[0]; tail["lifetime_days"] != 730.0 {
		t.Errorf("Tailscale secret = %v", tail)
	}
	if len(res.Notes) == 0 {
		t.Error("the samples hold no domains, which should be noted")
	}

	late := evaluate(t, s, Options{Now: time.Date(2028, 5, 20, 0, 0, 0, 0, time.UTC)})
	if ids := targets(late, CredentialExpiringSoon); len(ids) != 2 {
		t.Errorf("two weeks before their end the secrets should be expiring: %v", ids)
	}
}
