// Command gendemo writes the logs of the demo tenant that internal/demo
// embeds: one week
// (Monday 1 to Sunday 7 June 2026) of Fabrikam's ordinary work and one
// Saturday-night attack, in the layouts appwatch reads. Every name, id and
// address is made up here; IP addresses come from the documentation
// ranges. The output is the same on every run.
//
// Run it with "go generate ./internal/demo" after changing the story, then
// update internal/demo/data/README.md if times or names moved. By hand:
//
//	go run ./tools/gendemo -out internal/demo/data/logs
//
// It replaces everything in the -out directory.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata"
)

const (
	domain      = "fabrikam.example"
	attackerIP  = "203.0.113.66"
	officeIP    = "192.0.2.10"
	azureIP     = "198.51.100.200"
	vaultName   = "kv-fabrikam-payroll"
	payrollRG   = "rg-payroll"
	intranetRG  = "rg-intranet"
	graphAppID  = "00000003-0000-0000-c000-000000000000"
	graphSPNs   = "00000003-0000-0000-c000-000000000000/ags.windows.net;00000003-0000-0000-c000-000000000000;https://canary.graph.microsoft.com;https://graph.microsoft.com;https://ags.windows.net;https://graph.microsoft.us;https://dod-graph.microsoft.us"
	scriptAgent = "python-requests/2.32.3"
	edgeAgent   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0"
)

var (
	rome         = mustZone("Europe/Rome")
	tenantID     = guid("tenant")
	workspaceID  = guid("workspace")
	subscription = guid("subscription")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		log.Fatal(err)
	}
	return loc
}

// guid returns a made-up GUID that depends only on name, so ids stay put
// when the story is edited.
func guid(name string) string {
	h := sha1.Sum([]byte("fabrikam demo/" + name))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// at is a wall-clock time in Rome on a day of June 2026.
func at(day, hour, min, sec int) time.Time {
	return time.Date(2026, time.June, day, hour, min, sec, 0, rome)
}

type place struct {
	city, state, country string
	lat, lon             float64
}

var (
	milano    = place{"Milano", "Lombardia", "IT", 45.4642, 9.19}
	roma      = place{"Roma", "Lazio", "IT", 41.8933, 12.4829}
	torino    = place{"Torino", "Piemonte", "IT", 45.0703, 7.6869}
	frankfurt = place{"Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821}
)

type person struct {
	id, upn, name string
	home          place
	homeIP        string
	device        string
}

func newPerson(n int, first, last string, home place) *person {
	upn := strings.ToLower(first+"."+last) + "@" + domain
	return &person{
		id:     guid("user:" + upn),
		upn:    upn,
		name:   first + " " + last,
		home:   home,
		homeIP: fmt.Sprintf("198.51.100.%d", 20+n),
		device: fmt.Sprintf("FAB-LT-%04d", 1200+n*7),
	}
}

// app is an application: its app id, the object id of its registration
// (empty for other tenants' apps) and of its service principal here.
type app struct {
	name, appID, objectID, spID string
}

func ownApp(name string) *app {
	return &app{name: name, appID: guid("appid:" + name), objectID: guid("app:" + name), spID: guid("sp:" + name)}
}

func foreignApp(name, appID string) *app {
	return &app{name: name, appID: appID, spID: guid("sp:" + name)}
}

// The people of Fabrikam.
var (
	chiara    = newPerson(0, "Chiara", "Esposito", milano) // identity team lead, approved
	luca      = newPerson(1, "Luca", "Ferri", milano)      // IT administrator, compromised
	davide    = newPerson(2, "Davide", "Colombo", milano)  // help desk
	giorgio   = newPerson(3, "Giorgio", "Romano", torino)  // developer
	francesca = newPerson(4, "Francesca", "Greco", milano) // HR
	anna      = newPerson(5, "Anna", "Bruno", milano)
	sara      = newPerson(6, "Sara", "Conti", milano)
	marco     = newPerson(7, "Marco", "Gallo", roma)
	paolo     = newPerson(8, "Paolo", "Marino", roma)
	elena     = newPerson(9, "Elena", "Ricci", roma)
	nicola    = newPerson(10, "Nicola", "Villa", milano) // joins on Monday
	staff     = []*person{
		chiara, luca, davide, giorgio, francesca, anna, sara, marco, paolo, elena,
		newPerson(11, "Matteo", "Moretti", roma),
		newPerson(12, "Giulia", "Lombardi", milano),
		newPerson(13, "Lorenzo", "Barbieri", torino),
		newPerson(14, "Valentina", "Fontana", milano),
		newPerson(15, "Simone", "Santoro", roma),
		newPerson(16, "Martina", "Mariani", milano),
		newPerson(17, "Federico", "Rinaldi", torino),
		newPerson(18, "Silvia", "Caruso", milano),
		newPerson(19, "Andrea", "Ferrara", roma),
		newPerson(20, "Roberta", "Galli", milano),
	}
	backdoorUser = &person{id: guid("user:helpdesk.backup"), upn: "helpdesk.backup@" + domain, name: "Helpdesk Backup"}
)

// Fabrikam's own applications, third-party ones and Microsoft's.
var (
	payroll    = ownApp("Fabrikam Payroll")
	hrSync     = ownApp("Fabrikam HR Connector")
	intranet   = ownApp("Fabrikam Intranet")
	payrollAPI = ownApp("Fabrikam Payroll API")
	pipeline   = ownApp("Fabrikam Deploy Pipeline")
	connector  = ownApp("Microsft Graph Connector") // the attacker's look-alike
	timesheets = foreignApp("Tailspin Timesheets", guid("appid:Tailspin Timesheets"))
	mailBackup = foreignApp("0ffice 365 Mail Backup", guid("appid:0ffice 365 Mail Backup"))
	docViewer  = foreignApp("Docu-Sign Secure Viewer", guid("appid:Docu-Sign Secure Viewer"))

	graph       = foreignApp("Microsoft Graph", graphAppID)
	exchange    = foreignApp("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000")
	sharepoint  = foreignApp("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000")
	teamsSvc    = foreignApp("Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe")
	armAPI      = foreignApp("Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013")
	keyVaultAPI = foreignApp("Azure Key Vault", "cfa8b339-82a2-471a-a3c9-0fc0be7a4093")
	office      = foreignApp("Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c")
	officeHome  = foreignApp("OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca")
	teams       = foreignApp("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264")
	outlookApp  = foreignApp("Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4")
	portal      = foreignApp("Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c")
	broker      = foreignApp("Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e")
	aadPS       = foreignApp("Azure Active Directory PowerShell", "1b730954-1685-4b74-9bfd-dac224a7b894")
	azureCLI    = foreignApp("Microsoft Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
)

// Directory roles: template ids are Microsoft's, object ids this tenant's.
type role struct{ name, templateID, wellKnown string }

var (
	globalAdmin   = role{"Global Administrator", "62e90394-69f5-4237-9190-012177145e10", "TenantAdmins"}
	privRoleAdmin = role{"Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814", ""}
	dirReaders    = role{"Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "DirectoryReaders"}
)

// Azure built-in role definition ids.
const (
	azureOwner  = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	azureReader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
)

// Credentials.
type key struct{ id, typ, name string }

func (k key) String() string {
	return fmt.Sprintf("[KeyIdentifier=%s,KeyType=%s,KeyUsage=Verify,DisplayName=%s]", k.id, k.typ, k.name)
}

var (
	payrollOld   = key{guid("key:payroll-2025-12"), "Password", "payroll-2025-12"}
	payrollNew   = key{guid("key:payroll-2026-06"), "Password", "payroll-2026-06"}
	hrSyncKey    = key{guid("key:hr-sync"), "AsymmetricX509Cert", "CN=hr-connector.fabrikam.example"}
	hrSyncRogue  = key{guid("key:hr-sync-rogue"), "Password", "sync"}
	connectorKey = key{guid("key:connector"), "Password", "default"}
	connectorSP  = key{guid("key:connector-sp"), "AsymmetricX509Cert", "CN=graph-connector"}
)

func keyList(keys ...key) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, k.String())
	}
	return out
}

// Where an audit record is written.
type dest int

const (
	toGraph dest = iota
	toEventHub
	toCSV
)

type world struct {
	r        *rand.Rand
	seq      int
	audits   []auditRec
	signIns  []signInRec
	vault    []vaultRec
	activity []activityRec
}

func (w *world) id(kind string) string {
	w.seq++
	return guid(fmt.Sprintf("%s/%d", kind, w.seq))
}

// jitter returns t moved by up to d either way.
func (w *world) jitter(t time.Time, d time.Duration) time.Time {
	return t.Add(time.Duration(w.r.Int64N(int64(2*d))) - d)
}

func main() {
	out := flag.String("out", "", "`DIR` to write the logs to; its contents are replaced")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	w := &world{r: rand.New(rand.NewPCG(2026, 606))}
	w.week()
	w.attack()
	if err := w.write(*out); err != nil {
		log.Fatal(err)
	}
}

// ---- audit records ----

type prop struct {
	DisplayName string  `json:"displayName"`
	OldValue    *string `json:"oldValue"`
	NewValue    *string `json:"newValue"`
}

// property encodes old and new as JSON text, the way Entra stores them;
// nil stays null.
func property(name string, old, cur any) prop {
	return prop{DisplayName: name, OldValue: encoded(old), NewValue: encoded(cur)}
}

func encoded(v any) *string {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	s := string(b)
	return &s
}

func included(names ...string) prop {
	return property("Included Updated Properties", nil, strings.Join(names, ", "))
}

func str(s string) *string { return &s }

type target struct {
	ID                  string  `json:"id"`
	DisplayName         *string `json:"displayName"`
	Type                string  `json:"type"`
	UserPrincipalName   *string `json:"userPrincipalName"`
	GroupType           *string `json:"groupType"`
	ModifiedProperties  []prop  `json:"modifiedProperties"`
	AdministrativeUnits []any   `json:"administrativeUnits"`
}

func newTarget(id string, name *string, typ string, props ...prop) target {
	if props == nil {
		props = []prop{}
	}
	return target{ID: id, DisplayName: name, Type: typ, ModifiedProperties: props, AdministrativeUnits: []any{}}
}

func userTarget(p *person, props ...prop) target {
	t := newTarget(p.id, nil, "User", props...)
	t.UserPrincipalName = str(p.upn)
	return t
}

type detail struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type userIdentity struct {
	ID                string  `json:"id"`
	DisplayName       *string `json:"displayName"`
	UserPrincipalName string  `json:"userPrincipalName"`
	IPAddress         string  `json:"ipAddress"`
	UserType          *string `json:"userType"`
	HomeTenantID      *string `json:"homeTenantId"`
	HomeTenantName    *string `json:"homeTenantName"`
}

type appIdentity struct {
	AppID                *string `json:"appId"`
	DisplayName          string  `json:"displayName"`
	ServicePrincipalID   string  `json:"servicePrincipalId"`
	ServicePrincipalName *string `json:"servicePrincipalName"`
}

// directoryAudit is a Graph directoryAudit object. InitiatedBy holds both
// members in Graph responses and only the one set in exports.
type directoryAudit struct {
	ID                  string         `json:"id"`
	Category            string         `json:"category"`
	CorrelationID       string         `json:"correlationId"`
	Result              string         `json:"result"`
	ResultReason        string         `json:"resultReason"`
	ActivityDisplayName string         `json:"activityDisplayName"`
	ActivityDateTime    string         `json:"activityDateTime"`
	LoggedByService     string         `json:"loggedByService"`
	OperationType       string         `json:"operationType"`
	InitiatedBy         map[string]any `json:"initiatedBy"`
	UserAgent           *string        `json:"userAgent"`
	TargetResources     []target       `json:"targetResources"`
	AdditionalDetails   []detail       `json:"additionalDetails"`
}

// actor is who did something: a person from an address, or an
// application.
type actor struct {
	user  *person
	app   *app
	ip    string
	agent string
}

func by(p *person, ip, agent string) actor { return actor{user: p, ip: ip, agent: agent} }

func (a actor) initiatedBy(both bool) map[string]any {
	m := map[string]any{}
	if a.user != nil {
		m["user"] = userIdentity{ID: a.user.id, UserPrincipalName: a.user.upn, IPAddress: a.ip}
		if both {
			m["app"] = nil
		}
		return m
	}
	m["app"] = appIdentity{DisplayName: a.app.name, ServicePrincipalID: a.app.spID}
	if both {
		m["user"] = nil
	}
	return m
}

func (a actor) identity() string {
	if a.user != nil {
		return a.user.name
	}
	return a.app.name
}

type auditRec struct {
	dest dest
	at   time.Time
	by   actor
	rec  directoryAudit
}

// audit records one directory audit event and returns it for changes.
func (w *world) audit(d dest, when time.Time, who actor, activity, category, opType, corr string, targets []target, details ...detail) *auditRec {
	if corr == "" {
		corr = w.id("correlation")
	}
	if details == nil {
		details = []detail{}
	}
	if who.agent != "" {
		details = append([]detail{{"User-Agent", who.agent}}, details...)
	}
	rec := directoryAudit{
		ID:                  fmt.Sprintf("Directory_%s_%s_%09d", corr, w.code(), w.r.IntN(1e9)),
		Category:            category,
		CorrelationID:       corr,
		Result:              "success",
		ActivityDisplayName: activity,
		ActivityDateTime:    when.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		LoggedByService:     "Core Directory",
		OperationType:       opType,
		TargetResources:     targets,
		AdditionalDetails:   details,
	}
	w.audits = append(w.audits, auditRec{dest: d, at: when, by: who, rec: rec})
	return &w.audits[len(w.audits)-1]
}

const codeChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

func (w *world) code() string {
	b := make([]byte, 5)
	for i := range b {
		b[i] = codeChars[w.r.IntN(len(codeChars))]
	}
	return string(b)
}

const (
	certsActivity = "Update application – Certificates and secrets management "
	appMgmt       = "ApplicationManagement"
)

// appCredential records a change of an application's credentials, as
// Entra writes it twice: once as an update of the application and once as
// its certificates-and-secrets twin.
func (w *world) appCredential(d dest, when time.Time, who actor, a *app, old, cur []key) {
	corr := w.id("correlation")
	for i, activity := range []string{"Update application", certsActivity} {
		t := newTarget(a.objectID, str(a.name), "Application",
			property("KeyDescription", keyList(old...), keyList(cur...)),
			included("KeyDescription"))
		w.audit(d, when.Add(time.Duration(i)*time.Second/3), who, activity, appMgmt, "Update", corr, []target{t})
	}
}

// spCredential records credentials added to a service principal.
func (w *world) spCredential(d dest, when time.Time, who actor, a *app, old, cur []key) {
	t := newTarget(a.spID, str(a.name), "ServicePrincipal",
		property("KeyDescription", keyList(old...), keyList(cur...)),
		included("KeyDescription"),
		property("TargetId.ServicePrincipalNames", nil, a.appID))
	w.audit(d, when, who, "Add service principal credentials", appMgmt, "Update", "", []target{t}, detail{"AppId", a.appID})
}

func (w *world) addServicePrincipal(d dest, when time.Time, who actor, a *app, corr string) {
	t := newTarget(a.spID, str(a.name), "ServicePrincipal",
		property("AccountEnabled", nil, []bool{true}),
		property("AppPrincipalId", nil, []string{a.appID}),
		property("DisplayName", nil, []string{a.name}),
		property("ServicePrincipalName", nil, []string{a.appID}),
		included("AccountEnabled", "AppPrincipalId", "DisplayName", "ServicePrincipalName"),
		property("TargetId.ServicePrincipalNames", nil, a.appID))
	w.audit(d, when, who, "Add service principal", appMgmt, "Add", corr, []target{t}, detail{"AppId", a.appID})
}

// appAddress is one entry of the AppAddress property (redirect URIs).
type appAddress struct {
	AddressType            int    `json:"AddressType"`
	Address                string `json:"Address"`
	ReplyAddressClientType int    `json:"ReplyAddressClientType"`
	ReplyAddressIndex      *int   `json:"ReplyAddressIndex"`
	IsReplyAddressDefault  bool   `json:"IsReplyAddressDefault"`
}

func addresses(uris ...string) []appAddress {
	out := []appAddress{}
	for _, u := range uris {
		out = append(out, appAddress{Address: u, ReplyAddressClientType: 1})
	}
	return out
}

// updateApp records an "Update application" that changes one property.
func (w *world) updateApp(d dest, when time.Time, who actor, a *app, name string, old, cur any) {
	t := newTarget(a.objectID, str(a.name), "Application", property(name, old, cur), included(name))
	w.audit(d, when, who, "Update application", appMgmt, "Update", "", []target{t}, detail{"AppId", a.appID})
}

// appRole records an application permission (app role) on api given to
// client.
func (w *world) appRole(d dest, when time.Time, who actor, api *app, apiNames, roleID, roleValue string, client *app) {
	stamp := when.UTC().Format("2006-01-02T15:04:05.0000000Z")
	t := newTarget(api.spID, str(api.name), "ServicePrincipal",
		property("AppRole.Id", nil, roleID),
		property("AppRole.Value", nil, roleValue),
		property("AppRole.DisplayName", nil, strings.ReplaceAll(roleValue, ".", " ")),
		property("AppRoleAssignment.CreatedDateTime", nil, stamp),
		property("AppRoleAssignment.LastModifiedDateTime", nil, stamp),
		property("ServicePrincipal.ObjectID", nil, client.spID),
		property("ServicePrincipal.DisplayName", nil, client.name),
		property("ServicePrincipal.AppId", nil, client.appID),
		property("ServicePrincipal.Name", nil, client.appID),
		property("TargetId.ServicePrincipalNames", nil, apiNames))
	grantee := newTarget(client.spID, str(client.appID), "ServicePrincipal")
	w.audit(d, when, who, "Add app role assignment to service principal", appMgmt, "Assign", "", []target{t, grantee}, detail{"AppId", client.appID})
}

// delegatedGrant records delegated permissions on Microsoft Graph given to
// client, for one user (Principal) or everyone (AllPrincipals).
func (w *world) delegatedGrant(d dest, when time.Time, who actor, client *app, consentType, scope, corr string) {
	t := newTarget(graph.spID, str(graph.name), "ServicePrincipal",
		property("DelegatedPermissionGrant.Scope", nil, " "+scope),
		property("DelegatedPermissionGrant.ConsentType", nil, consentType),
		property("ServicePrincipal.ObjectID", nil, client.spID),
		property("ServicePrincipal.DisplayName", nil, nil),
		property("ServicePrincipal.AppId", nil, nil),
		property("ServicePrincipal.Name", nil, nil),
		property("TargetId.ServicePrincipalNames", nil, graphSPNs))
	grantee := newTarget(client.spID, nil, "ServicePrincipal")
	w.audit(d, when, who, "Add delegated permission grant", appMgmt, "Assign", corr, []target{t, grantee}, detail{"AppId", graph.appID})
}

// consent records a "Consent to application" for Microsoft Graph scopes.
// A blocked consent fails with the reason Entra gives risky apps.
func (w *world) consent(d dest, when time.Time, who actor, client *app, admin bool, scope, corr string, blocked bool) {
	principal, consentType := who.user.id, "Principal"
	if admin {
		principal, consentType = "", "AllPrincipals"
	}
	grantID := make([]byte, 32)
	for i := range grantID {
		grantID[i] = byte(w.r.IntN(256))
	}
	perms := fmt.Sprintf("[] => [[Id: %s, ClientId: %s, PrincipalId: %s, ResourceId: %s, ConsentType: %s, Scope:  %s, CreatedDateTime: , LastModifiedDateTime ]]; ",
		base64.RawURLEncoding.EncodeToString(grantID), client.spID, principal, graph.spID, consentType, scope)
	props := []prop{
		property("ConsentContext.IsAdminConsent", nil, titleBool(admin)),
		property("ConsentContext.IsAppOnly", nil, "False"),
		property("ConsentContext.OnBehalfOfAll", nil, titleBool(admin)),
		property("ConsentContext.Tags", nil, "WindowsAzureActiveDirectoryIntegratedApp"),
		property("ConsentAction.Permissions", nil, perms),
	}
	if blocked {
		props = append(props, property("ConsentAction.Reason", nil, "Risky application detected"))
	}
	props = append(props, property("TargetId.ServicePrincipalNames", nil, client.appID))
	t := newTarget(client.spID, str(client.name), "ServicePrincipal", props...)
	who.agent = "EvoSTS"
	rec := w.audit(d, when, who, "Consent to application", appMgmt, "Assign", corr, []target{t}, detail{"AppId", client.appID})
	if blocked {
		rec.rec.Result = "failure"
		rec.rec.ResultReason = "Microsoft.Online.Security.UserConsentBlockedForRiskyAppsException"
	}
}

func titleBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// roleMember records a directory role given to a service principal or a
// user.
func (w *world) roleMember(d dest, when time.Time, who actor, r role, sp *app, user *person) {
	props := []prop{
		property("Role.ObjectID", nil, guid("role:"+r.name)),
		property("Role.DisplayName", nil, r.name),
		property("Role.TemplateId", nil, r.templateID),
	}
	if r.wellKnown != "" {
		props = append(props, property("Role.WellKnownObjectName", nil, r.wellKnown))
	}
	var member target
	if sp != nil {
		props = append(props, property("TargetId.ServicePrincipalNames", nil, sp.appID))
		member = newTarget(sp.spID, str(sp.name), "ServicePrincipal", props...)
	} else {
		member = userTarget(user, props...)
	}
	roleTarget := newTarget(guid("role:"+r.name), nil, "Role")
	w.audit(d, when, who, "Add member to role", "RoleManagement", "Assign", "", []target{member, roleTarget})
}

func (w *world) owner(d dest, when time.Time, who actor, a *app, owner *person) {
	t := userTarget(owner,
		property("Application.ObjectID", nil, a.objectID),
		property("Application.DisplayName", nil, a.name),
		property("Application.AppId", nil, a.appID))
	w.audit(d, when, who, "Add owner to application", appMgmt, "Assign", "", []target{t, newTarget(a.objectID, str(a.name), "Application")})
}

func (w *world) groupMember(d dest, when time.Time, who actor, add bool, group string, member *person) {
	gid := guid("group:" + group)
	activity, old, cur := "Add member to group", any(nil), any(gid)
	if !add {
		activity, old, cur = "Remove member from group", gid, nil
	}
	t := userTarget(member,
		property("Group.ObjectID", old, cur),
		property("Group.DisplayName", nilIf(add, group), nilIf(!add, group)),
		property("Group.WellKnownObjectName", nil, nil))
	g := newTarget(gid, str(group), "Group")
	g.GroupType = str("unifiedGroup")
	w.audit(d, when, who, activity, "GroupManagement", map[bool]string{true: "Assign", false: "Unassign"}[add], "", []target{t, g})
}

// nilIf returns nil when cond holds, else v.
func nilIf(cond bool, v any) any {
	if cond {
		return nil
	}
	return v
}

func (w *world) addUser(d dest, when time.Time, who actor, p *person, title string) {
	t := userTarget(p,
		property("AccountEnabled", nil, []bool{true}),
		property("DisplayName", nil, []string{p.name}),
		property("JobTitle", nil, []string{title}),
		property("UserPrincipalName", nil, []string{p.upn}),
		property("UserType", nil, []int{0}),
		included("AccountEnabled", "DisplayName", "JobTitle", "UserPrincipalName", "UserType"))
	w.audit(d, when, who, "Add user", "UserManagement", "Add", "", []target{t})
}

func (w *world) updateUser(d dest, when time.Time, who actor, p *person, name, old, cur string) {
	t := userTarget(p, property(name, []string{old}, []string{cur}), included(name))
	w.audit(d, when, who, "Update user", "UserManagement", "Update", "", []target{t})
}

func (w *world) resetPassword(d dest, when time.Time, who actor, p *person) {
	w.audit(d, when, who, "Reset user password", "UserManagement", "Update", "", []target{userTarget(p)})
}

// ---- sign-ins ----

type signInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

type deviceDetail struct {
	DeviceID        string `json:"deviceId"`
	DisplayName     string `json:"displayName"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     bool   `json:"isCompliant"`
	IsManaged       bool   `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

type geo struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type location struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
	GeoCoordinates  geo    `json:"geoCoordinates"`
}

// signIn is a Graph signIn object, as diagnostic records carry it in
// properties.
type signIn struct {
	ID                              string       `json:"id"`
	CreatedDateTime                 string       `json:"createdDateTime"`
	UserDisplayName                 string       `json:"userDisplayName"`
	UserPrincipalName               string       `json:"userPrincipalName"`
	UserID                          string       `json:"userId"`
	AppID                           string       `json:"appId"`
	AppDisplayName                  string       `json:"appDisplayName"`
	IPAddress                       string       `json:"ipAddress"`
	ClientAppUsed                   string       `json:"clientAppUsed"`
	UserAgent                       string       `json:"userAgent"`
	CorrelationID                   string       `json:"correlationId"`
	ConditionalAccessStatus         string       `json:"conditionalAccessStatus"`
	IsInteractive                   bool         `json:"isInteractive"`
	AuthenticationProtocol          string       `json:"authenticationProtocol"`
	OriginalTransferMethod          string       `json:"originalTransferMethod"`
	IncomingTokenType               string       `json:"incomingTokenType"`
	ClientCredentialType            string       `json:"clientCredentialType"`
	SignInEventTypes                []string     `json:"signInEventTypes"`
	RiskLevelDuringSignIn           string       `json:"riskLevelDuringSignIn"`
	RiskState                       string       `json:"riskState"`
	ResourceDisplayName             string       `json:"resourceDisplayName"`
	ResourceID                      string       `json:"resourceId"`
	ResourceTenantID                string       `json:"resourceTenantId"`
	HomeTenantID                    string       `json:"homeTenantId"`
	ServicePrincipalID              string       `json:"servicePrincipalId"`
	ServicePrincipalName            string       `json:"servicePrincipalName"`
	ServicePrincipalCredentialKeyID string       `json:"servicePrincipalCredentialKeyId"`
	Status                          signInStatus `json:"status"`
	DeviceDetail                    deviceDetail `json:"deviceDetail"`
	Location                        location     `json:"location"`
}

type signInRec struct {
	category string
	at       time.Time
	s        signIn
}

// Failure codes and reasons of sign-ins.
var failures = map[int]string{
	50126: "Error validating credentials due to invalid username or password.",
	50074: "Strong Authentication is required.",
}

// userSignIn describes one sign-in of a person.
type userSignIn struct {
	p           *person
	when        time.Time
	client      *app
	resource    *app
	ip          string
	where       place
	interactive bool
	protocol    string
	transfer    string
	risk        string
	errorCode   int
	agent       string
	clientApp   string
	managed     bool
	ca          string
}

func (w *world) userSignIn(u userSignIn) {
	s := signIn{
		ID:                      w.id("signin"),
		CreatedDateTime:         u.when.UTC().Format(time.RFC3339),
		UserDisplayName:         u.p.name,
		UserPrincipalName:       u.p.upn,
		UserID:                  u.p.id,
		AppID:                   u.client.appID,
		AppDisplayName:          u.client.name,
		IPAddress:               u.ip,
		ClientAppUsed:           orDefault(u.clientApp, "Browser"),
		UserAgent:               orDefault(u.agent, edgeAgent),
		CorrelationID:           w.id("correlation"),
		ConditionalAccessStatus: orDefault(u.ca, "success"),
		IsInteractive:           u.interactive,
		AuthenticationProtocol:  orDefault(u.protocol, "none"),
		OriginalTransferMethod:  orDefault(u.transfer, "none"),
		IncomingTokenType:       "none",
		ClientCredentialType:    "none",
		RiskLevelDuringSignIn:   orDefault(u.risk, "none"),
		RiskState:               "none",
		ResourceDisplayName:     u.resource.name,
		ResourceID:              u.resource.appID,
		ResourceTenantID:        tenantID,
		HomeTenantID:            tenantID,
		Status:                  signInStatus{ErrorCode: u.errorCode, FailureReason: failures[u.errorCode]},
		Location:                location{u.where.city, u.where.state, u.where.country, geo{u.where.lat, u.where.lon}},
	}
	if u.risk != "" && u.risk != "none" {
		s.RiskState = "atRisk"
	}
	s.DeviceDetail = deviceDetail{OperatingSystem: "Windows10", Browser: "Edge 125.0.0"}
	if u.managed {
		s.DeviceDetail.DeviceID = guid("device:" + u.p.device)
		s.DeviceDetail.DisplayName = u.p.device
		s.DeviceDetail.IsCompliant, s.DeviceDetail.IsManaged, s.DeviceDetail.TrustType = true, true, "Azure AD joined"
	}
	category := "SignInLogs"
	s.SignInEventTypes = []string{"interactiveUser"}
	if !u.interactive {
		category = "NonInteractiveUserSignInLogs"
		s.SignInEventTypes = []string{"nonInteractiveUser"}
		s.IncomingTokenType = "primaryRefreshToken"
		if !u.managed {
			s.IncomingTokenType = "none"
		}
	}
	w.signIns = append(w.signIns, signInRec{category: category, at: u.when, s: s})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// appSignIn records a service principal signing in with a credential.
func (w *world) appSignIn(when time.Time, a *app, resource *app, k key, ip string, where place) {
	credType := "clientSecret"
	if k.typ == "AsymmetricX509Cert" {
		credType = "certificate"
	}
	s := signIn{
		ID:                              w.id("signin"),
		CreatedDateTime:                 when.UTC().Format(time.RFC3339),
		AppID:                           a.appID,
		AppDisplayName:                  a.name,
		IPAddress:                       ip,
		CorrelationID:                   w.id("correlation"),
		ConditionalAccessStatus:         "notApplied",
		AuthenticationProtocol:          "none",
		OriginalTransferMethod:          "none",
		IncomingTokenType:               "none",
		ClientCredentialType:            credType,
		SignInEventTypes:                []string{"servicePrincipal"},
		ResourceDisplayName:             resource.name,
		ResourceID:                      resource.appID,
		ResourceTenantID:                tenantID,
		HomeTenantID:                    tenantID,
		ServicePrincipalID:              a.spID,
		ServicePrincipalName:            a.name,
		ServicePrincipalCredentialKeyID: k.id,
		Location:                        location{where.city, where.state, where.country, geo{where.lat, where.lon}},
	}
	w.signIns = append(w.signIns, signInRec{category: "ServicePrincipalSignInLogs", at: when, s: s})
}

// ---- Key Vault ----

type vaultRec struct {
	blob bool // written to the attack hour's storage blob
	at   time.Time
	rec  map[string]any
}

const vaultHost = "https://" + vaultName + ".vault.azure.net"

func vaultResource() string {
	return strings.ToUpper("/subscriptions/" + subscription + "/resourceGroups/" + payrollRG + "/providers/Microsoft.KeyVault/vaults/" + vaultName)
}

// dataClaims are the claims of a data-plane token for a person or an app.
func dataClaims(p *person, a *app, ip string) map[string]any {
	if p != nil {
		return map[string]any{"oid": p.id, "upn": p.upn, "unique_name": p.upn, "appid": portal.appID, "appidacr": "0", "idtyp": "user", "ipaddr": ip, "tid": tenantID}
	}
	return map[string]any{"oid": a.spID, "appid": a.appID, "appidacr": "1", "idtyp": "app", "ipaddr": ip, "tid": tenantID}
}

// vaultOp records a data-plane request on the payroll vault.
func (w *world) vaultOp(blob bool, when time.Time, op, object string, claims map[string]any, ip string, status int, client string) {
	result := map[int]string{200: "OK", 403: "Forbidden"}[status]
	uri := vaultHost + "/"
	if object != "" {
		uri = vaultHost + object
	}
	props := map[string]any{
		"id":                  uri,
		"clientInfo":          client,
		"requestUri":          uri + "?api-version=7.5",
		"httpStatusCode":      status,
		"isAccessPolicyMatch": status == 200,
		"tlsVersion":          "TLS1.3",
	}
	w.vault = append(w.vault, vaultRec{blob: blob, at: when, rec: vaultEnvelope(when, op, w.id("kv"), result, ip, claims, props)})
}

func vaultEnvelope(when time.Time, op, corr, result, ip string, claims, props map[string]any) map[string]any {
	return map[string]any{
		"time":              when.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"category":          "AuditEvent",
		"operationName":     op,
		"resultType":        "Success",
		"resultSignature":   result,
		"resultDescription": "",
		"durationMs":        "31",
		"callerIpAddress":   ip,
		"correlationId":     corr,
		"identity":          map[string]any{"claim": claims},
		"properties":        props,
		"resourceId":        vaultResource(),
		"operationVersion":  "7.5",
		"location":          "italynorth",
		"tenantId":          tenantID,
	}
}

// vaultPolicy records a VaultPatch that gives sp read access to secrets.
func (w *world) vaultPolicy(when time.Time, p *person, ip string, sp *app) {
	claims := map[string]any{
		"http://schemas.microsoft.com/identity/claims/objectidentifier": p.id,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":     p.upn,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":    p.upn,
		"appid": azureCLI.appID,
	}
	props := map[string]any{
		"id":                  vaultHost + "/",
		"clientInfo":          "azsdk-python-mgmt-keyvault/10.3.0 Python/3.12.3",
		"requestUri":          "https://management.azure.com/subscriptions/" + subscription + "/resourceGroups/" + payrollRG + "/providers/Microsoft.KeyVault/vaults/" + vaultName + "/accessPolicies/add?api-version=2023-07-01",
		"httpStatusCode":      200,
		"isAccessPolicyMatch": true,
		"addedAccessPolicy": map[string]any{
			"ObjectId":    sp.spID,
			"TenantId":    tenantID,
			"Permissions": map[string]any{"keys": []string{}, "secrets": []string{"Get", "List"}, "certificates": []string{}, "storage": []string{}},
		},
	}
	w.vault = append(w.vault, vaultRec{blob: true, at: when, rec: vaultEnvelope(when, "VaultPatch", w.id("kv"), "OK", ip, claims, props)})
}

// ---- Activity Log ----

type activityRec struct {
	at  time.Time
	rec map[string]any
}

type caller struct {
	name   string // caller column: a UPN or an app's object id
	claims map[string]any
	ip     string
}

func personCaller(p *person, ip string) caller {
	return caller{name: p.upn, ip: ip, claims: map[string]any{
		"aud":   "https://management.core.windows.net/",
		"iss":   "https://sts.windows.net/" + tenantID + "/",
		"appid": azureCLI.appID, "appidacr": "0", "ipaddr": ip, "name": p.name,
		"http://schemas.microsoft.com/identity/claims/objectidentifier": p.id,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":     p.upn,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":    p.upn,
		"http://schemas.microsoft.com/identity/claims/tenantid":         tenantID,
	}}
}

func appCaller(a *app, ip string) caller {
	return caller{name: a.spID, ip: ip, claims: map[string]any{
		"aud":   "https://management.core.windows.net/",
		"iss":   "https://sts.windows.net/" + tenantID + "/",
		"appid": a.appID, "appidacr": "2", "idtyp": "app",
		"http://schemas.microsoft.com/identity/claims/objectidentifier": a.spID,
		"http://schemas.microsoft.com/identity/claims/tenantid":         tenantID,
	}}
}

// named writes a name as the Activity Log does, with its localized form.
func named(v string) map[string]string { return map[string]string{"value": v, "localizedValue": v} }

// operation records an Azure operation as the Activity Log shows it: a
// Started event, with the request body when there is one, then a
// Succeeded event.
func (w *world) operation(when time.Time, c caller, op, resourceID, body string) {
	corr := w.id("operation")
	rg := ""
	if parts := strings.Split(resourceID, "/"); len(parts) > 4 && strings.EqualFold(parts[3], "resourceGroups") {
		rg = parts[4]
	}
	provider := strings.SplitN(op, "/", 2)[0]
	for i, status := range []string{"Started", "Succeeded"} {
		t := when.Add(time.Duration(i*2) * time.Second)
		eventID := w.id("event")
		props := map[string]any{
			"eventCategory": "Administrative",
			"entity":        resourceID,
			"message":       op,
			"hierarchy":     tenantID + "/" + subscription,
		}
		if i == 0 && body != "" {
			props["requestbody"] = body
		}
		if i == 1 {
			props["statusCode"] = "OK"
		}
		stamp := t.UTC().Format("2006-01-02T15:04:05.0000000Z")
		rec := map[string]any{
			"authorization":        map[string]string{"action": op, "scope": resourceID},
			"caller":               c.name,
			"channels":             "Operation",
			"claims":               c.claims,
			"correlationId":        corr,
			"description":          "",
			"eventDataId":          eventID,
			"eventName":            named(map[int]string{0: "BeginRequest", 1: "EndRequest"}[i]),
			"category":             named("Administrative"),
			"eventTimestamp":       stamp,
			"id":                   resourceID + "/events/" + eventID + "/ticks/" + fmt.Sprint(t.UnixNano()/100+621355968000000000),
			"level":                "Informational",
			"operationId":          corr,
			"operationName":        named(op),
			"resourceGroupName":    rg,
			"resourceProviderName": named(provider),
			"resourceType":         named(resourceType(resourceID)),
			"resourceId":           resourceID,
			"status":               named(status),
			"subStatus":            named(map[int]string{0: "", 1: "OK"}[i]),
			"submissionTimestamp":  t.Add(11 * time.Second).UTC().Format("2006-01-02T15:04:05.0000000Z"),
			"subscriptionId":       subscription,
			"tenantId":             tenantID,
			"properties":           props,
			"relatedEvents":        []any{},
		}
		if c.ip != "" {
			rec["httpRequest"] = map[string]string{"clientRequestId": w.id("request"), "clientIpAddress": c.ip, "method": "PUT"}
		}
		w.activity = append(w.activity, activityRec{at: t, rec: rec})
	}
}

// resourceType reads "Provider/type" from a resource id.
func resourceType(id string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+2 < len(parts); i++ {
		if strings.EqualFold(parts[i], "providers") {
			return parts[i+1] + "/" + parts[i+2]
		}
	}
	return "Microsoft.Resources/subscriptions"
}

// roleAssignment records an Azure role given to a principal at scope.
func (w *world) roleAssignment(when time.Time, c caller, scope, roleDef, principal, principalType string) {
	assignment := guid(fmt.Sprintf("assignment:%s:%s:%s", scope, roleDef, principal))
	id := scope + "/providers/Microsoft.Authorization/roleAssignments/" + assignment
	body, err := json.Marshal(map[string]any{
		"Id": assignment,
		"Properties": map[string]any{
			"PrincipalId":      principal,
			"PrincipalType":    principalType,
			"RoleDefinitionId": "/subscriptions/" + subscription + "/providers/Microsoft.Authorization/roleDefinitions/" + roleDef,
			"Scope":            scope,
			"Condition":        nil,
			"ConditionVersion": nil,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	w.operation(when, c, "Microsoft.Authorization/roleAssignments/write", id, string(body))
}

// ---- the week ----

// workdays are the working days of the week: 2 June is a public holiday.
var workdays = []int{1, 3, 4, 5}

func (w *world) week() {
	w.officeSignIns()
	w.serviceSignIns()
	w.payrollVault()
	w.routineChanges()
	w.routineAzure()
}

// officeSignIns writes the staff's sign-ins: a morning sign-in on working
// days (some after a mistyped password), sometimes an afternoon one, token
// refreshes through the day, and the odd phone check on days off.
func (w *world) officeSignIns() {
	for _, p := range append(slices.Clone(staff), nicola) {
		for day := 1; day <= 7; day++ {
			if p == nicola && day == 1 {
				w.workday(p, at(1, 10, 20, 0))
				continue
			}
			if !slices.Contains(workdays, day) {
				if w.r.IntN(5) == 0 {
					w.phone(p, w.jitter(at(day, 15, 0, 0), 5*time.Hour))
				}
				continue
			}
			w.workday(p, w.jitter(at(day, 8, 45, 0), 40*time.Minute))
			if w.r.IntN(3) == 0 {
				w.workday(p, w.jitter(at(day, 14, 30, 0), 30*time.Minute))
			}
		}
	}
}

// workday signs p in at the office or from home, then refreshes tokens.
func (w *world) workday(p *person, when time.Time) {
	ip, where := officeIP, milano
	if w.r.IntN(4) == 0 {
		ip, where = p.homeIP, p.home
	}
	client := []*app{officeHome, teams, office}[w.r.IntN(3)]
	resource := map[*app]*app{officeHome: graph, teams: teamsSvc, office: exchange}[client]
	if w.r.IntN(12) == 0 {
		w.userSignIn(userSignIn{p: p, when: when.Add(-70 * time.Second), client: client, resource: resource, ip: ip, where: where, interactive: true, errorCode: 50126, managed: true, ca: "notApplied"})
	}
	w.userSignIn(userSignIn{p: p, when: when, client: client, resource: resource, ip: ip, where: where, interactive: true, managed: true})
	if p == chiara || p == luca || p == davide {
		w.userSignIn(userSignIn{p: p, when: when.Add(9 * time.Minute), client: portal, resource: armAPI, ip: ip, where: where, interactive: true, managed: true})
	}
	refresh := when
	for range 3 + w.r.IntN(4) {
		refresh = refresh.Add(time.Duration(40+w.r.IntN(80)) * time.Minute)
		c := []*app{office, teams, officeHome}[w.r.IntN(3)]
		res := []*app{exchange, sharepoint, graph, teamsSvc}[w.r.IntN(4)]
		w.userSignIn(userSignIn{p: p, when: refresh, client: c, resource: res, ip: ip, where: where, managed: true, clientApp: "Mobile Apps and Desktop clients"})
	}
}

func (w *world) phone(p *person, when time.Time) {
	w.userSignIn(userSignIn{p: p, when: when, client: outlookApp, resource: exchange, ip: p.homeIP, where: p.home, interactive: true,
		clientApp: "Mobile Apps and Desktop clients", agent: "Outlook-iOS/2.0"})
}

// serviceSignIns writes the daemons' sign-ins: the payroll app every hour
// of the working day, the HR connector every night, the deploy pipeline
// when it deploys.
func (w *world) serviceSignIns() {
	for _, day := range workdays {
		k := payrollOld
		if day > 3 {
			k = payrollNew
		}
		for hour := 8; hour <= 18; hour++ {
			w.appSignIn(w.jitter(at(day, hour, 5, 0), 3*time.Minute), payroll, keyVaultAPI, k, azureIP, milano)
		}
	}
	for day := 1; day <= 7; day++ {
		w.appSignIn(w.jitter(at(day, 2, 10, 0), 4*time.Minute), hrSync, graph, hrSyncKey, azureIP, milano)
	}
	for _, t := range []time.Time{at(1, 10, 1, 12), at(4, 17, 41, 5)} {
		w.appSignIn(t, pipeline, armAPI, key{id: guid("key:pipeline"), typ: "AsymmetricX509Cert"}, azureIP, milano)
	}
}

// payrollVault writes the payroll app's secret reads in working hours.
func (w *world) payrollVault() {
	const client = "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.6; Microsoft Windows 10.0.20348)"
	claims := dataClaims(nil, payroll, azureIP)
	for _, day := range workdays {
		for t := at(day, 8, 35, 0); t.Before(at(day, 18, 30, 0)); t = t.Add(30 * time.Minute) {
			w.vaultOp(false, w.jitter(t, 4*time.Minute), "SecretGet", "/secrets/payroll-db-connection/"+strings.ReplaceAll(guid("v:db"), "-", ""), claims, azureIP, 200, client)
		}
		for _, h := range []int{10, 16} {
			w.vaultOp(false, w.jitter(at(day, h, 0, 0), 2*time.Minute), "SecretGet", "/secrets/payroll-sftp-key/"+strings.ReplaceAll(guid("v:sftp"), "-", ""), claims, azureIP, 200, client)
		}
	}
	// Luca checks the vault's settings on Thursday morning.
	w.vaultOp(false, at(4, 11, 2, 40), "VaultGet", "", dataClaims(luca, nil, officeIP), officeIP, 200, edgeAgent)
}

// routineChanges writes the week's ordinary directory changes.
func (w *world) routineChanges() {
	helpdesk := by(davide, officeIP, edgeAgent)
	hr := by(francesca, officeIP, edgeAgent)
	// Monday: a new hire, her groups, a password reset.
	w.addUser(toCSV, at(1, 9, 4, 31), helpdesk, nicola, "Payroll Specialist")
	w.groupMember(toCSV, at(1, 9, 11, 2), hr, true, "All-Staff", nicola)
	w.groupMember(toCSV, at(1, 9, 11, 40), hr, true, "HR-Payroll-Users", nicola)
	w.resetPassword(toCSV, at(1, 15, 22, 9), helpdesk, marco)
	// Monday: a developer adds the intranet's new sign-in page.
	w.updateApp(toEventHub, at(1, 10, 41, 17), by(giorgio, giorgio.homeIP, edgeAgent), intranet, "AppAddress",
		addresses("https://intranet.fabrikam.example/signin-oidc"),
		addresses("https://intranet.fabrikam.example/signin-oidc", "https://intranet.fabrikam.example/auth/callback"))
	// Wednesday: Anna consents to a timesheet app asking for sign-in only.
	userConsent := by(anna, officeIP, edgeAgent)
	corr := w.id("correlation")
	w.addServicePrincipal(toCSV, at(3, 11, 3, 55), userConsent, timesheets, corr)
	w.delegatedGrant(toCSV, at(3, 11, 3, 56), userConsent, timesheets, "Principal", "openid profile User.Read offline_access", corr)
	w.consent(toCSV, at(3, 11, 3, 56), userConsent, timesheets, false, "openid profile User.Read offline_access", corr, false)
	w.groupMember(toCSV, at(3, 14, 32, 18), hr, false, "Sales-Italy", sara)
	// Wednesday evening: Chiara rotates the payroll app's secret in the
	// approved change window, stores it in the vault, then drops the old one.
	admin := by(chiara, officeIP, edgeAgent)
	w.appCredential(toCSV, at(3, 19, 6, 12), admin, payroll, []key{payrollOld}, []key{payrollOld, payrollNew})
	w.vaultOp(false, at(3, 19, 20, 3), "SecretSet", "/secrets/payroll-client-secret/"+strings.ReplaceAll(guid("v:client"), "-", ""), dataClaims(chiara, nil, officeIP), officeIP, 200, edgeAgent)
	w.appCredential(toCSV, at(3, 19, 41, 50), admin, payroll, []key{payrollOld, payrollNew}, []key{payrollNew})
	// Thursday and Friday.
	w.groupMember(toGraph, at(4, 10, 15, 33), by(luca, officeIP, edgeAgent), true, "VPN-Users", marco)
	w.updateUser(toGraph, at(4, 16, 2, 7), helpdesk, paolo, "JobTitle", "Marketing Specialist", "Marketing Manager")
	w.groupMember(toGraph, at(5, 9, 31, 45), hr, true, "Sales-Italy", sara)
	w.resetPassword(toGraph, at(5, 12, 48, 2), helpdesk, elena)
}

// routineAzure writes the week's ordinary Azure operations.
func (w *world) routineAzure() {
	site := "/subscriptions/" + subscription + "/resourceGroups/" + intranetRG + "/providers/Microsoft.Web/sites/app-fabrikam-intranet"
	w.operation(at(1, 10, 2, 30), appCaller(pipeline, azureIP), "Microsoft.Web/sites/write", site, "")
	w.operation(at(4, 17, 43, 51), appCaller(pipeline, azureIP), "Microsoft.Web/sites/write", site, "")
	w.roleAssignment(at(1, 11, 32, 8), personCaller(chiara, officeIP), "/subscriptions/"+subscription+"/resourceGroups/"+intranetRG, azureReader, giorgio.id, "User")
}

// ---- the attack ----

// attack writes Saturday night: consent phishing and device-code
// phishing, then Luca's account taken over through a legacy password
// sign-in and used to plant a look-alike application with the run of the
// tenant and its payroll vault.
func (w *world) attack() {
	w.phishing()
	w.takeover()
	w.backdoorApp()
	w.spreadAccess()
	w.appActs()
	w.vaultTheft()
}

// phishing: consent and device-code lures reach four people.
func (w *world) phishing() {
	corr := w.id("correlation")
	victim := by(paolo, paolo.homeIP, edgeAgent)
	w.userSignIn(userSignIn{p: paolo, when: at(6, 21, 39, 2), client: mailBackup, resource: graph, ip: paolo.homeIP, where: paolo.home, interactive: true, protocol: "oAuth2"})
	w.addServicePrincipal(toCSV, at(6, 21, 39, 40), victim, mailBackup, corr)
	scope := "Mail.ReadWrite Files.ReadWrite.All offline_access User.Read"
	w.delegatedGrant(toCSV, at(6, 21, 39, 41), victim, mailBackup, "Principal", scope, corr)
	w.consent(toCSV, at(6, 21, 39, 41), victim, mailBackup, false, scope, corr, false)
	w.consent(toCSV, at(6, 21, 52, 13), by(elena, elena.homeIP, edgeAgent), docViewer, false, "Files.Read.All Mail.Read offline_access User.Read", "", true)

	w.userSignIn(userSignIn{p: sara, when: at(6, 22, 14, 37), client: broker, resource: graph, ip: sara.homeIP, where: sara.home, interactive: true,
		protocol: "deviceCode", transfer: "deviceCodeFlow", risk: "medium", clientApp: "Mobile Apps and Desktop clients"})
	w.userSignIn(userSignIn{p: marco, when: at(6, 22, 31, 5), client: broker, resource: graph, ip: marco.homeIP, where: marco.home, interactive: true,
		protocol: "deviceCode", transfer: "deviceCodeFlow", clientApp: "Mobile Apps and Desktop clients"})
	for i, p := range []*person{sara, sara, marco} {
		w.userSignIn(userSignIn{p: p, when: at(6, 22, 40+i*6, 12), client: broker, resource: []*app{exchange, sharepoint, graph}[i], ip: attackerIP, where: frankfurt,
			clientApp: "Mobile Apps and Desktop clients", agent: scriptAgent})
	}
}

// takeover: a password spray over the legacy password flow finds Luca,
// whom a forgotten exclusion spares from multi-factor authentication.
func (w *world) takeover() {
	spray := []*person{anna, giorgio, davide, luca}
	for i, p := range spray {
		code := 50126
		if p == luca {
			code = 0
		}
		w.userSignIn(userSignIn{p: p, when: at(6, 22, 44, 10+i*41), client: aadPS, resource: graph, ip: attackerIP, where: frankfurt, interactive: true,
			protocol: "ropc", errorCode: code, agent: scriptAgent, clientApp: "Mobile Apps and Desktop clients", ca: "notApplied"})
	}
	for i := range 3 {
		w.userSignIn(userSignIn{p: luca, when: at(6, 22, 58+i*9, 30), client: aadPS, resource: graph, ip: attackerIP, where: frankfurt,
			agent: scriptAgent, clientApp: "Mobile Apps and Desktop clients", ca: "notApplied"})
	}
}

// backdoorApp: the look-alike application, its first secret, its risky
// addresses, a removed logout URL and a second owner.
func (w *world) backdoorApp() {
	att := by(luca, attackerIP, scriptAgent)
	corr := w.id("correlation")
	t := newTarget(connector.objectID, str(connector.name), "Application",
		property("AppId", nil, []string{connector.appID}),
		property("DisplayName", nil, []string{connector.name}),
		property("LogoutUrl", nil, []string{"https://login.fabrikam.example/signout"}),
		included("AppId", "DisplayName", "LogoutUrl"))
	w.audit(toGraph, at(6, 22, 52, 4), att, "Add application", appMgmt, "Add", corr, []target{t}, detail{"AppId", connector.appID})
	w.addServicePrincipal(toGraph, at(6, 22, 52, 6), att, connector, corr)
	w.appCredential(toGraph, at(6, 22, 54, 31), att, connector, []key{}, []key{connectorKey})
	w.updateApp(toGraph, at(6, 23, 12, 8), att, connector, "AppAddress", addresses(),
		addresses("http://fabrikam-graph-connector.azurewebsites.net/callback", "https://*.fabrikam-sync.example/auth"))
	w.updateApp(toGraph, at(6, 23, 14, 26), att, connector, "AppIdentifierUri",
		[]string{"api://" + connector.appID}, []string{"https://graph-connector.fabrikam-sync.example"})
	w.updateApp(toGraph, at(6, 23, 15, 2), att, connector, "LogoutUrl", "https://login.fabrikam.example/signout", "")
	w.owner(toGraph, at(6, 23, 17, 44), att, connector, marco)
}

// spreadAccess: permissions, consent, a certificate and roles for the
// look-alike app, and a second foothold in the HR connector.
func (w *world) spreadAccess() {
	att := by(luca, attackerIP, scriptAgent)
	w.appRole(toEventHub, at(6, 23, 2, 11), att, graph, graphSPNs, "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "RoleManagement.ReadWrite.Directory", connector)
	w.appRole(toEventHub, at(6, 23, 3, 2), att, graph, graphSPNs, "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All", connector)
	w.appRole(toEventHub, at(6, 23, 3, 49), att, graph, graphSPNs, "e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite", connector)
	corr := w.id("correlation")
	w.delegatedGrant(toEventHub, at(6, 23, 6, 20), att, connector, "AllPrincipals", "Mail.ReadWrite User.Read", corr)
	w.consent(toEventHub, at(6, 23, 6, 20), att, connector, true, "Mail.ReadWrite User.Read", corr, false)
	w.appRole(toEventHub, at(6, 23, 8, 15), att, payrollAPI, payrollAPI.appID+";api://payroll.fabrikam.example", guid("approle:Payroll.Read.All"), "Payroll.Read.All", connector)
	w.spCredential(toEventHub, at(6, 23, 10, 3), att, connector, []key{}, []key{connectorSP})
	w.roleMember(toEventHub, at(6, 23, 20, 29), att, privRoleAdmin, connector, nil)
	w.appCredential(toEventHub, at(6, 23, 22, 7), att, hrSync, []key{hrSyncKey}, []key{hrSyncKey, hrSyncRogue})
	w.roleMember(toEventHub, at(6, 23, 23, 40), att, dirReaders, hrSync, nil)

	azure := personCaller(luca, attackerIP)
	w.roleAssignment(at(6, 23, 28, 14), azure, "/subscriptions/"+subscription, azureOwner, connector.spID, "ServicePrincipal")
	w.roleAssignment(at(6, 23, 29, 2), azure, "/subscriptions/"+subscription+"/resourceGroups/"+payrollRG, azureReader, hrSync.spID, "ServicePrincipal")
}

// appActs: the look-alike app signs in with its secret, creates an account
// and makes it Global Administrator on its own.
func (w *world) appActs() {
	w.appSignIn(at(6, 23, 31, 1), connector, keyVaultAPI, connectorKey, attackerIP, frankfurt)
	w.appSignIn(at(6, 23, 44, 37), connector, graph, connectorKey, attackerIP, frankfurt)
	w.appSignIn(at(6, 23, 45, 2), connector, keyVaultAPI, connectorKey, attackerIP, frankfurt)
	self := actor{app: connector, ip: attackerIP}
	w.addUser(toEventHub, at(6, 23, 47, 18), self, backdoorUser, "IT Support")
	w.roleMember(toEventHub, at(6, 23, 48, 2), self, globalAdmin, nil, backdoorUser)
}

// vaultTheft: the look-alike app is refused, Luca grants it access, reads
// a secret himself, and the app empties the vault.
func (w *world) vaultTheft() {
	const client = "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.3"
	app := dataClaims(nil, connector, attackerIP)
	w.vaultOp(true, at(6, 23, 31, 20), "SecretList", "/secrets", app, attackerIP, 403, client)
	w.vaultPolicy(at(6, 23, 33, 9), luca, attackerIP, connector)
	vault := "/subscriptions/" + subscription + "/resourceGroups/" + payrollRG + "/providers/Microsoft.KeyVault/vaults/" + vaultName
	w.operation(at(6, 23, 33, 9), personCaller(luca, attackerIP), "Microsoft.KeyVault/vaults/accessPolicies/write", vault+"/accessPolicies/add", "")
	w.vaultOp(true, at(6, 23, 36, 44), "SecretGet", "/secrets/payroll-db-connection/"+strings.ReplaceAll(guid("v:db"), "-", ""), dataClaims(luca, nil, attackerIP), attackerIP, 200, client)
	w.vaultOp(true, at(6, 23, 45, 10), "SecretList", "/secrets", app, attackerIP, 200, client)
	for i, s := range []string{"payroll-db-connection", "payroll-sftp-key", "payroll-client-secret", "bank-api-token"} {
		w.vaultOp(true, at(6, 23, 45, 31+i*7), "SecretGet", "/secrets/"+s+"/"+strings.ReplaceAll(guid("v:"+s), "-", ""), app, attackerIP, 200, client)
	}
}

// ---- writing ----

func (w *world) write(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	files := map[string][]byte{
		"entra/directoryAudits-page1.json":              nil,
		"entra/directoryAudits-page2.json":              nil,
		"entra/AuditLogs-eventhub.json":                 w.auditEventHub(),
		"entra/AuditLogs-sentinel.csv":                  w.auditCSV(),
		"entra/SigninLogs-sentinel.json":                w.signInRows(),
		"entra/NonInteractiveUserSignInLogs.json.gz":    gz(w.signInLines("NonInteractiveUserSignInLogs")),
		"entra/ServicePrincipalSignInLogs.json":         w.signInLines("ServicePrincipalSignInLogs"),
		"keyvault/AuditEvent-eventhub.json":             w.vaultLines(false),
		"keyvault/y=2026/m=06/d=06/h=21/m=00/PT1H.json": w.vaultLines(true),
		"azure/ActivityLog-export.json":                 w.activityExport(),
	}
	files["entra/directoryAudits-page1.json"], files["entra/directoryAudits-page2.json"] = w.auditPages()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func indented(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	return append(b, '\n')
}

func (w *world) auditsTo(d dest) []auditRec {
	var out []auditRec
	for _, a := range w.audits {
		if a.dest == d {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b auditRec) int { return a.at.Compare(b.at) })
	return out
}

// auditPages writes the Graph records as two pages of a list response,
// newest first as Graph returns them.
func (w *world) auditPages() ([]byte, []byte) {
	recs := w.auditsTo(toGraph)
	slices.Reverse(recs)
	var objs []directoryAudit
	for _, a := range recs {
		rec := a.rec
		rec.InitiatedBy = a.by.initiatedBy(true)
		objs = append(objs, rec)
	}
	half := len(objs) / 2
	const base = "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits"
	first := map[string]any{
		"@odata.context":  base,
		"@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter=activityDateTime+ge+2026-05-31T22:00:00Z+and+activityDateTime+lt+2026-06-07T22:00:00Z&$skiptoken=" + strings.ReplaceAll(guid("skiptoken"), "-", ""),
		"value":           objs[:half],
	}
	second := map[string]any{"@odata.context": base, "value": objs[half:]}
	return indented(first), indented(second)
}

// auditEventHub writes one Event Hub message per line, each a records
// array of the audit records of one hour.
func (w *world) auditEventHub() []byte {
	var buf bytes.Buffer
	var batch []any
	var hour time.Time
	flush := func() {
		if len(batch) > 0 {
			buf.Write(mustJSON(map[string]any{"records": batch}))
			buf.WriteByte('\n')
		}
		batch = nil
	}
	for _, a := range w.auditsTo(toEventHub) {
		if h := a.at.Truncate(time.Hour); !h.Equal(hour) {
			flush()
			hour = h
		}
		rec := a.rec
		rec.InitiatedBy = a.by.initiatedBy(false)
		batch = append(batch, auditEnvelope(a, rec))
	}
	flush()
	return buf.Bytes()
}

func auditEnvelope(a auditRec, rec directoryAudit) map[string]any {
	return map[string]any{
		"time":             a.at.Add(2 * time.Second).UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"resourceId":       "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
		"operationName":    rec.ActivityDisplayName,
		"operationVersion": "1.0",
		"category":         "AuditLogs",
		"tenantId":         tenantID,
		"resultSignature":  "None",
		"durationMs":       0,
		"callerIpAddress":  a.by.ip,
		"correlationId":    rec.CorrelationID,
		"identity":         a.by.identity(),
		"Level":            4,
		"properties":       rec,
	}
}

var csvHeader = []string{
	"TenantId", "SourceSystem", "TimeGenerated [UTC]", "ResourceId", "OperationName", "OperationVersion", "Category",
	"ResultType", "ResultSignature", "ResultDescription", "DurationMs", "CorrelationId", "Resource", "ResourceGroup",
	"ResourceProvider", "Identity", "Level", "Location", "AdditionalDetails", "Id", "InitiatedBy", "LoggedByService",
	"Result", "ResultReason", "TargetResources", "AADTenantId", "ActivityDisplayName", "ActivityDateTime [UTC]",
	"AADOperationType", "Type",
}

// laTime writes t as the Log Analytics portal's CSV export does.
func laTime(t time.Time) string { return t.UTC().Format("1/2/2006, 3:04:05.000 PM") }

// auditCSV writes the CSV records as an "Export to CSV" of AuditLogs.
func (w *world) auditCSV() []byte {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(csvHeader)
	for _, a := range w.auditsTo(toCSV) {
		r := a.rec
		ingested := a.at.Add(time.Duration(40+w.r.IntN(90)) * time.Second)
		cw.Write([]string{
			workspaceID, "Azure AD", laTime(ingested), "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
			r.ActivityDisplayName, "1.0", r.Category, "", "None", "", "0", r.CorrelationID, "Microsoft.aadiam", "Microsoft.aadiam",
			"", a.by.identity(), "4", "", string(mustJSON(r.AdditionalDetails)), r.ID, string(mustJSON(a.by.initiatedBy(false))),
			r.LoggedByService, r.Result, r.ResultReason, string(mustJSON(r.TargetResources)), tenantID, r.ActivityDisplayName,
			laTime(a.at), r.OperationType, "AuditLogs",
		})
	}
	cw.Flush()
	return buf.Bytes()
}

func (w *world) signInsOf(category string) []signInRec {
	var out []signInRec
	for _, s := range w.signIns {
		if s.category == category {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b signInRec) int { return a.at.Compare(b.at) })
	return out
}

// signInLines writes diagnostic records of one category, one per line.
func (w *world) signInLines(category string) []byte {
	var buf bytes.Buffer
	for _, s := range w.signInsOf(category) {
		result := fmt.Sprint(s.s.Status.ErrorCode)
		identity := s.s.UserDisplayName
		if identity == "" {
			identity = s.s.ServicePrincipalName
		}
		buf.Write(mustJSON(map[string]any{
			"time":              s.at.Add(time.Duration(30+w.r.IntN(150)) * time.Second).UTC().Format("2006-01-02T15:04:05.0000000Z"),
			"resourceId":        "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
			"operationName":     "Sign-in activity",
			"operationVersion":  "1.0",
			"category":          category,
			"tenantId":          tenantID,
			"resultType":        result,
			"resultSignature":   "None",
			"resultDescription": s.s.Status.FailureReason,
			"durationMs":        0,
			"callerIpAddress":   s.s.IPAddress,
			"correlationId":     s.s.CorrelationID,
			"identity":          identity,
			"Level":             4,
			"location":          s.s.Location.CountryOrRegion,
			"properties":        s.s,
		}))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// signInRows writes the interactive sign-ins as a Log Analytics JSON
// export of SigninLogs: a JSON array, one row a line.
func (w *world) signInRows() []byte {
	var buf bytes.Buffer
	buf.WriteString("[\n")
	rows := w.signInsOf("SignInLogs")
	for i, r := range rows {
		s := r.s
		row := laSignIn{
			TenantID: workspaceID, SourceSystem: "Azure AD", TimeGenerated: r.at.UTC().Format("2006-01-02T15:04:05.0000000Z"),
			ResourceID: "/tenants/" + tenantID + "/providers/Microsoft.aadiam", OperationName: "Sign-in activity", OperationVersion: "1.0",
			Category: "SignInLogs", ResultType: fmt.Sprint(s.Status.ErrorCode), ResultSignature: "None", ResultDescription: s.Status.FailureReason,
			CorrelationID: s.CorrelationID, Identity: s.UserDisplayName, Level: "4", Location: s.Location.CountryOrRegion,
			AppDisplayName: s.AppDisplayName, AppID: s.AppID, AuthenticationProtocol: s.AuthenticationProtocol, ClientAppUsed: s.ClientAppUsed,
			ConditionalAccessStatus: s.ConditionalAccessStatus, CreatedDateTime: r.at.UTC().Format("2006-01-02T15:04:05.0000000Z"),
			DeviceDetail: s.DeviceDetail, ID: s.ID, IPAddress: s.IPAddress, IsInteractive: true, LocationDetails: s.Location,
			OriginalTransferMethod: s.OriginalTransferMethod, ResourceDisplayName: s.ResourceDisplayName, ResourceIdentity: s.ResourceID,
			RiskLevelDuringSignIn: s.RiskLevelDuringSignIn, RiskState: s.RiskState, Status: s.Status, UserAgent: s.UserAgent,
			UserDisplayName: s.UserDisplayName, UserID: s.UserID, UserPrincipalName: s.UserPrincipalName, UserType: "Member",
			AADTenantID: tenantID, Type: "SigninLogs",
		}
		buf.Write(mustJSON(row))
		if i < len(rows)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

// laSignIn is a SigninLogs row.
type laSignIn struct {
	TenantID                string       `json:"TenantId"`
	SourceSystem            string       `json:"SourceSystem"`
	TimeGenerated           string       `json:"TimeGenerated"`
	ResourceID              string       `json:"ResourceId"`
	OperationName           string       `json:"OperationName"`
	OperationVersion        string       `json:"OperationVersion"`
	Category                string       `json:"Category"`
	ResultType              string       `json:"ResultType"`
	ResultSignature         string       `json:"ResultSignature"`
	ResultDescription       string       `json:"ResultDescription"`
	DurationMs              int          `json:"DurationMs"`
	CorrelationID           string       `json:"CorrelationId"`
	Identity                string       `json:"Identity"`
	Level                   string       `json:"Level"`
	Location                string       `json:"Location"`
	AppDisplayName          string       `json:"AppDisplayName"`
	AppID                   string       `json:"AppId"`
	AuthenticationProtocol  string       `json:"AuthenticationProtocol"`
	ClientAppUsed           string       `json:"ClientAppUsed"`
	ConditionalAccessStatus string       `json:"ConditionalAccessStatus"`
	CreatedDateTime         string       `json:"CreatedDateTime"`
	DeviceDetail            deviceDetail `json:"DeviceDetail"`
	ID                      string       `json:"Id"`
	IPAddress               string       `json:"IPAddress"`
	IsInteractive           bool         `json:"IsInteractive"`
	LocationDetails         location     `json:"LocationDetails"`
	OriginalTransferMethod  string       `json:"OriginalTransferMethod"`
	ResourceDisplayName     string       `json:"ResourceDisplayName"`
	ResourceIdentity        string       `json:"ResourceIdentity"`
	RiskLevelDuringSignIn   string       `json:"RiskLevelDuringSignIn"`
	RiskState               string       `json:"RiskState"`
	Status                  signInStatus `json:"Status"`
	UserAgent               string       `json:"UserAgent"`
	UserDisplayName         string       `json:"UserDisplayName"`
	UserID                  string       `json:"UserId"`
	UserPrincipalName       string       `json:"UserPrincipalName"`
	UserType                string       `json:"UserType"`
	AADTenantID             string       `json:"AADTenantId"`
	Type                    string       `json:"Type"`
}

// vaultLines writes Key Vault records one per line: the week's stream, or
// the storage blob of the attack's hour.
func (w *world) vaultLines(blob bool) []byte {
	var recs []vaultRec
	for _, v := range w.vault {
		if v.blob == blob {
			recs = append(recs, v)
		}
	}
	slices.SortStableFunc(recs, func(a, b vaultRec) int { return a.at.Compare(b.at) })
	var buf bytes.Buffer
	for _, v := range recs {
		buf.Write(mustJSON(v.rec))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// activityExport writes the Activity Log as a JSON array of events,
// oldest first, so that each operation's Started event, which alone
// carries the request body, comes before the events that complete it.
func (w *world) activityExport() []byte {
	recs := slices.Clone(w.activity)
	slices.SortStableFunc(recs, func(a, b activityRec) int { return a.at.Compare(b.at) })
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.rec
	}
	return indented(out)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}
