package kafka

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/store"
)

// Defaults for Options.
const (
	DefaultMaxMessages = 5000
	DefaultSettleWait  = 4 * time.Second
)

// Options tune a source.
type Options struct {
	// MaxMessages is how many messages a batch holds at most.
	MaxMessages int
	// SettleWait bounds how long a revocation, or the end of Run, waits
	// for the batches in flight of the partitions it gives up to be
	// stored, so that their offsets are committed before another member
	// reads them. A revocation waits at most half the session timeout,
	// which also bounds rebalances.
	SettleWait time.Duration
	// Dial, when set, opens the TCP connections to brokers (TLS, when
	// the source uses it, is added on top); tests use it to reach a
	// broker on loopback under its real name.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs, when set, are the certificates trusted for TLS instead of
	// the system's (and Config.CAFile's).
	RootCAs *x509.CertPool
	// Decode tunes the decoder; its Rejected is the source's own.
	Decode decode.Options
	Logger *slog.Logger
}

// Source reads one topic as a member of a consumer group. It is also a
// prometheus.Collector of its consumer lag, messages and bytes. Run it
// once at a time.
type Source struct {
	cfg     *Config
	opts    Options
	log     *slog.Logger
	tls     *tls.Config
	mech    sasl.Mechanism
	metrics *metrics
	// cur is the session of the running Run, read by Collect.
	cur atomic.Pointer[session]
}

// New returns the source cfg describes.
func New(cfg *Config, opts Options) (*Source, error) {
	opts.MaxMessages = cmp.Or(opts.MaxMessages, DefaultMaxMessages)
	opts.SettleWait = cmp.Or(opts.SettleWait, DefaultSettleWait)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Source{cfg: cfg, opts: opts, log: opts.Logger.With("source", cfg.Name), metrics: newMetrics(cfg.Name)}
	if cfg.TLS {
		roots := opts.RootCAs
		if roots == nil && cfg.CAFile != "" {
			pem, err := os.ReadFile(cfg.CAFile)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", EnvCAFile, err)
			}
			if roots, err = x509.SystemCertPool(); err != nil {
				roots = x509.NewCertPool()
			}
			if !roots.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%s: %s holds no PEM certificate", EnvCAFile, cfg.CAFile)
			}
		}
		s.tls = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
	}
	switch cfg.Mechanism {
	case Plain:
		s.mech = plain.Auth{User: cfg.user, Pass: cfg.password}.AsMechanism()
	case ScramSHA256:
		s.mech = scram.Auth{User: cfg.user, Pass: cfg.password}.AsSha256Mechanism()
	case ScramSHA512:
		s.mech = scram.Auth{User: cfg.user, Pass: cfg.password}.AsSha512Mechanism()
	}
	if s.mech != nil && !cfg.TLS {
		s.log.Warn("SASL credentials go to the brokers unencrypted: use kafkas:// unless the network is trusted")
	}
	return s, nil
}

// Name returns the source as given on the command line.
func (s *Source) Name() string { return s.cfg.Name }

// Run consumes the topic until ctx is done, handing on a batch per poll.
// Each partition starts at the position the store holds for it, else at
// the group's committed offset, else at Config.Start; the offsets of a
// batch are committed to the group once the batch is stored.
func (s *Source) Run(ctx context.Context, st feed.State, out chan<- *feed.Batch) error {
	ss := newSession(s, st)
	cl, err := kgo.NewClient(s.clientOptions(ss)...)
	if err != nil {
		return fmt.Errorf("%s: %w", s.cfg.Name, err)
	}
	ss.cl = cl
	s.cur.Store(ss)
	loopCtx, stopLoop := context.WithCancel(ctx)
	commits := make(chan struct{})
	go func() {
		defer close(commits)
		ss.commitLoop(loopCtx)
	}()
	defer func() {
		stopLoop()
		<-commits
		ss.close()
		s.cur.Store(nil)
	}()
	if err := ss.check(ctx); err != nil {
		return err
	}
	s.log.Info("joining consumer group", "brokers", s.cfg.Brokers, "topic", s.cfg.Topic, "group", s.cfg.Group)
	for {
		fs := ss.poll(ctx)
		if ctx.Err() != nil {
			cl.AllowRebalance()
			return ctx.Err()
		}
		err := ss.pollErrors(ctx, fs)
		if err == nil {
			err = ss.handOn(ctx, fs, out)
		}
		if err == nil {
			err = ss.seekBack(ctx)
		}
		cl.AllowRebalance()
		if err != nil {
			return err
		}
	}
}

// poll polls the client; a batch refused as stale ends the poll early.
func (ss *session) poll(ctx context.Context) kgo.Fetches {
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ss.mu.Lock()
	if len(ss.reseek) > 0 {
		cancel()
	}
	ss.cancelPoll = cancel
	ss.mu.Unlock()
	fs := ss.cl.PollRecords(pctx, ss.s.opts.MaxMessages)
	ss.mu.Lock()
	ss.cancelPoll = nil
	ss.mu.Unlock()
	return fs
}

// seekBack seeks the partitions whose batches the store refused as stale
// to the positions the store holds for them: another process stored
// their records, or a batch before was refused. It runs between a poll
// and the rebalance it holds off, as franz-go asks of SetOffsets.
func (ss *session) seekBack(ctx context.Context) error {
	ss.mu.Lock()
	ps := slices.Collect(maps.Keys(ss.reseek))
	clear(ss.reseek)
	ss.mu.Unlock()
	if len(ps) == 0 {
		return nil
	}
	stored, err := ss.st.Positions(ctx, ss.s.cfg.Name)
	if err != nil {
		return fmt.Errorf("%s: read stored positions: %w", ss.s.cfg.Name, err)
	}
	set := map[int32]kgo.EpochOffset{}
	ss.mu.Lock()
	for _, p := range ps {
		pt := ss.part(p)
		text, ok := stored[stream(p)]
		if !pt.owned || !ok {
			continue
		}
		n, err := offsetOf(text)
		if err != nil {
			ss.mu.Unlock()
			return fmt.Errorf("%s: partition %d: %w", ss.s.cfg.Name, p, err)
		}
		pt.stored, pt.from, pt.next = n, text, n
		set[p] = kgo.EpochOffset{Epoch: -1, Offset: n}
	}
	ss.mu.Unlock()
	if len(set) > 0 {
		ss.cl.SetOffsets(map[string]map[int32]kgo.EpochOffset{ss.s.cfg.Topic: set})
		ss.s.log.Info("partitions read again from their stored positions: the store refused a stale batch", "partitions", slices.Sorted(maps.Keys(set)))
	}
	return nil
}

// check asks the brokers for the topic: the client retries refused
// credentials and missing topics without a word, so they are found here,
// and the source stops saying why.
func (ss *session) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	t := kmsg.NewMetadataRequestTopic()
	t.Topic = kmsg.StringPtr(ss.s.cfg.Topic)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, ss.cl)
	if err != nil {
		return fmt.Errorf("%s: %w", ss.s.cfg.Name, err)
	}
	for _, rt := range resp.Topics {
		if err := kerr.ErrorForCode(rt.ErrorCode); err != nil {
			return fmt.Errorf("%s: topic %s: %w", ss.s.cfg.Name, ss.s.cfg.Topic, err)
		}
	}
	return nil
}

// clientOptions configures the client for ss.
func (s *Source) clientOptions(ss *session) []kgo.Opt {
	c := s.cfg
	start := kgo.NewOffset().AtStart()
	if c.Start == StartLatest {
		start = kgo.NewOffset().AtEnd()
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Brokers...),
		kgo.ClientID("appwatch"),
		kgo.ConsumerGroup(c.Group),
		kgo.ConsumeTopics(c.Topic),
		kgo.ConsumeResetOffset(start),
		kgo.DisableAutoCommit(),
		// A fetch is about a batch (maxBatchBytes): the client holds a
		// fetch per broker while the one before is handed on, and
		// decompressed, so larger fetches only held more memory
		// (franz-go's default of 50 MiB, at 4:1 compression, made most
		// of appwatch watch's heap).
		kgo.FetchMaxBytes(maxBatchBytes),
		kgo.FetchMaxPartitionBytes(maxBatchBytes),
		// Rebalances wait while a poll's records are being handed on,
		// so that every batch handed on is registered before a
		// revocation looks for batches in flight.
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(ss.assigned),
		kgo.AdjustFetchOffsetsFn(ss.adjust),
		kgo.OnPartitionsRevoked(ss.revoked),
		kgo.OnPartitionsLost(ss.lost),
		kgo.SessionTimeout(c.SessionTimeout),
		// A member that died during a rebalance holds the group up for
		// as long as one that stopped heartbeating; the revocation of a
		// live one fits in it (see revoked).
		kgo.RebalanceTimeout(c.SessionTimeout),
		kgo.HeartbeatInterval(min(3*time.Second, c.SessionTimeout/3)),
		kgo.Dialer(s.dialer()),
		kgo.WithLogger(kgoLogger{s.log}),
	}
	if s.mech != nil {
		opts = append(opts, kgo.SASL(s.mech))
	}
	if c.EventHubs {
		opts = append(opts,
			// Event Hubs drops the connection of a client that asks for
			// newer ApiVersions than it knows (franz-go issue 1025).
			kgo.MaxVersions(kversion.V3_8_0()),
			// It closes connections idle for 240 s.
			kgo.ConnIdleTimeout(180*time.Second),
			kgo.MetadataMaxAge(180*time.Second),
		)
	}
	return opts
}

// dialer returns the function that connects to a broker, over TLS when
// the source uses it.
func (s *Source) dialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	dial := s.opts.Dial
	if dial == nil {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	if s.tls == nil {
		return dial
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cfg := s.tls.Clone()
		if host, _, err := net.SplitHostPort(addr); err == nil {
			cfg.ServerName = host
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

// partition is what a session knows of one partition.
type partition struct {
	owned    bool
	inflight int   // batches handed on, not yet stored
	stored   int64 // the next offset to read as stored; -1 unknown
	hwm      int64 // high watermark at the last fetch; -1 unknown
	// pending is the offset stored but not yet committed to the group.
	pending    kgo.EpochOffset
	hasPending bool
	// from is the position the store holds once the batches handed on
	// are stored ("" for none): the position the next batch is checked
	// against (store.Position.Check).
	from string
	// next is the offset the next record handed on must have at least;
	// -1 unknown. Records below it, fetched before a seek, are dropped.
	next int64
	// gen counts the seeks back to the stored position; a batch refused
	// as stale seeks only when no seek followed it.
	gen int
}

// session is one Run: a client and what it knows of its partitions.
type session struct {
	s     *Source
	st    feed.State
	cl    *kgo.Client
	rd    *reader
	mu    sync.Mutex
	parts map[int32]*partition
	// wake is closed and replaced whenever a batch is stored.
	wake chan struct{}
	// commit is signalled when offsets wait to be committed.
	commit chan struct{}
	// reseek holds the partitions to seek back to their stored
	// positions, because the store refused a batch of theirs as stale;
	// cancelPoll, when set, ends the poll under way so that the seek is
	// not held up by a quiet topic.
	reseek     map[int32]bool
	cancelPoll context.CancelFunc
}

func newSession(s *Source, st feed.State) *session {
	return &session{s: s, st: st, rd: newReader(s.opts.Decode), parts: map[int32]*partition{},
		wake: make(chan struct{}), commit: make(chan struct{}, 1), reseek: map[int32]bool{}}
}

// part returns partition p, creating it; ss.mu is held.
func (ss *session) part(p int32) *partition {
	pt := ss.parts[p]
	if pt == nil {
		pt = &partition{stored: -1, hwm: -1, next: -1}
		ss.parts[p] = pt
	}
	return pt
}

// assigned takes up newly assigned partitions.
func (ss *session) assigned(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, p := range assigned[ss.s.cfg.Topic] {
		pt := ss.part(p)
		pt.owned, pt.stored, pt.hwm, pt.from, pt.next = true, -1, -1, "", -1
		pt.gen++
	}
	ss.s.log.Info("partitions assigned", "partitions", assigned[ss.s.cfg.Topic])
}

// adjust starts each newly assigned partition at its stored position,
// when the store holds one; the others start at the group's committed
// offset, or at Config.Start.
func (ss *session) adjust(ctx context.Context, offsets map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	parts := offsets[ss.s.cfg.Topic]
	if len(parts) == 0 {
		return offsets, nil
	}
	stored, err := ss.st.Positions(ctx, ss.s.cfg.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: read stored positions: %w", ss.s.cfg.Name, err)
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for p, o := range parts {
		pt := ss.part(p)
		text, ok := stored[stream(p)]
		if !ok {
			if eo := o.EpochOffset(); eo.Offset >= 0 {
				pt.stored = eo.Offset
			}
			continue
		}
		n, err := offsetOf(text)
		if err != nil {
			return nil, fmt.Errorf("%s: partition %d: %w", ss.s.cfg.Name, p, err)
		}
		parts[p] = kgo.NewOffset().At(n).WithEpoch(-1)
		pt.stored, pt.from, pt.next = n, text, n
	}
	return offsets, nil
}

// offsetOf reads a stored position as an offset.
func offsetOf(text string) (int64, error) {
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("stored position %q is not an offset", text)
	}
	return n, nil
}

// revoked gives up partitions: it waits for their batches in flight to be
// stored and commits their offsets, so that the member that gets them
// next starts after what this one stored.
func (ss *session) revoked(ctx context.Context, _ *kgo.Client, revoked map[string][]int32) {
	ps := revoked[ss.s.cfg.Topic]
	if len(ps) == 0 {
		return
	}
	session := ss.s.cfg.SessionTimeout
	ss.settle(ctx, ps, min(ss.s.opts.SettleWait, session/2))
	ss.commitPending(ctx, ps, min(commitTimeout, session/4))
	ss.disown(ps)
	ss.s.log.Info("partitions revoked", "partitions", ps)
}

// lost gives up partitions the group took away without a revocation:
// their offsets can no longer be committed. A batch in flight is stored
// only if the next member has not stored past where it was read from
// (see store.Position.Check); whichever of the two stores second is
// refused and reads on from the stored position.
func (ss *session) lost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	ps := lost[ss.s.cfg.Topic]
	ss.disown(ps)
	if len(ps) > 0 {
		ss.s.log.Warn("partitions lost to the group", "partitions", ps)
	}
}

func (ss *session) disown(ps []int32) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, p := range ps {
		pt := ss.part(p)
		pt.owned, pt.hasPending = false, false
	}
}

// settle waits, at most wait, until no batch of the partitions ps (all
// when nil) is in flight.
func (ss *session) settle(ctx context.Context, ps []int32, wait time.Duration) {
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		ss.mu.Lock()
		n := 0
		for p, pt := range ss.parts {
			if ps == nil || contains(ps, p) {
				n += pt.inflight
			}
		}
		wake := ss.wake
		ss.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-wake:
		case <-t.C:
			ss.s.log.Warn("batches still in flight after waiting; their records may be read again by the next member", "batches", n)
			return
		case <-ctx.Done():
			return
		}
	}
}

func contains(ps []int32, p int32) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// pollErrors logs the errors of a poll and returns the one that stops
// the source: the client closed, or credentials or permissions refused.
func (ss *session) pollErrors(ctx context.Context, fs kgo.Fetches) error {
	var stop error
	fs.EachError(func(topic string, p int32, err error) {
		switch {
		case errors.Is(err, context.Canceled) && ctx.Err() == nil:
			// The poll was ended for a seek back (see poll).
		case errors.Is(err, kgo.ErrClientClosed), errors.Is(err, context.Canceled):
			stop = err
		case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.TopicAuthorizationFailed),
			errors.Is(err, kerr.GroupAuthorizationFailed), errors.Is(err, kerr.ClusterAuthorizationFailed):
			stop = fmt.Errorf("%s: %w", ss.s.cfg.Name, err)
		default:
			ss.s.log.Warn("fetch failed; the client tries again", "topic", topic, "partition", p, "error", err)
		}
	})
	return stop
}

// maxBatchBytes bounds the bytes of the messages of one batch: a poll
// holding more is handed on in several batches.
const maxBatchBytes = 4 << 20

// handOn decodes the records of a poll into batches and hands them on.
func (ss *session) handOn(ctx context.Context, fs kgo.Fetches, out chan<- *feed.Batch) error {
	var cur *building
	var err error
	fs.EachPartition(func(fp kgo.FetchTopicPartition) {
		if err != nil || len(fp.Records) == 0 {
			return
		}
		ss.mu.Lock()
		ss.part(fp.Partition).hwm = fp.HighWatermark
		ss.mu.Unlock()
		for _, rec := range fp.Records {
			if !ss.wanted(rec) {
				continue
			}
			if cur == nil {
				cur = &building{b: &feed.Batch{}}
			}
			var n int
			if n, err = ss.rd.read(ctx, rec, cur.b); err != nil {
				return
			}
			cur.add(rec, n)
			if cur.bytes >= maxBatchBytes {
				if err = ss.send(ctx, cur, out); err != nil {
					return
				}
				cur = nil
			}
		}
	})
	if err == nil && cur != nil {
		err = ss.send(ctx, cur, out)
	}
	return err
}

// wanted reports whether rec is to be handed on: not a record fetched
// before a seek back to a position past it.
func (ss *session) wanted(rec *kgo.Record) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	pt := ss.part(rec.Partition)
	if rec.Offset < pt.next {
		return false
	}
	pt.next = rec.Offset + 1
	return true
}

// building is a batch being filled.
type building struct {
	b       *feed.Batch
	acks    []ack
	records int
	bytes   int
}

// add counts rec, whose n records were read into the batch.
func (bb *building) add(rec *kgo.Record, n int) {
	if len(bb.acks) == 0 || bb.acks[len(bb.acks)-1].partition != rec.Partition {
		bb.acks = append(bb.acks, ack{partition: rec.Partition})
	}
	a := &bb.acks[len(bb.acks)-1]
	a.messages++
	a.bytes += len(rec.Value)
	a.next = kgo.EpochOffset{Epoch: rec.LeaderEpoch, Offset: rec.Offset + 1}
	bb.records += n
	bb.bytes += len(rec.Value)
}

// send hands on a batch, its partitions in flight until it is stored.
func (ss *session) send(ctx context.Context, bb *building, out chan<- *feed.Batch) error {
	b := bb.b
	b.Counts = store.Counts{Records: int64(bb.records), Events: int64(len(b.Events)), Rejected: int64(len(b.Rejected))}
	b.Counts.Skipped = b.Counts.Records - b.Counts.Events - b.Counts.Rejected
	acks := bb.acks
	b.Ack = func() { ss.stored(acks) }
	b.Stale = func() { ss.stale(acks) }
	ss.mu.Lock()
	for i := range acks {
		a := &acks[i]
		pt := ss.part(a.partition)
		pt.inflight++
		a.gen = pt.gen
		value := strconv.FormatInt(a.next.Offset, 10)
		b.Positions = append(b.Positions, store.Position{Stream: stream(a.partition), Value: value, Check: true, From: pt.from})
		pt.from = value
	}
	ss.mu.Unlock()
	select {
	case out <- b:
		return nil
	case <-ctx.Done():
		ss.release(acks)
		return ctx.Err()
	}
}

// ack is what storing a batch means for one of its partitions.
type ack struct {
	partition int32
	next      kgo.EpochOffset
	messages  int
	bytes     int
	gen       int // the partition's seeks when the batch was handed on
}

// stored notes a stored batch: its offsets are now to be committed.
func (ss *session) stored(acks []ack) {
	ss.mu.Lock()
	for _, a := range acks {
		pt := ss.part(a.partition)
		pt.inflight--
		pt.stored = a.next.Offset
		if pt.owned {
			pt.pending, pt.hasPending = a.next, true
		}
		ss.s.metrics.messages.Add(float64(a.messages))
		ss.s.metrics.bytes.Add(float64(a.bytes))
	}
	close(ss.wake)
	ss.wake = make(chan struct{})
	ss.mu.Unlock()
	select {
	case ss.commit <- struct{}{}:
	default:
	}
}

// stale notes a batch the store refused because its positions had moved
// on: its partitions still owned are read again from the stored
// positions, unless a seek since the batch was handed on does that.
func (ss *session) stale(acks []ack) {
	ss.mu.Lock()
	for _, a := range acks {
		pt := ss.part(a.partition)
		pt.inflight--
		if pt.owned && a.gen == pt.gen {
			pt.gen++
			ss.reseek[a.partition] = true
		}
	}
	close(ss.wake)
	ss.wake = make(chan struct{})
	if len(ss.reseek) > 0 && ss.cancelPoll != nil {
		ss.cancelPoll()
	}
	ss.mu.Unlock()
}

// release forgets batches that were not handed on.
func (ss *session) release(acks []ack) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, a := range acks {
		ss.part(a.partition).inflight--
	}
	close(ss.wake)
	ss.wake = make(chan struct{})
}

// commitLoop commits stored offsets to the group as batches are stored,
// until ctx is done.
func (ss *session) commitLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ss.commit:
			ss.commitPending(ctx, nil, commitTimeout)
		}
	}
}

// commitTimeout bounds a commit to the group.
const commitTimeout = 10 * time.Second

// commitPending commits the stored offsets of the partitions ps (all when
// nil) not yet committed, waiting at most timeout. Committed offsets serve
// lag monitoring and the start of a member whose store holds no position;
// a failed commit is tried again with the next.
func (ss *session) commitPending(ctx context.Context, ps []int32, timeout time.Duration) {
	offsets := map[int32]kgo.EpochOffset{}
	ss.mu.Lock()
	for p, pt := range ss.parts {
		if pt.hasPending && pt.owned && (ps == nil || contains(ps, p)) {
			offsets[p] = pt.pending
			pt.hasPending = false
		}
	}
	ss.mu.Unlock()
	if len(offsets) == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	var failed error
	ss.cl.CommitOffsetsSync(cctx, map[string]map[int32]kgo.EpochOffset{ss.s.cfg.Topic: offsets},
		func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
			failed = commitError(resp, err)
		})
	if failed != nil {
		ss.s.metrics.commitFailures.Inc()
		ss.s.log.Warn("committing offsets to the group failed; the next commit carries them", "error", failed)
		ss.mu.Lock()
		for p, o := range offsets {
			if pt := ss.part(p); pt.owned && !pt.hasPending {
				pt.pending, pt.hasPending = o, true
			}
		}
		ss.mu.Unlock()
	}
}

// commitError returns the error of a commit, or of its first partition
// that failed.
func commitError(resp *kmsg.OffsetCommitResponse, err error) error {
	if err != nil {
		return err
	}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return fmt.Errorf("partition %d: %w", p.Partition, err)
			}
		}
	}
	return nil
}

// close waits for the batches in flight, commits their offsets, leaves
// the group and closes the client.
func (ss *session) close() {
	ctx, cancel := context.WithTimeout(context.Background(), ss.s.opts.SettleWait+3*time.Second)
	defer cancel()
	ss.settle(ctx, nil, ss.s.opts.SettleWait)
	ss.commitPending(ctx, nil, 2*time.Second)
	if err := ss.cl.LeaveGroupContext(ctx); err != nil {
		ss.s.log.Warn("leaving the consumer group", "error", err)
	}
	ss.cl.Close()
}

// lag returns the consumer lag of each owned partition whose high
// watermark and stored offset are known.
func (ss *session) lag() map[int32]int64 {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := map[int32]int64{}
	for p, pt := range ss.parts {
		if pt.owned && pt.hwm >= 0 && pt.stored >= 0 {
			out[p] = max(0, pt.hwm-pt.stored)
		}
	}
	return out
}

// owned counts the partitions the session owns.
func (ss *session) owned() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	n := 0
	for _, pt := range ss.parts {
		if pt.owned {
			n++
		}
	}
	return n
}

var _ prometheus.Collector = (*Source)(nil)
