package decode

import (
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/lazyjson"
)

// holding pairs a slot with the event field it fills, for recording which
// fields a record holds even empty or null (event.Presence), so that rules
// can tell "resultReason": "" from a record without resultReason.
type holding struct {
	s slot
	h event.Has
}

// auditHeld are the fields of a directory audit record, in every layout.
var auditHeld = []holding{
	{sID, event.HasID}, {sCorrelationID, event.HasCorrelationID}, {sAADTenantID, event.HasTenantID},
	{sActivityDisplayName, event.HasActivity}, {sOperationName, event.HasActivity},
	{sCategory, event.HasCategory}, {sLoggedByService, event.HasService}, {sOperationType, event.HasOperationType},
	{sResult, event.HasResult}, {sResultReason, event.HasResultReason}, {sResultDescription, event.HasResultReason},
	{sUserAgent, event.HasUserAgent},
}

// signInHeld are the fields of a sign-in record, in every layout. The
// members of the status object are recorded by signInStatus.
var signInHeld = []holding{
	{sID, event.HasID}, {sCorrelationID, event.HasCorrelationID}, {sAADTenantID, event.HasTenantID},
	{sUserAgent, event.HasUserAgent},
	{sErrorCode, event.HasSignInStatus}, {sResultType, event.HasSignInStatus},
	{sFailureReason, event.HasSignInFailureReason}, {sFailureReason, event.HasResultReason},
	{sResultDescription, event.HasSignInFailureReason}, {sResultDescription, event.HasResultReason},
	{sAuthProtocol, event.HasSignInProtocol}, {sTransferMethod, event.HasSignInTransferMethod},
	{sAppID, event.HasSignInAppID}, {sAppDisplayName, event.HasSignInAppName},
	{sResourceIdentity, event.HasSignInResourceID}, {sResourceDisplayName, event.HasSignInResourceName},
	{sSPID, event.HasSignInSPID}, {sSPName, event.HasSignInSPName},
	{sCredentialType, event.HasSignInCredentialType}, {sCredentialKeyID, event.HasSignInCredentialKeyID},
	{sIsInteractive, event.HasSignInInteractive}, {sIncomingTokenType, event.HasSignInIncomingTokenType},
	{sClientAppUsed, event.HasSignInClientApp}, {sConditionalAccess, event.HasSignInConditionalAccess},
	{sRiskLevel, event.HasSignInRiskLevel}, {sRiskState, event.HasSignInRiskState},
	{sAuthRequirement, event.HasSignInAuthRequirement}, {sNetworkLocations, event.HasSignInNetworkLocations},
	{sUserID, event.HasActorID}, {sUPN, event.HasActorUPN}, {sUserDisplayName, event.HasActorName},
	{sIPAddress, event.HasActorIP},
}

// riskHeld are the fields of a risk detection, in every layout.
var riskHeld = []holding{
	{sID, event.HasID}, {sCorrelationID, event.HasCorrelationID}, {sAADTenantID, event.HasTenantID},
	{sRiskEventType, event.HasRiskEventType}, {sRiskType, event.HasRiskEventType},
	{sRiskState, event.HasRiskState}, {sRiskLevelPlain, event.HasRiskLevel}, {sRiskDetail, event.HasRiskDetail},
	{sSource, event.HasRiskSource}, {sDetectionTiming, event.HasRiskTiming},
	{sUserID, event.HasActorID}, {sUPN, event.HasActorUPN}, {sUserDisplayName, event.HasActorName},
	{sIPAddress, event.HasActorIP},
}

// envelopeHeld are the fields the envelope of a diagnostic record gives
// the audit, sign-in and risk records in its properties.
var envelopeHeld = []holding{
	{sCorrelationID, event.HasCorrelationID}, {sTenantID, event.HasTenantID},
}

// memberHeld pairs a member of an object with the event field it fills.
type memberHeld struct {
	name string
	h    event.Has
}

// userHeld and appHeld are the fields the user or app of an audit
// record's initiatedBy fill.
var (
	userHeld = []memberHeld{
		{"id", event.HasActorID}, {"userPrincipalName", event.HasActorUPN},
		{"displayName", event.HasActorName}, {"ipAddress", event.HasActorIP},
	}
	appHeld = []memberHeld{
		{"servicePrincipalId", event.HasActorID}, {"servicePrincipalId", event.HasActorSPID},
		{"displayName", event.HasActorName},
	}
)

// initiatorHeld records in e which fields the initiatedBy object v holds
// for the actor the event names.
func initiatorHeld(e *event.Event, v *lazyjson.Value) {
	var held []memberHeld
	switch e.Actor.Type {
	case event.ActorUser:
		v, held = get(v, "user"), userHeld
	case event.ActorApp:
		v, held = get(v, "app"), appHeld
	}
	for _, x := range held {
		if get(v, x.name) != nil {
			e.Present.Set(x.h)
		}
	}
}

// present records in e which of the fields in held the record m holds.
func present(e *event.Event, m *members, held []holding) {
	if m == nil {
		return
	}
	for _, x := range held {
		if m.holds(x.s) {
			e.Present.Set(x.h)
		}
	}
}

// signInEnvelopeHeld are the fields the envelope of a sign-in diagnostic
// record gives beyond envelopeHeld.
var signInEnvelopeHeld = []holding{
	{sResultType, event.HasSignInStatus},
	{sResultDescription, event.HasSignInFailureReason}, {sResultDescription, event.HasResultReason},
	{sCallerIP, event.HasActorIP},
}

// correlationHeld are the fields of Key Vault and Activity Log records
// read from the correlation id, which stands in for their record id.
var correlationHeld = []holding{{sCorrelationID, event.HasID}, {sCorrelationID, event.HasCorrelationID}}

// legacyHeld are the fields Key Vault records and 2018 audit records give
// at their top level, beside correlationHeld.
var legacyHeld = []holding{{sOperationName, event.HasActivity}, {sResultDescription, event.HasResultReason}}
