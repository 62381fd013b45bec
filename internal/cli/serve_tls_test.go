package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files
// and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "appwatch test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(parsed)
	return cert, key, pool
}

// TestConsoleOverTLS serves the console over HTTPS with --tls-cert and
// --tls-key, from appwatch serve and from appwatch watch --listen (the
// flags they share), on 0.0.0.0 since HTTPS may be served anywhere:
// the probes answer over HTTPS without sign-in, the sign-in page sends
// HSTS and a Secure cookie, and plain HTTP is refused.
func TestConsoleOverTLS(t *testing.T) {
	cert, key, pool := selfSigned(t)
	logs := writeFiles(t, map[string]string{"signins.json": benignSignIn})
	cl := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tlsFlags := []string{"--listen", "0.0.0.0:0", "--tls-cert", cert, "--tls-key", key, "--init-admin", "alice"}
	for _, tc := range []struct {
		name  string
		args  []string
		addr  *regexp.Regexp
		paths []string
	}{
		{"serve", []string{"serve"}, regexp.MustCompile(`url=https://\S+:(\d+)`), []string{"/signin"}},
		{"watch", []string{"watch", "--source", "dir:" + logs, "--poll", "10ms"}, regexp.MustCompile(`serving /healthz, /readyz and /metrics" addr=\S+:(\d+) console=true`),
			[]string{"/healthz", "/metrics", "/signin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := "sqlite:" + filepath.Join(t.TempDir(), "appwatch.db")
			if tc.name == "serve" { // serve opens a store that exists
				var out lockedBuffer
				if code := Main(t.Context(), Env{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: &out, Stderr: &out},
					[]string{"console", "user", "add", "--store", db, "--role", "viewer", "vic"}); code != exitOK {
					t.Fatalf("console user add: %s", out.String())
				}
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var stderr lockedBuffer
			done := make(chan int, 1)
			args := append(append(append([]string{}, tc.args...), "--store", db), tlsFlags...)
			go func() {
				done <- Main(ctx, Env{Stdin: strings.NewReader("correct horse battery staple\n"), Stdout: io.Discard, Stderr: &stderr}, args)
			}()
			var port string
			waitFor(t, 60*time.Second, func() bool {
				if m := tc.addr.FindStringSubmatch(stderr.String()); m != nil {
					port = m[1]
				}
				return port != ""
			}, stderr.String)
			for _, path := range tc.paths {
				resp, err := cl.Get("https://127.0.0.1:" + port + path)
				if err != nil {
					t.Fatalf("GET %s over HTTPS: %v", path, err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s over HTTPS: %s", path, resp.Status)
				}
				if path != "/signin" {
					continue
				}
				if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
					t.Error("the sign-in page over HTTPS sends no Strict-Transport-Security")
				}
				cookie := strings.Join(resp.Header.Values("Set-Cookie"), "\n")
				if !strings.Contains(cookie, "; Secure") {
					t.Errorf("the sign-in cookie over HTTPS is not Secure: %q", cookie)
				}
			}
			if resp, err := http.Get("http://127.0.0.1:" + port + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("plain HTTP to the HTTPS listener: %s, want 400", resp.Status)
				}
			}
			cancel()
			if code := <-done; code != exitOK {
				t.Fatalf("%s exited %d:\n%s", tc.name, code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "local account alice saved with the role admin") {
				t.Errorf("%s --init-admin did not create the admin:\n%s", tc.name, stderr.String())
			}
		})
	}
}
