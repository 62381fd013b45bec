package snapshot

import (
	"cmp"
	"slices"
	"strings"
)

// DefaultMetadata is the metadata URL of Graph v1.0, used for the
// @odata.context of a collection whose context is not known.
const DefaultMetadata = "https://graph.microsoft.com/v1.0/$metadata"

// contextPath returns the part of an @odata.context after "#" that names
// a collection.
func contextPath(c Collection) string {
	if c == RoleAssignments {
		return "roleManagement/directory/roleAssignments"
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
	var roles []RoleAssignment
	for _, r := range c.roles.items {
		if spIDs[strings.ToLower(r.PrincipalID)] {
			roles = append(roles, r)
		}
	}
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
	s.normalize()
	return s
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

// normalize sorts every collection by id, keeps one item per id, and
// leaves empty collections nil.
func (s *Snapshot) normalize() {
	s.Applications = sortByID(s.Applications, func(v Application) string { return v.ID })
	s.ServicePrincipals = sortByID(s.ServicePrincipals, func(v ServicePrincipal) string { return v.ID })
	s.Grants = sortByID(s.Grants, func(v Grant) string { return v.ID })
	s.AppRoleAssignments = sortByID(s.AppRoleAssignments, func(v AppRoleAssignment) string { return v.ID })
	s.RoleAssignments = sortByID(s.RoleAssignments, func(v RoleAssignment) string { return v.ID })
	s.Domains = sortByID(s.Domains, func(v Domain) string { return v.ID })
}

func sortByID[T any](items []T, id func(T) string) []T {
	if len(items) == 0 {
		return nil
	}
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return slices.CompactFunc(items, func(a, b T) bool { return id(a) == id(b) && id(a) != "" })
}
