package posturepoll

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/snapdiff"
	"github.com/appwatch/appwatch/internal/snapshot"
	"github.com/appwatch/appwatch/internal/store"
)

// Name is the source's name on the command line, and in the store.
const Name = "posture"

// Defaults for Options.
const (
	DefaultEvery = 6 * time.Hour
	DefaultRetry = 15 * time.Minute
)

// positionStream is the stream whose position is the time of the last
// snapshot stored.
const positionStream = "snapshot"

// Options configure a Source. Collect and Ref are required.
type Options struct {
	// Every is the time between two snapshots. Default DefaultEvery.
	Every time.Duration
	// Retry is the wait after a snapshot failed. Default DefaultRetry,
	// or Every when that is shorter.
	Retry time.Duration
	// Collect takes a snapshot of the tenant.
	Collect func(context.Context) (*snapshot.Snapshot, error)
	// Ref is the reference data the checks and the comparison use.
	Ref *refdata.Data
	// Policy returns the tenant policy in use, which may change between
	// two snapshots; nil means policy.Default().
	Policy func() *policy.Policy
	// Lang is the language of the alerts' texts.
	Lang string
	// TenantID is the tenant the snapshots are of, when known.
	TenantID string
	// ExpiryWarning is posture.Options.ExpiryWarning.
	ExpiryWarning time.Duration
	// Resolver, when set, returns the resolver that looks up host names
	// for the dangling URI checks, one per snapshot.
	Resolver func() posture.HostResolver
	// LeaseTTL and Holder configure the lease (see feed.Lease).
	LeaseTTL time.Duration
	Holder   string
	// Clock is the clock of snapshots and leases; nil means the wall
	// clock.
	Clock  clock.Clock
	Logger *slog.Logger
}

// Source takes snapshots of a tenant periodically.
type Source struct {
	opts Options
	clk  clock.Clock
	log  *slog.Logger
}

// New returns a posture source.
func New(opts Options) (*Source, error) {
	switch {
	case opts.Collect == nil:
		return nil, errors.New("posture source: no way to take a snapshot")
	case opts.Ref == nil:
		return nil, errors.New("posture source: no reference data")
	case opts.Every < 0 || opts.Retry < 0:
		return nil, errors.New("posture source: negative interval")
	}
	opts.Every = cmp.Or(opts.Every, DefaultEvery)
	opts.Retry = cmp.Or(opts.Retry, min(DefaultRetry, opts.Every))
	s := &Source{opts: opts, clk: opts.Clock, log: opts.Logger}
	if s.clk == nil {
		s.clk = clock.System{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("source", Name)
	return s, nil
}

// Name returns "posture".
func (s *Source) Name() string { return Name }

// Run takes snapshots while this instance holds the source's lease,
// until ctx is done.
func (s *Source) Run(ctx context.Context, st feed.State, out chan<- *feed.Batch) error {
	fs, ok := st.(feed.Store)
	if !ok {
		return errors.New("posture source: the store cannot hold leases and snapshots")
	}
	l := &feed.Lease{Store: fs, Name: Name, Holder: s.opts.Holder, TTL: s.opts.LeaseTTL, Clock: s.clk, Logger: s.log}
	return l.Run(ctx, func(ctx context.Context) error { return s.lead(ctx, fs, out) })
}

// lead takes a snapshot whenever one is due, until ctx is done.
func (s *Source) lead(ctx context.Context, st feed.Store, out chan<- *feed.Batch) error {
	pos, err := st.Positions(ctx, Name)
	if err != nil {
		return err
	}
	var last time.Time
	if v := pos[positionStream]; v != "" {
		if last, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Errorf("stored position of %s: %w", positionStream, err)
		}
	}
	for {
		if wait := last.Add(s.opts.Every).Sub(s.clk.Now()); wait > 0 {
			if err := s.clk.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		taken, err := s.take(ctx, st, out)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			s.log.Error("snapshot failed; trying again", "error", err, "in", s.opts.Retry)
			if err := s.clk.Sleep(ctx, s.opts.Retry); err != nil {
				return err
			}
		default:
			last = taken
		}
	}
}

// take takes a snapshot, evaluates it, compares it with the one stored,
// and hands on what to store in one batch. It returns when the snapshot
// was taken.
func (s *Source) take(ctx context.Context, st feed.Store, out chan<- *feed.Batch) (time.Time, error) {
	now := s.clk.Now().UTC()
	snap, err := s.opts.Collect(ctx)
	if err != nil {
		return time.Time{}, err
	}
	pol := policy.Default()
	if s.opts.Policy != nil {
		pol = cmp.Or(s.opts.Policy(), pol)
	}
	popts := posture.Options{Ref: s.opts.Ref, Policy: pol, Now: now, ExpiryWarning: s.opts.ExpiryWarning,
		TenantID: s.opts.TenantID, Lang: s.opts.Lang, Source: Name}
	if s.opts.Resolver != nil {
		popts.DNS = s.opts.Resolver()
	}
	res, err := posture.Evaluate(ctx, snap, popts)
	if err != nil {
		return time.Time{}, err
	}
	b := &feed.Batch{}
	findings := findingAlerts(res.Findings)
	b.Alerts = append(b.Alerts, findings...)
	changes, err := s.compare(ctx, st, snap, now, pol)
	if err != nil {
		return time.Time{}, err
	}
	b.Alerts = append(b.Alerts, changes...)
	if b.Resolve, b.Reopen, err = statuses(ctx, st, findings, judge(res)); err != nil {
		return time.Time{}, err
	}
	body, err := encode(snap)
	if err != nil {
		return time.Time{}, err
	}
	b.Snapshot = &store.Snapshot{Taken: now, Body: body, Findings: findingCounts(findings), Items: appItems(snap, s.opts.Ref)}
	b.Positions = []store.Position{{Stream: positionStream, Value: now.Format(time.RFC3339Nano)}}
	select {
	case out <- b:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	s.log.Info("snapshot taken", "applications", len(snap.Applications), "service_principals", len(snap.ServicePrincipals),
		"findings", len(findings), "changes", len(changes), "resolved", len(b.Resolve), "reopened", len(b.Reopen))
	return now, nil
}

// compare compares snap with the snapshot stored, when there is one, and
// returns the alerts of the changes.
func (s *Source) compare(ctx context.Context, st feed.Store, snap *snapshot.Snapshot, now time.Time, pol *policy.Policy) ([]store.Alert, error) {
	stored, err := st.Snapshot(ctx, Name)
	if err != nil || stored == nil {
		return nil, err
	}
	prev, err := decode(stored.Body)
	if err != nil {
		s.log.Warn("the stored snapshot cannot be read; this one is not compared with it", "error", err)
		return nil, nil
	}
	res, err := snapdiff.Diff(prev, snap, snapdiff.Options{
		Ref: s.opts.Ref, Policy: pol, Lang: s.opts.Lang, TenantID: s.opts.TenantID,
		Old: snapdiff.Side{Time: stored.Taken, Source: Name}, New: snapdiff.Side{Time: now, Source: Name},
	})
	if err != nil {
		return nil, err
	}
	out := make([]store.Alert, len(res.Changes))
	for i, c := range res.Changes {
		out[i] = store.Alert{Key: changeKey(c, stored.Taken), Alert: c.Alert}
	}
	return out, nil
}

// encode writes a snapshot as the store keeps it: gzip-compressed JSON.
func encode(s *snapshot.Snapshot) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return b.Bytes(), nil
}

// decode reads a snapshot back.
func decode(body []byte) (*snapshot.Snapshot, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	return &s, nil
}
