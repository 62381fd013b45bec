package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
)

// maxAnswer bounds how much of a receiver's answer is read.
const maxAnswer = 64 << 10

// poster sends the JSON bodies of the HTTP sinks.
type poster struct {
	client  *http.Client
	timeout time.Duration
	now     func() time.Time
	agent   string
}

func newPoster(opts Options) *poster {
	c := *opts.HTTPClient
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &poster{client: &c, timeout: opts.Timeout, now: opts.Now, agent: "appwatch/" + opts.Version}
}

// post sends body to url with the given headers and returns the start of
// the answer's body when the answer is a success (2xx). Its errors are
// *Error, classified by the answer.
func (p *poster) post(ctx context.Context, url string, header http.Header, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, permanent(errors.New("cannot build the request"))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", p.agent)
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, temporary(fmt.Errorf("post: %w", unwrapURL(err)))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp, answer, p.now())
	}
	return answer, nil
}

// unwrapURL drops the *url.Error around a transport error: it quotes the
// URL, which may be a secret.
func unwrapURL(err error) error {
	var u *url.Error
	if errors.As(err, &u) {
		return u.Err
	}
	return err
}

// storedJSON is the JSON of the stored alert, as the watch contract
// writes it: evidence always an object, attack always an array, HTML
// characters as they are.
func storedJSON(a alert.Alert) ([]byte, error) {
	if a.Evidence == nil {
		a.Evidence = map[string]any{}
	}
	if a.Attack == nil {
		a.Attack = []string{}
	}
	return marshal(a)
}

// marshal writes v as compact JSON without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
