package sigma

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// Rule is one parsed Sigma rule: a detection rule or a correlation rule.
type Rule struct {
	File string // the name given to Parse
	Line int    // line where the rule's YAML document starts

	Title          string
	ID             string
	Name           string
	Status         string
	Description    string
	References     []string
	Author         string
	Date           string
	Modified       string
	Tags           []string
	Level          string
	FalsePositives []string
	Fields         []string
	Related        []Related

	// Logsource is set for detection rules.
	Logsource Logsource
	// Correlation is set for correlation rules; Logsource and the
	// detection are then absent.
	Correlation *Correlation

	// Extra holds every top-level key that is not a standard Sigma key,
	// such as project metadata kept next to the rule.
	Extra map[string]yaml.Node

	detection *detection
	lsPos     pos
}

// Related links a rule to another rule by id.
type Related struct {
	ID   string
	Type string
}

// Logsource names the logs a detection rule applies to.
type Logsource struct {
	Product    string
	Service    string
	Category   string
	Definition string
}

// String formats the set fields as key=value pairs.
func (l Logsource) String() string {
	var b bytes.Buffer
	for _, kv := range [][2]string{{"product", l.Product}, {"service", l.Service}, {"category", l.Category}} {
		if kv[1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%s", kv[0], kv[1])
	}
	if b.Len() == 0 {
		return "(empty)"
	}
	return b.String()
}

// Decode decodes the extra top-level key into v, reporting whether the
// key is present. Errors name the file and line of the key.
func (r *Rule) Decode(key string, v any) (bool, error) {
	n, ok := r.Extra[key]
	if !ok {
		return false, nil
	}
	if err := n.Decode(v); err != nil {
		return true, posOf(r.File, &n).errorf("decode %q: %v", key, err)
	}
	return true, nil
}

// Parse reads every rule in src, a YAML file that may hold several
// documents separated by "---". name is used in error messages and kept
// in Rule.File. Empty documents are skipped. When a document is invalid,
// Parse returns the rules of the other documents and an error listing
// each problem; YAML that cannot be read ends the file there.
func Parse(name string, src []byte) ([]*Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var (
		rules []*Rule
		errs  []error
	)
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, yamlError(name, err))
			break
		}
		if len(doc.Content) == 0 || isNull(deref(doc.Content[0])) {
			continue
		}
		r, err := parseRule(name, doc.Content[0])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rules = append(rules, r)
	}
	return rules, errors.Join(errs...)
}

// parseRule reads one YAML document.
func parseRule(file string, root *yaml.Node) (*Rule, error) {
	es, err := entries(file, root, "rule")
	if err != nil {
		return nil, err
	}
	r := &Rule{File: file, Line: root.Line}
	var det, corr, generate *entry
	var errs []error
	for i := range es {
		e := &es[i]
		switch e.key {
		case "detection":
			det = e
		case "correlation":
			corr = e
		case "generate":
			generate = e
		case "action":
			errs = append(errs, posOf(file, e.kn).errorf("unsupported rule collection key \"action\""))
		default:
			if err := r.setKey(e); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := r.finish(root, det, corr, generate); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// finish checks the required keys and parses the detection or correlation.
func (r *Rule) finish(root *yaml.Node, det, corr, generate *entry) error {
	p := posOf(r.File, root)
	switch {
	case r.Title == "":
		return p.errorf("rule has no title")
	case det != nil && corr != nil:
		return p.errorf("rule has both detection and correlation")
	case det == nil && corr == nil:
		return p.errorf("rule has neither detection nor correlation")
	case corr != nil:
		c, err := parseCorrelation(r.File, corr.value, generate)
		r.Correlation = c
		return err
	case generate != nil:
		return posOf(r.File, generate.kn).errorf("generate is only valid in a correlation rule")
	case r.lsPos.line == 0:
		return p.errorf("detection rule has no logsource")
	}
	d, err := parseDetection(r.File, det.value)
	r.detection = d
	return err
}

// setKey stores one top-level key other than detection and correlation.
func (r *Rule) setKey(e *entry) error {
	if dst := r.stringKey(e.key); dst != nil {
		s, err := scalar(r.File, e.value, e.key)
		*dst = s
		return err
	}
	if dst := r.listKey(e.key); dst != nil {
		l, err := stringList(r.File, e.value, e.key)
		*dst = l
		return err
	}
	switch e.key {
	case "logsource":
		r.lsPos = posOf(r.File, e.kn)
		return r.parseLogsource(e.value)
	case "related":
		return r.parseRelated(e.value)
	}
	if r.Extra == nil {
		r.Extra = make(map[string]yaml.Node)
	}
	r.Extra[e.key] = *e.value
	return nil
}

func (r *Rule) stringKey(key string) *string {
	switch key {
	case "title":
		return &r.Title
	case "id":
		return &r.ID
	case "name":
		return &r.Name
	case "status":
		return &r.Status
	case "description":
		return &r.Description
	case "author":
		return &r.Author
	case "date":
		return &r.Date
	case "modified":
		return &r.Modified
	case "level":
		return &r.Level
	}
	return nil
}

func (r *Rule) listKey(key string) *[]string {
	switch key {
	case "references":
		return &r.References
	case "tags":
		return &r.Tags
	case "falsepositives":
		return &r.FalsePositives
	case "fields":
		return &r.Fields
	}
	return nil
}

func (r *Rule) parseLogsource(n *yaml.Node) error {
	es, err := entries(r.File, n, "logsource")
	if err != nil {
		return err
	}
	for _, e := range es {
		var dst *string
		switch e.key {
		case "product":
			dst = &r.Logsource.Product
		case "service":
			dst = &r.Logsource.Service
		case "category":
			dst = &r.Logsource.Category
		case "definition":
			dst = &r.Logsource.Definition
		default:
			continue // other logsource keys are descriptive only
		}
		if *dst, err = scalar(r.File, e.value, "logsource "+e.key); err != nil {
			return err
		}
	}
	return nil
}

func (r *Rule) parseRelated(n *yaml.Node) error {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return posOf(r.File, n).errorf("related must be a list")
	}
	for _, item := range n.Content {
		es, err := entries(r.File, item, "related item")
		if err != nil {
			return err
		}
		var rel Related
		for _, e := range es {
			switch e.key {
			case "id":
				rel.ID, err = scalar(r.File, e.value, "related id")
			case "type":
				rel.Type, err = scalar(r.File, e.value, "related type")
			}
			if err != nil {
				return err
			}
		}
		r.Related = append(r.Related, rel)
	}
	return nil
}
