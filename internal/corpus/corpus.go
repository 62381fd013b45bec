// Package corpus generates synthetic but realistic Entra logs for
// benchmarks and load tests: Azure Monitor diagnostic records, one per line,
// as an Event Hub or storage export holds them. About 5% are
// application-management audit records (credentials, grants, role
// assignments, redirect URIs, owners, consents); the rest are sign-ins of
// every category. Records are 1 to 4 KB. Everything is made up here; no
// real tenant's data is used.
package corpus

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// Options tune Generate.
type Options struct {
	// Size is roughly how many bytes to write.
	Size int64
	// Seed makes the output reproducible.
	Seed uint64
	// AuditShare is the share of audit records, 0.05 when zero.
	AuditShare float64
	// Start is the time of the first record; records are about a second
	// apart. Zero means 2026-03-02T07:00:00Z.
	Start time.Time
	// NewServicePrincipals, when set, makes every record the audit record
	// of a service principal being created: a correlation input of the
	// built-in rules, for memory tests. Apps is how many distinct apps
	// they are for; zero means a new app each time.
	NewServicePrincipals bool
	Apps                 int
}

// Generate writes records to w until about opts.Size bytes are written. It
// returns the number of records written.
func Generate(w io.Writer, opts Options) (int, error) {
	if opts.AuditShare == 0 {
		opts.AuditShare = 0.05
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	}
	g := newGen(opts)
	bw := bufio.NewWriterSize(w, 1<<20)
	var written int64
	n := 0
	for written < opts.Size {
		var rec string
		switch {
		case opts.NewServicePrincipals:
			rec = g.newServicePrincipal(opts.Apps)
		case g.r.Float64() < opts.AuditShare:
			rec = g.audit()
		default:
			rec = g.signIn()
		}
		m, err := bw.WriteString(rec)
		if err != nil {
			return n, fmt.Errorf("write corpus: %w", err)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return n, fmt.Errorf("write corpus: %w", err)
		}
		written += int64(m + 1)
		n++
		g.now = g.now.Add(time.Duration(200+g.r.IntN(1600)) * time.Millisecond)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write corpus: %w", err)
	}
	return n, nil
}

// gen holds the generator's state: its random source, clock and the
// made-up tenant's users, apps and addresses.
type gen struct {
	r      *rand.Rand
	now    time.Time
	tenant string
	users  []user
	apps   []app
	extra  []app // apps of NewServicePrincipals
	ips    []string
}

type user struct{ id, upn, name string }

type app struct{ appID, spID, name string }

var (
	givenNames  = []string{"Ada", "Bruno", "Chiara", "Daniel", "Emi", "Farah", "Giulia", "Hiro", "Ines", "Jonas", "Kenji", "Lena", "Marco", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tomoko", "Ugo", "Vera", "Wen", "Xavier", "Yuki", "Zoe"}
	familyNames = []string{"Rossi", "Tanaka", "Lin", "Meyer", "Okafor", "Silva", "Nakamura", "Chen", "Bianchi", "Kowalski", "Haddad", "Novak"}
	appNames    = []string{"Payroll Sync", "HR Portal", "Backup Agent", "Build Pipeline", "Expense Reports", "CRM Connector", "Inventory API", "Reporting Service", "Mail Archiver", "Teams Bot", "Ticketing", "Data Lake Loader"}
	resources   = [][2]string{{"00000003-0000-0000-c000-000000000000", "Microsoft Graph"}, {"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"}, {"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"}, {"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"}, {"cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault"}}
	clientApps  = [][2]string{{"Browser", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0"}, {"Mobile Apps and Desktop clients", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"}, {"Exchange ActiveSync", "Outlook-iOS/2.0"}}
	countries   = [][3]string{{"IT", "Milano", "Lombardia"}, {"JP", "Tokyo", "Tokyo"}, {"TW", "Taipei", "Taipei"}, {"DE", "Berlin", "Berlin"}, {"US", "Seattle", "Washington"}}
	policies    = []string{"Require MFA for admins", "Block legacy authentication", "Require compliant device", "Sign-in frequency for guests", "Block high user risk", "Require MFA for Azure management", "Terms of use for partners", "Session controls for unmanaged devices"}
)

func newGen(opts Options) *gen {
	g := &gen{r: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), now: opts.Start}
	g.tenant = g.guid()
	for range 200 {
		gn, fn := pick(g.r, givenNames), pick(g.r, familyNames)
		g.users = append(g.users, user{g.guid(), strings.ToLower(gn + "." + fn + "@contoso.example"), gn + " " + fn})
	}
	for _, n := range appNames {
		g.apps = append(g.apps, app{g.guid(), g.guid(), n})
	}
	for range 50 {
		g.ips = append(g.ips, fmt.Sprintf("%d.%d.%d.%d", 20+g.r.IntN(180), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254)))
	}
	return g
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func (g *gen) guid() string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", g.r.Uint32(), g.r.Uint32()&0xffff, 0x4000|g.r.Uint32()&0x0fff, 0x8000|g.r.Uint32()&0x3fff, g.r.Uint64()&0xffffffffffff)
}

func (g *gen) stamp() string { return g.now.Format("2006-01-02T15:04:05.0000000Z") }

// envelope wraps properties in a diagnostic record.
func (g *gen) envelope(op, category, resultType, identity, ip, corr, props string) string {
	return fmt.Sprintf(`{"time":%q,"resourceId":"/tenants/%s/providers/Microsoft.aadiam","operationName":%q,"operationVersion":"1.0","category":%q,"tenantId":%q,"resultType":%q,"resultSignature":"None","durationMs":0,"callerIpAddress":%q,"correlationId":%q,"identity":%q,"Level":4,"location":"EU","properties":%s}`,
		g.stamp(), g.tenant, op, category, g.tenant, resultType, ip, corr, identity, props)
}
