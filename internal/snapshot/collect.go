package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/graph"
)

// Pager lists Graph collections page by page and reads single objects;
// *graph.Client is one.
type Pager interface {
	Pages(ctx context.Context, path string, query url.Values) iter.Seq2[*graph.Page, error]
	Get(ctx context.Context, path string, query url.Values) (json.RawMessage, error)
}

// DefaultWorkers is how many collection tasks Collect runs at once when
// Options.Workers is zero. The Graph client caps the requests in flight
// on its own.
const DefaultWorkers = 6

// Options tunes Collect.
type Options struct {
	// SensitiveAPIs are the application ids of the resource APIs whose
	// app roles, and whose grants of those roles, Collect reads. Nil means
	// DefaultSensitiveAPIs; an empty slice means none.
	SensitiveAPIs []string
	// Workers bounds the collection tasks that run at once. Default
	// DefaultWorkers.
	Workers int
	// Progress, when set, is called after every page with the collection
	// it belongs to and the number of items on it. Collect calls it from
	// several goroutines at once.
	Progress func(c Collection, items int)
	// Logger receives a record per collection. Default slog.Default().
	Logger *slog.Logger
	// Beta reads what only Graph beta has: the sign-in activity reports,
	// the recommendations, and Conditional Access policies with their
	// agent conditions. Nil leaves the first two out, with a gap, and
	// reads Conditional Access from v1.0.
	Beta Pager
	// ARM reads Azure role assignments from Azure Resource Manager. Nil
	// leaves them out, with a gap.
	ARM Pager
}

// DefaultSensitiveAPIs returns the application ids of Microsoft Graph,
// Office 365 Exchange Online, Office 365 SharePoint Online and Windows
// Azure Active Directory (Azure AD Graph): the APIs whose application
// permissions the guide asks to watch.
func DefaultSensitiveAPIs() []string {
	return []string{
		"00000003-0000-0000-c000-000000000000",
		"00000002-0000-0ff1-ce00-000000000000",
		"00000003-0000-0ff1-ce00-000000000000",
		"00000002-0000-0000-c000-000000000000",
	}
}

// Query details. Listing with $expand returns at most 100 objects a page
// and at most expandCap items of the expanded relationship, without a
// next link for it; lists without $expand take up to 999 a page.
const (
	pageSize       = "999"
	expandPageSize = "100"
	expandCap      = 20
	appFields      = "id,appId,displayName,createdDateTime,signInAudience,publisherDomain,identifierUris,keyCredentials,passwordCredentials,web,spa,publicClient,requiredResourceAccess,appRoles,isFallbackPublicClient,notes,verifiedPublisher,servicePrincipalLockConfiguration"
	spFields       = "id,appId,displayName,servicePrincipalType,appOwnerOrganizationId,preferredSingleSignOnMode,accountEnabled,signInAudience,notes,verifiedPublisher,keyCredentials,passwordCredentials,replyUrls,servicePrincipalNames"
	resourceFields = "id,appId,displayName,appRoles,oauth2PermissionScopes"
	ownerFields    = "id,displayName,userPrincipalName,userType"
	roleFields     = "id,principalId,roleDefinitionId,directoryScopeId,appScopeId"
	roleDefFields  = "id,displayName,templateId,isBuiltIn"
	domainFields   = "id,isVerified,isDefault,isInitial,authenticationType,supportedServices"
)

// Collect reads a snapshot from Graph. Independent collections are read
// at the same time. Nothing is read twice: owners beyond what an expanded
// list holds, and the app role assignments of each resource API, are read
// once each after the lists. Role assignments are kept when their
// principal is a service principal or their role can add credentials to
// any app. A failure in one of the six core collections does not stop
// the others, so the error lists every missing permission at once; the
// other collections are optional, and a failure to read one is recorded
// in the snapshot's Gaps instead. A refused sign-in or token, or the end
// of ctx, stops everything and is reported once.
func Collect(ctx context.Context, g Pager, opts Options) (*Snapshot, error) {
	c := &collector{g: g, opts: opts, log: opts.Logger, optional: map[Collection]rawList{}, children: map[string][]json.RawMessage{}}
	if c.log == nil {
		c.log = slog.Default()
	}
	if opts.SensitiveAPIs == nil {
		c.opts.SensitiveAPIs = DefaultSensitiveAPIs()
	}
	if err := c.run(ctx, c.lists()); err != nil {
		return nil, err
	}
	if err := c.run(ctx, c.followUps()); err != nil {
		return nil, err
	}
	return c.assemble(), nil
}

// collector holds what the collection tasks read. Every task writes only
// its own fields, and the second stage starts after the first has ended.
type collector struct {
	g    Pager
	opts Options
	log  *slog.Logger

	applications        listing[Application]
	fics                listing[ficHolder]
	sps, resources      listing[ServicePrincipal]
	grants              listing[Grant]
	roles               listing[RoleAssignment]
	domains             listing[Domain]
	appOwners, spOwners map[string][]Owner
	assignments         [][]AppRoleAssignment
	ownerMu             sync.Mutex

	optMu    sync.Mutex
	optional map[Collection]rawList
	children map[string][]json.RawMessage // by the id of the parent object
	azure    []rawList                    // by Azure scope
	gaps     []Gap
}

// listing is one listed collection and the @odata.context of its first page.
type listing[T any] struct {
	items   []T
	context string
}

// ficHolder is an application as the federated credential list returns it.
type ficHolder struct {
	ID                           string                        `json:"id"`
	FederatedIdentityCredentials []FederatedIdentityCredential `json:"federatedIdentityCredentials"`
}

// task is one unit of collection work.
type task struct {
	name string
	run  func(context.Context) error
}

// lists returns the first-stage tasks: the collection lists.
func (c *collector) lists() []task {
	ts := []task{
		{"applications", func(ctx context.Context) (err error) {
			c.applications, err = list[Application](ctx, c, Applications, "/applications", url.Values{
				"$select": {appFields}, "$expand": {"owners($select=" + ownerFields + ")"}, "$top": {expandPageSize}})
			return err
		}},
		{"federated identity credentials", func(ctx context.Context) (err error) {
			c.fics, err = list[ficHolder](ctx, c, Applications, "/applications", url.Values{
				"$select": {"id"}, "$expand": {"federatedIdentityCredentials"}, "$top": {expandPageSize}})
			return err
		}},
		{"service principals", func(ctx context.Context) (err error) {
			c.sps, err = list[ServicePrincipal](ctx, c, ServicePrincipals, "/servicePrincipals", url.Values{
				"$select": {spFields}, "$expand": {"owners($select=" + ownerFields + ")"}, "$top": {expandPageSize}})
			return err
		}},
		{"delegated permission grants", func(ctx context.Context) (err error) {
			c.grants, err = list[Grant](ctx, c, Grants, "/oauth2PermissionGrants", url.Values{"$top": {pageSize}})
			return err
		}},
		{"directory role assignments", func(ctx context.Context) (err error) {
			c.roles, err = list[RoleAssignment](ctx, c, RoleAssignments, "/roleManagement/directory/roleAssignments", url.Values{
				"$select": {roleFields}, "$expand": {"roleDefinition($select=" + roleDefFields + ")"}})
			return err
		}},
		{"domains", func(ctx context.Context) (err error) {
			c.domains, err = list[Domain](ctx, c, Domains, "/domains", url.Values{"$select": {domainFields}})
			return err
		}},
	}
	if len(c.opts.SensitiveAPIs) > 0 {
		ts = append(ts, task{"sensitive API service principals", func(ctx context.Context) (err error) {
			c.resources, err = list[ServicePrincipal](ctx, c, ServicePrincipals, "/servicePrincipals", url.Values{
				"$filter": {appIDFilter(c.opts.SensitiveAPIs)}, "$select": {resourceFields}})
			return err
		}})
	}
	for _, o := range c.optionals() {
		ts = append(ts, c.runOptional(o))
	}
	return ts
}

// appIDFilter builds "appId in ('a','b')", doubling single quotes.
func appIDFilter(ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = "'" + strings.ReplaceAll(id, "'", "''") + "'"
	}
	return "appId in (" + strings.Join(quoted, ",") + ")"
}

// followUps returns the second-stage tasks: full owner lists of objects
// whose expanded owners may have been cut short, and the app role
// assignments of each resource API.
func (c *collector) followUps() []task {
	c.appOwners, c.spOwners = map[string][]Owner{}, map[string][]Owner{}
	var ts []task
	for _, a := range c.applications.items {
		if len(a.Owners) >= expandCap {
			ts = append(ts, c.ownerTask(Applications, "/applications/", a.ID, c.appOwners))
		}
	}
	for _, sp := range c.sps.items {
		if len(sp.Owners) >= expandCap {
			ts = append(ts, c.ownerTask(ServicePrincipals, "/servicePrincipals/", sp.ID, c.spOwners))
		}
	}
	resources := c.resourceIDs()
	c.assignments = make([][]AppRoleAssignment, len(resources))
	for i, id := range resources {
		ts = append(ts, task{"app role assignments of " + id, func(ctx context.Context) error {
			l, err := list[AppRoleAssignment](ctx, c, AppRoleAssignments, "/servicePrincipals/"+url.PathEscape(id)+"/appRoleAssignedTo", url.Values{"$top": {pageSize}})
			c.assignments[i] = l.items
			return err
		}})
	}
	return append(ts, c.optionalFollowUps()...)
}

func (c *collector) ownerTask(coll Collection, prefix, id string, into map[string][]Owner) task {
	return task{"owners of " + id, func(ctx context.Context) error {
		l, err := list[Owner](ctx, c, coll, prefix+url.PathEscape(id)+"/owners", url.Values{"$select": {ownerFields}, "$top": {pageSize}})
		c.ownerMu.Lock()
		into[id] = l.items
		c.ownerMu.Unlock()
		return err
	}}
}

// resourceIDs returns, sorted and once each, the service principal ids of
// the sensitive APIs and of the tenant's own apps that define app roles
// applications can hold.
func (c *collector) resourceIDs() []string {
	var ids []string
	for _, sp := range c.resources.items {
		ids = append(ids, sp.ID)
	}
	roleApps := map[string]bool{}
	for _, a := range c.applications.items {
		if slices.ContainsFunc(a.AppRoles, AppRole.ForApplications) {
			roleApps[strings.ToLower(a.AppID)] = true
		}
	}
	for _, sp := range c.sps.items {
		if roleApps[strings.ToLower(sp.AppID)] {
			ids = append(ids, sp.ID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// run runs the tasks on at most Workers goroutines and joins their
// errors. A failure that every other task would meet too (a refused
// sign-in or token, or the end of ctx) stops them all and is returned
// alone, once.
func (c *collector) run(parent context.Context, ts []task) error {
	workers := c.opts.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	sem := make(chan struct{}, workers)
	errs := make([]error, len(ts))
	var wg sync.WaitGroup
	for i, t := range ts {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			if err := t.run(ctx); err != nil {
				errs[i] = fmt.Errorf("collect %s: %w", t.name, err)
				if errors.Is(err, graph.ErrSignIn) || errors.Is(err, graph.ErrUnauthorized) {
					stop(errs[i])
				}
				return
			}
			c.log.DebugContext(ctx, "collected", "what", t.name, "elapsed", time.Since(start))
		})
	}
	wg.Wait()
	if parent.Err() != nil {
		return fmt.Errorf("collect: %w", context.Cause(parent))
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// list reads every page of path and decodes the items as T.
func list[T any](ctx context.Context, c *collector, coll Collection, path string, q url.Values) (listing[T], error) {
	l := listing[T]{items: []T{}}
	for p, err := range c.g.Pages(ctx, path, q) {
		if err != nil {
			return listing[T]{}, err
		}
		if l.context == "" {
			l.context = p.Context
		}
		for _, raw := range p.Value {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return listing[T]{}, fmt.Errorf("%s: item %d: %w", path, len(l.items), err)
			}
			l.items = append(l.items, v)
		}
		if c.opts.Progress != nil {
			c.opts.Progress(coll, len(p.Value))
		}
	}
	return l, nil
}
