package graph

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// TestVersionSharesLimits reads from v1.0 and beta through two clients
// of one, and expects the beta paths and one pause for both after a 429.
func TestVersionSharesLimits(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		first := len(paths) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{"value":[]}`))
	}))
	defer srv.Close()
	v1 := newTestClient(t, srv, Config{})
	fc := useFakeClock(v1)
	beta := v1.Version("beta")
	if got, want := beta.BaseURL(), srv.URL+"/beta"; got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
	for _, c := range []*Client{beta, v1} {
		for _, err := range c.List(t.Context(), "/auditLogs/signIns", nil) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []string{"/beta/auditLogs/signIns", "/beta/auditLogs/signIns", "/v1.0/auditLogs/signIns"}
	if len(paths) != len(want) {
		t.Fatalf("paths = %q, want %q", paths, want)
	}
	for i := range want {
		if paths[i] != want[i] {
			t.Errorf("request %d: path %q, want %q", i, paths[i], want[i])
		}
	}
	if w := fc.waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Errorf("waits = %v, want one of 7s", w)
	}
}

// tokenCred hands out a fixed token.
type tokenCred string

func (c tokenCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(c), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestTenantID(t *testing.T) {
	jwt := func(payload string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(payload)) + ".sig"
	}
	tests := []struct {
		name, token, want string
	}{
		{"jwt", jwt(`{"tid":"72F988BF-86F1-41AF-91AB-2D7CD011DB47","aud":"https://graph.microsoft.com"}`), "72f988bf-86f1-41af-91ab-2d7cd011db47"},
		{"jwt without tid", jwt(`{"aud":"x"}`), ""},
		{"opaque", "not-a-jwt", ""},
		{"bad payload", "a.%%%.c", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{Credential: tokenCred(tt.token)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.TenantID(t.Context())
			if err != nil || got != tt.want {
				t.Errorf("TenantID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
