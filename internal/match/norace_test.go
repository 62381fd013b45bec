//go:build !race

package match

// raceEnabled is set under -race, which makes the engine's pooled buffers
// allocate, so allocation counts are not checked then.
const raceEnabled = false
