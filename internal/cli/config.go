package cli

import (
	"context"
	"fmt"

	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/ruleset"
)

// configCheckCommand is "appwatch config check [--rules DIR]... FILE...".
func configCheckCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "config check", "FILE...", "Validates tenant policy files and prints every problem as FILE:LINE:COLUMN: message,\n"+
		"including rule ids that none of the built-in rules or yours has. Exits 1 when a file has errors.")
	var dirs ruleDirs
	c.Var(&dirs, "rules", "also accept the ids of the rules in `DIR` (repeatable)")
	return c, func(ctx context.Context) int {
		if c.NArg() == 0 {
			return c.usage()
		}
		set, ok := loadRules(ctx, c, ruleset.Options{Dirs: dirs})
		if !ok {
			return exitUsage
		}
		return checkPolicy(c, c.Args(), knownRuleIDs(set))
	}
}

// configSchemaCommand is "appwatch config schema".
func configSchemaCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "config schema", "", "Prints the JSON Schema of the tenant policy file, for editors that check YAML against one.")
	return c, func(context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q", c.Arg(0))
		}
		if _, err := env.Stdout.Write(policy.Schema()); err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		return exitOK
	}
}

// checkPolicy validates policy files and prints every problem as
// file:line:col: message, including rule ids that are not among ids. It
// exits 1 when a file has errors.
func checkPolicy(c *cmdline, files, ids []string) int {
	code := exitOK
	for _, f := range files {
		src, err := policy.ReadFile(f)
		if err != nil {
			c.errorf("%v", err)
			code = exitUsage
			continue
		}
		diags := policy.CheckRules(f, src, ids)
		for _, d := range diags {
			fmt.Fprintln(c.env.Stdout, d)
		}
		if policy.HasErrors(diags) {
			code = max(code, exitFindings)
			continue
		}
		if len(diags) == 0 {
			fmt.Fprintln(c.env.Stdout, c.text("%s: ok", f))
		}
	}
	return code
}

// knownRuleIDs lists the ids rules answer to: their name and their Sigma id.
func knownRuleIDs(set *ruleset.Set) []string {
	var ids []string
	for _, r := range set.Rules {
		ids = append(ids, r.Meta.ID)
		if r.Sigma.ID != "" && r.Sigma.ID != r.Meta.ID {
			ids = append(ids, r.Sigma.ID)
		}
	}
	return ids
}

// warnUnknownRules prints a warning for every rule id the policy names that
// none of the loaded rules has.
func warnUnknownRules(c *cmdline, pol *policy.Policy, set *ruleset.Set) {
	for _, d := range pol.UnknownRules(knownRuleIDs(set), policy.SeverityWarning) {
		fmt.Fprintln(c.env.Stderr, d)
	}
}

// loadPolicy reads the policy file at path, or returns the default policy
// when path is empty. Problems are printed with their positions.
func loadPolicy(c *cmdline, path string) (*policy.Policy, bool) {
	if path == "" {
		return policy.Default(), true
	}
	p, err := policy.Load(path)
	if err != nil {
		c.errorf("policy %s:\n%v", path, err)
		return nil, false
	}
	for _, w := range p.Warnings() {
		fmt.Fprintln(c.env.Stderr, w)
	}
	return p, true
}
