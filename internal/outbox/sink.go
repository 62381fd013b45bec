package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// leaseMargin is what a claim's lease keeps beyond the sends it covers,
// and the least left of it for a send to start.
const leaseMargin = 2 * time.Second

// finishTimeout bounds recording outcomes, which must happen even while
// stopping.
const finishTimeout = 5 * time.Second

// sinkRunner sends the deliveries of one sink.
type sinkRunner struct {
	d        *Dispatcher
	sink     *notify.Sink
	name     string
	delivery notify.Delivery
	timeout  time.Duration
	wake     chan struct{}
	// failing is set while the store may count failures of the sink in a
	// row, which a message that goes through then clears.
	failing bool
	// cancel stops the runner started, which closes done when it has.
	cancel context.CancelFunc
	done   chan struct{}
}

func newSinkRunner(d *Dispatcher, s *notify.Sink) *sinkRunner {
	return &sinkRunner{d: d, sink: s, name: s.Name(), delivery: s.Delivery(), timeout: s.Timeout(),
		wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// start runs the runner until ctx is done or stop is called; then the
// sends in flight may go on for the dispatcher's StopTimeout before they
// are cancelled.
func (r *sinkRunner) start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	finished := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			t := time.NewTimer(r.d.opts.StopTimeout)
			defer t.Stop()
			select {
			case <-t.C:
				cancelSends()
			case <-finished:
			}
		case <-finished:
		}
	}()
	go func() {
		defer close(r.done)
		defer cancelSends()
		defer close(finished)
		r.run(ctx, sendCtx)
	}()
}

// stop stops a started runner and waits until it has.
func (r *sinkRunner) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
}

// run sends until ctx is done, looking again when woken, when the next
// delivery falls due, and at least every poll.
func (r *sinkRunner) run(ctx, sendCtx context.Context) {
	for ctx.Err() == nil {
		next, err := r.once(ctx, sendCtx)
		if err != nil && ctx.Err() == nil {
			r.d.log.Warn("delivery", "sink", r.name, "error", err)
		}
		wait := r.d.opts.Poll
		if !next.IsZero() {
			wait = min(max(next.Sub(r.d.opts.Now()), 0), wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// once sends what is due now and returns when to look again: the sink's
// pause or rate, or when its next delivery falls due.
func (r *sinkRunner) once(ctx, sendCtx context.Context) (time.Time, error) {
	st, err := r.d.opts.Store.SinkState(ctx, r.name)
	if err != nil {
		return time.Time{}, err
	}
	now := r.d.opts.Now()
	if st.Failures > 0 {
		r.failing = true
		r.expire(ctx, now)
	}
	if st.Next.After(now) {
		return st.Next, nil
	}
	if r.delivery.Group != nil {
		return r.groups(ctx, sendCtx)
	}
	for ctx.Err() == nil {
		limit := r.delivery.Concurrency * r.delivery.Batch * 4
		if st.Failures > 0 || r.delivery.Rate > 0 {
			limit = r.delivery.Batch // a probe, or the one message the rate allows
		}
		ds, err := r.d.opts.Store.ClaimDeliveries(ctx, store.Claim{Sink: r.name, Holder: r.d.opts.Holder, Limit: limit, Lease: r.lease(limit)})
		if err != nil {
			return time.Time{}, err
		}
		if len(ds) == 0 {
			return r.d.opts.Store.NextDue(ctx, r.name)
		}
		next, err := r.send(ctx, sendCtx, ds)
		if err != nil || !next.IsZero() {
			return next, err
		}
		st.Failures = 0
		if len(ds) < limit {
			// Nothing else was due: spare a claim, which writes. What is
			// stored meanwhile wakes the sink.
			return r.d.opts.Store.NextDue(ctx, r.name)
		}
	}
	return time.Time{}, nil
}

// lease is how long a claim of n deliveries lasts: the rounds of sends
// they make at the sink's concurrency, one more, and a margin.
func (r *sinkRunner) lease(n int) time.Duration {
	chunks := (n + r.delivery.Batch - 1) / r.delivery.Batch
	rounds := (chunks + r.delivery.Concurrency - 1) / r.delivery.Concurrency
	return time.Duration(rounds+1)*r.timeout + 2*leaseMargin
}

// expire gives up the deliveries of a failing sink that waited longer
// than DeadAfter.
func (r *sinkRunner) expire(ctx context.Context, now time.Time) {
	reason := fmt.Sprintf("the sink kept failing for %s", r.d.opts.DeadAfter)
	n, err := r.d.opts.Store.ExpirePending(ctx, r.name, now.Add(-r.d.opts.DeadAfter), reason)
	if err != nil {
		r.d.log.Warn("delivery: giving up old deliveries", "sink", r.name, "error", err)
		return
	}
	if n > 0 {
		r.d.metrics.dead.WithLabelValues(r.name).Add(float64(n))
		r.d.log.Error("delivery: gave up alerts the sink could not take in time; appwatch deliveries retry sends them again",
			"sink", r.name, "dead", n, "after", r.d.opts.DeadAfter)
	}
}

// result is what one chunk of deliveries came to.
type result struct {
	outcomes []store.Outcome
	// err is the failure that stopped the chunk, if any; wait the time a
	// rate limit asked to wait.
	err  error
	wait time.Time
}

// send sends claimed deliveries, at most Concurrency chunks at once,
// stopping at the first failure, records what became of each, and
// returns when to look again when the sink failed or its rate was
// reached (the zero time otherwise).
func (r *sinkRunner) send(ctx, sendCtx context.Context, ds []store.Delivery) (time.Time, error) {
	set := r.silences(ctx)
	var outcomes []store.Outcome
	var todo []store.Delivery
	for _, d := range ds {
		if sl, ok := set.Match(&d.Alert); ok {
			outcomes = append(outcomes, silenced(d, sl))
			continue
		}
		todo = append(todo, d)
	}
	var chunks [][]store.Delivery
	for len(todo) > 0 {
		n := min(len(todo), r.delivery.Batch)
		chunks, todo = append(chunks, todo[:n]), todo[n:]
	}
	results := make([]result, len(chunks))
	var stop stopFlag
	sem := make(chan struct{}, r.delivery.Concurrency)
	var wg sync.WaitGroup
	for i, c := range chunks {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = r.sendChunk(ctx, sendCtx, c, &stop)
		})
	}
	wg.Wait()
	var failure error
	var wait time.Time
	for _, res := range results {
		outcomes = append(outcomes, res.outcomes...)
		if failure == nil && res.err != nil {
			failure = res.err
		}
		wait = earliest(wait, res.wait)
	}
	r.record(outcomes)
	if err := r.finish(ctx, outcomes, nil); err != nil {
		return time.Time{}, err
	}
	taken := slices.ContainsFunc(outcomes, func(o store.Outcome) bool { return o.State == store.DeliverySent })
	switch {
	case failure != nil && down(failure, taken):
		return r.failed(ctx, failure)
	case taken:
		r.recovered(ctx)
	}
	return wait, nil
}

// down reports whether a failed attempt says the sink as a whole cannot
// take messages now, so that it pauses, rather than that one delivery
// failed, which then waits its own backoff while the others go on. A
// refusal for good is about its alerts. The receiver asking to slow down
// or to wait (429, Retry-After) is about the sink. Other failures (5xx,
// 408, no answer) are about the sink unless another message of the same
// claim went through: then the receiver is up.
func down(err error, taken bool) bool {
	switch {
	case notify.IsPermanent(err):
		return false
	case notify.IsThrottled(err) || notify.RetryAfter(err) > 0:
		return true
	}
	return !taken
}

// stopFlag stops the chunks of a claim that have not started once one
// failed in a way that may mean the sink is down.
type stopFlag struct {
	mu  sync.Mutex
	set bool
}

func (f *stopFlag) stop() {
	f.mu.Lock()
	f.set = true
	f.mu.Unlock()
}

func (f *stopFlag) stopped() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.set
}

// sendChunk sends one chunk in one Send, when the claim, the sink's rate
// and the stop flag let it.
func (r *sinkRunner) sendChunk(ctx, sendCtx context.Context, c []store.Delivery, stop *stopFlag) result {
	if stop.stopped() || ctx.Err() != nil {
		return result{outcomes: released(c)}
	}
	if left := c[0].Lease.Sub(r.d.opts.Now()); left < r.timeout+leaseMargin {
		return result{outcomes: released(c)}
	}
	if wait, err := r.slot(ctx); err != nil || !wait.IsZero() {
		stop.stop()
		return result{outcomes: released(c), wait: wait, err: err}
	}
	alerts := make([]alert.Alert, len(c))
	for i := range c {
		alerts[i] = c[i].Alert
	}
	n, err := r.sink.Send(sendCtx, alerts)
	n = min(max(n, 0), len(c))
	res := r.sent(c[:n])
	if err != nil && notify.IsPermanent(err) && len(c)-n > 1 && sendCtx.Err() == nil {
		// The receiver refused a batch: perhaps for one alert of it, which
		// need not be the first it did not take. That one goes alone, so
		// that only an alert refused on its own is given up.
		var one int
		one, err = r.sink.Send(sendCtx, alerts[n:n+1])
		if one == 1 && err == nil {
			res.outcomes = append(res.outcomes, r.sent(c[n:n+1]).outcomes...)
			res.outcomes = append(res.outcomes, released(c[n+1:])...)
			return res
		}
	}
	if err == nil {
		return res
	}
	if !notify.IsPermanent(err) {
		stop.stop()
	}
	if sendCtx.Err() != nil {
		// Stopping: whether the receiver took it is unknown; it is sent
		// again at the next start.
		res.outcomes = append(res.outcomes, released(c[n:])...)
		return res
	}
	res.err = err
	res.outcomes = append(res.outcomes, r.failure(c[n], err))
	res.outcomes = append(res.outcomes, released(c[n+1:])...)
	return res
}

// sent is the result of deliveries the sink took.
func (r *sinkRunner) sent(ds []store.Delivery) result {
	r.delivered(ds)
	res := result{}
	for _, d := range ds {
		res.outcomes = append(res.outcomes, store.Outcome{ID: d.ID, State: store.DeliverySent, Attempted: true})
	}
	return res
}

// slot takes a message slot of a rate-limited sink: the zero time when
// the message may go now, else when it may.
func (r *sinkRunner) slot(ctx context.Context) (time.Time, error) {
	interval := r.delivery.Interval()
	if interval <= 0 {
		return time.Time{}, nil
	}
	return r.d.opts.Store.TakeSlot(ctx, r.name, interval)
}

// failure is the outcome of a delivery whose attempt failed with err: dead
// when retrying cannot help or it has failed for DeadAfter, else pending
// until its backoff (and the receiver's Retry-After) is over.
func (r *sinkRunner) failure(d store.Delivery, err error) store.Outcome {
	now := r.d.opts.Now()
	o := store.Outcome{ID: d.ID, Attempted: true, Error: err.Error()}
	switch {
	case notify.IsPermanent(err):
		o.State = store.DeliveryDead
	case !now.Before(d.Since.Add(r.d.opts.DeadAfter)):
		o.State = store.DeliveryDead
		o.Error = fmt.Sprintf("still failing %s after the alert was stored: %s", r.d.opts.DeadAfter, err)
	default:
		o.State = store.DeliveryPending
		o.Due = now.Add(max(r.d.backoff(d.Attempts+1), notify.RetryAfter(err)))
	}
	return o
}

// released gives deliveries back untried.
func released(ds []store.Delivery) []store.Outcome {
	out := make([]store.Outcome, len(ds))
	for i, d := range ds {
		out[i] = store.Outcome{ID: d.ID, State: store.DeliveryPending, Due: d.Due}
	}
	return out
}

// silenced is the outcome of a delivery a silence matched.
func silenced(d store.Delivery, sl silence.Silence) store.Outcome {
	return store.Outcome{ID: d.ID, State: store.DeliverySilenced, SuppressedBy: store.SilenceRef(sl.ID),
		Error: fmt.Sprintf("not sent: silence %d matched the alert", sl.ID)}
}

// silences returns the silences that apply now; when they cannot be read
// it logs why and goes on with those read last.
func (r *sinkRunner) silences(ctx context.Context) silence.Set {
	set, err := r.d.opts.Silences.Set(ctx)
	if err != nil {
		r.d.log.Warn("delivery: silences", "error", err)
	}
	return set
}

// finish records outcomes, even while stopping.
func (r *sinkRunner) finish(ctx context.Context, outcomes []store.Outcome, sent *store.GroupSent) error {
	if len(outcomes) == 0 && sent == nil {
		return nil
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	return r.d.opts.Store.FinishDeliveries(fctx, r.d.opts.Holder, outcomes, sent)
}

// record counts outcomes in the metrics, and logs the deliveries given
// up.
func (r *sinkRunner) record(outcomes []store.Outcome) {
	m := r.d.metrics
	for _, o := range outcomes {
		switch {
		case o.State == store.DeliverySent:
			m.sent.WithLabelValues(r.name).Inc()
		case o.State == store.DeliverySilenced:
			m.silenced.WithLabelValues(r.name).Inc()
		case o.State == store.DeliveryDead:
			m.failed.WithLabelValues(r.name).Inc()
			m.dead.WithLabelValues(r.name).Inc()
			r.d.log.Error("delivery: gave up an alert; appwatch deliveries retry sends it again", "sink", r.name, "delivery", o.ID, "error", o.Error)
		case o.Attempted:
			m.failed.WithLabelValues(r.name).Inc()
		}
	}
}

// delivered observes how long after being stored deliveries were sent.
func (r *sinkRunner) delivered(ds []store.Delivery) {
	now, h := r.d.opts.Now(), r.d.metrics.latency.WithLabelValues(r.name)
	for _, d := range ds {
		h.Observe(now.Sub(d.Created).Seconds())
	}
}

// failed pauses the sink after a failed attempt and returns when it may
// be tried again.
func (r *sinkRunner) failed(ctx context.Context, err error) (time.Time, error) {
	if notify.IsPermanent(err) {
		return time.Time{}, nil // the receiver answered: the sink works
	}
	r.failing = true
	st, serr := r.d.opts.Store.SinkFailed(ctx, r.name, r.d.backoff, notify.RetryAfter(err))
	if serr != nil {
		return time.Time{}, errors.Join(err, serr)
	}
	r.d.log.Warn("delivery failed; trying again", "sink", r.name, "error", err, "failures", st.Failures, "at", st.Next)
	return st.Next, nil
}

// recovered forgets the sink's failures after a message went through;
// it writes nothing when none were counted.
func (r *sinkRunner) recovered(ctx context.Context) {
	if !r.failing {
		return
	}
	if err := r.d.opts.Store.SinkRecovered(ctx, r.name); err != nil {
		r.d.log.Warn("delivery", "sink", r.name, "error", err)
		return
	}
	r.failing = false
}
