package graphpoll

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/graph"
)

// fakeGraph is an httptest server that answers the audit log listings as
// Microsoft Graph does: v1.0 directoryAudits and beta signIns, filtered
// on the activity time and the sign-in event type, newest first, paged
// with @odata.nextLink and $skiptoken. A record is listed only once the
// clock has reached the time it appears, which may be long after its
// activity time. It can answer 429 with Retry-After, or refuse a stream
// with 403.
type fakeGraph struct {
	t   testing.TB
	clk clock.Clock
	srv *httptest.Server

	mu       sync.Mutex
	records  []fakeRecord
	throttle int    // the next requests answered 429
	refuse   string // a stream answered 403
	revoked  string // a token answered 401
	requests []fakeRequest
}

// fakeRecord is one audit or sign-in record.
type fakeRecord struct {
	stream string    // "directoryAudits" or a sign-in event type
	id     string    // its id
	at     time.Time // its activity time
	appear time.Time // when Graph starts listing it
	body   []byte
}

// fakeRequest is a request the server answered.
type fakeRequest struct {
	token, stream, filter string
	status                int
}

func newFakeGraph(t testing.TB, clk clock.Clock) *fakeGraph {
	f := &fakeGraph{t: t, clk: clk}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// filterRE is the $filter the source sends: a time and, for sign-ins,
// an event type.
var filterRE = regexp.MustCompile(`^(activityDateTime|createdDateTime) ge (\S+)(?: and signInEventTypes/any\(t: t eq '(\w+)'\))?$`)

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	q := r.URL.Query()
	field, stream, from, err := f.parse(r.URL.Path, q.Get("$filter"))
	req := fakeRequest{token: token, stream: stream, filter: q.Get("$filter")}
	status := http.StatusOK
	switch {
	case token == "" || token == f.revoked:
		status = http.StatusUnauthorized
	case err != nil:
		status = http.StatusBadRequest
	case f.throttle > 0:
		f.throttle--
		w.Header().Set("Retry-After", "1")
		status = http.StatusTooManyRequests
	case stream == f.refuse:
		status = http.StatusForbidden
	}
	req.status = status
	f.requests = append(f.requests, req)
	if status != http.StatusOK {
		msg := fmt.Sprint(err)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": http.StatusText(status), "message": msg}})
		return
	}
	top, _ := strconv.Atoi(q.Get("$top"))
	if top <= 0 || top > 999 {
		top = 100
	}
	skip, _ := strconv.Atoi(q.Get("$skiptoken"))
	var list []fakeRecord
	now := f.clk.Now()
	for _, rec := range f.records {
		if rec.stream == stream && !rec.appear.After(now) && !rec.at.Before(from) {
			list = append(list, rec)
		}
	}
	slices.SortStableFunc(list, func(a, b fakeRecord) int { return b.at.Compare(a.at) })
	page := list[min(skip, len(list)):min(skip+top, len(list))]
	// The page is written as Graph writes it, records as stored.
	var b bytes.Buffer
	size := 256
	for _, rec := range page {
		size += len(rec.body) + 1
	}
	b.Grow(size)
	ctx, _ := json.Marshal(f.srv.URL + "/v1.0/$metadata#auditLogs/" + field)
	fmt.Fprintf(&b, `{"@odata.context":%s,"value":[`, ctx)
	for i, rec := range page {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(rec.body)
	}
	b.WriteByte(']')
	if skip+top < len(list) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("$skiptoken", strconv.Itoa(skip+top))
		link, _ := json.Marshal(f.srv.URL + r.URL.Path + "?" + next.Encode())
		fmt.Fprintf(&b, `,"@odata.nextLink":%s`, link)
	}
	b.WriteByte('}')
	w.Header().Set("Content-Type", "application/json")
	w.Write(b.Bytes())
}

// parse checks the path and filter and returns the collection, the
// stream and the time asked from.
func (f *fakeGraph) parse(path, filter string) (coll, stream string, from time.Time, err error) {
	m := filterRE.FindStringSubmatch(filter)
	if m == nil {
		return "", "", time.Time{}, fmt.Errorf("unsupported filter %q", filter)
	}
	from, err = time.Parse(time.RFC3339, m[2])
	if err != nil {
		return "", "", time.Time{}, fmt.Errorf("filter time %q: %v", m[2], err)
	}
	switch {
	case path == "/v1.0/auditLogs/directoryAudits" && m[1] == "activityDateTime" && m[3] == "":
		return "directoryAudits", "directoryAudits", from, nil
	case path == "/beta/auditLogs/signIns" && m[1] == "createdDateTime" && m[3] != "":
		return "signIns", m[3], from, nil
	}
	return "", "", time.Time{}, fmt.Errorf("%s does not take filter %q", path, filter)
}

// add adds records.
func (f *fakeGraph) add(recs ...fakeRecord) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = append(f.records, recs...)
}

// served returns the requests answered so far.
func (f *fakeGraph) served() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// setRefuse makes the server refuse stream with 403, or none when it is "".
func (f *fakeGraph) setRefuse(stream string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = stream
}

func (f *fakeGraph) setThrottle(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle = n
}

// testCred hands out a fixed token.
type testCred string

func (c testCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(c), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// clients returns v1.0 and beta clients of the server signed in with
// token, without a rate limit and waiting at most a millisecond when
// asked to retry after a while; waits records every pause.
func (f *fakeGraph) clients(t testing.TB, token string, waits *[]graph.Wait) (*graph.Client, *graph.Client) {
	var mu sync.Mutex
	c, err := graph.New(graph.Config{
		Credential: testCred(token), BaseURL: f.srv.URL + "/v1.0", HTTPClient: f.srv.Client(),
		RequestsPerSecond: -1, MaxRetryAfter: time.Millisecond, MaxBackoff: time.Millisecond,
		OnWait: func(w graph.Wait) {
			mu.Lock()
			defer mu.Unlock()
			if waits != nil {
				*waits = append(*waits, w)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, c.Version("beta")
}

// templates holds a Graph record of each kind from the rules' test
// records: an audit record that adds a credential, and a sign-in.
var (
	templateOnce sync.Once
	templates    map[string]map[string]any
)

func template(t testing.TB, kind string) map[string]any {
	templateOnce.Do(func() {
		templates = map[string]map[string]any{}
		for kind, file := range map[string]string{
			"audit":  "credential-added-to-app/match-graph.json",
			"signin": "ropc-signin/match-graph.json",
		} {
			b, err := os.ReadFile(filepath.Join("..", "..", "..", "rules", "testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			templates[kind] = m
		}
	})
	m := map[string]any{}
	b, _ := json.Marshal(templates[kind])
	json.Unmarshal(b, &m)
	return m
}

// guid makes a GUID of its own from s, so that records made from one
// template differ in what they change and who signs in.
func guid(s string) string {
	h := sha256.Sum256([]byte(s))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-4" + x[13:16] + "-8" + x[17:20] + "-" + x[20:32]
}

// audit returns a directory audit record with id and activity time at,
// listed from appear on: a credential added to an app of its own.
func audit(t testing.TB, id string, at, appear time.Time) fakeRecord {
	m := template(t, "audit")
	m["id"] = id
	m["activityDateTime"] = at.UTC().Format(time.RFC3339Nano)
	m["correlationId"] = guid("correlation " + id)
	target := m["targetResources"].([]any)[0].(map[string]any)
	target["id"] = guid("target " + id)
	for _, p := range target["modifiedProperties"].([]any) {
		p := p.(map[string]any)
		if v, ok := p["newValue"].(string); ok {
			p["newValue"] = strings.ReplaceAll(v, "22b2c3d4-e5f6-4071-9b2c-3d4e5f607182", guid("key "+id))
		}
	}
	b, _ := json.Marshal(m)
	return fakeRecord{stream: "directoryAudits", id: id, at: at, appear: appear, body: b}
}

// signIn returns a sign-in record of an event type, by a user of its own.
func signIn(t testing.TB, eventType, id string, at, appear time.Time) fakeRecord {
	m := template(t, "signin")
	m["id"] = id
	m["createdDateTime"] = at.UTC().Format(time.RFC3339Nano)
	m["signInEventTypes"] = []string{eventType}
	m["isInteractive"] = eventType == "interactiveUser"
	m["userId"] = guid("user " + id)
	m["userPrincipalName"] = id + "@contoso.com"
	m["correlationId"] = guid("correlation " + id)
	b, _ := json.Marshal(m)
	return fakeRecord{stream: eventType, id: id, at: at, appear: appear, body: b}
}
