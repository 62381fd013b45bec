package decode

import (
	"cmp"
	"strings"

	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// signIn normalizes a sign-in record held in m: a Graph signIn object (v1.0
// or beta), the properties of a diagnostic record (then env is the
// envelope), a Log Analytics sign-in row or a portal CSV row.
func (d *Decoder) signIn(e *event.Event, m, env *members) {
	e.Kind = event.KindSignIn
	e.ID = m.str(sID)
	e.Time, _ = firstTime(m, sCreatedDateTime, sTimeGenerated)
	e.CorrelationID = m.str(sCorrelationID)
	e.TenantID = m.tenant()
	e.Stream = signInStream(m.str(sType))
	e.Activity = "Sign-in activity"
	if env != nil {
		fromEnvelope(e, env)
		e.Stream = env.str(sCategory)
		e.Activity = cmp.Or(env.str(sOperationName), e.Activity)
	}
	e.ActivityKey = d.activityKey(e.Activity)
	e.UserAgent = m.str(sUserAgent)

	s := &e.SignIn
	d.signInStatus(e, m, env)
	e.Result = event.ResultFailure
	if s.Status == "0" {
		e.Result = event.ResultSuccess
	}
	e.ResultReason = s.FailureReason
	s.Protocol = canonicalProtocol(m.str(sAuthProtocol))
	s.TransferMethod = canonicalProtocol(m.str(sTransferMethod))
	s.AppID = m.str(sAppID)
	s.AppName = m.str(sAppDisplayName)
	s.ResourceID = signInResource(m)
	s.ResourceName = m.str(sResourceDisplayName)
	s.ServicePrincipalID = m.str(sSPID)
	s.ServicePrincipalName = m.str(sSPName)
	s.CredentialType = canonical(m.str(sCredentialType), credentialSpellings)
	s.CredentialKeyID = m.str(sCredentialKeyID)
	s.Interactive = boolish(m.str(sIsInteractive))
	s.EventTypes = stringList(d.json(m, sSignInEventTypes), m.str(sSignInEventTypes))
	s.IncomingTokenType = canonical(m.str(sIncomingTokenType), tokenTypeSpellings)
	s.ClientApp = m.str(sClientAppUsed)
	s.ConditionalAccess = canonical(m.str(sConditionalAccess), conditionalAccessSpellings)
	s.RiskLevel = m.str(sRiskLevel)
	s.RiskState = m.str(sRiskState)
	s.AuthRequirement = canonical(m.str(sAuthRequirement), authRequirementSpellings)
	s.Device = d.device(m)
	if v := d.json(m, sNetworkLocations); v != nil {
		s.NetworkLocations = v.JSON()
	}
	s.Country = d.country(m)
	if e.Stream == "" {
		e.Stream = streamFromEventTypes(s.EventTypes, s.Interactive)
	}
	e.Actor = signInActor(m, s)
	if env != nil && e.Actor.IP == "" {
		e.Actor.IP = cleanIP(env.str(sCallerIP))
	}
	present(e, m, signInHeld)
	present(e, env, envelopeHeld)
	present(e, env, signInEnvelopeHeld)
}

// signInStatus reads the error code and failure reason: the status object
// of Graph and diagnostic records, the Status column of Log Analytics (JSON
// in a string), the envelope's resultType, or the portal's columns.
func (d *Decoder) signInStatus(e *event.Event, m, env *members) {
	s := &e.SignIn
	if st := d.json(m, sStatus); st != nil && st.Type() == lazyjson.TypeObject {
		f := d.picked[:3]
		pick(st, statusNames, f)
		s.Status, s.FailureReason, s.StatusDetail = text(f[0]), text(f[1]), text(f[2])
		if f[0] != nil {
			e.Present.Set(event.HasSignInStatus)
		}
		if f[2] != nil {
			e.Present.Set(event.HasSignInStatusDetail)
		}
		if f[1] != nil {
			e.Present.Set(event.HasSignInFailureReason)
			e.Present.Set(event.HasResultReason)
		}
	}
	if s.Status == "" {
		s.Status = m.first(sErrorCode, sResultType)
	}
	if s.Status == "" && env != nil {
		s.Status = env.str(sResultType)
	}
	if s.Status == "" {
		s.Status = statusFromText(m.str(sStatus))
	}
	if s.FailureReason == "" {
		s.FailureReason = m.first(sFailureReason, sResultDescription)
	}
	if s.FailureReason == "" && env != nil {
		s.FailureReason = env.str(sResultDescription)
	}
}

// device reads deviceDetail, or the portal's device columns; nil when the
// record has neither.
func (d *Decoder) device(m *members) *event.Device {
	if v := d.json(m, sDeviceDetail); v != nil {
		f := d.picked[:len(deviceNames)]
		pick(v, deviceNames, f)
		return &event.Device{
			ID: text(f[0]), Name: text(f[1]), OS: text(f[2]), Browser: text(f[3]), TrustType: text(f[4]),
			Compliant: boolish(text(f[5])), Managed: boolish(text(f[6])),
		}
	}
	if !m.has(sDeviceID) && !m.has(sDeviceOS) && !m.has(sDeviceBrowser) && !m.has(sDeviceCompliant) && !m.has(sDeviceTrustType) {
		return nil
	}
	return &event.Device{
		ID: m.str(sDeviceID), OS: m.str(sDeviceOS), Browser: m.str(sDeviceBrowser), TrustType: m.str(sDeviceTrustType),
		Compliant: boolish(m.str(sDeviceCompliant)), Managed: boolish(m.str(sDeviceManaged)),
	}
}

// The members of a sign-in's status and deviceDetail objects, in the
// order signInStatus and device read them with pick.
var (
	statusNames = []string{"errorCode", "failureReason", "additionalDetails"}
	deviceNames = []string{"deviceId", "displayName", "operatingSystem", "browser", "trustType", "isCompliant", "isManaged"}
)

// statusFromText maps the portal's Status column (Success, Failure,
// Interrupted) to an error code: "0" for success, "" when unknown.
func statusFromText(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "success") {
		return "0"
	}
	return ""
}

// signInResource returns the resource's app id. Log Analytics calls it
// ResourceIdentity and uses ResourceId for the Azure resource path.
func signInResource(m *members) string {
	if r := m.str(sResourceIdentity); r != "" {
		return r
	}
	if r := m.str(sResourceID); !strings.HasPrefix(r, "/") {
		return r
	}
	return ""
}

// signInActor says who signed in: the user, or for service principal and
// managed identity sign-ins, the service principal.
func signInActor(m *members, s *event.SignIn) event.Actor {
	ip := cleanIP(m.str(sIPAddress))
	userID, upn := m.str(sUserID), m.str(sUPN)
	if userID == "" && upn == "" && (s.ServicePrincipalID != "" || s.ServicePrincipalName != "") {
		return event.Actor{
			Type:               event.ActorApp,
			ID:                 s.ServicePrincipalID,
			AppID:              s.AppID,
			ServicePrincipalID: s.ServicePrincipalID,
			Name:               cmp.Or(s.ServicePrincipalName, s.AppName),
			IP:                 ip,
		}
	}
	return event.Actor{Type: event.ActorUser, ID: userID, UPN: upn, Name: m.str(sUserDisplayName), IP: ip}
}

// country reads the country from a location object, LocationDetails, the
// Log Analytics Location column (a country code) or the portal's Location
// column ("City, State, Country").
func (d *Decoder) country(m *members) string {
	if loc := d.json(m, sLocation); loc != nil {
		return getStr(loc, "countryOrRegion")
	}
	if loc := d.json(m, sLocationDetails); loc != nil {
		return getStr(loc, "countryOrRegion")
	}
	return lastPart(m.str(sLocation))
}

// lastPart returns the text after the last comma, trimmed: the country of
// the portal's "City, State, Country" Location column, or the whole text.
func lastPart(s string) string {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// canonicalProtocol returns a protocol or transfer method in the Graph
// spelling when it is a known value (the portal writes "Device code", "ROPC").
func canonicalProtocol(s string) string { return canonical(s, protocolSpellings) }

// canonical returns s in the Graph spelling that spellings gives for its
// folded form, or s trimmed when it is not a known value.
func canonical(s string, spellings map[string]string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if c, ok := spellings[event.FoldProtocol(s)]; ok {
		return c
	}
	return s
}

// credentialSpellings and conditionalAccessSpellings map the folded
// clientCredentialType and conditionalAccessStatus values to the Graph
// spelling; the portal writes display text such as "Client secret" and
// "Not Applied".
var (
	credentialSpellings = map[string]string{
		"none": "none", "clientsecret": "clientSecret", "clientassertion": "clientAssertion",
		"federatedidentitycredential": "federatedIdentityCredential", "managedidentity": "managedIdentity",
		"certificate": "certificate", "unknownfuturevalue": "unknownFutureValue",
	}
	conditionalAccessSpellings = map[string]string{
		"success": "success", "failure": "failure", "notapplied": "notApplied", "unknownfuturevalue": "unknownFutureValue",
	}
)

// tokenTypeSpellings maps the folded incomingTokenType values to the Graph
// spelling; Graph beta and the portal also write "Primary Refresh Token".
var tokenTypeSpellings = map[string]string{
	"none": "none", "primaryrefreshtoken": "primaryRefreshToken", "saml11": "saml11", "saml20": "saml20",
	"remotedesktoptoken": "remoteDesktopToken", "unknownfuturevalue": "unknownFutureValue",
}

// authRequirementSpellings maps the folded authenticationRequirement
// values to the Graph spelling; the portal writes "Single-factor
// authentication".
var authRequirementSpellings = map[string]string{
	"singlefactorauthentication": "singleFactorAuthentication", "multifactorauthentication": "multiFactorAuthentication",
}

var protocolSpellings = map[string]string{
	"none": "none", "oauth2": "oAuth2", "ropc": "ropc", "resourceownerpasswordcredentials": "ropc",
	"wsfederation": "wsFederation", "saml20": "saml20", "saml2.0": "saml20", "devicecode": "deviceCode",
	"devicecodeflow": "deviceCodeFlow", "authenticationtransfer": "authenticationTransfer",
	"unknownfuturevalue": "unknownFutureValue",
}

// signInStream maps a Log Analytics sign-in table to its diagnostic category.
func signInStream(table string) string {
	switch strings.ToLower(table) {
	case "signinlogs":
		return "SignInLogs"
	case "aadnoninteractiveusersigninlogs":
		return "NonInteractiveUserSignInLogs"
	case "aadserviceprincipalsigninlogs":
		return "ServicePrincipalSignInLogs"
	case "aadmanagedidentitysigninlogs":
		return "ManagedIdentitySignInLogs"
	}
	return ""
}

// streamFromEventTypes infers the sign-in category of a Graph signIn object.
func streamFromEventTypes(types []string, interactive string) string {
	for _, t := range types {
		switch strings.ToLower(t) {
		case "interactiveuser":
			return "SignInLogs"
		case "noninteractiveuser":
			return "NonInteractiveUserSignInLogs"
		case "serviceprincipal":
			return "ServicePrincipalSignInLogs"
		case "managedidentity":
			return "ManagedIdentitySignInLogs"
		}
	}
	switch interactive {
	case "true":
		return "SignInLogs"
	case "false":
		return "NonInteractiveUserSignInLogs"
	}
	return "SignInLogs"
}

// boolish normalizes true/false spellings; anything else is "".
func boolish(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes":
		return "true"
	case "false", "0", "no":
		return "false"
	}
	return ""
}

// stringList reads a list of strings: a JSON array, or else text separated
// by commas.
func stringList(v *lazyjson.Value, textValue string) []string {
	if v != nil && v.Type() == lazyjson.TypeArray {
		var out []string
		for _, e := range v.GetArray() {
			if s := text(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	if strings.TrimSpace(textValue) == "" {
		return nil
	}
	var out []string
	for _, s := range strings.Split(textValue, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
