package posture

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
)

func TestCredentialLifetime(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		cred   snapshot.Credential
		secret bool
		want   bool
	}{
		{"secret of exactly 180 days", "", secret("k", -day, 179*day), true, false},
		{"secret of 180 days less a fraction, as the portal writes it", "", secret("k", -day+500*time.Millisecond, 179*day), true, false},
		{"secret of 181 days", "", secret("k", -day, 180*day), true, true},
		{"two-year secret created yesterday", "", secret("k", -day, 729*day), true, true},
		{"secret created long ago and valid for 150 days more", "", secret("k", -400*day, 150*day), true, true},
		{"certificate of 365 days", "", cert("k", -10*day, 355*day), false, false},
		{"certificate of 400 days", "", cert("k", -10*day, 390*day), false, true},
		{"secret of 100 days under a 90-day policy", "version: 1\ncredentials: {max_secret_lifetime: 90d}\n", secret("k", -day, 99*day), true, true},
		{"certificate of 2 years under a 3-year policy", "version: 1\ncredentials: {max_certificate_lifetime: 1095d}\n", cert("k", -day, 729*day), false, false},
		{"secret without a start date", "", snapshot.Credential{KeyID: "k", EndDateTime: at(700 * day)}, true, false},
		{"expired three-year secret", "", secret("k", -1100*day, -5*day), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := app("a")
			if tt.secret {
				a.PasswordCredentials = []snapshot.Credential{tt.cred}
			} else {
				a.KeyCredentials = []snapshot.Credential{tt.cred}
			}
			opts := Options{}
			if tt.policy != "" {
				opts.Policy = parsePolicy(t, tt.policy)
			}
			res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}}, opts)
			got := of(res, CredentialLifetimeExceeded)
			if (len(got) == 1) != tt.want {
				t.Fatalf("findings = %v, want one: %v", got, tt.want)
			}
			if !tt.want {
				return
			}
			f := got[0]
			creds := items(t, f, "credentials")
			start, _ := when(tt.cred.StartDateTime)
			end, _ := when(tt.cred.EndDateTime)
			if f.GuideRow != "credential-lifetime" || f.Level != alert.LevelMedium || f.EventID != "app-a" || f.Target.Type != "Application" ||
				len(creds) != 1 || creds[0]["lifetime_days"] != days(end.Sub(start)) || creds[0]["key_id"] != "k" {
				t.Errorf("finding = %+v", f)
			}
		})
	}
}

func TestExpiry(t *testing.T) {
	tests := []struct {
		name        string
		end         time.Duration
		warn        time.Duration
		wantExpired bool
		wantSoon    bool
	}{
		{"expired ten days ago", -10 * day, 0, true, false},
		{"expires in ten days", 10 * day, 0, false, true},
		{"expires in forty days", 40 * day, 0, false, false},
		{"expires in forty days, sixty days' warning", 40 * day, 60 * day, false, true},
		{"expires in an hour", time.Hour, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sp := app("a")
			sp.PreferredSingleSignOnMode = "saml"
			sp.KeyCredentials = []snapshot.Credential{cert("k", -100*day, tt.end)}
			a.PasswordCredentials = []snapshot.Credential{secret("s", -100*day, tt.end)}
			s := &snapshot.Snapshot{Applications: []snapshot.Application{a}, ServicePrincipals: []snapshot.ServicePrincipal{sp}}
			res := evaluate(t, s, Options{ExpiryWarning: tt.warn})
			for _, c := range []struct {
				id   string
				want bool
			}{{CredentialExpired, tt.wantExpired}, {CredentialExpiringSoon, tt.wantSoon}} {
				got := targets(res, c.id)
				if want := []string{"app-a", "sp-a"}; c.want != same(got, want) || !c.want && len(got) > 0 {
					t.Errorf("%s on %v, want on both app and SAML service principal: %v", c.id, got, c.want)
				}
			}
		})
	}
}

func TestExpiringSoonCanBeTurnedOff(t *testing.T) {
	a, _ := app("a")
	a.PasswordCredentials = []snapshot.Credential{secret("soon", -100*day, 2*day), secret("gone", -100*day, -2*day)}
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}}, Options{ExpiryWarning: -1})
	if len(of(res, CredentialExpiringSoon)) != 0 || len(of(res, CredentialExpired)) != 1 {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestExpiringEvidence(t *testing.T) {
	a, _ := app("a")
	a.PasswordCredentials = []snapshot.Credential{secret("s", -100*day, 12*day+12*time.Hour)}
	res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}}, Options{})
	got := of(res, CredentialExpiringSoon)
	if len(got) != 1 || items(t, got[0], "credentials")[0]["expires_in_days"] != 12.5 || got[0].Evidence["warning_days"] != 30.0 ||
		got[0].Level != alert.LevelInformational {
		t.Errorf("findings = %+v", got)
	}
}

func TestUnreadableDatesAreIgnored(t *testing.T) {
	var bad snapshot.Time
	if err := json.Unmarshal([]byte(`"next spring"`), &bad); err != nil {
		t.Fatal(err)
	}
	a, _ := app("a")
	a.PasswordCredentials = []snapshot.Credential{{KeyID: "k", StartDateTime: at(-1000 * day), EndDateTime: bad}}
	if res := evaluate(t, &snapshot.Snapshot{Applications: []snapshot.Application{a}}, Options{}); len(res.Findings) != 0 {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestSAMLSigningCertificatesKeepNoLifetimeLimit(t *testing.T) {
	_, saml := app("saml")
	saml.PreferredSingleSignOnMode = "saml"
	saml.KeyCredentials = []snapshot.Credential{cert("sign", -day, 3*365*day)}
	_, plain := app("plain")
	plain.KeyCredentials = []snapshot.Credential{cert("verify", -day, 3*365*day)}
	res := evaluate(t, &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{plain, saml}}, Options{})
	if got := targets(res, CredentialLifetimeExceeded); !slices.Equal(got, []string{"sp-plain"}) {
		t.Errorf("lifetime findings on %v, want only the non-SAML service principal", got)
	}
	if got := targets(res, CredentialOnServicePrincipal); !slices.Equal(got, []string{"sp-plain"}) {
		t.Errorf("placement findings on %v, want only the non-SAML service principal", got)
	}
}

func TestManagedIdentitiesAreSkipped(t *testing.T) {
	_, mi := app("mi")
	mi.ServicePrincipalType = "ManagedIdentity"
	mi.KeyCredentials = []snapshot.Credential{cert("k", -400*day, -day)}
	if res := evaluate(t, &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{mi}}, Options{}); len(res.Findings) != 0 {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestSecretInsteadOfCertificate(t *testing.T) {
	tests := []struct {
		name       string
		keys       []snapshot.Credential
		secrets    []snapshot.Credential
		privileged bool
		wantLevel  string
		reasons    []string
	}{
		{"secret and certificate", []snapshot.Credential{cert("c", -day, 90*day)}, []snapshot.Credential{secret("s", -day, 90*day)}, false, alert.LevelLow, []string{"has_certificate"}},
		{"secret alone", nil, []snapshot.Credential{secret("s", -day, 90*day)}, false, "", nil},
		{"secret on a privileged app", nil, []snapshot.Credential{secret("s", -day, 90*day)}, true, alert.LevelMedium, []string{"privileged"}},
		{"both reasons", []snapshot.Credential{cert("c", -day, 90*day)}, []snapshot.Credential{secret("s", -day, 90*day)}, true, alert.LevelMedium, []string{"has_certificate", "privileged"}},
		{"expired secret beside a certificate", []snapshot.Credential{cert("c", -day, 90*day)}, []snapshot.Credential{secret("s", -100*day, -day)}, false, "", nil},
		{"secret beside an expired certificate", []snapshot.Credential{cert("c", -100*day, -day)}, []snapshot.Credential{secret("s", -day, 90*day)}, false, "", nil},
		{"secret beside a symmetric key", []snapshot.Credential{{KeyID: "sym", Type: "Symmetric", EndDateTime: at(90 * day)}}, []snapshot.Credential{secret("s", -day, 90*day)}, false, "", nil},
		{"certificate alone on a privileged app", []snapshot.Credential{cert("c", -day, 90*day)}, nil, true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, sp := app("a")
			a.KeyCredentials, a.PasswordCredentials = tt.keys, tt.secrets
			s := &snapshot.Snapshot{Applications: []snapshot.Application{a}, ServicePrincipals: []snapshot.ServicePrincipal{graphSP(), sp}}
			if tt.privileged {
				s.AppRoleAssignments = []snapshot.AppRoleAssignment{{ID: "ara", AppRoleID: mailRead, PrincipalID: sp.ID, PrincipalType: "ServicePrincipal", ResourceID: graphSPID}}
			}
			got := of(evaluate(t, s, Options{}), SecretInsteadOfCertificate)
			if tt.wantLevel == "" {
				if len(got) > 0 {
					t.Errorf("findings = %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Level != tt.wantLevel || got[0].EventID != "app-a" || !slices.Equal(got[0].Evidence["reasons"].([]string), tt.reasons) {
				t.Errorf("findings = %+v", got)
			}
		})
	}
}

func TestCredentialsOnServicePrincipals(t *testing.T) {
	own, ownSP := app("own")
	ownSP.PasswordCredentials = []snapshot.Credential{secret("s", -day, 90*day)}
	g := graphSP()
	g.KeyCredentials = []snapshot.Credential{cert("backdoor", -day, 90*day)}
	partner := snapshot.ServicePrincipal{ID: "sp-partner", AppID: "appid-partner", DisplayName: "Partner CRM", AppOwnerOrganizationID: otherOrg,
		PasswordCredentials: []snapshot.Credential{secret("p", -day, 90*day)}}
	stale := snapshot.ServicePrincipal{ID: "sp-stale", AppID: "appid-stale", AppOwnerOrganizationID: tenantID,
		PasswordCredentials: []snapshot.Credential{secret("old", -100*day, -day)}}
	bare := snapshot.ServicePrincipal{ID: "sp-bare", AppID: "appid-bare", AppOwnerOrganizationID: otherOrg}
	s := &snapshot.Snapshot{
		Applications:      []snapshot.Application{own},
		ServicePrincipals: []snapshot.ServicePrincipal{bare, g, ownSP, partner, stale},
	}
	res := evaluate(t, s, Options{})
	if got := targets(res, CredentialOnServicePrincipal); !slices.Equal(got, []string{"sp-own"}) {
		t.Errorf("credential-on-service-principal on %v", got)
	}
	ext := of(res, CredentialOnExternalServicePrincipal)
	if len(ext) != 2 {
		t.Fatalf("external findings = %+v", ext)
	}
	for _, f := range ext {
		want := map[string]string{graphSPID: originFirstParty, "sp-partner": originMultiTenant}[f.EventID]
		if f.Evidence["app_origin"] != want || f.Level != alert.LevelHigh || f.GuideRow != "credential-added" {
			t.Errorf("%s: origin %v level %s, want %s", f.EventID, f.Evidence["app_origin"], f.Level, want)
		}
	}
	if res.Findings[0].TenantID != tenantID {
		t.Errorf("tenant id %q was not taken from the tenant's own app", res.Findings[0].TenantID)
	}
}

func TestTenantOfOtherOrganisationsNeedsATenantID(t *testing.T) {
	partner := snapshot.ServicePrincipal{ID: "sp-partner", AppID: "appid-partner", AppOwnerOrganizationID: otherOrg,
		PasswordCredentials: []snapshot.Credential{secret("p", -day, 90*day)}}
	s := &snapshot.Snapshot{ServicePrincipals: []snapshot.ServicePrincipal{partner}}
	if got := targets(evaluate(t, s, Options{}), CredentialOnServicePrincipal); len(got) != 1 {
		t.Errorf("without a tenant id the origin is unknown; findings %v", got)
	}
	res := evaluate(t, s, Options{Policy: parsePolicy(t, "version: 1\ntenant: {id: "+tenantID+"}\n")})
	if got := targets(res, CredentialOnExternalServicePrincipal); len(got) != 1 {
		t.Errorf("with the policy's tenant id the app is another organisation's; findings %v", res.Findings)
	}
}
