// Package guide lists the monitoring rows of the Microsoft Entra security
// operations guide for applications, by the stable keys appwatch uses for
// them (the guide_row of every alert), with the guide's risk level and the
// kind of evidence each row needs.
package guide

import "slices"

// Source is where a row's evidence lives.
type Source string

// Sources of evidence.
const (
	Audit    Source = "audit"    // Entra audit logs
	SignIn   Source = "signin"   // Entra sign-in logs
	KeyVault Source = "keyvault" // Key Vault logs (and Activity Log changes of vaults)
	Graph    Source = "graph"    // application objects read from Microsoft Graph
)

// Row is one monitoring row of the guide.
type Row struct {
	Key     string
	Risk    string // the guide's risk level: high, medium, low, high-to-medium, low-to-medium
	Sources []Source
}

// HasSource reports whether the row can be shown by evidence from s.
func (r Row) HasSource(s Source) bool { return slices.Contains(r.Sources, s) }

// Rows returns the guide's rows in the guide's order.
func Rows() []Row {
	return []Row{
		{"credential-added", "high", []Source{Audit}},
		{"credential-lifetime", "medium", []Source{Graph}},
		{"sp-role-assigned", "high-to-medium", []Source{Audit}},
		{"privileged-app-permission", "high", []Source{Audit}},
		{"admin-consent-privileged", "high", []Source{Audit}},
		{"sensitive-api-permission", "high", []Source{Audit}},
		{"other-api-app-role", "medium", []Source{Audit}},
		{"tenant-wide-delegated-grant", "high", []Source{Audit}},
		{"keyvault-access", "medium", []Source{KeyVault}},
		{"user-consent", "low", []Source{Audit}},
		{"risky-consent-blocked", "medium", []Source{Audit}},
		{"ropc-signin", "medium", []Source{SignIn}},
		{"device-code-signin", "low-to-medium", []Source{SignIn}},
		{"dangling-uri", "high", []Source{Audit, Graph}},
		{"redirect-uri-change", "high", []Source{Audit, Graph}},
		{"appid-uri-change", "high", []Source{Audit}},
		{"owner-added", "medium", []Source{Audit}},
		{"logout-url-change", "low", []Source{Audit, Graph}},
	}
}

// IsRow reports whether key is one of the guide's rows.
func IsRow(key string) bool {
	return slices.ContainsFunc(Rows(), func(r Row) bool { return r.Key == key })
}
