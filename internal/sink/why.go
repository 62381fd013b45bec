package sink

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/i18n"
)

// why explains an alert in a few short clauses, from its evidence and
// context: the credential added, the permissions and API, the role, the
// URIs and what is wrong with them, the sign-in protocol, the Key Vault or
// Azure operation and status, the risk detected, and whether it happened
// outside business hours. It falls back to the activity when the evidence says nothing
// else.
func why(p *i18n.Printer, a *alert.Alert) []string {
	ev := plain(a.Evidence)
	var out []string
	out = append(out, credentialWhy(p, obj(ev, "credential"))...)
	out = append(out, grantWhy(p, obj(ev, "grant"))...)
	out = append(out, roleWhy(p, obj(ev, "role"))...)
	out = append(out, uriWhy(p, obj(ev, "uri"))...)
	if s := str(obj(ev, "signin"), "protocol"); s != "" {
		out = append(out, p.Sprintf("why.protocol", s))
	}
	out = append(out, operationWhy(p, "why.keyvault", obj(ev, "keyvault"))...)
	out = append(out, operationWhy(p, "why.azure", obj(ev, "azure"))...)
	if r := obj(ev, "risk"); str(r, "event_type") != "" {
		out = append(out, p.Sprintf("why.risk", strings.TrimSpace(str(r, "event_type")+" "+str(r, "level"))))
	}
	if s := str(ev, "suspicious_app_name"); s != "" {
		out = append(out, p.Sprintf("why.suspicious-name", suspicion(p, s)))
	}
	out = append(out, postureWhy(p, ev, a.Time)...)
	if o := obj(ev, "owner"); o != nil {
		out = append(out, p.Sprintf("why.owner-added", cmp.Or(str(o, "upn"), str(o, "name"), str(o, "id"))))
	}
	if n, ok := ev["count"].(float64); ok && ev["steps"] != nil {
		out = append(out, p.Sprintf("why.related", int(n)))
	}
	if str(ev, "result") == event.ResultFailure && str(ev, "result_reason") != "" {
		out = append(out, p.Sprintf("why.failed", str(ev, "result_reason")))
	}
	if len(out) == 0 && str(ev, "activity") != "" {
		out = append(out, p.Sprintf("why.activity", str(ev, "activity")))
	}
	if str(ev, "found_by") == "snapshot-comparison" {
		out = append(out, p.Sprintf("why.snapshots"))
	}
	return append(out, contextWhy(p, a)...)
}

func contextWhy(p *i18n.Printer, a *alert.Alert) []string {
	var out []string
	if a.OutsideBusinessHours {
		out = append(out, p.Sprintf("ctx.outside-hours"))
	}
	if a.ChangeWindow != "" {
		out = append(out, p.Sprintf("ctx.change-window", a.ChangeWindow))
	}
	if a.ApprovedActor {
		out = append(out, p.Sprintf("ctx.approved-actor"))
	}
	return out
}

func credentialWhy(p *i18n.Printer, c map[string]any) []string {
	var out []string
	if s := credentials(p, list(c, "added")); s != "" {
		out = append(out, p.Sprintf("why.cred-added", s))
	}
	if s := credentials(p, list(c, "removed")); s != "" {
		out = append(out, p.Sprintf("why.cred-removed", s))
	}
	return out
}

// credentials names each credential by its type and display name.
func credentials(p *i18n.Printer, items []any) string {
	var names []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		s := cmp.Or(str(m, "type"), str(m, "key_id"))
		if n := str(m, "display_name"); n != "" {
			s = strings.TrimSpace(s + ` "` + n + `"`)
		}
		names = append(names, s)
	}
	return strings.Join(uniq(names), p.Sprintf("why.list-sep"))
}

func grantWhy(p *i18n.Printer, g map[string]any) []string {
	if g == nil {
		return nil
	}
	var perms []string
	for _, it := range list(g, "permissions") {
		m, _ := it.(map[string]any)
		perms = append(perms, str(m, "value"))
	}
	ps := strings.Join(uniq(perms), p.Sprintf("why.list-sep"))
	api := cmp.Or(str(g, "api"), str(g, "api_id"), p.Sprintf("why.none"))
	typ := str(g, "type")
	var out []string
	switch {
	case ps != "" && typ == "application":
		out = append(out, p.Sprintf("why.grant-application", ps, api))
	case ps != "" && typ == "delegated":
		out = append(out, p.Sprintf("why.grant-delegated", ps, api))
	default:
		out = append(out, p.Sprintf("why.grant-api", api))
	}
	if str(g, "consent_type") == "AllPrincipals" {
		out = append(out, p.Sprintf("why.all-users"))
	}
	switch str(g, "admin_consent") {
	case "false":
		out = append(out, p.Sprintf("why.user-consent"))
	case "true":
		if typ == "delegated" {
			out = append(out, p.Sprintf("why.admin-consent"))
		}
	}
	return out
}

func roleWhy(p *i18n.Printer, r map[string]any) []string {
	name := cmp.Or(str(r, "name"), str(r, "id"))
	if name == "" {
		return nil
	}
	name = p.Role(name)
	if str(r, "privileged") == "true" {
		return []string{p.Sprintf("why.role-privileged", name)}
	}
	return []string{p.Sprintf("why.role", name)}
}

func uriWhy(p *i18n.Printer, u map[string]any) []string {
	var out []string
	add := func(key string, items []any) {
		if s := uris(p, items); s != "" {
			out = append(out, p.Sprintf(key, s))
		}
	}
	add("why.redirect-added", list(u, "redirect_added"))
	add("why.redirect-removed", list(u, "redirect_removed"))
	add("why.identifier-added", list(u, "identifier_added"))
	add("why.identifier-removed", list(u, "identifier_removed"))
	_, oldOK := u["logout_old"]
	_, newOK := u["logout_new"]
	if oldOK || newOK {
		none := p.Sprintf("why.none")
		s := p.Sprintf("why.logout", cmp.Or(str(u, "logout_old"), none), cmp.Or(str(u, "logout_new"), none))
		out = append(out, s+issues(p, list(u, "logout_issues"), hostWords(p, obj(u, "logout_host"), str(u, "logout_ownership"))...))
	}
	return out
}

// uris lists URIs, each followed by what is wrong with it. An item is a
// URI or an object with "uri" and "issues".
func uris(p *i18n.Printer, items []any) string {
	var out []string
	for _, it := range items {
		switch v := it.(type) {
		case string:
			out = append(out, v)
		case map[string]any:
			out = append(out, str(v, "uri")+issues(p, list(v, "issues"), hostWords(p, obj(v, "host"), str(v, "ownership"))...))
		}
	}
	return strings.Join(uniq(out), p.Sprintf("why.list-sep"))
}

// hostWords names the shared domain a URI's host is under, and says when
// nothing could tell whether the tenant owns it.
func hostWords(p *i18n.Printer, host map[string]any, ownership string) []string {
	var out []string
	if c := str(host, "category"); c != "" && i18n.Has(i18n.English, "host."+c) {
		out = append(out, p.Sprintf("host."+c, cmp.Or(str(host, "owner"), str(host, "suffix"))))
	}
	if ownership == event.OwnershipUndecided {
		out = append(out, p.Sprintf("ownership.undecided"))
	}
	return out
}

// issues writes issue codes in words, then any more words, in
// parentheses after a space, or nothing when there are none.
func issues(p *i18n.Printer, codes []any, more ...string) string {
	var words []string
	for _, c := range codes {
		code, _ := c.(string)
		if i18n.Has(i18n.English, "issue."+code) {
			code = p.Sprintf("issue." + code)
		}
		words = append(words, code)
	}
	words = uniq(append(words, more...))
	if len(words) == 0 {
		return ""
	}
	return " (" + strings.Join(words, p.Sprintf("why.list-sep")) + ")"
}

// operationWhy explains a Key Vault or Azure operation: its name and
// object, its status, and any access policy change.
func operationWhy(p *i18n.Printer, key string, m map[string]any) []string {
	var out []string
	if op := str(m, "operation"); op != "" {
		if o := str(m, "object"); o != "" {
			op += " " + o
		}
		out = append(out, p.Sprintf(key, op))
	}
	if s := cmp.Or(str(m, "http_status"), str(m, "status")); s != "" {
		out = append(out, p.Sprintf("why.status", s))
	}
	if m["access_policy_added"] != nil || m["access_policy_removed"] != nil {
		out = append(out, p.Sprintf("why.kv-policy"))
	}
	return out
}

// suspicion says in p's language why an app's name deserves a look. The
// enricher writes "generic name" or "looks like NAME" into the evidence;
// other text is returned as it is.
func suspicion(p *i18n.Printer, s string) string {
	switch {
	case s == "generic name":
		return p.Sprintf("why.generic-name")
	case strings.HasPrefix(s, "looks like "):
		return p.Sprintf("why.looks-like", strings.TrimPrefix(s, "looks like "))
	}
	return s
}

// postureWhy explains the evidence of posture findings: the credentials
// and their dates, secrets kept where a certificate would do, where the
// app is registered, the URIs and what DNS said of them, a missing logout
// URL, user owners and the privileges they hold. now is the time of the
// evaluation, which tells expired credentials from expiring ones.
func postureWhy(p *i18n.Printer, ev map[string]any, now string) []string {
	var out []string
	if s := credentialItems(p, list(ev, "credentials"), now); s != "" {
		out = append(out, s)
	}
	if s := credentialItems(p, list(ev, "secrets"), now); s != "" {
		out = append(out, s)
	}
	for _, r := range list(ev, "reasons") {
		if code, _ := r.(string); code != "" {
			out = append(out, p.Sprintf("why.reason-"+code))
		}
	}
	switch o := str(ev, "app_origin"); o {
	case "first_party":
		out = append(out, p.Sprintf("why.origin-first-party"))
	case "multi_tenant":
		out = append(out, p.Sprintf("why.origin-other-tenant", cmp.Or(str(ev, "app_owner_tenant"), "?")))
	}
	if items := list(ev, "uris"); len(items) > 0 {
		out = append(out, p.Count("why.uris", len(items), placedURIs(p, items)))
	}
	if _, ok := ev["logout_url"]; ok && str(ev, "state") != "" {
		key := "why.logout-missing"
		if str(ev, "state") == "blank" {
			key = "why.logout-blank"
		}
		out = append(out, p.Sprintf(key))
	}
	if s := people(p, list(ev, "owners")); s != "" {
		out = append(out, p.Sprintf("why.user-owners", s))
	}
	if s := privileges(p, obj(ev, "privileges")); s != "" {
		out = append(out, p.Sprintf("why.holds", s))
	}
	return out
}

// credentialItems names each credential by kind and display name, with
// its lifetime against the limit, or when it ended or ends.
func credentialItems(p *i18n.Printer, items []any, now string) string {
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		s := p.Sprintf("why.kind-" + cmp.Or(str(m, "kind"), "secret"))
		if n := cmp.Or(str(m, "display_name"), str(m, "key_id")); n != "" {
			s += ` "` + n + `"`
		}
		var detail string
		end := str(m, "end")
		switch {
		case str(m, "lifetime_days") != "":
			detail = p.Sprintf("why.cred-days", str(m, "lifetime_days"), str(m, "limit_days"))
		case end != "" && end <= now:
			detail = p.Sprintf("why.cred-ended", day(end))
		case end != "":
			detail = p.Sprintf("why.cred-ends", day(end))
		}
		if detail != "" {
			s += " (" + detail + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, p.Sprintf("why.list-sep"))
}

// day is the date of an RFC 3339 time.
func day(t string) string {
	if len(t) >= len("2006-01-02") {
		return t[:len("2006-01-02")]
	}
	return t
}

// placedURIs lists URIs with where they are set (web, spa, identifier,
// logout) and what DNS said of their host.
func placedURIs(p *i18n.Printer, items []any) string {
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		var notes []string
		if w := str(m, "where"); w != "" {
			notes = append(notes, w)
		}
		if d := str(m, "dns"); d != "" {
			notes = append(notes, "DNS "+d)
		}
		if str(m, "claimable") == "true" {
			notes = append(notes, p.Sprintf("issue.claimable_host"))
		}
		if s := people(p, list(m, "also_on")); s != "" {
			notes = append(notes, p.Sprintf("why.also-on", s))
		}
		s := str(m, "uri")
		if len(notes) > 0 {
			s += " (" + strings.Join(notes, p.Sprintf("why.list-sep")) + ")"
		}
		out = append(out, s)
	}
	return strings.Join(uniq(out), p.Sprintf("why.list-sep"))
}

// people names users or apps by their best name.
func people(p *i18n.Printer, items []any) string {
	var names []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		names = append(names, cmp.Or(str(m, "upn"), str(m, "name"), str(m, "app_id"), str(m, "id")))
	}
	return strings.Join(uniq(names), p.Sprintf("why.list-sep"))
}

// privileges lists the permissions and roles that make an app privileged.
func privileges(p *i18n.Printer, m map[string]any) string {
	var names []string
	for _, it := range list(m, "permissions") {
		pm, _ := it.(map[string]any)
		names = append(names, str(pm, "value"))
	}
	for _, it := range list(m, "roles") {
		rm, _ := it.(map[string]any)
		names = append(names, cmp.Or(str(rm, "name"), str(rm, "id")))
	}
	return strings.Join(uniq(names), p.Sprintf("why.list-sep"))
}

// plain returns evidence as JSON would decode it (maps of string to any,
// slices of any, strings, float64, bool), so that alerts built in memory
// and alerts read back from JSON explain themselves alike. Evidence that
// does not encode counts as empty.
func plain(ev map[string]any) map[string]any {
	b, err := json.Marshal(ev)
	if err != nil {
		return map[string]any{}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return map[string]any{}
	}
	return m
}

func obj(m map[string]any, k string) map[string]any {
	v, _ := m[k].(map[string]any)
	return v
}

func list(m map[string]any, k string) []any {
	v, _ := m[k].([]any)
	return v
}

// str returns m[k] as text: strings as they are, numbers and booleans
// formatted, anything else empty.
func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}
