package console

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
)

// provider is an OpenID Connect provider speaking the protocol as Entra
// ID does: discovery, a key set, the authorization endpoint (code flow
// with PKCE S256 required) and the token endpoint, which checks the
// client's secret, the redirect URI and the code verifier, and returns
// an RS256-signed ID token.
type provider struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	kid    string
	client string
	secret string
	now    func() time.Time

	mu    sync.Mutex
	codes map[string]grant
	// user is who signs in next; tamper changes the claims of the next
	// ID token.
	user   map[string]any
	tamper func(map[string]any)
	// signWith, when set, signs ID tokens with another key.
	signWith *rsa.PrivateKey
}

// grant is an authorization code handed out, waiting to be redeemed.
type grant struct {
	challenge, redirect, nonce string
}

const (
	testTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testClient   = "0d1c0a2b-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	testSecret   = "client secret of the console"
	redirectURL  = "http://console.test/auth/callback"
	defaultOID   = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
	signedInName = "Dana Ortiz"
)

func newProvider(t *testing.T, now func() time.Time) *provider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{t: t, key: key, kid: "test-key-1", client: testClient, secret: testSecret, now: now, codes: map[string]grant{}}
	p.user = map[string]any{"oid": defaultOID, "tid": testTenant, "name": signedInName,
		"preferred_username": "dana@contoso.com", "roles": []string{"Responder"}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2.0/.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /discovery/v2.0/keys", p.keys)
	mux.HandleFunc("GET /oauth2/v2.0/authorize", p.authorize)
	mux.HandleFunc("POST /oauth2/v2.0/token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) issuer() string { return p.srv.URL + "/v2.0" }

func (p *provider) discovery(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                p.issuer(),
		"authorization_endpoint":                p.srv.URL + "/oauth2/v2.0/authorize",
		"token_endpoint":                        p.srv.URL + "/oauth2/v2.0/token",
		"jwks_uri":                              p.srv.URL + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *provider) keys(w http.ResponseWriter, r *http.Request) {
	pub := p.key.PublicKey
	json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "kid": p.kid, "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// authorize signs the user in at once and sends the browser back with a
// code, as Entra ID does once the user has authenticated.
func (p *provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("client_id") != p.client, q.Get("response_type") != "code", q.Get("redirect_uri") == "",
		q.Get("code_challenge_method") != "S256", len(q.Get("code_challenge")) != 43, q.Get("state") == "", q.Get("nonce") == "",
		!strings.Contains(q.Get("scope"), "openid"):
		http.Error(w, "invalid_request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := token(24)
	p.mu.Lock()
	p.codes[code] = grant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), nonce: q.Get("nonce")}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}, "session_state": {"s1"}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// RFC 6749 section 2.3.1: the credentials in the header are
	// form-encoded first.
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	g, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	user, tamper, signer := p.user, p.tamper, p.signWith
	p.tamper, p.signWith = nil, nil
	p.mu.Unlock()
	verifier := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case id != p.client || secret != p.secret:
		tokenError(w, "invalid_client")
		return
	case !found || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect:
		tokenError(w, "invalid_grant")
		return
	case b64(verifier[:]) != g.challenge:
		tokenError(w, "invalid_grant: code_verifier does not match the code_challenge")
		return
	}
	now := p.now()
	claims := map[string]any{"iss": p.issuer(), "aud": p.client, "sub": "pairwise-" + user["oid"].(string),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "nonce": g.nonce, "ver": "2.0"}
	for k, v := range user {
		claims[k] = v
	}
	if tamper != nil {
		tamper(claims)
	}
	if signer == nil {
		signer = p.key
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "scope": "openid profile email",
		"access_token": "opaque-access-token", "id_token": p.sign(signer, claims)})
}

func tokenError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": strings.Fields(code)[0], "error_description": code})
}

// sign returns the compact JWS of claims, RS256.
func (p *provider) sign(key *rsa.PrivateKey, claims map[string]any) string {
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": p.kid})
	body, _ := json.Marshal(claims)
	input := b64(head) + "." + b64(body)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return input + "." + b64(sig)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// entraEnv is a console that signs people in with the provider.
func entraEnv(t *testing.T) (*env, *provider) {
	var p *provider
	e := newEnv(t, testAlerts(10), func(o *Options) {
		o.Logger = slogT(t)
		p = newProvider(t, o.Now)
		o.OIDC = &OIDC{Issuer: p.issuer(), ClientID: testClient, ClientSecret: testSecret, RedirectURL: redirectURL}
	})
	return e, p
}

// startEntra starts a sign-in with Entra ID in cl and follows it through
// the provider, returning the callback's query the provider sent back.
func (e *env) startEntra(t *testing.T, cl *http.Client, p *provider) url.Values {
	t.Helper()
	resp, body := e.get(cl, "/signin/entra?next=/alerts%3Flevel%3Dhigh")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, p.srv.URL+"/oauth2/v2.0/authorize?") {
		t.Fatalf("sign-in with Entra ID: %s to %q\n%.1000s", resp.Status, loc, body)
	}
	resp, err := cl.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), redirectURL+"?") {
		t.Fatalf("the provider answered %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	return back.Query()
}

// TestEntraSignIn signs in with the provider: the role comes from the
// token's app roles, the user is named by tenant and object id, and the
// browser goes back where it started.
func TestEntraSignIn(t *testing.T) {
	e, p := entraEnv(t)
	cl := e.client()
	_, body := e.get(cl, "/signin")
	if !strings.Contains(body, `href="/signin/entra?next=%2falerts"`) {
		t.Errorf("the sign-in page offers no Entra ID sign-in:\n%.2000s", body)
	}
	back := e.startEntra(t, cl, p)
	resp, body := e.get(cl, "/auth/callback?"+back.Encode())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alerts?level=high" {
		t.Fatalf("callback: %s to %q\n%.2000s", resp.Status, resp.Header.Get("Location"), body)
	}
	resp, body = e.get(cl, "/alerts?level=high")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, signedInName) || !strings.Contains(body, `<span class="role">responder</span>`) {
		t.Fatalf("after sign-in: %s\n%.2000s", resp.Status, body)
	}
	trail, err := e.store.AuditTrail(t.Context(), auditAll)
	if err != nil || len(trail) == 0 || trail[0].By.ID != "entra:"+testTenant+"/"+defaultOID || trail[0].Action != "sign-in" {
		t.Errorf("audit trail %+v, %v; want the sign-in by entra:%s/%s", trail, err, testTenant, defaultOID)
	}
	// The callback is used once: played again, it signs no one in.
	replay := e.client()
	resp, _ = e.get(replay, "/auth/callback?"+back.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the callback played again in another browser: %s, want 400", resp.Status)
	}
}

// TestEntraRefused tries sign-ins that must fail: each leaves the
// browser without a session.
func TestEntraRefused(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		// change acts on the provider before the code is redeemed, or on
		// the callback's query; other replaces the browser at the callback.
		provider func(*provider)
		query    func(url.Values)
		other    bool
		status   int
	}{
		{name: "state of another sign-in", query: func(q url.Values) { q.Set("state", token(32)) }, status: http.StatusBadRequest},
		{name: "another browser", other: true, status: http.StatusBadRequest},
		{name: "code made up", query: func(q url.Values) { q.Set("code", token(24)) }, status: http.StatusUnauthorized},
		{name: "provider error", query: func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") }, status: http.StatusUnauthorized},
		{name: "wrong nonce", provider: func(p *provider) { p.tamper = func(c map[string]any) { c["nonce"] = "not-the-nonce" } }, status: http.StatusUnauthorized},
		{name: "other audience", provider: func(p *provider) { p.tamper = func(c map[string]any) { c["aud"] = "another-app" } }, status: http.StatusUnauthorized},
		{name: "other issuer", provider: func(p *provider) {
			p.tamper = func(c map[string]any) { c["iss"] = "https://login.microsoftonline.com/common/v2.0" }
		}, status: http.StatusUnauthorized},
		{name: "expired", provider: func(p *provider) { p.tamper = func(c map[string]any) { c["exp"] = p.now().Add(-time.Minute).Unix() } }, status: http.StatusUnauthorized},
		{name: "signed with another key", provider: func(p *provider) { p.signWith = other }, status: http.StatusUnauthorized},
		{name: "no console role", provider: func(p *provider) { p.tamper = func(c map[string]any) { c["roles"] = []string{"Reader"} } }, status: http.StatusForbidden},
	}
	e, p := entraEnv(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := e.client()
			back := e.startEntra(t, cl, p)
			if tc.provider != nil {
				p.mu.Lock()
				tc.provider(p)
				p.mu.Unlock()
			}
			if tc.query != nil {
				tc.query(back)
			}
			at := cl
			if tc.other {
				at = e.client()
			}
			resp, body := e.get(at, "/auth/callback?"+back.Encode())
			if resp.StatusCode != tc.status {
				t.Errorf("callback: %s, want %d\n%.1500s", resp.Status, tc.status, body)
			}
			if resp, _ := e.get(at, "/alerts"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("after a refused sign-in /alerts answers %s, want a redirect to sign in", resp.Status)
			}
		})
	}
}

// auditAll reads the whole audit trail, newest first.
var auditAll = store.AuditQuery{Limit: 1000}
