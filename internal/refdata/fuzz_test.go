package refdata

import (
	"testing"
	"testing/fstest"
)

// tinyFS returns a small but complete set of valid data files, so that the
// fuzzer spends its time on the bytes it changes.
func tinyFS() fstest.MapFS {
	head := "# version: v1\n"
	files := map[string]string{
		resourcesFile:   "key,app_id,name,sensitive,aliases\ngraph," + graphID + ",Microsoft Graph,true,\n",
		permissionsFile: "resource,type,id,value,level,admin_consent\n",
		entraRolesFile:  "template_id,name,privileged,aliases\n62e90394-69f5-4237-9190-012177145e10,Global Administrator,true,Company Administrator\n",
		azureRolesFile:  "id,name,privileged,category\n8e3af657-a8ff-443c-a75c-2fe8c4bcb635,Owner,true,admin\n",
		appsFile:        "app_id,name,owner_tenant\n04b07795-8ddb-461a-bbee-02f9e1bf7b46,Microsoft Azure CLI,\n",
		tenantsFile:     "tenant_id,name\nf8cdef31-a31e-4b4a-93e4-5f571e91255a,Microsoft Services\n",
		namesFile:       "kind,name\nwellknown,Microsoft\n",
		activitiesFile:  "activity,services,categories,rows,change,assignment,stage,source,note\nAdd member to role,Core Directory,RoleManagement,sp-role-assigned,add,active,done,reference,\n",
	}
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(head + body)}
	}
	return m
}

// FuzzParse replaces the permissions and resources files with arbitrary
// bytes. parse must either fail with an error or return data whose lookups
// work; it must never panic.
func FuzzParse(f *testing.F) {
	base := tinyFS()
	head := "# version: v1\n"
	f.Add([]byte(head+"key,app_id,name,sensitive,aliases\ngraph,"+graphID+",Microsoft Graph,true,*.x;https://g/\n"),
		[]byte(head+"resource,type,id,value,level,admin_consent\ngraph,delegated,"+graphID+",Mail.Read,high,user\n"))
	f.Add([]byte(head+"key,app_id,name,sensitive,aliases\n\"unterminated"), []byte("#\n"))
	f.Add([]byte(""), []byte(head+"resource,type,id,value,level,admin_consent\n,,,,,\n"))
	f.Fuzz(func(t *testing.T, resources, permissions []byte) {
		fsys := fstest.MapFS{}
		for name, file := range base {
			fsys[name] = file
		}
		fsys[resourcesFile] = &fstest.MapFile{Data: resources}
		fsys[permissionsFile] = &fstest.MapFile{Data: permissions}
		d, err := parse(fsys)
		if err != nil {
			return
		}
		for _, in := range []string{graphID, "https://x.example/", "a;b", ""} {
			d.API(in)
			d.Classify(in, Application, "Mail.Read")
			d.ClassifyScopes(in, []string{"openid Mail.Read", string(permissions)})
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassifyScopes(b *testing.B) {
	d := mustLoad(b)
	scopes := []string{"openid profile email offline_access User.Read Mail.ReadWrite Files.Read.All Directory.Read.All Widget.ReadWrite.All"}
	for b.Loop() {
		d.ClassifyScopes("Microsoft Graph", scopes)
	}
}

func TestTinyFS(t *testing.T) {
	d, err := parse(tinyFS())
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := d.DirectoryRole("company administrator"); !ok || !r.Privileged || d.Version() != "v1" {
		t.Errorf("tiny data: role %+v, %v, version %q", r, ok, d.Version())
	}
}
