package outbox

import (
	"context"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/notify"
	"github.com/appwatch/appwatch/internal/store"
)

// groups sends the groups whose message is due, then the reminders of
// quiet groups, and returns when the next group falls due.
func (r *sinkRunner) groups(ctx, sendCtx context.Context) (time.Time, error) {
	pending, err := r.d.opts.Store.PendingGroups(ctx, r.name)
	if err != nil {
		return time.Time{}, err
	}
	var next time.Time
	for _, g := range pending {
		if ctx.Err() != nil {
			return next, nil
		}
		due := r.groupDue(g)
		if due.After(r.d.opts.Now()) {
			next = earliest(next, due)
			continue
		}
		wait, err := r.sendGroup(ctx, sendCtx, g.Group)
		if err != nil || !wait.IsZero() {
			return wait, err
		}
	}
	if r.delivery.Group.Repeat > 0 {
		wait, err := r.remind(ctx, sendCtx)
		if err != nil || !wait.IsZero() {
			return wait, err
		}
	}
	return next, nil
}

// groupDue is when a group's next message goes: Wait after its first
// pending alert when it is new (no message yet, or none for longer than
// Interval before that alert), else Interval after its last message; and
// never before its deliveries' backoff is over.
func (r *sinkRunner) groupDue(g store.PendingGroup) time.Time {
	gr := r.delivery.Group
	due := g.First.Add(gr.Wait)
	if !g.LastSent.IsZero() && !g.LastSent.Add(gr.Interval).Before(g.First) {
		due = g.LastSent.Add(gr.Interval)
	}
	if g.Due.After(due) {
		due = g.Due
	}
	return due
}

// sendGroup claims a group and sends its pending alerts as one message.
// It returns when to look again when the sink failed or its rate was
// reached.
func (r *sinkRunner) sendGroup(ctx, sendCtx context.Context, group string) (time.Time, error) {
	st := r.d.opts.Store
	c := store.Claim{Sink: r.name, Holder: r.d.opts.Holder, Group: group, Limit: maxGroup, Lease: 2*r.timeout + 2*leaseMargin}
	ds, claimed, err := st.ClaimGroup(ctx, c)
	if err != nil || !claimed {
		return time.Time{}, err
	}
	var outcomes []store.Outcome
	var todo []store.Delivery
	set := r.silences(ctx)
	for _, d := range ds {
		if sl, ok := set.Match(&d.Alert); ok {
			outcomes = append(outcomes, silenced(d, sl))
		} else {
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		r.record(outcomes)
		return time.Time{}, r.release(ctx, group, outcomes)
	}
	wait, err := r.slot(ctx)
	if err != nil || !wait.IsZero() {
		return wait, r.release(ctx, group, append(outcomes, released(todo)...))
	}
	alerts := make([]alert.Alert, len(todo))
	keys := make([]string, len(todo))
	for i, d := range todo {
		alerts[i], keys[i] = d.Alert, d.AlertKey
	}
	err = r.sink.SendGroup(sendCtx, alerts)
	switch {
	case err == nil:
		r.delivered(todo)
		for _, d := range todo {
			outcomes = append(outcomes, store.Outcome{ID: d.ID, State: store.DeliverySent, Attempted: true})
		}
		r.record(outcomes)
		sent := &store.GroupSent{Sink: r.name, Group: group, At: r.d.opts.Now(), Keys: keys}
		if err := r.finish(ctx, outcomes, sent); err != nil {
			return time.Time{}, err
		}
		r.recovered(ctx)
		return time.Time{}, nil
	case sendCtx.Err() != nil:
		return time.Time{}, r.release(ctx, group, append(outcomes, released(todo)...))
	}
	split := notify.IsPermanent(err) && len(todo) > 1
	for _, d := range todo {
		o := r.failure(d, err)
		if split {
			o = alone(d, group, err, r.d.opts.Now())
		}
		outcomes = append(outcomes, o)
	}
	r.record(outcomes)
	if rerr := r.release(ctx, group, outcomes); rerr != nil {
		return time.Time{}, rerr
	}
	if split {
		return r.d.opts.Now(), nil // the new groups are due now
	}
	return r.failed(ctx, err)
}

// release records outcomes and lets go of the group.
func (r *sinkRunner) release(ctx context.Context, group string, outcomes []store.Outcome) error {
	if err := r.finish(ctx, outcomes, nil); err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	return r.d.opts.Store.ReleaseGroup(rctx, r.name, group, r.d.opts.Holder)
}

// remind sends again the groups whose last message went Repeat ago and
// whose alerts are still open, and forgets those with none open.
func (r *sinkRunner) remind(ctx, sendCtx context.Context) (time.Time, error) {
	st := r.d.opts.Store
	quiet, err := st.QuietGroups(ctx, r.name, r.d.opts.Now().Add(-r.delivery.Group.Repeat))
	if err != nil {
		return time.Time{}, err
	}
	for _, g := range quiet {
		if ctx.Err() != nil {
			return time.Time{}, nil
		}
		_, claimed, err := st.ClaimGroup(ctx, store.Claim{Sink: r.name, Holder: r.d.opts.Holder, Group: g.Group, Lease: 2*r.timeout + 2*leaseMargin})
		if err != nil || !claimed {
			return time.Time{}, err
		}
		wait, err := r.remindGroup(ctx, sendCtx, g)
		if err != nil || !wait.IsZero() {
			return wait, err
		}
	}
	return time.Time{}, nil
}

// remindGroup sends the open, unsilenced alerts of a claimed quiet group
// again as one message.
func (r *sinkRunner) remindGroup(ctx, sendCtx context.Context, g store.QuietGroup) (time.Time, error) {
	st := r.d.opts.Store
	open, err := st.OpenAlerts(ctx, g.Keys)
	if err != nil {
		return time.Time{}, err
	}
	set := r.silences(ctx)
	var alerts []alert.Alert
	var keys []string
	for _, a := range open {
		if _, ok := set.Match(&a); !ok {
			alerts, keys = append(alerts, a), append(keys, a.AlertKey)
		}
	}
	if len(alerts) == 0 {
		return time.Time{}, st.ForgetGroup(ctx, r.name, g.Group, r.d.opts.Holder)
	}
	wait, err := r.slot(ctx)
	if err != nil || !wait.IsZero() {
		return wait, r.release(ctx, g.Group, nil)
	}
	if err := r.sink.SendGroup(sendCtx, alerts); err != nil {
		if rerr := r.release(ctx, g.Group, nil); rerr != nil || sendCtx.Err() != nil {
			return time.Time{}, rerr
		}
		r.d.metrics.failed.WithLabelValues(r.name).Inc()
		return r.failed(ctx, err)
	}
	r.d.metrics.reminders.WithLabelValues(r.name).Inc()
	return time.Time{}, r.finish(ctx, nil, &store.GroupSent{Sink: r.name, Group: g.Group, At: r.d.opts.Now(), Keys: keys, Replace: true})
}

// alone is the outcome of a delivery whose group message the receiver
// refused for good: perhaps for another alert of the group, so each goes
// again now in a group of its own, and only one refused alone is given
// up.
func alone(d store.Delivery, group string, err error, now time.Time) store.Outcome {
	return store.Outcome{ID: d.ID, State: store.DeliveryPending, Due: now, Attempted: true, Error: err.Error(),
		Group: group + "&alert=" + d.AlertKey}
}
