package graph

import (
	"context"
	"encoding/json"
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
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	if err == nil || !strings.Contains(err.Error(), "get token") {
		t.Errorf("err = %v, want a token error", err)
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
