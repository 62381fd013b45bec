package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
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

// consoleFlags are the flags of the web console that appwatch serve and
// appwatch watch --listen share: how browsers reach it, how people sign
// in and how long their sessions last.
type consoleFlags struct {
	tlsCert     string
	tlsKey      string
	behindProxy bool
	publicURL   string
	entraTenant string
	entraClient string
	entraIssuer string
	idle        time.Duration
	lifetime    time.Duration
	initAdmin   string
}

func (f *consoleFlags) register(fs *cmdline) {
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with the certificate chain in `FILE` (PEM)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the private key of --tls-cert, in `FILE` (PEM)")
	fs.BoolVar(&f.behindProxy, "behind-proxy", false, "a reverse proxy in front serves HTTPS to browsers: cookies stay Secure and HSTS is sent")
	fs.StringVar(&f.publicURL, "public-url", "", "the console's address as browsers reach it, `URL` https://HOST[:PORT]; needed for Entra ID sign-in")
	fs.StringVar(&f.entraTenant, "entra-tenant", "", "sign people in with Microsoft Entra ID: the directory (tenant) `ID`")
	fs.StringVar(&f.entraClient, "entra-client-id", "", "the application (client) `ID` of the console's app registration; its secret is read from $"+ClientSecretEnv)
	fs.StringVar(&f.entraIssuer, "entra-issuer", "", "the OpenID Connect issuer `URL`, for a national cloud or another provider (default https://login.microsoftonline.com/TENANT/v2.0)")
	fs.DurationVar(&f.idle, "session-idle", console.DefaultIdle, "end a session unused for this long")
	fs.DurationVar(&f.lifetime, "session-lifetime", console.DefaultLifetime, "end a session this long after sign-in, however used")
	fs.StringVar(&f.initAdmin, "init-admin", "", "before serving, create the console's first local admin `NAME` (password as for 'appwatch console user add'); refused when a local admin exists")
}

// check validates the flags for a console served on listen, and returns
// what is wrong.
func (f *consoleFlags) check(listen string) string {
	_, _, err := net.SplitHostPort(listen)
	switch {
	case err != nil:
		return "--listen: " + err.Error()
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return "--tls-cert and --tls-key go together"
	case f.tlsCert != "" && f.behindProxy:
		return "--behind-proxy and --tls-cert exclude each other: the proxy or appwatch serves HTTPS"
	case f.idle <= 0 || f.lifetime <= 0 || f.idle > f.lifetime:
		return "--session-idle and --session-lifetime must be positive, the idle time no longer than the lifetime"
	case (f.entraTenant != "" || f.entraIssuer != "") != (f.entraClient != ""):
		return "Entra ID sign-in needs --entra-tenant (or --entra-issuer) and --entra-client-id"
	case f.hasEntra() && f.publicURL == "":
		return "Entra ID sign-in needs --public-url, the address browsers reach the console at"
	case f.initAdmin != "" && checkAccountName(f.initAdmin) != nil:
		return checkAccountName(f.initAdmin).Error()
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
	return ""
}

// reachable reports whether the console may be served on listen: over
// HTTPS, behind a proxy that serves HTTPS, or on a loopback address.
func (f *consoleFlags) reachable(listen string) bool {
	host, _, _ := net.SplitHostPort(listen)
	return !f.plainHTTP() || loopback(host)
}

func (f *consoleFlags) hasEntra() bool { return f.entraClient != "" }

// plainHTTP reports whether browsers reach the console over plain HTTP.
func (f *consoleFlags) plainHTTP() bool { return f.tlsCert == "" && !f.behindProxy }

// listen listens on addr, over TLS with --tls-cert and --tls-key when
// given.
func (f *consoleFlags) listen(addr string) (net.Listener, error) {
	var cfg *tls.Config
	if f.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert, --tls-key: %w", err)
		}
		cfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	return ln, nil
}

// scheme is how browsers reach the listener: http or https.
func (f *consoleFlags) scheme() string {
	if f.tlsCert == "" {
		return "http"
	}
	return "https"
}

// prepare creates the first admin with --init-admin, and warns when no
// one can sign in. It returns the exit status of a failure it reported,
// or exitOK.
func (f *consoleFlags) prepare(ctx context.Context, env Env, c *cmdline, st *store.Store) int {
	if f.initAdmin != "" {
		if code := initAdmin(ctx, env, c, st, f.initAdmin); code != exitOK {
			return code
		}
	}
	if !f.hasEntra() {
		if local, err := st.HasLocalUsers(ctx); err == nil && !local {
			c.errorf("no one can sign in: add a local account with appwatch console user add, or give --entra-tenant")
		}
	}
	return exitOK
}

// options returns the console's options over st, titling alerts with
// rules.
func (f *consoleFlags) options(env Env, st *store.Store, rules []*alert.Rule, lang string, log *slog.Logger) console.Options {
	opts := console.Options{
		Store: st, Rules: append(slices.Clip(rules), posture.Checks()...),
		Insecure: f.plainHTTP(), HSTS: !f.plainHTTP(), Idle: f.idle, Lifetime: f.lifetime,
		Lang: lang, Logger: log,
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
	return opts
}

// serveFlags are the flags of appwatch serve.
type serveFlags struct {
	consoleFlags
	store        string
	listen       string
	lang         string
	logFormat    string
	dirs         ruleDirs
	shutdownWait time.Duration
}

func (f *serveFlags) register(fs *cmdline) {
	fs.StringVar(&f.store, "store", "", "the store appwatch watch writes: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "serve the console on `ADDR` (host:port)")
	f.consoleFlags.register(fs)
	fs.StringVar(&f.lang, "lang", "", "language of people whose browser asks for none appwatch speaks: en, zh-TW, it, ja (default from $LANG)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log lines on standard error as text or json")
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
		"Or let serve create it: with --init-admin NAME, serve asks for the password as 'appwatch console\n"+
		"user add' does and creates that admin, when the store has no local admin yet.\n"+
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
		set, err := ruleset.Load(ctx, ruleset.Options{Dirs: f.dirs})
		if err != nil {
			c.errorf("%s", "rules: "+err.Error())
			return exitUsage
		}
		con, err := console.New(f.options(env, st, set.Meta(), f.lang, log))
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		if code := f.prepare(ctx, env, c, st); code != exitOK {
			return code
		}
		ln, err := f.consoleFlags.listen(f.listen)
		if err != nil {
			return c.usageError("%s", err.Error())
		}
		return f.serve(ctx, c, con, ln, log)
	}
}

// check validates the flags and returns what is wrong.
func (f *serveFlags) check(fs *cmdline) string {
	switch {
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case f.store == "":
		return "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)"
	case f.logFormat != "text" && f.logFormat != "json":
		return fmt.Sprintf("--log-format %q: want text or json", f.logFormat)
	}
	if problem := f.consoleFlags.check(f.listen); problem != "" {
		return problem
	}
	if !f.reachable(f.listen) {
		return "--listen " + f.listen + ": plain HTTP is served on a loopback address only; give --tls-cert and --tls-key, or --behind-proxy"
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

// loopback reports whether host names this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
	log.Info("console serving", "url", f.scheme()+"://"+ln.Addr().String(), "store", f.store, "entra", f.hasEntra())
	done := make(chan error, 1)
	go func() {
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
