package snapshot

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
)

// DefaultMetadata is the metadata URL of Graph v1.0, used for the
// @odata.context of a collection whose context is not known.
const DefaultMetadata = "https://graph.microsoft.com/v1.0/$metadata"

// contextPath returns the part of an @odata.context after "#" that names
// a collection.
func contextPath(c Collection) string {
	if d, ok := defFor(c); ok {
		return d.context
	}
	return string(c)
}

// metadataBase returns the part of an @odata.context before "#", or
// DefaultMetadata.
func metadataBase(contexts ...string) string {
	for _, c := range contexts {
		if base, _, ok := strings.Cut(c, "#"); ok && base != "" {
			return base
		}
	}
	return DefaultMetadata
}

// assemble puts what the tasks read together into a snapshot.
func (c *collector) assemble() *Snapshot {
	apps := c.applications.items
	fics := map[string][]FederatedIdentityCredential{}
	for _, f := range c.fics.items {
		fics[f.ID] = f.FederatedIdentityCredentials
	}
	for i := range apps {
		if f, ok := fics[apps[i].ID]; ok {
			apps[i].FederatedIdentityCredentials = f
		}
		if o, ok := c.appOwners[apps[i].ID]; ok {
			apps[i].Owners = o
		}
	}
	sps := mergeResources(c.sps.items, c.resources.items)
	spIDs := map[string]bool{}
	for i := range sps {
		spIDs[strings.ToLower(sps[i].ID)] = true
		if o, ok := c.spOwners[sps[i].ID]; ok {
			sps[i].Owners = o
		}
	}
	roles := keepRoles(c.roles.items, spIDs)
	base := metadataBase(c.applications.context, c.sps.context, c.grants.context)
	s := &Snapshot{
		Applications:       apps,
		ServicePrincipals:  sps,
		Grants:             c.grants.items,
		AppRoleAssignments: slices.Concat(c.assignments...),
		RoleAssignments:    roles,
		Domains:            c.domains.items,
		Contexts: map[Collection]string{
			Applications:       c.applications.context,
			ServicePrincipals:  c.sps.context,
			Grants:             c.grants.context,
			AppRoleAssignments: base + "#" + contextPath(AppRoleAssignments),
			RoleAssignments:    c.roles.context,
			Domains:            c.domains.context,
		},
	}
	for coll, ctx := range s.Contexts {
		if ctx == "" {
			s.Contexts[coll] = base + "#" + contextPath(coll)
		}
	}
	c.assembleOptional(s, base, spIDs)
	s.normalize()
	return s
}

// keepRoles keeps the role assignments of service principals and those
// of any principal to a role that can add credentials to any app.
func keepRoles(all []RoleAssignment, spIDs map[string]bool) []RoleAssignment {
	var out []RoleAssignment
	for _, r := range all {
		role := r.RoleDefinitionID
		if d := r.RoleDefinition; d != nil {
			role = cmp.Or(d.TemplateID, d.ID, role)
		}
		if spIDs[strings.ToLower(r.PrincipalID)] || CredentialRole(role) {
			out = append(out, r)
		}
	}
	return out
}

// assembleOptional decodes the optional collections into s, with their
// children, keeps the eligible roles and registrations appwatch needs,
// gives agents their types, and records the gaps.
func (c *collector) assembleOptional(s *Snapshot, base string, spIDs map[string]bool) {
	r := newReader()
	for coll, l := range c.optional {
		d, _ := defFor(coll)
		for i, raw := range l.items {
			r.stores[coll].add(r, string(coll), i, raw)
		}
		r.stores[coll].fill(s)
		s.Contexts[coll] = cmp.Or(l.context, base+"#"+d.context)
	}
	if _, ok := c.optional[AzureScopes]; ok {
		var all []json.RawMessage
		for _, l := range c.azure {
			all = append(all, l.items...)
		}
		for i, raw := range all {
			r.stores[AzureRoleAssignments].add(r, string(AzureRoleAssignments), i, raw)
		}
		r.stores[AzureRoleAssignments].fill(s)
		s.Contexts[AzureRoleAssignments] = base + "#" + contextPath(AzureRoleAssignments)
	}
	for _, p := range r.problems {
		c.log.Warn("collected object left out", "problem", p.String())
	}
	for i := range s.Recommendations {
		rec := &s.Recommendations[i]
		if raw, ok := c.children[rec.ID]; ok {
			rec.ImpactedResources = decodeAll[ImpactedResource](r, "impactedResources", raw)
		}
	}
	for i := range s.AppManagementPolicies {
		p := &s.AppManagementPolicies[i]
		if raw, ok := c.children[p.ID]; ok {
			p.AppliesTo = decodeAll[Owner](r, "appliesTo", raw)
		}
	}
	s.RoleEligibilities = keepRoles(s.RoleEligibilities, spIDs)
	s.UserRegistrations = keepRegistrations(s)
	stampAgents(s)
	s.Gaps = c.gaps
	if g, ok := s.Gap(AzureScopes); ok && !s.Has(AzureScopes) {
		g.Collection = AzureRoleAssignments
		s.Gaps = append(s.Gaps, g)
	}
}

// keepRegistrations keeps the authentication method registrations of the
// users who own apps, sponsor agents or hold a role that can add
// credentials to any app.
func keepRegistrations(s *Snapshot) []UserRegistration {
	if len(s.UserRegistrations) == 0 {
		return s.UserRegistrations
	}
	want := map[string]bool{}
	add := func(owners []Owner) {
		for _, o := range owners {
			want[strings.ToLower(o.ID)] = true
		}
	}
	for _, a := range s.Applications {
		add(a.Owners)
	}
	for _, sp := range s.ServicePrincipals {
		add(sp.Owners)
	}
	for _, a := range s.Agents {
		add(a.Sponsors)
	}
	for _, r := range slices.Concat(s.RoleAssignments, s.RoleEligibilities) {
		want[strings.ToLower(r.PrincipalID)] = true
	}
	return slices.DeleteFunc(s.UserRegistrations, func(u UserRegistration) bool { return !want[strings.ToLower(u.ID)] })
}

// stampAgents gives the service principals and applications that are
// Agent ID objects their type.
func stampAgents(s *Snapshot) {
	types := map[string]string{}
	for _, a := range s.Agents {
		types[a.ID] = a.ODataType
	}
	for i := range s.ServicePrincipals {
		if t, ok := types[s.ServicePrincipals[i].ID]; ok && s.ServicePrincipals[i].ODataType == "" {
			s.ServicePrincipals[i].ODataType = t
		}
	}
	for i := range s.Applications {
		if t, ok := types[s.Applications[i].ID]; ok && s.Applications[i].ODataType == "" {
			s.Applications[i].ODataType = t
		}
	}
}

// mergeResources adds the app roles of the sensitive APIs' service
// principals to the full list.
func mergeResources(sps, resources []ServicePrincipal) []ServicePrincipal {
	at := map[string]int{}
	for i, sp := range sps {
		at[sp.ID] = i
	}
	for _, r := range resources {
		if i, ok := at[r.ID]; ok {
			sps[i].AppRoles = r.AppRoles
			continue
		}
		sps = append(sps, r)
	}
	return sps
}

// normalize sorts every collection by id, keeps one item per id, leaves
// empty collections nil, and sorts the gaps.
func (s *Snapshot) normalize() {
	for _, d := range defs {
		d.sort(s)
	}
	slices.SortFunc(s.Gaps, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(a.Collection, b.Collection), cmp.Compare(a.Part, b.Part))
	})
	s.Gaps = slices.Compact(s.Gaps)
	if len(s.Gaps) == 0 {
		s.Gaps = nil
	}
}

func sortByID[T any](items []T, id func(T) string) []T {
	if len(items) == 0 {
		return nil
	}
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return slices.CompactFunc(items, func(a, b T) bool { return id(a) == id(b) && id(a) != "" })
}
