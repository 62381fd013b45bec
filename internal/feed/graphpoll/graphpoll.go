package graphpoll

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/graph"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/uricheck"
)

// Name is the source's name on the command line, and in the store.
const Name = "graph"

// Defaults for Options.
const (
	DefaultOverlap  = 15 * time.Minute
	DefaultInterval = time.Minute
	DefaultBackfill = time.Hour
	DefaultSeenFor  = 24 * time.Hour
	// DefaultPageSize is the most records a page of the audit log
	// listings may hold.
	DefaultPageSize = 999
	// RequestsPerSecond keeps to the reporting API's budget of five
	// requests per ten seconds per app and tenant; Burst is one, so that
	// no ten seconds see more than that.
	RequestsPerSecond = 0.5
	// MaxRetryAfter is the longest pause Graph may ask of the source's
	// client (graph.Config.MaxRetryAfter) and have it honoured in full:
	// nobody waits on a watcher, so it waits as long as Graph asks.
	MaxRetryAfter = time.Hour
)

// Pager lists Graph collections page by page; *graph.Client is one.
type Pager interface {
	Pages(ctx context.Context, path string, query url.Values) iter.Seq2[*graph.Page, error]
}

// tenantTeller tells the tenant a client signs in to; *graph.Client does.
type tenantTeller interface {
	TenantID(ctx context.Context) (string, error)
}

// Options tune a Source. Zero values take the defaults.
type Options struct {
	// Overlap is how far before its cursor each poll of a stream reads
	// again, for records Entra delivers late. Default DefaultOverlap.
	Overlap time.Duration
	// Interval is the time between two polls of every stream. Default
	// DefaultInterval.
	Interval time.Duration
	// Backfill is how far back a stream is read the first time, before
	// it has a cursor. Default DefaultBackfill.
	Backfill time.Duration
	// SeenFor is how long the ids of records handed on are remembered; it
	// must be longer than Overlap. Default DefaultSeenFor.
	SeenFor time.Duration
	// PageSize is the $top of each query. Default DefaultPageSize.
	PageSize int
	// Streams names the streams to poll (see Streams); empty means all.
	Streams []string
	// Tenant names the tenant in the cursors' stream names; empty means
	// the tenant of the access token, or "default" when it names none.
	Tenant string
	// LeaseTTL and Holder configure the lease (see feed.Lease).
	LeaseTTL time.Duration
	Holder   string
	// Clock is the clock of polls and leases; nil means the wall clock.
	Clock  clock.Clock
	Logger *slog.Logger
	// MaxRecord is the largest record decoded, in bytes; zero means
	// decode.DefaultMaxRecord.
	MaxRecord int
}

// Source polls Microsoft Graph's audit and sign-in logs.
type Source struct {
	v1, beta Pager
	opts     Options
	streams  []Stream
	clk      clock.Clock
	log      *slog.Logger
}

// New returns a source reading from v1, a client of Graph v1.0, and
// beta, one of Graph beta (graph.Client.Version("beta")).
func New(v1, beta Pager, opts Options) (*Source, error) {
	opts.Overlap = cmp.Or(opts.Overlap, DefaultOverlap)
	opts.Interval = cmp.Or(opts.Interval, DefaultInterval)
	opts.Backfill = cmp.Or(opts.Backfill, DefaultBackfill)
	opts.SeenFor = cmp.Or(opts.SeenFor, DefaultSeenFor)
	opts.PageSize = cmp.Or(opts.PageSize, DefaultPageSize)
	switch {
	case opts.Overlap < 0 || opts.Interval < 0 || opts.Backfill < 0:
		return nil, errors.New("graph source: negative overlap, interval or backfill")
	case opts.SeenFor <= opts.Overlap+opts.Interval:
		return nil, fmt.Errorf("graph source: ids must be remembered (%s) for longer than the overlap and the interval (%s)", opts.SeenFor, opts.Overlap+opts.Interval)
	}
	streams, err := pick(opts.Streams)
	if err != nil {
		return nil, err
	}
	s := &Source{v1: v1, beta: beta, opts: opts, streams: streams, clk: opts.Clock, log: opts.Logger}
	if s.clk == nil {
		s.clk = clock.System{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("source", Name)
	return s, nil
}

// Name returns "graph".
func (s *Source) Name() string { return Name }

// Run polls while this instance holds the source's lease, until ctx is
// done.
func (s *Source) Run(ctx context.Context, st feed.State, out chan<- *feed.Batch) error {
	fs, ok := st.(feed.Store)
	if !ok {
		return errors.New("graph source: the store cannot hold leases and seen ids")
	}
	tenant, err := s.tenant(ctx)
	if err != nil {
		return fmt.Errorf("graph source: %w", err)
	}
	l := &feed.Lease{Store: fs, Name: Name, Holder: s.opts.Holder, TTL: s.opts.LeaseTTL, Clock: s.clk, Logger: s.log}
	return l.Run(ctx, func(ctx context.Context) error {
		return s.lead(ctx, fs, tenant, out)
	})
}

// tenant returns the tenant the cursors belong to.
func (s *Source) tenant(ctx context.Context) (string, error) {
	if s.opts.Tenant != "" {
		return s.opts.Tenant, nil
	}
	if t, ok := s.v1.(tenantTeller); ok {
		id, err := t.TenantID(ctx)
		if err != nil {
			return "", err
		}
		if id != "" {
			return id, nil
		}
	}
	return "default", nil
}

// lead polls every stream, then waits Interval, until ctx is done.
func (s *Source) lead(ctx context.Context, st feed.Store, tenant string, out chan<- *feed.Batch) error {
	pos, err := st.Positions(ctx, Name)
	if err != nil {
		return err
	}
	polls, err := s.pollers(st, out, tenant, pos)
	if err != nil {
		return err
	}
	refusals := refusals{}
	for {
		for _, p := range polls {
			err := p.poll(ctx)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.report(refusals, p, err)
		}
		if err := s.clk.Sleep(ctx, s.opts.Interval); err != nil {
			return err
		}
	}
}

// refusals counts the streams Graph refuses, by refusal (see refusal).
type refusals map[string]int

// report logs the outcome of a poll of p. A refusal (a token Graph does
// not accept, a permission missing) is logged once, with what to grant,
// when the first stream meets it, and again only once every stream it
// stopped has been answered; any other failure is logged at each poll.
func (s *Source) report(seen refusals, p *poller, err error) {
	key, grant := refusal(err)
	switch {
	case key == "" && p.refused != "":
		seen[p.refused]--
		if seen[p.refused] == 0 {
			delete(seen, p.refused)
		}
		p.refused = ""
		s.log.Info("Graph answers the stream again", "stream", p.key)
	case key != "" && key != p.refused:
		p.refused = key
		seen[key]++
		if seen[key] == 1 {
			s.log.Error("Graph refuses the stream; it is asked again at each poll, and this is not logged again until it answers",
				"stream", p.key, "grant", grant, "error", err)
		}
	case key != "":
		s.log.Debug("Graph still refuses the stream", "stream", p.key, "error", err)
	case err != nil:
		s.log.Error("polling a stream failed; trying again at the next poll", "stream", p.key, "error", err)
	}
}

// refusal returns what identifies err when Graph refused the request
// for want of a token it accepts (401) or of a permission (403), and the
// permission to grant when Graph's answer says which; "" otherwise. Two
// streams refused for the same reason give the same key: a 401 is one
// refusal whatever the path.
func refusal(err error) (key, grant string) {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return "", ""
	}
	switch ge.Status {
	case http.StatusUnauthorized:
		return "401", ""
	case http.StatusForbidden:
		grant = ge.Permission
		if grant == "" {
			grant = "a Microsoft Graph application permission for " + ge.Path
		}
		return fmt.Sprintf("403 %s %s", ge.Path, ge.Code), grant
	}
	return "", ""
}

// pollers returns a poller for each stream, from the positions stored.
func (s *Source) pollers(st feed.Store, out chan<- *feed.Batch, tenant string, pos map[string]string) ([]*poller, error) {
	now := s.clk.Now()
	polls := make([]*poller, len(s.streams))
	for i, str := range s.streams {
		p := &poller{s: s, st: st, out: out, stream: str, key: tenant + "/" + str.Name, seen: map[string]time.Time{}}
		p.pager = s.v1
		if str.Beta {
			p.pager = s.beta
		}
		if uricheck.IsGUID(tenant) {
			p.tenant = tenant
		}
		p.dec = decode.NewDecoder(decode.Options{MaxRecord: s.opts.MaxRecord, Rejected: p.rejected})
		var err error
		if p.cursor, err = parseCursor(pos[p.key]); err != nil {
			return nil, fmt.Errorf("stored position of %s: %w", p.key, err)
		}
		p.placed = !p.cursor.IsZero()
		if !p.placed {
			p.cursor = now.Add(-s.opts.Backfill)
			s.log.Info("stream read for the first time", "stream", p.key, "from", p.cursor.Add(-s.opts.Overlap))
		}
		polls[i] = p
	}
	return polls, nil
}

// parseCursor reads a stored cursor; empty means none.
func parseCursor(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, v)
}

// send hands b on, unless ctx ends first.
func send(ctx context.Context, out chan<- *feed.Batch, b *feed.Batch) error {
	select {
	case out <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// position is the stored form of a cursor.
func position(key string, cursor time.Time) store.Position {
	return store.Position{Stream: key, Value: cursor.UTC().Format(time.RFC3339Nano)}
}
