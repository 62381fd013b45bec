package enrich

import (
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/policy"
)

// contextEnricher places every event with a known time against the
// tenant's business hours, holidays, change windows and approved actors
// (see event.ContextFacts), so that every alert can say whether it fell
// outside them. It runs on sign-ins too, which are most of the volume; the
// policy answers without allocating.
type contextEnricher struct {
	pol *policy.Policy
}

func newContextEnricher(pol *policy.Policy) *contextEnricher { return &contextEnricher{pol: pol} }

// Name returns "context".
func (c *contextEnricher) Name() string { return "context" }

// Enrich fills e.Derived.Context when the event's time is known.
func (c *contextEnricher) Enrich(e *event.Event) {
	if e.Time.IsZero() {
		return
	}
	f := &e.Derived.Context
	f.Evaluated = true
	f.OutsideHours = c.pol.OutsideBusinessHours(e.Time)
	f.ChangeWindow, _ = c.pol.InChangeWindow(e.Time)
	a := &e.Actor
	f.ApprovedActor = c.pol.ApprovedActor(a.ID, a.UPN, a.AppID, a.ServicePrincipalID) ||
		c.pol.ApprovedApp(a.AppID, a.ServicePrincipalID, a.ID, appName(a))
}

// appName returns the actor's display name when the actor is an
// application; a user's display name is not an approval.
func appName(a *event.Actor) string {
	if a.Type == event.ActorApp {
		return a.Name
	}
	return ""
}
