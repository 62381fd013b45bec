package graph

import (
	"errors"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthMethod names a way to get app-only tokens.
type AuthMethod string

// The supported authentication methods.
const (
	// AuthCertificate signs a client assertion with a certificate's private
	// key, read from a PEM or PKCS#12 (PFX) file. Microsoft recommends
	// certificates over secrets for app-only access.
	AuthCertificate AuthMethod = "certificate"
	// AuthSecret sends a client secret.
	AuthSecret AuthMethod = "secret"
	// AuthWorkloadIdentity exchanges a federated token from a file (for
	// example a Kubernetes service account token) for an Entra token.
	AuthWorkloadIdentity AuthMethod = "workload-identity"
	// AuthManagedIdentity uses the managed identity of the Azure resource
	// the process runs on.
	AuthManagedIdentity AuthMethod = "managed-identity"
	// AuthDefault tries, in order, environment variables, workload
	// identity, managed identity and the developer tools' sign-ins, as
	// azidentity.DefaultAzureCredential does.
	AuthDefault AuthMethod = "default"
)

// AuthConfig says how to get tokens. Which fields apply depends on Method.
type AuthConfig struct {
	// Method is the way to authenticate. When empty it is AuthCertificate
	// if CertificatePath is set, AuthSecret if ClientSecret is set, and
	// AuthDefault otherwise.
	Method AuthMethod
	// TenantID and ClientID identify the tenant and the app registration
	// (or, for a user-assigned managed identity, its client id).
	TenantID string
	ClientID string
	// AuthorityHost is the Entra token endpoint host, for sovereign clouds
	// or tests, for example "https://login.microsoftonline.us/". Default:
	// the global cloud.
	AuthorityHost string
	// CertificatePath is a PEM or PFX file holding the certificate and its
	// private key; CertificatePassword unlocks a protected file.
	CertificatePath     string
	CertificatePassword string
	// SendCertificateChain sends the certificate chain with each token
	// request, which subject name and issuer authentication requires.
	SendCertificateChain bool
	// ClientSecret is the secret for AuthSecret.
	ClientSecret string
	// TokenFilePath is the federated token file for AuthWorkloadIdentity.
	// Default: $AZURE_FEDERATED_TOKEN_FILE.
	TokenFilePath string
	// DisableInstanceDiscovery skips the Entra instance metadata request
	// to login.microsoft.com, for disconnected or private clouds and
	// mirrors whose authority is trusted as configured.
	DisableInstanceDiscovery bool
	// ClientOptions configures the token requests' HTTP pipeline, for
	// example its transport in tests. AuthorityHost, when set, overrides
	// its cloud's authority host.
	ClientOptions azcore.ClientOptions
}

// NewCredential returns a token credential for cfg. It checks and loads
// what it can up front (a certificate file, say) but makes no network
// request.
func NewCredential(cfg AuthConfig) (azcore.TokenCredential, error) {
	opts := cfg.ClientOptions
	if cfg.AuthorityHost != "" {
		opts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: cfg.AuthorityHost, Services: opts.Cloud.Services}
	}
	switch method := cfg.method(); method {
	case AuthCertificate:
		return certificateCredential(cfg, opts)
	case AuthSecret:
		if err := needIDs(cfg, method); err != nil {
			return nil, err
		}
		if cfg.ClientSecret == "" {
			return nil, errors.New("secret authentication: no client secret")
		}
		return wrap(azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: cfg.DisableInstanceDiscovery}))
	case AuthWorkloadIdentity:
		return wrap(azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, TenantID: cfg.TenantID, ClientID: cfg.ClientID, TokenFilePath: cfg.TokenFilePath,
			DisableInstanceDiscovery: cfg.DisableInstanceDiscovery}))
	case AuthManagedIdentity:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if cfg.ClientID != "" {
			o.ID = azidentity.ClientID(cfg.ClientID)
		}
		return wrap(azidentity.NewManagedIdentityCredential(o))
	case AuthDefault:
		return wrap(azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: opts, TenantID: cfg.TenantID, DisableInstanceDiscovery: cfg.DisableInstanceDiscovery}))
	default:
		return nil, fmt.Errorf("unknown authentication method %q", method)
	}
}

func (cfg AuthConfig) method() AuthMethod {
	switch {
	case cfg.Method != "":
		return cfg.Method
	case cfg.CertificatePath != "":
		return AuthCertificate
	case cfg.ClientSecret != "":
		return AuthSecret
	}
	return AuthDefault
}

// certificateCredential loads the certificate file and builds the
// credential.
func certificateCredential(cfg AuthConfig, opts azcore.ClientOptions) (azcore.TokenCredential, error) {
	if err := needIDs(cfg, AuthCertificate); err != nil {
		return nil, err
	}
	if cfg.CertificatePath == "" {
		return nil, errors.New("certificate authentication: no certificate file")
	}
	data, err := os.ReadFile(cfg.CertificatePath)
	if err != nil {
		return nil, fmt.Errorf("certificate authentication: %w", err)
	}
	certs, key, err := azidentity.ParseCertificates(data, []byte(cfg.CertificatePassword))
	if err != nil {
		return nil, fmt.Errorf("certificate authentication: read %s: %w", cfg.CertificatePath, err)
	}
	return wrap(azidentity.NewClientCertificateCredential(cfg.TenantID, cfg.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, SendCertificateChain: cfg.SendCertificateChain,
			DisableInstanceDiscovery: cfg.DisableInstanceDiscovery}))
}

func needIDs(cfg AuthConfig, m AuthMethod) error {
	if cfg.TenantID == "" || cfg.ClientID == "" {
		return fmt.Errorf("%s authentication: tenant id and client id are required", m)
	}
	return nil
}

// wrap converts a concrete credential constructor's result to the
// interface, keeping a nil interface on error.
func wrap[T azcore.TokenCredential](cred T, err error) (azcore.TokenCredential, error) {
	if err != nil {
		return nil, fmt.Errorf("create credential: %w", err)
	}
	return cred, nil
}
