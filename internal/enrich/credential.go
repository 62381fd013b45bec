package enrich

import (
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

// credentialActivities are the activities whose records may carry a
// KeyDescription property.
func credentialActivities() activitySet {
	return activities(
		"Update application – Certificates and secrets management",
		"Create application – Certificates and secrets management",
		"Update application",
		"Update application with safe rollout",
		"Update service principal",
		"Add application",
		"Add service principal",
		"Add service principal credentials",
		"Remove service principal credentials",
	)
}

// credentialEnricher compares the credentials listed before and after a
// change (see event.CredentialFacts).
type credentialEnricher struct {
	acts activitySet
}

func newCredentialEnricher() *credentialEnricher {
	return &credentialEnricher{acts: credentialActivities()}
}

// Name returns "credential".
func (c *credentialEnricher) Name() string { return "credential" }

// Enrich fills e.Derived.Credential when the record has a KeyDescription
// property.
func (c *credentialEnricher) Enrich(e *event.Event) {
	if e.Kind != event.KindAudit || !c.acts[e.ActivityKey] {
		return
	}
	for i := range e.Targets {
		t := &e.Targets[i]
		if p := prop(t, "KeyDescription"); p != nil {
			e.Derived.Credential = credentialFacts(e, t, p)
			return
		}
	}
}

// credentialFacts compares the old and new KeyDescription lists by key id.
func credentialFacts(e *event.Event, t *event.Target, p *event.Property) event.CredentialFacts {
	old := modprop.ParseKeyDescription(p.Old.Items)
	cur := modprop.ParseKeyDescription(p.New.Items)
	f := event.CredentialFacts{
		Added:   modprop.AddedCredentials(old, cur),
		Removed: modprop.AddedCredentials(cur, old),
		Before:  len(old),
		Target:  credentialTarget(e, t),
	}
	if absent(p.Old) {
		f.Before = -1
	}
	return f
}

// absent reports whether a value was not logged at all (no oldValue key,
// or null), as opposed to logged as an empty list.
func absent(v modprop.Value) bool {
	raw := strings.TrimSpace(v.Raw)
	return raw == "" || raw == "null"
}

// credentialTarget returns Application or ServicePrincipal: the target's
// type, or else what the activity name says.
func credentialTarget(e *event.Event, t *event.Target) string {
	switch {
	case strings.EqualFold(t.Type, typeApplication):
		return typeApplication
	case strings.EqualFold(t.Type, typeServicePrincipal):
		return typeServicePrincipal
	case strings.Contains(e.ActivityKey, "service principal"):
		return typeServicePrincipal
	}
	return typeApplication
}
