package event

import "testing"

func TestNormalizeActivity(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Update application – Certificates and secrets management ", "update application-certificates and secrets management"},
		{"Update Application-Certificates and secrets management", "update application-certificates and secrets management"},
		{"Update application - Certificates and secrets management", "update application-certificates and secrets management"},
		{"Update application — Certificates  and secrets management.", "update application-certificates and secrets management"},
		{"Update service principal.", "update service principal"},
		{"Update service principal. ", "update service principal"},
		{"  Add member to role  ", "add member to role"},
		{"Sign-in activity", "sign-in activity"},
		{"sign-in activity", "sign-in activity"},
		{"Add\u00a0owner to application", "add owner to application"},
		{"", ""},
		{"...", ""},
		{"–", "-"},
	}
	for _, tt := range tests {
		if got := NormalizeActivity(tt.in); got != tt.want {
			t.Errorf("NormalizeActivity(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := NormalizeActivity(tt.want); got != tt.want {
			t.Errorf("NormalizeActivity(%q) is not idempotent: %q", tt.want, got)
		}
	}
}

func TestNormalizeActivityNoAllocWhenNormal(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = NormalizeActivity("sign-in activity") })
	if allocs != 0 {
		t.Errorf("allocs = %v, want 0", allocs)
	}
}
