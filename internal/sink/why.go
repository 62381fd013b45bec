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
		out = append(out, p.Sprintf("why.suspicious-name", s))
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
