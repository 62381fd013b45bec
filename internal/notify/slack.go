package notify

import (
	"context"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// Slack's limits on a Block Kit message (api.slack.com/reference/block-kit).
const (
	slackMaxBlocks      = 50
	slackMaxSectionText = 3000
	slackMaxField       = 2000
	slackMaxFields      = 10
	slackMaxHeader      = 150
	slackMaxButtonText  = 75
	slackMaxFallback    = 300 // the notification text; Slack allows more, a notification shows less
)

// slack posts Block Kit messages to a Slack incoming webhook.
type slack struct {
	post *poster
	url  string
	p    *i18n.Printer
}

func newSlack(target string, p *i18n.Printer, opts Options) *slack {
	return &slack{post: newPoster(opts), url: target, p: p}
}

// Send posts one message per alert.
func (s *slack) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	for i := range alerts {
		body, err := marshal(slackAlert(s.p, &alerts[i]))
		if err == nil {
			_, err = s.post.post(ctx, s.url, nil, body)
		}
		if err != nil {
			return i, err
		}
	}
	return len(alerts), nil
}

// SendGroup posts one message listing alerts.
func (s *slack) SendGroup(ctx context.Context, alerts []alert.Alert) error {
	body, err := marshal(slackGroup(s.p, alerts))
	if err != nil {
		return permanent(err)
	}
	_, err = s.post.post(ctx, s.url, nil, body)
	return err
}

// Close closes the idle connections to Slack.
func (s *slack) Close() error {
	s.post.client.CloseIdleConnections()
	return nil
}

// The parts of a Block Kit message.
type (
	slackMessage struct {
		Text   string       `json:"text"`
		Blocks []slackBlock `json:"blocks"`
	}
	slackBlock struct {
		Type     string        `json:"type"`
		Text     *slackText    `json:"text,omitempty"`
		Fields   []slackText   `json:"fields,omitempty"`
		Elements []slackButton `json:"elements,omitempty"`
	}
	slackText struct {
		Type     string `json:"type"`
		Text     string `json:"text"`
		Emoji    *bool  `json:"emoji,omitempty"`
		Verbatim bool   `json:"verbatim,omitempty"`
	}
	slackButton struct {
		Type string    `json:"type"`
		Text slackText `json:"text"`
		URL  string    `json:"url"`
	}
)

// slackAlert lays out one alert: its title as a header, the facts as
// fields, then why it fired, the evidence and what to do, and buttons to
// the target's pages in the Entra admin center.
func slackAlert(p *i18n.Printer, a *alert.Alert) slackMessage {
	v := newView(p, a)
	l := labelsOf(p)
	m := slackMessage{Text: slackFallback(p, a.Level, v.Title, l.Truncated)}
	m.Blocks = append(m.Blocks, slackHeader(v.Title, l.Truncated))
	fields := slackBlock{Type: "section"}
	for _, f := range v.Facts[:min(len(v.Facts), slackMaxFields)] {
		fields.Fields = append(fields.Fields, mrkdwn("*"+slackEscape(f.Name)+"*\n", f.Value, slackMaxField, l.Truncated))
	}
	m.Blocks = append(m.Blocks, fields)
	if len(v.Why) > 0 {
		m.Blocks = append(m.Blocks, slackSection(l.Why, "• "+strings.Join(v.Why, "\n• "), l.Truncated))
	}
	if len(v.Evidence) > 0 {
		lines := make([]string, len(v.Evidence))
		for i, f := range v.Evidence {
			lines[i] = f.Name + ": " + f.Value
		}
		m.Blocks = append(m.Blocks, slackSection(l.Evidence, strings.Join(lines, "\n"), l.Truncated))
	}
	if v.Remediation != "" {
		m.Blocks = append(m.Blocks, slackSection(l.Remediation, v.Remediation, l.Truncated))
	}
	if b, ok := slackButtons(v.Links, l.Truncated); ok {
		m.Blocks = append(m.Blocks, b)
	}
	return m
}

// slackGroup lays out several alerts: a header that counts them, then a
// section per alert, as many as the block limit allows, and a last
// section that says how many more there were.
func slackGroup(p *i18n.Printer, alerts []alert.Alert) slackMessage {
	g := newGroup(p, alerts)
	l := labelsOf(p)
	m := slackMessage{Text: slackFallback(p, g.Level, g.Title, l.Truncated)}
	m.Blocks = append(m.Blocks, slackHeader(g.Title, l.Truncated))
	buttons, hasButtons := slackButtons(g.Links, l.Truncated)
	room := slackMaxBlocks - len(m.Blocks)
	if hasButtons {
		room--
	}
	for i, ln := range g.Lines {
		if i == room-1 && len(g.Lines) > room {
			more := p.Count("notify.more-alerts", len(g.Lines)-i)
			m.Blocks = append(m.Blocks, slackBlock{Type: "section", Text: ptr(mrkdwn("", more, slackMaxSectionText, l.Truncated))})
			break
		}
		m.Blocks = append(m.Blocks, slackBlock{Type: "section", Text: ptr(mrkdwn(slackLevelMark(ln.Level), ln.Text, slackMaxSectionText, l.Truncated))})
	}
	if hasButtons {
		m.Blocks = append(m.Blocks, buttons)
	}
	return m
}

// slackFallback is the message's text, which notifications show.
func slackFallback(p *i18n.Printer, level, title, marker string) string {
	s, _ := fit("["+p.Level(level)+"] "+title, slackMaxFallback, slackEscapeRune, marker)
	return s
}

func slackHeader(title, marker string) slackBlock {
	s, _ := fit(title, slackMaxHeader, nil, marker)
	return slackBlock{Type: "header", Text: &slackText{Type: "plain_text", Text: s, Emoji: ptr(false)}}
}

// slackSection is a section with a bold heading over text.
func slackSection(heading, text, marker string) slackBlock {
	t := mrkdwn("*"+slackEscape(heading)+"*\n", text, slackMaxSectionText, marker)
	return slackBlock{Type: "section", Text: &t}
}

// slackButtons makes the links buttons, or reports there are none.
func slackButtons(links []link, marker string) (slackBlock, bool) {
	if len(links) == 0 {
		return slackBlock{}, false
	}
	b := slackBlock{Type: "actions"}
	for _, l := range links {
		text, _ := fit(l.Title, slackMaxButtonText, nil, marker)
		b.Elements = append(b.Elements, slackButton{Type: "button", Text: slackText{Type: "plain_text", Text: text}, URL: l.URL})
	}
	return b, true
}

// mrkdwn is a mrkdwn text: prefix, already escaped, then text escaped and
// cut so that the whole is at most limit characters. Verbatim keeps Slack
// from turning names and URLs in text into mentions and links.
func mrkdwn(prefix, text string, limit int, marker string) slackText {
	s, _ := fit(text, limit-units(prefix), slackEscapeRune, marker)
	return slackText{Type: "mrkdwn", Text: prefix + s, Verbatim: true}
}

// slackLevelMark starts the line of a grouped alert of a high or critical
// level with a red circle, of a medium one with an orange one.
func slackLevelMark(level string) string {
	switch level {
	case alert.LevelCritical, alert.LevelHigh:
		return "🔴 "
	case alert.LevelMedium:
		return "🟠 "
	}
	return "⚪ "
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string { return slackEscaper.Replace(s) }

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackEscapeRune is the escape of r in mrkdwn, or "" when r is not
// reserved.
func slackEscapeRune(r rune) string {
	switch r {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	}
	return ""
}

func ptr[T any](v T) *T { return &v }
