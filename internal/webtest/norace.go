//go:build !race

package webtest

// raceEnabled is set when the race detector is on.
const raceEnabled = false
