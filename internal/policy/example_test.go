package policy

import (
	"os"
	"testing"
)

func TestExampleValidates(t *testing.T) {
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, diags, err := Parse("policy.yaml", src)
	for _, d := range diags {
		t.Log(d)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 0 {
		t.Errorf("example has %d diagnostics, want none", len(diags))
	}
	if p.Tenant.Name != "Contoso" {
		t.Errorf("tenant name = %q", p.Tenant.Name)
	}
}
