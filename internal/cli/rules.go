package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/enrich"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/refdata"
	"github.com/appwatch/appwatch/internal/ruleset"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/termtext"
	"github.com/appwatch/appwatch/rules"
)

// ruleDirs collects the directories given with repeated --rules flags.
type ruleDirs []string

// String lists the directories.
func (d *ruleDirs) String() string { return strings.Join(*d, ",") }

// Set adds a directory.
func (d *ruleDirs) Set(dir string) error {
	*d = append(*d, dir)
	return nil
}

// ruleFlags are the flags every rules subcommand that loads rules takes.
type ruleFlags struct {
	dirs      ruleDirs
	config    string
	noBuiltin bool
	strict    bool
}

func (f *ruleFlags) register(c *cmdline) {
	c.Var(&f.dirs, "rules", "a `DIR` of your own rules (.yml, .yaml; read recursively); repeat for several")
	c.StringVar(&f.config, "config", "", "the tenant policy `FILE`, for placeholders in rules and for rule tests")
	c.BoolVar(&f.noBuiltin, "no-builtin", false, "leave out the built-in rules")
	c.BoolVar(&f.strict, "strict-rules", false, strictRulesHelp)
}

// strictRulesHelp describes --strict-rules.
const strictRulesHelp = "stop when a rule cannot be loaded, instead of skipping it (for the CI of rule repositories)"

// load reads the policy and the rules the flags name, printing problems.
func (f *ruleFlags) load(ctx context.Context, c *cmdline, extra ...string) (*ruleset.Set, *policy.Policy, bool) {
	pol, ok := loadPolicy(c, f.config)
	if !ok {
		return nil, nil, false
	}
	set, ok := loadRules(ctx, c, ruleset.Options{
		NoBuiltin:    f.noBuiltin,
		Dirs:         append(slices.Clone(f.dirs), extra...),
		Placeholders: pol.Placeholders,
		Strict:       f.strict,
	})
	return set, pol, ok
}

// loadRules loads the rules opts names. It prints every rule that could not
// be loaded, with its problems, and how many were skipped; it returns false
// when loading failed (a missing directory, a refused rule with
// Options.Strict). When your own rules reuse the ids of built-in ones, as
// the files "appwatch rules export" writes do, it says how to go on.
func loadRules(ctx context.Context, c *cmdline, opts ruleset.Options) (*ruleset.Set, bool) {
	set, err := ruleset.Load(ctx, opts)
	if err != nil {
		c.errorf("rules could not be loaded:\n%v", err)
		hintBuiltinCopies(ctx, c, opts)
		return nil, false
	}
	writeSkipped(c, set)
	if len(set.Skipped) > 0 {
		hintBuiltinCopies(ctx, c, opts)
	}
	return set, true
}

// writeSkipped prints the rules that could not be loaded, each problem
// with its file, line and column, and how many were skipped; then the
// rules that loaded but can never fire.
func writeSkipped(c *cmdline, set *ruleset.Set) {
	for _, warn := range set.Warnings {
		c.errorf("warning: %s", termtext.Clean(warn.Error()))
	}
	if len(set.Skipped) == 0 {
		return
	}
	for _, sk := range set.Skipped {
		for _, line := range strings.Split(sk.Error(), "\n") {
			c.errorf("%s", termtext.Clean(line))
		}
	}
	user := 0
	for _, r := range set.Rules {
		if !r.Builtin {
			user++
		}
	}
	c.errorf("%d of your rules loaded, %d skipped because they could not be loaded (see above; --strict-rules stops instead)", user, len(set.Skipped))
}

// hintBuiltinCopies says how to go on when directories of your own rules
// hold copies of built-in rules.
func hintBuiltinCopies(ctx context.Context, c *cmdline, opts ruleset.Options) {
	if dirs := builtinCopies(ctx, opts); len(dirs) > 0 {
		fmt.Fprintln(c.env.Stderr, c.text("hint: %s holds rules with the ids of built-in rules, as 'appwatch rules export' writes them.", strings.Join(dirs, ", ")))
		fmt.Fprintln(c.env.Stderr, c.text("Add --no-builtin to use them in place of the built-in rules, or give each rule you adapted a new id and name."))
	}
}

// builtinCopies returns the directories among opts.Dirs holding a rule
// whose id or name a built-in rule has, unless the built-in rules are
// left out.
func builtinCopies(ctx context.Context, opts ruleset.Options) []string {
	if opts.NoBuiltin {
		return nil
	}
	builtin, err := ruleset.Load(ctx, ruleset.Options{Placeholders: opts.Placeholders})
	if err != nil {
		return nil
	}
	taken := map[string]bool{}
	for _, r := range builtin.Rules {
		taken[r.Sigma.ID], taken[r.Sigma.Name] = true, true
	}
	delete(taken, "")
	var out []string
	for _, dir := range opts.Dirs {
		own, err := ruleset.Load(ctx, ruleset.Options{NoBuiltin: true, Dirs: []string{dir}, Placeholders: opts.Placeholders})
		if err != nil {
			continue
		}
		if slices.ContainsFunc(own.Rules, func(r *ruleset.Rule) bool { return taken[r.Sigma.ID] || taken[r.Sigma.Name] }) {
			out = append(out, dir)
		}
	}
	return out
}

// checkLang reports whether lang is a language rule texts are written in,
// and says so when it is not.
func checkLang(c *cmdline, lang string) bool {
	if slices.Contains(ruleset.Languages(), lang) {
		return true
	}
	c.usageError("--lang %q: want one of %s", lang, strings.Join(ruleset.Languages(), ", "))
	return false
}

// kindOf names what a rule is: a detection or correlation rule, or an
// input that only feeds correlation rules.
func kindOf(r *ruleset.Rule) string {
	switch {
	case r.Correlation:
		return "correlation"
	case !r.Generates:
		return "input"
	}
	return "detection"
}

// rulesListCommand is "appwatch rules list".
func rulesListCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "rules list", "", "Lists the built-in rules and your own, with the guide row each implements.")
	var rf ruleFlags
	rf.register(c)
	lang := c.String("lang", "", "`LANGUAGE` of the headings, levels and titles: en, zh-TW, it, ja (default from $LC_ALL, $LC_MESSAGES or $LANG)")
	return c, func(ctx context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q", c.Arg(0))
		}
		if *lang == "" {
			*lang = c.p.Lang()
		}
		if !checkLang(c, *lang) {
			return exitUsage
		}
		set, _, ok := rf.load(ctx, c)
		if !ok {
			return exitUsage
		}
		p := i18n.NewPrinter(*lang)
		rows := [][]string{strings.Split(p.Sprintf("head.rules"), "\t")}
		for _, r := range sortedRules(set) {
			rows = append(rows, []string{r.Meta.ID, r.Meta.GuideRow, p.Level(r.Meta.Level), p.Sprintf("kind." + kindOf(r)), r.Meta.Text(*lang).Title})
		}
		if err := writeColumns(env.Stdout, rows); err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		return exitOK
	}
}

// sortedRules returns the rules ordered by guide row, then rule id.
func sortedRules(set *ruleset.Set) []*ruleset.Rule {
	out := slices.Clone(set.Rules)
	slices.SortFunc(out, func(a, b *ruleset.Rule) int {
		if c := strings.Compare(a.Meta.GuideRow, b.Meta.GuideRow); c != 0 {
			return c
		}
		return strings.Compare(a.Meta.ID, b.Meta.ID)
	})
	return out
}

// rulesShowCommand is "appwatch rules show RULE".
func rulesShowCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "rules show", "RULE", "Shows a rule's metadata, its texts and its YAML.")
	var rf ruleFlags
	rf.register(c)
	lang := c.String("lang", "", "show the texts in this `LANGUAGE` only (default: every language)")
	return c, func(ctx context.Context) int {
		if c.NArg() != 1 {
			return c.usage()
		}
		if *lang != "" && !checkLang(c, *lang) {
			return exitUsage
		}
		if *lang != "" {
			c.p = i18n.NewPrinter(*lang)
		}
		set, _, ok := rf.load(ctx, c)
		if !ok {
			return exitUsage
		}
		i, ok := set.Find(c.Arg(0))
		if !ok {
			if near := closest(c.Arg(0), setRuleIDs(set)); near != "" {
				c.errorf("no rule %q (did you mean %s?); 'appwatch rules list' lists them", c.Arg(0), near)
			} else {
				c.errorf("no rule %q; 'appwatch rules list' lists them", c.Arg(0))
			}
			return exitUsage
		}
		if err := showRule(env.Stdout, c.p, set.Rules[i], *lang); err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		return exitOK
	}
}

// setRuleIDs returns the rule ids of set.
func setRuleIDs(set *ruleset.Set) []string {
	ids := make([]string, len(set.Rules))
	for i, r := range set.Rules {
		ids[i] = r.Meta.ID
	}
	return ids
}

// showRule writes a rule's metadata, with labels in p's language, its
// texts and false positives in lang (every language when lang is empty),
// and its YAML.
func showRule(w io.Writer, p *i18n.Printer, r *ruleset.Rule, lang string) error {
	s := r.Sigma
	var rows [][]string
	field := func(key, value string) {
		if value != "" {
			rows = append(rows, []string{p.Sprintf(key), value})
		}
	}
	field("show.rule", r.Meta.ID)
	field("show.id", s.ID)
	field("show.guide-row", r.Meta.GuideRow)
	field("show.level", p.Level(r.Meta.Level))
	field("show.kind", p.Sprintf("kind."+kindOf(r)))
	field("show.status", s.Status)
	field("show.attack", strings.Join(r.Meta.Attack, ", "))
	if s.Correlation == nil {
		field("show.logsource", s.Logsource.String())
	} else {
		field("show.correlates", strings.Join(s.Correlation.Rules, ", "))
	}
	field("show.file", r.File)
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	langs := ruleset.Languages()
	if lang != "" {
		langs = []string{lang}
	}
	for _, l := range langs {
		t := r.Meta.Text(l)
		fmt.Fprintf(w, "\n[%s] %s\n\n%s\n\n%s\n", l, t.Title, t.Description, t.Remediation)
		if len(t.FalsePositives) > 0 {
			fmt.Fprintf(w, "\n%s\n", i18n.NewPrinter(l).Sprintf("show.false-positives"))
			for _, fp := range t.FalsePositives {
				fmt.Fprintf(w, "  - %s\n", fp)
			}
		}
	}
	src, err := r.Source()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n---\n%s", src)
	return nil
}

// rulesTestCommand is "appwatch rules test DIR...".
func rulesTestCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "rules test", "DIR... | --builtin",
		"Loads the rules in each DIR and runs their test records: a file testdata/<rule>/match-*\n"+
			"next to a rule's file must make the rule fire, a file testdata/<rule>/nomatch-* must not.\n"+
			"A policy.yaml in testdata/<rule>/ replaces --config for that rule's records; an expect.yaml\n"+
			"there says what the alerts must say (level, title, evidence).")
	var rf ruleFlags
	rf.register(c)
	builtin := c.Bool("builtin", false, "run the built-in rules' test records too")
	verbose := c.Bool("v", false, "list every test file, not only failures")
	return c, func(ctx context.Context) int {
		if c.NArg() == 0 && !*builtin {
			return c.usageError("give the directories of the rules to test, or --builtin for the built-in rules")
		}
		set, pol, ok := rf.load(ctx, c, c.Args()...)
		if !ok {
			return exitUsage
		}
		ref, err := refdata.Load()
		if err != nil {
			c.errorf("reference data: %v", err)
			return exitUsage
		}
		rep, err := set.Test(ctx, ruleset.TestOptions{
			NewEnricher: func(p *policy.Policy) ruleset.Enricher { return enrich.New(ref, p) },
			NewDetector: testDetector,
			Policy:      pol,
			Only:        func(r *ruleset.Rule) bool { return *builtin || !r.Builtin },
		})
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		return writeReport(c, set, rep, *verbose)
	}
}

// testDetector makes the detector of a scan for rule tests, so that the
// alerts checked against expect.yaml are those a scan writes.
func testDetector(set *ruleset.Set, pol *policy.Policy, en ruleset.Enricher) ruleset.Detector {
	cfg := scan.Config{Rules: scan.Rules{Set: set.Compiled, Schema: set.Schema, Meta: set.Meta()}, Policy: pol, Lang: "en"}
	if en != nil {
		cfg.Enricher = en
	}
	return scan.NewDetector(cfg)
}

// writeReport prints the outcome of a rule test run and returns the exit
// status: exitFindings when a case failed.
func writeReport(c *cmdline, set *ruleset.Set, rep *ruleset.TestReport, verbose bool) int {
	env := c.env
	for _, c := range rep.Cases {
		switch {
		case !c.Passed():
			fmt.Fprintf(env.Stdout, "FAIL  %s  %s: %s\n", c.Rule, c.File, failure(c))
		case verbose:
			fmt.Fprintf(env.Stdout, "ok    %s  %s\n", c.Rule, c.File)
		}
	}
	for _, id := range rep.Untested {
		if i, ok := set.Find(id); ok {
			c.errorf("%s (%s) has no test records", id, set.Rules[i].File)
		} else {
			c.errorf("%s has no test records", id)
		}
	}
	for _, dir := range rep.Orphans {
		c.errorf("%s names no rule", dir)
	}
	failed := len(rep.Failed())
	if n := len(rep.Untested); n > 0 {
		fmt.Fprintln(env.Stdout, c.text("%d test files: %d passed, %d failed; %d rules without test records", len(rep.Cases), len(rep.Cases)-failed, failed, n))
	} else {
		fmt.Fprintln(env.Stdout, c.text("%d test files: %d passed, %d failed", len(rep.Cases), len(rep.Cases)-failed, failed))
	}
	if failed > 0 {
		return exitFindings
	}
	return exitOK
}

// failure says why a case failed.
func failure(c ruleset.CaseResult) string {
	switch {
	case c.Err != nil:
		return c.Err.Error()
	case c.Events == 0:
		return "the file holds no event"
	case c.Want && c.Fired == 0:
		return fmt.Sprintf("the rule did not fire on its %d events", c.Events)
	case c.Want:
		return "the alert is not as expected: " + strings.Join(c.Unmet, "; ")
	}
	return fmt.Sprintf("the rule fired %d times on %d events", c.Fired, c.Events)
}

// rulesExportCommand is "appwatch rules export DIR".
func rulesExportCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "rules export", "DIR",
		"Writes the built-in rules and their test records to DIR, to read or adapt them.\n"+
			"Give an adapted rule a new name (and id) before loading it with --rules, or\n"+
			"load the whole directory with --no-builtin in place of the built-in rules.")
	force := c.Bool("force", false, "overwrite files that exist")
	return c, func(context.Context) int {
		if c.NArg() != 1 {
			return c.usage()
		}
		n, err := exportRules(c.Arg(0), *force)
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		c.errorf("wrote %d files to %s", n, c.Arg(0))
		return exitOK
	}
}

// exportRules copies the embedded rule files into dir and returns how
// many files it wrote. Unless force is set it first checks that it would
// overwrite nothing.
func exportRules(dir string, force bool) (int, error) {
	var files []string
	err := fs.WalkDir(rules.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("list built-in rules: %w", err)
	}
	if !force {
		for _, p := range files {
			dst := filepath.Join(dir, filepath.FromSlash(p))
			if _, err := os.Stat(dst); err == nil {
				return 0, fmt.Errorf("%s exists (use --force to overwrite)", dst)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return 0, err
			}
		}
	}
	for i, p := range files {
		if err := exportFile(dir, p); err != nil {
			return i, err
		}
	}
	return len(files), nil
}

func exportFile(dir, p string) error {
	data, err := fs.ReadFile(rules.FS(), p)
	if err != nil {
		return err
	}
	dst := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
