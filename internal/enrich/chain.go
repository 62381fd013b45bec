package enrich

import (
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
)

// Enricher fills part of an event's Derived facts.
type Enricher interface {
	// Name is the enricher's short name, as docs/enrichers.md and the
	// field catalog ("[app]", "[uri]", ...) use it.
	Name() string
	// Enrich adds what the enricher knows about e. It leaves e untouched
	// when the record is not one it handles.
	Enrich(e *event.Event)
}

// Chain runs every enricher in order. Some enrichers remember what they
// saw in earlier events (the redirect URIs of each application, the
// verdicts on application names), in memory of bounded size, so a Chain
// must be used by one goroutine at a time; give each goroutine its own.
type Chain struct {
	enrichers []Enricher
	uri       *uriEnricher
	// What New was given, for Fork.
	ref *refdata.Data
	pol *policy.Policy
	opt options
}

// Option changes how New builds a Chain.
type Option func(*options)

type options struct {
	tenant *Tenant
}

// WithTenant lets the enrichers fall back on what a snapshot of the
// tenant says when a record does not: whether a URI's domain is the
// tenant's, what a role's member is, and which applications already use a
// redirect URI.
func WithTenant(t *Tenant) Option {
	return func(o *options) { o.tenant = t }
}

// New returns the chain of built-in enrichers: app, credential,
// permission, role, uri and context, in that order (uri relies on the
// application that app found). ref must not be nil; a nil pol means
// policy.Default().
func New(ref *refdata.Data, pol *policy.Policy, opts ...Option) *Chain {
	if pol == nil {
		pol = policy.Default()
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	uri := newURIEnricher(pol, o.tenant, maxSeenURIs)
	return &Chain{enrichers: []Enricher{
		newAppEnricher(ref, o.tenant),
		newCredentialEnricher(),
		newPermissionEnricher(ref),
		newRoleEnricher(ref, o.tenant),
		uri,
		newContextEnricher(pol),
	}, uri: uri, ref: ref, pol: pol, opt: o}
}

// Fork returns a chain configured like c, with state of its own, for
// another goroutine. What it finds for an event that c does not report
// as Ordered is what c finds.
func (c *Chain) Fork() interface{ Enrich(*event.Event) } {
	return New(c.ref, c.pol, func(o *options) { *o = c.opt })
}

// Ordered reports whether what c finds for e depends on the events it
// enriched before e: whether a redirect URI was seen on another
// application. Such events must be enriched in input order by one chain;
// the others may be enriched by any fork, in any order.
func (c *Chain) Ordered(e *event.Event) bool { return c.uri.handles(e) }

// Enrich clears e.Derived and runs every enricher on e.
func (c *Chain) Enrich(e *event.Event) {
	e.Derived = event.Derived{}
	for _, en := range c.enrichers {
		en.Enrich(e)
	}
}

// Names returns the names of the enrichers in the order they run.
func (c *Chain) Names() []string {
	names := make([]string, len(c.enrichers))
	for i, en := range c.enrichers {
		names[i] = en.Name()
	}
	return names
}
