package refdata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realDir holds the published log samples (see its MANIFEST.md). Tests
// that need it skip when it is absent.
const realDir = "../../../shared/data/real"

// graphSPObjectID is the object id of the Microsoft Graph service
// principal in the tenant of the graph2otel samples: their grants and
// appRoles point at it instead of at Graph's app id.
const graphSPObjectID = "62cb17e7-d25e-4356-ad51-a861585f8634"

// sampleRef is one permission reference found in a sample.
type sampleRef struct {
	file     string
	resource string
	typ      PermissionType // "" when the record does not say
	key      string         // id or value
	value    string         // expected value when the record pairs it with an id
}

// collector walks decoded JSON and gathers permission references.
type collector struct {
	file string
	refs []sampleRef
	spns []sampleRef // key holds a TargetId.ServicePrincipalNames value
}

func (c *collector) add(resource string, typ PermissionType, key, value string) {
	if key = strings.TrimSpace(key); key != "" {
		c.refs = append(c.refs, sampleRef{file: c.file, resource: resource, typ: typ, key: key, value: value})
	}
}

// walk visits v. resource is the resource API named by the enclosing
// audit target, if any. Strings that hold JSON are decoded and walked too,
// since audit records nest JSON in strings, sometimes twice.
func (c *collector) walk(v any, resource string) {
	switch v := v.(type) {
	case map[string]any:
		c.visitMap(v, resource)
	case []any:
		for _, e := range v {
			c.walk(e, resource)
		}
	case string:
		s := strings.TrimSpace(v)
		if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") || strings.HasPrefix(s, `"`) {
			var inner any
			if json.Unmarshal([]byte(s), &inner) == nil {
				c.walk(inner, resource)
			}
		}
	}
}

func (c *collector) visitMap(m map[string]any, resource string) {
	if _, ok := m["modifiedProperties"]; ok {
		resource, _ = m["displayName"].(string)
	}
	name, _ := m["displayName"].(string)
	newValue := unquote(m["newValue"])
	switch name {
	case "AppRole.Value":
		c.add(resource, Application, newValue, "")
	case "DelegatedPermissionGrant.Scope":
		for _, s := range strings.Fields(newValue) {
			c.add(resource, Delegated, s, "")
		}
	case "TargetId.ServicePrincipalNames":
		c.spns = append(c.spns, sampleRef{file: c.file, resource: resource, key: newValue})
	}
	c.visitRequiredAccess(m)
	c.visitGraphObjects(m)
	for _, v := range m {
		c.walk(v, resource)
	}
}

// visitRequiredAccess handles requiredResourceAccess in both the audit
// form (ResourceAppId, RequiredAppPermissions, EntitlementId) and the
// Graph application form (resourceAppId, resourceAccess).
func (c *collector) visitRequiredAccess(m map[string]any) {
	if appID, ok := m["ResourceAppId"].(string); ok {
		perms, _ := m["RequiredAppPermissions"].([]any)
		for _, p := range perms {
			pm, _ := p.(map[string]any)
			id, _ := pm["EntitlementId"].(string)
			typ := Delegated
			if direct, _ := pm["DirectAccessGrant"].(bool); direct {
				typ = Application
			}
			c.add(appID, typ, id, "")
		}
	}
	if appID, ok := m["resourceAppId"].(string); ok {
		access, _ := m["resourceAccess"].([]any)
		for _, a := range access {
			am, _ := a.(map[string]any)
			id, _ := am["id"].(string)
			typ := Delegated
			if am["type"] == "Role" {
				typ = Application
			}
			c.add(appID, typ, id, "")
		}
	}
}

// visitGraphObjects handles Graph grants, app role assignments and the
// appRoles of the Graph service principal.
func (c *collector) visitGraphObjects(m map[string]any) {
	if scope, ok := m["scope"].(string); ok && m["consentType"] != nil && m["resourceId"] == graphSPObjectID {
		for _, s := range strings.Fields(scope) {
			c.add(graphID, Delegated, s, "")
		}
	}
	if id, ok := m["appRoleId"].(string); ok {
		if res, _ := m["resourceDisplayName"].(string); res != "" {
			c.add(res, Application, id, "")
		}
	}
	if m["id"] == graphSPObjectID {
		roles, _ := m["appRoles"].([]any)
		for _, r := range roles {
			rm, _ := r.(map[string]any)
			id, _ := rm["id"].(string)
			value, _ := rm["value"].(string)
			c.add(graphID, Application, id, value)
		}
	}
}

// unquote turns an audit newValue such as "\"Mail.ReadWrite\"" into its
// plain text.
func unquote(v any) string {
	s, _ := v.(string)
	var inner string
	if json.Unmarshal([]byte(s), &inner) == nil {
		return inner
	}
	return s
}

// collectSamples decodes every JSON or JSON Lines sample under dir.
func collectSamples(t *testing.T, dir string) *collector {
	t.Helper()
	c := &collector{}
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".csv") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c.file = filepath.Base(path)
		var whole any
		if json.Unmarshal(raw, &whole) == nil {
			c.walk(whole, "")
			return nil
		}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var line any
			if json.Unmarshal(sc.Bytes(), &line) == nil {
				c.walk(line, "")
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatalf("read samples: %v", err)
	}
	return c
}

// TestRealSamplesResolve checks that every permission the published log
// samples mention resolves in the data, with the value the record pairs
// with an id where it gives one.
func TestRealSamplesResolve(t *testing.T) {
	if _, err := os.Stat(realDir); err != nil {
		t.Skipf("samples not available: %v", err)
	}
	d := mustLoad(t)
	c := collectSamples(t, realDir)
	resolved := map[string]bool{}
	for _, r := range c.refs {
		p, ok := resolveRef(d, r)
		if !ok {
			t.Errorf("%s: %s %q on %q does not resolve", r.file, r.typ, r.key, r.resource)
			continue
		}
		if r.value != "" && p.Value != r.value {
			t.Errorf("%s: %s has value %q in the sample, %q in the data", r.file, r.key, r.value, p.Value)
		}
		resolved[p.Value] = true
	}
	// Permissions named in the task and present in the samples.
	for _, v := range []string{"TeamSettings.Read.All", "SMTP.SendAsApp", "Mail.ReadWrite", "User.Read", "Directory.ReadWrite.All", "AuditLog.Read.All"} {
		if !resolved[v] {
			t.Errorf("no sample reference to %s was found and resolved", v)
		}
	}
	for _, s := range c.spns {
		want, known := d.API(s.resource)
		if !known {
			continue
		}
		if got, ok := d.API(s.key); !ok || got.AppID != want.AppID {
			t.Errorf("%s: service principal names of %q resolve to %q, %v", s.file, s.resource, got.Name, ok)
		}
	}
}

// resolveRef looks a reference up as the type the record gives, or as
// either type when it does not.
func resolveRef(d *Data, r sampleRef) (Permission, bool) {
	if r.typ != Delegated {
		if p, ok := known(d, r.resource, Application, r.key); ok {
			return p, true
		}
	}
	if r.typ != Application {
		return known(d, r.resource, Delegated, r.key)
	}
	return Permission{}, false
}
