package console

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// CSP is the Content-Security-Policy of every response: scripts, styles
// and images from the console's origin only, nothing inline, no frames,
// no plugins, forms posting to the console only.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers of every response.
func (c *Console) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if c.opts.HSTS {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if hd.Get("Cache-Control") == "" {
			hd.Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

// crossOrigin refuses changes that a browser sends from another origin,
// by the Sec-Fetch-Site and Origin headers browsers set.
var crossOrigin = http.NewCrossOriginProtection()

// sameOrigin refuses a change sent from another origin.
func (c *Console) sameOrigin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := crossOrigin.Check(r); err != nil {
			http.Error(w, "cross-origin request refused", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// MaxForm bounds the body of a form the console reads.
const MaxForm = 64 << 10

// checkCSRF checks a change: it must come from the console's origin and
// carry want, the session's CSRF token, in the form field _csrf or the
// header X-CSRF-Token.
func (c *Console) checkCSRF(r *http.Request, want string) error {
	if err := crossOrigin.Check(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, MaxForm)
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("_csrf")
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errors.New("missing or wrong CSRF token")
	}
	return nil
}

// limiter counts attempts per key in a sliding window: at most n in any
// span of per. It forgets keys whose window has passed, and bounds how
// many keys it holds.
type limiter struct {
	n   int
	per time.Duration
	now func() time.Time

	mu   sync.Mutex
	hits map[string][]time.Time
}

// maxLimiterKeys bounds the keys a limiter holds; past it, it forgets
// keys whose window has passed, then refuses new keys until some do.
const maxLimiterKeys = 100_000

func newLimiter(n int, per time.Duration, now func() time.Time) *limiter {
	return &limiter{n: n, per: per, now: now, hits: map[string][]time.Time{}}
}

// allow records an attempt for each key and reports whether every key
// is within its limit; when one is not, it returns how long to wait.
func (l *limiter) allow(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.hits) >= maxLimiterKeys {
		l.sweep(now)
	}
	wait := time.Duration(0)
	for _, k := range keys {
		recent := l.hits[k][:0]
		for _, t := range l.hits[k] {
			if now.Sub(t) < l.per {
				recent = append(recent, t)
			}
		}
		if len(recent) >= l.n {
			wait = max(wait, l.per-now.Sub(recent[0]))
		}
		l.hits[k] = recent
	}
	if wait > 0 {
		return false, wait
	}
	if len(l.hits) >= maxLimiterKeys {
		return false, l.per
	}
	for _, k := range keys {
		l.hits[k] = append(l.hits[k], now)
	}
	return true, 0
}

func (l *limiter) sweep(now time.Time) {
	for k, ts := range l.hits {
		if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= l.per {
			delete(l.hits, k)
		}
	}
}

// clientAddr is the address the request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
