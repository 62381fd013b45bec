package event

import (
	"reflect"
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
	// as field names in rules, case-insensitively. A path may be followed
	// by a note in parentheses, "properties.id (AuditEvent)"; the note is
	// not part of the name. Portal column names are taken whole, since
	// some hold parentheses ("Date (UTC)").
	Graph        string // Microsoft Graph object (directoryAudit, signIn)
	Diagnostic   string // Azure Monitor diagnostic record (Event Hub, storage)
	LogAnalytics string // Log Analytics / Sentinel table column
	Portal       string // Entra portal CSV download column
	// Aliases are further names rules may use for the field.
	Aliases []string
	// Fold, when set, normalizes values before comparison; rule engines
	// apply it to the rule's values, and Get already returns folded values.
	Fold func(string) string
	// Raw names the field that holds the same values unfolded, for
	// comparisons that must see the text as logged (regular expressions).
	Raw string
	Get Getter
	// Present, when set, reports whether the record holds the field even
	// when Get gives no value (an empty or null value, such as the null
	// appId of an application initiator).
	Present func(e *Event) bool
}

// name is one name a field answers to. A name with a note (a layout path
// written "path (note)") is qualified: it yields to a plain name of
// another field, and for a field of some kinds only it means that field
// for those kinds.
type name struct {
	text      string
	qualified bool
}

// names returns every name the field answers to: its catalog name, its
// layout paths and its aliases.
func (f *Field) names() []name {
	out := []name{{text: f.Name}}
	for _, p := range []string{f.Graph, f.Diagnostic, f.LogAnalytics} {
		for _, n := range strings.Split(p, ", ") {
			text, note, _ := strings.Cut(strings.TrimSpace(n), " (")
			if text != "" {
				out = append(out, name{text: text, qualified: note != ""})
			}
		}
	}
	for _, n := range strings.Split(f.Portal, ", ") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, name{text: n})
		}
	}
	for _, a := range f.Aliases {
		out = append(out, name{text: a})
	}
	return out
}

// Names returns every name the field answers to: its catalog name, its
// layout paths without their notes and its aliases.
func (f *Field) Names() []string {
	var out []string
	for _, n := range f.names() {
		out = append(out, n.text)
	}
	return out
}

// Catalog is the set of fields of the normalized event, with lookup by any
// of their names. It is immutable once built; NewCatalog builds one.
type Catalog struct {
	fields []*Field
	byName map[string]*Field // lower-cased name → field
}

// NewCatalog returns the catalog of the built-in fields plus extra ones (the
// enrichers' fields, for example). It reports an error when two fields
// claim the same name for the same kind of event.
//
// A name may mean different fields for different kinds of event: riskState
// is the sign-in's risk state in sign-ins and the detection's in risk
// detections, and properties.id is the record id except in Key Vault
// records, where it is the URI of the object acted on. Lookup then returns
// a field that reads the right one for each event.
func NewCatalog(extra ...*Field) (*Catalog, error) {
	c := &Catalog{byName: make(map[string]*Field)}
	claims := make(map[string][]claim)
	var order []string
	for _, f := range append(baseFields(), extra...) {
		c.fields = append(c.fields, f)
		for _, n := range f.names() {
			k := strings.ToLower(n.text)
			if _, seen := claims[k]; !seen {
				order = append(order, k)
			}
			claims[k] = appendClaim(claims[k], claim{f: f, name: n.text, qualified: n.qualified})
		}
	}
	for _, k := range order {
		f, err := resolveName(claims[k])
		if err != nil {
			return nil, err
		}
		if f != nil {
			c.byName[k] = f
		}
	}
	return c, nil
}

// claim is one field's claim on a name.
type claim struct {
	f         *Field
	name      string // as written
	qualified bool
}

// appendClaim adds c unless its field already claims the name; a plain
// claim wins over a qualified one of the same field.
func appendClaim(cs []claim, c claim) []claim {
	for i := range cs {
		if cs[i].f == c.f {
			cs[i].qualified = cs[i].qualified && c.qualified
			return cs
		}
	}
	return append(cs, c)
}

// resolveName decides what a name means given every claim on it: the
// field that claims it for all kinds (by default), and the fields that
// claim it for some kinds only.
func resolveName(cs []claim) (*Field, error) {
	var def *Field
	byKind := map[Kind]*Field{}
	var weak []*Field // qualified claims of fields for all kinds
	for _, c := range cs {
		switch {
		case len(c.f.Kinds) == 0 && c.qualified:
			weak = append(weak, c.f)
		case len(c.f.Kinds) == 0:
			if def != nil {
				return nil, &NameError{Name: c.name, First: def.Name, Second: c.f.Name}
			}
			def = c.f
		}
	}
	for _, c := range cs {
		if len(c.f.Kinds) == 0 {
			continue
		}
		if err := claimKinds(byKind, def, c); err != nil {
			return nil, err
		}
	}
	if def == nil && len(byKind) == 0 && len(weak) > 0 {
		def = weak[0]
	}
	return combine(cs[0].name, def, byKind), nil
}

// claimKinds records c's field for each of its kinds. A qualified claim
// gives way to a plain one and is dropped when its values compare
// differently (another Fold) from the default field's.
func claimKinds(byKind map[Kind]*Field, def *Field, c claim) error {
	if def != nil && !sameFold(def, c.f) {
		if c.qualified {
			return nil
		}
		return &NameError{Name: c.name, First: def.Name, Second: c.f.Name}
	}
	for _, k := range c.f.Kinds {
		if prev, ok := byKind[k]; ok && prev != c.f {
			if c.qualified {
				return nil
			}
			return &NameError{Name: c.name, First: prev.Name, Second: c.f.Name}
		}
	}
	for _, k := range c.f.Kinds {
		byKind[k] = c.f
	}
	return nil
}

// sameFold reports whether two fields fold their values with the same
// function.
func sameFold(a, b *Field) bool {
	return reflect.ValueOf(a.Fold).Pointer() == reflect.ValueOf(b.Fold).Pointer()
}

// combine returns the field a name means: def alone, the only field that
// claims it for some kinds, or a field that reads, for each event, the
// field claimed for its kind and def otherwise.
func combine(name string, def *Field, byKind map[Kind]*Field) *Field {
	distinct := map[*Field]bool{}
	for _, f := range byKind {
		distinct[f] = true
	}
	switch {
	case len(distinct) == 0:
		return def
	case len(distinct) == 1 && (def == nil || distinct[def]):
		for f := range distinct {
			return f
		}
	}
	var get [numKinds]*Field
	for k := range get {
		get[k] = def
		if f, ok := byKind[Kind(k)]; ok {
			get[k] = f
		}
	}
	pick := func(e *Event) *Field {
		if e.Kind < numKinds {
			return get[e.Kind]
		}
		return def
	}
	out := &Field{Name: name, Type: TypeString, Doc: "the field of the event's kind named " + name}
	for f := range distinct {
		out.Fold, out.Raw = f.Fold, f.Raw
		if f.Type == TypeList {
			out.Type = TypeList
		}
	}
	out.Get = func(e *Event, dst []string) []string {
		if f := pick(e); f != nil {
			return f.Get(e, dst)
		}
		return dst
	}
	out.Present = func(e *Event) bool {
		f := pick(e)
		return f != nil && f.Present != nil && f.Present(e)
	}
	return out
}

// NameError reports two fields claiming the same name.
type NameError struct{ Name, First, Second string }

// Error names the field name and the two fields that claim it.
func (e *NameError) Error() string {
	return "field name " + e.Name + " claimed by both " + e.First + " and " + e.Second
}

// Lookup returns the field with the given name, layout path or alias,
// compared case-insensitively. Names of the form property.<Name>.old or
// property.<Name>.new (any modified property), detail.<Key> and
// additionalDetails.<Key> (any additional detail) resolve to fields made
// on demand.
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
		return detailField(name, name[len("detail."):]), true
	case strings.HasPrefix(lower, "additionaldetails.") && len(name) > len("additionalDetails."):
		return detailField(name, name[len("additionalDetails."):]), true
	}
	return nil, false
}

// detailField makes the field of the additional detail key.
func detailField(name, key string) *Field {
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
	}
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
