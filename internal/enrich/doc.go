// Package enrich works out facts that Sigma rules cannot compute on their
// own and stores them in event.Derived before rules are matched: which
// application a record is about and whether its name imitates a well-known
// one, which credentials were added or removed, which permissions were
// granted and how risky they are, which role was assigned to whom, which
// redirect, identifier or logout URIs changed and what is wrong with them,
// and where the event falls against the tenant's working hours and change
// windows.
//
// Each enricher is a small type with a Name and an Enrich method. It looks
// at the event's kind and activity first and returns at once for records it
// does not handle, so the sign-ins that make up most of a log cost little.
// A Chain runs them in a fixed order; see docs/enrichers.md.
package enrich
