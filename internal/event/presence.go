package event

// Has names a field of the event whose presence in the record is kept
// apart from its value, so that a field the record holds empty or null
// ("resultReason": "") is told from one the record does not have. Each
// Has is one bit of Presence.
type Has uint8

// The fields whose presence decoders record. Every one of them is a text
// field read from one member (or column) of the record, whichever name the
// layout gives it.
const (
	HasID Has = iota
	HasCorrelationID
	HasTenantID
	HasActivity
	HasCategory
	HasService
	HasOperationType
	HasResult
	HasResultReason
	HasUserAgent
	HasActorID
	HasActorUPN
	HasActorName
	HasActorIP
	HasActorSPID
	HasSignInProtocol
	HasSignInTransferMethod
	HasSignInStatus
	HasSignInFailureReason
	HasSignInStatusDetail
	HasSignInAuthRequirement
	HasSignInRiskState
	HasSignInNetworkLocations
	HasSignInAppID
	HasSignInAppName
	HasSignInResourceID
	HasSignInResourceName
	HasSignInSPID
	HasSignInSPName
	HasSignInCredentialType
	HasSignInCredentialKeyID
	HasSignInInteractive
	HasSignInIncomingTokenType
	HasSignInClientApp
	HasSignInConditionalAccess
	HasSignInRiskLevel
	HasRiskEventType
	HasRiskState
	HasRiskLevel
	HasRiskDetail
	HasRiskSource
	HasRiskTiming
	numHas
)

// Presence is the set of fields the record holds, with a value or empty or
// null. Decoders fill it; it is a value, so keeping it costs no
// allocation. The zero value holds nothing.
type Presence uint64

// Set records that the record holds field h.
func (p *Presence) Set(h Has) { *p |= 1 << h }

// Has reports whether the record holds field h.
func (p Presence) Has(h Has) bool { return p&(1<<h) != 0 }

// present returns a Present function that reads bit h of the event's
// Presence.
func present(h Has) func(e *Event) bool {
	return func(e *Event) bool { return e.Present.Has(h) }
}

// Presence has a bit for every Has.
var _ [64 - numHas]struct{}
