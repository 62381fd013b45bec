package notify

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/graph"
)

const (
	testDCR      = "dcr-0123456789abcdef0123456789abcdef"
	testStream   = "Custom-Appwatch_CL"
	testClientID = "11111111-2222-3333-4444-555555555555"
	testToken    = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL21vbml0b3IuYXp1cmUuY29tIn0.c2ln"
)

// authority plays the Entra token endpoint of one tenant over TLS and
// keeps the forms of the token requests.
type authority struct {
	*httptest.Server
	mu    sync.Mutex
	forms []map[string]string
}

func newAuthority(t *testing.T) *authority {
	a := &authority{}
	a.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := a.URL + "/" + testTenant
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			json.NewEncoder(w).Encode(map[string]any{"token_endpoint": base + "/oauth2/v2.0/token",
				"authorization_endpoint": base + "/oauth2/v2.0/authorize", "issuer": base + "/v2.0"})
		case r.Method == http.MethodPost && r.URL.Path == "/"+testTenant+"/oauth2/v2.0/token":
			r.ParseForm()
			form := map[string]string{}
			for k := range r.PostForm {
				form[k] = r.PostForm.Get(k)
			}
			a.mu.Lock()
			a.forms = append(a.forms, form)
			a.mu.Unlock()
			json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": testToken})
		default:
			t.Errorf("unexpected authority request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

// ingestion plays the Logs Ingestion API of one data collection rule
// endpoint: it checks every call as the service does and keeps the
// records; answer, when set, may answer instead.
type ingestion struct {
	*httptest.Server
	mu      sync.Mutex
	calls   int
	records []map[string]any
	sizes   []int
	answer  func(n int, w http.ResponseWriter) bool
}

func newIngestion(t *testing.T) *ingestion {
	in := &ingestion{}
	in.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in.mu.Lock()
		n := in.calls
		in.calls++
		in.mu.Unlock()
		switch {
		case r.Method != http.MethodPost || r.URL.Path != "/dataCollectionRules/"+testDCR+"/streams/"+testStream:
			t.Errorf("call %s %s", r.Method, r.URL.Path)
		case r.URL.Query().Get("api-version") != "2023-01-01":
			t.Errorf("api-version %q", r.URL.Query().Get("api-version"))
		case r.Header.Get("Authorization") != "Bearer "+testToken:
			t.Errorf("Authorization %q", r.Header.Get("Authorization"))
		case r.Header.Get("Content-Type") != "application/json":
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		if in.answer != nil && in.answer(n, w) {
			return
		}
		body, _ := io.ReadAll(r.Body)
		if len(body) > 1_000_000 {
			http.Error(w, `{"error":{"code":"ContentLengthLimitExceeded"}}`, http.StatusRequestEntityTooLarge)
			return
		}
		var recs []map[string]any
		if err := json.Unmarshal(body, &recs); err != nil || len(recs) == 0 {
			http.Error(w, `{"error":{"code":"InvalidContent"}}`, http.StatusBadRequest)
			return
		}
		in.mu.Lock()
		in.records = append(in.records, recs...)
		in.sizes = append(in.sizes, len(body))
		in.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(in.Close)
	return in
}

// sentinelSink signs in against a fake authority with a client secret,
// as appwatch posture collect would, and sends to in.
func sentinelSink(t *testing.T, in *ingestion) (*Sink, *authority) {
	t.Helper()
	fa := newAuthority(t)
	cred, err := graph.NewCredential(graph.AuthConfig{Method: graph.AuthSecret, TenantID: testTenant, ClientID: testClientID,
		ClientSecret: "s3cret", AuthorityHost: fa.URL + "/", DisableInstanceDiscovery: true,
		ClientOptions: azcore.ClientOptions{Transport: fa.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	spec := "sentinel:" + in.URL + "/dataCollectionRules/" + testDCR + "/streams/" + testStream
	return mustSink(t, spec, Options{Credential: cred, HTTPClient: in.Client()}), fa
}

// recordColumns are the columns docs/delivery.md declares for the data
// collection rule's stream, with their types.
var recordColumns = map[string]string{
	"TimeGenerated": "datetime", "AlertKey": "string", "Status": "string", "GuideRow": "string", "RuleId": "string",
	"Title": "string", "Level": "string", "ActivityTime": "datetime", "EventId": "string", "EntraTenantId": "string",
	"Actor": "dynamic", "Target": "dynamic", "Evidence": "dynamic", "Attack": "dynamic", "OutsideBusinessHours": "boolean",
	"SourceRecord": "dynamic", "Description": "string", "Remediation": "string", "ChangeWindow": "string",
	"ApprovedActor": "boolean", "CorrelationId": "string", "Correlation": "dynamic",
}

// checkRecord fails unless rec is a's row, every column one the stream
// declares, of its type.
func checkRecord(t *testing.T, rec map[string]any, a alert.Alert) {
	t.Helper()
	for col, v := range rec {
		var ok bool
		switch recordColumns[col] {
		case "string":
			_, ok = v.(string)
		case "datetime":
			s, _ := v.(string)
			_, err := time.Parse(time.RFC3339Nano, s)
			ok = err == nil
		case "boolean":
			_, ok = v.(bool)
		case "dynamic":
			switch v.(type) {
			case map[string]any, []any:
				ok = true
			}
		}
		if !ok {
			t.Errorf("column %s = %v: not a declared %q column", col, v, recordColumns[col])
		}
	}
	want := map[string]any{"TimeGenerated": a.FirstSeen, "AlertKey": a.AlertKey, "Status": a.Status, "GuideRow": a.GuideRow,
		"RuleId": a.RuleID, "Title": a.Title, "Level": a.Level, "ActivityTime": a.Time, "EventId": a.EventID,
		"EntraTenantId": a.TenantID, "OutsideBusinessHours": a.OutsideBusinessHours, "Remediation": a.Remediation}
	for col, v := range want {
		if rec[col] != v {
			t.Errorf("column %s = %v, want %v", col, rec[col], v)
		}
	}
	ev, _ := json.Marshal(a.Evidence)
	got, _ := json.Marshal(rec["Evidence"])
	if string(ev) != string(got) {
		t.Errorf("Evidence = %s, want %s", clip(string(got), 100), clip(string(ev), 100))
	}
}

func TestSentinelRecords(t *testing.T) {
	in := newIngestion(t)
	s, fa := sentinelSink(t, in)
	alerts := []alert.Alert{credentialAlert(), hostileAlert()}
	if n, err := s.Send(t.Context(), alerts); n != 2 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	if n, err := s.Send(t.Context(), alerts[:1]); n != 1 || err != nil {
		t.Fatalf("second Send = %d, %v", n, err)
	}
	if len(in.records) != 3 || in.calls != 2 {
		t.Fatalf("%d calls with %d records, want 2 with 3", in.calls, len(in.records))
	}
	for i, rec := range in.records {
		checkRecord(t, rec, alerts[i%2])
	}
	fa.mu.Lock()
	defer fa.mu.Unlock()
	if len(fa.forms) != 1 {
		t.Fatalf("%d token requests, want 1 (the token is kept)", len(fa.forms))
	}
	if f := fa.forms[0]; !slices.Contains(strings.Fields(f["scope"]), "https://monitor.azure.com//.default") || f["grant_type"] != "client_credentials" || f["client_id"] != testClientID {
		t.Errorf("token request %v", f)
	}
}

// TestSentinelBatches sends 2.5 MB of alerts: every call stays under the
// API's 1 MB, and every alert arrives once, in order.
func TestSentinelBatches(t *testing.T) {
	var alerts []alert.Alert
	for i := range 600 {
		a := credentialAlert()
		a.Evidence = map[string]any{"padding": strings.Repeat("証", 1300), "n": i}
		alerts = append(alerts, stored(a, i))
	}
	in := newIngestion(t)
	s, _ := sentinelSink(t, in)
	if n, err := s.Send(t.Context(), alerts); n != len(alerts) || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	if len(in.sizes) < 3 {
		t.Errorf("%d calls, want at least 3 for 2.5 MB", len(in.sizes))
	}
	for i, rec := range in.records {
		if rec["AlertKey"] != alerts[i].AlertKey {
			t.Fatalf("record %d is %v, want %s", i, rec["AlertKey"], alerts[i].AlertKey)
		}
	}
	if len(in.records) != len(alerts) {
		t.Errorf("%d records, want %d", len(in.records), len(alerts))
	}
}

func TestSentinelRefusals(t *testing.T) {
	tests := []struct {
		name      string
		answer    func(w http.ResponseWriter)
		permanent bool
		wait      time.Duration
	}{
		{"throttled", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "10")
			http.Error(w, `{"error":{"code":"TooManyRequests"}}`, http.StatusTooManyRequests)
		}, false, 10 * time.Second},
		{"no role on the rule", func(w http.ResponseWriter) {
			http.Error(w, `{"error":{"code":"OperationFailed","message":"The authentication token provided does not have access to ingest data for the data collection rule"}}`, http.StatusForbidden)
		}, true, 0},
		{"unavailable", func(w http.ResponseWriter) { http.Error(w, "", http.StatusServiceUnavailable) }, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newIngestion(t)
			in.answer = func(_ int, w http.ResponseWriter) bool {
				tt.answer(w)
				return true
			}
			s, _ := sentinelSink(t, in)
			n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
			if n != 0 || err == nil || IsPermanent(err) != tt.permanent || RetryAfter(err) != tt.wait {
				t.Errorf("Send = %d, %v; want permanent %v, wait %v", n, err, tt.permanent, tt.wait)
			}
		})
	}
	t.Run("an alert over 1 MB", func(t *testing.T) {
		in := newIngestion(t)
		s, _ := sentinelSink(t, in)
		a := credentialAlert()
		a.Evidence = map[string]any{"huge": strings.Repeat("x", 1_100_000)}
		n, err := s.Send(t.Context(), []alert.Alert{credentialAlert(), a})
		if n != 1 || !IsPermanent(err) || !strings.Contains(err.Error(), "over the Logs Ingestion API's 1 MB") {
			t.Errorf("Send = %d, %v; want the first delivered and a permanent error", n, err)
		}
	})
}

func TestSentinelNeedsCredential(t *testing.T) {
	cfg, err := Parse("sentinel:https://dce.example.com/dataCollectionRules/" + testDCR + "/streams/" + testStream)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "needs an Azure sign-in") {
		t.Errorf("New without a credential: %v", err)
	}
}
