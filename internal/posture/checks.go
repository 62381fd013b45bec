package posture

import (
	"maps"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/snapshot"
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

	AppDormant                  = "app-dormant"
	CredentialUnused            = "credential-unused"
	PermissionUnused            = "permission-unused"
	EntraRecommendation         = "entra-recommendation"
	UsersCanRegisterApps        = "users-can-register-apps"
	UserConsentUnrestricted     = "user-consent-unrestricted"
	RiskBasedConsentOff         = "risk-based-consent-off"
	AdminConsentWorkflowOff     = "admin-consent-workflow-off"
	GroupOwnerConsentAllowed    = "group-owner-consent-allowed"
	AppManagementPolicyWeak     = "app-management-policy-weak"
	AppManagementPolicyExempts  = "app-management-policy-exempts-existing"
	AppWithoutOwner             = "app-without-owner"
	AppOwnerGuest               = "app-owner-guest"
	AppOwnerWeakAuth            = "app-owner-weak-auth"
	AppOwnerServicePrincipal    = "app-owner-service-principal"
	PrivilegedAppCredentialPath = "privileged-app-credential-path"
	ServicePrincipalAzureRole   = "service-principal-azure-role"
	RiskyServicePrincipal       = "risky-service-principal"
	WorkloadIdentityNoCA        = "workload-identity-no-conditional-access"
	AppInstanceLockOff          = "app-instance-lock-off"
	UnverifiedPrivilegedApp     = "unverified-privileged-third-party-app"
	ThirdPartyAppPermission     = "third-party-app-application-permission"
	UserConsentUnverifiedApp    = "user-consent-unverified-multi-tenant-app"
	AgentWithoutSponsor         = "agent-without-sponsor"
	FederatedCredentialIssuer   = "federated-credential-untrusted-issuer"
	FederatedCredentialWildcard = "federated-credential-wildcard"
	SecretBesideFederated       = "secret-beside-federated-credential"
	CertificateReused           = "certificate-reused"
	PermissionOutOfBand         = "permission-granted-out-of-band"
	PublicClientOnPrivilegedApp = "public-client-flows-on-privileged-app"
	ImplicitFlowOnPrivilegedApp = "implicit-flow-on-privileged-app"
)

// Rows beyond the guide's, for the checks that answer none of its rows.
const (
	// RowAppUsage is about apps, credentials and permissions nobody uses,
	// and what Microsoft Entra recommends about apps.
	RowAppUsage = "app-usage"
	// RowTenantSettings is about who may register apps.
	RowTenantSettings = "tenant-settings"
	// RowWorkloadRisk is about workload identity risk and Conditional
	// Access for workload identities and agents.
	RowWorkloadRisk = "workload-identity-risk"
)

// check describes one posture check: the guide row it implements, its
// default level, its ATT&CK techniques, its texts, and the collections
// beyond the core ones it needs.
type check struct {
	id     string
	row    string
	level  string
	attack []string
	texts  map[string]alert.Text
	needs  []snapshot.Collection
}

// needing returns c needing the collections.
func (c check) needing(colls ...snapshot.Collection) check {
	c.needs = colls
	return c
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
	attackCloudAccount     = "T1136.003" // Create Account: Cloud Account
	attackTrusted          = "T1199"     // Trusted Relationship
	attackPrivateKeys      = "T1552.004" // Unsecured Credentials: Private Keys
	attackSpraying         = "T1110.003" // Brute Force: Password Spraying
)

// checks returns every check in the order findings are listed.
func checks() []check {
	return []check{
		{CredentialLifetimeExceeded, "credential-lifetime", alert.LevelMedium, []string{attackCloudAccounts, attackCloudCredentials}, textLifetime, nil},
		{CredentialExpired, "credential-lifetime", alert.LevelLow, []string{attackCloudAccounts}, textExpired, nil},
		{CredentialExpiringSoon, "credential-lifetime", alert.LevelInformational, []string{attackCloudAccounts}, textExpiring, nil},
		{SecretInsteadOfCertificate, "credential-lifetime", alert.LevelLow, []string{attackCredsInFiles, attackCloudAccounts}, textSecret, nil},
		{CredentialOnServicePrincipal, "credential-added", alert.LevelMedium, []string{attackCloudCredentials}, textSPCredential, nil},
		{CredentialOnExternalServicePrincipal, "credential-added", alert.LevelHigh, []string{attackCloudCredentials}, textExternalSPCredential, nil},
		{RedirectURINotHTTPS, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectHTTP, nil},
		{RedirectURIWildcard, "redirect-uri-change", alert.LevelHigh, []string{attackStealToken}, textRedirectWildcard, nil},
		{RedirectURIShared, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectShared, nil},
		{RedirectURIUnownedDomain, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirectUnowned, nil},
		{RedirectURIDangling, "dangling-uri", alert.LevelHigh, []string{attackStealToken, attackDomains}, textRedirectDangling, nil},
		{IdentifierURIDangling, "dangling-uri", alert.LevelHigh, []string{attackDomains}, textIdentifierDangling, nil},
		{IdentifierURIUnownedDomain, "dangling-uri", alert.LevelMedium, []string{attackDomains}, textIdentifierUnowned, nil},
		{LogoutURLMissing, "logout-url-change", alert.LevelLow, []string{attackSessionCookie}, textLogoutMissing, nil},
		{LogoutURLNotHTTPS, "logout-url-change", alert.LevelLow, []string{attackSessionCookie}, textLogoutHTTP, nil},
		{LogoutURLDangling, "logout-url-change", alert.LevelMedium, []string{attackSessionCookie, attackDomains}, textLogoutDangling, nil},
		{TenantWidePrivilegedGrant, "tenant-wide-delegated-grant", alert.LevelHigh, []string{attackCloudRoles, attackStealToken}, textTenantWideGrant, nil},
		{PrivilegedApplicationPermission, "privileged-app-permission", alert.LevelHigh, []string{attackCloudRoles}, textAppPermission, nil},
		{ServicePrincipalPrivilegedRole, "sp-role-assigned", alert.LevelHigh, []string{attackCloudRoles}, textSPRole, nil},
		{PrivilegedAppUserOwner, "owner-added", alert.LevelHigh, []string{attackAccountManip, attackCloudCredentials}, textUserOwner, nil},

		check{id: AppDormant, row: RowAppUsage, level: alert.LevelLow, attack: []string{attackCloudAccounts}, texts: textAppDormant}.needing(snapshot.SignInActivities),
		check{id: CredentialUnused, row: "credential-lifetime", level: alert.LevelLow, attack: []string{attackCloudAccounts, attackCloudCredentials}, texts: textCredentialUnused}.needing(snapshot.CredentialActivities),
		check{id: PermissionUnused, row: RowAppUsage, level: alert.LevelLow, attack: []string{attackCloudRoles}, texts: textPermissionUnused}.needing(snapshot.SignInActivities),
		check{id: EntraRecommendation, row: RowAppUsage, level: alert.LevelLow, attack: []string{attackCloudAccounts}, texts: textRecommendation}.needing(snapshot.Recommendations),
		check{id: UsersCanRegisterApps, row: RowTenantSettings, level: alert.LevelMedium, attack: []string{attackCloudAccount}, texts: textUsersRegister}.needing(snapshot.AuthorizationPolicies),
		check{id: UserConsentUnrestricted, row: "user-consent", level: alert.LevelMedium, attack: []string{attackStealToken}, texts: textUserConsent}.needing(snapshot.AuthorizationPolicies),
		check{id: RiskBasedConsentOff, row: "risky-consent-blocked", level: alert.LevelMedium, attack: []string{attackStealToken}, texts: textRiskyConsent}.needing(snapshot.AuthorizationPolicies, snapshot.DirectorySettings),
		check{id: AdminConsentWorkflowOff, row: "admin-consent-privileged", level: alert.LevelLow, attack: []string{attackStealToken}, texts: textAdminConsentWorkflow}.needing(snapshot.AdminConsentPolicies),
		check{id: GroupOwnerConsentAllowed, row: "user-consent", level: alert.LevelMedium, attack: []string{attackStealToken}, texts: textGroupOwnerConsent}.needing(snapshot.AuthorizationPolicies),
		check{id: AppManagementPolicyWeak, row: "credential-lifetime", level: alert.LevelMedium, attack: []string{attackCloudCredentials}, texts: textAppPolicyWeak}.needing(snapshot.AppManagementPolicies),
		check{id: AppManagementPolicyExempts, row: "credential-lifetime", level: alert.LevelMedium, attack: []string{attackCloudCredentials}, texts: textAppPolicyExempts}.needing(snapshot.AppManagementPolicies),
		check{id: AppWithoutOwner, row: "owner-added", level: alert.LevelLow, attack: []string{attackAccountManip}, texts: textNoOwner},
		check{id: AppOwnerGuest, row: "owner-added", level: alert.LevelMedium, attack: []string{attackAccountManip, attackTrusted}, texts: textGuestOwner},
		check{id: AppOwnerWeakAuth, row: "owner-added", level: alert.LevelLow, attack: []string{attackCloudCredentials, attackCloudAccounts}, texts: textWeakOwner}.needing(snapshot.UserRegistrations),
		check{id: AppOwnerServicePrincipal, row: "owner-added", level: alert.LevelMedium, attack: []string{attackAccountManip, attackCloudCredentials}, texts: textSPOwner},
		check{id: PrivilegedAppCredentialPath, row: "credential-added", level: alert.LevelHigh, attack: []string{attackCloudCredentials, attackCloudRoles}, texts: textCredentialPath},
		check{id: ServicePrincipalAzureRole, row: "sp-role-assigned", level: alert.LevelHigh, attack: []string{attackCloudRoles}, texts: textAzureRole}.needing(snapshot.AzureRoleAssignments),
		check{id: RiskyServicePrincipal, row: RowWorkloadRisk, level: alert.LevelHigh, attack: []string{attackCloudAccounts}, texts: textRiskySP}.needing(snapshot.RiskyServicePrincipals),
		check{id: WorkloadIdentityNoCA, row: RowWorkloadRisk, level: alert.LevelMedium, attack: []string{attackCloudAccounts}, texts: textNoCA}.needing(snapshot.ConditionalAccessPolicies),
		check{id: AppInstanceLockOff, row: "credential-added", level: alert.LevelMedium, attack: []string{attackCloudCredentials}, texts: textInstanceLock},
		check{id: UnverifiedPrivilegedApp, row: "privileged-app-permission", level: alert.LevelHigh, attack: []string{attackTrusted, attackCloudRoles}, texts: textUnverifiedApp},
		check{id: ThirdPartyAppPermission, row: "sensitive-api-permission", level: alert.LevelMedium, attack: []string{attackTrusted}, texts: textThirdPartyPermission},
		check{id: UserConsentUnverifiedApp, row: "user-consent", level: alert.LevelLow, attack: []string{attackStealToken}, texts: textConsentUnverified},
		check{id: AgentWithoutSponsor, row: "owner-added", level: alert.LevelMedium, attack: []string{attackAccountManip}, texts: textNoSponsor}.needing(snapshot.Agents),
		check{id: FederatedCredentialIssuer, row: "credential-added", level: alert.LevelMedium, attack: []string{attackCloudCredentials}, texts: textFICIssuer},
		check{id: FederatedCredentialWildcard, row: "credential-added", level: alert.LevelMedium, attack: []string{attackCloudCredentials}, texts: textFICWildcard},
		check{id: SecretBesideFederated, row: "credential-added", level: alert.LevelLow, attack: []string{attackCredsInFiles}, texts: textSecretBesideFIC},
		check{id: CertificateReused, row: "credential-added", level: alert.LevelMedium, attack: []string{attackPrivateKeys}, texts: textCertReused},
		check{id: PermissionOutOfBand, row: "sensitive-api-permission", level: alert.LevelMedium, attack: []string{attackCloudRoles}, texts: textOutOfBand},
		check{id: PublicClientOnPrivilegedApp, row: "ropc-signin", level: alert.LevelMedium, attack: []string{attackSpraying, attackCloudAccounts}, texts: textPublicClient},
		check{id: ImplicitFlowOnPrivilegedApp, row: "redirect-uri-change", level: alert.LevelMedium, attack: []string{attackStealToken}, texts: textImplicitFlow},
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
