// Package cputime reads the processor time the process has used, the
// clock benchmarks measure with on a shared machine: unlike the wall
// clock, it does not count the time other programs hold the processor.
package cputime

import "time"

// Now returns the processor time, user and system, the process has used
// so far. Where the system does not say, it returns the wall-clock time
// elapsed since the process started, so that differences still measure
// something.
func Now() time.Duration { return now() }
