package console

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
)

// Defaults for Options.
const (
	DefaultIdle       = 30 * time.Minute
	DefaultLifetime   = 12 * time.Hour
	DefaultPoll       = 15 * time.Second
	DefaultPageSize   = 50
	defaultSignInRate = 10 // attempts a minute, per address and per account
)

// Options configure a Console. Store is required.
type Options struct {
	Store *store.Store
	// OIDC, when set, signs people in with Microsoft Entra ID.
	OIDC *OIDC
	// Rules title alerts in the viewer's language, as the rules that
	// raised them are titled; alerts of other rules keep their own text.
	Rules []*alert.Rule
	// Insecure drops the Secure attribute and the __Host- prefix from
	// cookies, for a console reached over plain HTTP on a loopback
	// address. Never set it for a console that people reach over a
	// network: sessions would cross it in the clear.
	Insecure bool
	// HSTS sends Strict-Transport-Security, for a console served over
	// TLS by appwatch itself or by a reverse proxy.
	HSTS bool
	// Idle and Lifetime end sessions unused for Idle, and Lifetime after
	// sign-in whatever their use.
	Idle, Lifetime time.Duration
	// SignInRate is how many sign-in attempts a minute are allowed per
	// client address and per account name.
	SignInRate int
	// Poll is how often pages ask whether new alerts arrived.
	Poll time.Duration
	// PageSize is how many alerts a page lists.
	PageSize int
	// Lang is the language of people who have not chosen one and whose
	// browser asks for none appwatch speaks.
	Lang string
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Console is the web console over one store.
type Console struct {
	opts   Options
	store  *store.Store
	log    *slog.Logger
	now    func() time.Time
	pages  *pages
	rules  map[string]*alert.Rule
	limits *limiter
	oidc   *oidcClient
	routes []Route
	mux    *http.ServeMux
}

// Route is one route of the console.
type Route struct {
	Method, Pattern string
	// Role is the least role allowed; "" for routes served to anyone.
	Role    string
	handler http.HandlerFunc
}

// New returns the console over opts.Store.
func New(opts Options) (*Console, error) {
	if opts.Store == nil {
		return nil, errors.New("console: no store")
	}
	opts.Idle = cmp.Or(opts.Idle, DefaultIdle)
	opts.Lifetime = cmp.Or(opts.Lifetime, DefaultLifetime)
	opts.Poll = cmp.Or(opts.Poll, DefaultPoll)
	opts.PageSize = cmp.Or(opts.PageSize, DefaultPageSize)
	opts.SignInRate = cmp.Or(opts.SignInRate, defaultSignInRate)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Lang != "" {
		lang, err := i18n.Parse(opts.Lang)
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		opts.Lang = lang
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{
		opts: opts, store: opts.Store, log: opts.Logger, now: opts.Now, pages: pages,
		rules:  map[string]*alert.Rule{},
		limits: newLimiter(opts.SignInRate, time.Minute, opts.Now),
	}
	for _, r := range opts.Rules {
		c.rules[r.ID] = r
	}
	if opts.OIDC != nil {
		if c.oidc, err = newOIDCClient(*opts.OIDC); err != nil {
			return nil, err
		}
	}
	c.routes = c.table()
	c.mux = http.NewServeMux()
	for _, r := range c.routes {
		c.mux.Handle(r.Method+" "+r.Pattern, c.guard(r))
	}
	c.mux.Handle("/", c.headers(http.HandlerFunc(c.notFound)))
	return c, nil
}

// table lists the console's routes.
func (c *Console) table() []Route {
	return []Route{
		{"GET", "/static/{file}", "", c.static},
		{"GET", "/signin", "", c.signInPage},
		{"POST", "/signin", "", c.signInLocal},
		{"GET", "/signin/entra", "", c.signInEntra},
		{"GET", "/auth/callback", "", c.callback},

		{"GET", "/{$}", RoleViewer, c.home},
		{"GET", "/alerts", RoleViewer, c.alertsPage},
		{"GET", "/alerts/live", RoleViewer, c.alertsLive},
		{"GET", "/alerts/{key}", RoleViewer, c.alertPage},
		{"GET", "/alerts/{key}/record", RoleViewer, c.alertRecord},
		{"GET", "/apps", RoleViewer, c.appsPage},
		{"GET", "/apps/{app}", RoleViewer, c.appPage},
		{"GET", "/coverage", RoleViewer, c.coveragePage},
		{"GET", "/posture", RoleViewer, c.posturePage},
		{"GET", "/silences", RoleViewer, c.silencesPage},
		{"POST", "/signout", RoleViewer, c.signOut},
		{"POST", "/prefs/lang", RoleViewer, c.setLang},

		{"POST", "/alerts/{key}/triage", RoleResponder, c.triage},
		{"GET", "/silences/new", RoleResponder, c.silenceForm},
		{"POST", "/silences", RoleResponder, c.addSilence},
		{"POST", "/silences/{id}/expire", RoleResponder, c.expireSilence},

		{"GET", "/audit", RoleAdmin, c.auditPage},
	}
}

// Routes returns the console's routes, for tests that visit them all.
func (c *Console) Routes() []Route { return c.routes }

// ServeHTTP serves the console.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.mux.ServeHTTP(w, r) }

// guard wraps the handler of a route with the security headers, and for
// routes with a role, the session check, the role check and, for
// changes, the CSRF check.
func (c *Console) guard(rt Route) http.Handler {
	h := rt.handler
	if rt.Role == "" {
		if rt.Method != http.MethodGet {
			return c.headers(c.sameOrigin(h))
		}
		return c.headers(h)
	}
	return c.headers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, ok := c.session(w, r)
		if !ok {
			c.refuse(w, r)
			return
		}
		if !allowed(se.Role, rt.Role) {
			c.fail(w, r, se, http.StatusForbidden, "console.forbidden")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := c.checkCSRF(r, se.CSRF); err != nil {
				c.log.Warn("change refused", "path", r.URL.Path, "user", se.User.ID, "reason", err)
				c.fail(w, r, se, http.StatusForbidden, "console.csrf")
				return
			}
		}
		h(w, r.WithContext(withSession(r.Context(), se)))
	}))
}

// refuse answers a request without a valid session: pages send the
// browser to the sign-in page, anything else gets 401.
func (c *Console) refuse(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", "/signin")
	}
	http.Error(w, "sign in first", http.StatusUnauthorized)
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/alerts", http.StatusSeeOther)
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	se, ok := c.session(w, r)
	if !ok {
		c.refuse(w, r)
		return
	}
	c.fail(w, r, se, http.StatusNotFound, "console.not-found")
}
