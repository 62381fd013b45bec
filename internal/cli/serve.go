package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/console"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/store"
)

// ClientSecretEnv names the environment variable that holds the client
// secret of the console's app registration: a secret on the command line
// would show in the process list.
const ClientSecretEnv = "APPWATCH_ENTRA_CLIENT_SECRET"

// serveFlags are the flags of appwatch serve.
type serveFlags struct {
	store        string
	listen       string
	tlsCert      string
	tlsKey       string
	behindProxy  bool
	publicURL    string
	entraTenant  string
	entraClient  string
	entraIssuer  string
	lang         string
	logFormat    string
	idle         time.Duration
	lifetime     time.Duration
	dirs         ruleDirs
	shutdownWait time.Duration
}

func (f *serveFlags) register(fs *cmdline) {
	fs.StringVar(&f.store, "store", "", "the store appwatch watch writes: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "serve the console on `ADDR` (host:port)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with the certificate chain in `FILE` (PEM)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the private key of --tls-cert, in `FILE` (PEM)")
	fs.BoolVar(&f.behindProxy, "behind-proxy", false, "a reverse proxy in front serves HTTPS to browsers: cookies stay Secure and HSTS is sent")
	fs.StringVar(&f.publicURL, "public-url", "", "the console's address as browsers reach it, `URL` https://HOST[:PORT]; needed for Entra ID sign-in")
	fs.StringVar(&f.entraTenant, "entra-tenant", "", "sign people in with Microsoft Entra ID: the directory (tenant) `ID`")
	fs.StringVar(&f.entraClient, "entra-client-id", "", "the application (client) `ID` of the console's app registration; its secret is read from $"+ClientSecretEnv)
	fs.StringVar(&f.entraIssuer, "entra-issuer", "", "the OpenID Connect issuer `URL`, for a national cloud or another provider (default https://login.microsoftonline.com/TENANT/v2.0)")
	fs.StringVar(&f.lang, "lang", "", "language of people whose browser asks for none appwatch speaks: en, zh-TW, it, ja (default from $LANG)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log lines on standard error as text or json")
	fs.DurationVar(&f.idle, "session-idle", console.DefaultIdle, "end a session unused for this long")
	fs.DurationVar(&f.lifetime, "session-lifetime", console.DefaultLifetime, "end a session this long after sign-in, however used")
	fs.Var(&f.dirs, "rules", "also read the titles and texts of the Sigma rules in `DIR` (repeatable)")
	fs.DurationVar(&f.shutdownWait, "shutdown-wait", 10*time.Second, "on SIGINT or SIGTERM, how long requests under way may take to finish")
}

func serveCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "serve", "", "Serves the web console over a store that appwatch watch writes: alerts with filters and counts,\n"+
		"each alert's evidence, ATT&CK techniques and remediation, triage with an audit trail, and silences.\n"+
		"\n"+
		"People sign in with Microsoft Entra ID (--entra-tenant, --entra-client-id, --public-url; the\n"+
		"app registration's app roles viewer, responder and admin decide what they may do) or with a\n"+
		"local account. Create the first one, an admin, before serving, with\n"+
		"'appwatch console user add --store STORE --role admin NAME'.\n"+
		"\n"+
		"Without --tls-cert or --behind-proxy the console is served over plain HTTP, on a loopback\n"+
		"address only.")
	var f serveFlags
	f.register(c)
	return c, func(ctx context.Context) int {
		if problem := f.check(c); problem != "" {
			return c.usageError("%s", problem)
		}
		log := newLogger(env, f.logFormat)
		st, err := store.Open(ctx, f.store, store.Options{MustExist: true})
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		defer st.Close()
		opts, err := f.options(ctx, env, st, log)
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		con, err := console.New(opts)
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		if !f.hasEntra() {
			if local, err := st.HasLocalUsers(ctx); err == nil && !local {
				c.errorf("no one can sign in: add a local account with appwatch console user add, or give --entra-tenant")
			}
		}
		ln, err := net.Listen("tcp", f.listen)
		if err != nil {
			return c.usageError("%s", "--listen: "+err.Error())
		}
		return f.serve(ctx, c, con, ln, log)
	}
}

// check validates the flags and returns what is wrong.
func (f *serveFlags) check(fs *cmdline) string {
	host, _, err := net.SplitHostPort(f.listen)
	switch {
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case f.store == "":
		return "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)"
	case err != nil:
		return "--listen: " + err.Error()
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return "--tls-cert and --tls-key go together"
	case f.tlsCert != "" && f.behindProxy:
		return "--behind-proxy and --tls-cert exclude each other: the proxy or appwatch serves HTTPS"
	case f.plainHTTP() && !loopback(host):
		return "--listen " + f.listen + ": plain HTTP is served on a loopback address only; give --tls-cert and --tls-key, or --behind-proxy"
	case f.logFormat != "text" && f.logFormat != "json":
		return fmt.Sprintf("--log-format %q: want text or json", f.logFormat)
	case f.idle <= 0 || f.lifetime <= 0 || f.idle > f.lifetime:
		return "--session-idle and --session-lifetime must be positive, the idle time no longer than the lifetime"
	case (f.entraTenant != "" || f.entraIssuer != "") != (f.entraClient != ""):
		return "Entra ID sign-in needs --entra-tenant (or --entra-issuer) and --entra-client-id"
	case f.hasEntra() && f.publicURL == "":
		return "Entra ID sign-in needs --public-url, the address browsers reach the console at"
	}
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || !u.IsAbs() || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Sprintf("--public-url %q: want https://HOST[:PORT]", f.publicURL)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
			return fmt.Sprintf("--public-url %q: want https://HOST[:PORT]", f.publicURL)
		}
	}
	if f.lang != "" {
		l, err := i18n.Parse(f.lang)
		if err != nil {
			return "--lang: " + err.Error()
		}
		f.lang = l
	} else {
		f.lang = i18n.FromEnv(fs.env.lookupEnv)
	}
	return ""
}

func (f *serveFlags) hasEntra() bool { return f.entraClient != "" }

// plainHTTP reports whether browsers reach the console over plain HTTP.
func (f *serveFlags) plainHTTP() bool { return f.tlsCert == "" && !f.behindProxy }

// loopback reports whether host names this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// options returns the console's options.
func (f *serveFlags) options(ctx context.Context, env Env, st *store.Store, log *slog.Logger) (console.Options, error) {
	set, err := ruleset.Load(ctx, ruleset.Options{Dirs: f.dirs})
	if err != nil {
		return console.Options{}, fmt.Errorf("rules: %w", err)
	}
	opts := console.Options{
		Store: st, Rules: append(append([]*alert.Rule{}, set.Meta()...), posture.Checks()...),
		Insecure: f.plainHTTP(), HSTS: !f.plainHTTP(), Idle: f.idle, Lifetime: f.lifetime,
		Lang: f.lang, Logger: log,
	}
	if f.hasEntra() {
		issuer := f.entraIssuer
		if issuer == "" {
			issuer = "https://login.microsoftonline.com/" + url.PathEscape(f.entraTenant) + "/v2.0"
		}
		secret, _ := env.lookupEnv(ClientSecretEnv)
		opts.OIDC = &console.OIDC{
			Issuer: issuer, ClientID: f.entraClient, ClientSecret: secret,
			RedirectURL: strings.TrimSuffix(f.publicURL, "/") + "/auth/callback",
		}
	}
	return opts, nil
}

// serve serves the console on ln until ctx ends or a signal stops it.
func (f *serveFlags) serve(ctx context.Context, c *cmdline, con *console.Console, ln net.Listener, log *slog.Logger) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{
		Handler: con, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "https"
	if f.plainHTTP() {
		scheme = "http"
	}
	log.Info("console serving", "url", scheme+"://"+ln.Addr().String(), "store", f.store, "entra", f.hasEntra())
	done := make(chan error, 1)
	go func() {
		if f.tlsCert != "" {
			done <- srv.ServeTLS(ln, f.tlsCert, f.tlsKey)
			return
		}
		done <- srv.Serve(ln)
	}()
	select {
	case err := <-done:
		c.errorf("%s", err.Error())
		return exitUsage
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.shutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests cut short at shutdown", "error", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		c.errorf("%s", err.Error())
		return exitUsage
	}
	log.Info("console stopped")
	return exitOK
}
