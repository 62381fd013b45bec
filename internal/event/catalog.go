package event

import (
	"sort"
	"strings"
	"time"
)

// Type is the value type of a catalog field.
type Type string

// Field value types. Every value is handed to rules as text; Type says how
// to read it.
const (
	TypeString Type = "string"
	TypeInt    Type = "int"  // decimal integer as text
	TypeBool   Type = "bool" // "true" or "false"
	TypeTime   Type = "time" // RFC 3339, UTC
	TypeIP     Type = "ip"   // IPv4 or IPv6 address
	TypeList   Type = "list" // several string values
)

// Getter appends a field's values for e to dst and returns the extended
// slice. A field that is absent or empty appends nothing.
type Getter func(e *Event, dst []string) []string

// Field describes one field of the normalized event: its catalog name, what
// it means, where each layout carries it, and how to read it.
type Field struct {
	Name string
	Type Type
	Doc  string
	// Kinds lists the kinds of event that carry the field; nil means all.
	Kinds []Kind
	// Where each layout carries the field, as paths in that layout (several
	// separated by ", "). They document the field and are also accepted
	// as field names in rules, case-insensitively.
	Graph        string // Microsoft Graph object (directoryAudit, signIn)
	Diagnostic   string // Azure Monitor diagnostic record (Event Hub, storage)
	LogAnalytics string // Log Analytics / Sentinel table column
	Portal       string // Entra portal CSV download column
	// Aliases are further names rules may use for the field.
	Aliases []string
	// Fold, when set, normalizes values before comparison; rule engines
	// apply it to the rule's values, and Get already returns folded values.
	Fold func(string) string
	Get  Getter
}

// Names returns every name the field answers to: its catalog name, its
// layout paths and its aliases.
func (f *Field) Names() []string {
	names := []string{f.Name}
	for _, p := range []string{f.Graph, f.Diagnostic, f.LogAnalytics, f.Portal} {
		for _, n := range strings.Split(p, ",") {
			if n = strings.TrimSpace(n); n != "" && !strings.ContainsAny(n, " ()") {
				names = append(names, n)
			}
		}
	}
	return append(names, f.Aliases...)
}

// Catalog is the set of fields of the normalized event, with lookup by any
// of their names. It is immutable once built; NewCatalog builds one.
type Catalog struct {
	fields []*Field
	byName map[string]*Field // lower-cased name → field
}

// NewCatalog returns the catalog of the built-in fields plus extra ones (the
// enrichers' fields, for example). It reports an error when two fields
// claim the same name.
func NewCatalog(extra ...*Field) (*Catalog, error) {
	c := &Catalog{byName: make(map[string]*Field)}
	for _, f := range append(baseFields(), extra...) {
		if err := c.add(f); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Catalog) add(f *Field) error {
	for _, n := range f.Names() {
		k := strings.ToLower(n)
		if g, dup := c.byName[k]; dup && g != f {
			return &NameError{Name: n, First: g.Name, Second: f.Name}
		}
		c.byName[k] = f
	}
	c.fields = append(c.fields, f)
	return nil
}

// NameError reports two fields claiming the same name.
type NameError struct{ Name, First, Second string }

// Error names the field name and the two fields that claim it.
func (e *NameError) Error() string {
	return "field name " + e.Name + " claimed by both " + e.First + " and " + e.Second
}

// Lookup returns the field with the given name, layout path or alias,
// compared case-insensitively. Names of the form property.<Name>.old or
// property.<Name>.new (any modified property) and detail.<Key> (any
// additional detail) resolve to fields made on demand.
func (c *Catalog) Lookup(name string) (*Field, bool) {
	if f, ok := c.byName[strings.ToLower(name)]; ok {
		return f, true
	}
	return dynamicField(name)
}

// Fields returns the catalog's fields sorted by name.
func (c *Catalog) Fields() []*Field {
	out := append([]*Field(nil), c.fields...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// dynamicField makes the field for property.<Name>.old|new or detail.<Key>.
func dynamicField(name string) (*Field, bool) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "property.") && (strings.HasSuffix(lower, ".old") || strings.HasSuffix(lower, ".new")):
		prop := name[len("property.") : len(name)-len(".new")]
		old := strings.HasSuffix(lower, ".old")
		if prop == "" {
			return nil, false
		}
		return &Field{
			Name: name, Type: TypeList, Kinds: []Kind{KindAudit},
			Doc: "decoded " + map[bool]string{true: "old", false: "new"}[old] + " value of modified property " + prop,
			Get: func(e *Event, dst []string) []string { return appendPropertyValues(e, dst, prop, old) },
		}, true
	case strings.HasPrefix(lower, "detail.") && len(name) > len("detail."):
		key := name[len("detail."):]
		return &Field{
			Name: name, Type: TypeString, Kinds: []Kind{KindAudit},
			Doc: "value of additional detail " + key,
			Get: func(e *Event, dst []string) []string {
				for _, d := range e.Details {
					if strings.EqualFold(d.Key, key) && d.Value != "" {
						dst = append(dst, d.Value)
					}
				}
				return dst
			},
		}, true
	}
	return nil, false
}

// appendPropertyValues appends the decoded old or new values of the
// modified properties called name, on every target; an empty name stands
// for every property.
func appendPropertyValues(e *Event, dst []string, name string, old bool) []string {
	for i := range e.Targets {
		for j := range e.Targets[i].Props {
			p := &e.Targets[i].Props[j]
			if name != "" && !strings.EqualFold(p.Name, name) {
				continue
			}
			if old {
				dst = append(dst, p.Old.Items...)
			} else {
				dst = append(dst, p.New.Items...)
			}
		}
	}
	return dst
}

// str makes a getter for a single string value.
func str(get func(e *Event) string) Getter {
	return func(e *Event, dst []string) []string {
		if v := get(e); v != "" {
			return append(dst, v)
		}
		return dst
	}
}

// list makes a getter for a list value.
func list(get func(e *Event) []string) Getter {
	return func(e *Event, dst []string) []string {
		for _, v := range get(e) {
			if v != "" {
				dst = append(dst, v)
			}
		}
		return dst
	}
}

// targets makes a getter that collects one value from every target.
func targets(get func(t *Target) string) Getter {
	return func(e *Event, dst []string) []string {
		for i := range e.Targets {
			if v := get(&e.Targets[i]); v != "" {
				dst = append(dst, v)
			}
		}
		return dst
	}
}

// actorOf makes a getter returning get(actor) only when the actor has type typ.
func actorOf(typ string, get func(a *Actor) string) Getter {
	return func(e *Event, dst []string) []string {
		if e.Actor.Type == typ {
			if v := get(&e.Actor); v != "" {
				return append(dst, v)
			}
		}
		return dst
	}
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

//go:generate go run ./gendoc ../../docs/fields.md
