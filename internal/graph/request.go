package graph

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
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
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("GET %s: %w", u.Path, err)
		}
		wait, retry := c.backoff(attempt, res)
		if !retry || attempt >= c.maxAttempts {
			return nil, failure(u, res, attempt)
		}
		c.log.DebugContext(ctx, "graph retry", "path", u.Path, "status", res.status,
			"attempt", attempt, "wait", wait, "error", res.err)
		if throttled(res.status) {
			c.limit.pause(c.clock.Now().Add(wait))
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("GET %s: waiting to retry: %w", u.Path, err)
		}
	}
}

// send makes one attempt: it takes a concurrency slot, waits for the rate
// limit, gets a token and sends the request.
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
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: c.scopes})
	if err != nil {
		return result{err: fmt.Errorf("get token: %w", err), final: true}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return result{err: err, final: true}
	}
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	req.Header.Set("Accept", "application/json")
	start := c.clock.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	res := result{status: resp.StatusCode, header: resp.Header, body: body, err: err}
	if err == nil && len(body) > maxBody {
		res.err, res.final = fmt.Errorf("response larger than %d bytes", maxBody), true
	}
	c.log.DebugContext(ctx, "graph request", "method", http.MethodGet, "path", u.Path,
		"status", resp.StatusCode, "attempt", attempt, "elapsed", c.clock.Now().Sub(start))
	return res
}

// backoff decides whether to retry after a failed attempt and how long to
// wait first. Graph's Retry-After wins; without one the wait is drawn
// uniformly between zero and an exponentially growing ceiling.
func (c *Client) backoff(attempt int, res result) (time.Duration, bool) {
	switch {
	case res.final:
		return 0, false
	case res.err != nil:
		return c.jittered(attempt), true
	case !retryable(res.status):
		return 0, false
	}
	if d, ok := retryAfter(res.header, c.clock.Now()); ok {
		return min(d, c.maxRetryAfter), true
	}
	return c.jittered(attempt), true
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
	if res.err != nil {
		return fmt.Errorf("GET %s (attempt %d): %w", u.Path, attempts, res.err)
	}
	return newError(http.MethodGet, u.Path, res.status, res.header, res.body, attempts)
}

// randInt63n returns a random number in [0, n).
func randInt63n(n int64) int64 { return rand.Int64N(n) }
