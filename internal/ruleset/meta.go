package ruleset

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/guide"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/sigma"
)

// Languages returns the language tags rule texts may be given in: the
// languages appwatch speaks (see i18n.Langs), English first.
func Languages() []string { return i18n.Langs() }

// Keys of appwatch's own top-level rule keys.
const (
	keyGuideRow     = "guide_row"
	keyRemediation  = "remediation"
	keyTranslations = "translations"
)

var (
	kebab      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	attackTech = regexp.MustCompile(`^attack\.(t\d{4}(\.\d{3})?)$`)
	textKeys   = map[string]bool{"title": true, "description": true, "remediation": true, "falsepositives": true}
)

// metaReader collects the problems found in one rule's metadata.
type metaReader struct {
	r       *sigma.Rule
	builtin bool
	errs    []error
}

// errorf records a problem at the line and column of node n, or at the
// start of the rule when n is nil.
func (m *metaReader) errorf(n *yaml.Node, format string, args ...any) {
	e := &sigma.Error{File: m.r.File, Line: m.r.Line, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	m.errs = append(m.errs, e)
}

// readMeta reads and checks the metadata of r. Built-in rules must carry
// everything; user rules may leave out translations, remediation,
// description and ATT&CK tags.
func readMeta(r *sigma.Rule, builtin bool) (alert.Rule, error) {
	m := &metaReader{r: r, builtin: builtin}
	meta := alert.Rule{
		ID:       m.id(),
		GuideRow: m.guideRow(),
		Level:    m.level(),
		Attack:   m.attack(),
		Texts:    map[string]alert.Text{},
	}
	en := alert.Text{Title: r.Title, Description: r.Description, Remediation: m.scalar(keyRemediation), FalsePositives: r.FalsePositives}
	if builtin && en.Description == "" {
		m.errorf(nil, "rule has no description")
	}
	if builtin && en.Remediation == "" {
		m.errorf(nil, "rule has no remediation")
	}
	for lang, t := range m.translations(len(en.FalsePositives)) {
		meta.Texts[lang] = t
	}
	meta.Texts["en"] = en.Or(meta.Texts["en"])
	if len(m.errs) > 0 {
		return alert.Rule{}, errors.Join(m.errs...)
	}
	return meta, nil
}

// id returns the rule's stable id: its name, or its Sigma id.
func (m *metaReader) id() string {
	r := m.r
	switch {
	case r.Name != "":
		if m.builtin && !kebab.MatchString(r.Name) {
			m.errorf(nil, "rule name %q is not kebab-case (lower-case words joined by dashes)", r.Name)
		}
		return r.Name
	case m.builtin:
		m.errorf(nil, "built-in rule has no name")
	case r.ID == "":
		m.errorf(nil, "rule has neither a name nor an id")
	}
	return r.ID
}

// guideRow reads guide_row: a kebab-case key; for built-in rules, one of
// the guide's rows. A user rule without one (a public Sigma rule, say)
// gets a key of its own, made from its title.
func (m *metaReader) guideRow() string {
	n, ok := m.r.Extra[keyGuideRow]
	if !ok && !m.builtin {
		return ownRow(m.r)
	}
	if !ok {
		m.errorf(nil, "rule has no guide_row")
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Value == "" {
		m.errorf(&n, "guide_row must be a row key such as credential-added")
		return ""
	}
	switch {
	case !kebab.MatchString(n.Value):
		m.errorf(&n, "guide_row %q is not kebab-case", n.Value)
	case m.builtin && !guide.IsRow(n.Value):
		m.errorf(&n, "guide_row %q is not a row of the guide", n.Value)
	}
	return n.Value
}

// level checks the Sigma level, which every rule needs to raise alerts.
func (m *metaReader) level() string {
	l := m.r.Level
	switch {
	case l == "":
		m.errorf(nil, "rule has no level")
	case !alert.ValidLevel(l):
		m.errorf(nil, "level %q is not one of informational, low, medium, high, critical", l)
	}
	return l
}

// attack returns the ATT&CK technique ids named by tags such as
// attack.t1098.001, upper-cased (T1098.001).
func (m *metaReader) attack() []string {
	var ids []string
	for _, t := range m.r.Tags {
		if sub := attackTech.FindStringSubmatch(strings.ToLower(t)); sub != nil {
			ids = append(ids, strings.ToUpper(sub[1]))
		}
	}
	if m.builtin && len(ids) == 0 {
		m.errorf(nil, "rule has no ATT&CK technique tag (attack.tNNNN)")
	}
	return ids
}

// scalar returns the text of an extra key that must be a string.
func (m *metaReader) scalar(key string) string {
	n, ok := m.r.Extra[key]
	if !ok {
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		m.errorf(&n, "%s must be text", key)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// translations reads the translations map: language tag → title,
// description, remediation and false positives. A built-in rule's
// translations must give as many false positives as the rule (fps).
func (m *metaReader) translations(fps int) map[string]alert.Text {
	out := map[string]alert.Text{}
	n, ok := m.r.Extra[keyTranslations]
	if !ok {
		if m.builtin {
			m.errorf(nil, "built-in rule has no translations")
		}
		return out
	}
	if n.Kind != yaml.MappingNode {
		m.errorf(&n, "translations must map language tags (%s) to texts", strings.Join(Languages(), ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !knownLanguage(k.Value) {
			m.errorf(k, "unknown language %q (want one of %s)", k.Value, strings.Join(Languages(), ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			m.errorf(k, "language %q is translated twice", k.Value)
			continue
		}
		out[k.Value] = m.text(k.Value, v)
	}
	if m.builtin {
		m.requireTranslations(&n, out, fps)
	}
	return out
}

// text reads one language's texts.
func (m *metaReader) text(lang string, n *yaml.Node) alert.Text {
	var t alert.Text
	if n.Kind != yaml.MappingNode {
		m.errorf(n, "translation %s must map title, description, remediation and falsepositives to text", lang)
		return t
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !textKeys[k.Value] {
			m.errorf(k, "translation %s: unknown key %q (want title, description, remediation or falsepositives)", lang, k.Value)
			continue
		}
		if k.Value == "falsepositives" {
			t.FalsePositives = m.list(lang, v)
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			m.errorf(v, "translation %s: %s must be text", lang, k.Value)
			continue
		}
		s := strings.TrimSpace(v.Value)
		switch k.Value {
		case "title":
			t.Title = s
		case "description":
			t.Description = s
		case "remediation":
			t.Remediation = s
		}
	}
	return t
}

// list reads a translation's list of texts (falsepositives).
func (m *metaReader) list(lang string, n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		m.errorf(n, "translation %s: falsepositives must be a list of texts", lang)
		return nil
	}
	var out []string
	for _, v := range n.Content {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			m.errorf(v, "translation %s: falsepositives must be a list of texts", lang)
			continue
		}
		out = append(out, strings.TrimSpace(v.Value))
	}
	return out
}

// requireTranslations checks that a built-in rule is translated into
// every language but English, which the rule's own keys hold, with all
// three texts and as many false positives as the rule has (fps).
func (m *metaReader) requireTranslations(n *yaml.Node, got map[string]alert.Text, fps int) {
	for _, lang := range Languages()[1:] {
		t, ok := got[lang]
		switch {
		case !ok:
			m.errorf(n, "built-in rule has no %s translation", lang)
		case t.Title == "" || t.Description == "" || t.Remediation == "":
			m.errorf(n, "translation %s needs a title, a description and a remediation", lang)
		case len(t.FalsePositives) != fps:
			m.errorf(n, "translation %s has %d false positives, the rule %d", lang, len(t.FalsePositives), fps)
		}
	}
}

func knownLanguage(tag string) bool { return slices.Contains(Languages(), tag) }

// maxOwnRow bounds the length of a row key made from a title.
const maxOwnRow = 64

// ownRow makes the row key of a rule without guide_row from its title:
// its letters and digits in lower case, words joined by dashes, at most
// maxOwnRow characters ("user-state-changed-from-guest-to-member"). The
// guide's keys stay reserved for the rules that implement those rows, so a
// title that would give one is prefixed with "rule-", as is the rule's
// name or id when the title has no letters or digits of the Latin script.
func ownRow(r *sigma.Rule) string {
	key := kebabWords(r.Title)
	if key == "" {
		key = "rule-" + kebabWords(ruleLabel(r))
	}
	if guide.IsRow(key) {
		key = "rule-" + key
	}
	return strings.TrimRight(key, "-")
}

// kebabWords lower-cases the ASCII letters and digits of s and joins their
// runs with dashes, up to maxOwnRow characters, cut at a dash.
func kebabWords(s string) string {
	var b strings.Builder
	for _, c := range []byte(strings.ToLower(s)) {
		word := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		switch {
		case word:
			b.WriteByte(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	key := strings.TrimRight(b.String(), "-")
	if len(key) > maxOwnRow {
		key = key[:maxOwnRow]
		if i := strings.LastIndexByte(key, '-'); i > 0 {
			key = key[:i]
		}
	}
	return key
}
