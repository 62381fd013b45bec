package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// DefaultWebhookSecretEnv is the environment variable that holds the
// webhook signing secret when the sink names none with secret-env=.
const DefaultWebhookSecretEnv = "APPWATCH_WEBHOOK_SECRET"

// secretPrefix starts a Standard Webhooks secret; base64 follows.
const secretPrefix = "whsec_"

// webhook POSTs each alert, as stored, to one URL, with the headers of
// the Standard Webhooks scheme: webhook-id (the alert key, the same on
// every attempt, so the receiver can drop repeats), webhook-timestamp,
// and webhook-signature when a secret is configured.
type webhook struct {
	post    *poster
	url     string
	secrets [][]byte
	now     func() time.Time
}

func newWebhook(cfg Config, target string, opts Options) (*webhook, error) {
	env, named := cfg.Options["secret-env"], true
	if env == "" {
		env, named = DefaultWebhookSecretEnv, false
	}
	v, _ := opts.LookupEnv(env)
	if strings.TrimSpace(v) == "" && named {
		return nil, i18n.Errorf("the environment variable %s named by secret-env= is empty or not set", env)
	}
	secrets, err := parseSecrets(v)
	if err != nil {
		return nil, i18n.Errorf("the environment variable %s: %w", env, err)
	}
	return &webhook{post: newPoster(opts), url: target, secrets: secrets, now: opts.Now}, nil
}

// parseSecrets reads signing secrets separated by spaces (several while a
// secret is being rotated), each whsec_ and 24 to 64 bytes in base64. Its
// errors never quote a secret.
func parseSecrets(v string) ([][]byte, error) {
	var out [][]byte
	for i, s := range strings.Fields(v) {
		b64, ok := strings.CutPrefix(s, secretPrefix)
		if !ok {
			return nil, i18n.Errorf("secret %d does not start with %s", i+1, secretPrefix)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, i18n.Errorf("secret %d is not base64 after %s", i+1, secretPrefix)
		}
		if len(key) < 24 || len(key) > 64 {
			return nil, i18n.Errorf("secret %d is %d bytes; a signing secret is 24 to 64 bytes", i+1, len(key))
		}
		out = append(out, key)
	}
	return out, nil
}

// Send posts each alert in its own request.
func (w *webhook) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	for i, a := range alerts {
		if err := w.send(ctx, a); err != nil {
			return i, err
		}
	}
	return len(alerts), nil
}

func (w *webhook) send(ctx context.Context, a alert.Alert) error {
	if a.AlertKey == "" {
		return permanent(fmt.Errorf("alert of rule %s has no alert key, which webhook-id must carry", a.RuleID))
	}
	body, err := storedJSON(a)
	if err != nil {
		return permanent(fmt.Errorf("alert %s: %w", a.AlertKey, err))
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	h := http.Header{}
	h.Set("webhook-id", a.AlertKey)
	h.Set("webhook-timestamp", ts)
	if len(w.secrets) > 0 {
		h.Set("webhook-signature", sign(w.secrets, a.AlertKey, ts, body))
	}
	_, err = w.post.post(ctx, w.url, h, body)
	return err
}

// sign writes the webhook-signature header: for each secret, "v1," and
// the base64 HMAC-SHA256 of id.timestamp.body, separated by spaces.
func sign(secrets [][]byte, id, ts string, body []byte) string {
	sigs := make([]string, len(secrets))
	for i, key := range secrets {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id + "." + ts + "."))
		m.Write(body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	return strings.Join(sigs, " ")
}

// Close closes the idle connections to the receiver.
func (w *webhook) Close() error {
	w.post.client.CloseIdleConnections()
	return nil
}
