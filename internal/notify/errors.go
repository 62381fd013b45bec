package notify

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Error is a failed delivery. Every error a Sink returns is one.
type Error struct {
	// Sink is the name of the sink that failed.
	Sink string
	// Status is the receiver's HTTP status code, 0 when there was no HTTP
	// answer.
	Status int
	// Permanent is set when sending the same alerts again cannot succeed:
	// the receiver refused them (a 4xx answer other than 408 and 429), or
	// they cannot be encoded for it.
	Permanent bool
	// RetryAfter is the wait the receiver asked for before the next
	// attempt (Retry-After), 0 when it did not say.
	RetryAfter time.Duration
	// Err says what went wrong.
	Err error

	answer []byte // the start of the receiver's answer
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sink %s: %v", e.Sink, e.Err)
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err says that retrying cannot help.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// IsThrottled reports whether err is the receiver asking to send less
// (429 Too Many Requests).
func IsThrottled(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests
}

// RetryAfter returns the wait the receiver asked for in err, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// permanent wraps err as a permanent failure.
func permanent(err error) *Error { return &Error{Permanent: true, Err: err} }

// temporary wraps err as a failure worth retrying.
func temporary(err error) *Error { return &Error{Err: err} }

// statusError classifies an HTTP answer that was not a success; body is
// the start of the answer's body, quoted in the error once cleaned.
func statusError(resp *http.Response, body []byte, now time.Time) *Error {
	code := resp.StatusCode
	e := &Error{Status: code, answer: body}
	msg := fmt.Sprintf("the receiver answered %s", resp.Status)
	if s := cleanBody(body); s != "" {
		msg += ": " + s
	}
	e.Err = errors.New(msg)
	switch {
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	case code >= 300 && code < 400:
		e.Err = fmt.Errorf("%s; redirects are not followed: configure the URL it redirects to", msg)
		e.Permanent = true
	default:
		e.Permanent = true
	}
	return e
}

// maxRetryAfter caps the wait a receiver may ask for; a longer one is
// taken as this.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP
// date. It returns 0 for a missing, malformed or past value.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		d = time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// cleanBody keeps the start of an answer's body fit to quote in one line
// of a log: control characters become spaces, runs of spaces one, and it
// stops after 200 characters.
func cleanBody(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(string(b), " "))
	return clip(strings.Join(strings.Fields(s), " "), 200)
}
