package cli

import (
	"context"
	"fmt"

	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/ruleset"
)

// runConfig runs "appwatch config check FILE" and "appwatch config schema".
func runConfig(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.Stderr, "Usage: appwatch config check [--rules DIR]... FILE    validate a tenant policy file")
		fmt.Fprintln(env.Stderr, "       appwatch config schema        print the policy file's JSON Schema")
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "schema":
		env.Stdout.Write(policy.Schema())
		return exitOK
	case "check":
		return checkPolicy(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "appwatch config: unknown subcommand %q (check, schema)\n", args[0])
	return exitUsage
}

// checkPolicy validates policy files and prints every problem as
// file:line:col: message, including rule ids that name none of the rules
// loaded (the built-in ones and those of --rules). It exits 1 when a file
// has errors.
func checkPolicy(ctx context.Context, env Env, args []string) int {
	fl := newFlags(env, "config check", "FILE...", "Validates tenant policy files, and checks that the rule ids they name exist among the\nbuilt-in rules and yours.")
	var dirs ruleDirs
	fl.Var(&dirs, "rules", "also accept the ids of the rules in `DIR` (repeatable)")
	if ok, code := parse(fl, args); !ok {
		return code
	}
	files := fl.Args()
	if len(files) == 0 {
		fl.Usage()
		return exitUsage
	}
	set, ok := loadRules(ctx, env, ruleset.Options{Dirs: dirs})
	if !ok {
		return exitUsage
	}
	ids := knownRuleIDs(set)
	code := exitOK
	for _, f := range files {
		src, err := policy.ReadFile(f)
		if err != nil {
			fmt.Fprintf(env.Stderr, "appwatch config check: %v\n", err)
			code = exitUsage
			continue
		}
		diags := policy.CheckRules(f, src, ids)
		for _, d := range diags {
			fmt.Fprintln(env.Stdout, d)
		}
		if policy.HasErrors(diags) {
			code = max(code, exitFindings)
			continue
		}
		if len(diags) == 0 {
			fmt.Fprintf(env.Stdout, "%s: ok\n", f)
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
func warnUnknownRules(env Env, pol *policy.Policy, set *ruleset.Set) {
	for _, d := range pol.UnknownRules(knownRuleIDs(set), policy.SeverityWarning) {
		fmt.Fprintln(env.Stderr, d)
	}
}

// loadPolicy reads the policy file at path, or returns the default policy
// when path is empty. Problems are printed with their positions.
func loadPolicy(env Env, path string) (*policy.Policy, bool) {
	if path == "" {
		return policy.Default(), true
	}
	p, err := policy.Load(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "appwatch: policy %s:\n%v\n", path, err)
		return nil, false
	}
	for _, w := range p.Warnings() {
		fmt.Fprintln(env.Stderr, w)
	}
	return p, true
}
