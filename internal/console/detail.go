package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/sink"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// alertView is the page of one alert.
type alertView struct {
	Key        string
	A          webui.Alert
	Status     string
	Assignee   string
	Verdict    string
	Stored     webui.Time
	Triaged    webui.Time
	Silence    *store.Silence
	Record     webui.Value
	RecordRaw  string
	RecordHref string
	HasRecord  bool
	Related    []alertRow
	// Deliveries are the alert's in the outbox of appwatch watch, one per
	// sink that takes it.
	Deliveries    []deliveryView
	DeliveryError bool
	Entra         []link
	AppHref       string
	Trail         []auditView
	Verdicts      []string
	SilenceHref   string
	Done          string // the triage action just done, to confirm it
}

type deliveryView struct {
	Sink, State, Error string
	Attempts           int
	// Next is when a pending delivery is tried next; Done is when it
	// was sent, given up or silenced.
	Next, Done webui.Time
}

// deliveryState is how the console names the state of d: pending,
// failing (pending after failed attempts), sent, dead or silenced.
func deliveryState(d store.Delivery) string {
	if d.State == store.DeliveryPending && d.Attempts > 0 {
		return "failing"
	}
	return d.State
}

type link struct {
	Label, Href string
}

// auditView is one entry of an audit trail.
type auditView struct {
	At       webui.Time
	By       string
	Action   string
	AlertKey string
	Href     string
	Detail   string
	Comment  string
}

// guid matches the ids Entra ID gives objects and applications.
var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// entraLinks returns the pages of an application in the Entra admin
// center: its registration (by application id) and its enterprise
// application (by service principal id), when the alert names them.
func entraLinks(p *i18n.Printer, t alert.Target) []link {
	var out []link
	if guid.MatchString(t.AppID) {
		out = append(out, link{p.Sprintf("console.entra-registration"),
			"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + t.AppID})
	}
	if guid.MatchString(t.AppID) && guid.MatchString(t.ID) && strings.EqualFold(t.Type, "ServicePrincipal") {
		out = append(out, link{p.Sprintf("console.entra-enterprise"),
			"https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/" + t.ID + "/appId/" + t.AppID})
	}
	return out
}

// storedAlert reads the stored alert key for a request, answering "not
// found" or a server error itself when it cannot (ok is then false).
func (c *Console) storedAlert(w http.ResponseWriter, r *http.Request, key string) (s store.Stored, ok bool) {
	s, err := c.store.AlertByKey(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, sessionOf(r), http.StatusNotFound, "console.not-found")
		return s, false
	} else if err != nil {
		c.serverError(w, r, err)
		return s, false
	}
	return s, true
}

func (c *Console) alertPage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	key := r.PathValue("key")
	ctx := r.Context()
	s, ok := c.storedAlert(w, r, key)
	if !ok {
		return
	}
	a := &s.Alert
	v := alertView{
		Key: key, A: c.view(p, a), Status: a.Status, Assignee: s.Assignee, Verdict: s.Verdict,
		Stored: webui.FormatTime(a.FirstSeen), Triaged: webui.TimeOf(s.Triaged),
		Entra: entraLinks(p, a.Target), AppHref: appHref(a.Target.AppID), Verdicts: store.Verdicts(),
		SilenceHref: "/silences/new?from=" + url.QueryEscape(key), Done: r.URL.Query().Get("done"),
	}
	if s.Record != nil {
		v.HasRecord, v.RecordHref = true, "/alerts/"+url.PathEscape(key)+"/record"
		var rec map[string]any
		if json.Unmarshal(s.Record, &rec) == nil {
			v.Record = webui.Decode(rec)
		}
		var buf bytes.Buffer
		if json.Indent(&buf, s.Record, "", "  ") == nil {
			v.RecordRaw = buf.String()
		}
	}
	if id, ok := store.SilenceOf(s.SuppressedBy); ok {
		if sl, err := c.store.SilenceByID(ctx, id); err == nil {
			v.Silence = &sl
		}
	}
	related, err := c.store.Related(ctx, a)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	for i := range related {
		v.Related = append(v.Related, c.row(p, &related[i]))
	}
	err = c.store.Deliveries(ctx, store.DeliveryFilter{AlertKey: key}, func(d store.Delivery) error {
		v.Deliveries = append(v.Deliveries, deliveryView{Sink: d.Sink, State: deliveryState(d), Error: d.LastError, Attempts: d.Attempts,
			Next: webui.TimeOf(d.Due), Done: webui.TimeOf(d.Done)})
		return nil
	})
	if err != nil {
		c.log.Error("deliveries unreadable", "alert", key, "error", err)
		v.Deliveries, v.DeliveryError = nil, true
	}
	trail, err := c.store.AuditTrail(ctx, store.AuditQuery{AlertKey: key, Limit: 200})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v.Trail = auditViews(p, trail, false)
	c.render(w, r, http.StatusOK, "alert", page{Heading: v.A.Title, Nav: "alerts", Data: v})
}

// view returns the view of a in p's language: the texts of its rule in
// that language when the rule is known, else the alert's own, written in
// the language detection ran in.
func (c *Console) view(p *i18n.Printer, a *alert.Alert) webui.Alert {
	text := alert.Text{Title: a.Title, Description: a.Description, Remediation: a.Remediation}
	if r := c.rules[a.RuleID]; r != nil {
		text = r.Text(p.Lang()).Or(text)
	}
	return webui.NewAlert(a, text, sink.Explain(p.Lang(), a))
}

// alertRecord serves the record an alert was raised on, as stored.
func (c *Console) alertRecord(w http.ResponseWriter, r *http.Request) {
	s, err := c.store.AlertByKey(r.Context(), r.PathValue("key"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.Record == nil) {
		c.fail(w, r, sessionOf(r), http.StatusNotFound, "console.not-found")
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="record.json"`)
	w.Write(s.Record)
}

// triage applies a triage action from the alert's page.
func (c *Console) triage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	key := r.PathValue("key")
	t := store.Triage{
		Action: r.PostFormValue("action"), Assignee: strings.TrimSpace(r.PostFormValue("assignee")),
		Verdict: r.PostFormValue("verdict"), Comment: strings.TrimSpace(r.PostFormValue("comment")),
	}
	if t.Action == "assign-me" {
		t.Action, t.Assignee = store.ActionAssign, se.User.Name
	}
	err := c.store.TriageAlert(r.Context(), key, t, se.User)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	case errors.Is(err, store.ErrInvalid):
		c.log.Warn("triage refused", "alert", key, "error", err)
		c.fail(w, r, se, http.StatusBadRequest, "console.bad-triage")
		return
	case err != nil:
		c.serverError(w, r, err)
		return
	}
	c.log.Info("triage", "alert", key, "action", t.Action, "user", se.User.ID)
	http.Redirect(w, r, "/alerts/"+url.PathEscape(key)+"?done="+url.QueryEscape(t.Action)+"#triage", http.StatusSeeOther)
}

// auditViews returns the views of audit entries, linking to their alerts
// when links is set.
func auditViews(p *i18n.Printer, trail []store.AuditEntry, links bool) []auditView {
	var out []auditView
	for _, e := range trail {
		v := auditView{At: webui.TimeOf(e.At), By: e.By.Name, Action: p.Sprintf("console.action." + e.Action), AlertKey: e.AlertKey, Comment: e.Comment}
		if links && e.AlertKey != "" {
			v.Href = "/alerts/" + url.PathEscape(e.AlertKey)
		}
		switch {
		case strings.HasPrefix(e.Action, "account-"): // a local account set or removed on the command line
			v.Detail = e.Reason
			if e.Role != "" {
				v.Detail += " · " + p.Sprintf("console.role."+e.Role)
			}
		case e.Assigned && e.Assignee == "":
			v.Detail = p.Sprintf("console.audit.unassigned")
		case e.Assigned:
			v.Detail = p.Sprintf("console.assigned-to", e.Assignee)
		case e.Verdict != "":
			v.Detail = p.Sprintf("console.verdict." + e.Verdict)
		case e.Role != "":
			v.Detail = p.Sprintf("console.role." + e.Role)
		case e.Reason != "":
			v.Detail = e.Reason
		}
		out = append(out, v)
	}
	return out
}
