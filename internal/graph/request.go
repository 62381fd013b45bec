package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/termtext"
)

// result is the outcome of one attempt.
type result struct {
	status int
	header http.Header
	body   []byte
	err    error // the request got no usable response
	final  bool  // err is not worth retrying
}

// get sends a GET for u until it succeeds, fails for good or runs out of
// attempts, and returns the response body.
func (c *Client) get(ctx context.Context, u *url.URL) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		res := c.send(ctx, u, attempt)
		if res.err == nil && res.status/100 == 2 {
			return res.body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("GET %s: %w", pathOf(u), context.Cause(ctx))
		}
		w, retry := c.backoff(attempt, res)
		if !retry || attempt >= c.maxAttempts {
			return nil, failure(u, res, attempt)
		}
		w.Path, w.Attempt, w.MaxAttempts, w.Status, w.Err = pathOf(u), attempt, c.maxAttempts, res.status, res.err
		c.log.DebugContext(ctx, "graph retry", "path", w.Path, "status", res.status,
			"attempt", attempt, "wait", w.Duration, "error", res.err)
		if c.onWait != nil {
			c.onWait(w)
		}
		if throttled(res.status) {
			c.limit.pause(c.clock.Now().Add(w.Duration))
		}
		if err := c.clock.Sleep(ctx, w.Duration); err != nil {
			return nil, fmt.Errorf("GET %s: waiting to retry: %w", w.Path, context.Cause(ctx))
		}
	}
}

// send makes one attempt: it takes a concurrency slot, waits for the rate
// limit, gets a token and sends the request, which must be answered in
// full within the client's timeout.
func (c *Client) send(ctx context.Context, u *url.URL, attempt int) result {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return result{err: ctx.Err(), final: true}
	}
	defer func() { <-c.sem }()
	if err := c.limit.wait(ctx); err != nil {
		return result{err: err, final: true}
	}
	tok, err := c.token(ctx)
	if err != nil {
		return result{err: err, final: true}
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return result{err: err, final: true}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	start := c.clock.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return result{err: c.attemptError(ctx, actx, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	res := result{status: resp.StatusCode, header: resp.Header, body: body}
	switch {
	case err != nil:
		res.err = c.attemptError(ctx, actx, err)
	case ctx.Err() == nil && actx.Err() != nil:
		// An answer that came as the attempt's time ran out may be what
		// the server sent once the request was cut off: take it as none.
		res.err = c.attemptError(ctx, actx, actx.Err())
	case len(body) > maxBody:
		res.err, res.final = fmt.Errorf("response larger than %d bytes", maxBody), true
	}
	c.log.DebugContext(ctx, "graph request", "method", http.MethodGet, "path", pathOf(u),
		"status", resp.StatusCode, "attempt", attempt, "elapsed", c.clock.Now().Sub(start))
	return res
}

// attemptError says why an attempt got no usable answer: its own timeout,
// which is worth another attempt, or err.
func (c *Client) attemptError(ctx, attempt context.Context, err error) error {
	if ctx.Err() == nil && attempt.Err() != nil {
		return fmt.Errorf("no answer within %s", c.timeout)
	}
	return err
}

// backoff decides whether to retry after a failed attempt and how long to
// wait first. Graph's Retry-After wins, up to MaxRetryAfter; without one
// the wait is drawn uniformly between zero and an exponentially growing
// ceiling.
func (c *Client) backoff(attempt int, res result) (Wait, bool) {
	switch {
	case res.final:
		return Wait{}, false
	case res.err != nil:
		return Wait{Duration: c.jittered(attempt)}, true
	case !retryable(res.status):
		return Wait{}, false
	}
	if d, ok := retryAfter(res.header, c.clock.Now()); ok {
		return Wait{Duration: min(d, c.maxRetryAfter), RetryAfter: d}, true
	}
	return Wait{Duration: c.jittered(attempt)}, true
}

// jittered returns a random wait in [0, ceiling], where the ceiling starts
// at firstBackoff and doubles with each attempt up to maxBackoff.
func (c *Client) jittered(attempt int) time.Duration {
	ceiling := firstBackoff
	for i := 1; i < attempt && ceiling < c.maxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.maxBackoff)
	return time.Duration(c.jitter(int64(ceiling) + 1))
}

// retryable reports whether a status is worth another attempt: throttling
// and the transient server errors.
func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func throttled(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// maxRetryAfterSeconds keeps a huge Retry-After from overflowing.
const maxRetryAfterSeconds = 7 * 24 * 3600

// retryAfter reads a Retry-After header given in seconds or as an HTTP
// date. A date in the past means no wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, maxRetryAfterSeconds)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// failure turns the last attempt into the error to return.
func failure(u *url.URL, res result, attempts int) error {
	if errors.Is(res.err, ErrSignIn) {
		return res.err // about the credential, not the request
	}
	if res.err != nil {
		return fmt.Errorf("GET %s (attempt %d): %w", pathOf(u), attempts, res.err)
	}
	return newError(http.MethodGet, pathOf(u), res.status, res.header, res.body, attempts)
}

// Wait is a pause the client makes before it tries a request again.
type Wait struct {
	// Path is the escaped path of the request.
	Path string
	// Attempt is the number of the attempt that failed, from 1, and
	// MaxAttempts the most the client makes.
	Attempt, MaxAttempts int
	// Status is the HTTP status of the failed attempt: 429 or 503 when
	// Graph is throttling, a 5xx for a server fault. It is 0 when the
	// attempt got no answer, and then Err says why.
	Status int
	Err    error
	// Duration is how long the client waits. RetryAfter is the wait Graph
	// asked for before MaxRetryAfter capped it, 0 when it asked for none.
	Duration, RetryAfter time.Duration
}

// String describes the wait in one line that is safe to print on a
// terminal.
func (w Wait) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s: ", w.Path)
	switch {
	case throttled(w.Status):
		fmt.Fprintf(&b, "Graph is throttling (%d %s)", w.Status, http.StatusText(w.Status))
	case w.Status != 0:
		fmt.Fprintf(&b, "%d %s", w.Status, http.StatusText(w.Status))
	case w.Err != nil:
		b.WriteString(termtext.Clip(termtext.Clean(w.Err.Error()), maxText))
	}
	fmt.Fprintf(&b, "; waiting %s before attempt %d of %d", w.Duration, w.Attempt+1, w.MaxAttempts)
	if w.RetryAfter > w.Duration {
		fmt.Fprintf(&b, " (Graph asked for %s; %s is the most this client waits)", w.RetryAfter, w.Duration)
	}
	return b.String()
}

// randInt63n returns a random number in [0, n).
func randInt63n(n int64) int64 { return rand.Int64N(n) }
