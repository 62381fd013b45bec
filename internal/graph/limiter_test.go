package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterSchedule(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		burst int
		want  []time.Duration
	}{
		{"no limit", -1, 0, []time.Duration{0, 0, 0, 0}},
		{"burst then spaced", 10, 3, []time.Duration{0, 0, 0, 100 * time.Millisecond, 200 * time.Millisecond}},
		{"burst of one", 4, 1, []time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := newFakeClock()
			l := newLimiter(fc, tc.rate, tc.burst)
			var got []time.Duration
			for range tc.want {
				got = append(got, l.reserve()) // the clock stands still
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("waits = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLimiterRefills(t *testing.T) {
	fc := newFakeClock()
	l := newLimiter(fc, 10, 2)
	l.reserve()
	l.reserve()
	fc.Sleep(context.Background(), time.Second) // idle long enough to earn the burst back
	if a, b, c := l.reserve(), l.reserve(), l.reserve(); a != 0 || b != 0 || c != 100*time.Millisecond {
		t.Errorf("after idling: waits %v %v %v, want 0 0 100ms", a, b, c)
	}
}

// TestRateAndConcurrencyOnTheWire measures, on the server, the times at
// which requests arrive and how many are in flight, while many goroutines
// list at once.
func TestRateAndConcurrencyOnTheWire(t *testing.T) {
	const (
		rate     = 40.0
		burst    = 3
		maxConc  = 3
		workers  = 8
		requests = 32
	)
	var (
		mu       sync.Mutex
		arrivals []time.Time
		inFlight atomic.Int64
		peak     atomic.Int64
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		time.Sleep(15 * time.Millisecond)
		json.NewEncoder(w).Encode(map[string]any{"value": []int{}})
	}))
	defer srv.Close()
	c := newTestClient(t, srv, Config{RequestsPerSecond: rate, Burst: burst, MaxConcurrent: maxConc})
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for i := w; i < requests; i += workers {
				for _, err := range c.List(context.Background(), "/things", nil) {
					if err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > maxConc || p < 2 {
		t.Errorf("peak in flight = %d, want 2..%d", p, maxConc)
	}
	if len(arrivals) != requests {
		t.Fatalf("%d arrivals, want %d", len(arrivals), requests)
	}
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	checkRate(t, start, arrivals, rate, burst)
}

// checkRate asserts that no window of one second holds more requests than
// the rate plus the burst (and one for timer slack), and that the whole
// run, from start, when the first request was sent, did not beat the
// schedule. The run is measured from start rather than from the first
// arrival, which a slow first connection (TLS under the race detector on
// a loaded machine) delays while the requests after it keep to the
// schedule.
func checkRate(t *testing.T, start time.Time, arrivals []time.Time, rate float64, burst int) {
	t.Helper()
	limit := int(rate) + burst + 1
	for i, from := range arrivals {
		n := 0
		for _, a := range arrivals[i:] {
			if a.Sub(from) >= time.Second {
				break
			}
			n++
		}
		if n > limit {
			t.Fatalf("%d requests in the second from arrival %d, limit %d", n, i, limit)
		}
	}
	span := arrivals[len(arrivals)-1].Sub(start)
	floor := time.Duration(float64(len(arrivals)-burst)/rate*float64(time.Second)) - 50*time.Millisecond
	if span < floor {
		t.Errorf("%d requests took %v; the rate allows no less than %v", len(arrivals), span, floor)
	}
}
