package decode

import (
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/lazyjson"
)

// slot names a member the normalizers read. Layouts spell members
// differently (activityDisplayName, ActivityDisplayName; Graph's
// initiatedBy, Log Analytics' InitiatedBy; the portal's "Date (UTC)"), so
// members are looked up by their lower-cased name in slotOf, once per
// record, and read by slot afterwards.
type slot uint8

const (
	sNone slot = iota
	sID
	sActivityDateTime
	sCreatedDateTime
	sTimeGenerated
	sTime
	sCorrelationID
	sTenantID
	sAADTenantID
	sActivityDisplayName
	sOperationName
	sCategory
	sLoggedByService
	sOperationType
	sResult
	sResultReason
	sResultType
	sResultSignature
	sResultDescription
	sInitiatedBy
	sTargetResources
	sAdditionalDetails
	sUserAgent
	sIdentity
	sCallerIP
	sType
	sResourceID
	sResourceIdentity
	sProperties
	// sign-ins
	sUserID
	sUPN
	sUserDisplayName
	sAppID
	sAppDisplayName
	sIPAddress
	sStatus
	sErrorCode
	sFailureReason
	sClientAppUsed
	sAuthProtocol
	sTransferMethod
	sCredentialType
	sSPID
	sSPName
	sCredentialKeyID
	sResourceDisplayName
	sIsInteractive
	sSignInEventTypes
	sIncomingTokenType
	sConditionalAccess
	sRiskLevel
	sRiskState
	sAuthRequirement
	sDeviceDetail
	sNetworkLocations
	sDeviceID
	sDeviceOS
	sDeviceBrowser
	sDeviceCompliant
	sDeviceManaged
	sDeviceTrustType
	sLocation
	sLocationDetails
	// risk detections
	sRiskEventType
	sRiskType
	sRiskLevelPlain
	sRiskDetail
	sSource
	sDetectionTiming
	sDetectedDateTime
	// Key Vault and Activity Log
	sResourceProvider
	sOperationNameValue
	sEventTimestamp
	sAuthorization
	sClaims
	sCaller
	sActivityStatus
	sLegacyUpdated // targetUpdatedProperties of the 2018 schema
	numSlots
)

// slotOf maps lower-cased member names (and portal column headers) to slots.
var slotOf = map[string]slot{
	"id": sID, "request id": sID,
	"activitydatetime": sActivityDateTime,
	"createddatetime":  sCreatedDateTime, "createddatetime [utc]": sCreatedDateTime, "date (utc)": sCreatedDateTime, "date": sCreatedDateTime,
	"timegenerated": sTimeGenerated, "timegenerated [utc]": sTimeGenerated,
	"time":          sTime,
	"correlationid": sCorrelationID, "correlation id": sCorrelationID,
	"tenantid":            sTenantID,
	"aadtenantid":         sAADTenantID,
	"activitydisplayname": sActivityDisplayName, "activity": sActivityDisplayName,
	"operationname":   sOperationName,
	"category":        sCategory,
	"loggedbyservice": sLoggedByService, "service": sLoggedByService,
	"operationtype": sOperationType, "aadoperationtype": sOperationType,
	"result":            sResult,
	"resultreason":      sResultReason,
	"resulttype":        sResultType,
	"resultsignature":   sResultSignature,
	"resultdescription": sResultDescription,
	"initiatedby":       sInitiatedBy,
	"targetresources":   sTargetResources,
	"additionaldetails": sAdditionalDetails,
	"useragent":         sUserAgent, "user agent": sUserAgent,
	"identity":         sIdentity,
	"calleripaddress":  sCallerIP,
	"type":             sType,
	"resourceid":       sResourceID,
	"resourceidentity": sResourceIdentity, "resource id": sResourceIdentity,
	"properties": sProperties,

	"userid": sUserID, "user id": sUserID,
	"userprincipalname": sUPN, "username": sUPN,
	"userdisplayname": sUserDisplayName, "user": sUserDisplayName,
	"appid": sAppID, "application id": sAppID,
	"appdisplayname": sAppDisplayName, "application": sAppDisplayName,
	"ipaddress": sIPAddress, "ip address": sIPAddress,
	"status":             sStatus,
	"sign-in error code": sErrorCode,
	"failure reason":     sFailureReason,
	"clientappused":      sClientAppUsed, "client app": sClientAppUsed,
	"authenticationprotocol": sAuthProtocol, "authentication protocol": sAuthProtocol,
	"originaltransfermethod": sTransferMethod, "original transfer method": sTransferMethod,
	"clientcredentialtype": sCredentialType, "client credential type": sCredentialType,
	"serviceprincipalid": sSPID, "service principal id": sSPID,
	"serviceprincipalname": sSPName, "service principal name": sSPName,
	"serviceprincipalcredentialkeyid": sCredentialKeyID, "credential key id": sCredentialKeyID,
	"resourcedisplayname": sResourceDisplayName, "resource": sResourceDisplayName,
	"isinteractive":     sIsInteractive,
	"signineventtypes":  sSignInEventTypes,
	"incomingtokentype": sIncomingTokenType, "incoming token type": sIncomingTokenType,
	"conditionalaccessstatus": sConditionalAccess, "conditional access": sConditionalAccess,
	"risklevelduringsignin":     sRiskLevel,
	"riskstate":                 sRiskState,
	"authenticationrequirement": sAuthRequirement, "authentication requirement": sAuthRequirement,
	"devicedetail":           sDeviceDetail,
	"networklocationdetails": sNetworkLocations,
	"device id":              sDeviceID, "operating system": sDeviceOS, "browser": sDeviceBrowser,
	"compliant": sDeviceCompliant, "managed": sDeviceManaged, "join type": sDeviceTrustType,
	"riskeventtype": sRiskEventType, "risktype": sRiskType, "risklevel": sRiskLevelPlain,
	"riskdetail": sRiskDetail, "source": sSource, "detectiontimingtype": sDetectionTiming,
	"detecteddatetime": sDetectedDateTime,
	"location":         sLocation,
	"locationdetails":  sLocationDetails,

	"resourceprovider": sResourceProvider, "resourceprovidervalue": sResourceProvider, "resourceprovidername": sResourceProvider,
	"operationnamevalue":  sOperationNameValue,
	"eventtimestamp":      sEventTimestamp,
	"authorization":       sAuthorization,
	"claims":              sClaims,
	"caller":              sCaller,
	"activitystatusvalue": sActivityStatus, "activitystatus": sActivityStatus,
	"targetupdatedproperties": sLegacyUpdated,
}

// lookupSlot returns the slot of a member name, comparing without ASCII
// case. It does not allocate.
func lookupSlot(name []byte) slot { return slotIndex.lookup(name) }

// slotIndex is slotOf as an open-addressing table hashed without regard to
// case, so that a member name is looked up in one pass over its bytes and
// unknown names are mostly rejected at the first probe. It is built once and
// never changed.
var slotIndex = newSlotTable(slotOf)

const slotTableSize = 1024 // a power of two, several times len(slotOf)

type slotTable struct {
	keys  [slotTableSize]string
	slots [slotTableSize]slot
}

func newSlotTable(m map[string]slot) *slotTable {
	t := &slotTable{}
	for k, s := range m {
		i := foldHash([]byte(k)) & (slotTableSize - 1)
		for t.keys[i] != "" {
			i = (i + 1) & (slotTableSize - 1)
		}
		t.keys[i], t.slots[i] = k, s
	}
	return t
}

func (t *slotTable) lookup(name []byte) slot {
	for i := foldHash(name) & (slotTableSize - 1); ; i = (i + 1) & (slotTableSize - 1) {
		k := t.keys[i]
		if k == "" {
			return sNone
		}
		if equalFold(name, k) {
			return t.slots[i]
		}
	}
}

// foldHash is FNV-1a over the bytes of b with ASCII letters lower-cased.
func foldHash(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// members holds the members of one JSON object, or the cells of one table
// row, by slot. The zero value is empty.
type members struct {
	v    [numSlots]*lazyjson.Value
	text [numSlots]string // cells of a CSV row
	csv  bool
	// held marks the slots of a CSV row whose column the header has, the
	// empty cells included (see holds).
	held [(numSlots + 63) / 64]uint64
	// pascal is set when a member name started with an upper-case letter,
	// the mark of Log Analytics columns.
	pascal bool
	// set records which slots hold something, to reset cheaply.
	set []slot
	// obj is the object the members came from; row the table row, for
	// columns that have no slot.
	obj *lazyjson.Value
	row cells
	// order guesses the slots of member names; it outlives reset.
	order keyOrder
}

// cells gives access to the cells of a table row by column name.
type cells interface {
	get(name string) string
}

// reset empties m for reuse.
func (m *members) reset() {
	for _, s := range m.set {
		m.v[s] = nil
		m.text[s] = ""
	}
	m.set = m.set[:0]
	m.held = [len(m.held)]uint64{}
	m.csv, m.pascal = false, false
	m.obj, m.row = nil, nil
}

// fromObject records the members of the object v; the first of several
// spellings wins.
func (m *members) fromObject(v *lazyjson.Value) {
	m.obj = v
	o, err := v.Object()
	if err != nil {
		return
	}
	prev := int32(-1)
	o.Visit(func(k []byte, v *lazyjson.Value) {
		var s slot
		var upper bool
		prev, s, upper = m.order.lookup(prev, k)
		if s == sNone || m.v[s] != nil {
			return
		}
		if upper && s != sType {
			m.pascal = true
		}
		m.v[s] = v
		m.set = append(m.set, s)
	})
}

// keyOrder finds the slots of member names, exploiting that the records
// of a layout write their members in the same order: it remembers, for
// each name, the name that followed it, and compares the next name with
// that guess before looking it up. A guess costs a comparison of a few
// bytes; records of several layouts mixed in one input miss only where
// their orders differ.
type keyOrder struct {
	ids   map[string]int32
	names []orderedName // by id
	next  []int32       // by id+1 (0: the start of an object): the id that followed, or -1
}

type orderedName struct {
	name  string
	slot  slot
	upper bool // starts with an upper-case letter
}

// maxOrderedNames bounds the names a keyOrder remembers; past it, it
// starts again, so that records with endless new names cannot grow it.
const maxOrderedNames = 1024

// lookup returns the id and slot of the name k that follows the name
// with id prev (-1 at the start of an object), and whether k starts with
// an upper-case letter.
func (o *keyOrder) lookup(prev int32, k []byte) (int32, slot, bool) {
	if int(prev+1) < len(o.next) {
		if n := o.next[prev+1]; n >= 0 && o.names[n].name == string(k) {
			return n, o.names[n].slot, o.names[n].upper
		}
	}
	id, ok := o.ids[string(k)]
	if !ok {
		if o.ids == nil || len(o.names) >= maxOrderedNames {
			o.ids, o.names, o.next, prev = make(map[string]int32), o.names[:0], append(o.next[:0], -1), -1
		}
		id = int32(len(o.names))
		o.names = append(o.names, orderedName{name: string(k), slot: lookupSlot(k), upper: len(k) > 0 && k[0] >= 'A' && k[0] <= 'Z'})
		o.next = append(o.next, -1)
		o.ids[o.names[id].name] = id
	}
	o.next[prev+1] = id
	return id, o.names[id].slot, o.names[id].upper
}

// has reports whether slot s holds a non-null value.
func (m *members) has(s slot) bool {
	if m.csv {
		return m.text[s] != ""
	}
	v := m.v[s]
	return v != nil && v.Type() != lazyjson.TypeNull
}

// holds reports whether the record has slot s at all: a JSON member of any
// value, null included, or a CSV column the header has, even when the
// row's cell is empty. Events keep this as their Presence (see present).
func (m *members) holds(s slot) bool {
	if m.csv {
		return m.held[s/64]&(1<<(s%64)) != 0
	}
	return m.v[s] != nil
}

// hold records that a CSV row has slot s.
func (m *members) hold(s slot) { m.held[s/64] |= 1 << (s % 64) }

// str returns the member as text: strings as they are, numbers and
// booleans as written, null and absent members as "".
func (m *members) str(s slot) string {
	if m.csv {
		return m.text[s]
	}
	if v := m.v[s]; v != nil && v.Type() == lazyjson.TypeString && uniqueSlot[s] {
		return v.UniqueText()
	}
	return text(m.v[s])
}

// time reads the time in slot s.
func (m *members) time(s slot) (time.Time, bool) {
	if m.csv {
		return parseTime(m.text[s])
	}
	if v := m.v[s]; v != nil && v.Type() == lazyjson.TypeString {
		return parseTimeBytes(v.GetStringBytes())
	}
	return parseTime(text(m.v[s]))
}

// uniqueSlot marks the slots whose text differs from record to record,
// which are copied rather than looked up among the texts the parser
// shares (see lazyjson.Value.Text).
var uniqueSlot = [numSlots]bool{sID: true, sCorrelationID: true, sActivityDateTime: true, sCreatedDateTime: true, sTimeGenerated: true, sTime: true, sEventTimestamp: true}

// tenant returns the Entra tenant of a record: AADTenantId, tenantId, or
// the tenant named in a /tenants/<id>/... resource id. The TenantId column
// of a Log Analytics row is the workspace's id, not the directory's, so it
// is not used for those rows.
func (m *members) tenant() string {
	if t := m.str(sAADTenantID); t != "" {
		return t
	}
	if t := m.str(sTenantID); t != "" && !m.pascal {
		return t
	}
	return tenantFromResource(m.str(sResourceID))
}

// first returns the first non-empty text among the slots.
func (m *members) first(slots ...slot) string {
	for _, s := range slots {
		if t := m.str(s); t != "" {
			return t
		}
	}
	return ""
}

// column returns a column of m that has no slot, by exact name or without
// regard to case.
func (m *members) column(name string) string {
	if m.row != nil {
		return m.row.get(name)
	}
	return getStr(m.obj, name)
}

// text returns a JSON value as text.
func text(v *lazyjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case lazyjson.TypeString:
		return v.Text()
	case lazyjson.TypeNull:
		return ""
	case lazyjson.TypeTrue:
		return "true"
	case lazyjson.TypeFalse:
		return "false"
	case lazyjson.TypeNumber:
		if f := v.GetFloat64(); f == float64(int64(f)) {
			return strconv.FormatInt(int64(f), 10)
		}
	}
	return v.JSON()
}

// get returns the member named name of object v, trying the exact name first
// and then any spelling that differs only in case.
func get(v *lazyjson.Value, name string) *lazyjson.Value {
	if v == nil {
		return nil
	}
	if r := v.Get(name); r != nil {
		return r
	}
	o, err := v.Object()
	if err != nil {
		return nil
	}
	var found *lazyjson.Value
	o.Visit(func(k []byte, val *lazyjson.Value) {
		if found == nil && equalFold(k, name) {
			found = val
		}
	})
	return found
}

// pick sets out[i] to the member of object v named names[i], as get would
// find it, in one pass over v's members. out must be as long as names.
func pick(v *lazyjson.Value, names []string, out []*lazyjson.Value) {
	clear(out)
	o, err := v.Object()
	if err != nil {
		return
	}
	var exact uint64 // bit i: out[i] has the member of exactly that name
	o.Visit(func(k []byte, val *lazyjson.Value) {
		for i, name := range names {
			if exact&(1<<i) != 0 || len(k) != len(name) {
				continue
			}
			if string(k) == name {
				out[i], exact = val, exact|1<<i
			} else if out[i] == nil && equalFold(k, name) {
				out[i] = val
			}
		}
	})
}

// equalFold reports whether b and s are equal without regard to ASCII case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if x|0x20 != y|0x20 || (x|0x20) < 'a' || (x|0x20) > 'z' {
			if x != y {
				return false
			}
		}
	}
	return true
}

// getStr returns the text of member name of v.
func getStr(v *lazyjson.Value, name string) string { return text(get(v, name)) }
