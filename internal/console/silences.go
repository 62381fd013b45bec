package console

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/silence"
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
	History       []auditView
	Done          string
}

type silenceView struct {
	ID               int64
	Matcher          []matchField
	Reason, Author   string
	Created, Expires webui.Time
	Suppressed       int64
	CanExpire        bool
}

// matchField is one matcher of a silence: what it looks at, named, and
// the operator and value.
type matchField struct {
	Name, Op, Value string
}

// matcherLabels name what a matcher looks at (silence.Names).
var matcherLabels = map[string]string{
	"row": "col.row", "rule": "col.rule", "level": "col.level", "tenant": "web.tenant", "app": "console.app", "actor": "col.actor",
}

// matcherFields returns the matchers of a silence as written, named; one
// this version cannot read is shown whole.
func matcherFields(p *i18n.Printer, matchers []string) []matchField {
	var out []matchField
	for _, s := range matchers {
		m, err := silence.ParseMatcher(s)
		if err != nil {
			out = append(out, matchField{Value: s})
			continue
		}
		out = append(out, matchField{p.Sprintf(matcherLabels[m.Name]), m.Op, m.Value})
	}
	return out
}

// canExpire reports whether the session may end sl: admins end any
// silence, responders those they made.
func canExpire(se store.Session, sl store.Silence) bool {
	return allowed(se.Role, RoleAdmin) || (allowed(se.Role, RoleResponder) && sl.Author == se.User.ID)
}

// silencesPage lists the active silences, those that ended in the last
// seven days, and what people did to them, whether in the console or
// with appwatch silence.
func (c *Console) silencesPage(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	p := i18n.NewPrinter(se.Lang)
	now := c.now()
	all, err := c.store.Silences(r.Context(), false)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	events, err := c.store.SilenceEvents(r.Context(), 0)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v := silencesView{Done: r.URL.Query().Get("done")}
	shown := map[int64]bool{}
	for _, sl := range slices.Backward(all) {
		active := sl.Active(now)
		if !active && !sl.Expires.After(now.Add(-7*24*time.Hour)) {
			continue
		}
		shown[sl.ID] = true
		sv := silenceView{
			ID: sl.ID, Matcher: matcherFields(p, sl.Matchers), Reason: sl.Reason, Author: sl.Author,
			Created: webui.TimeOf(sl.Created), Expires: webui.TimeOf(sl.Expires), Suppressed: sl.Suppressed,
			CanExpire: active && canExpire(se, sl),
		}
		if active {
			v.Active = append(v.Active, sv)
		} else {
			v.Ended = append(v.Ended, sv)
		}
	}
	for _, e := range slices.Backward(events) {
		if shown[e.SilenceID] {
			v.History = append(v.History, auditView{At: webui.TimeOf(e.At), By: e.Author,
				Action: p.Sprintf("console.silence-action." + e.Action), Detail: p.Sprintf("console.silence-number", e.SilenceID)})
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
	s, ok := c.storedAlert(w, r, key)
	if !ok {
		return
	}
	a := &s.Alert
	v := silenceFormView{From: key, Title: c.title(p, a), AlertHref: "/alerts/" + url.PathEscape(key), Duration: "24h", Problem: problem}
	for _, d := range silenceDurations {
		v.Durations = append(v.Durations, d.Name)
	}
	for _, f := range formFields(a) {
		if f.Value == "" {
			continue
		}
		if posted != nil {
			f.Checked = posted.Get(f.Param) != ""
		}
		v.Fields = append(v.Fields, silenceField{f.Param, p.Sprintf(matcherLabels[f.Name]), f.Value, f.Checked})
	}
	if posted != nil {
		v.Reason, v.Duration = posted.Get("reason"), posted.Get("duration")
	}
	c.render(w, r, status, "silence-new", page{Title: "console.silence-new", Nav: "silences", Data: v})
}

// formField is a field of the silence form: the form parameter, the
// matcher it makes (NAME=VALUE, see package silence) and whether it is
// chosen at first.
type formField struct {
	Param, Name, Value string
	Checked            bool
}

// formFields are the fields the form offers for the alert a, its values
// taken from a.
func formFields(a *alert.Alert) []formField {
	return []formField{
		{"rule_id", "rule", a.RuleID, true},
		{"guide_row", "row", a.GuideRow, false},
		{"tenant_id", "tenant", a.TenantID, true},
		{"app_id", "app", a.Target.AppID, true},
		{"actor_id", "actor", cmp.Or(a.Actor.ID, a.Actor.UPN, a.Actor.Name), false},
	}
}

// addSilence stores a silence made with the form, with the session's
// user id as its author. The matchers' values are the alert's, never the
// form's: a field is only chosen or not.
func (c *Console) addSilence(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	key := r.PostFormValue("from")
	s, ok := c.storedAlert(w, r, key)
	if !ok {
		return
	}
	var matchers []string
	for _, f := range formFields(&s.Alert) {
		if f.Value != "" && r.PostFormValue(f.Param) != "" {
			matchers = append(matchers, f.Name+"="+f.Value)
		}
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
	case len(matchers) == 0:
		problem = "console.silence-no-field"
	case reason == "":
		problem = "console.silence-no-reason"
	case d == 0:
		problem = "console.silence-no-expiry"
	}
	if _, err := silence.Parse(matchers); problem == "" && (err != nil || len(reason) > store.MaxComment) {
		problem = "console.bad-request"
	}
	if problem != "" {
		c.showSilenceForm(w, r, key, http.StatusBadRequest, problem, r.PostForm)
		return
	}
	id, err := c.store.AddSilence(r.Context(), store.Silence{Matchers: matchers, Reason: reason, Author: se.User.ID, Expires: c.now().Add(d)})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.log.Info("silence added", "silence", id, "alert", key, "user", se.User.ID)
	http.Redirect(w, r, "/silences?done=added#silence-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// expireSilence ends a silence: a responder's own, or any for an admin.
// One that has already ended is left as it is.
func (c *Console) expireSilence(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	}
	sl, err := c.store.SilenceByID(r.Context(), id)
	if errors.Is(err, store.ErrNoSilence) {
		c.fail(w, r, se, http.StatusNotFound, "console.not-found")
		return
	} else if err != nil {
		c.serverError(w, r, err)
		return
	}
	if !canExpire(se, sl) {
		c.fail(w, r, se, http.StatusForbidden, "console.forbidden")
		return
	}
	if sl.Active(c.now()) {
		if err := c.store.ExpireSilence(r.Context(), id, se.User.ID); err != nil {
			c.serverError(w, r, err)
			return
		}
		c.log.Info("silence expired", "silence", id, "user", se.User.ID)
	}
	http.Redirect(w, r, "/silences?done=expired", http.StatusSeeOther)
}
