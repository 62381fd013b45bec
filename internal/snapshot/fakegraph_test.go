package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tenant is the truth a fake Graph serves: every object with everything
// Collect should find, owners and federated credentials in full.
type tenant struct {
	apps    []Application
	sps     []ServicePrincipal
	grants  []Grant
	aras    map[string][]AppRoleAssignment // by resource service principal id
	roles   []RoleAssignment
	domains []Domain
	opt     optionalTenant
}

// fault is a scripted failure for the n-th request (counting from 1) to
// one request URI.
type fault struct {
	status     int
	retryAfter func() string // nil means no Retry-After header
}

// fakeGraph serves a tenant the way Microsoft Graph v1.0 lists it, and
// records every request.
type fakeGraph struct {
	t      *testing.T
	srv    *httptest.Server
	http   *http.Client // a client that reaches srv
	tenant *tenant

	mu       sync.Mutex
	hits     map[string]int
	arrivals map[string][]time.Time
	all      []time.Time
	faults   map[string]map[int]fault // request URI prefix → request number → fault
	forbid   map[string]bool          // path → answer 403
	lists    map[string]any           // what listed has built, by key
	licence  map[string]bool          // path → answer 403 for want of a licence

	inFlight, peak atomic.Int64
}

func newFakeGraph(t *testing.T, tn *tenant) *fakeGraph {
	t.Helper()
	fg := &fakeGraph{t: t, tenant: tn, hits: map[string]int{}, arrivals: map[string][]time.Time{},
		faults: map[string]map[int]fault{}, forbid: map[string]bool{}, lists: map[string]any{}, licence: map[string]bool{}}
	fg.srv = httptest.NewServer(http.HandlerFunc(fg.serve))
	fg.http = fg.srv.Client()
	t.Cleanup(fg.srv.Close)
	return fg
}

// newVirtualFakeGraph is newFakeGraph for a test inside a synctest
// bubble: it speaks HTTP over in-memory pipes instead of loopback TCP,
// because a goroutine waiting on a socket would keep the bubble's virtual
// clock from moving.
func newVirtualFakeGraph(t *testing.T, tn *tenant) *fakeGraph {
	t.Helper()
	fg := &fakeGraph{t: t, tenant: tn, hits: map[string]int{}, arrivals: map[string][]time.Time{},
		faults: map[string]map[int]fault{}, forbid: map[string]bool{}, lists: map[string]any{}, licence: map[string]bool{}}
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	fg.srv = httptest.NewUnstartedServer(http.HandlerFunc(fg.serve))
	fg.srv.Listener.Close()
	fg.srv.Listener = l
	fg.srv.Start()
	transport := &http.Transport{DialContext: l.dial}
	fg.http = &http.Client{Transport: transport}
	t.Cleanup(func() {
		fg.srv.Close()
		transport.CloseIdleConnections()
	})
	return fg
}

// pipeListener is a net.Listener whose connections are in-memory pipes
// that its dial method opens.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// Accept returns the server end of the next pipe dialled.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and dial.
func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is the address the server's URL names; nothing listens there.
func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }

// dial opens a pipe and hands its server end to Accept.
func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// metadata is the fake's $metadata URL.
func (fg *fakeGraph) metadata() string { return fg.srv.URL + "/v1.0/$metadata" }

func (fg *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	n := fg.inFlight.Add(1)
	defer fg.inFlight.Add(-1)
	for p := fg.peak.Load(); n > p && !fg.peak.CompareAndSwap(p, n); p = fg.peak.Load() {
	}
	uri := r.URL.RequestURI()
	fg.mu.Lock()
	fg.hits[uri]++
	count := fg.hits[uri]
	fg.arrivals[uri] = append(fg.arrivals[uri], time.Now())
	fg.all = append(fg.all, time.Now())
	f, faulty := fg.faults[uri][count]
	forbidden, unlicensed := fg.forbid[r.URL.Path], fg.licence[r.URL.Path]
	fg.mu.Unlock()

	if r.Header.Get("Authorization") != "Bearer test-token" {
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "no token")
		return
	}
	switch {
	case faulty:
		if f.retryAfter != nil {
			w.Header().Set("Retry-After", f.retryAfter())
		}
		graphError(w, f.status, "TooManyRequests", "scripted")
		return
	case forbidden:
		graphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	case unlicensed:
		graphError(w, http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
			"Neither tenant is B2C or tenant doesn't have premium license")
		return
	}
	if fg.routeOptional(w, r) {
		return
	}
	fg.route(w, r)
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// route answers the paths Collect uses.
func (fg *fakeGraph) route(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	path := strings.TrimPrefix(r.URL.Path, "/v1.0")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	tn := fg.tenant
	switch {
	case path == "/applications" && q.Get("$expand") == "federatedIdentityCredentials":
		page(fg, w, r, "applications(id,federatedIdentityCredentials())", listed(fg, "fics", func() []ficHolder {
			return mapSlice(tn.apps, func(a Application) ficHolder {
				return ficHolder{ID: a.ID, FederatedIdentityCredentials: a.FederatedIdentityCredentials}
			})
		}))
	case path == "/applications":
		fg.want(r, "$select", appFields)
		page(fg, w, r, "applications("+appFields+",owners("+ownerFields+"))", listed(fg, "apps", func() []Application {
			return mapSlice(tn.apps, func(a Application) Application {
				a.Owners = truncate(a.Owners)
				a.FederatedIdentityCredentials = nil
				return a
			})
		}))
	case path == "/servicePrincipals" && q.Get("$filter") != "":
		fg.want(r, "$select", resourceFields)
		var out []ServicePrincipal
		for _, sp := range tn.sps {
			if strings.Contains(q.Get("$filter"), "'"+sp.AppID+"'") {
				out = append(out, ServicePrincipal{ID: sp.ID, AppID: sp.AppID, DisplayName: sp.DisplayName, AppRoles: sp.AppRoles, OAuth2PermissionScopes: sp.OAuth2PermissionScopes})
			}
		}
		page(fg, w, r, "servicePrincipals("+resourceFields+")", out)
	case path == "/servicePrincipals":
		fg.want(r, "$select", spFields)
		page(fg, w, r, "servicePrincipals("+spFields+",owners("+ownerFields+"))", listed(fg, "sps", func() []ServicePrincipal {
			return mapSlice(tn.sps, func(sp ServicePrincipal) ServicePrincipal {
				sp.Owners = truncate(sp.Owners)
				sp.AppRoles, sp.OAuth2PermissionScopes = nil, nil
				return sp
			})
		}))
	case len(segs) == 3 && segs[0] == "applications" && segs[2] == "owners":
		i := slices.IndexFunc(tn.apps, func(a Application) bool { return a.ID == segs[1] })
		fg.found(w, r, i, func() { page(fg, w, r, "directoryObjects", tn.apps[i].Owners) })
	case len(segs) == 3 && segs[0] == "servicePrincipals" && segs[2] == "owners":
		i := slices.IndexFunc(tn.sps, func(sp ServicePrincipal) bool { return sp.ID == segs[1] })
		fg.found(w, r, i, func() { page(fg, w, r, "directoryObjects", tn.sps[i].Owners) })
	case len(segs) == 3 && segs[0] == "servicePrincipals" && segs[2] == "appRoleAssignedTo":
		page(fg, w, r, "servicePrincipals('"+segs[1]+"')/appRoleAssignedTo", nonNil(tn.aras[segs[1]]))
	case path == "/oauth2PermissionGrants":
		page(fg, w, r, "oauth2PermissionGrants", tn.grants)
	case path == "/roleManagement/directory/roleAssignments":
		fg.want(r, "$expand", "roleDefinition($select="+roleDefFields+")")
		page(fg, w, r, "roleManagement/directory/roleAssignments("+roleFields+",roleDefinition("+roleDefFields+"))", tn.roles)
	case path == "/domains":
		page(fg, w, r, "domains("+domainFields+")", tn.domains)
	default:
		fg.t.Errorf("unexpected request %s", r.URL)
		graphError(w, http.StatusBadRequest, "BadRequest", "unsupported path")
	}
}

// listed returns the list build makes, built once per fake and key: the
// fake serves a large list page by page without copying it every time.
func listed[T any](fg *fakeGraph, key string, build func() []T) []T {
	fg.mu.Lock()
	defer fg.mu.Unlock()
	if l, ok := fg.lists[key]; ok {
		return l.([]T)
	}
	l := build()
	fg.lists[key] = l
	return l
}

// want checks one query parameter.
func (fg *fakeGraph) want(r *http.Request, key, value string) {
	if got := r.URL.Query().Get(key); got != value {
		fg.t.Errorf("%s: %s = %q, want %q", r.URL.Path, key, got, value)
	}
}

func (fg *fakeGraph) found(w http.ResponseWriter, r *http.Request, i int, serve func()) {
	if i < 0 {
		graphError(w, http.StatusNotFound, "Request_ResourceNotFound", "no such object: "+r.URL.Path)
		return
	}
	serve()
}

// page writes one page of items, sized by $top and placed by the
// $skiptoken offset, as Graph does: at most 100 with $expand, 999
// without, 100 by default. A page size beyond the limit is an error.
func page[T any](fg *fakeGraph, w http.ResponseWriter, r *http.Request, context string, items []T) {
	pageAt(fg, w, r, fg.metadata(), context, items)
}

// pageAt is page with the $metadata URL of another Graph version.
func pageAt[T any](fg *fakeGraph, w http.ResponseWriter, r *http.Request, metadata, context string, items []T) {
	q := r.URL.Query()
	size, limit := 100, 999
	if q.Get("$expand") != "" {
		limit = 100
	}
	if top := q.Get("$top"); top != "" {
		size, _ = strconv.Atoi(top)
	}
	if size < 1 || size > limit {
		graphError(w, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("$top %q out of range", q.Get("$top")))
		fg.t.Errorf("%s: $top %q out of range 1..%d", r.URL, q.Get("$top"), limit)
		return
	}
	start, _ := strconv.Atoi(q.Get("$skiptoken"))
	end := min(start+size, len(items))
	doc := map[string]any{"@odata.context": metadata + "#" + context, "value": nonNil(items[min(start, end):end])}
	if end < len(items) {
		next := *r.URL
		nq := next.Query()
		nq.Set("$skiptoken", strconv.Itoa(end))
		next.RawQuery = nq.Encode()
		doc["@odata.nextLink"] = fg.srv.URL + next.RequestURI()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

func truncate(owners []Owner) []Owner {
	if len(owners) > expandCap {
		return owners[:expandCap]
	}
	return owners
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// guid makes a GUID-shaped id from a kind digit and a number.
func guid(kind, n int) string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012d", kind, n)
}

const (
	idApp = iota + 1
	idAppID
	idSP
	idUser
	idGrant
	idARA
	idRole
	idFIC
	idRoleDef
)

// genTenant builds a tenant with n app registrations, each with a service
// principal, plus the service principals of the four sensitive APIs. It
// has owner lists longer than an expanded list holds, a tenant app whose
// app role applications can hold, delegated grants beyond one page of
// 999, and role assignments held by users, which Collect must drop.
func genTenant(n int) *tenant {
	tn := &tenant{aras: map[string][]AppRoleAssignment{}}
	start := time.Date(2026, 1, 2, 3, 4, 5, 123456700, time.UTC)
	for i := range n {
		a := Application{
			ID: guid(idApp, i), AppID: guid(idAppID, i), DisplayName: fmt.Sprintf("app %d", i),
			CreatedDateTime: Time{Time: start.Add(time.Duration(i) * time.Minute)},
			SignInAudience:  []string{"AzureADMyOrg", "AzureADMultipleOrgs"}[i%2],
			IdentifierURIs:  []string{},
			KeyCredentials:  []Credential{},
			PasswordCredentials: []Credential{{KeyID: guid(idFIC+10, i), DisplayName: "secret", Hint: "abc",
				StartDateTime: Time{Time: start}, EndDateTime: Time{Time: start.AddDate(2, 0, i%400)}}},
			RequiredResourceAccess:       []RequiredResourceAccess{},
			AppRoles:                     []AppRole{},
			Owners:                       owners(i%4, i),
			FederatedIdentityCredentials: []FederatedIdentityCredential{},
		}
		if i%3 == 0 {
			a.KeyCredentials = []Credential{{KeyID: guid(idFIC+11, i), Type: "AsymmetricX509Cert", Usage: "Verify",
				StartDateTime: Time{Time: start}, EndDateTime: Time{Time: start.AddDate(1, 0, 0)}, CustomKeyIdentifier: "AB12"}}
		}
		if i%5 == 0 {
			a.Web = &Web{RedirectURIs: []string{fmt.Sprintf("https://app%d.contoso.example/signin", i)}, LogoutURL: "https://contoso.example/logout",
				ImplicitGrantSettings: &ImplicitGrantSettings{EnableIDTokenIssuance: i%10 == 0}}
			a.SPA = &RedirectURIs{RedirectURIs: []string{}}
			a.IdentifierURIs = []string{"api://" + a.AppID}
		}
		if i%10 == 0 {
			a.FederatedIdentityCredentials = []FederatedIdentityCredential{{ID: guid(idFIC, i), Name: "github",
				Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:contoso/app:ref:refs/heads/main", Audiences: []string{"api://AzureADTokenExchange"}}}
		}
		if i%7 == 0 {
			a.RequiredResourceAccess = []RequiredResourceAccess{{ResourceAppID: DefaultSensitiveAPIs()[0],
				ResourceAccess: []ResourceAccess{{ID: "df021288-bdef-4463-88db-98f22de89214", Type: "Role"}}}}
		}
		tn.apps = append(tn.apps, a)
		enabled := i%50 != 0
		tn.sps = append(tn.sps, ServicePrincipal{ID: guid(idSP, i), AppID: a.AppID, DisplayName: a.DisplayName,
			ServicePrincipalType: "Application", AppOwnerOrganizationID: "11111111-1111-1111-1111-111111111111",
			AccountEnabled: &enabled, KeyCredentials: []Credential{}, PasswordCredentials: []Credential{},
			ReplyURLs: []string{}, ServicePrincipalNames: []string{a.AppID}, Owners: owners(i%3, i+7)})
	}
	// Owner lists at and beyond what an expanded list holds.
	tn.apps[0].Owners = owners(expandCap+5, 0)
	tn.apps[1].Owners = owners(expandCap, 1)
	tn.sps[2].Owners = owners(expandCap+1, 2)
	// A tenant API with an app role applications can hold, and one whose
	// only role is for users.
	yes := true
	tn.apps[2].AppRoles = []AppRole{{ID: guid(idRoleDef, 1), Value: "Reports.Read", DisplayName: "Read reports", AllowedMemberTypes: []string{"Application", "User"}, IsEnabled: &yes}}
	tn.apps[3].AppRoles = []AppRole{{ID: guid(idRoleDef, 2), Value: "Viewer", AllowedMemberTypes: []string{"User"}, IsEnabled: &yes}}
	tn.aras[tn.sps[2].ID] = assignments(tn.sps[2], 2, 0)
	tn.aras[tn.sps[3].ID] = assignments(tn.sps[3], 2, 100) // not a resource Collect reads
	for k, appID := range DefaultSensitiveAPIs() {
		sp := ServicePrincipal{ID: guid(idSP, 900000+k), AppID: appID, DisplayName: fmt.Sprintf("API %d", k),
			ServicePrincipalType: "Application", AppOwnerOrganizationID: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
			AccountEnabled: &yes, KeyCredentials: []Credential{}, PasswordCredentials: []Credential{}, ReplyURLs: []string{},
			ServicePrincipalNames: []string{appID}, Owners: []Owner{},
			AppRoles: []AppRole{{ID: guid(idRoleDef, 10+k), Value: "Thing.Read.All", AllowedMemberTypes: []string{"Application"}, IsEnabled: &yes}}}
		tn.sps = append(tn.sps, sp)
		tn.aras[sp.ID] = assignments(sp, 3-k%2, 200+10*k)
	}
	for i := range 1500 {
		g := Grant{ID: fmt.Sprintf("grant-%05d", i), ClientID: guid(idSP, i%max(n, 1)), ConsentType: "AllPrincipals",
			ResourceID: guid(idSP, 900000), Scope: " openid profile User.Read"}
		if i%3 == 0 {
			g.ConsentType, g.PrincipalID = "Principal", guid(idUser, i)
		}
		tn.grants = append(tn.grants, g)
	}
	builtIn := true
	for i := range 8 {
		principal := guid(idSP, i)
		if i >= 5 {
			principal = guid(idUser, i)
		}
		tn.roles = append(tn.roles, RoleAssignment{ID: fmt.Sprintf("role-%d", i), PrincipalID: principal,
			RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/",
			RoleDefinition: &RoleDefinition{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator",
				TemplateID: "62e90394-69f5-4237-9190-012177145e10", IsBuiltIn: &builtIn}})
	}
	tn.domains = []Domain{
		{ID: "contoso.example", IsVerified: true, IsDefault: true, AuthenticationType: "Managed", SupportedServices: []string{"Email"}},
		{ID: "contoso.onmicrosoft.com", IsVerified: true, IsInitial: true, AuthenticationType: "Managed", SupportedServices: []string{"Email", "OfficeCommunicationsOnline"}},
		{ID: "unverified.example", AuthenticationType: "Managed", SupportedServices: []string{}},
	}
	tn.opt = genOptional(tn)
	return tn
}

func owners(k, seed int) []Owner {
	out := make([]Owner, k)
	for j := range out {
		out[j] = Owner{ODataType: "#microsoft.graph.user", ID: guid(idUser, seed*100+j),
			DisplayName: fmt.Sprintf("Owner %d", j), UserPrincipalName: fmt.Sprintf("owner%d.%d@contoso.example", seed, j)}
	}
	return out
}

func assignments(resource ServicePrincipal, k, seed int) []AppRoleAssignment {
	out := make([]AppRoleAssignment, k)
	for j := range out {
		out[j] = AppRoleAssignment{ID: fmt.Sprintf("ara-%06d", seed+j), AppRoleID: guid(idRoleDef, seed),
			CreatedDateTime: Time{Time: time.Date(2025, 9, 11, 14, 25, 30, 75640500, time.UTC)},
			PrincipalID:     guid(idSP, seed+j+1), PrincipalType: "ServicePrincipal", PrincipalDisplayName: fmt.Sprintf("client %d", j),
			ResourceID: resource.ID, ResourceDisplayName: resource.DisplayName}
	}
	return out
}

// expected returns the snapshot Collect should make of the tenant with
// Graph v1.0 only.
func (tn *tenant) expected(metadata string) *Snapshot {
	return tn.expectedWith(metadata, false, false)
}

// expectedWith returns the snapshot Collect should make of the tenant,
// reading Graph beta and Azure Resource Manager or not.
func (tn *tenant) expectedWith(metadata string, beta, arm bool) *Snapshot {
	s := &Snapshot{
		Applications: slices.Clone(tn.apps),
		ServicePrincipals: mapSlice(tn.sps, func(sp ServicePrincipal) ServicePrincipal {
			if !slices.Contains(DefaultSensitiveAPIs(), sp.AppID) {
				sp.AppRoles, sp.OAuth2PermissionScopes = nil, nil
			}
			return sp
		}),
		Grants:  slices.Clone(tn.grants),
		Domains: slices.Clone(tn.domains),
	}
	for _, id := range []string{tn.sps[2].ID, guid(idSP, 900000), guid(idSP, 900001), guid(idSP, 900002), guid(idSP, 900003)} {
		s.AppRoleAssignments = append(s.AppRoleAssignments, tn.aras[id]...)
	}
	s.RoleAssignments = slices.Clone(tn.roles[:5])
	s.Contexts = map[Collection]string{
		Applications:       metadata + "#applications(" + appFields + ",owners(" + ownerFields + "))",
		ServicePrincipals:  metadata + "#servicePrincipals(" + spFields + ",owners(" + ownerFields + "))",
		Grants:             metadata + "#oauth2PermissionGrants",
		AppRoleAssignments: metadata + "#appRoleAssignments",
		RoleAssignments:    metadata + "#roleManagement/directory/roleAssignments(" + roleFields + ",roleDefinition(" + roleDefFields + "))",
		Domains:            metadata + "#domains(" + domainFields + ")",
	}
	tn.expectOptional(s, metadata, beta, arm)
	s.normalize()
	return s
}
