package notify

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// DefaultSplunkTokenEnv is the environment variable that holds the HEC
// token when the sink names none with token-env=.
const DefaultSplunkTokenEnv = "APPWATCH_SPLUNK_TOKEN"

// hecPath is where the HTTP Event Collector takes JSON events.
const hecPath = "/services/collector/event"

// hecMaxBytes bounds one request's body; Splunk Cloud refuses bodies over
// 1 MB, and smaller requests retry faster.
const hecMaxBytes = 512 << 10

// splunk sends alerts as events to Splunk's HTTP Event Collector, many to
// a request: each event's body is the stored alert.
type splunk struct {
	post     *poster
	url      string
	token    string
	index    string
	source   string
	srcType  string
	hostname string
	now      func() time.Time
}

func newSplunk(cfg Config, target string, opts Options) (*splunk, error) {
	env := cfg.Options["token-env"]
	if env == "" {
		env = DefaultSplunkTokenEnv
	}
	token, _ := opts.LookupEnv(env)
	if token = strings.TrimSpace(token); token == "" {
		return nil, i18n.Errorf("the environment variable %s, which should hold the HEC token, is empty or not set", env)
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, i18n.Errorf("the target is not a URL")
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = hecPath
	}
	return &splunk{
		post: newPoster(opts), url: u.String(), token: token,
		index: cfg.Options["index"], source: cmp.Or(cfg.Options["source"], "appwatch"),
		srcType: cmp.Or(cfg.Options["sourcetype"], "appwatch:alert"), hostname: opts.Hostname, now: opts.Now,
	}, nil
}

// hecEvent is the envelope of one event.
type hecEvent struct {
	Time       float64         `json:"time"`
	Host       string          `json:"host,omitempty"`
	Source     string          `json:"source"`
	SourceType string          `json:"sourcetype"`
	Index      string          `json:"index,omitempty"`
	Event      json.RawMessage `json:"event"`
}

// hecAnswer is what the collector answers.
type hecAnswer struct {
	Text string `json:"text"`
	Code int    `json:"code"`
	// InvalidEvent is the index, in the request, of the event the
	// collector could not read; those before it were indexed.
	InvalidEvent *int `json:"invalid-event-number"`
}

// Send posts the alerts in batches of at most hecMaxBytes.
func (s *splunk) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	sent := 0
	for sent < len(alerts) {
		body, n, err := s.batch(alerts[sent:])
		if err != nil {
			return sent, err
		}
		if err := s.send(ctx, body); err != nil {
			if k, ok := invalidEvent(err, n); ok {
				return sent + k, err
			}
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// batch writes the events of the leading alerts that fit in one request,
// at least one, and returns how many it took.
func (s *splunk) batch(alerts []alert.Alert) ([]byte, int, error) {
	var body []byte
	for i, a := range alerts {
		ev, err := s.event(a)
		if err != nil {
			return nil, 0, permanent(fmt.Errorf("alert %s: %w", a.AlertKey, err))
		}
		if i > 0 && len(body)+1+len(ev) > hecMaxBytes {
			return body, i, nil
		}
		if i > 0 {
			body = append(body, '\n')
		}
		body = append(body, ev...)
	}
	return body, len(alerts), nil
}

func (s *splunk) event(a alert.Alert) ([]byte, error) {
	raw, err := storedJSON(a)
	if err != nil {
		return nil, err
	}
	t := eventTime(a, s.now)
	return marshal(hecEvent{Time: float64(t.UnixMilli()) / 1000, Host: s.hostname, Source: s.source,
		SourceType: s.srcType, Index: s.index, Event: raw})
}

// eventTime is when the alert's activity happened, or when it was
// stored, or now.
func eventTime(a alert.Alert, now func() time.Time) time.Time {
	for _, s := range []string{a.Time, a.FirstSeen} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
	}
	return now()
}

func (s *splunk) send(ctx context.Context, body []byte) error {
	h := http.Header{}
	h.Set("Authorization", "Splunk "+s.token)
	answer, err := s.post.post(ctx, s.url, h, body)
	if err != nil {
		return err
	}
	var ans hecAnswer
	if json.Unmarshal(answer, &ans) == nil && ans.Code != 0 {
		return temporary(fmt.Errorf("the collector answered code %d: %s", ans.Code, cleanBody([]byte(ans.Text))))
	}
	return nil
}

// invalidEvent reads, from the collector's refusal of a request of n
// events, the index of the event it could not read: the ones before it
// were indexed.
func invalidEvent(err error, n int) (int, bool) {
	e, ok := err.(*Error)
	if !ok || e.Status != http.StatusBadRequest {
		return 0, false
	}
	var ans hecAnswer
	if json.Unmarshal(e.answer, &ans) != nil || ans.InvalidEvent == nil || *ans.InvalidEvent < 0 || *ans.InvalidEvent >= n {
		return 0, false
	}
	return *ans.InvalidEvent, true
}

// Close closes the idle connections to the collector.
func (s *splunk) Close() error {
	s.post.client.CloseIdleConnections()
	return nil
}
