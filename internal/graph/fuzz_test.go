package graph

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzDecodePage feeds arbitrary bytes to the list response decoder. It
// must fail with an error or return a page whose items are valid JSON.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{"id":"1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/applications?$skiptoken=x"}`))
	f.Add([]byte(`{"Value":[]}`))
	f.Add([]byte(`{"value":[1,"two",null,{"a":[]}]}`))
	f.Add([]byte(`{"value": {}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePage(data)
		if err != nil {
			return
		}
		for _, item := range p.Value {
			if !json.Valid(item) {
				t.Fatalf("invalid item %q", item)
			}
		}
	})
}

// FuzzNextLink checks that no next link, however odd, leads the client
// off its host.
func FuzzNextLink(f *testing.F) {
	f.Add("https://graph.microsoft.com/v1.0/applications?$skiptoken=x")
	f.Add("//evil.example/v1.0/applications")
	f.Add("https://graph.microsoft.com@evil.example/")
	f.Add("/v1.0/x")
	f.Add("https://GRAPH.microsoft.com:443/v1.0/")
	c, err := New(Config{Credential: &fakeCred{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, link string) {
		u, err := c.next(link)
		if err != nil || u == nil {
			return
		}
		if u.Scheme != "https" || !strings.EqualFold(u.Host, "graph.microsoft.com") {
			t.Fatalf("next(%q) = %s, off the base host", link, u)
		}
	})
}

// FuzzRetryAfter checks that any Retry-After gives a wait that is not
// negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-1", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("retryAfter(%q) = %v, %v", v, d, ok)
		}
	})
}
