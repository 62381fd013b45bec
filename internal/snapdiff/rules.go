package snapdiff

import (
	"maps"
	"slices"

	"github.com/appwatch/appwatch/internal/alert"
)

// The ids of the changes Diff finds. They are stable: alerts,
// suppressions and SARIF results refer to them.
const (
	CredentialAdded             = "snapshot-credential-added"
	RedirectURIChanged          = "snapshot-redirect-uri-changed"
	IdentifierURIChanged        = "snapshot-identifier-uri-changed"
	LogoutURLChanged            = "snapshot-logout-url-changed"
	OwnerAdded                  = "snapshot-owner-added"
	PrivilegedPermissionGranted = "snapshot-privileged-permission-granted"
	TenantWideGrantAdded        = "snapshot-tenant-wide-grant-added"
	RoleAssigned                = "snapshot-role-assigned"
)

// ATT&CK techniques the changes name.
const (
	attackCloudCredentials = "T1098.001" // Account Manipulation: Additional Cloud Credentials
	attackCloudRoles       = "T1098.003" // Account Manipulation: Additional Cloud Roles
	attackAccountManip     = "T1098"     // Account Manipulation
	attackStealToken       = "T1528"     // Steal Application Access Token
	attackDomains          = "T1584.001" // Compromise Infrastructure: Domains
	attackSessionCookie    = "T1539"     // Steal Web Session Cookie
)

// change describes one kind of change: the guide row, the default level,
// the ATT&CK techniques and the texts.
type change struct {
	id, row, level string
	attack         []string
	texts          map[string]alert.Text
}

// rules returns every kind of change in the order alerts are listed.
func rules() []change {
	return []change{
		{CredentialAdded, "credential-added", alert.LevelHigh, []string{attackCloudCredentials}, textCredential},
		{RedirectURIChanged, "redirect-uri-change", alert.LevelMedium, []string{attackStealToken}, textRedirect},
		{IdentifierURIChanged, "appid-uri-change", alert.LevelHigh, []string{attackDomains}, textIdentifier},
		{LogoutURLChanged, "logout-url-change", alert.LevelLow, []string{attackSessionCookie}, textLogout},
		{OwnerAdded, "owner-added", alert.LevelMedium, []string{attackAccountManip}, textOwner},
		{PrivilegedPermissionGranted, "privileged-app-permission", alert.LevelHigh, []string{attackCloudRoles}, textPermission},
		{TenantWideGrantAdded, "tenant-wide-delegated-grant", alert.LevelHigh, []string{attackCloudRoles, attackStealToken}, textGrant},
		{RoleAssigned, "sp-role-assigned", alert.LevelMedium, []string{attackCloudRoles}, textRole},
	}
}

// ruleByID returns the change of id, which must exist.
func ruleByID(id string) change {
	rs := rules()
	return rs[slices.IndexFunc(rs, func(c change) bool { return c.id == id })]
}

// Rules describes every kind of change as a rule: its id, guide row,
// default level, ATT&CK techniques and texts in each language. SARIF
// output lists them as the run's rules. The caller owns the result.
func Rules() []*alert.Rule {
	var out []*alert.Rule
	for _, c := range rules() {
		out = append(out, c.rule())
	}
	return out
}

func (c change) rule() *alert.Rule {
	return &alert.Rule{ID: c.id, GuideRow: c.row, Level: c.level, Attack: slices.Clone(c.attack), Texts: maps.Clone(c.texts)}
}
