package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/appwatch/appwatch/internal/policy"
)

// runConfig runs "appwatch config check FILE" and "appwatch config schema".
func runConfig(_ context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.Stderr, "Usage: appwatch config check FILE    validate a tenant policy file")
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
		return checkPolicy(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "appwatch config: unknown subcommand %q (check, schema)\n", args[0])
	return exitUsage
}

// checkPolicy validates policy files and prints every problem as
// file:line:col: message. It exits 1 when a file has errors.
func checkPolicy(env Env, files []string) int {
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: appwatch config check FILE...")
		return exitUsage
	}
	code := exitOK
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(env.Stderr, "appwatch config check: %v\n", err)
			code = exitUsage
			continue
		}
		diags := policy.Check(f, src)
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
