// Package match connects the Sigma engine (package sigma) to the normalized
// event model: it resolves the field names rules use through the event
// catalog, maps Sigma logsources to event kinds, and presents events to the
// engine without copying them.
package match

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/sigma"
)

// Schema resolves rule field names through an event catalog. Field IDs are
// handed out as names are resolved, so one Schema serves every rule set
// compiled against it; it is safe for concurrent use.
type Schema struct {
	cat    *event.Catalog
	mu     sync.RWMutex
	fields []*event.Field       // by ID
	ids    map[string]int       // lower-cased name → ID
	byPtr  map[*event.Field]int // catalog field → ID
}

// NewSchema returns a schema over cat.
func NewSchema(cat *event.Catalog) *Schema {
	return &Schema{cat: cat, ids: map[string]int{}, byPtr: map[*event.Field]int{}}
}

// Field resolves a field name as written in a rule.
func (s *Schema) Field(name string) (sigma.Field, bool) {
	key := strings.ToLower(name)
	s.mu.RLock()
	id, ok := s.ids[key]
	s.mu.RUnlock()
	if !ok {
		f, found := s.cat.Lookup(name)
		if !found {
			return sigma.Field{}, false
		}
		id = s.add(key, f)
	}
	s.mu.RLock()
	f := s.fields[id]
	s.mu.RUnlock()
	out := sigma.Field{ID: id, Name: f.Name, Fold: f.Fold}
	if f.Raw != "" {
		if raw, ok := s.Field(f.Raw); ok {
			out.Raw = &raw
		}
	}
	return out, true
}

// add gives the catalog field f an ID under key, or returns the ID it
// already has. Another goroutine may have resolved key meanwhile; names
// made on demand give a new field each time, so the first one is kept.
func (s *Schema) add(key string, f *event.Field) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.ids[key]; ok {
		return id
	}
	id, ok := s.byPtr[f]
	if !ok {
		id = len(s.fields)
		s.fields = append(s.fields, f)
		s.byPtr[f] = id
	}
	s.ids[key] = id
	return id
}

// Getters returns the getter of every field resolved so far, indexed by
// ID, for matching without locks.
func (s *Schema) Getters() []event.Getter {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]event.Getter, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.Get
	}
	return out
}

// Absent reports whether the field with the given ID is in none of the
// kinds of events, as the catalog says which kinds carry a field: a rule
// that needs it there can never fire. It names the kinds that do carry
// the field.
func (s *Schema) Absent(id int, kinds sigma.KindSet) (bool, []event.Kind) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id < 0 || id >= len(s.fields) || len(s.fields[id].Kinds) == 0 {
		return false, nil
	}
	for _, k := range s.fields[id].Kinds {
		if kinds.Has(int(k)) || k == event.KindAudit && kinds.Has(kindPIM) {
			return false, nil
		}
	}
	return true, s.fields[id].Kinds
}

// FieldName returns the catalog name of the field with the given ID.
func (s *Schema) FieldName(id int) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id < 0 || id >= len(s.fields) {
		return ""
	}
	return s.fields[id].Name
}

// presence returns, by ID, the function that tells whether a field without
// values is in the event, or nil for fields that are never so.
func (s *Schema) presence() []func(*event.Event) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]func(*event.Event) bool, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.Present
	}
	return out
}

// kindPIM is the Sigma event kind of audit records logged by Privileged
// Identity Management, which the logsource service pim selects among the
// audit records. It is beyond the event kinds.
const kindPIM = 16

// services maps Sigma logsource services to event kinds. The names follow
// Sigma's Azure taxonomy where it has one (auditlogs, signinlogs,
// activitylogs, riskdetection, pim) and add keyvault.
var services = map[string][]event.Kind{
	"auditlogs":                       {event.KindAudit, kindPIM},
	"audit":                           {event.KindAudit, kindPIM},
	"pim":                             {kindPIM},
	"riskdetection":                   {event.KindRisk},
	"riskdetections":                  {event.KindRisk},
	"userriskevents":                  {event.KindRisk},
	"aaduserriskevents":               {event.KindRisk},
	"serviceprincipalriskevents":      {event.KindRisk},
	"aadserviceprincipalriskevents":   {event.KindRisk},
	"signinlogs":                      {event.KindSignIn},
	"signin":                          {event.KindSignIn},
	"noninteractiveusersigninlogs":    {event.KindSignIn},
	"serviceprincipalsigninlogs":      {event.KindSignIn},
	"managedidentitysigninlogs":       {event.KindSignIn},
	"aadnoninteractiveusersigninlogs": {event.KindSignIn},
	"aadserviceprincipalsigninlogs":   {event.KindSignIn},
	"keyvault":                        {event.KindKeyVault},
	"azurekeyvault":                   {event.KindKeyVault},
	"activitylogs":                    {event.KindActivity},
	"activitylog":                     {event.KindActivity},
}

// products are the Sigma products whose logs appwatch reads.
var products = map[string]bool{"azure": true, "entra": true, "entraid": true, "azuread": true}

// serviceNames lists the services a rule may name, for messages.
const serviceNames = "auditlogs, signinlogs, riskdetection, pim, keyvault, activitylogs"

// Kinds maps a logsource to the event kinds it covers: product azure (or
// entra) with a service, or the product alone for every kind.
func (s *Schema) Kinds(ls sigma.Logsource) (sigma.KindSet, error) {
	product := strings.ToLower(ls.Product)
	switch {
	case product == "m365":
		return 0, fmt.Errorf("product m365 (the Microsoft 365 unified audit log: Exchange, SharePoint, Teams) is not read by appwatch, which reads Entra ID, Key Vault and Activity Log records: product azure with service %s", serviceNames)
	case product != "" && !products[product]:
		return 0, fmt.Errorf("unsupported logsource product %q (appwatch reads product azure: %s)", ls.Product, serviceNames)
	case ls.Category != "":
		return 0, fmt.Errorf("unsupported logsource category %q (use service: %s)", ls.Category, serviceNames)
	}
	var set sigma.KindSet
	if ls.Service == "" {
		if product == "" {
			return 0, fmt.Errorf("logsource names neither a product nor a service")
		}
		for _, k := range []event.Kind{event.KindAudit, kindPIM, event.KindSignIn, event.KindKeyVault, event.KindActivity, event.KindRisk} {
			set = set.With(int(k))
		}
		return set, nil
	}
	kinds, ok := services[strings.ToLower(ls.Service)]
	if !ok {
		return 0, fmt.Errorf("unsupported logsource service %q (%s)", ls.Service, serviceNames)
	}
	for _, k := range kinds {
		set = set.With(int(k))
	}
	return set, nil
}

// Event presents a normalized event to the Sigma engine. Reuse one Event
// per goroutine with Reset to match without allocating.
type Event struct {
	e        *event.Event
	getters  []event.Getter
	presents []func(*event.Event) bool
}

// NewEvent returns an adapter reading fields with the schema's getters.
// Call it after the rules are compiled, so that every field is resolved.
func NewEvent(s *Schema) *Event { return &Event{getters: s.Getters(), presents: s.presence()} }

// Reset points the adapter at e.
func (a *Event) Reset(e *event.Event) { a.e = e }

// Kind returns the event's kind for the engine: its event kind, except
// that audit records logged by Privileged Identity Management have a kind
// of their own, so that the logsource service pim can select them.
func (a *Event) Kind() int {
	if a.e.Kind == event.KindAudit && isPIM(a.e.Service) {
		return kindPIM
	}
	return int(a.e.Kind)
}

// isPIM reports whether an audit record's loggedByService is Privileged
// Identity Management.
func isPIM(service string) bool {
	return strings.EqualFold(service, "PIM") || strings.EqualFold(service, "Privileged Identity Management")
}

// Present reports whether the field with the given ID is in the event
// without a value (empty or null).
func (a *Event) Present(field int) bool {
	if field < 0 || field >= len(a.presents) || a.presents[field] == nil {
		return false
	}
	return a.presents[field](a.e)
}

// Values appends the values of the field with the given ID.
func (a *Event) Values(field int, dst []string) []string {
	if field < 0 || field >= len(a.getters) {
		return dst
	}
	return a.getters[field](a.e, dst)
}

// Time returns when the event happened.
func (a *Event) Time() time.Time { return a.e.Time }

// Keywords appends every text value of the event, for Sigma keyword
// searches: names, ids, addresses, target properties, details, and the
// sign-in, Key Vault, risk detection and Activity Log fields.
func (a *Event) Keywords(dst []string) []string {
	e := a.e
	dst = appendText(dst, e.ID, e.CorrelationID, e.Activity, e.Category, e.ResultReason, e.UserAgent,
		e.Actor.ID, e.Actor.AppID, e.Actor.Name, e.Actor.UPN, e.Actor.IP)
	for i := range e.Targets {
		t := &e.Targets[i]
		dst = appendText(dst, t.ID, t.Type, t.Name, t.UPN)
		for _, p := range t.Props {
			dst = appendText(dst, p.Name)
			dst = append(dst, p.Old.Items...)
			dst = append(dst, p.New.Items...)
		}
	}
	for _, d := range e.Details {
		dst = appendText(dst, d.Key, d.Value)
	}
	s := &e.SignIn
	dst = appendText(dst, s.Protocol, s.AppID, s.AppName, s.ResourceName, s.ServicePrincipalName, s.FailureReason)
	dst = appendText(dst, s.StatusDetail)
	k := &e.KeyVault
	dst = appendText(dst, k.Operation, k.Object, k.RequestURI, k.ClientInfo)
	dst = appendText(dst, e.Risk.EventType, e.Risk.Detail)
	return appendText(dst, e.Azure.Operation, e.Azure.OperationDisplay, e.Azure.ResourceID)
}

func appendText(dst []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" {
			dst = append(dst, v)
		}
	}
	return dst
}
