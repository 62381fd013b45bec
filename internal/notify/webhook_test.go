package notify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// verifyWebhook is the check a receiver makes, as docs/delivery.md shows
// it: the HMAC-SHA256 of id.timestamp.body under the secret, against each
// signature in the header, and a timestamp at most five minutes off.
func verifyWebhook(secret string, h http.Header, body []byte, now time.Time) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	ts, err2 := strconv.ParseInt(h.Get("webhook-timestamp"), 10, 64)
	if err != nil || err2 != nil || now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

// TestSignStandardVector signs the test vector of the Standard Webhooks
// specification, so any of its libraries can check appwatch's deliveries.
func TestSignStandardVector(t *testing.T) {
	keys, err := parseSecrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := sign(keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
}

// delivery is one request a test receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// receiver is an httptest server that records what it is sent and
// answers with what answer says for the n-th request (from 0).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []delivery
	answer func(n int, w http.ResponseWriter, r *http.Request) bool // true: answered
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request) bool) *receiver {
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.got)
		rc.got = append(rc.got, delivery{r.Header.Clone(), body})
		rc.mu.Unlock()
		if r.Method != http.MethodPost {
			t.Errorf("method %s, want POST", r.Method)
		}
		if rc.answer != nil && rc.answer(n, w, r) {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// contractFields are the fields of a stored alert (the alert contract's
// and the watch contract's) with the JSON type each must have.
var contractFields = map[string]string{
	"guide_row": "string", "rule_id": "string", "title": "string", "level": "string", "time": "string",
	"event_id": "string", "tenant_id": "string", "actor": "object", "target": "object", "evidence": "object",
	"attack": "array", "outside_business_hours": "bool", "source": "object",
	"alert_key": "string", "status": "string", "first_seen": "string",
}

// checkStoredAlert fails unless body is one stored alert, as the watch
// contract writes it, equal to want.
func checkStoredAlert(t *testing.T, body []byte, want alert.Alert) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v", err)
	}
	for name, typ := range contractFields {
		v, ok := m[name]
		if !ok {
			t.Errorf("field %s missing", name)
			continue
		}
		var got string
		switch v.(type) {
		case string:
			got = "string"
		case map[string]any:
			got = "object"
		case []any:
			got = "array"
		case bool:
			got = "bool"
		}
		if got != typ {
			t.Errorf("field %s is a %s, want a %s", name, got, typ)
		}
	}
	var a alert.Alert
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := storedJSON(want)
	gotJSON, _ := storedJSON(a)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("alert received:\n%s\nwant\n%s", gotJSON, wantJSON)
	}
}

func TestWebhookDelivers(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := firstSeen.Add(time.Hour)
	rc := newReceiver(t, nil)
	s := mustSink(t, "webhook:"+rc.URL+"/hooks/appwatch", Options{LookupEnv: env(map[string]string{DefaultWebhookSecretEnv: secret}), Now: fixedClock(now)})
	alerts := []alert.Alert{credentialAlert(), hostileAlert()}
	if n, err := s.Send(t.Context(), alerts); n != 2 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	got := rc.deliveries()
	if len(got) != 2 {
		t.Fatalf("%d requests, want 2", len(got))
	}
	for i, d := range got {
		if ct := d.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if id := d.header.Get("webhook-id"); id != alerts[i].AlertKey {
			t.Errorf("webhook-id %q, want the alert key %q", id, alerts[i].AlertKey)
		}
		if ts := d.header.Get("webhook-timestamp"); ts != strconv.FormatInt(now.Unix(), 10) {
			t.Errorf("webhook-timestamp %q", ts)
		}
		if !verifyWebhook(secret, d.header, d.body, now) {
			t.Errorf("signature %q does not verify", d.header.Get("webhook-signature"))
		}
		if verifyWebhook(secret, d.header, append(d.body, ' '), now) || verifyWebhook(secret, d.header, d.body, now.Add(10*time.Minute)) {
			t.Error("a changed body or a late delivery verifies")
		}
		checkStoredAlert(t, d.body, alerts[i])
	}
}

func TestWebhookSecrets(t *testing.T) {
	const (
		old   = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		fresh = "whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA=="
	)
	now := firstSeen.Add(time.Hour)
	t.Run("rotation signs with both", func(t *testing.T) {
		rc := newReceiver(t, nil)
		s := mustSink(t, "webhook:"+rc.URL+"#secret-env=HOOK_SECRETS", Options{LookupEnv: env(map[string]string{"HOOK_SECRETS": old + " " + fresh}), Now: fixedClock(now)})
		if _, err := s.Send(t.Context(), []alert.Alert{credentialAlert()}); err != nil {
			t.Fatal(err)
		}
		d := rc.deliveries()[0]
		if sigs := strings.Fields(d.header.Get("webhook-signature")); len(sigs) != 2 || !verifyWebhook(old, d.header, d.body, now) || !verifyWebhook(fresh, d.header, d.body, now) {
			t.Errorf("signatures %q do not verify with both secrets", sigs)
		}
	})
	t.Run("no secret, no signature", func(t *testing.T) {
		rc := newReceiver(t, nil)
		s := mustSink(t, "webhook:"+rc.URL, Options{})
		if _, err := s.Send(t.Context(), []alert.Alert{credentialAlert()}); err != nil {
			t.Fatal(err)
		}
		if h := rc.deliveries()[0].header; h.Get("webhook-signature") != "" || h.Get("webhook-id") == "" {
			t.Errorf("headers %v", h)
		}
	})
	for _, tt := range []struct {
		spec, value, want string
	}{
		{"webhook:https://soc.example.com#secret-env=MISSING", "", "MISSING named by secret-env= is empty or not set"},
		{"webhook:https://soc.example.com", "s3cr3tvalue", "secret 1 does not start with whsec_"},
		{"webhook:https://soc.example.com", "whsec_s3cr3t!!", "secret 1 is not base64"},
		{"webhook:https://soc.example.com", old + " whsec_czNjcjN0", "secret 2 is 6 bytes"},
	} {
		cfg, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		_, err = New(cfg, Options{LookupEnv: env(map[string]string{DefaultWebhookSecretEnv: tt.value})})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s with %q: error %v, want one saying %q without the secret", tt.spec, tt.value, err, tt.want)
		}
	}
}

// TestWebhookFailures checks what Send reports when the receiver fails:
// how many alerts were delivered, and whether to retry.
func TestWebhookFailures(t *testing.T) {
	tests := []struct {
		name      string
		answer    func(w http.ResponseWriter)
		permanent bool
		wait      time.Duration
		says      string
	}{
		{"server error", func(w http.ResponseWriter) { http.Error(w, "upstream down", http.StatusInternalServerError) }, false, 0, "500 Internal Server Error: upstream down"},
		{"throttled", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, false, 2 * time.Second, "429"},
		{"gone", func(w http.ResponseWriter) { http.Error(w, "no such hook", http.StatusGone) }, true, 0, "410 Gone: no such hook"},
		{"redirect", func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://elsewhere.example/")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}, true, 0, "redirects are not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) bool {
				if n == 1 {
					tt.answer(w)
					return true
				}
				return false
			})
			s := mustSink(t, "webhook:"+rc.URL+"/hook?token=s3cr3t", Options{})
			alerts := []alert.Alert{stored(credentialAlert(), 1), stored(credentialAlert(), 2), stored(credentialAlert(), 3)}
			n, err := s.Send(t.Context(), alerts)
			if n != 1 || err == nil {
				t.Fatalf("Send = %d, %v; want 1 and an error", n, err)
			}
			if IsPermanent(err) != tt.permanent || RetryAfter(err) != tt.wait || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q: permanent %v, retry after %v; want %v, %v, saying %q", err, IsPermanent(err), RetryAfter(err), tt.permanent, tt.wait, tt.says)
			}
			if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), s.Name()) {
				t.Errorf("error %q shows the URL's token or does not name the sink", err)
			}
			if tt.permanent {
				return
			}
			// The caller retries what was not delivered: each alert
			// arrives once.
			if m, err := s.Send(t.Context(), alerts[n:]); m != 2 || err != nil {
				t.Fatalf("retry: Send = %d, %v", m, err)
			}
			ids := map[string]int{}
			for i, d := range rc.deliveries() {
				if i != 1 {
					ids[d.header.Get("webhook-id")]++
				}
			}
			for _, a := range alerts {
				if ids[a.AlertKey] != 1 {
					t.Errorf("alert %s delivered %d times", a.AlertKey, ids[a.AlertKey])
				}
			}
		})
	}
}

func TestWebhookTimeoutAndKeys(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(_ int, _ http.ResponseWriter, r *http.Request) bool {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return false
	})
	defer close(release)
	s := mustSink(t, "webhook:"+rc.URL+"#timeout=50ms", Options{})
	n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
	if n != 0 || err == nil || IsPermanent(err) {
		t.Errorf("Send to a silent receiver = %d, %v; want 0 and an error to retry", n, err)
	}
	a := credentialAlert()
	a.AlertKey = ""
	if n, err := s.Send(t.Context(), []alert.Alert{a}); n != 0 || !IsPermanent(err) {
		t.Errorf("Send of an alert without key = %d, %v; want a permanent error", n, err)
	}
}
