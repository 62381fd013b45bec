package ruleset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/sigma"
)

// expectation is what every alert a rule raises on its match files must
// say, read from the expect.yaml of its test directory:
//
//	level: high
//	title: Credential added to an application
//	outside_business_hours: false
//	evidence:
//	  credential.added.0.type: Password
//	  result: success
//
// The level is the one after the test policy's overrides; the title is the
// English one; evidence names values of the alert's evidence by their path,
// list items by their position from 0.
type expectation struct {
	level, title string
	outsideHours *bool
	evidence     []expectedValue
}

type expectedValue struct {
	path, value string
}

// readExpect reads the expect.yaml of a rule's test directory; nil when
// there is none.
func readExpect(r *Rule, dir string) (*expectation, error) {
	p := path.Join(dir, expectFile)
	src, err := fs.ReadFile(r.fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read expectations: %w", err)
	}
	return parseExpect(r.display(p), src)
}

// parseExpect reads expectations, reporting each problem with its line and
// column.
func parseExpect(name string, src []byte) (*expectation, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &sigma.Error{File: name, Msg: "invalid YAML: " + err.Error()}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &sigma.Error{File: name, Line: 1, Msg: "expectations must map level, title and evidence to what the alerts say"}
	}
	exp := &expectation{}
	var errs []error
	bad := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, &sigma.Error{File: name, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "level":
			if v.Kind != yaml.ScalarNode || !alert.ValidLevel(v.Value) {
				bad(v, "level must be informational, low, medium, high or critical")
			}
			exp.level = v.Value
		case "title":
			if v.Kind != yaml.ScalarNode {
				bad(v, "title must be text")
			}
			exp.title = v.Value
		case "outside_business_hours":
			var b bool
			if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
				bad(v, "outside_business_hours must be true or false")
				continue
			}
			exp.outsideHours = &b
		case "evidence":
			if v.Kind != yaml.MappingNode {
				bad(v, "evidence must map paths such as credential.added.0.type to values")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				pk, pv := v.Content[j], v.Content[j+1]
				if pv.Kind != yaml.ScalarNode {
					bad(pv, "evidence %s must be a single value", pk.Value)
					continue
				}
				exp.evidence = append(exp.evidence, expectedValue{path: pk.Value, value: pv.Value})
			}
		default:
			bad(k, "unknown key %q (want level, title, outside_business_hours or evidence)", k.Value)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return exp, nil
}

// check returns what the alerts say that the expectation does not expect,
// or that there is no alert to check.
func (exp *expectation) check(alerts []alert.Alert) []string {
	if len(alerts) == 0 {
		return []string{"no alert was raised (suppressed by the policy?) to check against " + expectFile}
	}
	var unmet []string
	for _, a := range alerts {
		if exp.level != "" && a.Level != exp.level {
			unmet = append(unmet, fmt.Sprintf("level is %s, want %s", a.Level, exp.level))
		}
		if exp.title != "" && a.Title != exp.title {
			unmet = append(unmet, fmt.Sprintf("title is %q, want %q", a.Title, exp.title))
		}
		if exp.outsideHours != nil && a.OutsideBusinessHours != *exp.outsideHours {
			unmet = append(unmet, fmt.Sprintf("outside_business_hours is %v, want %v", a.OutsideBusinessHours, *exp.outsideHours))
		}
		for _, ev := range exp.evidence {
			got, ok := evidenceAt(a.Evidence, ev.path)
			switch {
			case !ok:
				unmet = append(unmet, fmt.Sprintf("evidence %s is missing, want %q", ev.path, ev.value))
			case got != ev.value:
				unmet = append(unmet, fmt.Sprintf("evidence %s is %q, want %q", ev.path, got, ev.value))
			}
		}
	}
	return dedupeStrings(unmet)
}

// evidenceAt returns the value at a dotted path of an alert's evidence, as
// its JSON output shows it: map keys by name, list items by position, and
// scalars as text.
func evidenceAt(ev map[string]any, p string) (string, bool) {
	b, err := json.Marshal(ev)
	if err != nil {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var cur any
	if dec.Decode(&cur) != nil {
		return "", false
	}
	for _, part := range strings.Split(p, ".") {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[part]
			if !ok {
				return "", false
			}
			cur = v
		case []any:
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 || n >= len(c) {
				return "", false
			}
			cur = c[n]
		default:
			return "", false
		}
	}
	switch v := cur.(type) {
	case map[string]any, []any, nil:
		return "", false
	default:
		return fmt.Sprint(v), true
	}
}

// dedupeStrings drops repeated strings, keeping the first of each.
func dedupeStrings(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
