package sink

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/termtext"
)

// SARIF constants.
const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	toolName       = "appwatch"
	toolInfoURI    = "https://github.com/appwatch/appwatch"
	srcRoot        = "%SRCROOT%"
	fingerprintKey = "appwatchAlert/v1"
	// lineHashKey is the one partial fingerprint GitHub code scanning
	// reads; appwatch fills it with its own alert fingerprint.
	lineHashKey = "primaryLocationLineHash"
	// maxDescription is GitHub's limit on rule descriptions, in
	// characters.
	maxDescription = 1024
)

// sarifLevel maps alert levels to SARIF levels.
var sarifLevel = map[string]string{
	alert.LevelCritical:      "error",
	alert.LevelHigh:          "error",
	alert.LevelMedium:        "warning",
	alert.LevelLow:           "note",
	alert.LevelInformational: "note",
}

// securitySeverity maps alert levels to the scores GitHub code scanning
// turns back into critical, high, medium and low.
var securitySeverity = map[string]string{
	alert.LevelCritical:      "9.5",
	alert.LevelHigh:          "8.0",
	alert.LevelMedium:        "5.5",
	alert.LevelLow:           "3.0",
	alert.LevelInformational: "1.0",
}

// The SARIF objects appwatch writes, with the properties it uses.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		Language           string                      `json:"language,omitempty"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string            `json:"name"`
		Version        string            `json:"version,omitempty"`
		InformationURI string            `json:"informationUri"`
		Rules          []sarifDescriptor `json:"rules"`
	}
	sarifDescriptor struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          map[string]any    `json:"properties"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// sarifWriter keeps the alerts and writes one SARIF log on Close.
type sarifWriter struct {
	w       io.Writer
	opts    Options
	p       *i18n.Printer
	rules   *ruleIndex
	results []sarifResult
	closed  bool
}

func newSARIF(w io.Writer, opts Options) *sarifWriter {
	return &sarifWriter{w: w, opts: opts, p: i18n.NewPrinter(opts.Lang), rules: newRuleIndex(opts.Rules)}
}

func (s *sarifWriter) Write(a alert.Alert) error {
	if s.closed {
		return ErrClosed
	}
	a = normalize(a)
	evidence, err := json.Marshal(a.Evidence)
	if err != nil {
		return fmt.Errorf("write alert %s as SARIF: %w", a.RuleID, err)
	}
	if a.RuleID == "" {
		a.RuleID = "unknown-rule"
	}
	i, ok := s.rules.byID[a.RuleID]
	if !ok {
		i = s.rules.add(ruleOf(&a))
	}
	s.results = append(s.results, s.result(&a, i, evidence))
	return nil
}

func (s *sarifWriter) Close() error {
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           toolName,
			Version:        s.opts.ToolVersion,
			InformationURI: toolInfoURI,
			Rules:          make([]sarifDescriptor, 0, len(s.rules.list)),
		}},
		Language: s.p.Lang(),
		Results:  s.results,
	}
	if run.Results == nil {
		run.Results = []sarifResult{}
	}
	for _, r := range s.rules.list {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, s.descriptor(r))
	}
	if base, ok := s.baseURI(); ok {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: base}}
	}
	b, err := marshalIndent(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}, "")
	if err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	bw := bufio.NewWriter(s.w)
	bw.Write(b)
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	return nil
}

// ruleOf describes the rule of an alert whose rule Options.Rules does not
// list, from what the alert says about it.
func ruleOf(a *alert.Alert) *alert.Rule {
	return &alert.Rule{
		ID:       a.RuleID,
		GuideRow: a.GuideRow,
		Level:    a.Level,
		Attack:   a.Attack,
		Texts:    map[string]alert.Text{"en": {Title: a.Title, Description: a.Description, Remediation: a.Remediation}},
	}
}

// descriptor describes a rule: its texts in the chosen language, its
// default level, its guide row, tags and security severity.
func (s *sarifWriter) descriptor(r *alert.Rule) sarifDescriptor {
	t := r.Text(s.p.Lang())
	title := cmp.Or(t.Title, r.ID)
	full := cmp.Or(t.Description, title)
	help := cmp.Or(t.Remediation, full)
	props := map[string]any{
		"guide_row": r.GuideRow,
		"tags":      uniq(append([]string{"security", r.GuideRow}, r.Attack...)),
	}
	if sev, ok := securitySeverity[r.Level]; ok {
		props["security-severity"] = sev
	}
	return sarifDescriptor{
		ID:                   r.ID,
		Name:                 ruleName(r),
		ShortDescription:     sarifText{Text: clipRunes(title, maxDescription)},
		FullDescription:      sarifText{Text: clipRunes(full, maxDescription)},
		Help:                 sarifText{Text: help, Markdown: s.helpMarkdown(r, help)},
		DefaultConfiguration: sarifConfig{Level: levelOf(r.Level)},
		Properties:           props,
	}
}

// helpMarkdown is the remediation followed by the guide row and links to
// the rule's ATT&CK techniques.
func (s *sarifWriter) helpMarkdown(r *alert.Rule, help string) string {
	var b strings.Builder
	b.WriteString(help)
	if r.GuideRow != "" {
		fmt.Fprintf(&b, "\n\n%s: %s (`%s`)", s.p.Sprintf("col.row"), s.p.Row(r.GuideRow), r.GuideRow)
	}
	var links []string
	for _, id := range r.Attack {
		if u := attackURL(id); u != "" {
			links = append(links, "["+id+"]("+u+")")
		}
	}
	if len(links) > 0 {
		b.WriteString("\n\nMITRE ATT&CK: " + strings.Join(links, ", "))
	}
	return b.String()
}

// attackURL links an ATT&CK technique id (T1098 or T1098.001) to its
// page, or returns "" for anything else.
func attackURL(id string) string {
	tech, sub, hasSub := strings.Cut(id, ".")
	if len(tech) != 5 || tech[0] != 'T' || !digits(tech[1:]) || (hasSub && (len(sub) != 3 || !digits(sub))) {
		return ""
	}
	if hasSub {
		return "https://attack.mitre.org/techniques/" + tech + "/" + sub + "/"
	}
	return "https://attack.mitre.org/techniques/" + tech + "/"
}

func digits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// ruleName turns the rule's English title into the identifier-like name
// SARIF viewers show ("Credential added to an app" becomes
// "CredentialAddedToAnApp"), falling back to the id. SARIF wants the name
// to differ from the id, and GitHub allows 255 characters.
func ruleName(r *alert.Rule) string {
	src := r.Text("en").Title
	if src == "" {
		src = r.ID
	}
	var b strings.Builder
	for _, f := range strings.FieldsFunc(src, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
		rs := []rune(f)
		b.WriteString(strings.ToUpper(string(rs[0])) + string(rs[1:]))
	}
	name := b.String()
	if name == "" || name == r.ID {
		name = "Rule" + name
	}
	if len(name) > 255 {
		name = strings.ToValidUTF8(name[:255], "")
	}
	return name
}

// clipRunes cuts s to at most n characters, ending it with an ellipsis
// when something was cut.
func clipRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + termtext.Ellipsis
}

func levelOf(level string) string {
	if l, ok := sarifLevel[level]; ok {
		return l
	}
	return "warning"
}

// result turns an alert into a SARIF result of the rule at index i.
// evidence is the alert's evidence, already encoded.
func (s *sarifWriter) result(a *alert.Alert, i int, evidence json.RawMessage) sarifResult {
	uri, base := s.artifactURI(a.Source.File)
	props := map[string]any{
		"guide_row":              a.GuideRow,
		"time":                   a.Time,
		"event_id":               a.EventID,
		"tenant_id":              a.TenantID,
		"actor":                  a.Actor,
		"target":                 a.Target,
		"evidence":               evidence,
		"attack":                 a.Attack,
		"outside_business_hours": a.OutsideBusinessHours,
		"record_index":           a.Source.Index,
	}
	if a.ChangeWindow != "" {
		props["change_window"] = a.ChangeWindow
	}
	fp := fingerprint(a)
	return sarifResult{
		RuleID:    a.RuleID,
		RuleIndex: i,
		Level:     levelOf(a.Level),
		Message:   sarifText{Text: s.message(a)},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactLoc{URI: uri, URIBaseID: base},
			Region:           sarifRegion{StartLine: max(a.Source.Line, 1)},
		}}},
		PartialFingerprints: map[string]string{fingerprintKey: fp, lineHashKey: fp[:16] + ":1"},
		Properties:          props,
	}
}

// message says in one sentence what happened: the title, the key
// evidence, who did it and to what.
func (s *sarifWriter) message(a *alert.Alert) string {
	p := s.p
	parts := why(p, a)
	if n := actorName(a.Actor); n != "" {
		parts = append(parts, p.Sprintf("msg.by", n))
	}
	if n := targetName(a.Target); n != "" {
		parts = append(parts, p.Sprintf("msg.on", n))
	}
	msg := cmp.Or(s.rules.title(a, p.Lang()), a.RuleID)
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, p.Sprintf("why.sep"))
	}
	end := p.Sprintf("msg.end")
	return termtext.Clean(strings.TrimRight(msg, ".。")) + end
}

// fingerprint identifies an alert across runs: its rule, the record's id
// and the target, hashed.
func fingerprint(a *alert.Alert) string {
	h := sha256.New()
	for _, s := range []string{a.RuleID, a.EventID, a.Target.Type, a.Target.ID, a.Target.AppID, a.Target.Name} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// artifactURI writes the file an alert came from as a URI reference:
// relative to BaseDir (with uriBaseId %SRCROOT%) when the file is under
// it, a file: URI when it is elsewhere and absolute, and the relative path
// as given otherwise. Standard input is "stdin", an unknown file
// "unknown".
func (s *sarifWriter) artifactURI(file string) (uri, base string) {
	switch file {
	case "":
		return "unknown", ""
	case "-":
		return "stdin", ""
	}
	if s.opts.BaseDir != "" {
		if rel, ok := within(s.opts.BaseDir, file); ok {
			return pathURI(rel), srcRoot
		}
	}
	if filepath.IsAbs(file) {
		return fileURI(file), ""
	}
	return pathURI(filepath.ToSlash(filepath.Clean(file))), ""
}

// within returns file's path relative to dir when file is inside dir.
func within(dir, file string) (string, bool) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	f, err := filepath.Abs(file)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(d, f)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// baseURI is BaseDir as a file: URI ending in a slash, as SARIF wants for
// originalUriBaseIds.
func (s *sarifWriter) baseURI() (string, bool) {
	if s.opts.BaseDir == "" {
		return "", false
	}
	d, err := filepath.Abs(s.opts.BaseDir)
	if err != nil {
		return "", false
	}
	u := fileURI(d)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u, true
}

// pathURI escapes a slash-separated relative path as a URI reference.
func pathURI(p string) string {
	return (&url.URL{Path: p}).String()
}

// fileURI writes an absolute path as a file: URI.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
