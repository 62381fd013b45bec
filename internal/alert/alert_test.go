package alert

import (
	"testing"
	"time"
)

func TestRank(t *testing.T) {
	tests := []struct {
		level string
		rank  int
		valid bool
	}{
		{LevelInformational, 1, true},
		{LevelLow, 2, true},
		{LevelMedium, 3, true},
		{LevelHigh, 4, true},
		{LevelCritical, 5, true},
		{"", 0, false},
		{"High", 0, false},
		{"severe", 0, false},
	}
	for _, tt := range tests {
		if got := Rank(tt.level); got != tt.rank {
			t.Errorf("Rank(%q) = %d, want %d", tt.level, got, tt.rank)
		}
		if got := ValidLevel(tt.level); got != tt.valid {
			t.Errorf("ValidLevel(%q) = %v, want %v", tt.level, got, tt.valid)
		}
	}
}

func TestRankOrder(t *testing.T) {
	levels := []string{LevelInformational, LevelLow, LevelMedium, LevelHigh, LevelCritical}
	for i := 1; i < len(levels); i++ {
		if Rank(levels[i-1]) >= Rank(levels[i]) {
			t.Errorf("Rank(%s) = %d is not below Rank(%s) = %d", levels[i-1], Rank(levels[i-1]), levels[i], Rank(levels[i]))
		}
	}
}

func TestFormatTime(t *testing.T) {
	taipei := time.FixedZone("UTC+8", 8*3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero", time.Time{}, ""},
		{"utc", time.Date(2026, 3, 11, 10, 15, 0, 0, time.UTC), "2026-03-11T10:15:00Z"},
		{"offset converted to UTC", time.Date(2026, 3, 11, 18, 15, 0, 0, taipei), "2026-03-11T10:15:00Z"},
		{"day changes in UTC", time.Date(2026, 1, 1, 2, 0, 0, 0, taipei), "2025-12-31T18:00:00Z"},
		{"fraction kept", time.Date(2026, 3, 11, 10, 15, 0, 123456000, time.UTC), "2026-03-11T10:15:00.123456Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FormatTime(tt.in)
			if got != tt.want {
				t.Fatalf("FormatTime = %q, want %q", got, tt.want)
			}
			if got == "" {
				return
			}
			back, err := time.Parse(time.RFC3339, got)
			if err != nil {
				t.Fatalf("%q is not RFC 3339: %v", got, err)
			}
			if !back.Equal(tt.in) {
				t.Errorf("%q reads back as %v, want %v", got, back, tt.in)
			}
		})
	}
}
