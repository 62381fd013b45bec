package cli

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/dnscheck"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/graphpoll"
	"github.com/appwatch/appwatch/internal/feed/posturepoll"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// graphWatchFlags are the flags of appwatch watch's graph and posture
// sources, besides the sign-in flags they share with appwatch posture.
type graphWatchFlags struct {
	overlap, interval, backfill time.Duration
	logs                        string
	every                       time.Duration
	noDNS                       bool
	dnsServer                   string
	expiry                      int
	leaseTTL                    time.Duration
}

func (g *graphWatchFlags) register(fs *cmdline) {
	fs.DurationVar(&g.overlap, "graph-overlap", graphpoll.DefaultOverlap, "graph: how far before the newest record read each poll reads again, for records Entra delivers late")
	fs.DurationVar(&g.interval, "graph-poll", graphpoll.DefaultInterval, "graph: how often the audit and sign-in logs are polled (at most 0.5 requests a second, Graph's reporting budget, or --graph-rate when lower)")
	fs.DurationVar(&g.backfill, "graph-backfill", graphpoll.DefaultBackfill, "graph: how far back a log is read the first time")
	fs.StringVar(&g.logs, "graph-logs", "", "graph: the `LOGS` to poll, comma-separated (default all: "+strings.Join(graphpoll.StreamNames(), ",")+")")
	fs.DurationVar(&g.every, "posture-every", posturepoll.DefaultEvery, "posture: how often a snapshot of the tenant is taken")
	fs.BoolVar(&g.noDNS, "no-dns", false, "posture: do not look up host names; the dangling URI checks are left out")
	fs.StringVar(&g.dnsServer, "dns-server", "", "posture: DNS server `HOST:PORT` to ask (default: the first nameserver in /etc/resolv.conf)")
	fs.IntVar(&g.expiry, "expiry-warning", 30, "posture: report credentials that expire within `DAYS` (0: only expired ones)")
	fs.DurationVar(&g.leaseTTL, "lease-ttl", feed.DefaultLeaseTTL, "graph, posture: how long the instance doing the work holds it unless renewed: how long another waits to take over from one that was killed")
}

// check validates the flags and returns what is wrong, or nil.
func (g *graphWatchFlags) check() *message {
	switch {
	case g.overlap < 0 || g.interval <= 0 || g.backfill < 0:
		return msg("--graph-overlap and --graph-backfill want zero or more, --graph-poll more than zero")
	case g.every <= 0:
		return msg("--posture-every wants more than zero")
	case g.leaseTTL <= 0:
		return msg("--lease-ttl wants more than zero")
	case g.expiry < 0:
		return msg("--expiry-warning %d: want zero or more days", g.expiry)
	}
	return nil
}

// graphConfig returns the configuration of a Graph client signed in as
// the flags say, at rate requests per second, honouring and logging the
// pauses Graph asks for.
func (f *watchFlags) graphConfig(env Env, log *slog.Logger, rate float64, burst int) (graph.Config, error) {
	cred, err := f.graph.credential(env)
	if err != nil {
		return graph.Config{}, err
	}
	return graph.Config{
		Credential: cred, BaseURL: f.graph.graphURL, RequestsPerSecond: rate, Burst: burst, Logger: log,
		MaxRetryAfter: graphpoll.MaxRetryAfter,
		OnWait:        func(w graph.Wait) { log.Warn("graph: waiting", "why", w.String()) },
	}, nil
}

// tenantID is the tenant named by --tenant, when it is an id.
func (f *watchFlags) tenantID() string {
	if uricheck.IsGUID(f.graph.tenant) {
		return strings.ToLower(f.graph.tenant)
	}
	return ""
}

// graphSource makes the graph source. Its client keeps to the reporting
// API's budget, or to --graph-rate when that is lower.
func (f *watchFlags) graphSource(env Env, log *slog.Logger) (feed.Source, error) {
	rate := graphpoll.RequestsPerSecond
	if f.graph.rate < rate {
		rate = f.graph.rate
	}
	cfg, err := f.graphConfig(env, log, rate, 1)
	if err != nil {
		return nil, err
	}
	c, err := graph.New(cfg)
	if err != nil {
		return nil, err
	}
	var logs []string
	if f.gw.logs != "" {
		logs = strings.Split(f.gw.logs, ",")
	}
	if f.graph.noBeta { // the sign-in logs are read from beta
		if slices.ContainsFunc(logs, func(l string) bool { return strings.HasPrefix(l, "signIns/") }) {
			return nil, fmt.Errorf("--graph-logs %s: the sign-in logs are read from Graph beta, which --no-beta leaves out", f.gw.logs)
		}
		logs = []string{"directoryAudits"}
	}
	return graphpoll.New(c, c.Version("beta"), graphpoll.Options{
		Overlap: f.gw.overlap, Interval: f.gw.interval, Backfill: f.gw.backfill, Streams: logs,
		Tenant: f.tenantID(), LeaseTTL: f.gw.leaseTTL, Logger: log,
	})
}

// postureSource makes the posture source: snapshots read from Graph (and
// its beta, and Azure Resource Manager) as appwatch posture collect reads
// them, checked with the policy in use.
func (f *watchFlags) postureSource(env Env, log *slog.Logger) (feed.Source, error) {
	cfg, err := f.graphConfig(env, log, f.graph.rate, 0)
	if err != nil {
		return nil, err
	}
	c, err := graph.New(cfg)
	if err != nil {
		return nil, err
	}
	beta, arm, err := f.graph.extraClients(cfg.Credential, cfg)
	if err != nil {
		return nil, err
	}
	opts := snapshot.Options{Logger: log}
	if beta != nil { // a nil *graph.Client in the interface would not be nil
		opts.Beta = beta
	}
	if arm != nil {
		opts.ARM = arm
	}
	ref, err := refdata.Load()
	if err != nil {
		return nil, fmt.Errorf("reference data: %w", err)
	}
	collect := func(ctx context.Context) (*snapshot.Snapshot, error) {
		if f.graph.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeoutCause(ctx, f.graph.timeout, fmt.Errorf("reading Graph took longer than --graph-timeout %s", f.graph.timeout))
			defer cancel()
		}
		s, err := snapshot.Collect(ctx, c, opts)
		if err != nil {
			return nil, f.graph.explain(i18n.NewPrinter(i18n.English), err)
		}
		return s, nil
	}
	expiry := time.Duration(f.gw.expiry) * 24 * time.Hour
	if f.gw.expiry == 0 {
		expiry = -1 // only what has expired
	}
	return posturepoll.New(posturepoll.Options{
		Every: f.gw.every, Collect: collect, Ref: ref, Lang: f.lang, TenantID: f.tenantID(), ExpiryWarning: expiry,
		Policy: f.policy.Load, Resolver: f.resolver(log), LeaseTTL: f.gw.leaseTTL, Logger: log,
	})
}

// resolver returns what makes a DNS resolver for each snapshot, or nil
// when DNS is off or no server is known, which it logs.
func (f *watchFlags) resolver(log *slog.Logger) func() posture.HostResolver {
	if f.gw.noDNS {
		return nil
	}
	server := f.gw.dnsServer
	if server == "" {
		var err error
		if server, err = dnscheck.SystemServer(); err != nil {
			log.Warn("posture: dangling URI checks left out: no DNS server (give --dns-server, or --no-dns)", "error", err)
			return nil
		}
	}
	if _, err := dnscheck.New(dnscheck.Config{Server: server}); err != nil {
		log.Warn("posture: dangling URI checks left out", "error", err)
		return nil
	}
	return func() posture.HostResolver {
		r, _ := dnscheck.New(dnscheck.Config{Server: server}) // checked above
		return r
	}
}
