package i18n

import "github.com/appwatch/appwatch/internal/guide"

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

// sections gives the section of each of the guide's rows.
var sections = map[string]string{
	"credential-added":            SectionCredentials,
	"credential-lifetime":         SectionCredentials,
	"sp-role-assigned":            SectionPermissions,
	"privileged-app-permission":   SectionPermissions,
	"admin-consent-privileged":    SectionPermissions,
	"sensitive-api-permission":    SectionPermissions,
	"other-api-app-role":          SectionPermissions,
	"tenant-wide-delegated-grant": SectionPermissions,
	"keyvault-access":             SectionKeyVault,
	"user-consent":                SectionPermissions,
	"risky-consent-blocked":       SectionPermissions,
	"ropc-signin":                 SectionAuthFlows,
	"device-code-signin":          SectionAuthFlows,
	"dangling-uri":                SectionConfiguration,
	"redirect-uri-change":         SectionConfiguration,
	"appid-uri-change":            SectionConfiguration,
	"owner-added":                 SectionConfiguration,
	"logout-url-change":           SectionConfiguration,
}

// Rows returns the guide's monitoring rows in the guide's order (see
// guide.Rows), each with its section.
func Rows() []Row {
	rows := guide.Rows()
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = Row{Key: r.Key, Section: SectionOf(r.Key)}
	}
	return out
}

// IsRow reports whether key is one of the guide's rows.
func IsRow(key string) bool {
	return guide.IsRow(key)
}

// SectionOf returns the section of the guide row key, or SectionOther for
// a key that is not one of the guide's rows.
func SectionOf(key string) string {
	if s, ok := sections[key]; ok {
		return s
	}
	return SectionOther
}
