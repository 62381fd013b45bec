package policy

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	if src, err := os.ReadFile(examplePath); err == nil {
		f.Add(src)
	}
	for _, tc := range errorCases {
		f.Add([]byte(tc.doc))
	}
	for _, tc := range warningCases {
		f.Add([]byte(tc.doc))
	}
	for _, doc := range goodDocuments {
		f.Add([]byte(doc))
	}
	times := []time.Time{
		{},
		time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC),
		time.Date(2025, 12, 24, 23, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, diags, err := Parse("f.yaml", src)
		if (err != nil) != HasErrors(diags) || (err == nil) != (p != nil) {
			t.Fatalf("Parse = %v, %v with diagnostics %v", p, err, diags)
		}
		var errs Errors
		if err != nil && (!errors.As(err, &errs) || len(errs) == 0) {
			t.Fatalf("error %v is not a non-empty Errors", err)
		}
		for _, d := range diags {
			if d.Line < 1 || d.Column < 1 || !strings.HasPrefix(d.String(), "f.yaml:") || d.Message == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		checked := CheckAt("f.yaml", src, times[1])
		if len(checked) < len(diags) {
			t.Fatalf("Check found %d diagnostics, Parse %d", len(checked), len(diags))
		}
		if p == nil {
			return
		}
		for _, at := range times {
			p.OutsideBusinessHours(at)
			p.InChangeWindow(at)
			p.Suppression(AlertFacts{RuleID: "r", GuideRow: "owner-added", Actor: []string{"a"}, Target: []string{"t"}, AppID: "x"}, at)
			p.Expired(at)
		}
		p.ApprovedActor("a@contoso.com")
		p.ApprovedApp("x")
		p.OwnsDomain("app.contoso.com")
		if p.SecretLifetime() <= 0 || p.CertificateLifetime() <= 0 {
			t.Fatalf("lifetimes %v, %v", p.SecretLifetime(), p.CertificateLifetime())
		}
		if l := p.Level("r", "owner-added", "medium"); l == "" {
			t.Fatal("empty level")
		}
		for _, name := range []string{PlaceholderApprovedActors, PlaceholderApprovedApps, PlaceholderOwnedDomains} {
			if _, ok := p.Placeholders(name); !ok {
				t.Fatalf("built-in placeholder %s missing", name)
			}
		}
	})
}
