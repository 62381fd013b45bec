// Package clock tells the time and waits, so that services that wait
// (sources polling on a schedule, leases that expire) can be run by
// tests on a clock they move by hand instead of by sleeping.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx's error in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// System is the wall clock.
type System struct{}

// Now returns the wall clock time.
func (System) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (System) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fake is a clock for tests: its time moves only when Advance or Set is
// called, and a Sleep ends when the clock reaches its end. It is safe for
// concurrent use.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	sleeper []*sleeper
	changed chan struct{} // closed and replaced whenever a sleep starts
}

type sleeper struct {
	until time.Time
	done  chan struct{}
}

// NewFake returns a fake clock at t.
func NewFake(t time.Time) *Fake {
	return &Fake{now: t, changed: make(chan struct{})}
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Sleep waits until the clock has advanced by d, or until ctx is done.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	f.mu.Lock()
	s := &sleeper{until: f.now.Add(d), done: make(chan struct{})}
	f.sleeper = append(f.sleeper, s)
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		f.remove(s)
		f.mu.Unlock()
		return ctx.Err()
	}
}

// remove forgets s; f.mu is held.
func (f *Fake) remove(s *sleeper) {
	for i, x := range f.sleeper {
		if x == s {
			f.sleeper = append(f.sleeper[:i], f.sleeper[i+1:]...)
			return
		}
	}
}

// Advance moves the clock forward by d and ends the sleeps that are over.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.set(f.now.Add(d))
}

// Set moves the clock to t, which must not be before its time, and ends
// the sleeps that are over.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t.After(f.now) {
		f.set(t)
	}
}

// set moves the clock to t; f.mu is held.
func (f *Fake) set(t time.Time) {
	f.now = t
	kept := f.sleeper[:0]
	for _, s := range f.sleeper {
		if s.until.After(t) {
			kept = append(kept, s)
			continue
		}
		close(s.done)
	}
	clear(f.sleeper[len(kept):])
	f.sleeper = kept
}

// Sleepers returns how many sleeps are under way.
func (f *Fake) Sleepers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sleeper)
}

// Next returns when the earliest sleep under way ends, and false when
// none is.
func (f *Fake) Next() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sleeper) == 0 {
		return time.Time{}, false
	}
	next := f.sleeper[0].until
	for _, s := range f.sleeper[1:] {
		if s.until.Before(next) {
			next = s.until
		}
	}
	return next, true
}

// WaitSleepers blocks until at least n sleeps are under way, or ctx is
// done, and reports whether they are.
func (f *Fake) WaitSleepers(ctx context.Context, n int) bool {
	for {
		f.mu.Lock()
		ok, changed := len(f.sleeper) >= n, f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return false
		}
	}
}
