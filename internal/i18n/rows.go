package i18n

// Sections of the guide, as keys for Printer.Section.
const (
	SectionCredentials   = "credentials"
	SectionPermissions   = "permissions"
	SectionKeyVault      = "keyvault"
	SectionAuthFlows     = "auth-flows"
	SectionConfiguration = "configuration"
)

// Row is a monitoring row of the guide and the section it belongs to.
type Row struct {
	Key     string
	Section string
}

// Rows returns the guide's 18 monitoring rows in the guide's order.
func Rows() []Row {
	return []Row{
		{"credential-added", SectionCredentials},
		{"credential-lifetime", SectionCredentials},
		{"sp-role-assigned", SectionPermissions},
		{"privileged-app-permission", SectionPermissions},
		{"admin-consent-privileged", SectionPermissions},
		{"sensitive-api-permission", SectionPermissions},
		{"other-api-app-role", SectionPermissions},
		{"tenant-wide-delegated-grant", SectionPermissions},
		{"keyvault-access", SectionKeyVault},
		{"user-consent", SectionPermissions},
		{"risky-consent-blocked", SectionPermissions},
		{"ropc-signin", SectionAuthFlows},
		{"device-code-signin", SectionAuthFlows},
		{"dangling-uri", SectionConfiguration},
		{"redirect-uri-change", SectionConfiguration},
		{"appid-uri-change", SectionConfiguration},
		{"owner-added", SectionConfiguration},
		{"logout-url-change", SectionConfiguration},
	}
}
