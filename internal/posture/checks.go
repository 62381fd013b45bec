package posture

import (
	"maps"

	"github.com/appwatch/appwatch/internal/alert"
)

// The ids of the posture checks. They are stable: findings, suppressions
// and SARIF results refer to them.
const (
	CredentialLifetimeExceeded           = "credential-lifetime-exceeded"
	CredentialExpired                    = "credential-expired"
	CredentialExpiringSoon               = "credential-expiring-soon"
	SecretInsteadOfCertificate           = "secret-instead-of-certificate"
	CredentialOnServicePrincipal         = "credential-on-service-principal"
	CredentialOnExternalServicePrincipal = "credential-on-external-service-principal"
	RedirectURINotHTTPS                  = "redirect-uri-not-https"
	RedirectURIWildcard                  = "redirect-uri-wildcard"
	RedirectURIShared                    = "redirect-uri-shared"
	RedirectURIUnownedDomain             = "redirect-uri-unowned-domain"
	RedirectURIDangling                  = "redirect-uri-dangling"
	IdentifierURIDangling                = "identifier-uri-dangling"
	IdentifierURIUnownedDomain           = "identifier-uri-unowned-domain"
	LogoutURLMissing                     = "logout-url-missing"
	LogoutURLNotHTTPS                    = "logout-url-not-https"
	LogoutURLDangling                    = "logout-url-dangling"
	TenantWidePrivilegedGrant            = "tenant-wide-privileged-grant"
	PrivilegedApplicationPermission      = "privileged-application-permission"
	ServicePrincipalPrivilegedRole       = "service-principal-privileged-role"
	PrivilegedAppUserOwner               = "privileged-app-user-owner"
)

// check describes one posture check: the guide row it implements, its
// default level, its ATT&CK techniques and its texts.
type check struct {
	id     string
	row    string
	level  string
	attack []string
	texts  map[string]alert.Text
}

// ATT&CK techniques the checks name.
const (
	attackCloudCredentials = "T1098.001" // Account Manipulation: Additional Cloud Credentials
	attackCloudRoles       = "T1098.003" // Account Manipulation: Additional Cloud Roles
	attackAccountManip     = "T1098"     // Account Manipulation
	attackCloudAccounts    = "T1078.004" // Valid Accounts: Cloud Accounts
	attackCredsInFiles     = "T1552.001" // Unsecured Credentials: Credentials In Files
	attackStealToken       = "T1528"     // Steal Application Access Token
	attackDomains          = "T1584.001" // Compromise Infrastructure: Domains
	attackSessionCookie    = "T1539"     // Steal Web Session Cookie
)

// checks returns every check in the order findings are listed.
func checks() []check {
	return []check{
		{CredentialLifetimeExceeded, "credential-lifetime", alert.LevelMedium, []string{attackCloudAccounts, attackCloudCredentials}, textLifetime},
		{CredentialExpired, "credential-lifetime", alert.LevelLow, []string{attackCloudAccounts}, textExpired},
		{CredentialExpiringSoon, "credential-lifetime", alert.LevelInformational, []string{attackCloudAccounts}, textExpiring},
		{SecretInsteadOfCertificate, "credential-lifetime", alert.LevelLow, []string{attackCredsInFiles, attackCloudAccounts}, textSecret},
		{CredentialOnServicePrincipal, "credential-added", alert.LevelMedium, []string{attackCloudCredentials}, textSPCredential},
		{CredentialOnExternalServicePrincipal, "credential-added", alert.LevelHigh, []string{attackCloudCredentials}, textExternalSPCredential},
		{RedirectURINotHTTPS, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectHTTP},
		{RedirectURIWildcard, "redirect-uri-change", alert.LevelHigh, []string{attackStealToken}, textRedirectWildcard},
		{RedirectURIShared, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectShared},
		{RedirectURIUnownedDomain, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectUnowned},
		{RedirectURIDangling, "dangling-uri", alert.LevelHigh, []string{attackStealToken, attackDomains}, textRedirectDangling},
		{IdentifierURIDangling, "dangling-uri", alert.LevelHigh, []string{attackDomains}, textIdentifierDangling},
		{IdentifierURIUnownedDomain, "dangling-uri", alert.LevelMedium, []string{attackDomains}, textIdentifierUnowned},
		{LogoutURLMissing, "logout-url-change", alert.LevelLow, []string{attackSessionCookie}, textLogoutMissing},
		{LogoutURLNotHTTPS, "logout-url-change", alert.LevelLow, []string{attackSessionCookie}, textLogoutHTTP},
		{LogoutURLDangling, "logout-url-change", alert.LevelMedium, []string{attackSessionCookie, attackDomains}, textLogoutDangling},
		{TenantWidePrivilegedGrant, "tenant-wide-delegated-grant", alert.LevelHigh, []string{attackCloudRoles, attackStealToken}, textTenantWideGrant},
		{PrivilegedApplicationPermission, "privileged-app-permission", alert.LevelHigh, []string{attackCloudRoles}, textAppPermission},
		{ServicePrincipalPrivilegedRole, "sp-role-assigned", alert.LevelHigh, []string{attackCloudRoles}, textSPRole},
		{PrivilegedAppUserOwner, "owner-added", alert.LevelHigh, []string{attackAccountManip, attackCloudCredentials}, textUserOwner},
	}
}

// Checks describes every posture check as a rule: its id, guide row,
// default level, ATT&CK techniques and texts in each language. SARIF
// output lists them as the run's rules. The caller owns the result.
func Checks() []*alert.Rule {
	cs := checks()
	out := make([]*alert.Rule, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.rule())
	}
	return out
}

// rule returns a fresh alert.Rule for c.
func (c *check) rule() *alert.Rule {
	return &alert.Rule{
		ID:       c.id,
		GuideRow: c.row,
		Level:    c.level,
		Attack:   append([]string(nil), c.attack...),
		Texts:    maps.Clone(c.texts),
	}
}
