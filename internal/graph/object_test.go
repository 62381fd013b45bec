package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestGetObject(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !requireToken(t, r) {
			return
		}
		switch r.URL.Path {
		case "/v1.0/policies/authorizationPolicy":
			fmt.Fprint(w, `{"@odata.context":"x#policies/authorizationPolicy/$entity","id":"authorizationPolicy","defaultUserRolePermissions":{"allowedToCreateApps":false}}`)
		case "/v1.0/policies/adminConsentRequestPolicy":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`)
		case "/v1.0/broken":
			fmt.Fprint(w, `<html>`)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv, Config{})
	raw, err := c.Get(context.Background(), "/policies/authorizationPolicy", nil)
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ ID string }
	if err := json.Unmarshal(raw, &p); err != nil || p.ID != "authorizationPolicy" {
		t.Errorf("Get = %s, %v", raw, err)
	}
	_, err = c.Get(context.Background(), "/policies/adminConsentRequestPolicy", nil)
	var gerr *Error
	if !errors.As(err, &gerr) || !errors.Is(err, ErrForbidden) || gerr.Code != "Authorization_RequestDenied" {
		t.Errorf("a refused Get = %v", err)
	}
	if _, err := c.Get(context.Background(), "/broken", nil); err == nil {
		t.Error("a response that is not JSON was accepted")
	}
}

// TestPagesFollowsARMNextLink lists the way Azure Resource Manager pages:
// "nextLink" rather than "@odata.nextLink", with the api-version in it.
func TestPagesFollowsARMNextLink(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !requireToken(t, r) || r.URL.Query().Get("api-version") != "2022-04-01" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		if r.URL.Query().Get("$skipToken") == "" {
			fmt.Fprintf(w, `{"value":[{"id":"a"}],"nextLink":"%s/subscriptions/s/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$skipToken=2"}`, srv.URL)
			return
		}
		fmt.Fprint(w, `{"value":[{"id":"b"}]}`)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv, Config{BaseURL: srv.URL})
	var ids []string
	for item, err := range c.List(context.Background(), "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments", url.Values{"api-version": {"2022-04-01"}}) {
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ ID string }
		json.Unmarshal(item, &v)
		ids = append(ids, v.ID)
	}
	if fmt.Sprint(ids) != "[a b]" {
		t.Errorf("ids = %v, want [a b]", ids)
	}
}
