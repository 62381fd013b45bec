//go:build unix

package posture

import (
	"syscall"
	"time"
)

// cpuTime returns the processor time the process has used, user and
// system, so that a benchmark on a shared machine can report what it
// costs apart from how long it waited for a processor.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
