package cputime

import "time"

var start = time.Now()

func wall() time.Duration { return time.Since(start) }
