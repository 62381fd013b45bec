// Command gencorpus writes a synthetic, realistic mix of Entra diagnostic
// records (about 5% application-management audit records, the rest
// sign-ins, 1 to 4 KB each) for benchmarks and memory tests:
//
//	go run ./tools/gencorpus -size 100MB > corpus.jsonl
//	go run ./tools/gencorpus -size 2GB | appwatch events --format summary -
//
// With -new-sp every record is a service principal being created, an
// input of the built-in correlation rules, for one of -apps apps (a new
// app each time when 0):
//
//	go run ./tools/gencorpus -new-sp -apps 100 -size 2.5GB > sp.jsonl
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/corpus"
)

func main() {
	size := flag.String("size", "100MB", "approximate output size (KB, MB, GB suffixes)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same corpus")
	audit := flag.Float64("audit", 0.05, "share of audit records")
	newSP := flag.Bool("new-sp", false, "write only service principals being created")
	apps := flag.Int("apps", 0, "with -new-sp, how many distinct apps (0: a new one each time)")
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(2)
	}
	if _, err := corpus.Generate(os.Stdout, corpus.Options{Size: n, Seed: *seed, AuditShare: *audit, NewServicePrincipals: *newSP, Apps: *apps}); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// parseSize reads sizes like 512KB, 100MB or 2GB.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSuffix(u, suf.s), suf.m
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(n * float64(mult)), nil
}
