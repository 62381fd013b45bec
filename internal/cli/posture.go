package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/progress"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/termtext"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// secretEnv holds the client secret for --auth secret, so that it never
// appears on a command line.
const secretEnv = "APPWATCH_CLIENT_SECRET"

// Defaults of the posture flags that bound waiting.
const (
	// defaultGraphTimeout bounds reading a tenant from Graph. A tenant of
	// 10,000 apps takes about three minutes at the default rate.
	defaultGraphTimeout = time.Hour
	// longWait is the pause between two attempts at a Graph request that
	// is worth a line on standard error even when it is not a terminal.
	longWait = 5 * time.Second
	// maxUnknownListed bounds the host names without a DNS answer that the
	// summary lists one by one.
	maxUnknownListed = 20
)

// errNoSignIn says that no way to sign in was given.
var errNoSignIn = msg("no way to sign in to Microsoft Graph given: use --tenant, --client-id and --certificate FILE, " +
	"or --auth secret|workload-identity|managed-identity|default, or --access-token-file FILE (see docs/setup-posture.md)")

// graphFlags say how to reach Microsoft Graph, and Azure Resource
// Manager for Azure role assignments.
type graphFlags struct {
	auth, tenant, clientID  string
	certificate, certPass   string
	authorityHost, graphURL string
	tokenFile               string
	rate                    float64
	timeout                 time.Duration
	noBeta, noARM           bool
	armURL, armTokenFile    string
}

// defaultARMURL is Azure Resource Manager in the global cloud.
const defaultARMURL = "https://management.azure.com"

func (g *graphFlags) register(fs *cmdline) {
	fs.StringVar(&g.auth, "auth", "", "how to sign in: certificate, secret ($"+secretEnv+"), workload-identity, managed-identity or default (default: certificate when --certificate is given)")
	fs.StringVar(&g.tenant, "tenant", "", "directory (tenant) `ID` or domain to sign in to")
	fs.StringVar(&g.clientID, "client-id", "", "application (client) `ID` of appwatch's app registration")
	fs.StringVar(&g.certificate, "certificate", "", "PEM or PFX `FILE` with the app's certificate and private key")
	fs.StringVar(&g.certPass, "certificate-password", "", "`PASSWORD` of a protected PFX file")
	fs.StringVar(&g.authorityHost, "authority-host", "", "sign-in `URL` for a national cloud, such as https://login.microsoftonline.us/")
	fs.StringVar(&g.graphURL, "graph-url", graph.DefaultBaseURL, "Microsoft Graph endpoint `URL` with its version")
	fs.StringVar(&g.tokenFile, "access-token-file", "", "read a Graph access token from `FILE` instead of signing in (re-read for every request)")
	fs.Float64Var(&g.rate, "graph-rate", graph.DefaultRequestsPerSecond, "Graph requests per second; a negative value lifts the limit")
	fs.DurationVar(&g.timeout, "graph-timeout", defaultGraphTimeout, "stop reading Graph after this long (0: no limit)")
	fs.BoolVar(&g.noBeta, "no-beta", false, "do not read Graph beta (sign-in activity reports, recommendations, agent conditions of Conditional Access)")
	fs.BoolVar(&g.noARM, "no-arm", false, "do not read Azure role assignments from Azure Resource Manager")
	fs.StringVar(&g.armURL, "arm-url", defaultARMURL, "Azure Resource Manager `URL`, for Azure role assignments")
	fs.StringVar(&g.armTokenFile, "arm-access-token-file", "", "with --access-token-file: an Azure Resource Manager access token in `FILE` (az account get-access-token --query accessToken -o tsv)")
}

// betaURL returns the Graph beta endpoint beside a v1.0 one, or "" when
// the Graph URL names no v1.0.
func betaURL(graphURL string) string {
	if base, ok := strings.CutSuffix(strings.TrimSuffix(graphURL, "/"), "/v1.0"); ok {
		return base + "/beta"
	}
	return ""
}

// extraClients returns the clients for Graph beta and Azure Resource
// Manager, each nil when it is not to be read: turned off, no beta
// endpoint beside --graph-url, or a token file for Graph without one for
// Azure Resource Manager.
func (g *graphFlags) extraClients(cred azcore.TokenCredential, cfg graph.Config) (beta, arm *graph.Client, err error) {
	if u := betaURL(g.graphURL); !g.noBeta && u != "" {
		cfg.Credential, cfg.BaseURL = cred, u
		if beta, err = graph.New(cfg); err != nil {
			return nil, nil, err
		}
	}
	if g.noARM || g.armURL == "" || g.tokenFile != "" && g.armTokenFile == "" {
		return beta, nil, nil
	}
	cfg.Credential, cfg.BaseURL, cfg.Scopes = cred, g.armURL, nil
	if g.armTokenFile != "" {
		if _, err := readToken(g.armTokenFile, time.Now()); err != nil {
			return nil, nil, fmt.Errorf("--arm-access-token-file: %w", err)
		}
		cfg.Credential = tokenFile(g.armTokenFile)
	}
	arm, err = graph.New(cfg)
	return beta, arm, err
}

// method returns the way to sign in the flags choose, "" for an access
// token file.
func (g *graphFlags) method() graph.AuthMethod {
	switch {
	case g.tokenFile != "":
		return ""
	case g.auth != "":
		return graph.AuthMethod(g.auth)
	case g.certificate != "":
		return graph.AuthCertificate
	}
	return graph.AuthDefault
}

// credential checks the sign-in flags and returns the credential they
// describe. It reads what it can up front (the token file, the
// certificate, the secret's variable) but makes no network request.
func (g *graphFlags) credential(env Env) (azcore.TokenCredential, error) {
	switch {
	case g.tokenFile != "" && (g.auth != "" || g.certificate != ""):
		return nil, msg("give either --access-token-file or --auth/--certificate, not both")
	case g.tokenFile != "":
		if _, err := readToken(g.tokenFile, time.Now()); err != nil {
			return nil, err
		}
		return tokenFile(g.tokenFile), nil
	case g.auth == "" && g.certificate == "":
		return nil, errNoSignIn
	}
	cfg := graph.AuthConfig{
		Method: g.method(), TenantID: g.tenant, ClientID: g.clientID,
		AuthorityHost: g.authorityHost, CertificatePath: g.certificate, CertificatePassword: g.certPass,
	}
	if cfg.Method == graph.AuthSecret {
		if cfg.ClientSecret = env.getenv(secretEnv); cfg.ClientSecret == "" {
			return nil, msg("--auth secret: the environment variable %s is empty or not set; set it to the value of one of the app registration's client secrets", secretEnv)
		}
	}
	cred, err := graph.NewCredential(cfg)
	if err != nil {
		return nil, fmt.Errorf("sign-in: %w", err)
	}
	return cred, nil
}

// explain adds what to do, in p's language, to an error that sign-in or
// Graph's refusal of the token caused.
func (g *graphFlags) explain(p *i18n.Printer, err error) error {
	var hint string
	switch {
	case g.tokenFile != "" && (errors.Is(err, graph.ErrSignIn) || errors.Is(err, graph.ErrUnauthorized)):
		hint = p.Sprintf("get a new token for Microsoft Graph: az account get-access-token --resource-type ms-graph --query accessToken -o tsv > %s", g.tokenFile)
	case !errors.Is(err, graph.ErrSignIn):
		return err
	case g.method() == graph.AuthCertificate:
		hint = p.Sprintf("check --tenant and --client-id, and that the app registration has this certificate (docs/setup-posture.md)")
	case g.method() == graph.AuthSecret:
		hint = p.Sprintf("check --tenant and --client-id, and that $%s holds the value (not the id) of one of the app registration's secrets, unexpired", secretEnv)
	case g.method() == graph.AuthWorkloadIdentity:
		hint = p.Sprintf("check --tenant, --client-id, the federated token file ($AZURE_FEDERATED_TOKEN_FILE) and the app registration's federated credential")
	case g.method() == graph.AuthManagedIdentity:
		hint = p.Sprintf("run on an Azure resource that has a managed identity, and give --client-id for a user-assigned one")
	default:
		hint = p.Sprintf("sign in with 'az login', or give --tenant, --client-id and --certificate (docs/setup-posture.md)")
	}
	return fmt.Errorf("%w\n  %s", err, hint)
}

// tokenFile is a credential that hands out the access token stored in a
// file, such as one from "az account get-access-token".
type tokenFile string

// GetToken reads the token from the file.
func (f tokenFile) GetToken(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	return readToken(string(f), time.Now())
}

// readToken reads the access token saved in path. It refuses an empty
// file, a file that holds more than a token (the JSON that az prints
// without --query), and a JSON Web Token that expired before now.
func readToken(path string, now time.Time) (azcore.AccessToken, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("--access-token-file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	switch {
	case tok == "":
		return azcore.AccessToken{}, msg("--access-token-file: %s is empty", path)
	case strings.ContainsAny(tok, " \t\r\n{\""):
		return azcore.AccessToken{}, msg("--access-token-file: %s holds more than a token; save the token alone, as az account get-access-token --query accessToken -o tsv does", path)
	}
	exp, ok := tokenExpiry(tok)
	switch {
	case !ok:
		exp = now.Add(time.Minute)
	case !exp.After(now):
		return azcore.AccessToken{}, msg("--access-token-file: the token in %s expired at %s", path, exp.UTC().Format(time.RFC3339))
	}
	return azcore.AccessToken{Token: tok, ExpiresOn: exp}, nil
}

// tokenExpiry reads the exp claim of a JSON Web Token without checking
// its signature, which only Graph can do. It reports false for a token
// that is not a JWT or has no exp.
func tokenExpiry(tok string) (time.Time, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	secs, err := claims.Exp.Int64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// collect reads a snapshot from Graph. Unless quiet, it says where it
// reads, shows progress on a terminal, prints long waits and network
// trouble as they happen, and sums up what it read.
func (g *graphFlags) collect(ctx context.Context, env Env, quiet bool) (*snapshot.Snapshot, error) {
	if g.timeout < 0 {
		return nil, msg("--graph-timeout %s: want zero (no limit) or more", g.timeout)
	}
	p := env.printer()
	cred, err := g.credential(env)
	if err != nil {
		return nil, err
	}
	var pages, items atomic.Int64
	start := time.Now()
	bar := progress.StartText(env.Stderr, env.StderrTTY && !quiet, env.Width, func() string {
		return p.Sprintf("reading Graph: %d objects in %d pages, %s", items.Load(), pages.Load(), time.Since(start).Round(time.Second))
	})
	defer bar.Finish()
	say := func(line string) {
		if bar != nil {
			bar.Println(line)
		} else {
			fmt.Fprintln(env.Stderr, line)
		}
	}
	onWait := func(w graph.Wait) {
		if !quiet && (w.Duration >= longWait || w.Err != nil) {
			say(w.String())
		}
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := graph.Config{Credential: cred, BaseURL: g.graphURL, RequestsPerSecond: g.rate, Logger: logger, OnWait: onWait}
	c, err := graph.New(cfg)
	if err != nil {
		return nil, err
	}
	beta, arm, err := g.extraClients(cred, cfg)
	if err != nil {
		return nil, err
	}
	if g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, g.timeout, fmt.Errorf("reading Graph took longer than --graph-timeout %s", g.timeout))
		defer cancel()
	}
	if !quiet {
		say(p.Sprintf("reading the tenant's applications from %s", c.BaseURL()))
	}
	if err := c.SignIn(ctx); err != nil {
		return nil, g.explain(p, err)
	}
	opts := snapshot.Options{Logger: logger, Progress: func(_ snapshot.Collection, n int) {
		pages.Add(1)
		items.Add(int64(n))
	}}
	if beta != nil {
		opts.Beta = beta
	}
	if arm != nil {
		opts.ARM = arm
	}
	s, err := snapshot.Collect(ctx, c, opts)
	if err != nil {
		return nil, g.explain(p, err)
	}
	if !quiet {
		say(p.Sprintf("read %d applications, %d service principals, %d delegated grants, %d app role assignments, %d role assignments, %d domains",
			len(s.Applications), len(s.ServicePrincipals), len(s.Grants), len(s.AppRoleAssignments), len(s.RoleAssignments), len(s.Domains)))
		for _, gap := range s.Gaps {
			say(p.Sprintf("not read: %s", termtext.Clean(gap.Reason())))
		}
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
	dnsLimit  time.Duration
	dnsMax    int
	graph     graphFlags
	dormant   int
	issuers   snapshotPaths
	results   string

	listChecks         bool
	checks, skipChecks checkList
}

func (f *postureFlags) register(fs *cmdline) {
	fs.Var(&f.snapshots, "snapshot", "evaluate the snapshot in `PATH` (a directory or file; repeatable) instead of reading Graph")
	f.outputFlags.register(fs, "a finding", "findings")
	fs.StringVar(&f.config, "config", "", "tenant policy `FILE` (credential lifetimes, owned domains, levels, suppressions)")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing on standard error but errors")
	fs.IntVar(&f.expiry, "expiry-warning", 30, "report credentials that expire within `DAYS` (0: only expired ones)")
	fs.BoolVar(&f.noDNS, "no-dns", false, "do not look up host names (offline run): the dangling URI checks are left out")
	fs.StringVar(&f.dnsServer, "dns-server", "", "DNS server `HOST:PORT` to ask (default: the first nameserver in /etc/resolv.conf)")
	fs.DurationVar(&f.dnsWait, "dns-timeout", dnscheck.DefaultTimeout, "time to wait for one DNS answer")
	fs.DurationVar(&f.dnsLimit, "dns-time-limit", dnscheck.DefaultTimeLimit, "stop looking up host names after this long; names left are not judged")
	fs.IntVar(&f.dnsMax, "dns-max-hosts", dnscheck.DefaultMaxNames, "look up at most `N` distinct host names")
	fs.BoolVar(&f.listChecks, "list-checks", false, "list the checks with their guide rows and levels, and exit")
	fs.Var(&f.checks, "checks", "run only these `CHECKS`: check ids or guide rows, comma-separated (see --list-checks)")
	fs.Var(&f.skipChecks, "skip-checks", "leave out these `CHECKS`: check ids or guide rows, comma-separated")
	fs.IntVar(&f.dormant, "dormant-days", int(posture.DefaultDormantAfter/(24*time.Hour)), "report apps, credentials and permissions unused for `DAYS`")
	fs.Var(&f.issuers, "trusted-issuer", "trust federated credentials from this issuer `URL` or host (repeatable; see docs/posture.md for the built-in ones)")
	fs.StringVar(&f.results, "results", "", "write how each check ended (pass, fail, not evaluated, objects evaluated) as JSON to `FILE`")
	f.graph.register(fs)
}

// check validates the flags, printing what is wrong.
func (f *postureFlags) check(c *cmdline) bool {
	if !f.outputFlags.check(c) {
		return false
	}
	if f.expiry < 0 {
		c.usageError("--expiry-warning %d: want zero or more days", f.expiry)
		return false
	}
	if f.dormant < 1 {
		c.usageError("--dormant-days %d: want one or more days", f.dormant)
		return false
	}
	return true
}

// postureCommand is "appwatch posture".
func postureCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "posture", "[--snapshot PATH]", "Checks the tenant's app registrations, service principals, grants, roles and domains against\n"+
		"the guide: credential lifetimes and placement, redirect, identifier and logout URIs (dangling host\n"+
		"names included), privileged grants and roles, and user owners of privileged apps. It reads a snapshot\n"+
		"saved by 'appwatch posture collect' (or by az rest, Graph Explorer, PowerShell) with --snapshot, or\n"+
		"else reads Microsoft Graph directly with the sign-in flags.\n\n"+
		"Run 'appwatch posture collect -h' to save a snapshot, 'appwatch posture diff -h' to compare two.")
	var f postureFlags
	f.register(c)
	return c, func(ctx context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q (give snapshots with --snapshot)", c.Arg(0))
		}
		if !f.check(c) {
			return exitUsage
		}
		if f.listChecks {
			return listChecks(c, f.lang)
		}
		pol, ok := loadPolicy(c, f.config)
		if !ok {
			return exitUsage
		}
		s, unread, ok := f.load(ctx, c)
		if !ok {
			return exitUsage
		}
		findings := f.evaluate(ctx, c, s, pol)
		if findings == exitUsage {
			return exitUsage
		}
		return exitStatus(snapshotStatus(c, unread), findings)
	}
}

// load reads the snapshot from the --snapshot paths, or from Graph, and
// says how many of the snapshot's problems lost data.
func (f *postureFlags) load(ctx context.Context, c *cmdline) (*snapshot.Snapshot, int, bool) {
	env := c.env
	if len(f.snapshots) == 0 {
		s, err := f.graph.collect(ctx, env, f.quiet)
		if err != nil {
			c.report(err)
			if errors.Is(err, errNoSignIn) {
				fmt.Fprintln(env.Stderr, "  "+c.text("or evaluate a saved snapshot with --snapshot PATH"))
			}
			return nil, 0, false
		}
		return s, 0, true
	}
	s, problems, err := snapshot.Read(f.snapshots...)
	if err != nil {
		c.errorf("%s", termtext.Clean(c.p.Error(err)))
		return nil, 0, false
	}
	for _, p := range problems {
		c.errorf("%s", termtext.Clean(p.String()))
	}
	if s.Empty() {
		c.errorf("no application, service principal, grant, role, domain or policy found in %s", strings.Join(f.snapshots, ", "))
		return nil, 0, false
	}
	return s, snapshot.Unread(problems), true
}

// snapshotStatus returns the exit status unread problems in a snapshot
// call for, saying on standard error that the results are incomplete:
// exitIncomplete when there are any, exitOK otherwise.
func snapshotStatus(c *cmdline, unread int) int {
	if unread == 0 {
		return exitOK
	}
	c.errorf("incomplete: %s (listed above); the results cover only what could be read (exit status %d)",
		c.text("%d problems in the snapshot", unread), exitIncomplete)
	return exitIncomplete
}

// evaluate runs the checks, writes the findings and returns the exit
// status.
func (f *postureFlags) evaluate(ctx context.Context, c *cmdline, s *snapshot.Snapshot, pol *policy.Policy) int {
	env := c.env
	ref, err := refdata.Load()
	if err != nil {
		c.errorf("reference data: %v", err)
		return exitUsage
	}
	opts := posture.Options{
		Ref: ref, Policy: pol, Lang: f.lang, Source: strings.Join(f.snapshots, ","),
		ExpiryWarning: time.Duration(f.expiry) * 24 * time.Hour,
		DormantAfter:  time.Duration(f.dormant) * 24 * time.Hour, TrustedIssuers: f.issuers,
	}
	if f.expiry == 0 {
		opts.ExpiryWarning = -1 // report what has expired, not what will
	}
	if opts.Checks, err = selectChecks(f.checks, f.skipChecks); err != nil {
		return c.fail(err)
	}
	if uricheck.IsGUID(f.graph.tenant) {
		opts.TenantID = f.graph.tenant
	}
	var looked, hosts atomic.Int64
	if checksLookUp(opts.Checks) {
		// A nil *dnscheck.Resolver in the interface would not be a nil DNS.
		if r := f.resolver(c, func(done, total int) { looked.Store(int64(done)); hosts.Store(int64(total)) }); r != nil {
			opts.DNS = r
		}
	}
	bar := progress.StartText(env.Stderr, env.StderrTTY && !f.quiet && opts.DNS != nil, env.Width, func() string {
		return fmt.Sprintf("DNS: %d of %d host names looked up", looked.Load(), hosts.Load())
	})
	res, err := posture.Evaluate(ctx, s, opts)
	bar.Finish()
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	shown := newTally(f.minLevel.value, nil)
	run := report.Run{Command: report.CommandPosture, Time: time.Now(), Suppressed: res.Suppressed, Posture: res, Sources: f.snapshots}
	err = f.write(env, shown, res.Findings, run)
	if err == nil && f.results != "" {
		err = writeResults(f.results, res.Checks)
	}
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	if !f.quiet {
		p := i18n.NewPrinter(f.lang)
		parts := summaryParts{totals: !f.tableOnTerminal(env), minLevel: f.minLevel.value}
		writePostureSummary(env.Stderr, p, res, shown, parts, opts.Checks)
		writeCheckResults(env.Stderr, p, res.Checks)
	}
	return shown.failOn(f.failOn.value)
}

// resolver returns the DNS resolver to use, which calls onName as it
// goes, or nil when DNS is off or no server is known, which it says.
func (f *postureFlags) resolver(c *cmdline, onName func(done, total int)) *dnscheck.Resolver {
	if f.noDNS {
		return nil
	}
	server := f.dnsServer
	if server == "" {
		var err error
		if server, err = dnscheck.SystemServer(); err != nil {
			c.errorf("dangling URI checks skipped: %v (give --dns-server, or --no-dns)", err)
			return nil
		}
	}
	r, err := dnscheck.New(dnscheck.Config{Server: server, Timeout: f.dnsWait, MaxNames: f.dnsMax, TimeLimit: f.dnsLimit, Progress: onName})
	if err != nil {
		c.errorf("dangling URI checks skipped: %v", err)
		return nil
	}
	return r
}

// write writes the findings shown to the outputs, and describes the run
// to the formats that show it; SARIF describes every check as a rule.
func (f *postureFlags) write(env Env, shown *tally, findings []alert.Alert, run report.Run) error {
	w, err := openOutputs(env, f.outputs, f.lang, posture.Checks(), false)
	if err != nil {
		return err
	}
	return writeAll(shown.writer(w), findings, "findings", run)
}

// writePostureSummary prints how many findings each guide row of the
// checks run has, what DNS said, and the notes of the evaluation. ran
// lists the checks run, nil for all.
func writePostureSummary(w io.Writer, p *i18n.Printer, res *posture.Result, shown *tally, parts summaryParts, ran []string) {
	fmt.Fprintln(w)
	writeTotals(w, p, shown, parts)
	var rows []string
	for _, r := range posture.Checks() {
		if (ran == nil || slices.Contains(ran, r.ID)) && !slices.Contains(rows, r.GuideRow) {
			rows = append(rows, r.GuideRow)
		}
	}
	width := nameWidth(p, rows)
	for _, row := range rows {
		fmt.Fprintf(w, "  %s  %s\n", termtext.Pad(p.Row(row), width), p.Count("summary.alerts", shown.byRow[row]))
	}
	if n := sumCounts(res.Suppressed); n > 0 {
		fmt.Fprintln(w, p.Sprintf("summary.suppressed", n))
	}
	switch d := res.DNS; {
	case d.Enabled:
		fmt.Fprintln(w, p.Sprintf("DNS: %d host names looked up, %d dangling, %d without an answer", d.Hosts-len(d.Skipped), d.Dangling, len(d.Unknown)))
		for _, u := range d.Unknown[:min(len(d.Unknown), maxUnknownListed)] {
			fmt.Fprintf(w, "  %s: %s\n", termtext.Clean(u.Host), termtext.Clean(strings.TrimSpace(string(u.State)+" "+u.Detail)))
		}
		if n := len(d.Unknown) - maxUnknownListed; n > 0 {
			fmt.Fprintln(w, "  "+p.Sprintf("and %d more", n))
		}
	case checksLookUp(ran):
		fmt.Fprintln(w, p.Sprintf("DNS: off, dangling URI checks left out"))
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, p.Sprintf("note: %s", termtext.Clean(n)))
	}
}

// collectCommand is "appwatch posture collect --out DIR".
func collectCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "posture collect", "--out DIR", "Reads the tenant's app registrations, service principals, grants, role assignments and\n"+
		"domains from Microsoft Graph (read-only; see docs/setup-posture.md) and saves them in DIR,\n"+
		"one Graph list response per collection, for 'appwatch posture --snapshot DIR'.")
	var g graphFlags
	g.register(c)
	out := c.String("out", "", "`DIR` to write the snapshot to (created if needed)")
	quiet := c.Bool("quiet", false, "print nothing on standard error but errors")
	return c, func(ctx context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q", c.Arg(0))
		}
		if *out == "" {
			return c.usageError("--out DIR is required: the directory to write the snapshot to")
		}
		s, err := g.collect(ctx, env, *quiet)
		if err == nil {
			err = s.Write(*out)
		}
		if err != nil {
			var gerr *graph.Error
			if errors.As(err, &gerr) && gerr.Permission != "" && !*quiet {
				c.errorf("see docs/graph-permissions.md for the permissions to grant")
			}
			c.report(err)
			return exitUsage
		}
		if !*quiet {
			fmt.Fprintln(env.Stderr, c.text("snapshot written to %s", *out))
		}
		return exitOK
	}
}
