package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// pagedServer serves /v1.0/things in pages of two items from a list of
// n, with absolute next links, and counts the requests per URL.
func pagedServer(t *testing.T, n int) (*httptest.Server, map[string]int, *sync.Mutex) {
	t.Helper()
	var mu sync.Mutex
	hits := map[string]int{}
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		if !requireToken(t, r) || r.URL.Path != "/v1.0/things" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		start := 0
		fmt.Sscan(r.URL.Query().Get("$skiptoken"), &start)
		page := map[string]any{"@odata.context": srv.URL + "/v1.0/$metadata#things"}
		items := []map[string]any{}
		for i := start; i < min(start+2, n); i++ {
			items = append(items, map[string]any{"id": fmt.Sprint(i)})
		}
		page["value"] = items
		if start+2 < n {
			page["@odata.nextLink"] = fmt.Sprintf("%s/v1.0/things?$select=id&$skiptoken=%d", srv.URL, start+2)
		}
		json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	return srv, hits, &mu
}

func TestListFollowsNextLinks(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			srv, hits, mu := pagedServer(t, n)
			c := newTestClient(t, srv, Config{})
			var ids []string
			for item, err := range c.List(context.Background(), "/things", url.Values{"$select": {"id"}}) {
				if err != nil {
					t.Fatal(err)
				}
				var v struct{ ID string }
				if err := json.Unmarshal(item, &v); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, v.ID)
			}
			if len(ids) != n {
				t.Fatalf("got %d items %v, want %d", len(ids), ids, n)
			}
			for i, id := range ids {
				if id != fmt.Sprint(i) {
					t.Errorf("item %d has id %s", i, id)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if want := max((n+1)/2, 1); len(hits) != want {
				t.Errorf("requested %d distinct URLs %v, want %d", len(hits), hits, want)
			}
			for u, k := range hits {
				if k != 1 {
					t.Errorf("%s requested %d times", u, k)
				}
			}
		})
	}
}

func TestPagesKeepContext(t *testing.T) {
	srv, _, _ := pagedServer(t, 3)
	c := newTestClient(t, srv, Config{})
	var contexts []string
	for p, err := range c.Pages(context.Background(), "things", nil) {
		if err != nil {
			t.Fatal(err)
		}
		contexts = append(contexts, p.Context)
	}
	want := srv.URL + "/v1.0/$metadata#things"
	if len(contexts) != 2 || contexts[0] != want || contexts[1] != want {
		t.Errorf("contexts = %q, want two of %q", contexts, want)
	}
}

func TestListStopsEarly(t *testing.T) {
	srv, hits, mu := pagedServer(t, 10)
	c := newTestClient(t, srv, Config{})
	for _, err := range c.List(context.Background(), "/things", nil) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 1 {
		t.Errorf("breaking out of the loop still fetched %v", hits)
	}
}

func TestNextLinkMustStayOnHost(t *testing.T) {
	var foreign int
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign++
		w.Write([]byte(`{"value":[]}`))
	}))
	defer other.Close()
	for name, link := range map[string]string{
		"other host":   other.URL + "/v1.0/things?$skiptoken=2",
		"plain http":   "", // filled in below
		"bad url":      "http://[::1",
		"other scheme": "ftp://example.com/x",
	} {
		t.Run(name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				l := link
				if l == "" {
					l = strings.Replace(srv.URL, "https://", "http://", 1) + "/v1.0/things?$skiptoken=2"
				}
				json.NewEncoder(w).Encode(map[string]any{"value": []int{1}, "@odata.nextLink": l})
			}))
			defer srv.Close()
			c := newTestClient(t, srv, Config{})
			var items int
			var err error
			for _, err = range c.List(context.Background(), "/things", nil) {
				if err != nil {
					break
				}
				items++
			}
			if err == nil || !strings.Contains(err.Error(), "next link") {
				t.Errorf("err = %v, want a next link error", err)
			}
			if items != 0 {
				t.Errorf("yielded %d items from a page whose next link is refused", items)
			}
		})
	}
	if foreign != 0 {
		t.Errorf("the foreign host got %d requests", foreign)
	}
}

func TestRelativeNextLink(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			json.NewEncoder(w).Encode(map[string]any{"value": []int{1}, "@odata.nextLink": "/v1.0/things?$skiptoken=x"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"value": []int{2}})
	}))
	defer srv.Close()
	c := newTestClient(t, srv, Config{})
	var got []string
	for item, err := range c.List(context.Background(), "/things", nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(item))
	}
	if !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("items = %v", got)
	}
}

func TestBadResponses(t *testing.T) {
	for name, body := range map[string]string{
		"not json":     `<html>oops</html>`,
		"no value":     `{"@odata.context":"x"}`,
		"value null":   `{"value":null}`,
		"value scalar": `{"value":3}`,
		"truncated":    `{"value":[{"id":"1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(body))
			}))
			defer srv.Close()
			c := newTestClient(t, srv, Config{})
			var err error
			for _, err = range c.List(context.Background(), "/applications", nil) {
				if err != nil {
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), "/v1.0/applications") || !strings.Contains(err.Error(), "decode") {
				t.Errorf("err = %v, want a decode error naming the path", err)
			}
		})
	}
}

func TestNewChecksConfig(t *testing.T) {
	cred := &fakeCred{}
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"no credential", Config{}, false},
		{"relative base", Config{Credential: cred, BaseURL: "/v1.0"}, false},
		{"bad scheme", Config{Credential: cred, BaseURL: "ftp://graph.example/v1.0"}, false},
		{"query in base", Config{Credential: cred, BaseURL: "https://graph.example/v1.0?x=1"}, false},
		{"defaults", Config{Credential: cred}, true},
		{"sovereign", Config{Credential: cred, BaseURL: "https://graph.microsoft.us/v1.0/"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New: err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				return
			}
			host := "https://graph.microsoft.com"
			if tc.cfg.BaseURL != "" {
				host = "https://graph.microsoft.us"
			}
			if want := []string{host + "/.default"}; !slices.Equal(c.scopes, want) {
				t.Errorf("scopes = %v, want %v", c.scopes, want)
			}
			if !strings.HasPrefix(c.BaseURL(), host) || strings.HasSuffix(c.BaseURL(), "/") {
				t.Errorf("BaseURL() = %q", c.BaseURL())
			}
		})
	}
}

func TestTokenScopes(t *testing.T) {
	srv, _, _ := pagedServer(t, 1)
	cred := &fakeCred{}
	c := newTestClient(t, srv, Config{Credential: cred, Scopes: []string{"api://mirror/.default"}})
	for _, err := range c.List(context.Background(), "/things", nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := cred.scopes.Load().([]string); !slices.Equal(got, []string{"api://mirror/.default"}) {
		t.Errorf("token scopes = %v", got)
	}
}

func TestTokenError(t *testing.T) {
	srv, hits, mu := pagedServer(t, 1)
	c := newTestClient(t, srv, Config{Credential: failingCred{}})
	var err error
	for _, err = range c.List(context.Background(), "/things", nil) {
	}
	if !errors.Is(err, ErrSignIn) || err.Error() != "sign-in failed: no way" {
		t.Errorf("err = %v, want the sign-in error alone", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 0 {
		t.Errorf("requests were sent without a token: %v", hits)
	}
}

func TestEncodeQuery(t *testing.T) {
	for _, tc := range []struct {
		in   url.Values
		want string
	}{
		{nil, ""},
		{url.Values{"$top": {"999"}, "$select": {"id,appId"}}, "$select=id%2CappId&$top=999"},
		{url.Values{"$filter": {"appId in ('a','b')"}}, "$filter=appId%20in%20%28%27a%27%2C%27b%27%29"},
		{url.Values{"$expand": {"owners($select=id)"}}, "$expand=owners%28%24select%3Did%29"},
		{url.Values{"a b": {"c+d"}}, "a%20b=c%2Bd"},
	} {
		if got := encodeQuery(tc.in); got != tc.want {
			t.Errorf("encodeQuery(%v) = %q, want %q", tc.in, got, tc.want)
		}
		back, err := url.ParseQuery(encodeQuery(tc.in))
		if err != nil || (len(tc.in) > 0 && fmt.Sprint(back) != fmt.Sprint(tc.in)) {
			t.Errorf("encodeQuery(%v) does not parse back: %v, %v", tc.in, back, err)
		}
	}
}

// TestRedirectsAreRefused answers with a redirect to another port, over
// https and over plain http, and to the same server, and checks that the
// client follows none of them: the token goes nowhere else and nothing
// from the other end is taken as data (CVE-2022-27776 in curl was the
// same leak).
func TestRedirectsAreRefused(t *testing.T) {
	var mu sync.Mutex
	leaked := map[string]int{}
	catch := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			leaked[name+" "+r.Header.Get("Authorization")]++
			mu.Unlock()
			w.Write([]byte(`{"value":[{"id":"planted"}]}`))
		})
	}
	plain := httptest.NewServer(catch("plain http"))
	defer plain.Close()
	tls := httptest.NewTLSServer(catch("other port"))
	defer tls.Close()
	for _, tc := range []struct {
		name   string
		status int
		target string // "" redirects to the same server
	}{
		{"302 to another port over http", http.StatusFound, plain.URL + "/v1.0/applications"},
		{"301 to another port over https", http.StatusMovedPermanently, tls.URL + "/v1.0/applications"},
		{"307 to another port", http.StatusTemporaryRedirect, tls.URL + "/collect"},
		{"308 on the same server", http.StatusPermanentRedirect, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits int
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits++
				if r.URL.Path == "/v1.0/elsewhere" {
					w.Write([]byte(`{"value":[{"id":"moved"}]}`))
					return
				}
				http.Redirect(w, r, cmpOr(tc.target, "/v1.0/elsewhere"), tc.status)
			}))
			defer srv.Close()
			hc := srv.Client()
			c := newTestClient(t, srv, Config{})
			c.http.Transport = hc.Transport
			var items []string
			var err error
			for item, e := range c.List(t.Context(), "/applications", nil) {
				if err = e; err != nil {
					break
				}
				items = append(items, string(item))
			}
			if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "not following the redirect") {
				t.Errorf("err = %v, want ErrRedirect", err)
			}
			if len(items) > 0 {
				t.Errorf("took %v from a redirect", items)
			}
			if hits != 1 {
				t.Errorf("the Graph server got %d requests, want 1 (a redirect is not retried)", hits)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) > 0 {
		t.Errorf("redirect targets got requests: %v", leaked)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestOwnHTTPClientCannotFollowRedirects checks that a caller's
// http.Client, even one told to follow redirects, is not followed, and
// is left as it was.
func TestOwnHTTPClientCannotFollowRedirects(t *testing.T) {
	var other int
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other++ }))
	defer plain.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL, http.StatusFound)
	}))
	defer srv.Close()
	own := srv.Client()
	follow := func(*http.Request, []*http.Request) error { return nil }
	own.CheckRedirect = follow
	c, err := New(Config{Credential: &fakeCred{}, BaseURL: srv.URL + "/v1.0", HTTPClient: own, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, err = range c.List(t.Context(), "/applications", nil) {
	}
	if !errors.Is(err, ErrRedirect) || other != 0 {
		t.Errorf("err = %v, redirect target hit %d times", err, other)
	}
	if own.CheckRedirect == nil || fmt.Sprintf("%p", own.CheckRedirect) != fmt.Sprintf("%p", follow) {
		t.Error("New changed the caller's http.Client")
	}
}

// TestNextLinkLoops serves lists whose next links never end: back to the
// same page, round two pages, and on to ever new pages. Each must stop
// with an error after a bounded number of requests.
func TestNextLinkLoops(t *testing.T) {
	for _, tc := range []struct {
		name     string
		next     func(skip int) int // the $skiptoken of the next page
		maxPages int
		requests int
		items    int // a page whose next link repeats is not yielded
		want     string
	}{
		{"to itself", func(skip int) int { return skip }, 0, 1, 0, "page 1 links back to a page already read"},
		{"round two pages", func(skip int) int { return 1 - skip }, 0, 2, 1, "page 2 links back to a page already read"},
		{"to the first page", func(skip int) int { return min(skip+1, 3) % 3 }, 0, 3, 2, "page 3 links back"},
		{"never ending", func(skip int) int { return skip + 1 }, 25, 25, 25, "more than 25 pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests int
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests++
				skip := 0
				fmt.Sscan(r.URL.Query().Get("$skiptoken"), &skip)
				json.NewEncoder(w).Encode(map[string]any{
					"value":           []map[string]int{{"n": skip}},
					"@odata.nextLink": fmt.Sprintf("/v1.0/things?$skiptoken=%d", tc.next(skip)),
				})
			}))
			defer srv.Close()
			c := newTestClient(t, srv, Config{MaxPages: tc.maxPages})
			var items int
			var err error
			for _, err = range c.List(t.Context(), "/things", url.Values{"$skiptoken": {"0"}}) {
				if err != nil {
					break
				}
				items++
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if requests != tc.requests {
				t.Errorf("%d requests, want %d", requests, tc.requests)
			}
			if items != tc.items {
				t.Errorf("%d items yielded, want %d", items, tc.items)
			}
		})
	}
}

// TestErrorsAreSafeForTerminals has Graph put terminal escapes in an
// error's code, message and request id, and in a next link's path, and
// checks that no error text carries them, and that a huge message is cut.
func TestErrorsAreSafeForTerminals(t *testing.T) {
	const esc = "\x1b]0;pwned\x07\x1b[2J"
	huge := strings.Repeat("x", 100_000)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("$skiptoken") {
		case "":
			json.NewEncoder(w).Encode(map[string]any{"value": []int{}, "@odata.nextLink": "/v1.0/things%1B%5B31m?$skiptoken=1"})
		default:
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
				"code": "Bad" + esc, "message": esc + huge, "innerError": map[string]any{"request-id": esc}}})
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv, Config{})
	var err error
	for _, err = range c.List(t.Context(), "/things", nil) {
	}
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	msg := err.Error()
	if strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Errorf("error text carries control characters: %q", msg[:min(len(msg), 300)])
	}
	if !strings.Contains(msg, "/v1.0/things%1B%5B31m") {
		t.Errorf("error does not name the escaped path: %.300s", msg)
	}
	if len(msg) > 2000 {
		t.Errorf("error text is %d bytes long", len(msg))
	}
}
