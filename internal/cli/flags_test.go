package cli

import (
	"runtime/debug"
	"testing"
)

func TestClosest(t *testing.T) {
	flags := []string{"format", "fail-on", "lang", "min-level", "workers", "v"}
	tests := []struct {
		typed, want string
	}{
		{"formt", "format"},
		{"fromat", "format"},
		{"Format", "format"},
		{"failon", "fail-on"},
		{"worker", "workers"},
		{"min", "min-level"},
		{"f", ""},
		{"output", ""},
		{"language", ""},
	}
	for _, tt := range tests {
		if got := closest(tt.typed, flags); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"scan", "scan", 0},
		{"scna", "scan", 1},
		{"scn", "scan", 1},
		{"scanx", "scan", 1},
		{"sxan", "scan", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestBuildFrom(t *testing.T) {
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"work tree", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"appwatch devel (go1.26.8)"},
		{"tagged module", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}},
			"appwatch v1.4.0 (go1.26.8)"},
		{"checkout with changes", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.1-0.20260601100000-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.time", Value: "2026-06-01T10:00:00Z"},
				{Key: "vcs.modified", Value: "true"},
			}},
			"appwatch v1.4.1-0.20260601100000-0123456789ab+dirty (commit 0123456789ab, 2026-06-01T10:00:00Z, modified; go1.26.8)"},
	}
	for _, tt := range tests {
		if got := buildFrom(&tt.info).String(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
