package policy

import (
	"fmt"
	"time"
)

const (
	day  = 24 * time.Hour
	week = 7 * day

	// maxLifetime bounds credential lifetimes, far above any real policy and
	// far below the range of time.Duration.
	maxLifetime = 100 * 365 * day
)

// lifetimeUnits are the units a lifetime may be written in.
var lifetimeUnits = map[byte]time.Duration{'w': week, 'd': day, 'h': time.Hour}

// parseLifetime reads a lifetime written as one or more whole numbers each
// followed by a unit, w (weeks), d (days) or h (hours): "180d", "26w",
// "4320h", "1w3d".
func parseLifetime(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration: want a number and a unit, like 180d, 26w or 4320h")
	}
	var total time.Duration
	for rest := s; rest != ""; {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("bad duration %q: want numbers each followed by a unit w, d or h, like 180d, 26w or 4320h", s)
		}
		unit, ok := lifetimeUnits[rest[i]]
		if !ok {
			return 0, fmt.Errorf("bad duration %q: unknown unit %q; use w (weeks), d (days) or h (hours)", s, rest[i])
		}
		n, err := boundedCount(rest[:i], unit)
		if err != nil {
			return 0, fmt.Errorf("bad duration %q: %w", s, err)
		}
		total += n
		if total > maxLifetime {
			return 0, fmt.Errorf("bad duration %q: longer than 100 years", s)
		}
		rest = rest[i+1:]
	}
	if total == 0 {
		return 0, fmt.Errorf("bad duration %q: a lifetime limit must be longer than zero", s)
	}
	return total, nil
}

// boundedCount multiplies the decimal number digits by unit, failing once
// the result passes maxLifetime.
func boundedCount(digits string, unit time.Duration) (time.Duration, error) {
	var n time.Duration
	for i := 0; i < len(digits); i++ {
		n = n*10 + time.Duration(digits[i]-'0')
		if n*unit > maxLifetime {
			return 0, fmt.Errorf("longer than 100 years")
		}
	}
	return n * unit, nil
}
