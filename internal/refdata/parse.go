package refdata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// The data files and their columns.
const (
	resourcesFile   = "resources.csv"
	permissionsFile = "permissions.csv"
	entraRolesFile  = "entra_roles.csv"
	azureRolesFile  = "azure_roles.csv"
	appsFile        = "first_party_apps.csv"
	tenantsFile     = "microsoft_tenants.csv"
	namesFile       = "app_names.csv"
	activitiesFile  = "audit_activities.csv"
)

var (
	resourceColumns   = []string{"key", "app_id", "name", "sensitive", "aliases"}
	permissionColumns = []string{"resource", "type", "id", "value", "level", "admin_consent"}
	entraRoleColumns  = []string{"template_id", "name", "privileged", "aliases"}
	azureRoleColumns  = []string{"id", "name", "privileged", "category"}
	appColumns        = []string{"app_id", "name", "owner_tenant"}
	tenantColumns     = []string{"tenant_id", "name"}
	nameColumns       = []string{"kind", "name"}
	activityColumns   = []string{"activity", "services", "categories", "rows", "change", "assignment", "stage", "source", "note"}

	azureCategories = map[string]bool{
		"admin": true, "keyvault": true, "compute": true, "identity": true,
		"automation": true, "security": true, "storage": true, "general": true,
	}
)

const versionPrefix = "# version:"

// row is one data record with the line it came from.
type row struct {
	line   int
	fields []string
}

// table is one parsed data file.
type table struct {
	name    string
	version string
	rows    []row
}

// rowError reports a problem with one record of a data file.
func (t table) rowError(r row, format string, args ...any) error {
	return fmt.Errorf("data/%s line %d: %s", t.name, r.line, fmt.Sprintf(format, args...))
}

// parse reads and checks every data file in fsys.
func parse(fsys fs.FS) (*Data, error) {
	d := &Data{
		apiIndex:      map[string]int{},
		perms:         map[permKey]Permission{},
		dirRoles:      map[string]Role{},
		azureRoles:    map[string]Role{},
		apps:          map[string]App{},
		tenants:       map[string]string{},
		activityIndex: map[string]int{},
	}
	steps := []struct {
		file    string
		columns []string
		load    func(table) error
	}{
		{resourcesFile, resourceColumns, d.loadResources},
		{permissionsFile, permissionColumns, d.loadPermissions},
		{entraRolesFile, entraRoleColumns, func(t table) error { return loadRoles(t, d.dirRoles, false) }},
		{azureRolesFile, azureRoleColumns, func(t table) error { return loadRoles(t, d.azureRoles, true) }},
		{tenantsFile, tenantColumns, d.loadTenants},
		{appsFile, appColumns, d.loadApps},
		{namesFile, nameColumns, d.loadNames},
		{activitiesFile, activityColumns, d.loadActivities},
	}
	for _, s := range steps {
		t, err := readTable(fsys, s.file, s.columns)
		if err != nil {
			return nil, err
		}
		if err := d.checkVersion(t); err != nil {
			return nil, err
		}
		if err := s.load(t); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// checkVersion makes sure all files carry the same version.
func (d *Data) checkVersion(t table) error {
	switch {
	case t.version == "":
		return fmt.Errorf("data/%s: no %q line in the header", t.name, versionPrefix)
	case d.version == "":
		d.version = t.version
	case d.version != t.version:
		return fmt.Errorf("data/%s: version %q differs from %q", t.name, t.version, d.version)
	}
	return nil
}

// readTable reads one CSV data file. Lines starting with "#" are comments;
// the first other line must be the expected column header.
func readTable(fsys fs.FS, name string, columns []string) (table, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return table{}, fmt.Errorf("read data/%s: %w", name, err)
	}
	t := table{name: name, version: headerVersion(raw)}
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comment = '#'
	r.FieldsPerRecord = len(columns)
	header, err := r.Read()
	if err != nil {
		return table{}, fmt.Errorf("read data/%s header: %w", name, err)
	}
	if strings.Join(header, ",") != strings.Join(columns, ",") {
		return table{}, fmt.Errorf("data/%s: header %q, want %q", name, strings.Join(header, ","), strings.Join(columns, ","))
	}
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return table{}, fmt.Errorf("read data/%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		t.rows = append(t.rows, row{line: line, fields: fields})
	}
}

// headerVersion returns the value of the "# version:" comment line.
func headerVersion(raw []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, versionPrefix) {
			return strings.TrimSpace(strings.TrimPrefix(line, versionPrefix))
		}
	}
	return ""
}

// loadResources fills the API list and its name index.
func (d *Data) loadResources(t table) error {
	keys := map[string]bool{}
	for _, r := range t.rows {
		key, appID, name, sensitive, aliases := r.fields[0], r.fields[1], r.fields[2], r.fields[3], r.fields[4]
		if key == "" || keys[key] {
			return t.rowError(r, "missing or duplicate key %q", key)
		}
		keys[key] = true
		if !uricheck.IsGUID(appID) {
			return t.rowError(r, "app_id %q is not a GUID", appID)
		}
		if name == "" {
			return t.rowError(r, "empty name")
		}
		sens, err := parseBool(sensitive)
		if err != nil {
			return t.rowError(r, "sensitive: %v", err)
		}
		api := API{Key: key, AppID: strings.ToLower(appID), Name: name, Sensitive: sens, Aliases: splitList(aliases)}
		if err := d.indexAPI(api); err != nil {
			return t.rowError(r, "%v", err)
		}
	}
	return nil
}

// indexAPI adds api to the list and indexes its id, name and aliases.
func (d *Data) indexAPI(api API) error {
	idx := len(d.apis)
	d.apis = append(d.apis, api)
	names := append([]string{api.AppID, api.Name}, api.Aliases...)
	for _, n := range names {
		if suffix, ok := strings.CutPrefix(n, "*."); ok {
			if suffix == "" {
				return fmt.Errorf("empty host suffix alias")
			}
			d.apiSuffixes = append(d.apiSuffixes, hostSuffix{suffix: "." + strings.ToLower(suffix), api: idx})
			continue
		}
		for _, k := range []string{strings.ToLower(n), strings.TrimSuffix(strings.ToLower(n), "/")} {
			if other, ok := d.apiIndex[k]; ok && other != idx {
				return fmt.Errorf("name %q already names API %q", n, d.apis[other].Key)
			}
			d.apiIndex[k] = idx
		}
	}
	return nil
}

// loadPermissions fills the permission index.
func (d *Data) loadPermissions(t table) error {
	keys := map[string]string{}
	for _, a := range d.apis {
		keys[a.Key] = a.AppID
	}
	for _, r := range t.rows {
		p, err := permissionFromRow(r.fields, keys)
		if err != nil {
			return t.rowError(r, "%v", err)
		}
		if err := d.indexPermission(p); err != nil {
			return t.rowError(r, "%v", err)
		}
	}
	return nil
}

// permissionFromRow checks one permissions.csv record.
func permissionFromRow(f []string, resources map[string]string) (Permission, error) {
	resource, ok := resources[f[0]]
	if !ok {
		return Permission{}, fmt.Errorf("unknown resource %q", f[0])
	}
	typ := PermissionType(f[1])
	if typ != Application && typ != Delegated {
		return Permission{}, fmt.Errorf("unknown type %q", f[1])
	}
	if !uricheck.IsGUID(f[2]) {
		return Permission{}, fmt.Errorf("id %q is not a GUID", f[2])
	}
	if f[3] == "" || uricheck.IsGUID(f[3]) || strings.ContainsAny(f[3], " \t") {
		return Permission{}, fmt.Errorf("bad value %q", f[3])
	}
	level, err := ParseLevel(f[4])
	if err != nil || level == LevelUnknown {
		return Permission{}, fmt.Errorf("level %q is not low, high or critical", f[4])
	}
	consent := Consent(f[5])
	switch {
	case consent != ConsentUnknown && consent != ConsentAdmin && consent != ConsentUser:
		return Permission{}, fmt.Errorf("unknown admin_consent %q", f[5])
	case typ == Application && consent == ConsentUser:
		return Permission{}, fmt.Errorf("app role %q marked as user-consentable", f[3])
	}
	return Permission{
		ID: strings.ToLower(f[2]), Value: f[3], Type: typ, Resource: resource,
		Level: level, Consent: consent, Known: true,
	}, nil
}

// indexPermission indexes p by id and by value. Two ids may share a value
// (Azure AD Graph has two Domain.ReadWrite.All roles) as long as they
// carry the same level; the first one answers lookups by value.
func (d *Data) indexPermission(p Permission) error {
	byID := permKey{p.Resource, p.Type, p.ID}
	if _, dup := d.perms[byID]; dup {
		return fmt.Errorf("duplicate %s id %s", p.Type, p.ID)
	}
	d.perms[byID] = p
	byValue := permKey{p.Resource, p.Type, strings.ToLower(p.Value)}
	if prev, dup := d.perms[byValue]; dup {
		if prev.Level != p.Level {
			return fmt.Errorf("%s %q listed twice with levels %s and %s", p.Type, p.Value, prev.Level, p.Level)
		}
		return nil
	}
	d.perms[byValue] = p
	return nil
}

// loadRoles fills a role index from entra_roles.csv or azure_roles.csv.
// The fourth column holds aliases (Entra) or the category (Azure).
func loadRoles(t table, index map[string]Role, azure bool) error {
	for _, r := range t.rows {
		id, name := r.fields[0], r.fields[1]
		if !uricheck.IsGUID(id) {
			return t.rowError(r, "id %q is not a GUID", id)
		}
		priv, err := parseBool(r.fields[2])
		if err != nil {
			return t.rowError(r, "privileged: %v", err)
		}
		role := Role{ID: strings.ToLower(id), Name: name, Privileged: priv}
		names := []string{name}
		if azure {
			if !azureCategories[r.fields[3]] {
				return t.rowError(r, "unknown category %q", r.fields[3])
			}
			role.Category = r.fields[3]
		} else {
			names = append(names, splitList(r.fields[3])...)
		}
		for _, k := range append([]string{role.ID}, names...) {
			k = strings.ToLower(k)
			if _, dup := index[k]; dup || k == "" {
				return t.rowError(r, "missing or duplicate id or name %q", k)
			}
			index[k] = role
		}
	}
	return nil
}

// loadTenants fills the Microsoft tenant set.
func (d *Data) loadTenants(t table) error {
	for _, r := range t.rows {
		id := strings.ToLower(r.fields[0])
		if !uricheck.IsGUID(id) {
			return t.rowError(r, "tenant_id %q is not a GUID", r.fields[0])
		}
		if _, dup := d.tenants[id]; dup {
			return t.rowError(r, "duplicate tenant %s", id)
		}
		d.tenants[id] = r.fields[1]
	}
	return nil
}

// loadApps fills the first-party app index. Owner tenants must be listed
// in microsoft_tenants.csv.
func (d *Data) loadApps(t table) error {
	for _, r := range t.rows {
		app := App{AppID: strings.ToLower(r.fields[0]), Name: r.fields[1], OwnerTenant: strings.ToLower(r.fields[2])}
		if !uricheck.IsGUID(app.AppID) {
			return t.rowError(r, "app_id %q is not a GUID", r.fields[0])
		}
		if app.Name == "" {
			return t.rowError(r, "empty name")
		}
		if _, ok := d.tenants[app.OwnerTenant]; app.OwnerTenant != "" && !ok {
			return t.rowError(r, "owner_tenant %q is not a Microsoft tenant", app.OwnerTenant)
		}
		if _, dup := d.apps[app.AppID]; dup {
			return t.rowError(r, "duplicate app %s", app.AppID)
		}
		d.apps[app.AppID] = app
	}
	return nil
}

// loadNames fills the well-known and generic name lists.
func (d *Data) loadNames(t table) error {
	seen := map[string]bool{}
	for _, r := range t.rows {
		kind, name := r.fields[0], r.fields[1]
		key := kind + "\x00" + strings.ToLower(name)
		if name == "" || seen[key] {
			return t.rowError(r, "empty or duplicate name %q", name)
		}
		seen[key] = true
		switch kind {
		case "wellknown":
			d.wellKnown = append(d.wellKnown, name)
		case "generic":
			d.generic = append(d.generic, name)
		default:
			return t.rowError(r, "unknown kind %q", kind)
		}
	}
	return nil
}

// Values the columns of audit_activities.csv accept.
var (
	activityChanges     = []string{ChangeAdd, ChangeRemove, ChangeUpdate, ChangeExtend}
	activityAssignments = []string{"", AssignmentActive, AssignmentEligible}
	activityStages      = []string{"", StageDone, StageRequested, StageApproved}
	activitySources     = []string{SourceReference, SourceGuide}
)

// loadActivities fills the audit activity list and its index. A name may
// be listed once, however it is spelled; an activity that no row depends
// on must say why.
func (d *Data) loadActivities(t table) error {
	for _, r := range t.rows {
		f := r.fields
		a := AuditActivity{
			Name: f[0], Key: event.NormalizeActivity(f[0]),
			Services: splitList(f[1]), Categories: splitList(f[2]), Rows: splitList(f[3]),
			Change: f[4], Assignment: f[5], Stage: f[6], Source: f[7], Note: f[8],
		}
		if err := checkActivity(a); err != nil {
			return t.rowError(r, "%v", err)
		}
		if _, dup := d.activityIndex[a.Key]; dup {
			return t.rowError(r, "activity %q is listed twice", a.Name)
		}
		d.activityIndex[a.Key] = len(d.activities)
		d.activities = append(d.activities, a)
	}
	return nil
}

// checkActivity checks the columns of one activity.
func checkActivity(a AuditActivity) error {
	switch {
	case a.Key == "":
		return errors.New("empty activity")
	case len(a.Services) == 0 || len(a.Categories) == 0:
		return fmt.Errorf("activity %q: no service or category", a.Name)
	case !slices.Contains(activityChanges, a.Change):
		return fmt.Errorf("activity %q: unknown change %q", a.Name, a.Change)
	case !slices.Contains(activityAssignments, a.Assignment):
		return fmt.Errorf("activity %q: unknown assignment %q", a.Name, a.Assignment)
	case !slices.Contains(activityStages, a.Stage):
		return fmt.Errorf("activity %q: unknown stage %q", a.Name, a.Stage)
	case !slices.Contains(activitySources, a.Source):
		return fmt.Errorf("activity %q: unknown source %q", a.Name, a.Source)
	case len(a.Rows) == 0 && a.Note == "":
		return fmt.Errorf("activity %q: no row depends on it and no note says why", a.Name)
	case a.IsRoleAssignment() && len(a.Rows) > 0 && a.Stage == "":
		return fmt.Errorf("activity %q: a role assignment a row depends on needs a stage", a.Name)
	}
	return nil
}

// parseBool accepts exactly "true" and "false".
func parseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// splitList splits a ";"-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
