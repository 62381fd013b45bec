package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

// silenceDurations are the lifetimes a silence may be given.
var silenceDurations = []struct {
	Name string
	D    time.Duration
}{{"1h", time.Hour}, {"4h", 4 * time.Hour}, {"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}}

// silencesView is the silences page.
type silencesView struct {
	Active, Ended []silenceView
	Done          string
}

type silenceView struct {
	ID                int64
	Matcher           []matchField
	Reason, CreatedBy string
	Created, Expires  webui.Time
	AlertHref         string
	CanExpire         bool
}

// matchField is one field of a matcher, named.
type matchField struct {
	Name, Value string
}

// matcherFields returns the fields m sets, in order.
func matcherFields(p *i18n.Printer, m store.Matcher) []matchField {
	var out []matchField
	add := func(key, v string) {
		if v != "" {
			out = append(out, matchField{p.Sprintf(key), v})
		}
	}
	add("col.rule", m.RuleID)
	add("col.row", m.GuideRow)
	add("web.tenant", m.TenantID)
	add("console.app", m.AppID)
	add("col.actor", m.ActorID)
	return out
}

// matcherText writes m on one line.
func matcherText(p *i18n.Printer, m store.Matcher) string {
	var parts []string
	for _, f := range matcherFields(p, m) {
		parts = append(parts, f.Name+" = "+f.Value)
	}
	return strings.Join(parts, ", ")
}

func (c *Console) silencesPage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	now := c.now()
	all, err := c.store.Silences(r.Context(), now.Add(-7*24*time.Hour))
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v := silencesView{Done: r.URL.Query().Get("done")}
	for _, si := range all {
		sv := silenceView{
			ID: si.ID, Matcher: matcherFields(p, si.Matcher), Reason: si.Reason, CreatedBy: si.CreatedBy,
			Created: webui.TimeOf(si.Created), Expires: webui.TimeOf(si.Expires),
			CanExpire: si.Active(now) && (allowed(se.Role, RoleAdmin) || (allowed(se.Role, RoleResponder) && si.CreatorID == se.User.ID)),
		}
		if si.AlertKey != "" {
			sv.AlertHref = "/alerts/" + url.PathEscape(si.AlertKey)
		}
		if si.Active(now) {
			v.Active = append(v.Active, sv)
		} else {
			v.Ended = append(v.Ended, sv)
		}
	}
	c.render(w, r, http.StatusOK, "silences", page{Title: "console.nav.silences", Nav: "silences", Data: v})
}

// silenceFormView is the form that makes a silence from an alert.
type silenceFormView struct {
	From      string
	Title     string
	AlertHref string
	Fields    []silenceField
	Durations []string
	Duration  string
	Reason    string
	Problem   string
}

// silenceField is one field of the matcher the form offers.
type silenceField struct {
	Param, Label, Value string
	Checked             bool
}

func (c *Console) silenceForm(w http.ResponseWriter, r *http.Request) {
	c.showSilenceForm(w, r, r.URL.Query().Get("from"), http.StatusOK, "", nil)
}

// showSilenceForm draws the silence form for the alert key, prefilled
// with its rule, tenant and application; posted, when not nil, is what
// the form sent.
func (c *Console) showSilenceForm(w http.ResponseWriter, r *http.Request, key string, status int, problem string, posted url.Values) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	s, err := c.store.AlertByKey(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	a := &s.Alert
	v := silenceFormView{From: key, Title: c.title(p, a), AlertHref: "/alerts/" + url.PathEscape(key), Duration: "24h", Problem: problem}
	for _, d := range silenceDurations {
		v.Durations = append(v.Durations, d.Name)
	}
	fields := []silenceField{
		{"rule_id", p.Sprintf("col.rule"), a.RuleID, true},
		{"guide_row", p.Sprintf("col.row"), a.GuideRow, false},
		{"tenant_id", p.Sprintf("web.tenant"), a.TenantID, true},
		{"app_id", p.Sprintf("console.app"), a.Target.AppID, true},
		{"actor_id", p.Sprintf("col.actor"), actorIDOf(a.Actor.ID, a.Actor.UPN, a.Actor.Name), false},
	}
	for _, f := range fields {
		if f.Value == "" {
			continue
		}
		if posted != nil {
			f.Checked = posted.Get(f.Param) != ""
		}
		v.Fields = append(v.Fields, f)
	}
	if posted != nil {
		v.Reason, v.Duration = posted.Get("reason"), posted.Get("duration")
	}
	c.render(w, r, status, "silence-new", page{Title: "console.silence-new", Nav: "silences", Data: v})
}

// actorIDOf is the value silences and filters match an actor on, as the
// store computes it.
func actorIDOf(id, upn, name string) string {
	for _, v := range []string{id, upn, name} {
		if v != "" {
			return v
		}
	}
	return ""
}

// addSilence stores a silence made with the form. The matcher's values
// are the alert's, never the form's: a field is only chosen or not.
func (c *Console) addSilence(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	key := r.PostFormValue("from")
	s, err := c.store.AlertByKey(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	a := &s.Alert
	pick := func(param, v string) string {
		if r.PostFormValue(param) == "" {
			return ""
		}
		return v
	}
	m := store.Matcher{
		RuleID: pick("rule_id", a.RuleID), GuideRow: pick("guide_row", a.GuideRow), TenantID: pick("tenant_id", a.TenantID),
		AppID: pick("app_id", a.Target.AppID), ActorID: pick("actor_id", actorIDOf(a.Actor.ID, a.Actor.UPN, a.Actor.Name)),
	}
	var d time.Duration
	for _, sd := range silenceDurations {
		if r.PostFormValue("duration") == sd.Name {
			d = sd.D
		}
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	problem := ""
	switch {
	case m.Empty():
		problem = "console.silence-no-field"
	case reason == "":
		problem = "console.silence-no-reason"
	case d == 0:
		problem = "console.silence-no-expiry"
	}
	if problem != "" {
		c.showSilenceForm(w, r, key, http.StatusBadRequest, problem, r.PostForm)
		return
	}
	id, err := c.store.AddSilence(r.Context(), store.Silence{Matcher: m, Reason: reason, AlertKey: key, Expires: c.now().Add(d)}, se.User)
	if errors.Is(err, store.ErrInvalid) {
		c.showSilenceForm(w, r, key, http.StatusBadRequest, "console.bad-request", r.PostForm)
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.log.Info("silence added", "silence", id, "alert", key, "user", se.User.ID)
	http.Redirect(w, r, "/silences?done=added#silence-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// expireSilence ends a silence: a responder's own, or any for an admin.
func (c *Console) expireSilence(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	}
	si, err := c.store.SilenceByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	if !allowed(se.Role, RoleAdmin) && si.CreatorID != se.User.ID {
		c.fail(w, r, se, http.StatusForbidden, "console.forbidden")
		return
	}
	if err := c.store.ExpireSilence(r.Context(), id, se.User); err != nil {
		c.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/silences?done=expired", http.StatusSeeOther)
}
