package sink

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
)

// The SARIF 2.1.0 JSON schema (OASIS, sarif-schema-2.1.0.json), reduced to
// the objects and properties appwatch writes: for each object, its
// required properties, its "anyOf required" alternatives and the
// properties it may have. Like the schema, objects other than property
// bags allow no other properties, so a property appwatch starts writing
// fails here until it is added from the schema.
type sarifObject struct {
	required []string
	anyOf    [][]string
	props    map[string]sarifProp
	open     bool // additional properties allowed (property bags)
}

// sarifProp is the schema of one property: its JSON type, the object or
// item it refers to, an enumeration, a minimum, a pattern, a URI format,
// and whether array items must be unique.
type sarifProp struct {
	typ     string // string, integer, number, boolean, object, array, map
	ref     string // object name, for object, array and map
	enum    []string
	min     *float64
	pattern *regexp.Regexp
	format  string // uri or uri-reference
	unique  bool
}

func minimum(v float64) *float64 { return &v }

var (
	sarifLevels = []string{"none", "note", "warning", "error"}
	str_        = sarifProp{typ: "string"}
	bag         = sarifProp{typ: "object", ref: "propertyBag"}
	msgString   = sarifProp{typ: "object", ref: "multiformatMessageString"}
	index       = sarifProp{typ: "integer", min: minimum(-1)}
	line        = sarifProp{typ: "integer", min: minimum(1)}
)

var sarifSubset = map[string]sarifObject{
	"sarifLog": {required: []string{"version", "runs"}, props: map[string]sarifProp{
		"$schema":    {typ: "string", format: "uri"},
		"version":    {typ: "string", enum: []string{"2.1.0"}},
		"runs":       {typ: "array", ref: "run"},
		"properties": bag,
	}},
	"run": {required: []string{"tool"}, props: map[string]sarifProp{
		"tool":               {typ: "object", ref: "tool"},
		"language":           {typ: "string", pattern: regexp.MustCompile(`^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`)},
		"originalUriBaseIds": {typ: "map", ref: "artifactLocation"},
		"results":            {typ: "array", ref: "result"},
		"properties":         bag,
	}},
	"tool": {required: []string{"driver"}, props: map[string]sarifProp{
		"driver":     {typ: "object", ref: "toolComponent"},
		"properties": bag,
	}},
	"toolComponent": {required: []string{"name"}, props: map[string]sarifProp{
		"name":           str_,
		"version":        str_,
		"informationUri": {typ: "string", format: "uri"},
		"rules":          {typ: "array", ref: "reportingDescriptor", unique: true},
		"properties":     bag,
	}},
	"reportingDescriptor": {required: []string{"id"}, props: map[string]sarifProp{
		"id":                   str_,
		"name":                 str_,
		"shortDescription":     msgString,
		"fullDescription":      msgString,
		"help":                 msgString,
		"helpUri":              {typ: "string", format: "uri"},
		"defaultConfiguration": {typ: "object", ref: "reportingConfiguration"},
		"properties":           bag,
	}},
	"multiformatMessageString": {required: []string{"text"}, props: map[string]sarifProp{
		"text": str_, "markdown": str_, "properties": bag,
	}},
	"reportingConfiguration": {props: map[string]sarifProp{
		"enabled":    {typ: "boolean"},
		"level":      {typ: "string", enum: sarifLevels},
		"rank":       {typ: "number", min: minimum(-1)},
		"properties": bag,
	}},
	"result": {required: []string{"message"}, props: map[string]sarifProp{
		"ruleId":              str_,
		"ruleIndex":           index,
		"level":               {typ: "string", enum: sarifLevels},
		"message":             {typ: "object", ref: "message"},
		"locations":           {typ: "array", ref: "location"},
		"partialFingerprints": {typ: "map", ref: "string"},
		"properties":          bag,
	}},
	"message": {anyOf: [][]string{{"text"}, {"id"}}, props: map[string]sarifProp{
		"text": str_, "markdown": str_, "id": str_, "properties": bag,
	}},
	"location": {props: map[string]sarifProp{
		"id":               index,
		"physicalLocation": {typ: "object", ref: "physicalLocation"},
		"message":          {typ: "object", ref: "message"},
		"properties":       bag,
	}},
	"physicalLocation": {anyOf: [][]string{{"address"}, {"artifactLocation"}}, props: map[string]sarifProp{
		"artifactLocation": {typ: "object", ref: "artifactLocation"},
		"region":           {typ: "object", ref: "region"},
		"properties":       bag,
	}},
	"artifactLocation": {props: map[string]sarifProp{
		"uri":        {typ: "string", format: "uri-reference"},
		"uriBaseId":  str_,
		"index":      index,
		"properties": bag,
	}},
	"region": {anyOf: [][]string{{"startLine"}, {"charOffset"}, {"byteOffset"}}, props: map[string]sarifProp{
		"startLine": line, "startColumn": line, "endLine": line, "endColumn": line,
		"charOffset": index, "byteOffset": index, "properties": bag,
	}},
	"propertyBag": {open: true, props: map[string]sarifProp{
		"tags": {typ: "array", ref: "string", unique: true},
	}},
}

// checkSARIF validates v against sarifSubset as the object named kind,
// returning every problem found with its JSON path.
func checkSARIF(v any, kind, path string) []string {
	if kind == "string" {
		if _, ok := v.(string); !ok {
			return []string{path + ": not a string"}
		}
		return nil
	}
	spec, ok := sarifSubset[kind]
	if !ok {
		return []string{path + ": no schema for " + kind}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{path + ": not an object"}
	}
	var errs []string
	for _, r := range spec.required {
		if _, ok := obj[r]; !ok {
			errs = append(errs, fmt.Sprintf("%s: %s is required", path, r))
		}
	}
	if len(spec.anyOf) > 0 && !slices.ContainsFunc(spec.anyOf, func(req []string) bool {
		return !slices.ContainsFunc(req, func(r string) bool { _, ok := obj[r]; return !ok })
	}) {
		errs = append(errs, fmt.Sprintf("%s: needs one of %v", path, spec.anyOf))
	}
	for name, val := range obj {
		p, ok := spec.props[name]
		if !ok {
			if !spec.open {
				errs = append(errs, fmt.Sprintf("%s: property %s not allowed", path, name))
			}
			continue
		}
		errs = append(errs, checkProp(val, p, path+"."+name)...)
	}
	return errs
}

func checkProp(v any, p sarifProp, path string) []string {
	switch p.typ {
	case "string":
		s, ok := v.(string)
		if !ok {
			return []string{path + ": not a string"}
		}
		return checkString(s, p, path)
	case "integer", "number":
		f, ok := v.(float64)
		if !ok || (p.typ == "integer" && f != math.Trunc(f)) {
			return []string{path + ": not an " + p.typ}
		}
		if p.min != nil && f < *p.min {
			return []string{fmt.Sprintf("%s: %v is below %v", path, f, *p.min)}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return []string{path + ": not a boolean"}
		}
	case "object":
		return checkSARIF(v, p.ref, path)
	case "array":
		items, ok := v.([]any)
		if !ok {
			return []string{path + ": not an array"}
		}
		return checkItems(items, p, path)
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		var errs []string
		for k, item := range m {
			errs = append(errs, checkSARIF(item, p.ref, path+"."+k)...)
		}
		return errs
	}
	return nil
}

func checkString(s string, p sarifProp, path string) []string {
	if len(p.enum) > 0 && !slices.Contains(p.enum, s) {
		return []string{fmt.Sprintf("%s: %q not one of %v", path, s, p.enum)}
	}
	if p.pattern != nil && !p.pattern.MatchString(s) {
		return []string{fmt.Sprintf("%s: %q does not match %s", path, s, p.pattern)}
	}
	switch p.format {
	case "uri":
		if u, err := url.Parse(s); err != nil || !u.IsAbs() {
			return []string{fmt.Sprintf("%s: %q is not an absolute URI", path, s)}
		}
	case "uri-reference":
		if _, err := url.Parse(s); err != nil || strings.ContainsAny(s, " \\") {
			return []string{fmt.Sprintf("%s: %q is not a URI reference", path, s)}
		}
	}
	return nil
}

func checkItems(items []any, p sarifProp, path string) []string {
	var errs []string
	seen := map[string]bool{}
	for i, item := range items {
		at := fmt.Sprintf("%s[%d]", path, i)
		errs = append(errs, checkSARIF(item, p.ref, at)...)
		if p.unique {
			b, _ := json.Marshal(item)
			if seen[string(b)] {
				errs = append(errs, at+": repeats an earlier item")
			}
			seen[string(b)] = true
		}
	}
	return errs
}

// TestSARIFChecker makes sure the checker catches what it is meant to.
func TestSARIFChecker(t *testing.T) {
	valid := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a/b.json"},"region":{"startLine":1}}}]}]}]}`
	tests := []struct {
		name string
		doc  string
		want string // a problem the checker must report; empty for none
	}{
		{"valid", valid, ""},
		{"no runs", `{"version":"2.1.0"}`, "runs is required"},
		{"wrong version", strings.Replace(valid, `"2.1.0"`, `"2.0.0"`, 1), "not one of"},
		{"unknown property", strings.Replace(valid, `"name":"x"`, `"name":"x","colour":"red"`, 1), "property colour not allowed"},
		{"no driver name", strings.Replace(valid, `"name":"x"`, `"version":"1"`, 1), "name is required"},
		{"message without text or id", strings.Replace(valid, `{"text":"m"}`, `{"markdown":"m"}`, 1), "needs one of"},
		{"line zero", strings.Replace(valid, `"startLine":1`, `"startLine":0`, 1), "below 1"},
		{"bad level", strings.Replace(valid, `"message"`, `"level":"critical","message"`, 1), "not one of"},
		{"ruleIndex below -1", strings.Replace(valid, `"message"`, `"ruleIndex":-2,"message"`, 1), "below -1"},
		{"bad uri", strings.Replace(valid, `a/b.json`, `a b.json`, 1), "not a URI reference"},
		{"repeated tag", strings.Replace(valid, `"message"`, `"properties":{"tags":["a","a"]},"message"`, 1), "repeats"},
		{"bad language", strings.Replace(valid, `"results"`, `"language":"zh-Hant-TW","results"`, 1), "does not match"},
	}
	for _, tt := range tests {
		var doc any
		if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		errs := checkSARIF(doc, "sarifLog", "$")
		joined := strings.Join(errs, "\n")
		if tt.want == "" && len(errs) > 0 {
			t.Errorf("%s: unexpected problems:\n%s", tt.name, joined)
		}
		if tt.want != "" && !strings.Contains(joined, tt.want) {
			t.Errorf("%s: problems %q do not mention %q", tt.name, errs, tt.want)
		}
	}
}

// githubProblems checks what GitHub code scanning documents as required of
// an uploaded SARIF file, beyond the schema: a $schema, a driver name,
// rules with an id, short and full descriptions (up to 1024 characters)
// and help text, results with a ruleId naming a described rule, a message
// text, a location with an artifact URI and a start line, and partial
// fingerprints; a security-severity, where given, must be a number in
// (0, 10]. It also checks SARIF's own rules that ids are unique,
// names differ from ids, and ruleIndex points at the rule of ruleId.
func githubProblems(log sarifLog) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if log.Schema == "" || log.Version != "2.1.0" || len(log.Runs) == 0 {
		bad("log: $schema %q, version %q, %d runs", log.Schema, log.Version, len(log.Runs))
	}
	for _, run := range log.Runs {
		d := run.Tool.Driver
		if d.Name == "" {
			bad("driver has no name")
		}
		ids := map[string]int{}
		for i, r := range d.Rules {
			if _, dup := ids[r.ID]; dup || r.ID == "" {
				bad("rule %d: id %q empty or repeated", i, r.ID)
			}
			ids[r.ID] = i
			if r.Name == "" || r.Name == r.ID || len(r.Name) > 255 {
				bad("rule %s: name %q", r.ID, r.Name)
			}
			for what, s := range map[string]string{"shortDescription": r.ShortDescription.Text, "fullDescription": r.FullDescription.Text} {
				if s == "" || len([]rune(s)) > 1024 {
					bad("rule %s: %s has %d characters", r.ID, what, len([]rune(s)))
				}
			}
			if r.Help.Text == "" {
				bad("rule %s: no help text", r.ID)
			}
			if !slices.Contains([]string{"note", "warning", "error"}, r.DefaultConfiguration.Level) {
				bad("rule %s: default level %q", r.ID, r.DefaultConfiguration.Level)
			}
			if v, ok := r.Properties["security-severity"]; ok {
				sev, _ := v.(string)
				if f, err := strconv.ParseFloat(sev, 64); err != nil || f <= 0 || f > 10 {
					bad("rule %s: security-severity %q", r.ID, sev)
				}
			}
		}
		for i, res := range run.Results {
			if j, ok := ids[res.RuleID]; !ok || j != res.RuleIndex {
				bad("result %d: ruleId %q, ruleIndex %d", i, res.RuleID, res.RuleIndex)
			}
			if res.Message.Text == "" {
				bad("result %d: no message text", i)
			}
			if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" ||
				res.Locations[0].PhysicalLocation.Region.StartLine < 1 {
				bad("result %d: locations %+v", i, res.Locations)
			}
			if res.PartialFingerprints[lineHashKey] == "" {
				bad("result %d: no %s", i, lineHashKey)
			}
		}
	}
	return errs
}

func TestSARIFStructure(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		alerts []alert.Alert
	}{
		{"sample", Options{Rules: sampleRules(), ToolVersion: "1.0.0", BaseDir: "/data/logs"}, sampleAlerts()},
		{"Japanese, no base", Options{Lang: "ja", Rules: sampleRules()}, sampleAlerts()},
		{"Traditional Chinese", Options{Lang: "zh_TW.UTF-8", Rules: sampleRules()}, sampleAlerts()},
		{"no rules given", Options{}, sampleAlerts()},
		{"no alerts", Options{Rules: sampleRules()}, nil},
		{"bare alert", Options{}, []alert.Alert{{}}},
	}
	for _, tt := range tests {
		out := render(t, "sarif", tt.opts, tt.alerts)
		var doc any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, e := range checkSARIF(doc, "sarifLog", "$") {
			t.Errorf("%s: %s", tt.name, e)
		}
		var log sarifLog
		if err := json.Unmarshal(out, &log); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, e := range githubProblems(log) {
			t.Errorf("%s: %s", tt.name, e)
		}
		if got := len(log.Runs[0].Results); got != len(tt.alerts) {
			t.Errorf("%s: %d results for %d alerts", tt.name, got, len(tt.alerts))
		}
	}
}

// TestSARIFRules checks that every rule given is described, in the order
// given, once, and that rules only alerts name are added after them.
func TestSARIFRules(t *testing.T) {
	rules := sampleRules()
	given := append([]*alert.Rule{nil, rules[3]}, rules...)
	log := decodeSARIF(t, render(t, "sarif", Options{Rules: given}, sampleAlerts()))
	var got []string
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		got = append(got, r.ID)
	}
	want := []string{rules[3].ID}
	for _, r := range rules {
		if r.ID != rules[3].ID {
			want = append(want, r.ID)
		}
	}
	want = append(want, "aw-owner-burst")
	if !slices.Equal(got, want) {
		t.Errorf("rules %q, want %q", got, want)
	}
}

func decodeSARIF(t *testing.T, b []byte) sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	return log
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		level, sarif, severity string
	}{
		{alert.LevelCritical, "error", "9.5"},
		{alert.LevelHigh, "error", "8.0"},
		{alert.LevelMedium, "warning", "5.5"},
		{alert.LevelLow, "note", "3.0"},
		{alert.LevelInformational, "note", "1.0"},
		{"bogus", "warning", ""},
	}
	for _, tt := range tests {
		r := &alert.Rule{ID: "r", Level: tt.level, Texts: map[string]alert.Text{"en": {Title: "T"}}}
		a := alert.Alert{RuleID: "r", Level: tt.level}
		log := decodeSARIF(t, render(t, "sarif", Options{Rules: []*alert.Rule{r}}, []alert.Alert{a}))
		d := log.Runs[0].Tool.Driver.Rules[0]
		sev, _ := d.Properties["security-severity"].(string)
		if d.DefaultConfiguration.Level != tt.sarif || sev != tt.severity || log.Runs[0].Results[0].Level != tt.sarif {
			t.Errorf("%s: rule level %q severity %q, result level %q; want %q, %q", tt.level,
				d.DefaultConfiguration.Level, sev, log.Runs[0].Results[0].Level, tt.sarif, tt.severity)
		}
	}
}

// TestSARIFFingerprints checks that an alert keeps its fingerprint from
// run to run (other alerts, order, time and line may change) and that
// alerts differing in rule, record or target get different ones.
func TestSARIFFingerprints(t *testing.T) {
	fps := func(alerts []alert.Alert) map[string]string {
		log := decodeSARIF(t, render(t, "sarif", Options{}, alerts))
		out := map[string]string{}
		for _, r := range log.Runs[0].Results {
			out[r.RuleID+"|"+r.Properties["event_id"].(string)] = r.PartialFingerprints[fingerprintKey]
		}
		return out
	}
	all := sampleAlerts()
	first := fps(all)
	reordered := slices.Clone(all)
	slices.Reverse(reordered)
	for i := range reordered {
		reordered[i].Time = "2030-01-01T00:00:00Z"
		reordered[i].Source.Line += 100
		reordered[i].OutsideBusinessHours = !reordered[i].OutsideBusinessHours
	}
	second := fps(reordered[:5])
	for k, v := range second {
		if first[k] != v {
			t.Errorf("%s: fingerprint %s changed to %s", k, first[k], v)
		}
	}
	seen := map[string]string{}
	for k, v := range first {
		if other, dup := seen[v]; dup {
			t.Errorf("%s and %s share fingerprint %s", k, other, v)
		}
		seen[v] = k
	}
	a := all[0]
	b := a
	b.Target.ID = "another-app"
	if fingerprint(&a) == fingerprint(&b) {
		t.Error("changing the target kept the fingerprint")
	}
}

func TestArtifactURI(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		base, file string
		uri, id    string
	}{
		{"/data/logs", "/data/logs/audit/a.json", "audit/a.json", srcRoot},
		{"/data/logs/", "/data/logs/x y#1?.json", "x%20y%231%3F.json", srcRoot},
		{"/data/logs", "/data/logs2/a.json", "file:///data/logs2/a.json", ""},
		{"/data/logs", "/data/logs", "file:///data/logs", ""},
		{"/data/logs", "/data/a.json", "file:///data/a.json", ""},
		{"", "/data/logs/a.json", "file:///data/logs/a.json", ""},
		{"", "logs/./day 1.json", "logs/day%201.json", ""},
		{"", "c:odd.json", "./c:odd.json", ""},
		{wd, "testdata/x.json", "testdata/x.json", srcRoot},
		{wd, "../x.json", "../x.json", ""},
		{"/data", "-", "stdin", ""},
		{"/data", "", "unknown", ""},
	}
	for _, tt := range tests {
		s := newSARIF(nil, Options{BaseDir: tt.base})
		uri, id := s.artifactURI(tt.file)
		if uri != tt.uri || id != tt.id {
			t.Errorf("artifactURI(%q) with base %q = %q, %q; want %q, %q", tt.file, tt.base, uri, id, tt.uri, tt.id)
		}
	}
	s := newSARIF(nil, Options{BaseDir: filepath.Join(wd, "testdata")})
	if u, ok := s.baseURI(); !ok || !strings.HasPrefix(u, "file:///") || !strings.HasSuffix(u, "/testdata/") {
		t.Errorf("baseURI = %q, %v", u, ok)
	}
}

func TestAttackURL(t *testing.T) {
	tests := []struct{ id, want string }{
		{"T1098", "https://attack.mitre.org/techniques/T1098/"},
		{"T1098.001", "https://attack.mitre.org/techniques/T1098/001/"},
		{"T109", ""},
		{"T1098.1", ""},
		{"TA0006", ""},
		{"t1098", ""},
		{"T1098.00a", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := attackURL(tt.id); got != tt.want {
			t.Errorf("attackURL(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestRuleName(t *testing.T) {
	tests := []struct {
		id, title, want string
	}{
		{"aw-x", "Credential added to an app", "CredentialAddedToAnApp"},
		{"aw-x", "Sign-in with ROPC (legacy)", "SignInWithROPCLegacy"},
		{"aw-owner-added", "", "AwOwnerAdded"},
		{"Owner", "owner", "RuleOwner"},
		{"x", "!!!", "Rule"},
		{"x", "überprüfung gestartet", "ÜberprüfungGestartet"},
	}
	for _, tt := range tests {
		r := &alert.Rule{ID: tt.id, Texts: map[string]alert.Text{"en": {Title: tt.title}}}
		if got := ruleName(r); got != tt.want {
			t.Errorf("ruleName(%q, %q) = %q, want %q", tt.id, tt.title, got, tt.want)
		}
	}
	long := &alert.Rule{ID: "x", Texts: map[string]alert.Text{"en": {Title: strings.Repeat("é", 300)}}}
	if n := ruleName(long); len(n) > 255 || !strings.HasPrefix(n, "É") {
		t.Errorf("long name: %d bytes, %q…", len(n), n[:4])
	}
}

func TestSARIFMessage(t *testing.T) {
	all := sampleAlerts()
	tests := []struct {
		lang  string
		alert alert.Alert
		want  string
	}{
		{"en", all[4], "Service principal assigned to a directory role: privileged role Global Administrator; by alice@contoso.com; on Backup Agent."},
		{"ja", all[0], `アプリケーションに資格情報が追加されました: 資格情報を追加: Password "ci, "prod" rotation" / 営業時間外 / アクター alice@contoso.com / 対象 Contoso HR Sync。`},
		{"en", alert.Alert{RuleID: "r"}, "r."},
	}
	for _, tt := range tests {
		log := decodeSARIF(t, render(t, "sarif", Options{Lang: tt.lang, Rules: sampleRules()}, []alert.Alert{tt.alert}))
		if got := log.Runs[0].Results[0].Message.Text; got != tt.want {
			t.Errorf("%s message\n got %q\nwant %q", tt.lang, got, tt.want)
		}
	}
}
