package graph

import (
	"context"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
)

// limiter spaces requests out to a rate with a burst allowance (the
// generic cell rate algorithm), and holds every request back while Graph
// has asked the client to pause. It is safe for concurrent use.
type limiter struct {
	clock     clock.Clock
	interval  time.Duration // time per request; 0 means no rate limit
	tolerance time.Duration // how far ahead of schedule a burst may run
	mu        sync.Mutex
	tat       time.Time // theoretical arrival time of the next request
	paused    time.Time // no request starts before this time
}

// newLimiter returns a limiter for perSecond requests a second with the
// given burst. perSecond <= 0 means no rate limit.
func newLimiter(c clock.Clock, perSecond float64, burst int) *limiter {
	l := &limiter{clock: c}
	if perSecond > 0 {
		l.interval = time.Duration(float64(time.Second) / perSecond)
		l.tolerance = time.Duration(max(burst, 1)-1) * l.interval
	}
	return l
}

// wait blocks until the caller may send a request.
func (l *limiter) wait(ctx context.Context) error {
	return l.clock.Sleep(ctx, l.reserve())
}

// reserve books the next slot and returns how long to wait for it.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	start := now
	if l.paused.After(start) {
		start = l.paused
	}
	if l.interval > 0 {
		if earliest := l.tat.Add(-l.tolerance); earliest.After(start) {
			start = earliest
		}
		l.tat = later(l.tat, start).Add(l.interval)
	}
	return start.Sub(now)
}

// pause holds every request back until t.
func (l *limiter) pause(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused = later(l.paused, t)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
