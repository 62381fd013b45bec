package refdata

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/appwatch/appwatch/internal/uricheck"
)

// dataFiles maps each data file to its columns.
var dataFiles = map[string][]string{
	resourcesFile:   resourceColumns,
	permissionsFile: permissionColumns,
	entraRolesFile:  entraRoleColumns,
	azureRolesFile:  azureRoleColumns,
	appsFile:        appColumns,
	tenantsFile:     tenantColumns,
	namesFile:       nameColumns,
	activitiesFile:  activityColumns,
}

// embeddedFS returns a writable copy of the embedded data files.
func embeddedFS(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for name := range dataFiles {
		raw, err := fs.ReadFile(files, "data/"+name)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		m[name] = &fstest.MapFile{Data: raw}
	}
	return m
}

func readEmbedded(t *testing.T, name string) table {
	t.Helper()
	tab, err := readTable(embeddedFS(t), name, dataFiles[name])
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestFileHeaders checks that every file names its version and sources.
func TestFileHeaders(t *testing.T) {
	d := mustLoad(t)
	for name := range dataFiles {
		raw, _ := fs.ReadFile(files, "data/"+name)
		if got := headerVersion(raw); got != d.Version() {
			t.Errorf("%s: version %q, want %q", name, got, d.Version())
		}
		if !strings.Contains(strings.ToLower(string(raw)), "# source") && name != namesFile {
			t.Errorf("%s: header does not name its sources", name)
		}
	}
}

// TestIDsAreLowerCaseGUIDs keeps every id column a lower-case GUID, unique
// within its file (permissions: within resource and type).
func TestIDsAreLowerCaseGUIDs(t *testing.T) {
	idColumns := map[string][]int{
		resourcesFile:   {1},
		permissionsFile: {2},
		entraRolesFile:  {0},
		azureRolesFile:  {0},
		appsFile:        {0},
		tenantsFile:     {0},
	}
	for name, cols := range idColumns {
		tab := readEmbedded(t, name)
		seen := map[string]int{}
		for _, r := range tab.rows {
			for _, c := range cols {
				id := r.fields[c]
				if !uricheck.IsGUID(id) || id != strings.ToLower(id) {
					t.Errorf("%s line %d: %q is not a lower-case GUID", name, r.line, id)
				}
				key := id
				if name == permissionsFile {
					key = r.fields[0] + "/" + r.fields[1] + "/" + id
				}
				if prev, dup := seen[key]; dup {
					t.Errorf("%s line %d: id %s already on line %d", name, r.line, id, prev)
				}
				seen[key] = r.line
			}
		}
	}
}

// TestPermissionRows checks that every permission is classified and that
// the curated level never falls below what the name patterns give, so the
// fallback for new permissions stays in line with the data.
func TestPermissionRows(t *testing.T) {
	tab := readEmbedded(t, permissionsFile)
	counts := map[string]int{}
	for _, r := range tab.rows {
		f := r.fields
		level, err := ParseLevel(f[4])
		if err != nil || level == LevelUnknown {
			t.Errorf("line %d: %s is not classified (%q)", r.line, f[3], f[4])
			continue
		}
		typ := PermissionType(f[1])
		if p := patternLevel(f[3], typ); p > level {
			t.Errorf("line %d: %s %s is %s in the data but %s by pattern", r.line, typ, f[3], level, p)
		}
		counts[f[0]+"/"+f[1]]++
	}
	// Microsoft Graph had 574 app roles and 695 scopes when the data was
	// compiled; a large drop means rows were lost.
	if counts["graph/application"] < 570 || counts["graph/delegated"] < 690 {
		t.Errorf("Graph permission counts = %d app roles, %d scopes", counts["graph/application"], counts["graph/delegated"])
	}
	for _, k := range []string{"exo/application", "spo/application", "aadgraph/application", "aadgraph/delegated"} {
		if counts[k] == 0 {
			t.Errorf("no %s permissions", k)
		}
	}
}

// TestRoleCounts pins the number of roles and of privileged Entra roles,
// so that a damaged edit of the files shows up.
func TestRoleCounts(t *testing.T) {
	entra := readEmbedded(t, entraRolesFile)
	privileged := 0
	for _, r := range entra.rows {
		if r.fields[2] == "true" {
			privileged++
		}
	}
	if len(entra.rows) != 123 || privileged != 29 {
		t.Errorf("Entra roles: %d rows, %d privileged; want 123 and 29", len(entra.rows), privileged)
	}
	d := mustLoad(t)
	for _, name := range []string{"Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator", "Reservations Administrator"} {
		if r, ok := d.AzureRole(name); !ok || !r.Privileged || r.Category != "admin" {
			t.Errorf("AzureRole(%q) = %+v, %v; want a privileged admin role", name, r, ok)
		}
	}
}

// TestParseErrors feeds broken copies of the data files to parse.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		edit    func(string) string
		wantErr string
	}{
		{"missing file", permissionsFile, nil, "permissions.csv"},
		{"no version", tenantsFile, dropLine("# version:"), "no \"# version:\" line"},
		{"other version", tenantsFile, replace("# version: 2026-12-07", "# version: 2001-01-01"), "differs"},
		{"bad header", tenantsFile, replace("tenant_id,name", "tenant,name"), "header"},
		{"field count", tenantsFile, appendLine("f8cdef31-a31e-4b4a-93e4-5f571e91255b,a,b"), "wrong number of fields"},
		{"bad guid", permissionsFile, appendLine("graph,application,not-a-guid,X.Read,low,admin"), "not a GUID"},
		{"duplicate id", permissionsFile, appendLine("graph,application,df021288-bdef-4463-88db-98f22de89214,Other.Read,low,admin"), "duplicate application id"},
		{"no level", permissionsFile, appendLine("graph,application,11111111-2222-3333-4444-555555555555,X.Read,,admin"), "is not low, high or critical"},
		{"unknown level", permissionsFile, appendLine("graph,application,11111111-2222-3333-4444-555555555555,X.Read,severe,admin"), "is not low, high or critical"},
		{"unknown resource", permissionsFile, appendLine("nope,application,11111111-2222-3333-4444-555555555555,X.Read,low,admin"), "unknown resource"},
		{"unknown type", permissionsFile, appendLine("graph,role,11111111-2222-3333-4444-555555555555,X.Read,low,admin"), "unknown type"},
		{"guid as value", permissionsFile, appendLine("graph,application,11111111-2222-3333-4444-555555555555,11111111-2222-3333-4444-555555555555,low,admin"), "bad value"},
		{"user consent app role", permissionsFile, appendLine("graph,application,11111111-2222-3333-4444-555555555555,X.Read,low,user"), "user-consentable"},
		{"unknown consent", permissionsFile, appendLine("graph,delegated,11111111-2222-3333-4444-555555555555,X.Read,low,maybe"), "unknown admin_consent"},
		{"value twice, other level", permissionsFile, appendLine("graph,application,11111111-2222-3333-4444-555555555555,User.Read.All,critical,admin"), "listed twice"},
		{"duplicate api key", resourcesFile, appendLine("graph,11111111-2222-3333-4444-555555555555,Other,true,"), "duplicate key"},
		{"alias of two apis", resourcesFile, appendLine("other,11111111-2222-3333-4444-555555555555,Other,true,Microsoft.Exchange"), "already names API"},
		{"empty suffix alias", resourcesFile, appendLine("other,11111111-2222-3333-4444-555555555555,Other,true,*."), "empty host suffix"},
		{"bad sensitive flag", resourcesFile, appendLine("other,11111111-2222-3333-4444-555555555555,Other,yes,"), "not true or false"},
		{"duplicate role name", entraRolesFile, appendLine("11111111-2222-3333-4444-555555555555,Global Administrator,true,"), "duplicate id or name"},
		{"bad privileged flag", entraRolesFile, appendLine("11111111-2222-3333-4444-555555555555,New Role,1,"), "not true or false"},
		{"unknown category", azureRolesFile, appendLine("11111111-2222-3333-4444-555555555555,New Role,false,misc"), "unknown category"},
		{"owner not microsoft", appsFile, appendLine("11111111-2222-3333-4444-555555555555,App,22222222-2222-3333-4444-555555555555"), "not a Microsoft tenant"},
		{"duplicate app", appsFile, appendLine("04b07795-8ddb-461a-bbee-02f9e1bf7b46,Azure CLI again,"), "duplicate app"},
		{"duplicate tenant", tenantsFile, appendLine("f8cdef31-a31e-4b4a-93e4-5f571e91255a,again"), "duplicate tenant"},
		{"unknown name kind", namesFile, appendLine("odd,Contoso"), "unknown kind"},
		{"duplicate name", namesFile, appendLine("generic,TEST"), "duplicate name"},
		{"activity twice", activitiesFile, appendLine("add member to role.,Core Directory,RoleManagement,sp-role-assigned,add,active,done,reference,"), "listed twice"},
		{"activity without service", activitiesFile, appendLine("Frob widget,,RoleManagement,,add,,,reference,why"), "no service"},
		{"unknown change", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,,frob,,,reference,why"), "unknown change"},
		{"unknown assignment", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,,add,sometimes,,reference,why"), "unknown assignment"},
		{"unknown stage", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,,add,active,later,reference,why"), "unknown stage"},
		{"unknown source", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,,add,,,blog,why"), "unknown source"},
		{"unmapped without note", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,,add,,,reference,"), "no note"},
		{"role without stage", activitiesFile, appendLine("Frob widget,PIM,RoleManagement,sp-role-assigned,add,active,,reference,"), "needs a stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := embeddedFS(t)
			if tt.edit == nil {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.edit(string(fsys[tt.file].Data)))}
			}
			_, err := parse(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("parse error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestParseAllowsSharedValue checks the one tolerated duplicate: a value
// listed under two ids with the same level.
func TestParseAllowsSharedValue(t *testing.T) {
	fsys := embeddedFS(t)
	edit := appendLine("graph,application,11111111-2222-3333-4444-555555555555,user.read.all,low,admin")
	fsys[permissionsFile] = &fstest.MapFile{Data: []byte(edit(string(fsys[permissionsFile].Data)))}
	d, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	byValue, _ := known(d, graphID, Application, "User.Read.All")
	byID, _ := known(d, graphID, Application, "11111111-2222-3333-4444-555555555555")
	if byValue.ID != "df021288-bdef-4463-88db-98f22de89214" || byID.Value != "user.read.all" {
		t.Errorf("by value %+v, by id %+v", byValue, byID)
	}
}

func appendLine(line string) func(string) string {
	return func(s string) string { return s + line + "\n" }
}

func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

func dropLine(prefix string) func(string) string {
	return func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(l, prefix) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
}
