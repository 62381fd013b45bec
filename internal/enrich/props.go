package enrich

import (
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// activitySet holds normalized activity names (see event.NormalizeActivity).
type activitySet map[string]bool

// activities returns the set of the keys of names.
func activities(names ...string) activitySet {
	s := make(activitySet, len(names))
	for _, n := range names {
		s[event.NormalizeActivity(n)] = true
	}
	return s
}

// Target types as audit records write them.
const (
	typeApplication      = "Application"
	typeServicePrincipal = "ServicePrincipal"
	typeRole             = "Role"
)

// prop returns the property of t named name, ignoring case, or nil.
func prop(t *event.Target, name string) *event.Property {
	for i := range t.Props {
		if strings.EqualFold(t.Props[i].Name, name) {
			return &t.Props[i]
		}
	}
	return nil
}

// anyProp returns the first property named name on any target of e, or nil.
func anyProp(e *event.Event, name string) *event.Property {
	for i := range e.Targets {
		if p := prop(&e.Targets[i], name); p != nil {
			return p
		}
	}
	return nil
}

// newText returns the new value of p as one string, or its old value when
// the new one is empty (removals log the value on the old side only).
func newText(p *event.Property) string {
	if p == nil {
		return ""
	}
	if !p.New.IsEmpty() {
		return p.New.String()
	}
	return p.Old.String()
}

// propText returns newText of the property named name on any target.
func propText(e *event.Event, name string) string {
	return newText(anyProp(e, name))
}

// detail returns the value of the additionalDetails entry key, ignoring
// the key's case.
func detail(e *event.Event, key string) string {
	for _, d := range e.Details {
		if strings.EqualFold(d.Key, key) {
			return d.Value
		}
	}
	return ""
}

// firstGUID returns the first entry of a ";"-separated list, such as a
// TargetId.ServicePrincipalNames value, that is a GUID.
func firstGUID(list string) string {
	for list != "" {
		var part string
		part, list, _ = strings.Cut(list, ";")
		if part = strings.TrimSpace(part); uricheck.IsGUID(part) {
			return part
		}
	}
	return ""
}

// firstOf returns the first target of e whose type is one of types, or nil.
func firstOf(e *event.Event, types ...string) *event.Target {
	for i := range e.Targets {
		for _, t := range types {
			if strings.EqualFold(e.Targets[i].Type, t) {
				return &e.Targets[i]
			}
		}
	}
	return nil
}

// targetWith returns the first target of e that has a property named one
// of names, or nil.
func targetWith(e *event.Event, names ...string) *event.Target {
	for i := range e.Targets {
		for _, n := range names {
			if prop(&e.Targets[i], n) != nil {
				return &e.Targets[i]
			}
		}
	}
	return nil
}

// isAppType reports whether t is an application or a service principal.
func isAppType(t *event.Target) bool {
	return strings.EqualFold(t.Type, typeApplication) || strings.EqualFold(t.Type, typeServicePrincipal)
}
