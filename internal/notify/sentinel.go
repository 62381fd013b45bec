package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// The Azure Monitor Logs Ingestion API.
const (
	// monitorScope is the token scope of the API (the double slash is
	// Azure Monitor's).
	monitorScope = "https://monitor.azure.com//.default"
	// ingestionAPIVersion is the API version the requests ask for.
	ingestionAPIVersion = "2023-01-01"
	// ingestionMaxBytes keeps a call under the API's 1 MB limit.
	ingestionMaxBytes = 1_000_000
)

// sentinel sends alerts to a Log Analytics table, the one Microsoft
// Sentinel reads, through a data collection rule (DCR) of the Logs
// Ingestion API: a JSON array of records per call, one record (a
// sentinelRecord) per alert.
type sentinel struct {
	pipeline runtime.Pipeline
	url      string
	now      func() time.Time
	timeout  time.Duration
}

func newSentinel(target string, opts Options) (*sentinel, error) {
	if opts.Credential == nil {
		return nil, i18n.Errorf("the Logs Ingestion API needs an Azure sign-in (the same options as appwatch posture collect)")
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, i18n.Errorf("the target is not a URL")
	}
	q := u.Query()
	q.Set("api-version", ingestionAPIVersion)
	u.RawQuery = q.Encode()
	client := *opts.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	pl := runtime.NewPipeline("appwatch", opts.Version,
		runtime.PipelineOptions{PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(opts.Credential, []string{monitorScope}, nil)}},
		&policy.ClientOptions{Transport: &client, Retry: policy.RetryOptions{MaxRetries: -1}})
	return &sentinel{pipeline: pl, url: u.String(), now: opts.Now, timeout: opts.Timeout}, nil
}

// ingestionPath reads the data collection rule's immutable id and the
// stream from the path of an ingestion URL:
// /dataCollectionRules/dcr-…/streams/Custom-….
func ingestionPath(path string) (dcr, stream string, err error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 4 || parts[0] != "dataCollectionRules" || parts[2] != "streams" {
		return "", "", i18n.Errorf("the URL's path is not /dataCollectionRules/DCR-IMMUTABLE-ID/streams/Custom-STREAM")
	}
	if dcr, stream = parts[1], parts[3]; !strings.HasPrefix(dcr, "dcr-") {
		return "", "", i18n.Errorf("the data collection rule's immutable id starts with dcr-")
	}
	if !strings.HasPrefix(stream, "Custom-") {
		return "", "", i18n.Errorf("the stream of a custom table starts with Custom-")
	}
	return dcr, stream, nil
}

// Send posts the alerts in calls of at most ingestionMaxBytes.
func (s *sentinel) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	sent := 0
	for sent < len(alerts) {
		body, n, err := s.batch(alerts[sent:])
		if err != nil {
			return sent, err
		}
		if err := s.send(ctx, body); err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// batch writes the JSON array of the leading alerts that fit in one call,
// at least one, and returns how many it took. An alert too large for a
// call on its own is a permanent failure.
func (s *sentinel) batch(alerts []alert.Alert) ([]byte, int, error) {
	body := []byte{'['}
	for i, a := range alerts {
		rec, err := s.record(a)
		if err != nil {
			return nil, 0, permanent(fmt.Errorf("alert %s: %w", a.AlertKey, err))
		}
		if len(rec)+2 > ingestionMaxBytes {
			if i > 0 {
				return append(body, ']'), i, nil
			}
			return nil, 0, permanent(fmt.Errorf("alert %s is %d bytes as a record, over the Logs Ingestion API's 1 MB a call", a.AlertKey, len(rec)))
		}
		if i > 0 && len(body)+1+len(rec)+1 > ingestionMaxBytes {
			return append(body, ']'), i, nil
		}
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, rec...)
	}
	return append(body, ']'), len(alerts), nil
}

// sentinelRecord is one row of the Log Analytics table. Its columns are
// the stored alert's fields named as Log Analytics names columns, and out
// of the way of the names it reserves (TenantId) or that KQL reads as
// something else (time, source): docs/delivery.md declares them for the
// data collection rule.
type sentinelRecord struct {
	TimeGenerated        string             `json:"TimeGenerated"` // when the alert was stored
	AlertKey             string             `json:"AlertKey"`
	Status               string             `json:"Status,omitempty"`
	GuideRow             string             `json:"GuideRow"`
	RuleID               string             `json:"RuleId"`
	Title                string             `json:"Title"`
	Level                string             `json:"Level"`
	ActivityTime         string             `json:"ActivityTime,omitempty"`
	EventID              string             `json:"EventId,omitempty"`
	EntraTenantID        string             `json:"EntraTenantId,omitempty"`
	Actor                alert.Actor        `json:"Actor"`
	Target               alert.Target       `json:"Target"`
	Evidence             map[string]any     `json:"Evidence"`
	Attack               []string           `json:"Attack"`
	OutsideBusinessHours bool               `json:"OutsideBusinessHours"`
	SourceRecord         alert.Source       `json:"SourceRecord"`
	Description          string             `json:"Description,omitempty"`
	Remediation          string             `json:"Remediation,omitempty"`
	ChangeWindow         string             `json:"ChangeWindow,omitempty"`
	ApprovedActor        bool               `json:"ApprovedActor"`
	CorrelationID        string             `json:"CorrelationId,omitempty"`
	Correlation          *alert.Correlation `json:"Correlation,omitempty"`
}

// record writes a as a row of the table.
func (s *sentinel) record(a alert.Alert) ([]byte, error) {
	t := s.now()
	if fs, err := time.Parse(time.RFC3339Nano, a.FirstSeen); err == nil {
		t = fs
	}
	r := sentinelRecord{
		TimeGenerated: t.UTC().Format(time.RFC3339Nano), AlertKey: a.AlertKey, Status: a.Status,
		GuideRow: a.GuideRow, RuleID: a.RuleID, Title: a.Title, Level: a.Level, ActivityTime: a.Time,
		EventID: a.EventID, EntraTenantID: a.TenantID, Actor: a.Actor, Target: a.Target,
		Evidence: a.Evidence, Attack: a.Attack, OutsideBusinessHours: a.OutsideBusinessHours, SourceRecord: a.Source,
		Description: a.Description, Remediation: a.Remediation, ChangeWindow: a.ChangeWindow,
		ApprovedActor: a.ApprovedActor, CorrelationID: a.CorrelationID, Correlation: a.Correlation,
	}
	if r.Evidence == nil {
		r.Evidence = map[string]any{}
	}
	if r.Attack == nil {
		r.Attack = []string{}
	}
	return marshal(r)
}

func (s *sentinel) send(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := runtime.NewRequest(ctx, http.MethodPost, s.url)
	if err != nil {
		return permanent(errors.New("cannot build the request"))
	}
	if err := req.SetBody(streaming.NopCloser(bytes.NewReader(body)), "application/json"); err != nil {
		return permanent(fmt.Errorf("request body: %w", err))
	}
	resp, err := s.pipeline.Do(req)
	if err != nil {
		return temporary(fmt.Errorf("post: %w", unwrapURL(err)))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(resp, answer, s.now())
	}
	return nil
}

// Close does nothing: the pipeline keeps no connection of its own.
func (s *sentinel) Close() error { return nil }
