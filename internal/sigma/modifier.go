package sigma

import (
	"slices"
	"strings"
)

// modifier is one value modifier written after a field name, as in
// "CommandLine|contains|all".
type modifier uint8

const (
	modContains modifier = iota + 1
	modStartsWith
	modEndsWith
	modAll
	modCased
	modExists
	modRe
	modReI
	modReM
	modReS
	modCIDR
	modGT
	modGTE
	modLT
	modLTE
	modFieldRef
	modExpand
	modBase64
	modBase64Offset
	modUTF16LE
	modUTF16BE
	modUTF16
	modWindash
	modNeq
	modMinute
	modHour
	modDay
	modWeek
	modMonth
	modYear
)

// modifierNames maps every supported modifier name to its value; "wide"
// is the spec's alias of "utf16le".
var modifierNames = map[string]modifier{
	"contains":     modContains,
	"startswith":   modStartsWith,
	"endswith":     modEndsWith,
	"all":          modAll,
	"cased":        modCased,
	"exists":       modExists,
	"re":           modRe,
	"i":            modReI,
	"m":            modReM,
	"s":            modReS,
	"cidr":         modCIDR,
	"gt":           modGT,
	"gte":          modGTE,
	"lt":           modLT,
	"lte":          modLTE,
	"fieldref":     modFieldRef,
	"expand":       modExpand,
	"base64":       modBase64,
	"base64offset": modBase64Offset,
	"wide":         modUTF16LE,
	"utf16le":      modUTF16LE,
	"utf16be":      modUTF16BE,
	"utf16":        modUTF16,
	"windash":      modWindash,
	"neq":          modNeq,
	"minute":       modMinute,
	"hour":         modHour,
	"day":          modDay,
	"week":         modWeek,
	"month":        modMonth,
	"year":         modYear,
}

// modifierSet is the parsed, checked modifier chain of one field test.
type modifierSet struct {
	list []modifier // in written order
	// kind is the single "type" modifier that decides how values are
	// compared; 0 means plain string matching.
	kind modifier
	// position is contains, startswith or endswith, or 0.
	position modifier
	// timePart is the time modifier (minute … year) whose number the
	// value is compared with, or 0.
	timePart modifier
	all      bool
	cased    bool
	neq      bool
}

func (m *modifierSet) has(x modifier) bool { return slices.Contains(m.list, x) }

// isEncoding reports whether x changes the bytes of a value.
func isEncoding(x modifier) bool {
	switch x {
	case modBase64, modBase64Offset, modUTF16LE, modUTF16BE, modUTF16:
		return true
	}
	return false
}

func isUTF16(x modifier) bool {
	return x == modUTF16LE || x == modUTF16BE || x == modUTF16
}

// isTimePart reports whether x is one of the time modifiers.
func isTimePart(x modifier) bool { return x >= modMinute && x <= modYear }

// isNumeric reports whether x compares numbers.
func isNumeric(x modifier) bool { return x == modGT || x == modGTE || x == modLT || x == modLTE }

// parseModifiers checks a chain such as ["contains", "all"] and explains
// the first problem in words.
func parseModifiers(names []string) (modifierSet, string) {
	var m modifierSet
	for _, name := range names {
		x, ok := modifierNames[strings.ToLower(name)]
		switch {
		case name == "":
			return m, "empty modifier"
		case !ok:
			return m, "unknown modifier " + quote(name)
		case m.has(x):
			return m, "modifier " + quote(name) + " given twice"
		}
		m.list = append(m.list, x)
		if msg := m.add(x, name); msg != "" {
			return m, msg
		}
	}
	return m, m.check()
}

// add records x in the summary fields and rejects combinations that
// depend only on what came before.
func (m *modifierSet) add(x modifier, name string) string {
	switch x {
	case modContains, modStartsWith, modEndsWith:
		if m.position != 0 {
			return "modifier " + quote(name) + " conflicts with " + quote(modName(m.position))
		}
		m.position = x
	case modAll:
		m.all = true
	case modCased:
		m.cased = true
	case modNeq:
		m.neq = true
	case modMinute, modHour, modDay, modWeek, modMonth, modYear:
		if m.timePart != 0 {
			return "modifier " + quote(name) + " conflicts with " + quote(modName(m.timePart))
		}
		m.timePart = x
	case modReI, modReM, modReS:
		if m.kind != modRe {
			return "modifier " + quote(name) + " is only valid after \"re\""
		}
	case modExists, modRe, modCIDR, modGT, modGTE, modLT, modLTE, modFieldRef:
		if m.kind != 0 {
			return "modifier " + quote(name) + " conflicts with " + quote(modName(m.kind))
		}
		m.kind = x
	case modExpand:
		for _, y := range m.list[:len(m.list)-1] {
			if isEncoding(y) || y == modWindash {
				return "modifier \"expand\" must come before " + quote(modName(y))
			}
		}
	}
	return ""
}

// check rejects combinations that need the whole chain.
func (m *modifierSet) check() string {
	if msg := m.checkNeqAndTime(); msg != "" {
		return msg
	}
	for i, x := range m.list {
		if isUTF16(x) && !slices.Contains(m.list[i+1:], modBase64) && !slices.Contains(m.list[i+1:], modBase64Offset) {
			return "modifier " + quote(modName(x)) + " must be followed by \"base64\" or \"base64offset\""
		}
		if x == modBase64Offset && m.position != modContains {
			return "modifier \"base64offset\" needs \"contains\""
		}
	}
	if m.kind == 0 {
		return ""
	}
	for _, x := range m.list {
		if !allowedWith(m.kind, x) {
			return "modifier " + quote(modName(x)) + " cannot be combined with " + quote(modName(m.kind))
		}
	}
	return ""
}

// checkNeqAndTime rejects what neq and the time modifiers cannot be
// combined with: neq means "none of the values", so it takes neither
// "all" nor "exists"; a time modifier compares a number of the field's
// time, alone or with gt, gte, lt, lte or neq.
func (m *modifierSet) checkNeqAndTime() string {
	if m.neq && (m.all || m.kind == modExists) {
		other := "all"
		if m.kind == modExists {
			other = "exists"
		}
		return "modifier \"neq\" cannot be combined with " + quote(other)
	}
	if m.timePart == 0 {
		return ""
	}
	for _, x := range m.list {
		if x != m.timePart && x != modNeq && x != modAll && !isNumeric(x) {
			return "modifier " + quote(modName(x)) + " cannot be combined with " + quote(modName(m.timePart))
		}
	}
	return ""
}

// allowedWith reports whether x may appear in a chain whose type
// modifier is kind.
func allowedWith(kind, x modifier) bool {
	switch {
	case x == kind || x == modNeq:
		return true
	case isTimePart(x):
		return isNumeric(kind)
	case kind == modRe:
		return x == modReI || x == modReM || x == modReS || x == modAll
	case kind == modFieldRef:
		switch x {
		case modContains, modStartsWith, modEndsWith, modCased, modAll:
			return true
		}
		return false
	case kind == modExists:
		return false
	}
	return x == modAll // cidr and numeric comparisons
}

func modName(x modifier) string {
	for name, y := range modifierNames {
		if y == x && name != "wide" {
			return name
		}
	}
	return "?"
}

func quote(s string) string { return `"` + s + `"` }
