package notify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStatusError(t *testing.T) {
	now := time.Date(2026, 6, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		code       int
		retryAfter string
		permanent  bool
		wait       time.Duration
	}{
		{http.StatusBadRequest, "", true, 0},
		{http.StatusUnauthorized, "", true, 0},
		{http.StatusForbidden, "", true, 0},
		{http.StatusNotFound, "", true, 0},
		{http.StatusGone, "", true, 0},
		{http.StatusRequestEntityTooLarge, "", true, 0},
		{http.StatusBadRequest, "30", true, 0}, // a refusal is not retried, whatever it says
		{http.StatusMovedPermanently, "", true, 0},
		{http.StatusRequestTimeout, "", false, 0},
		{http.StatusTooManyRequests, "7", false, 7 * time.Second},
		{http.StatusTooManyRequests, now.Add(90 * time.Second).Format(http.TimeFormat), false, 90 * time.Second},
		{http.StatusTooManyRequests, "soon", false, 0},
		{http.StatusInternalServerError, "", false, 0},
		{http.StatusBadGateway, "", false, 0},
		{http.StatusServiceUnavailable, "120", false, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.code, tt.retryAfter), func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.code, Status: fmt.Sprintf("%d %s", tt.code, http.StatusText(tt.code)), Header: http.Header{}}
			if tt.retryAfter != "" {
				resp.Header.Set("Retry-After", tt.retryAfter)
			}
			var err error = statusError(resp, []byte("  no\x00such\r\n  channel  "), now)
			if IsPermanent(err) != tt.permanent || RetryAfter(err) != tt.wait {
				t.Errorf("permanent %v, retry after %v; want %v, %v", IsPermanent(err), RetryAfter(err), tt.permanent, tt.wait)
			}
			if !strings.Contains(err.Error(), "no such channel") {
				t.Errorf("error %q does not quote the cleaned answer", err)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 6, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{" 12 ", 12 * time.Second},
		{"999999999999", maxRetryAfter},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{now.Add(3 * time.Hour).Format(http.TimeFormat), maxRetryAfter},
		{"Sun, 07 Jun 2026 10:00:30 GMT", 30 * time.Second},
		{"1.5", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.v, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	base := &Error{Sink: "slack:env:X", Status: 429, RetryAfter: 3 * time.Second, Err: errors.New("the receiver answered 429")}
	wrapped := fmt.Errorf("deliver: %w", base)
	if IsPermanent(wrapped) || RetryAfter(wrapped) != 3*time.Second {
		t.Errorf("wrapped: permanent %v, retry after %v", IsPermanent(wrapped), RetryAfter(wrapped))
	}
	if want := "sink slack:env:X: the receiver answered 429 (retry after 3s)"; base.Error() != want {
		t.Errorf("Error() = %q, want %q", base.Error(), want)
	}
	if IsPermanent(errors.New("plain")) || RetryAfter(errors.New("plain")) != 0 {
		t.Error("a plain error is taken for a classified one")
	}
}

// FuzzRetryAfter checks that any Retry-After gives a wait from zero to
// an hour.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Sun, 07 Jun 2026 10:00:30 GMT", "-1", "1e9", "Sunday, 07-Jun-26 10:00:30 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d := parseRetryAfter(v, time.Date(2026, 6, 7, 10, 0, 0, 0, time.UTC)); d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %v", v, d)
		}
	})
}
