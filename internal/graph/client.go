package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/appwatch/appwatch/internal/clock"
)

// Defaults for the fields of Config left at their zero value.
const (
	// DefaultBaseURL is Microsoft Graph v1.0 in the global cloud.
	DefaultBaseURL = "https://graph.microsoft.com/v1.0"
	// DefaultMaxConcurrent is how many requests may be in flight at once.
	DefaultMaxConcurrent = 4
	// DefaultRequestsPerSecond keeps under the tenant-wide budget of 150
	// requests a minute that Graph sets on listing applications with
	// keyCredentials selected.
	DefaultRequestsPerSecond = 2
	// DefaultBurst is how many requests may go out at once before the
	// rate limit spaces them.
	DefaultBurst = 4
	// DefaultMaxAttempts is how many times a request is sent before its
	// error is returned.
	DefaultMaxAttempts = 6
	// DefaultMaxBackoff caps the exponential backoff between attempts.
	DefaultMaxBackoff = 32 * time.Second
	// DefaultMaxRetryAfter caps how long the client honours a Retry-After.
	DefaultMaxRetryAfter = 2 * time.Minute
	// DefaultTimeout bounds one attempt of one request.
	DefaultTimeout = 2 * time.Minute
	// DefaultMaxPages caps the pages one listing follows: ten million
	// objects at 999 a page.
	DefaultMaxPages = 10_000
)

// firstBackoff is the backoff ceiling after the first failed attempt; it
// doubles with every further attempt up to MaxBackoff.
const firstBackoff = time.Second

// maxBody bounds the size of one response body.
const maxBody = 256 << 20

// Config configures a Client. Only Credential is required.
type Config struct {
	// Credential gets the access tokens, for example from NewCredential.
	Credential azcore.TokenCredential
	// BaseURL is the Graph endpoint with its version, for example
	// "https://graph.microsoft.us/v1.0" for US Government L4. Default
	// DefaultBaseURL.
	BaseURL string
	// Scopes are the token scopes. Default: the base URL's scheme and host
	// followed by "/.default".
	Scopes []string
	// HTTPClient sends the requests. Default: http.DefaultTransport. The
	// client never follows a redirect, whatever HTTPClient.CheckRedirect
	// says: a redirect fails the request with ErrRedirect.
	HTTPClient *http.Client
	// Timeout bounds one attempt of one request, from sending it to
	// reading the last byte of the answer. An attempt that runs out of
	// time is retried like a network error. Default DefaultTimeout.
	Timeout time.Duration
	// MaxConcurrent caps the requests in flight. Default DefaultMaxConcurrent.
	MaxConcurrent int
	// RequestsPerSecond is the client-side rate limit. Zero means
	// DefaultRequestsPerSecond; a negative value turns the limit off.
	RequestsPerSecond float64
	// Burst is how many requests may start back to back. Default DefaultBurst.
	Burst int
	// MaxAttempts bounds the attempts per request. Default DefaultMaxAttempts.
	MaxAttempts int
	// MaxBackoff caps the backoff used when Graph gives no Retry-After.
	// Default DefaultMaxBackoff.
	MaxBackoff time.Duration
	// MaxRetryAfter caps the wait Graph asks for. Default DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// MaxPages caps the pages one call of Pages or List follows; a longer
	// listing fails. Default DefaultMaxPages.
	MaxPages int
	// OnWait, when set, is called before every pause between two attempts
	// at a request, so that a caller can say why nothing is happening. It
	// is called on the goroutine that waits.
	OnWait func(Wait)
	// Logger receives debug records of every request. Default slog.Default().
	Logger *slog.Logger
}

// Client reads from Microsoft Graph. It is safe for concurrent use.
type Client struct {
	cred          azcore.TokenCredential
	base          *url.URL
	scopes        []string
	http          *http.Client
	sem           chan struct{}
	limit         *limiter
	clock         clock.Clock
	maxAttempts   int
	maxBackoff    time.Duration
	maxRetryAfter time.Duration
	maxPages      int
	timeout       time.Duration
	onWait        func(Wait)
	log           *slog.Logger
	jitter        func(n int64) int64
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.Credential == nil {
		return nil, errors.New("graph client: no credential")
	}
	base, err := parseBase(cmp.Or(cfg.BaseURL, DefaultBaseURL))
	if err != nil {
		return nil, err
	}
	rate := cfg.RequestsPerSecond
	if rate == 0 {
		rate = DefaultRequestsPerSecond
	}
	c := &Client{
		cred:          cfg.Credential,
		base:          base,
		scopes:        cfg.Scopes,
		http:          noRedirects(cfg.HTTPClient),
		sem:           make(chan struct{}, positive(cfg.MaxConcurrent, DefaultMaxConcurrent)),
		clock:         clock.System{},
		maxAttempts:   positive(cfg.MaxAttempts, DefaultMaxAttempts),
		maxBackoff:    positive(cfg.MaxBackoff, DefaultMaxBackoff),
		maxRetryAfter: positive(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		maxPages:      positive(cfg.MaxPages, DefaultMaxPages),
		timeout:       positive(cfg.Timeout, DefaultTimeout),
		onWait:        cfg.OnWait,
		log:           cfg.Logger,
		jitter:        randInt63n,
	}
	c.limit = newLimiter(c.clock, rate, positive(cfg.Burst, DefaultBurst))
	if len(c.scopes) == 0 {
		c.scopes = []string{base.Scheme + "://" + base.Host + "/.default"}
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c, nil
}

// noRedirects returns a copy of hc (or of a default client) that hands
// every redirect back to the caller instead of following it, so that the
// bearer token never goes to the place a redirect names.
func noRedirects(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// parseBase checks that raw is an absolute http(s) URL and drops any
// trailing slash from its path.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("graph base URL %q: %w", raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("graph base URL %q: want an absolute http or https URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("graph base URL %q: must not have a query or fragment", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// BaseURL returns the Graph endpoint the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// Page is one page of a Graph list response.
type Page struct {
	// Context is the page's @odata.context, which names what was listed.
	Context string
	// NextLink is the @odata.nextLink, empty on the last page.
	NextLink string
	// Value holds the page's items, undecoded.
	Value []json.RawMessage
}

// Pages lists the collection at path (relative to the base URL, such as
// "/applications") with the given query parameters, and yields every page
// in order, following @odata.nextLink. It stops at the first error, which
// it yields with a nil page. A next link to another origin, a next link
// back to a page already read, and a listing longer than MaxPages pages
// are errors.
func (c *Client) Pages(ctx context.Context, path string, query url.Values) iter.Seq2[*Page, error] {
	return func(yield func(*Page, error) bool) {
		u := c.resolve(path, query)
		seen := map[string]bool{}
		for n := 1; u != nil; n++ {
			if n > c.maxPages {
				yield(nil, fmt.Errorf("GET %s: more than %d pages; stopping", pathOf(u), c.maxPages))
				return
			}
			seen[u.String()] = true
			p, next, err := c.page(ctx, u)
			if err == nil && next != nil && seen[next.String()] {
				err = fmt.Errorf("GET %s: page %d links back to a page already read; stopping", pathOf(u), n)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) {
				return
			}
			u = next
		}
	}
}

// page reads and decodes the page at u, and returns it with the URL of
// the next one.
func (c *Client) page(ctx context.Context, u *url.URL) (*Page, *url.URL, error) {
	body, err := c.get(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	p, err := decodePage(body)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", pathOf(u), err)
	}
	next, err := c.next(p.NextLink)
	if err != nil {
		return nil, nil, err
	}
	return p, next, nil
}

// List lists the collection at path like Pages and yields its items one
// by one.
func (c *Client) List(ctx context.Context, path string, query url.Values) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		for p, err := range c.Pages(ctx, path, query) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, item := range p.Value {
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// resolve builds the URL of path under the base URL.
func (c *Client) resolve(path string, query url.Values) *url.URL {
	u := *c.base
	u.Path = c.base.Path + "/" + strings.TrimPrefix(path, "/")
	u.RawQuery = encodeQuery(query)
	return &u
}

// next parses a next link and checks that it stays on the base URL's
// scheme and host. It returns nil for an empty link.
func (c *Client) next(link string) (*url.URL, error) {
	if link == "" {
		return nil, nil
	}
	ref, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("next link %q: %w", link, err)
	}
	u := c.base.ResolveReference(ref)
	if u.Scheme != c.base.Scheme || !strings.EqualFold(u.Host, c.base.Host) {
		return nil, fmt.Errorf("next link %q leaves %s://%s; not following it", link, c.base.Scheme, c.base.Host)
	}
	return u, nil
}

// decodePage decodes a list response. It requires a "value" array. The
// next link is Graph's "@odata.nextLink" or, in Azure Resource Manager's
// lists, "nextLink".
func decodePage(body []byte) (*Page, error) {
	var wire struct {
		Context     string             `json:"@odata.context"`
		NextLink    string             `json:"@odata.nextLink"`
		ARMNextLink string             `json:"nextLink"`
		Value       *[]json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("decode list response: %w", err)
	}
	if wire.Value == nil {
		return nil, errors.New("decode list response: no value array")
	}
	return &Page{Context: wire.Context, NextLink: cmp.Or(wire.NextLink, wire.ARMNextLink), Value: *wire.Value}, nil
}

// pathOf returns the escaped path of u, which names a request in errors
// and logs without letting a next link put control characters in them.
func pathOf(u *url.URL) string { return u.EscapedPath() }

func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
