package notify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// A Teams Workflows message, read back the way a test checks it.
type (
	gotTeamsMessage struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string  `json:"contentType"`
			Content     gotCard `json:"content"`
		} `json:"attachments"`
	}
	gotCard struct {
		Schema  string           `json:"$schema"`
		Type    string           `json:"type"`
		Version string           `json:"version"`
		Lang    string           `json:"lang"`
		Body    []map[string]any `json:"body"`
		Actions []map[string]any `json:"actions"`
	}
)

// mdLink finds Markdown link syntax that no backslash escapes.
var mdLink = regexp.MustCompile(`(^|[^\\])\[[^\]]*[^\\]\]\(`)

// checkTeamsMessage fails unless body is a message a Teams Workflows
// webhook posts as a card: the message envelope with one Adaptive Card
// attachment, schema version 1.4, each element of a known type with the
// properties it requires, text valid UTF-8 without live Markdown links,
// links to https pages, all within Teams' 28 KB. It returns the card's
// texts, in order.
func checkTeamsMessage(t *testing.T, body []byte) (gotCard, []string) {
	t.Helper()
	if len(body) > 28*1024 {
		t.Errorf("message is %d bytes, over Teams' 28 KB", len(body))
	}
	if !utf8.Valid(body) {
		t.Error("message is not UTF-8")
	}
	var m gotTeamsMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("message is not JSON: %v", err)
	}
	if m.Type != "message" || len(m.Attachments) != 1 || m.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" {
		t.Fatalf("envelope: type %q, %d attachments", m.Type, len(m.Attachments))
	}
	c := m.Attachments[0].Content
	if c.Type != "AdaptiveCard" || c.Version != "1.4" || c.Schema != "http://adaptivecards.io/schemas/adaptive-card.json" || len(c.Body) == 0 {
		t.Errorf("card: type %q, version %q, schema %q, %d elements", c.Type, c.Version, c.Schema, len(c.Body))
	}
	var texts []string
	text := func(where string, v any) {
		s, ok := v.(string)
		if !ok || s == "" {
			t.Errorf("%s: text %v, want a non-empty string", where, v)
			return
		}
		if mdLink.MatchString(s) {
			t.Errorf("%s: live Markdown link in %q", where, s)
		}
		texts = append(texts, s)
	}
	for i, el := range c.Body {
		where := fmt.Sprintf("body[%d] %v", i, el["type"])
		switch el["type"] {
		case "TextBlock":
			text(where, el["text"])
		case "FactSet":
			facts, ok := el["facts"].([]any)
			if !ok || len(facts) == 0 {
				t.Errorf("%s: no facts", where)
			}
			for _, f := range facts {
				fm, _ := f.(map[string]any)
				text(where+" title", fm["title"])
				text(where+" value", fm["value"])
			}
		default:
			t.Errorf("%s: an element type the cards do not use", where)
		}
	}
	for i, a := range c.Actions {
		u, err := url.Parse(fmt.Sprint(a["url"]))
		if a["type"] != "Action.OpenUrl" || a["title"] == "" || err != nil || u.Scheme != "https" {
			t.Errorf("actions[%d] = %v", i, a)
		}
	}
	return c, texts
}

func TestTeamsCardsInEveryLanguage(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(lang, func(t *testing.T) {
			alerts, _ := demoAlerts(t, lang)
			rc := newReceiver(t, nil)
			s := mustSink(t, "teams:"+rc.URL+"#lang="+lang, Options{})
			if n, err := s.Send(t.Context(), alerts); n != len(alerts) || err != nil {
				t.Fatalf("Send = %d, %v", n, err)
			}
			got := rc.deliveries()
			if len(got) != len(alerts) {
				t.Fatalf("%d messages for %d alerts", len(got), len(alerts))
			}
			p := i18n.NewPrinter(lang)
			for i, d := range got {
				c, texts := checkTeamsMessage(t, d.body)
				a := alerts[i]
				if c.Lang != lang {
					t.Errorf("card lang %q, want %q", c.Lang, lang)
				}
				joined := strings.Join(texts, "\n")
				for _, want := range []string{escapeCard(a.Title), p.Sprintf("col.level"), p.Level(a.Level), p.Sprintf("notify.outside-hours"), a.AlertKey} {
					if !strings.Contains(joined, want) {
						t.Errorf("alert %d (%s): card lacks %q", i, a.RuleID, want)
					}
				}
				if a.Remediation != "" && !strings.Contains(joined, p.Sprintf("notify.remediation")) {
					t.Errorf("alert %d (%s): card lacks the remediation", i, a.RuleID)
				}
			}
		})
	}
}

func escapeCard(s string) string {
	out, _ := fit(s, len(s)*2, escapeCardMarkdown, "")
	return out
}

// TestTeamsLocalizes sends English alerts through a Japanese sink: the
// titles come from the rules, in Japanese.
func TestTeamsLocalizes(t *testing.T) {
	alerts, rules := demoAlerts(t, i18n.English)
	rc := newReceiver(t, nil)
	s := mustSink(t, "teams:"+rc.URL+"#lang=ja", Options{Rules: rules})
	if _, err := s.Send(t.Context(), alerts[:5]); err != nil {
		t.Fatal(err)
	}
	byID := map[string]*alert.Rule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	for i, d := range rc.deliveries() {
		_, texts := checkTeamsMessage(t, d.body)
		want := byID[alerts[i].RuleID].Text("ja").Title
		if texts[0] != escapeCard(want) || want == alerts[i].Title {
			t.Errorf("title %q, want the rule's Japanese title %q", texts[0], want)
		}
	}
}

func TestTeamsHostileAlert(t *testing.T) {
	rc := newReceiver(t, nil)
	s := mustSink(t, "teams:"+rc.URL, Options{})
	if _, err := s.Send(t.Context(), []alert.Alert{hostileAlert()}); err != nil {
		t.Fatal(err)
	}
	_, texts := checkTeamsMessage(t, rc.deliveries()[0].body)
	joined := strings.Join(texts, "\n")
	for _, want := range []string{`\[click\](https://evil.example)`, `\*bold\*`, "資格情報が追加されました 🔑", "(cut short)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("card lacks %q", want)
		}
	}
}

func TestTeamsLinks(t *testing.T) {
	p := i18n.NewPrinter("en")
	tests := []struct {
		target alert.Target
		want   []string
	}{
		{alert.Target{Type: "ServicePrincipal", ID: testSPID, AppID: testAppID}, []string{
			"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + testAppID,
			"https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/" + testSPID + "/appId/" + testAppID,
		}},
		{alert.Target{Type: "Application", ID: testSPID, AppID: testAppID}, []string{
			"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + testAppID,
		}},
		{alert.Target{Type: "ServicePrincipal", ID: "x/../../evil", AppID: testAppID}, []string{
			"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + testAppID,
		}},
		{alert.Target{Type: "ServicePrincipal", ID: testSPID, AppID: "javascript:alert(1)"}, nil},
		{alert.Target{Type: "KeyVault", ID: "/subscriptions/x/vaults/kv"}, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range entraLinks(p, tt.target) {
			got = append(got, l.URL)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("links of %+v = %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestTeamsGroup(t *testing.T) {
	alerts, _ := demoAlerts(t, "it")
	for len(alerts) < 60 {
		alerts = append(alerts, alerts...)
	}
	alerts = alerts[:60]
	rc := newReceiver(t, nil)
	s := mustSink(t, "teams:"+rc.URL+"#lang=it", Options{})
	if err := s.SendGroup(t.Context(), alerts); err != nil {
		t.Fatal(err)
	}
	got := rc.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d messages, want one for the group", len(got))
	}
	_, texts := checkTeamsMessage(t, got[0].body)
	if !strings.HasPrefix(texts[0], "60 avvisi") || texts[len(texts)-1] != "…e altri 20 avvisi" || len(texts) != 42 {
		t.Errorf("group card texts: first %q, last %q, %d in all", texts[0], texts[len(texts)-1], len(texts))
	}
}

func TestTeamsRefusal(t *testing.T) {
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		http.Error(w, `{"error":{"code":"InvalidRequestContent"}}`, http.StatusBadRequest)
		return true
	})
	s := mustSink(t, "teams:"+rc.URL, Options{})
	n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
	if n != 0 || !IsPermanent(err) || !strings.Contains(err.Error(), "InvalidRequestContent") {
		t.Errorf("Send = %d, %v; want a permanent error quoting the answer", n, err)
	}
}
