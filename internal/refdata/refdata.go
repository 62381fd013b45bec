// Package refdata holds appwatch's embedded reference data: the resource
// APIs that hold tenant data, the permissions they expose with a risk level
// for each, Microsoft Entra and Azure built-in roles, Microsoft first-party
// applications and tenants, the names used to spot look-alike
// applications, and the audit activities each guide row depends on.
//
// The data ships inside the binary as CSV files under data/; nothing is
// fetched at run time. Every file carries its version, sources and
// classification criteria in a comment header, and docs/reference-data.md
// describes them. Load parses the files once; the returned *Data is
// immutable and safe for concurrent use.
package refdata

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed data/*.csv
var files embed.FS

// Level is the risk level of a permission.
type Level int

// Levels in increasing order of risk. LevelUnknown sorts below LevelLow.
const (
	// LevelUnknown means the permission could not be classified: an id that
	// is not in the data, or an API that appwatch does not know.
	LevelUnknown Level = iota
	// LevelLow covers sign-in scopes, access to one's own data, reads of
	// directory or configuration data and narrow writes.
	LevelLow
	// LevelHigh covers broad access to data or configuration that does not
	// by itself lead to tenant takeover.
	LevelHigh
	// LevelCritical covers permissions that alone open a path to tenant
	// takeover.
	LevelCritical
)

var levelNames = [...]string{"unknown", "low", "high", "critical"}

// String returns the lower-case name of the level.
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel parses a level name as written by Level.String.
func ParseLevel(s string) (Level, error) {
	for i, name := range levelNames {
		if s == name {
			return Level(i), nil
		}
	}
	return LevelUnknown, fmt.Errorf("unknown level %q", s)
}

// PermissionType tells app roles from delegated scopes.
type PermissionType string

// Permission types.
const (
	// Application is an app role, granted to a service principal and used
	// without a signed-in user.
	Application PermissionType = "application"
	// Delegated is an OAuth2 scope, used on behalf of a signed-in user.
	Delegated PermissionType = "delegated"
)

// Consent tells who may consent to a permission.
type Consent string

// Consent values.
const (
	// ConsentUnknown means the data does not say.
	ConsentUnknown Consent = ""
	// ConsentAdmin means only an administrator can consent.
	ConsentAdmin Consent = "admin"
	// ConsentUser means users may consent for themselves.
	ConsentUser Consent = "user"
)

// API is a resource API: the service principal that exposes permissions.
type API struct {
	// Key is the short name used in the data files, for example "graph".
	Key string
	// AppID is the application id of the API, the same in every tenant.
	AppID string
	// Name is the display name of the API's service principal.
	Name string
	// Sensitive is true when the API exposes tenant data or control.
	Sensitive bool
	// Aliases are other names of the API: service principal names,
	// resource URIs and older display names.
	Aliases []string
}

// Permission is an app role or a delegated scope of a resource API.
type Permission struct {
	// ID is the lower-case GUID of the permission. It is empty when the
	// permission was classified from a name that is not in the data.
	ID string
	// Value is the permission name, for example "Mail.ReadWrite".
	Value string
	// Type tells an app role from a delegated scope.
	Type PermissionType
	// Resource is the application id of the resource API, or empty when
	// the API is not known.
	Resource string
	// Level is the risk level.
	Level Level
	// Consent tells who may consent, when known.
	Consent Consent
	// Known is true when the permission is in the data, false when its
	// level was derived from its name alone.
	Known bool
}

// Role is a built-in role of Microsoft Entra ID or of Azure RBAC.
type Role struct {
	// ID is the lower-case template id (Entra) or role definition name
	// (Azure).
	ID string
	// Name is the display name of the role.
	Name string
	// Privileged reports whether the role is privileged (see the data
	// file headers for the criteria of each kind).
	Privileged bool
	// Category groups Azure roles (admin, keyvault, compute, ...). It is
	// empty for Entra roles.
	Category string
}

// App is a Microsoft first-party application.
type App struct {
	// AppID is the lower-case application id.
	AppID string
	// Name is the display name the app shows in logs.
	Name string
	// OwnerTenant is the Microsoft tenant that owns the app, when known.
	OwnerTenant string
}

// Data is the parsed, immutable reference data.
type Data struct {
	version     string
	apis        []API
	apiIndex    map[string]int
	apiSuffixes []hostSuffix
	perms       map[permKey]Permission
	dirRoles    map[string]Role
	azureRoles  map[string]Role
	apps        map[string]App
	tenants     map[string]string
	wellKnown   []string
	generic     []string
	// activities are the audit activities in file order, activityIndex
	// their positions by key.
	activities    []AuditActivity
	activityIndex map[string]int
}

// hostSuffix is an alias of the form "*.example.com".
type hostSuffix struct {
	suffix string // ".example.com"
	api    int
}

// permKey indexes a permission by resource app id, type and lower-case id
// or value.
type permKey struct {
	resource string
	typ      PermissionType
	key      string
}

// Load parses the embedded data. It does the full parse on every call, so
// callers load once and keep the *Data.
func Load() (*Data, error) {
	sub, err := fs.Sub(files, "data")
	if err != nil {
		return nil, fmt.Errorf("open embedded data: %w", err)
	}
	return parse(sub)
}

// Version returns the version of the data, the date it was compiled.
func (d *Data) Version() string { return d.version }
