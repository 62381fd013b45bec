package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/appwatch/appwatch/internal/store"
)

// OIDC configures sign-in with Microsoft Entra ID, or any OpenID Connect
// provider that puts the console's roles in the ID token's roles claim.
type OIDC struct {
	// Issuer is the provider's issuer URL; for Entra ID,
	// https://login.microsoftonline.com/TENANT-ID/v2.0.
	Issuer string
	// ClientID is the application (client) id of the console's app
	// registration; ClientSecret its secret, empty for a client that
	// proves itself otherwise.
	ClientID, ClientSecret string
	// RedirectURL is the console's callback as the browser reaches it,
	// https://HOST/auth/callback, registered as a Web redirect URI.
	RedirectURL string
	// HTTPClient talks to the provider; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// loginTTL bounds the time from starting a sign-in to its callback.
const loginTTL = 10 * time.Minute

// stateCookie binds a sign-in under way to the browser that started it.
const stateCookie = "appwatch-oidc"

// oidcClient signs people in with an OpenID Connect provider, discovered
// at the first sign-in and again after a failure.
type oidcClient struct {
	cfg OIDC
	mu  sync.Mutex
	p   *oidc.Provider
}

func newOIDCClient(cfg OIDC) (*oidcClient, error) {
	u, err := url.Parse(cfg.RedirectURL)
	switch {
	case cfg.Issuer == "" || cfg.ClientID == "":
		return nil, errors.New("console: sign-in with Entra ID needs an issuer and a client id")
	case err != nil || !u.IsAbs() || u.Path != "/auth/callback":
		return nil, fmt.Errorf("console: redirect URL %q: want https://HOST/auth/callback", cfg.RedirectURL)
	}
	return &oidcClient{cfg: cfg}, nil
}

func (o *oidcClient) context(ctx context.Context) context.Context {
	if o.cfg.HTTPClient != nil {
		return oidc.ClientContext(ctx, o.cfg.HTTPClient)
	}
	return ctx
}

// provider returns the provider, discovering it when not yet known.
func (o *oidcClient) provider(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.p != nil {
		return o.p, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	// The key set lives longer than this request: it is fetched with the
	// client but without the request's deadline.
	p, err := oidc.NewProvider(o.context(context.WithoutCancel(ctx)), o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", o.cfg.Issuer, err)
	}
	o.p = p
	return p, nil
}

func (o *oidcClient) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// signInEntra starts a sign-in: it stores a new state, nonce and PKCE
// verifier, binds the state to the browser with a cookie and sends the
// browser to the provider.
func (c *Console) signInEntra(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.showSignIn(w, r, http.StatusNotFound, "console.signin-no-entra")
		return
	}
	if ok, wait := c.limits.allow("addr:" + clientAddr(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second).Seconds())+1))
		c.showSignIn(w, r, http.StatusTooManyRequests, "console.signin-throttled")
		return
	}
	p, err := c.oidc.provider(r.Context())
	if err != nil {
		c.log.Error("Entra ID sign-in unavailable", "error", err)
		c.showSignIn(w, r, http.StatusBadGateway, "console.signin-entra-down")
		return
	}
	state, nonce, verifier := token(32), token(32), oauth2.GenerateVerifier()
	err = c.store.PutOIDCLogin(r.Context(), store.OIDCLogin{
		StateHash: hashID(state), Nonce: nonce, Verifier: verifier,
		ReturnTo: localPath(r.FormValue("next"), "/alerts"), Expires: c.now().Add(loginTTL),
	})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	ck := c.cookie(stateCookie, state, int(loginTTL.Seconds()))
	ck.Path = "/auth/callback"
	http.SetCookie(w, ck)
	http.Redirect(w, r, c.oidc.oauth2(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
}

// claims are the ID token's claims the console reads. Entra ID puts the
// app roles assigned to the user (directly or through a group) in roles.
type claims struct {
	Name     string   `json:"name"`
	Username string   `json:"preferred_username"`
	Email    string   `json:"email"`
	OID      string   `json:"oid"`
	TID      string   `json:"tid"`
	Roles    []string `json:"roles"`
}

// callback completes a sign-in: the state must be the one this browser
// was given and still be stored (it is used once), the code is exchanged
// with the PKCE verifier, and the ID token must be signed by the
// provider, for this client, unexpired, with the nonce stored.
func (c *Console) callback(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.showSignIn(w, r, http.StatusNotFound, "console.signin-no-entra")
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	ck, err := r.Cookie(stateCookie)
	clear := c.cookie(stateCookie, "", -1)
	clear.Path = "/auth/callback"
	http.SetCookie(w, clear)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		c.log.Warn("Entra ID sign-in refused: state missing or not this browser's", "addr", clientAddr(r))
		c.showSignIn(w, r, http.StatusBadRequest, "console.signin-expired")
		return
	}
	login, err := c.store.TakeOIDCLogin(r.Context(), hashID(state))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.serverError(w, r, err)
			return
		}
		c.showSignIn(w, r, http.StatusBadRequest, "console.signin-expired")
		return
	}
	if e := q.Get("error"); e != "" {
		c.log.Warn("Entra ID refused the sign-in", "error", e, "description", q.Get("error_description"))
		c.showSignIn(w, r, http.StatusUnauthorized, "console.signin-entra-refused")
		return
	}
	user, role, err := c.exchange(r.Context(), q.Get("code"), login)
	if err != nil {
		c.log.Warn("Entra ID sign-in refused", "error", err, "addr", clientAddr(r))
		c.showSignIn(w, r, http.StatusUnauthorized, "console.signin-entra-refused")
		return
	}
	if role == "" {
		c.log.Warn("Entra ID sign-in refused: no appwatch role", "user", user.ID)
		if err := c.store.Audit(r.Context(), user, "sign-in-refused", store.AuditEntry{Reason: "no app role"}); err != nil {
			c.log.Error("audit failed", "error", err)
		}
		c.showSignIn(w, r, http.StatusForbidden, "console.signin-no-role")
		return
	}
	if err := c.startSession(w, r, user, role, browserLang(r, c.opts.Lang)); err != nil {
		c.serverError(w, r, err)
		return
	}
	c.log.Info("signed in with Entra ID", "user", user.ID, "role", role)
	http.Redirect(w, r, localPath(login.ReturnTo, "/alerts"), http.StatusSeeOther)
}

// exchange trades the code for tokens and reads who signed in, with the
// highest of the console's roles the ID token grants ("" for none).
func (c *Console) exchange(ctx context.Context, code string, login store.OIDCLogin) (store.Actor, string, error) {
	if code == "" {
		return store.Actor{}, "", errors.New("no code")
	}
	p, err := c.oidc.provider(ctx)
	if err != nil {
		return store.Actor{}, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tok, err := c.oidc.oauth2(p).Exchange(c.oidc.context(ctx), code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		return store.Actor{}, "", fmt.Errorf("exchange the code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return store.Actor{}, "", errors.New("no ID token in the token response")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.oidc.cfg.ClientID, Now: c.now}).Verify(ctx, raw)
	if err != nil {
		return store.Actor{}, "", fmt.Errorf("ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		return store.Actor{}, "", errors.New("ID token: wrong nonce")
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil {
		return store.Actor{}, "", fmt.Errorf("ID token claims: %w", err)
	}
	id := "entra:" + idt.Subject
	if cl.OID != "" {
		id = "entra:" + cl.TID + "/" + cl.OID
	}
	name := cl.Name
	for _, n := range []string{cl.Username, cl.Email, idt.Subject} {
		if name == "" {
			name = n
		}
	}
	return store.Actor{ID: id, Name: name}, highestRole(cl.Roles), nil
}
