//go:build race

package sigma

// raceEnabled is true when tests run with -race, under which sync.Pool
// drops items at random and allocation counts mean nothing.
const raceEnabled = true
