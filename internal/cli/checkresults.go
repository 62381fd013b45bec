package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
	"github.com/appwatch/appwatch/internal/termtext"
)

// statusWords are how the summary shows each check's status.
var statusWords = map[string]string{
	posture.StatusPass:         "PASS",
	posture.StatusFail:         "FAIL",
	posture.StatusNotEvaluated: "N/A",
	posture.StatusSkipped:      "SKIP",
}

// writeCheckResults prints, in p's language, one line per check: its
// status, the objects it judged, its findings, and why it was not
// evaluated; then the counts of each status. The statuses are written as
// Prowler and Maester write them, in English capitals.
func writeCheckResults(w io.Writer, p *i18n.Printer, results []posture.CheckResult) {
	counts := map[string]int{}
	width := 0
	for _, r := range results {
		width = max(width, len(r.ID))
	}
	fmt.Fprintln(w, p.Sprintf("Checks:"))
	for _, r := range results {
		counts[r.Status]++
		line := fmt.Sprintf("  %-4s  %-*s  %s", statusWords[r.Status], width, r.ID, p.Sprintf("%d evaluated", r.Evaluated))
		switch r.Status {
		case posture.StatusFail:
			line += p.Sprintf(", %d found", r.Findings+r.Suppressed)
		case posture.StatusNotEvaluated:
			line = fmt.Sprintf("  %-4s  %-*s  %s", statusWords[r.Status], width, r.ID, termtext.Clean(cmp.Or(r.ReasonText, r.Reason)))
		case posture.StatusSkipped:
			line = fmt.Sprintf("  %-4s  %s", statusWords[r.Status], r.ID)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintln(w, p.Sprintf("%d checks: %d passed, %d failed, %d not evaluated, %d skipped", len(results),
		counts[posture.StatusPass], counts[posture.StatusFail], counts[posture.StatusNotEvaluated], counts[posture.StatusSkipped]))
}

// writeResults writes the check results to path as JSON.
func writeResults(path string, results []posture.CheckResult) error {
	data, err := json.MarshalIndent(map[string]any{"checks": results}, "", "  ")
	if err != nil {
		return fmt.Errorf("--results: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("--results: %w", err)
	}
	return nil
}
