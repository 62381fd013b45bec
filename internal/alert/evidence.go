package alert

import (
	"cmp"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/modprop"
)

// Evidence returns the decoded values that explain an alert about e: the
// activity as logged, and whatever the event says about credentials,
// permissions, roles, URIs, sign-ins, Key Vault requests, Azure
// operations or risk detections. Empty facts are left out.
func Evidence(e *event.Event) map[string]any {
	ev := map[string]any{}
	put(ev, "activity", e.Activity)
	put(ev, "result", e.Result)
	put(ev, "result_reason", e.ResultReason)
	d := &e.Derived
	if c := d.Credential; len(c.Added)+len(c.Removed) > 0 {
		m := map[string]any{}
		putCreds(m, "added", c.Added)
		putCreds(m, "removed", c.Removed)
		if c.Before >= 0 {
			m["existing_before"] = c.Before
		}
		put(m, "on", c.Target)
		ev["credential"] = m
	}
	if g := d.Grant; g.Type != "" {
		ev["grant"] = grantEvidence(g)
	}
	if r := d.Role; r.Name != "" || r.TemplateID != "" {
		m := map[string]any{}
		put(m, "name", r.Name)
		put(m, "id", r.TemplateID)
		put(m, "privileged", r.Privileged)
		put(m, "source", r.Source)
		put(m, "member_type", r.MemberType)
		put(m, "member_id", r.MemberID)
		put(m, "scope", r.Scope)
		put(m, "change", r.Change)
		put(m, "assignment", r.Assignment)
		put(m, "stage", r.Stage)
		put(m, "member_from", r.MemberFrom)
		if r.Change != "" {
			put(m, "logged_by", e.Service)
		}
		if r.ViaPIM {
			m["via_pim"] = true
		}
		ev["role"] = m
	}
	putMap(ev, "uri", uriEvidence(d.URI))
	if d.App.Suspicious != "" {
		ev["suspicious_app_name"] = d.App.Suspicious
	}
	switch e.Kind {
	case event.KindSignIn:
		putMap(ev, "signin", signInEvidence(&e.SignIn))
	case event.KindKeyVault:
		putMap(ev, "keyvault", keyVaultEvidence(&e.KeyVault))
	case event.KindActivity:
		putMap(ev, "azure", azureEvidence(&e.Azure))
	case event.KindRisk:
		putMap(ev, "risk", riskEvidence(&e.Risk))
	}
	return ev
}

func riskEvidence(r *event.Risk) map[string]any {
	m := map[string]any{}
	put(m, "event_type", r.EventType)
	put(m, "state", r.State)
	put(m, "level", r.Level)
	put(m, "detail", r.Detail)
	put(m, "source", r.Source)
	put(m, "timing", r.Timing)
	put(m, "activity", r.Activity)
	return m
}

func put(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func putMap(m map[string]any, k string, v map[string]any) {
	if len(v) > 0 {
		m[k] = v
	}
}

func putCreds(m map[string]any, k string, cs []modprop.Credential) {
	if len(cs) == 0 {
		return
	}
	out := make([]map[string]string, 0, len(cs))
	for _, c := range cs {
		item := map[string]string{"key_id": c.KeyID, "type": c.Type}
		if c.Usage != "" {
			item["usage"] = c.Usage
		}
		if c.DisplayName != "" {
			item["display_name"] = c.DisplayName
		}
		out = append(out, item)
	}
	m[k] = out
}

func grantEvidence(g event.GrantFacts) map[string]any {
	m := map[string]any{"type": g.Type}
	put(m, "api", g.API)
	put(m, "api_id", g.APIID)
	m["api_sensitive"] = g.APISensitive
	if len(g.Permissions) > 0 {
		m["permissions"] = g.Permissions
	}
	put(m, "level", g.Level)
	put(m, "consent_type", g.ConsentType)
	put(m, "admin_consent", g.AdminConsent)
	put(m, "client_sp_id", g.ClientSPID)
	put(m, "client_app_id", g.ClientAppID)
	put(m, "client_name", g.ClientName)
	return m
}

func uriEvidence(u event.URIFacts) map[string]any {
	m := map[string]any{}
	if len(u.RedirectAdded) > 0 {
		m["redirect_added"] = u.RedirectAdded
	}
	if len(u.RedirectRemoved) > 0 {
		m["redirect_removed"] = u.RedirectRemoved
	}
	if len(u.IdentifierAdded) > 0 {
		m["identifier_added"] = u.IdentifierAdded
	}
	if len(u.IdentifierRemoved) > 0 {
		m["identifier_removed"] = u.IdentifierRemoved
	}
	if u.LogoutChanged {
		m["logout_old"] = u.LogoutOld
		m["logout_new"] = u.LogoutNew
		if len(u.LogoutIssues) > 0 {
			m["logout_issues"] = u.LogoutIssues
		}
		if u.LogoutHost != nil {
			m["logout_host"] = u.LogoutHost
		}
		if u.LogoutOwnership != "" {
			m["logout_ownership"] = u.LogoutOwnership
		}
	}
	return m
}

func signInEvidence(s *event.SignIn) map[string]any {
	m := map[string]any{}
	put(m, "protocol", s.Protocol)
	put(m, "transfer_method", s.TransferMethod)
	put(m, "status", s.Status)
	put(m, "failure_reason", s.FailureReason)
	put(m, "app", cmp.Or(s.AppName, s.AppID))
	put(m, "app_id", s.AppID)
	put(m, "resource", cmp.Or(s.ResourceName, s.ResourceID))
	put(m, "client_app", s.ClientApp)
	put(m, "credential_type", s.CredentialType)
	put(m, "country", s.Country)
	return m
}

func keyVaultEvidence(k *event.KeyVault) map[string]any {
	m := map[string]any{}
	put(m, "operation", k.Operation)
	put(m, "vault", k.Vault)
	put(m, "object", k.Object)
	put(m, "http_status", k.HTTPStatus)
	put(m, "result_signature", k.ResultSignature)
	put(m, "client_info", k.ClientInfo)
	if k.Added != nil {
		m["access_policy_added"] = k.Added
	}
	if k.Removed != nil {
		m["access_policy_removed"] = k.Removed
	}
	return m
}

func azureEvidence(a *event.Azure) map[string]any {
	m := map[string]any{}
	put(m, "operation", a.Operation)
	put(m, "operation_name", a.OperationDisplay)
	put(m, "status", a.Status)
	put(m, "resource_id", a.ResourceID)
	put(m, "principal_id", a.PrincipalID)
	put(m, "principal_type", a.PrincipalType)
	put(m, "role_definition_id", a.RoleDefinitionID)
	put(m, "scope", a.Scope)
	return m
}
