package decode

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// Claim names in Key Vault identity claims: data-plane records use the
// short JWT names, management-plane records the long URIs.
const (
	claimOIDLong  = "http://schemas.microsoft.com/identity/claims/objectidentifier"
	claimUPNLong  = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"
	claimNameLong = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
	claimTIDLong  = "http://schemas.microsoft.com/identity/claims/tenantid"
)

// keyVault normalizes a Key Vault AuditEvent diagnostic record. Its
// resultType says Success even when the request was refused, so the result
// comes from the HTTP status and the result signature.
func (d *Decoder) keyVault(e *event.Event, env *members, props *lazyjson.Value) {
	e.Kind = event.KindKeyVault
	e.Time, _ = firstTime(env, sTime)
	e.CorrelationID = env.str(sCorrelationID)
	e.ID = e.CorrelationID
	e.Stream = cmp.Or(env.str(sCategory), "AuditEvent")
	e.Activity = env.str(sOperationName)
	e.ActivityKey = d.activityKey(e.Activity)
	e.ResultReason = env.str(sResultDescription)
	present(e, env, correlationHeld)
	present(e, env, legacyHeld)
	claims := get(env.v[sIdentity], "claim")
	e.Actor = claimsActor(claims, cleanIP(env.str(sCallerIP)))
	kv := &e.KeyVault
	kv.Operation = e.Activity
	kv.ResourceID = env.str(sResourceID)
	kv.Object = getStr(props, "id")
	kv.RequestURI = getStr(props, "requestUri")
	kv.HTTPStatus = getStr(props, "httpStatusCode")
	kv.ResultSignature = env.str(sResultSignature)
	kv.ClientInfo = getStr(props, "clientInfo")
	kv.Vault = vaultName(kv.ResourceID, kv.Object)
	kv.Added = accessPolicy(get(props, "addedAccessPolicy"))
	kv.Removed = accessPolicy(get(props, "removedAccessPolicy"))
	e.UserAgent = kv.ClientInfo
	e.TenantID = cmp.Or(env.str(sTenantID), claimTenant(claims), getStr(get(props, "properties"), "tenantId"))
	e.Result = keyVaultResult(kv.HTTPStatus, kv.ResultSignature, env.str(sResultType))
}

// claimTenant returns the tenant named in token claims.
func claimTenant(claims *lazyjson.Value) string {
	return cmp.Or(getStr(claims, "tid"), getStr(claims, claimTIDLong))
}

// claimsActor says who made a Key Vault request from its token claims: a
// user when the token names one, an application otherwise.
func claimsActor(claims *lazyjson.Value, ip string) event.Actor {
	return claimActor(
		cmp.Or(getStr(claims, "oid"), getStr(claims, claimOIDLong)),
		cmp.Or(getStr(claims, "upn"), getStr(claims, claimUPNLong)),
		cmp.Or(getStr(claims, "unique_name"), getStr(claims, claimNameLong), getStr(claims, "name")),
		getStr(claims, "appid"),
		ip,
	)
}

// claimActor says who made a request from the object id, user principal
// name, name and app id its token names: a user when there is a user
// principal name, an application when there is an object or app id, the
// system otherwise.
func claimActor(oid, upn, name, appID, ip string) event.Actor {
	switch {
	case upn != "":
		return event.Actor{Type: event.ActorUser, ID: oid, UPN: upn, Name: name, AppID: appID, IP: ip}
	case oid != "" || appID != "":
		return event.Actor{Type: event.ActorApp, ID: oid, AppID: appID, ServicePrincipalID: oid, Name: name, IP: ip}
	}
	return event.Actor{Type: event.ActorSystem, IP: ip}
}

// keyVaultResult decides success from the HTTP status first, then the
// result signature, and only then the resultType, which Key Vault sets to
// Success for refused requests too.
func keyVaultResult(status, signature, resultType string) string {
	if code, err := strconv.Atoi(strings.TrimSpace(status)); err == nil {
		if code >= 400 || isFailureSignature(signature) {
			return event.ResultFailure
		}
		return event.ResultSuccess
	}
	switch {
	case isFailureSignature(signature):
		return event.ResultFailure
	case signature != "":
		return event.ResultSuccess
	}
	return auditResult(resultType)
}

// isFailureSignature reports whether a result signature names an error,
// such as Forbidden, Not Found, Unauthorized, Bad Request or Conflict.
func isFailureSignature(s string) bool {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "", "ok", "accepted", "created", "nocontent", "success", "succeeded":
		return false
	}
	if code, err := strconv.Atoi(s); err == nil {
		return code >= 400
	}
	return true
}

// vaultName returns the vault's name, lower case: the last segment of its
// resource id, or the host name's first label of the object URI.
func vaultName(resourceID, object string) string {
	if i := lastIndexFold(resourceID, "/vaults/"); i >= 0 {
		name := resourceID[i+len("/vaults/"):]
		if j := strings.IndexByte(name, '/'); j >= 0 {
			name = name[:j]
		}
		return strings.ToLower(name)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(object, "https://"), "http://")
	if i := strings.IndexByte(host, '.'); i > 0 {
		return strings.ToLower(host[:i])
	}
	return ""
}

// accessPolicy reads an addedAccessPolicy or removedAccessPolicy object.
func accessPolicy(v *lazyjson.Value) *event.AccessPolicy {
	if v == nil || v.Type() != lazyjson.TypeObject {
		return nil
	}
	perms := get(v, "Permissions")
	return &event.AccessPolicy{
		ObjectID:     getStr(v, "ObjectId"),
		TenantID:     getStr(v, "TenantId"),
		Keys:         stringList(get(perms, "keys"), ""),
		Secrets:      stringList(get(perms, "secrets"), ""),
		Certificates: stringList(get(perms, "certificates"), ""),
		Storage:      stringList(get(perms, "storage"), ""),
	}
}

// isKeyVaultRow reports whether m is an AzureDiagnostics row of Key Vault.
func isKeyVaultRow(m *members) bool {
	return strings.EqualFold(m.str(sResourceProvider), "MICROSOFT.KEYVAULT") ||
		strings.EqualFold(m.str(sType), "AZKVAuditLogs") ||
		isKeyVaultResource(m.str(sResourceID)) && m.has(sOperationName) && !m.has(sOperationNameValue)
}

// keyVaultRow normalizes a Key Vault row of Log Analytics: the
// AzureDiagnostics table, whose nested fields are flattened into columns
// named like identity_claim_appid_g and httpStatusCode_d, or the
// resource-specific AZKVAuditLogs table, which keeps Identity as JSON.
func (d *Decoder) keyVaultRow(e *event.Event, m *members) {
	e.Kind = event.KindKeyVault
	e.Time, _ = firstTime(m, sTimeGenerated, sTime)
	e.CorrelationID = m.str(sCorrelationID)
	e.ID = e.CorrelationID
	e.Stream = "AuditEvent"
	e.Activity = m.str(sOperationName)
	e.ActivityKey = d.activityKey(e.Activity)
	e.ResultReason = m.str(sResultDescription)
	present(e, m, correlationHeld)
	present(e, m, legacyHeld)
	ip := cleanIP(cmp.Or(m.str(sCallerIP), m.column("CallerIPAddress")))
	claims := get(d.json(m, sIdentity), "claim")
	if claims != nil {
		e.Actor = claimsActor(claims, ip)
	} else {
		e.Actor = flatClaimsActor(m, ip)
	}
	kv := &e.KeyVault
	kv.Operation = e.Activity
	kv.ResourceID = cmp.Or(m.str(sResourceID), m.column("_ResourceId"))
	kv.Object = cmp.Or(m.column("id_s"), m.str(sID))
	kv.RequestURI = cmp.Or(m.column("requestUri_s"), m.column("RequestUri"))
	kv.HTTPStatus = strings.TrimSuffix(cmp.Or(m.column("httpStatusCode_d"), m.column("HttpStatusCode")), ".0")
	kv.ResultSignature = m.str(sResultSignature)
	kv.ClientInfo = cmp.Or(m.column("clientInfo_s"), m.column("ClientInfo"))
	kv.Vault = vaultName(kv.ResourceID, kv.Object)
	if kv.Vault == "" {
		kv.Vault = strings.ToLower(m.str(sResourceDisplayName))
	}
	kv.Added = d.flatPolicy(m, "addedAccessPolicy_")
	kv.Removed = d.flatPolicy(m, "removedAccessPolicy_")
	e.UserAgent = kv.ClientInfo
	e.TenantID = cmp.Or(m.tenant(), claimTenant(claims), m.column("identity_claim_tid_g"), m.column("properties_tenantId_g"))
	e.Result = keyVaultResult(kv.HTTPStatus, kv.ResultSignature, m.str(sResultType))
}

// flatClaimsActor says who made a Key Vault request from the claim columns
// of an AzureDiagnostics row, short (identity_claim_upn_s) or long
// (identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s).
func flatClaimsActor(m *members, ip string) event.Actor {
	col := func(short, long string) string {
		return cmp.Or(m.column("identity_claim_"+short), m.column("identity_claim_"+long))
	}
	return claimActor(
		col("oid_g", "http_schemas_microsoft_com_identity_claims_objectidentifier_g"),
		col("upn_s", "http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"),
		col("unique_name_s", "http_schemas_xmlsoap_org_ws_2005_05_identity_claims_name_s"),
		m.column("identity_claim_appid_g"),
		ip,
	)
}

// flatPolicy reads an access policy change flattened into columns with the
// given prefix (addedAccessPolicy_ObjectId_g,
// addedAccessPolicy_Permissions_keys_s, ...).
func (d *Decoder) flatPolicy(m *members, prefix string) *event.AccessPolicy {
	oid := m.column(prefix + "ObjectId_g")
	if oid == "" {
		return nil
	}
	perms := func(kind string) []string {
		t := m.column(prefix + "Permissions_" + kind + "_s")
		return stringList(d.jsonText(t), strings.Trim(t, "[]"))
	}
	return &event.AccessPolicy{
		ObjectID:     oid,
		TenantID:     m.column(prefix + "TenantId_g"),
		Keys:         perms("keys"),
		Secrets:      perms("secrets"),
		Certificates: perms("certificates"),
		Storage:      perms("storage"),
	}
}
