package graph

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// writeCertPEM writes a fresh self-signed certificate and its key, as an
// app registration's certificate credential would be, and returns the path.
func writeCertPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "appwatch-test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	data = append(data, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...)
	path := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewCredentialChecksConfig(t *testing.T) {
	pemPath := writeCertPEM(t)
	garbage := filepath.Join(t.TempDir(), "garbage.pfx")
	os.WriteFile(garbage, []byte("not a certificate"), 0o600)
	ids := AuthConfig{TenantID: "contoso.onmicrosoft.com", ClientID: "11111111-2222-3333-4444-555555555555"}
	with := func(f func(*AuthConfig)) AuthConfig { c := ids; f(&c); return c }
	for _, tc := range []struct {
		name    string
		cfg     AuthConfig
		wantErr string
	}{
		{"certificate", with(func(c *AuthConfig) { c.CertificatePath = pemPath }), ""},
		{"certificate chain", with(func(c *AuthConfig) { c.CertificatePath = pemPath; c.SendCertificateChain = true }), ""},
		{"certificate missing file", with(func(c *AuthConfig) { c.CertificatePath = pemPath + ".nope" }), "no such file"},
		{"certificate garbage", with(func(c *AuthConfig) { c.CertificatePath = garbage }), "read " + garbage},
		{"certificate without path", with(func(c *AuthConfig) { c.Method = AuthCertificate }), "no certificate file"},
		{"certificate without ids", AuthConfig{CertificatePath: pemPath}, "tenant id and client id"},
		{"secret", with(func(c *AuthConfig) { c.ClientSecret = "s3cret" }), ""},
		{"secret missing", with(func(c *AuthConfig) { c.Method = AuthSecret }), "no client secret"},
		{"workload identity", with(func(c *AuthConfig) { c.Method = AuthWorkloadIdentity; c.TokenFilePath = pemPath }), ""},
		{"workload identity without token file", with(func(c *AuthConfig) { c.Method = AuthWorkloadIdentity }), "token file"},
		{"managed identity", with(func(c *AuthConfig) { c.Method = AuthManagedIdentity }), ""},
		{"default", ids, ""},
		{"unknown", with(func(c *AuthConfig) { c.Method = "carrier-pigeon" }), "unknown authentication method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Method == AuthWorkloadIdentity {
				t.Setenv("AZURE_FEDERATED_TOKEN_FILE", "")
				os.Unsetenv("AZURE_FEDERATED_TOKEN_FILE")
			}
			cred, err := NewCredential(tc.cfg)
			if tc.wantErr == "" {
				if err != nil || cred == nil {
					t.Fatalf("NewCredential: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
			if cred != nil {
				t.Error("a credential came back with the error")
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Error("the error shows the secret")
			}
		})
	}
}

// fakeAuthority is a TLS server that plays the Entra token endpoint for
// one tenant, and records what each token request carried.
type fakeAuthority struct {
	*httptest.Server
	mu    sync.Mutex
	forms []map[string]string
}

func newFakeAuthority(t *testing.T, tenant string) *fakeAuthority {
	t.Helper()
	fa := &fakeAuthority{}
	fa.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := fa.URL + "/" + tenant
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			json.NewEncoder(w).Encode(map[string]any{
				"token_endpoint":         base + "/oauth2/v2.0/token",
				"authorization_endpoint": base + "/oauth2/v2.0/authorize",
				"issuer":                 base + "/v2.0",
			})
		case r.Method == http.MethodPost && r.URL.Path == "/"+tenant+"/oauth2/v2.0/token":
			r.ParseForm()
			form := map[string]string{}
			for k := range r.PostForm {
				form[k] = r.PostForm.Get(k)
			}
			fa.mu.Lock()
			fa.forms = append(fa.forms, form)
			fa.mu.Unlock()
			json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": testToken})
		default:
			t.Errorf("unexpected authority request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fa.Close)
	return fa
}

// TestCredentialsAgainstAuthorityHost gets real tokens from a fake
// authority host, the way a sovereign cloud or a mirror is configured,
// and uses them against a fake Graph.
func TestCredentialsAgainstAuthorityHost(t *testing.T) {
	const tenant = "00000000-aaaa-bbbb-cccc-000000000001"
	for _, tc := range []struct {
		name  string
		cfg   AuthConfig
		check func(form map[string]string) bool
	}{
		{"secret", AuthConfig{ClientSecret: "s3cret"}, func(f map[string]string) bool { return f["client_secret"] == "s3cret" }},
		{"certificate", AuthConfig{CertificatePath: writeCertPEM(t)}, func(f map[string]string) bool {
			return f["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" && strings.Count(f["client_assertion"], ".") == 2
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fa := newFakeAuthority(t, tenant)
			cfg := tc.cfg
			cfg.TenantID, cfg.ClientID = tenant, "11111111-2222-3333-4444-555555555555"
			cfg.AuthorityHost = fa.URL + "/"
			cfg.DisableInstanceDiscovery = true
			cfg.ClientOptions = azcore.ClientOptions{Transport: fa.Client()}
			cred, err := NewCredential(cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv, _, _ := pagedServer(t, 3) // checks the bearer token on every request
			c := newTestClient(t, srv, Config{Credential: cred})
			n := 0
			for _, err := range c.List(context.Background(), "/things", nil) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 3 {
				t.Errorf("listed %d items, want 3", n)
			}
			fa.mu.Lock()
			defer fa.mu.Unlock()
			if len(fa.forms) != 1 {
				t.Fatalf("%d token requests, want 1 (the token is cached)", len(fa.forms))
			}
			f := fa.forms[0]
			if !slices.Contains(strings.Fields(f["scope"]), srv.URL+"/.default") || f["client_id"] != cfg.ClientID || f["grant_type"] != "client_credentials" || !tc.check(f) {
				t.Errorf("token request form = %v", f)
			}
		})
	}
}

// TestSignInErrorIsOneLine has the token endpoint refuse a secret the way
// Entra ID does, and checks that the error is one line that quotes the
// AADSTS code, not the SDK's dozen lines, and that no Graph request is
// sent.
func TestSignInErrorIsOneLine(t *testing.T) {
	const tenant = "00000000-aaaa-bbbb-cccc-000000000002"
	var tokenRequests int
	authority := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
			base := "https://" + r.Host + "/" + tenant
			json.NewEncoder(w).Encode(map[string]any{"token_endpoint": base + "/oauth2/v2.0/token",
				"authorization_endpoint": base + "/oauth2/v2.0/authorize", "issuer": base + "/v2.0"})
			return
		}
		tokenRequests++
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{
			"error": "invalid_client",
			"error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\n" +
				"Trace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-03-01 12:00:00Z",
			"error_codes": []int{7000215},
		})
	}))
	defer authority.Close()
	cred, err := NewCredential(AuthConfig{TenantID: tenant, ClientID: "11111111-2222-3333-4444-555555555555", ClientSecret: "s3cret",
		AuthorityHost: authority.URL + "/", DisableInstanceDiscovery: true, ClientOptions: azcore.ClientOptions{Transport: authority.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	srv, hits, mu := pagedServer(t, 1)
	c := newTestClient(t, srv, Config{Credential: cred})
	err = c.SignIn(t.Context())
	want := "sign-in failed: the token endpoint answered 401 Unauthorized: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value."
	if !errors.Is(err, ErrSignIn) || err.Error() != want {
		t.Errorf("SignIn:\n%v\nwant:\n%s", err, want)
	}
	var af *azidentity.AuthenticationFailedError
	if !errors.As(err, &af) {
		t.Error("the SDK's error is not kept")
	}
	for _, err = range c.List(t.Context(), "/things", nil) {
	}
	if !errors.Is(err, ErrSignIn) || strings.Contains(err.Error(), "\n") {
		t.Errorf("List: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 0 || tokenRequests == 0 {
		t.Errorf("Graph got %v, the authority %d token requests", hits, tokenRequests)
	}
}

func TestOneLine(t *testing.T) {
	chain := "DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n" +
		"\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\n" +
		"\tManagedIdentityCredential: no response from the IMDS endpoint\n" +
		"\tAzureCLICredential: Azure CLI not found on path\n" +
		"--------------------------------------------------------------------------------\n" +
		"To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#dac\x1b[0m"
	want := "DefaultAzureCredential: failed to acquire a token. Attempted credentials: " +
		"EnvironmentCredential: missing environment variable AZURE_TENANT_ID; " +
		"ManagedIdentityCredential: no response from the IMDS endpoint; AzureCLICredential: Azure CLI not found on path; " +
		"To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#dac [0m"
	if got := oneLine(chain); got != want {
		t.Errorf("oneLine:\n%q\nwant\n%q", got, want)
	}
}
