package notify

import (
	"context"
	"fmt"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// The Adaptive Card a Teams message carries.
const (
	// cardVersion is the Adaptive Card schema version the cards declare;
	// they use nothing newer, and Teams renders versions up to 1.5.
	cardVersion = "1.4"
	cardSchema  = "http://adaptivecards.io/schemas/adaptive-card.json"
	cardType    = "application/vnd.microsoft.card.adaptive"
	// teamsMaxBytes keeps a message under Teams' 28 KB limit.
	teamsMaxBytes = 28_000
)

// teams posts Adaptive Cards to a Teams Workflows webhook (the "When a
// Teams webhook request is received" trigger), which posts them in a
// channel or chat.
type teams struct {
	post *poster
	url  string
	p    *i18n.Printer
}

func newTeams(target string, p *i18n.Printer, opts Options) *teams {
	return &teams{post: newPoster(opts), url: target, p: p}
}

// Send posts one card per alert.
func (t *teams) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	for i := range alerts {
		body, err := teamsAlert(t.p, &alerts[i])
		if err == nil {
			_, err = t.post.post(ctx, t.url, nil, body)
		}
		if err != nil {
			return i, err
		}
	}
	return len(alerts), nil
}

// SendGroup posts one card listing alerts.
func (t *teams) SendGroup(ctx context.Context, alerts []alert.Alert) error {
	body, err := teamsGroup(t.p, alerts)
	if err != nil {
		return err
	}
	_, err = t.post.post(ctx, t.url, nil, body)
	return err
}

// Close closes the idle connections to Teams.
func (t *teams) Close() error {
	t.post.client.CloseIdleConnections()
	return nil
}

// The parts of a Workflows message and its card.
type (
	teamsMessage struct {
		Type        string            `json:"type"`
		Attachments []teamsAttachment `json:"attachments"`
	}
	teamsAttachment struct {
		ContentType string  `json:"contentType"`
		ContentURL  *string `json:"contentUrl"`
		Content     card    `json:"content"`
	}
	card struct {
		Schema  string            `json:"$schema"`
		Type    string            `json:"type"`
		Version string            `json:"version"`
		Lang    string            `json:"lang,omitempty"`
		Body    []any             `json:"body"`
		Actions []cardAction      `json:"actions,omitempty"`
		MSTeams map[string]string `json:"msteams,omitempty"`
	}
	textBlock struct {
		Type      string `json:"type"`
		Text      string `json:"text"`
		Wrap      bool   `json:"wrap"`
		Size      string `json:"size,omitempty"`
		Weight    string `json:"weight,omitempty"`
		Color     string `json:"color,omitempty"`
		IsSubtle  bool   `json:"isSubtle,omitempty"`
		Spacing   string `json:"spacing,omitempty"`
		Separator bool   `json:"separator,omitempty"`
	}
	factSet struct {
		Type  string     `json:"type"`
		Facts []cardFact `json:"facts"`
	}
	cardFact struct {
		Title string `json:"title"`
		Value string `json:"value"`
	}
	cardAction struct {
		Type  string `json:"type"`
		Title string `json:"title"`
		URL   string `json:"url"`
	}
)

// cardDetail is how much a card shows: the longest text in characters,
// the evidence values, the alerts of a group. A card too large for Teams
// is laid out again with the next, smaller detail.
type cardDetail struct{ text, facts, lines int }

var cardDetails = []cardDetail{{2000, 40, 40}, {600, 20, 20}, {200, 10, 10}, {60, 3, 5}}

// teamsAlert writes the message for one alert.
func teamsAlert(p *i18n.Printer, a *alert.Alert) ([]byte, error) {
	v := newView(p, a)
	return fitCard(a.AlertKey, func(d cardDetail) card { return alertCard(p, v, d) })
}

// teamsGroup writes the message that lists alerts.
func teamsGroup(p *i18n.Printer, alerts []alert.Alert) ([]byte, error) {
	g := newGroup(p, alerts)
	return fitCard(g.Title, func(d cardDetail) card { return groupCard(p, g, d) })
}

// fitCard lays out a card with less and less detail until its message
// fits in a Teams message.
func fitCard(what string, layout func(cardDetail) card) ([]byte, error) {
	var body []byte
	for _, d := range cardDetails {
		c := layout(d)
		b, err := marshal(teamsMessage{Type: "message", Attachments: []teamsAttachment{{ContentType: cardType, Content: c}}})
		if err != nil {
			return nil, permanent(fmt.Errorf("card for %s: %w", what, err))
		}
		if body = b; len(b) <= teamsMaxBytes {
			break
		}
	}
	return body, nil
}

func newCard(p *i18n.Printer, body []any, links []link) card {
	c := card{Schema: cardSchema, Type: "AdaptiveCard", Version: cardVersion, Lang: p.Lang(), Body: body,
		MSTeams: map[string]string{"width": "Full"}}
	for _, l := range links {
		c.Actions = append(c.Actions, cardAction{Type: "Action.OpenUrl", Title: l.Title, URL: l.URL})
	}
	return c
}

func alertCard(p *i18n.Printer, v view, d cardDetail) card {
	l := labelsOf(p)
	md := func(s string) string { return cardText(s, d.text, l.Truncated) }
	body := []any{
		textBlock{Type: "TextBlock", Text: md(v.Title), Wrap: true, Size: "Large", Weight: "Bolder", Color: cardColor(v.Level)},
		cardFacts(v.Facts, len(v.Facts), md, p),
	}
	heading := func(s string) textBlock {
		return textBlock{Type: "TextBlock", Text: md(s), Wrap: true, Weight: "Bolder", Spacing: "Medium"}
	}
	if len(v.Why) > 0 {
		body = append(body, heading(l.Why))
		for _, w := range v.Why {
			body = append(body, textBlock{Type: "TextBlock", Text: "• " + md(w), Wrap: true, Spacing: "None"})
		}
	}
	if len(v.Evidence) > 0 {
		body = append(body, heading(l.Evidence), cardFacts(v.Evidence, d.facts, md, p))
	}
	if v.Remediation != "" {
		body = append(body, heading(l.Remediation), textBlock{Type: "TextBlock", Text: md(v.Remediation), Wrap: true})
	}
	return newCard(p, body, v.Links)
}

func groupCard(p *i18n.Printer, g group, d cardDetail) card {
	md := func(s string) string { return cardText(s, d.text, labelsOf(p).Truncated) }
	body := []any{textBlock{Type: "TextBlock", Text: md(g.Title), Wrap: true, Size: "Large", Weight: "Bolder", Color: cardColor(g.Level)}}
	for i, ln := range g.Lines {
		if i == d.lines {
			body = append(body, textBlock{Type: "TextBlock", Text: md(p.Count("notify.more-alerts", len(g.Lines)-i)), Wrap: true, IsSubtle: true})
			break
		}
		body = append(body, textBlock{Type: "TextBlock", Text: md(ln.Text), Wrap: true, Color: cardColor(ln.Level), Separator: true})
	}
	return newCard(p, body, g.Links)
}

// cardFacts writes up to n facts as a FactSet, and says how many more
// there are in a last fact.
func cardFacts(facts []fact, n int, md func(string) string, p *i18n.Printer) factSet {
	fs := factSet{Type: "FactSet", Facts: []cardFact{}}
	for i, f := range facts {
		if i == n {
			fs.Facts = append(fs.Facts, cardFact{Title: "…", Value: md(p.Count("notify.more-values", len(facts)-i))})
			break
		}
		fs.Facts = append(fs.Facts, cardFact{Title: md(f.Name), Value: md(f.Value)})
	}
	return fs
}

// cardColor is the Adaptive Card text colour of a level.
func cardColor(level string) string {
	switch level {
	case alert.LevelCritical, alert.LevelHigh:
		return "Attention"
	case alert.LevelMedium:
		return "Warning"
	}
	return "Default"
}

// cardText escapes s for the Markdown of a card's text, so that nothing
// from a log turns into a link or emphasis, and cuts it to n characters.
func cardText(s string, n int, marker string) string {
	out, _ := fit(s, n, escapeCardMarkdown, marker)
	return out
}

// escapeCardMarkdown is the escape of r in a card's Markdown, or "" when
// r needs none.
func escapeCardMarkdown(r rune) string {
	switch r {
	case '\\', '*', '_', '[', ']':
		return `\` + string(r)
	}
	return ""
}
