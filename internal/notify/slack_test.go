package notify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// gotSlackMessage is a Block Kit message read back.
type gotSlackMessage struct {
	Text   string           `json:"text"`
	Blocks []map[string]any `json:"blocks"`
}

// slackLive finds what Slack's mrkdwn would turn into a mention or a
// link: anything between < and >, and an & that starts no escape.
var slackLive = regexp.MustCompile(`<|>|&(?:[^agl]|a[^m]|g[^t]|l[^t])`)

// checkSlackMessage fails unless body is a Block Kit message within
// Slack's limits: at most 50 blocks; a header of plain text up to 150
// characters; a section's text up to 3,000 characters and at most 10
// fields of up to 2,000; buttons with text up to 75 and a URL; characters
// counted as Slack counts them (UTF-16); mrkdwn with its reserved
// characters escaped. It returns the texts, in order.
func checkSlackMessage(t *testing.T, body []byte) []string {
	t.Helper()
	if !utf8.Valid(body) {
		t.Error("message is not UTF-8")
	}
	var m gotSlackMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("message is not JSON: %v", err)
	}
	if m.Text == "" || len(m.Blocks) == 0 || len(m.Blocks) > 50 {
		t.Errorf("text %q, %d blocks (1 to 50)", m.Text, len(m.Blocks))
	}
	if slackLive.MatchString(m.Text) {
		t.Errorf("unescaped mrkdwn in the message's text %q", m.Text)
	}
	var texts []string
	check := func(where string, v any, limit int, plain bool) {
		o, _ := v.(map[string]any)
		s, _ := o["text"].(string)
		typ := o["type"]
		switch {
		case s == "":
			t.Errorf("%s: no text", where)
		case units(s) > limit:
			t.Errorf("%s: %d characters, over %d", where, units(s), limit)
		case plain && typ != "plain_text":
			t.Errorf("%s: type %v, want plain_text", where, typ)
		case typ != "plain_text" && typ != "mrkdwn":
			t.Errorf("%s: type %v", where, typ)
		case typ == "mrkdwn" && slackLive.MatchString(s):
			t.Errorf("%s: unescaped mrkdwn in %q", where, clip(s, 200))
		}
		texts = append(texts, s)
	}
	for i, b := range m.Blocks {
		where := fmt.Sprintf("blocks[%d] %v", i, b["type"])
		switch b["type"] {
		case "header":
			check(where, b["text"], 150, true)
		case "section":
			fields, _ := b["fields"].([]any)
			if b["text"] == nil && len(fields) == 0 {
				t.Errorf("%s: neither text nor fields", where)
			}
			if b["text"] != nil {
				check(where, b["text"], 3000, false)
			}
			if len(fields) > 10 {
				t.Errorf("%s: %d fields, over 10", where, len(fields))
			}
			for j, f := range fields {
				check(fmt.Sprintf("%s field %d", where, j), f, 2000, false)
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				t.Errorf("%s: %d elements", where, len(els))
			}
			for j, e := range els {
				em, _ := e.(map[string]any)
				u, _ := em["url"].(string)
				if em["type"] != "button" || !strings.HasPrefix(u, "https://") || len(u) > 3000 {
					t.Errorf("%s element %d: %v", where, j, em)
				}
				check(fmt.Sprintf("%s button %d", where, j), em["text"], 75, true)
			}
		default:
			t.Errorf("%s: a block type the messages do not use", where)
		}
	}
	return texts
}

func TestSlackMessagesInEveryLanguage(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(lang, func(t *testing.T) {
			alerts, _ := demoAlerts(t, lang)
			rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
				w.Write([]byte("ok"))
				return true
			})
			s := mustSink(t, "slack:"+rc.URL+"/services/T000/B000/XXXX#lang="+lang, Options{})
			if n, err := s.Send(t.Context(), alerts); n != len(alerts) || err != nil {
				t.Fatalf("Send = %d, %v", n, err)
			}
			p := i18n.NewPrinter(lang)
			for i, d := range rc.deliveries() {
				texts := checkSlackMessage(t, d.body)
				joined := strings.Join(texts, "\n")
				a := alerts[i]
				for _, want := range []string{p.Level(a.Level), p.Sprintf("notify.outside-hours"), a.AlertKey, slackEscape(p.Row(a.GuideRow))} {
					if !strings.Contains(joined, want) {
						t.Errorf("alert %d (%s): message lacks %q", i, a.RuleID, want)
					}
				}
			}
		})
	}
}

func TestSlackHostileAlert(t *testing.T) {
	a := hostileAlert()
	a.Remediation = strings.Repeat("Rotate the secret & review <sign-ins>. ", 200)
	m := slackAlert(i18n.NewPrinter("en"), &a)
	body, err := marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	texts := checkSlackMessage(t, body)
	joined := strings.Join(append(texts, m.Text), "\n")
	for _, want := range []string{"&lt;!channel&gt;", "&lt;https://evil.example|Payroll&gt; &amp;amp; 給与", "(cut short)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("message lacks %q", want)
		}
	}
	if strings.Count(joined, "(cut short)") < 2 {
		t.Errorf("the evidence and the remediation should both be cut")
	}
}

// TestSlackLongTitle cuts a title of 200 Japanese characters to the
// header's 150, on a character boundary, and says so.
func TestSlackLongTitle(t *testing.T) {
	a := credentialAlert()
	a.Title = strings.Repeat("資格", 100)
	texts := checkSlackMessage(t, mustMarshal(t, slackAlert(i18n.NewPrinter("ja"), &a)))
	if !strings.HasSuffix(texts[0], " (長すぎるため省略)") || !strings.HasPrefix(texts[0], "資格資格") || units(texts[0]) > 150 {
		t.Errorf("header %q", texts[0])
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSlackGroup(t *testing.T) {
	alerts, _ := demoAlerts(t, "zh-TW")
	tests := []struct {
		n, blocks int
		last      string
	}{
		{3, 4, ""},
		{49, 50, ""},
		{120, 50, "……另有 72 則警示"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			var group []alert.Alert
			for len(group) < tt.n {
				group = append(group, alerts...)
			}
			group = group[:tt.n]
			rc := newReceiver(t, nil)
			s := mustSink(t, "slack:"+rc.URL+"#lang=zh-TW", Options{})
			if err := s.SendGroup(t.Context(), group); err != nil {
				t.Fatal(err)
			}
			body := rc.deliveries()[0].body
			texts := checkSlackMessage(t, body)
			var m gotSlackMessage
			json.Unmarshal(body, &m)
			if len(m.Blocks) != tt.blocks {
				t.Errorf("%d blocks, want %d", len(m.Blocks), tt.blocks)
			}
			if !strings.HasPrefix(texts[0], fmt.Sprintf("%d 則警示", tt.n)) {
				t.Errorf("header %q", texts[0])
			}
			if tt.last != "" && texts[len(texts)-1] != tt.last {
				t.Errorf("last text %q, want %q", texts[len(texts)-1], tt.last)
			}
		})
	}
}

func TestSlackGroupOnOtherSinks(t *testing.T) {
	s := mustSink(t, "file:"+t.TempDir()+"/a.jsonl", Options{})
	if s.Groups() {
		t.Error("a file sink says it groups")
	}
	if err := s.SendGroup(t.Context(), []alert.Alert{credentialAlert()}); !IsPermanent(err) {
		t.Errorf("SendGroup on a file sink = %v, want a permanent error", err)
	}
}

func TestSlackRateLimited(t *testing.T) {
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "rate_limited", http.StatusTooManyRequests)
		return true
	})
	s := mustSink(t, "slack:"+rc.URL, Options{})
	n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
	if n != 0 || IsPermanent(err) || RetryAfter(err).Seconds() != 30 {
		t.Errorf("Send = %d, %v; want a wait of 30s", n, err)
	}
}
