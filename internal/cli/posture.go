package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/termtext"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// secretEnv holds the client secret for --auth secret, so that it never
// appears on a command line.
const secretEnv = "APPWATCH_CLIENT_SECRET"

// graphFlags say how to reach Microsoft Graph.
type graphFlags struct {
	auth, tenant, clientID  string
	certificate, certPass   string
	authorityHost, graphURL string
	tokenFile               string
	rate                    float64
}

func (g *graphFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.auth, "auth", "", "how to sign in: certificate, secret ($"+secretEnv+"), workload-identity, managed-identity or default (default: certificate when --certificate is given)")
	fs.StringVar(&g.tenant, "tenant", "", "directory (tenant) `ID` or domain to sign in to")
	fs.StringVar(&g.clientID, "client-id", "", "application (client) `ID` of appwatch's app registration")
	fs.StringVar(&g.certificate, "certificate", "", "PEM or PFX `FILE` with the app's certificate and private key")
	fs.StringVar(&g.certPass, "certificate-password", "", "`PASSWORD` of a protected PFX file")
	fs.StringVar(&g.authorityHost, "authority-host", "", "sign-in `URL` for a national cloud, such as https://login.microsoftonline.us/")
	fs.StringVar(&g.graphURL, "graph-url", graph.DefaultBaseURL, "Microsoft Graph endpoint `URL` with its version")
	fs.StringVar(&g.tokenFile, "access-token-file", "", "read a Graph access token from `FILE` instead of signing in (re-read for every request)")
	fs.Float64Var(&g.rate, "graph-rate", graph.DefaultRequestsPerSecond, "Graph requests per second; a negative value lifts the limit")
}

// client returns a Graph client for the flags.
func (g *graphFlags) client(logger *slog.Logger) (*graph.Client, error) {
	var cred azcore.TokenCredential
	if g.tokenFile != "" {
		cred = tokenFile(g.tokenFile)
	} else {
		cfg := graph.AuthConfig{
			Method: graph.AuthMethod(g.auth), TenantID: g.tenant, ClientID: g.clientID,
			AuthorityHost: g.authorityHost, CertificatePath: g.certificate, CertificatePassword: g.certPass,
		}
		if cfg.Method == graph.AuthSecret {
			cfg.ClientSecret = os.Getenv(secretEnv)
		}
		var err error
		if cred, err = graph.NewCredential(cfg); err != nil {
			return nil, err
		}
	}
	return graph.New(graph.Config{Credential: cred, BaseURL: g.graphURL, RequestsPerSecond: g.rate, Logger: logger})
}

// tokenFile is a credential that hands out the access token stored in a
// file, such as one from "az account get-access-token".
type tokenFile string

// GetToken reads the token from the file.
func (f tokenFile) GetToken(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	b, err := os.ReadFile(string(f))
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("read access token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return azcore.AccessToken{}, fmt.Errorf("read access token: %s is empty", string(f))
	}
	return azcore.AccessToken{Token: tok, ExpiresOn: time.Now().Add(time.Minute)}, nil
}

// collect reads a snapshot from Graph, printing what it read unless quiet.
func (g *graphFlags) collect(ctx context.Context, env Env, quiet bool) (*snapshot.Snapshot, error) {
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := g.client(logger)
	if err != nil {
		return nil, err
	}
	if !quiet {
		fmt.Fprintf(env.Stderr, "reading the tenant's applications from %s\n", c.BaseURL())
	}
	s, err := snapshot.Collect(ctx, c, snapshot.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	if !quiet {
		fmt.Fprintf(env.Stderr, "read %d applications, %d service principals, %d delegated grants, %d app role assignments, %d role assignments, %d domains\n",
			len(s.Applications), len(s.ServicePrincipals), len(s.Grants), len(s.AppRoleAssignments), len(s.RoleAssignments), len(s.Domains))
	}
	return s, nil
}

// snapshotPaths collects the paths given with repeated --snapshot flags.
type snapshotPaths []string

// String lists the paths.
func (p *snapshotPaths) String() string { return strings.Join(*p, ",") }

// Set adds a path.
func (p *snapshotPaths) Set(path string) error {
	*p = append(*p, path)
	return nil
}

// postureFlags are the flags of "appwatch posture".
type postureFlags struct {
	outputFlags
	snapshots snapshotPaths
	config    string
	quiet     bool
	expiry    int
	noDNS     bool
	dnsServer string
	dnsWait   time.Duration
	dnsMax    int
	graph     graphFlags
}

func (f *postureFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.snapshots, "snapshot", "evaluate the snapshot in `PATH` (a directory or file; repeatable) instead of reading Graph")
	f.outputFlags.register(fs, "a finding")
	fs.StringVar(&f.config, "config", "", "tenant policy `FILE` (credential lifetimes, owned domains, levels, suppressions)")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing on standard error but errors")
	fs.IntVar(&f.expiry, "expiry-warning", 30, "report credentials that expire within `DAYS` (0: only expired ones)")
	fs.BoolVar(&f.noDNS, "no-dns", false, "do not look up host names (offline run): the dangling URI checks are left out")
	fs.StringVar(&f.dnsServer, "dns-server", "", "DNS server `HOST:PORT` to ask (default: the first nameserver in /etc/resolv.conf)")
	fs.DurationVar(&f.dnsWait, "dns-timeout", dnscheck.DefaultTimeout, "time to wait for one DNS answer")
	fs.IntVar(&f.dnsMax, "dns-max-hosts", dnscheck.DefaultMaxNames, "look up at most `N` distinct host names")
	f.graph.register(fs)
}

// check validates the flags, printing what is wrong.
func (f *postureFlags) check(env Env, cmd string) bool {
	if !f.outputFlags.check(env, cmd) {
		return false
	}
	if f.expiry < 0 {
		fmt.Fprintf(env.Stderr, "appwatch %s: --expiry-warning %d: want zero or more days\n", cmd, f.expiry)
		return false
	}
	return true
}

// runPosture runs "appwatch posture" and "appwatch posture collect".
func runPosture(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 && args[0] == "collect" {
		return runPostureCollect(ctx, env, args[1:])
	}
	fs := newFlags(env, "posture", "[--snapshot PATH]", "Checks the tenant's app registrations, service principals, grants, roles and domains against\n"+
		"the guide: credential lifetimes and placement, redirect, identifier and logout URIs (dangling host\n"+
		"names included), privileged grants and roles, and user owners of privileged apps. It reads a snapshot\n"+
		"saved by 'appwatch posture collect' (or by az rest, Graph Explorer, PowerShell) with --snapshot, or\n"+
		"else reads Microsoft Graph directly with the sign-in flags.\n\n"+
		"Run 'appwatch posture collect -h' to save a snapshot.")
	var f postureFlags
	f.register(fs)
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "appwatch posture: unexpected argument %q (give snapshots with --snapshot)\n", fs.Arg(0))
		return exitUsage
	}
	if !f.check(env, "posture") {
		return exitUsage
	}
	pol, ok := loadPolicy(env, f.config)
	if !ok {
		return exitUsage
	}
	s, ok := f.load(ctx, env)
	if !ok {
		return exitUsage
	}
	return f.evaluate(ctx, env, s, pol)
}

// load reads the snapshot from the --snapshot paths, or from Graph.
func (f *postureFlags) load(ctx context.Context, env Env) (*snapshot.Snapshot, bool) {
	if len(f.snapshots) == 0 {
		s, err := f.graph.collect(ctx, env, f.quiet)
		if err != nil {
			fmt.Fprintf(env.Stderr, "appwatch posture: %v\n", err)
			return nil, false
		}
		return s, true
	}
	s, problems, err := snapshot.Read(f.snapshots...)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch posture: %v\n", err)
		return nil, false
	}
	for _, p := range problems {
		fmt.Fprintf(env.Stderr, "appwatch posture: %s\n", p)
	}
	if empty(s) {
		fmt.Fprintf(env.Stderr, "appwatch posture: no application, service principal, grant, role or domain found in %s\n", strings.Join(f.snapshots, ", "))
		return nil, false
	}
	return s, true
}

func empty(s *snapshot.Snapshot) bool {
	return len(s.Applications)+len(s.ServicePrincipals)+len(s.Grants)+len(s.AppRoleAssignments)+len(s.RoleAssignments)+len(s.Domains) == 0
}

// evaluate runs the checks, writes the findings and returns the exit
// status.
func (f *postureFlags) evaluate(ctx context.Context, env Env, s *snapshot.Snapshot, pol *policy.Policy) int {
	ref, err := refdata.Load()
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch: reference data: %v\n", err)
		return exitUsage
	}
	opts := posture.Options{
		Ref: ref, Policy: pol, Lang: f.lang, Source: strings.Join(f.snapshots, ","),
		ExpiryWarning: time.Duration(f.expiry) * 24 * time.Hour,
	}
	if f.expiry == 0 {
		opts.ExpiryWarning = -1 // report what has expired, not what will
	}
	if uricheck.IsGUID(f.graph.tenant) {
		opts.TenantID = f.graph.tenant
	}
	if r := f.resolver(env); r != nil {
		opts.DNS = r
	}
	res, err := posture.Evaluate(ctx, s, opts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch posture: %v\n", err)
		return exitUsage
	}
	worst, err := f.write(env, res.Findings)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch posture: %v\n", err)
		return exitUsage
	}
	if !f.quiet {
		writePostureSummary(env.Stderr, i18n.NewPrinter(f.lang), res)
	}
	return failOnRank(f.failOn, worst)
}

// resolver returns the DNS resolver to use, or nil when DNS is off or no
// server is known, which it says unless quiet.
func (f *postureFlags) resolver(env Env) *dnscheck.Resolver {
	if f.noDNS {
		return nil
	}
	server := f.dnsServer
	if server == "" {
		var err error
		if server, err = dnscheck.SystemServer(); err != nil {
			fmt.Fprintf(env.Stderr, "appwatch posture: dangling URI checks skipped: %v (give --dns-server, or --no-dns)\n", err)
			return nil
		}
	}
	r, err := dnscheck.New(dnscheck.Config{Server: server, Timeout: f.dnsWait, MaxNames: f.dnsMax})
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch posture: dangling URI checks skipped: %v\n", err)
		return nil
	}
	return r
}

// write writes the findings to standard output in the chosen format and
// returns the rank of the most severe; SARIF describes every check as a
// rule.
func (f *postureFlags) write(env Env, findings []alert.Alert) (int, error) {
	w, err := openSink(env, f.format, f.lang, posture.Checks())
	if err != nil {
		return 0, err
	}
	return writeAll(w, findings, "findings")
}

// writePostureSummary prints how many findings each guide row has, what
// DNS said, and the notes of the evaluation.
func writePostureSummary(w io.Writer, p *i18n.Printer, res *posture.Result) {
	fmt.Fprintln(w)
	if len(res.Findings) == 0 {
		fmt.Fprintln(w, p.Sprintf("summary.none"))
	} else {
		fmt.Fprintln(w, p.Count("summary.alerts", len(res.Findings)))
	}
	byRow := map[string]int{}
	for _, a := range res.Findings {
		byRow[a.GuideRow]++
	}
	var rows []string
	for _, r := range posture.Checks() {
		if !slices.Contains(rows, r.GuideRow) {
			rows = append(rows, r.GuideRow)
		}
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %s  %s\n", termtext.Pad(p.Row(row), 44), p.Count("summary.alerts", byRow[row]))
	}
	if n := sumCounts(res.Suppressed); n > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.suppressed", n))
	}
	if d := res.DNS; d.Enabled {
		fmt.Fprintf(w, "DNS: %d host names looked up, %d dangling, %d without an answer\n", d.Hosts, d.Dangling, len(d.Unknown))
		for _, u := range d.Unknown {
			fmt.Fprintf(w, "  %s: %s %s\n", u.Host, u.State, u.Detail)
		}
	} else {
		fmt.Fprintln(w, "DNS: off, dangling URI checks left out")
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

// runPostureCollect runs "appwatch posture collect --out DIR".
func runPostureCollect(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "posture collect", "--out DIR", "Reads the tenant's app registrations, service principals, grants, role assignments and\n"+
		"domains from Microsoft Graph (read-only; see docs/setup-posture.md) and saves them in DIR,\n"+
		"one Graph list response per collection, for 'appwatch posture --snapshot DIR'.")
	var g graphFlags
	g.register(fs)
	out := fs.String("out", "", "`DIR` to write the snapshot to (created if needed)")
	quiet := fs.Bool("quiet", false, "print nothing on standard error but errors")
	if ok, code := parse(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	s, err := g.collect(ctx, env, *quiet)
	if err == nil {
		err = s.Write(*out)
	}
	if err != nil {
		var gerr *graph.Error
		if errors.As(err, &gerr) && gerr.Permission != "" && !*quiet {
			fmt.Fprintln(env.Stderr, "appwatch posture collect: see docs/graph-permissions.md for the permissions to grant")
		}
		fmt.Fprintf(env.Stderr, "appwatch posture collect: %v\n", err)
		return exitUsage
	}
	if !*quiet {
		fmt.Fprintf(env.Stderr, "snapshot written to %s\n", *out)
	}
	return exitOK
}
