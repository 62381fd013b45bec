package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
)

// DefaultGiveUp is how long Send keeps trying a failing sink.
const DefaultGiveUp = 5 * time.Minute

// Direct sends alerts to a sink without a store, for one-off runs: the
// same retries, backoff, Retry-After, rate and grouping as a Dispatcher,
// held in memory. The zero value uses the defaults.
type Direct struct {
	// GiveUp is how long after Send started a failing attempt is no
	// longer retried.
	GiveUp                 time.Duration
	MinBackoff, MaxBackoff time.Duration
	// Now and Sleep are the clock; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	Rand  func() float64
}

// Report says what Send delivered.
type Report struct {
	Sent   int // alerts the sink took
	Failed int // alerts it did not take
}

// Send delivers the alerts sink accepts: one message per group on a sink
// that groups, else in batches, retrying what fails until GiveUp. The
// error, when some alerts were not delivered, says why the last of them
// was not.
func (o Direct) Send(ctx context.Context, sink *notify.Sink, alerts []alert.Alert) (Report, error) {
	o = o.withDefaults()
	var todo []alert.Alert
	for _, a := range alerts {
		if sink.Accepts(&a) {
			todo = append(todo, a)
		}
	}
	d := sink.Delivery()
	start := o.Now()
	var rep Report
	var last error
	var lastSent time.Time
	msgs := messages(todo, d)
	for i := 0; i < len(msgs); i++ {
		msg := msgs[i]
		if wait := lastSent.Add(d.Interval()).Sub(o.Now()); !lastSent.IsZero() && wait > 0 {
			if err := o.Sleep(ctx, wait); err != nil {
				return rep, err
			}
		}
		sent, err := o.sendMessage(ctx, sink, msg, d.Group != nil, start)
		lastSent = o.Now()
		rep.Sent += sent
		if d.Group != nil && len(msg) > 1 && notify.IsPermanent(err) {
			// The receiver refused the group's message, perhaps for one
			// of its alerts: each goes alone, and only one refused alone
			// is lost.
			for _, a := range msg {
				msgs = append(msgs, []alert.Alert{a})
			}
			continue
		}
		if err != nil {
			rep.Failed += len(msg) - sent
			last = err
		}
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
	}
	if last != nil {
		return rep, fmt.Errorf("%d of %d alerts not delivered: %w", rep.Failed, len(todo), last)
	}
	return rep, nil
}

// messages splits alerts into the messages they go in: one per group,
// in the order the groups first appear, or batches of d.Batch.
func messages(alerts []alert.Alert, d notify.Delivery) [][]alert.Alert {
	var out [][]alert.Alert
	if d.Group != nil {
		at := map[string]int{}
		for _, a := range alerts {
			k := d.Group.Key(&a)
			i, ok := at[k]
			if !ok || len(out[i]) >= maxGroup {
				i = len(out)
				at[k] = i
				out = append(out, nil)
			}
			out[i] = append(out[i], a)
		}
		return out
	}
	for len(alerts) > 0 {
		n := min(len(alerts), d.Batch)
		out, alerts = append(out, alerts[:n]), alerts[n:]
	}
	return out
}

// sendMessage sends one message, retrying what fails for a reason that
// may pass, and returns how many of its alerts were delivered. An alert
// the sink refuses for good, on its own, is left out of a batch, and the
// rest go on.
func (o Direct) sendMessage(ctx context.Context, sink *notify.Sink, msg []alert.Alert, group bool, start time.Time) (int, error) {
	next, sent := 0, 0 // the next alert to send, and how many went
	var refused error
	for attempt := 1; next < len(msg); attempt++ {
		var err error
		if group {
			if err = sink.SendGroup(ctx, msg); err == nil {
				return len(msg), nil
			}
		} else {
			var n int
			n, err = sink.Send(ctx, msg[next:])
			n = min(max(n, 0), len(msg)-next)
			next, sent = next+n, sent+n
			if err == nil {
				break
			}
		}
		if notify.IsPermanent(err) && !group && len(msg)-next > 1 {
			// A refused batch: perhaps for another of its alerts than the
			// first it did not take, which goes alone first.
			var one int
			one, err = sink.Send(ctx, msg[next:next+1])
			if one == 1 && err == nil {
				next, sent, attempt = next+1, sent+1, 0
				continue
			}
		}
		if notify.IsPermanent(err) {
			if group {
				return 0, err
			}
			next, attempt, refused = next+1, 0, err
			continue
		}
		wait := max(o.backoff(attempt), notify.RetryAfter(err))
		if o.Now().Add(wait).Sub(start) > o.GiveUp {
			return sent, err
		}
		if serr := o.Sleep(ctx, wait); serr != nil {
			return sent, errors.Join(err, serr)
		}
	}
	return sent, refused
}

func (o Direct) backoff(n int) time.Duration {
	b := o.MaxBackoff
	if n < 30 {
		b = min(o.MinBackoff<<max(n-1, 0), o.MaxBackoff)
	}
	return b/2 + time.Duration(o.Rand()*float64(b/2))
}

func (o Direct) withDefaults() Direct {
	o.GiveUp = cmp.Or(o.GiveUp, DefaultGiveUp)
	o.MinBackoff = cmp.Or(o.MinBackoff, DefaultMinBackoff)
	o.MaxBackoff = max(cmp.Or(o.MaxBackoff, DefaultMaxBackoff), o.MinBackoff)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	return o
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
