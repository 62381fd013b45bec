package sigma

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndexAgreesWithScan matches many generated events with and
// without the index and expects the same rules.
func TestIndexAgreesWithScan(t *testing.T) {
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	if rs.ix.slot == 0 {
		t.Fatal("the bench rules should be indexed")
	}
	pools := map[string][]string{
		"activity": {"Update application", "Update application \u2013 Certificates and secrets management ", "ADD USER",
			"Consent to application", "Add member to role", "Add delegated permission grant", "Delete device", "Invite external user", "Nothing"},
		"result":        {"success", "failure", ""},
		"actor.type":    {"user", "app", "system", ""},
		"actor.upn":     {"a@contoso.com", "b@fabrikam.com", ""},
		"actor.ip":      {"10.1.1.1", "203.0.113.9", ""},
		"target.type":   {"ServicePrincipal", "Application", "User"},
		"target.name":   {"Microsoft Graph", "break glass admin", "Payroll"},
		"property.name": {"KeyDescription", "AppAddress", "AccountEnabled", "LogoutUrl", "IdentifierUris"},
		"property.new":  {"http://localhost/cb", "AllPrincipals", "Directory.ReadWrite.All", "Mail.Send", "IsAdminConsent: True", ""},
	}
	r := rand.New(rand.NewPCG(1, 2))
	st := newState(rs)
	matched := 0
	for n := 0; n < 3000; n++ {
		fields := map[string]string{}
		for name, pool := range pools {
			fields[name] = pool[r.IntN(len(pool))]
		}
		e := newFlatEvent(kindAudit, fields)
		got := rs.Match(e, nil)
		want := scanAll(rs, e, nil, st)
		if !slices.Equal(got, want) {
			t.Fatalf("event %v: index matched %v, scan %v", fields, got, want)
		}
		if len(got) > 0 {
			matched++
		}
	}
	if matched < 300 {
		t.Errorf("only %d of 3000 events matched; the generator should hit more rules", matched)
	}
}

// TestIndexKeys checks which rules the index may skip.
func TestIndexKeys(t *testing.T) {
	cases := []struct {
		det  string
		want []string // nil: the rule cannot be indexed on Target
	}{
		{sel("        Target: A\n"), []string{"a"}},
		{sel("        Target: [A, b]\n        Host: h\n"), []string{"a", "b"}},
		{sel("        Target|cased: A\n"), []string{"a"}},
		{sel("        - Target: a\n        - Target: b\n"), []string{"a", "b"}},
		{sel("        - Target: a\n        - Host: b\n"), nil},
		{sel("        Target|contains: a\n"), nil},
		{sel("        Target: 'a*'\n"), nil},
		{sel("        Target: [a, 'b*']\n"), nil},
		{sel("        Target: null\n"), nil},
		{"    a:\n        Target: x\n    b:\n        Host: y\n    condition: a and not b\n", []string{"x"}},
		{"    a:\n        Target: x\n    b:\n        Target: y\n    condition: a or b\n", []string{"x", "y"}},
		{"    a:\n        Target: x\n    b:\n        Host: y\n    condition: a or b\n", nil},
		{"    a:\n        Target: x\n    condition: not a\n", nil},
		{"    a:\n        Target: x\n    b:\n        Target: [y, z]\n    condition: a and b\n", []string{"x"}},
	}
	f, _ := testSchema{}.Field("Target")
	for _, tc := range cases {
		rs := mustLoad(t, "ix.yml", auditRule(tc.det), nil)
		slot := int32(slices.Index(rs.fieldIDs, f.ID))
		keys, ok := required(rs.compiled[0].root, slot)
		if !ok {
			keys = nil
		}
		if !slices.Equal(keys, tc.want) {
			t.Errorf("%s: keys %q, want %q", tc.det, keys, tc.want)
		}
	}
}

// TestMatchConcurrent matches from several goroutines at once; run with
// -race to check that Match shares no scratch space.
func TestMatchConcurrent(t *testing.T) {
	rs := loadBenchRules(t, "rules30.yml", "rules100.yml")
	events := loadBenchEvents(t)
	want := make([][]int, len(events))
	for i, e := range events {
		want[i] = rs.Match(e, nil)
	}
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			var hits []int
			for n := 0; n < 500; n++ {
				i := (n + g) % len(events)
				if hits = rs.Match(events[i], hits[:0]); !slices.Equal(hits, want[i]) {
					errs <- "concurrent Match disagreed"
					return
				}
			}
			errs <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-errs; msg != "" {
			t.Fatal(msg)
		}
	}
}
