package i18n

// Sections of the guide, as keys for Printer.Section.
const (
	SectionCredentials   = "credentials"
	SectionPermissions   = "permissions"
	SectionKeyVault      = "keyvault"
	SectionAuthFlows     = "auth-flows"
	SectionConfiguration = "configuration"
	// SectionOther holds rules beyond the guide's rows.
	SectionOther = "other"
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

// IsRow reports whether key is one of the guide's rows.
func IsRow(key string) bool {
	return SectionOf(key) != SectionOther
}

// SectionOf returns the section of the guide row key, or SectionOther for
// a key that is not one of the guide's rows.
func SectionOf(key string) string {
	for _, r := range Rows() {
		if r.Key == key {
			return r.Section
		}
	}
	return SectionOther
}
