package alert

import (
	"cmp"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/policy"
)

// Text is a rule's title, description, remediation and false positives
// in one language.
type Text struct {
	Title       string `json:"title,omitempty" yaml:"title"`
	Description string `json:"description,omitempty" yaml:"description"`
	Remediation string `json:"remediation,omitempty" yaml:"remediation"`
	// FalsePositives are the rule's known false positives (Sigma's
	// falsepositives).
	FalsePositives []string `json:"false_positives,omitempty" yaml:"falsepositives"`
}

// Rule is what an alert needs to know about the rule or check that raised
// it.
type Rule struct {
	ID       string
	GuideRow string
	Level    string
	Attack   []string
	// Texts holds the rule's texts by language tag (en, zh-TW, it, ja);
	// English is always present.
	Texts map[string]Text
}

// Text returns the rule's texts in lang, falling back to English for any
// text not translated.
func (r *Rule) Text(lang string) Text {
	return r.Texts[lang].Or(r.Texts["en"])
}

// Or returns t with each empty text taken from fallback.
func (t Text) Or(fallback Text) Text {
	t.Title = cmp.Or(t.Title, fallback.Title)
	t.Description = cmp.Or(t.Description, fallback.Description)
	t.Remediation = cmp.Or(t.Remediation, fallback.Remediation)
	if len(t.FalsePositives) == 0 {
		t.FalsePositives = fallback.FalsePositives
	}
	return t
}

// SuppressionFacts returns what the policy's suppressions match an alert
// on: its rule and row, who acted and what it was about.
func (a *Alert) SuppressionFacts() policy.AlertFacts {
	return policy.AlertFacts{
		RuleID:   a.RuleID,
		GuideRow: a.GuideRow,
		Actor:    nonEmpty(a.Actor.ID, a.Actor.UPN, a.Actor.Name),
		Target:   nonEmpty(a.Target.ID, a.Target.AppID, a.Target.Name),
		AppID:    a.Target.AppID,
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FromEvent builds the alert rule raises for e, in language lang.
func FromEvent(r *Rule, e *event.Event, lang string) Alert {
	t := r.Text(lang)
	ctx := e.Derived.Context
	return Alert{
		GuideRow:             r.GuideRow,
		RuleID:               r.ID,
		Title:                t.Title,
		Level:                r.Level,
		Time:                 FormatTime(e.Time),
		EventID:              cmp.Or(e.ID, e.CorrelationID),
		TenantID:             e.TenantID,
		Actor:                actorOf(e),
		Target:               targetOf(e),
		Evidence:             Evidence(e),
		Attack:               append([]string{}, r.Attack...),
		OutsideBusinessHours: ctx.OutsideHours,
		Source:               SourceOf(e),
		Description:          t.Description,
		Remediation:          t.Remediation,
		ChangeWindow:         ctx.ChangeWindow,
		ApprovedActor:        ctx.ApprovedActor,
		CorrelationID:        e.CorrelationID,
	}
}

// SourceOf returns where e was read.
func SourceOf(e *event.Event) Source {
	return Source{Format: e.Source.Format, File: e.Source.File, Line: e.Source.Line, Index: e.Source.Index}
}

func actorOf(e *event.Event) Actor {
	a := e.Actor
	return Actor{Type: cmp.Or(a.Type, event.ActorSystem), ID: a.ID, Name: a.Name, UPN: a.UPN, IP: a.IP}
}

// targetOf names what the event was about: the vault of a Key Vault
// record, the service principal (or else the app) that signed in, the
// application the enrichers identified, the Azure resource of an Activity
// Log record, or else the first target.
func targetOf(e *event.Event) Target {
	app := e.Derived.App
	switch {
	case e.Kind == event.KindKeyVault:
		return Target{Type: "KeyVault", ID: e.KeyVault.ResourceID, Name: e.KeyVault.Vault}
	case e.Kind == event.KindSignIn:
		if e.SignIn.ServicePrincipalID != "" {
			return Target{Type: "ServicePrincipal", ID: e.SignIn.ServicePrincipalID, AppID: e.SignIn.AppID, Name: cmp.Or(e.SignIn.ServicePrincipalName, e.SignIn.AppName)}
		}
		return Target{Type: "Application", AppID: e.SignIn.AppID, Name: e.SignIn.AppName}
	case app.ObjectID != "" || app.ID != "":
		return Target{Type: appType(e), ID: app.ObjectID, AppID: app.ID, Name: app.Name}
	case e.Kind == event.KindActivity:
		return Target{Type: "AzureResource", ID: e.Azure.ResourceID}
	case len(e.Targets) > 0:
		t := e.Targets[0]
		return Target{Type: t.Type, ID: t.ID, Name: cmp.Or(t.Name, t.UPN)}
	}
	return Target{}
}

// appType is the type of the target carrying the application's object id.
func appType(e *event.Event) string {
	for _, t := range e.Targets {
		if t.ID != "" && t.ID == e.Derived.App.ObjectID {
			return t.Type
		}
	}
	if e.Derived.Credential.Target != "" {
		return e.Derived.Credential.Target
	}
	return "ServicePrincipal"
}
