package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const (
	schemaPath  = "../../docs/policy.schema.json"
	examplePath = "../../examples/policy.yaml"
)

// compileSchema compiles the embedded schema, checking it against the
// 2020-12 meta-schema on the way.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("policy.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("policy.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return s
}

// yamlToJSON turns a YAML node into the value JSON would hold, keeping
// dates and times as the strings they are written as.
func yamlToJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlToJSON(n.Content[0])
	case yaml.AliasNode:
		return yamlToJSON(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: key is not a scalar", k.Line)
			}
			v, err := yamlToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := yamlToJSON(item)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	}
	var v any
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool", "!!null":
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
	return n.Value, nil
}

// schemaCheck validates a YAML document against the schema.
func schemaCheck(t *testing.T, s *jsonschema.Schema, doc string) error {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	v, err := yamlToJSON(&n)
	if err != nil {
		t.Fatalf("not JSON-like: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return s.Validate(inst)
}

func TestSchemaCopyInSync(t *testing.T) {
	docs, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, Schema()) {
		t.Error("internal/policy/schema.json differs from docs/policy.schema.json; run go generate ./internal/policy")
	}
}

func TestSchemaSectionsMatchValidator(t *testing.T) {
	var top struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &top); err != nil {
		t.Fatal(err)
	}
	var inSchema []string
	for k := range top.Properties {
		inSchema = append(inSchema, k)
	}
	want := []string{"version"}
	for _, s := range sections {
		want = append(want, s.key)
	}
	slices.Sort(inSchema)
	slices.Sort(want)
	if !slices.Equal(inSchema, want) {
		t.Errorf("schema sections %v, validator sections %v", inSchema, want)
	}
}

func TestExampleValidates(t *testing.T) {
	src, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	p, diags, err := Parse("policy.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 0 {
		t.Errorf("the example has diagnostics: %v", diags)
	}
	if err := schemaCheck(t, compileSchema(t), string(src)); err != nil {
		t.Errorf("the schema rejects the example: %v", err)
	}
	var root map[string]any
	if err := yaml.Unmarshal(src, &root); err != nil {
		t.Fatal(err)
	}
	for _, s := range sections {
		if _, ok := root[s.key]; !ok {
			t.Errorf("the example does not show the %s section", s.key)
		}
	}
	if p.Tenant().Name != "Contoso" || !p.ApprovedActor("identity-admins@contoso.com") {
		t.Errorf("the example did not load as written: %+v", p.Tenant())
	}
}

// Differences between schema and validator, by name in errorCases.
var (
	// notJSON are documents that are not one YAML document with string
	// keys, so there is nothing to give the schema.
	notJSON = []string{"syntax", "unknown anchor", "two documents", "key not a word"}
	// validatorOnly are errors the schema cannot express: calendars, time
	// zones, comparisons between values, uniqueness, numeric limits.
	validatorOnly = []string{
		"duplicate key", "version as float", "unknown zone", "end before start",
		"end equals start", "per_day end before start", "holiday not a date",
		"one-off end before start", "one-off end before start across offsets",
		"recurring start equals end", "recurring bad zone", "duplicate window name",
		"lifetime zero", "lifetime huge", "lifetime sum huge",
	}
)

func TestSchemaAgreesOnBadDocuments(t *testing.T) {
	s := compileSchema(t)
	for _, tc := range errorCases {
		if slices.Contains(notJSON, tc.name) {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			err := schemaCheck(t, s, tc.doc)
			if slices.Contains(validatorOnly, tc.name) {
				if err != nil {
					t.Errorf("the schema now rejects this document too; take it off validatorOnly: %v", err)
				}
				return
			}
			if err == nil {
				t.Errorf("the validator rejects this document but the schema accepts it")
			}
		})
	}
	for _, name := range slices.Concat(notJSON, validatorOnly) {
		if !slices.ContainsFunc(errorCases, func(c struct{ name, doc, pos, msg string }) bool { return c.name == name }) {
			t.Errorf("%q names no error case", name)
		}
	}
}

// goodDocuments are valid policies beyond the example and the warning cases.
var goodDocuments = []string{
	v1,
	v1 + "tenant: {id: 3F2504E0-4F89-41D3-9A0C-0305E82C3301}\n",
	v1 + "business_hours:\n  timezone: UTC\n",
	v1 + "business_hours:\n  timezone: Australia/Lord_Howe\n  days: [sun]\n  start: \"00:00\"\n  end: \"24:00\"\n",
	v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  ranges: []\n  per_day: {tue: [{start: \"07:00\", end: \"09:00\"}]}\n",
	v1 + "holidays: [\"2025-01-01\", {date: 2025-05-01}]\n",
	v1 + "change_windows:\n  - {name: late, days: [mon, fri], start: \"23:00\", end: \"24:00\"}\n  - {name: once, start: \"2025-06-01T10:00:00.5Z\", end: 2025-06-01T11:00:00-05:00}\n",
	v1 + "approved: {actors: [], apps: [x]}\n",
	v1 + "owned_domains: [xn--cntoso-zxa.com, a-b.example.org.]\n",
	v1 + "credentials: {max_secret_lifetime: 1w1d1h}\n",
	v1 + "suppressions:\n  - {guide_row: dangling-uri, target: [\"https://*.contoso.com/*\", x], reason: r, expires: \"2030-01-01T00:00:00+09:00\"}\n",
	v1 + "severity: {rules: {custom-rule: informational}, guide_rows: {}}\n",
	v1 + "placeholders: {a.b-c_1: [x, y], empty: []}\n",
	v1 + "approved:\n  actors: &admins [a@contoso.com]\nplaceholders:\n  admins: *admins\n",
}

func TestSchemaAgreesOnGoodDocuments(t *testing.T) {
	s := compileSchema(t)
	docs := slices.Clone(goodDocuments)
	for _, w := range warningCases {
		docs = append(docs, w.doc)
	}
	for i, doc := range docs {
		if _, _, err := Parse("p.yaml", []byte(doc)); err != nil {
			t.Errorf("document %d: validator: %v", i, err)
		}
		if err := schemaCheck(t, s, doc); err != nil {
			t.Errorf("document %d: schema: %v\n%s", i, err, doc)
		}
	}
}
