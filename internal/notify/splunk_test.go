package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// gotHECEvent is one event envelope read back.
type gotHECEvent struct {
	Time       *float64        `json:"time"`
	Host       string          `json:"host"`
	Source     string          `json:"source"`
	SourceType string          `json:"sourcetype"`
	Index      string          `json:"index"`
	Event      json.RawMessage `json:"event"`
}

// readHEC reads a request body as the collector does: JSON event
// envelopes one after the other, each with its event.
func readHEC(t *testing.T, body []byte) []gotHECEvent {
	t.Helper()
	var out []gotHECEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	for {
		var e gotHECEvent
		if err := dec.Decode(&e); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("event %d: %v", len(out), err)
		}
		if e.Time == nil || len(e.Event) == 0 || e.Source == "" || e.SourceType == "" {
			t.Fatalf("event %d: envelope %+v", len(out), e)
		}
		out = append(out, e)
	}
}

// hecReceiver plays the HTTP Event Collector: it checks the token and
// the path, and answers as the collector does.
func hecReceiver(t *testing.T, answer func(n int, w http.ResponseWriter) bool) *receiver {
	return newReceiver(t, func(n int, w http.ResponseWriter, r *http.Request) bool {
		if got := r.Header.Get("Authorization"); got != "Splunk 0b1e6d3c-hec-token" {
			t.Errorf("Authorization %q", got)
		}
		if r.URL.Path != "/services/collector/event" {
			t.Errorf("path %q", r.URL.Path)
		}
		if answer != nil && answer(n, w) {
			return true
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"text":"Success","code":0}`))
		return true
	})
}

var hecEnv = env(map[string]string{DefaultSplunkTokenEnv: "0b1e6d3c-hec-token"})

func TestSplunkEvents(t *testing.T) {
	rc := hecReceiver(t, nil)
	s := mustSink(t, "splunk:"+rc.URL+"#index=security&sourcetype=appwatch:alert:v1", Options{LookupEnv: hecEnv, Hostname: "watch-1"})
	alerts := []alert.Alert{credentialAlert(), hostileAlert()}
	if n, err := s.Send(t.Context(), alerts); n != 2 || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	got := rc.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d requests, want one batch", len(got))
	}
	events := readHEC(t, got[0].body)
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for i, e := range events {
		wantTime, _ := time.Parse(time.RFC3339, alerts[i].Time)
		if *e.Time != float64(wantTime.Unix()) || e.Host != "watch-1" || e.Source != "appwatch" || e.SourceType != "appwatch:alert:v1" || e.Index != "security" {
			t.Errorf("event %d envelope: time %v host %q source %q sourcetype %q index %q", i, *e.Time, e.Host, e.Source, e.SourceType, e.Index)
		}
		checkStoredAlert(t, e.Event, alerts[i])
	}
}

// TestSplunkBatches sends enough alerts for several requests: each stays
// under the batch size, and every alert arrives once, in order.
func TestSplunkBatches(t *testing.T) {
	demo, _ := demoAlerts(t, "en")
	var alerts []alert.Alert
	for i := range 400 {
		a := demo[i%len(demo)]
		a.Evidence = map[string]any{"padding": strings.Repeat("x", 3000), "n": i}
		alerts = append(alerts, stored(a, i))
	}
	rc := hecReceiver(t, nil)
	s := mustSink(t, "splunk:"+rc.URL, Options{LookupEnv: hecEnv})
	if n, err := s.Send(t.Context(), alerts); n != len(alerts) || err != nil {
		t.Fatalf("Send = %d, %v", n, err)
	}
	var keys []string
	got := rc.deliveries()
	for _, d := range got {
		if len(d.body) > hecMaxBytes {
			t.Errorf("request of %d bytes", len(d.body))
		}
		for _, e := range readHEC(t, d.body) {
			var a alert.Alert
			json.Unmarshal(e.Event, &a)
			keys = append(keys, a.AlertKey)
		}
	}
	if len(got) < 3 || len(keys) != len(alerts) {
		t.Fatalf("%d requests carried %d events, want at least 3 carrying %d", len(got), len(keys), len(alerts))
	}
	for i, k := range keys {
		if k != alerts[i].AlertKey {
			t.Fatalf("event %d is alert %s, want %s", i, k, alerts[i].AlertKey)
		}
	}
}

func TestSplunkRefusals(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		answer    string
		delivered int
		permanent bool
	}{
		{"bad event in the batch", 400, `{"text":"Invalid data format","code":6,"invalid-event-number":2}`, 2, true},
		{"bad request", 400, `{"text":"No data","code":5}`, 0, true},
		{"token disabled", 403, `{"text":"Token disabled","code":1}`, 0, true},
		{"busy", 503, `{"text":"Server is busy","code":9}`, 0, false},
		{"success that is not", 200, `{"text":"Internal server error","code":8}`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := hecReceiver(t, func(_ int, w http.ResponseWriter) bool {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.answer))
				return true
			})
			s := mustSink(t, "splunk:"+rc.URL+"/services/collector/event", Options{LookupEnv: hecEnv})
			alerts := []alert.Alert{stored(credentialAlert(), 1), stored(credentialAlert(), 2), stored(credentialAlert(), 3), stored(credentialAlert(), 4)}
			n, err := s.Send(t.Context(), alerts)
			if n != tt.delivered || err == nil || IsPermanent(err) != tt.permanent {
				t.Errorf("Send = %d, %v (permanent %v); want %d, permanent %v", n, err, IsPermanent(err), tt.delivered, tt.permanent)
			}
			if err != nil && strings.Contains(err.Error(), "0b1e6d3c") {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

func TestSplunkToken(t *testing.T) {
	for _, tt := range []struct {
		spec string
		env  map[string]string
		want string
	}{
		{"splunk:https://splunk.example.com:8088", nil, "APPWATCH_SPLUNK_TOKEN, which should hold the HEC token, is empty or not set"},
		{"splunk:https://splunk.example.com:8088#token-env=HEC", map[string]string{DefaultSplunkTokenEnv: "x"}, "HEC, which should hold"},
	} {
		cfg, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(cfg, Options{LookupEnv: env(tt.env)}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.spec, err, tt.want)
		}
	}
	rc := hecReceiver(t, nil)
	s := mustSink(t, fmt.Sprintf("splunk:%s#token-env=HEC", rc.URL), Options{LookupEnv: env(map[string]string{"HEC": " 0b1e6d3c-hec-token\n"})})
	if _, err := s.Send(t.Context(), []alert.Alert{credentialAlert()}); err != nil {
		t.Fatal(err)
	}
}
