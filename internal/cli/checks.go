package cli

import (
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/posture"
)

// checkList holds the values of --checks or --skip-checks: posture check
// ids or guide rows (which stand for their checks), comma-separated and
// repeatable.
type checkList struct {
	names  []string
	failed *message
}

func (l *checkList) failure() *message { return l.failed }

// String lists the values.
func (l *checkList) String() string { return strings.Join(l.names, ",") }

// Set adds the ids or rows in v, refusing names no check has.
func (l *checkList) Set(v string) error {
	checks := posture.Checks()
	for _, name := range strings.Split(v, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if !slices.ContainsFunc(checks, func(r *alert.Rule) bool { return r.ID == name || r.GuideRow == name }) {
			if near := closest(name, append(checkIDs(), checkRows()...)); near != "" {
				l.failed = msg("no check or guide row %q (did you mean %s?); --list-checks lists them", name, near)
			} else {
				l.failed = msg("no check or guide row %q; --list-checks lists them", name)
			}
			return l.failed
		}
		l.names = append(l.names, name)
	}
	return nil
}

// has reports whether the list names the check r, by id or guide row.
func (l checkList) has(r *alert.Rule) bool {
	return slices.Contains(l.names, r.ID) || slices.Contains(l.names, r.GuideRow)
}

// selectChecks returns the ids of the checks to run: those only names
// (every check when it is empty) less those skip names. It returns nil
// when neither names any, and an error when nothing is left.
func selectChecks(only, skip checkList) ([]string, error) {
	if len(only.names) == 0 && len(skip.names) == 0 {
		return nil, nil
	}
	var ids []string
	for _, r := range posture.Checks() {
		if (len(only.names) == 0 || only.has(r)) && !skip.has(r) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, msg("--checks %s --skip-checks %s leave no check to run", only.String(), skip.String())
	}
	return ids, nil
}

// checksLookUp reports whether the checks ids, nil for all, include one
// that looks host names up in DNS.
func checksLookUp(ids []string) bool {
	return ids == nil || slices.ContainsFunc(ids, func(id string) bool { return strings.HasSuffix(id, "-dangling") })
}

// checkRows returns the guide rows the posture checks implement.
func checkRows() []string {
	var rows []string
	for _, r := range posture.Checks() {
		if !slices.Contains(rows, r.GuideRow) {
			rows = append(rows, r.GuideRow)
		}
	}
	return rows
}

// listChecks prints every posture check: its id, guide row, default
// level and title in lang.
func listChecks(c *cmdline, lang string) int {
	p := i18n.NewPrinter(lang)
	rows := [][]string{strings.Split(p.Sprintf("head.checks"), "\t")}
	for _, r := range posture.Checks() {
		rows = append(rows, []string{r.ID, r.GuideRow, p.Level(r.Level), r.Text(lang).Title})
	}
	if err := writeColumns(c.env.Stdout, rows); err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	return exitOK
}

// checkIDs returns the ids of the posture checks.
func checkIDs() []string {
	var ids []string
	for _, r := range posture.Checks() {
		ids = append(ids, r.ID)
	}
	return ids
}
