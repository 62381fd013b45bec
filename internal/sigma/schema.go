package sigma

import "time"

// Event is what rules are matched against. Implementations decide how
// names map to values; the engine only asks for fields by the IDs the
// Schema gave.
type Event interface {
	// Kind returns the event's kind, a number from 0 to 63 that the
	// Schema maps logsources to.
	Kind() int
	// Values appends the values of the field with the given ID to dst
	// and returns the result; nothing is appended when the field is
	// absent or null. Values of a field that has a Fold function must
	// already be folded.
	Values(field int, dst []string) []string
	// Keywords appends every text value of the event, for keyword
	// searches.
	Keywords(dst []string) []string
	// Time returns when the event happened.
	Time() time.Time
}

// Field is a field of the caller's event model.
type Field struct {
	ID   int    // passed to Event.Values
	Name string // canonical name, for messages
	// Fold, when set, normalizes values of this field. The engine
	// applies it to string values written in rules (not to regular
	// expressions); the Event must apply it to its own values.
	Fold func(string) string
	// Raw, when set on a field with a Fold function, is the field that
	// holds the same values as logged, unfolded. Tests with the re or
	// cased modifier read it instead, so that they see the original
	// text.
	Raw *Field
}

// Presence is implemented by events that can tell a field that is
// present without a value (empty or null) from an absent one. The engine
// asks only about fields for which Event.Values gave nothing. Events
// that do not implement it have no such fields.
type Presence interface {
	// Present reports whether the field with the given ID is in the
	// event.
	Present(field int) bool
}

// Schema resolves the names used in rules.
type Schema interface {
	// Field resolves a field name written in a rule.
	Field(name string) (Field, bool)
	// Kinds returns the event kinds a logsource covers, or an error
	// when the logsource is not known.
	Kinds(ls Logsource) (KindSet, error)
}

// Placeholders resolves the %name% placeholders of the expand modifier.
type Placeholders interface {
	// Values returns the values of a placeholder and whether it is
	// defined.
	Values(name string) ([]string, bool)
}

// KindSet is a set of event kinds, one bit per kind from 0 to 63.
type KindSet uint64

// MaxKind is the largest event kind a KindSet can hold.
const MaxKind = 63

// Has reports whether kind is in the set.
func (k KindSet) Has(kind int) bool {
	return kind >= 0 && kind <= MaxKind && k&(1<<uint(kind)) != 0
}

// With returns the set with kind added; kinds outside 0..MaxKind are
// ignored.
func (k KindSet) With(kind int) KindSet {
	if kind < 0 || kind > MaxKind {
		return k
	}
	return k | 1<<uint(kind)
}
