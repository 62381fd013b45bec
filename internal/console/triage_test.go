package console

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// TestFilters checks the list's counts against the alerts stored: the
// total, and each facet's count of the alerts the other facets keep.
func TestFilters(t *testing.T) {
	alerts := testAlerts(30)
	e := newEnv(t, alerts, nil)
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	count := func(keep func(a *alert.Alert) bool) int {
		n := 0
		for i := range alerts {
			if keep(&alerts[i].Alert) {
				n++
			}
		}
		return n
	}
	tenantA := "72f988bf-86f1-41af-91ab-2d7cd011db47"
	cases := []struct {
		query string
		keep  func(a *alert.Alert) bool
	}{
		{"", func(*alert.Alert) bool { return true }},
		{"level=high", func(a *alert.Alert) bool { return a.Level == "high" }},
		{"level=high&level=critical", func(a *alert.Alert) bool { return a.Level == "high" || a.Level == "critical" }},
		{"row=owner-added&tenant=" + tenantA, func(a *alert.Alert) bool { return a.GuideRow == "owner-added" && a.TenantID == tenantA }},
		{"outside=true", func(a *alert.Alert) bool { return a.OutsideBusinessHours }},
		{"app=4f1c2d3e-0000-4000-8000-00000000000b&status=open", func(a *alert.Alert) bool { return a.Target.AppID == "4f1c2d3e-0000-4000-8000-00000000000b" }},
		{"range=24h&level=low", func(a *alert.Alert) bool { return a.Level == "low" }},
		{"status=resolved", func(*alert.Alert) bool { return false }},
	}
	found := regexp.MustCompile(`<h2 id="results-h">(\d+) alerts?`)
	rows := regexp.MustCompile(`<tr>\s*<td data-label="Level">`)
	for _, tc := range cases {
		resp, body := e.get(cl, "/alerts?"+tc.query)
		want := count(tc.keep)
		m := found.FindStringSubmatch(body)
		if resp.StatusCode != http.StatusOK || m == nil || m[1] != strconv.Itoa(want) {
			t.Errorf("/alerts?%s: %s, heading %q; want %d alerts", tc.query, resp.Status, m, want)
			continue
		}
		if n := len(rows.FindAllString(body, -1)); n != min(want, DefaultPageSize) {
			t.Errorf("/alerts?%s lists %d alerts, want %d", tc.query, n, want)
		}
	}
	// The level facet counts by level among the alerts of the other
	// filters: with row=owner-added, each level its own count.
	_, body := e.get(cl, "/alerts?row=owner-added&level=medium")
	for _, level := range []string{"medium", "high", "critical", "low", "informational"} {
		want := count(func(a *alert.Alert) bool { return a.GuideRow == "owner-added" && a.Level == level })
		re := regexp.MustCompile(`name="level" value="` + level + `"[^>]*><label[^>]*><span class="choice-label">[^<]*</span> <span class="n">(\d+)</span>`)
		m := re.FindStringSubmatch(body)
		if want == 0 && m == nil {
			continue
		}
		if m == nil || m[1] != strconv.Itoa(want) {
			t.Errorf("level %s among owner-added: count %v, want %d", level, m, want)
		}
	}
}

// TestTriage acknowledges, assigns, comments on and resolves an alert as
// a responder: the list and the alert show its state, and its audit
// trail says who did what, in order. A viewer may not triage.
func TestTriage(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	rita := e.client()
	tok := e.signIn(rita, responderName, responderPassword)
	steps := []struct {
		form url.Values
		want string // what the alert's page then shows
	}{
		{url.Values{"action": {"acknowledge"}}, `status-acknowledged`},
		{url.Values{"action": {"assign-me"}}, `<dd>rita</dd>`},
		{url.Values{"action": {"comment"}, "comment": {"Secret added by the CI pipeline <b>bold</b>"}}, `Secret added by the CI pipeline &lt;b&gt;bold&lt;/b&gt;`},
		{url.Values{"action": {"resolve"}, "verdict": {"benign"}, "comment": {"Expected rotation"}}, `status-resolved`},
	}
	for _, st := range steps {
		st.form.Set("_csrf", tok)
		e.clock.Advance(time.Minute)
		resp, body := e.post(rita, "/alerts/key-0004/triage", st.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%v: %s\n%.1500s", st.form, resp.Status, body)
		}
		_, body = e.get(rita, resp.Header.Get("Location"))
		if !strings.Contains(body, st.want) {
			t.Errorf("after %s the alert's page lacks %q", st.form.Get("action"), st.want)
		}
	}
	_, body := e.get(rita, "/alerts/key-0004")
	trail := regexp.MustCompile(`<strong>rita</strong> ([^<:]+)`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range trail {
		got = append(got, strings.TrimSpace(m[1]))
	}
	if want := []string{"Resolve", "Comment", "Assign", "Acknowledge"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	_, body = e.get(rita, "/alerts?status=resolved")
	if !strings.Contains(body, `href="/alerts/key-0004"`) || !strings.Contains(body, "1 alert") {
		t.Errorf("the resolved alert is not listed as resolved:\n%.3000s", body)
	}
	s, err := e.store.AlertByKey(t.Context(), "key-0004")
	if err != nil || s.Alert.Status != alert.StatusResolved || s.Verdict != store.VerdictBenign || s.Assignee != responderName {
		t.Errorf("stored %+v, %v", s, err)
	}
	// A bad action is refused; a viewer may not triage.
	if resp, _ := e.post(rita, "/alerts/key-0004/triage", url.Values{"_csrf": {tok}, "action": {"resolve"}, "verdict": {"maybe"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("resolve with an unknown verdict: %s, want 400", resp.Status)
	}
	vic := e.client()
	vtok := e.signIn(vic, viewerName, viewerPassword)
	if resp, _ := e.post(vic, "/alerts/key-0001/triage", url.Values{"_csrf": {vtok}, "action": {"acknowledge"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer acknowledging: %s, want 403", resp.Status)
	}
}

// TestSilences silences alerts like one, from its page: the silence is
// stored with the matchers appwatch silence writes, so that watch
// suppresses alerts of that rule and app stored afterwards; it is listed
// with its history, and only its author or an admin may end it.
func TestSilences(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	ctx := t.Context()
	rita := e.client()
	tok := e.signIn(rita, responderName, responderPassword)
	form := url.Values{"_csrf": {tok}, "from": {"key-0001"}, "rule_id": {"on"}, "app_id": {"on"}, "duration": {"24h"}}
	if resp, body := e.post(rita, "/silences", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "reason") {
		t.Errorf("a silence without a reason: %s, want 400 saying why", resp.Status)
	}
	form.Set("reason", "Known rotation job during the migration")
	resp, body := e.post(rita, "/silences", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add silence: %s\n%.1500s", resp.Status, body)
	}
	sil, err := e.store.Silences(ctx, true)
	if err != nil || len(sil) != 1 {
		t.Fatalf("silences %v, %v", sil, err)
	}
	like := testAlerts(10)[1]
	want := []string{"rule=" + like.Alert.RuleID, "app=" + like.Alert.Target.AppID}
	if !slices.Equal(sil[0].Matchers, want) || sil[0].Author != "local:"+responderName || !sil[0].Expires.Equal(e.clock.Now().Add(24*time.Hour)) {
		t.Errorf("stored silence %+v, want matchers %q by local:%s for 24h", sil[0], want, responderName)
	}
	// Watch applies it: an alert like key-0001 (same rule and app) meets
	// it, one of another app does not.
	set, err := silence.NewActive(e.store, time.Minute, e.clock.Now).Set(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := testAlerts(10)[6]
	if _, ok := set.Match(&like.Alert); !ok || other.Alert.RuleID != like.Alert.RuleID {
		t.Errorf("an alert like the silenced one is not silenced by %+v", set)
	}
	if _, ok := set.Match(&other.Alert); ok {
		t.Errorf("an alert of the same rule and another app is silenced")
	}
	like.Key, like.Alert.EventID = "key-new", "b5c2a1f0-1111-4222-8333-999999999999"
	like.Status, like.SuppressedBy = alert.StatusSuppressed, store.SilenceRef(sil[0].ID)
	if _, err := e.store.Commit(ctx, &store.Batch{Source: "dir:/var/log/entra", Alerts: []store.Alert{like}}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(rita, "/alerts/key-new"); !strings.Contains(body, "Suppressed by silence #"+strconv.FormatInt(sil[0].ID, 10)) {
		t.Errorf("the alert's page does not name its silence:\n%.3000s", body)
	}
	_, body = e.get(rita, "/silences")
	if !strings.Contains(body, "Known rotation job during the migration") || !strings.Contains(body, "appwatch-owner-added") ||
		!strings.Contains(body, "local:"+responderName) {
		t.Errorf("the silence is not listed:\n%.3000s", body)
	}
	// One added with appwatch silence add is listed too; rita did not
	// make it, so she may not end it.
	cli, err := e.store.AddSilence(ctx, store.Silence{Matchers: []string{"row=ropc-signin"}, Reason: "pen test", Author: "sam", Expires: e.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	expire := func(id int64) string { return "/silences/" + strconv.FormatInt(id, 10) + "/expire" }
	if resp, _ := e.post(rita, expire(cli), url.Values{"_csrf": {tok}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a responder ending another's silence: %s, want 403", resp.Status)
	}
	vic := e.client()
	e.signIn(vic, viewerName, viewerPassword)
	if resp, _ := e.post(vic, expire(sil[0].ID), url.Values{"_csrf": {csrf(t, mustGet(e, vic, "/silences"))}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer ending a silence: %s, want 403", resp.Status)
	}
	if resp, _ := e.post(rita, expire(sil[0].ID), url.Values{"_csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("its author ending a silence: %s, want 303", resp.Status)
	}
	admin := e.client()
	atok := e.signIn(admin, adminName, adminPassword)
	if resp, _ := e.post(admin, expire(cli), url.Values{"_csrf": {atok}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("an admin ending a silence: %s, want 303", resp.Status)
	}
	if sil, _ := e.store.Silences(ctx, true); len(sil) != 0 {
		t.Errorf("silences still active: %+v", sil)
	}
	events, err := e.store.SilenceEvents(ctx, 0)
	if err != nil || len(events) != 4 || events[1].Author != "sam" || events[2].Action != "expire" || events[2].Author != "local:"+responderName ||
		events[3].Author != "local:"+adminName {
		t.Errorf("silence events %+v (err %v)", events, err)
	}
	_, body = e.get(admin, "/silences")
	if n := strings.Count(body, "</strong> Ended: #"); n != 2 {
		t.Errorf("the history lists %d silences ended, want 2:\n%.4000s", n, body)
	}
}

func mustGet(e *env, cl *http.Client, path string) string {
	_, body := e.get(cl, path)
	return body
}

// TestLanguages draws the list and an alert's page in each language the
// person chooses: the page says which, its texts are that language's,
// and no message key is left untranslated.
func TestLanguages(t *testing.T) {
	e := newEnv(t, testAlerts(10), nil)
	cl := e.client()
	tok := e.signIn(cl, adminName, adminPassword)
	key := regexp.MustCompile(`>(?:console|web|col|ctx)\.[a-z0-9.-]+<`)
	for _, lang := range i18n.Langs() {
		resp, _ := e.post(cl, "/prefs/lang", url.Values{"_csrf": {tok}, "lang": {lang}, "next": {"/alerts"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("choose %s: %s", lang, resp.Status)
		}
		p := i18n.NewPrinter(lang)
		for _, path := range []string{"/alerts", "/alerts/key-0001", "/silences", "/coverage", "/audit"} {
			_, body := e.get(cl, path)
			if !strings.Contains(body, `<html lang="`+lang+`">`) || !strings.Contains(body, ">"+p.Sprintf("console.nav.alerts")+"<") {
				t.Errorf("%s in %s: not drawn in that language", path, lang)
			}
			if m := key.FindString(body); m != "" {
				t.Errorf("%s in %s: message key %s shown", path, lang, m)
			}
		}
		_, body := e.get(cl, "/alerts/key-0001")
		if want := p.Sprintf("console.triage"); !strings.Contains(body, want) {
			t.Errorf("the alert's page in %s lacks %q", lang, want)
		}
	}
}

// TestDeliveries shows on an alert's page its deliveries from watch's
// outbox: one sent, one failing with its error, and none for an alert
// no sink takes.
func TestDeliveries(t *testing.T) {
	e := newEnv(t, testAlerts(3), nil)
	ctx := t.Context()
	routed := testAlerts(4)[3]
	routed.Routes = []store.Route{{Sink: "webhook"}, {Sink: "teams"}}
	if _, err := e.store.Commit(ctx, &store.Batch{Source: "dir:/var/log/entra", Alerts: []store.Alert{routed}}); err != nil {
		t.Fatal(err)
	}
	for sink, out := range map[string]store.Outcome{
		"webhook": {State: store.DeliverySent, Attempted: true},
		"teams":   {State: store.DeliveryPending, Due: e.clock.Now().Add(time.Minute), Attempted: true, Error: "HTTP 503 from teams"},
	} {
		ds, err := e.store.ClaimDeliveries(ctx, store.Claim{Sink: sink, Holder: "test", Limit: 10, Lease: time.Minute})
		if err != nil || len(ds) != 1 {
			t.Fatalf("claim of %s: %v %v", sink, ds, err)
		}
		out.ID = ds[0].ID
		if err := e.store.FinishDeliveries(ctx, "test", []store.Outcome{out}, nil); err != nil {
			t.Fatal(err)
		}
	}
	cl := e.client()
	e.signIn(cl, viewerName, viewerPassword)
	_, body := e.get(cl, "/alerts/"+routed.Key)
	rows := regexp.MustCompile(`<tr><th scope="row" class="mono">(\w+)</th><td>([^<]*)(?:<span class="row-key">([^<]*)</span>)?</td><td class="num">(\d+)</td>`).FindAllStringSubmatch(body, -1)
	got := map[string]string{}
	for _, r := range rows {
		got[r[1]] = strings.Join(r[2:], "|")
	}
	want := map[string]string{"webhook": "sent||1", "teams": "failing, retrying|HTTP 503 from teams|1"}
	if len(got) != len(want) || got["webhook"] != want["webhook"] || got["teams"] != want["teams"] {
		t.Errorf("deliveries shown %q, want %q", got, want)
	}
	if _, body := e.get(cl, "/alerts/key-0001"); !strings.Contains(body, "No sink takes this alert.") {
		t.Errorf("an alert no sink takes does not say so")
	}
}
