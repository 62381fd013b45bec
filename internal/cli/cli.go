// Package cli implements the appwatch command line: it parses arguments,
// wires the pipeline packages together and writes results. cmd/appwatch
// only calls Main.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/appwatch/appwatch/internal/i18n"
)

// Exit codes. The first three are the alert contract's; exitIncomplete
// refines its "the run completed". When several apply, exitUsage comes
// first, then exitFindings, then exitIncomplete: a pipeline gating on
// --fail-on sees its findings even when some input was unreadable, and the
// unreadable inputs are listed on standard error.
const (
	exitOK         = 0 // the run completed and read every input and record
	exitFindings   = 1 // --fail-on matched
	exitUsage      = 2 // bad usage, or no input could be read at all
	exitIncomplete = 3 // some inputs or records could not be read
)

// exitHelp explains the exit status in the help of the commands that read
// logs; failOn is set for those with --fail-on.
func exitHelp(failOn bool) string {
	var b strings.Builder
	b.WriteString("Exit status:\n  0  every input and record was read\n")
	if failOn {
		b.WriteString("  1  --fail-on LEVEL found an alert at or above LEVEL, even if some input could not be read\n")
	}
	b.WriteString("  2  usage error, or no input could be read at all\n")
	b.WriteString("  3  some inputs or records could not be read; standard error lists them, even with --quiet")
	return b.String()
}

// Env is what a command runs with: its standard streams, whether they are
// terminals, and its environment variables. Commands reach the process
// only through it, so that tests decide what they see.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdoutTTY and StderrTTY say whether the streams are terminals, which
	// decides the default output format and the progress bar.
	StdoutTTY, StderrTTY bool
	// Width is the width in columns of the terminal the streams write to,
	// or 0 when unknown.
	Width int
	// LookupEnv reads an environment variable as os.LookupEnv does; nil
	// means an empty environment.
	LookupEnv func(key string) (string, bool)
	// Now is the clock, for times given as a duration ago; nil means
	// time.Now.
	Now func() time.Time
}

// OSEnv returns the process's streams and environment.
func OSEnv() Env {
	e := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, LookupEnv: os.LookupEnv}
	e.StdoutTTY = term.IsTerminal(int(os.Stdout.Fd()))
	e.StderrTTY = term.IsTerminal(int(os.Stderr.Fd()))
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			e.Width = w
			break
		}
	}
	return e
}

// getenv returns the environment variable key, or "" when it is not set.
func (e Env) getenv(key string) string {
	v, _ := e.lookupEnv(key)
	return v
}

// lookupEnv is e.LookupEnv, answering "not set" when it is nil.
func (e Env) lookupEnv(key string) (string, bool) {
	if e.LookupEnv == nil {
		return "", false
	}
	if v, ok := e.LookupEnv(key); ok {
		return v, true
	}
	return "", false
}

// now returns the current time.
func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// minColumns is the narrowest output appwatch lays text out for.
const minColumns = 40

// columns returns the width text written to standard output should fit:
// the terminal's when standard output is one, else $COLUMNS, else 80,
// and never less than minColumns.
func (e Env) columns() int {
	if e.StdoutTTY && e.Width > 0 {
		return max(e.Width, minColumns)
	}
	if n, err := strconv.Atoi(e.getenv("COLUMNS")); err == nil && n > 0 {
		return max(n, minColumns)
	}
	return 80
}

// command is a subcommand, or a group of them.
type command struct {
	name    string
	summary string
	// setup defines the command's flags on a new command line and returns
	// it with the function that runs the command once they are parsed.
	// It is nil for a group, which only holds subcommands.
	setup func(env Env) (*cmdline, func(ctx context.Context) int)
	subs  []command
}

// commands returns the commands, in the order help lists them.
func commands() []command {
	return []command{
		{name: "scan", summary: "detect every guide row in exported logs", setup: scanCommand},
		{name: "watch", summary: "watch Entra logs and the tenant's apps as they change, keeping each alert once in a store", setup: watchCommand},
		{name: "alerts", summary: "list the alerts a watch store holds", setup: alertsCommand},
		{name: "deliveries", summary: "list the deliveries of stored alerts to sinks, or retry dead ones", subs: []command{
			{name: "list", summary: "list deliveries: pending, sent, dead, silenced", setup: deliveriesListCommand},
			{name: "retry", summary: "send dead deliveries again", setup: deliveriesRetryCommand},
		}},
		{name: "silence", summary: "add, list or expire silences of stored alerts", subs: []command{
			{name: "add", summary: "silence the alerts that meet matchers for a while", setup: silenceAddCommand},
			{name: "list", summary: "list silences and their audit trail", setup: silenceListCommand},
			{name: "expire", summary: "end silences now", setup: silenceExpireCommand},
		}},
		{name: "serve", summary: "serve the web console to triage the alerts a watch store holds", setup: serveCommand},
		{name: "console", summary: "manage the web console's local accounts", subs: []command{
			{name: "user", summary: "manage local accounts", subs: []command{
				{name: "add", summary: "create a local account, or set its password and role", setup: userAddCommand},
				{name: "list", summary: "list the local accounts, their role and open sessions", setup: userListCommand},
				{name: "remove", summary: "remove a local account and end its sessions", setup: userRemoveCommand},
			}},
		}},
		{name: "posture", summary: "check app registrations, grants and roles read from Microsoft Graph", setup: postureCommand,
			subs: []command{
				{name: "collect", summary: "save the tenant's applications read from Graph as a snapshot", setup: collectCommand},
				{name: "diff", summary: "the changes between two snapshots the guide asks to watch", setup: diffCommand},
			}},
		{name: "demo", summary: "scan a made-up tenant's week of logs: every guide row, no Azure needed", setup: demoCommand},
		{name: "events", summary: "print the normalized events read from log files", setup: eventsCommand},
		{name: "rules", summary: "list, show, test or export detection rules", subs: []command{
			{name: "list", summary: "list the rules", setup: rulesListCommand},
			{name: "show", summary: "show one rule", setup: rulesShowCommand},
			{name: "test", summary: "run the rules' test records", setup: rulesTestCommand},
			{name: "export", summary: "write the built-in rules to a directory", setup: rulesExportCommand},
		}},
		{name: "config", summary: "check a tenant policy file, or print its schema", subs: []command{
			{name: "check", summary: "validate tenant policy files", setup: configCheckCommand},
			{name: "schema", summary: "print the policy file's JSON Schema", setup: configSchemaCommand},
		}},
		{name: "completion", summary: "print a shell completion script (bash, zsh, fish, powershell)", setup: completionCommand},
		{name: "version", summary: "print the version", setup: versionCommand},
	}
}

// find returns the command named name among cmds.
func find(cmds []command, name string) (command, bool) {
	for _, c := range cmds {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func names(cmds []command) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.name
	}
	return out
}

// Main runs the command line args (without the program name) and returns
// the exit status.
func Main(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stderr, env.printer())
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(env.Stdout, env.printer())
		return exitOK
	case "help":
		return help(ctx, env, args[1:])
	case "-version", "--version":
		args[0] = "version"
	case completeCommand:
		return complete(ctx, env, args[1:])
	}
	return dispatch(ctx, env, commands(), "", args)
}

// dispatch runs the command args[0] among cmds, whose parent command is
// parent ("" at the top).
func dispatch(ctx context.Context, env Env, cmds []command, parent string, args []string) int {
	path := strings.TrimSpace(parent + " " + args[0])
	cmd, ok := find(cmds, args[0])
	if !ok {
		p := env.printer()
		near := closest(args[0], names(cmds))
		switch {
		case parent == "" && near != "":
			env.errorf(parent, p.Sprintf("unknown command %q (did you mean %s?)", args[0], near))
		case parent == "":
			env.errorf(parent, p.Sprintf("unknown command %q", args[0]))
		case near != "":
			env.errorf(parent, p.Sprintf("unknown subcommand %q (did you mean %s?)", args[0], near))
		default:
			env.errorf(parent, p.Sprintf("unknown subcommand %q", args[0]))
		}
		fmt.Fprintln(env.Stderr, p.Sprintf("Run 'appwatch %s' for the list.", strings.TrimSpace("help "+parent)))
		return exitUsage
	}
	rest := args[1:]
	if cmd.setup == nil && (len(rest) == 0 || isHelp(rest[0])) {
		if len(rest) == 0 {
			groupUsage(env.Stderr, env.printer(), path, cmd.subs)
			return exitUsage
		}
		groupUsage(env.Stdout, env.printer(), path, cmd.subs)
		return exitOK
	}
	if len(rest) > 0 && len(cmd.subs) > 0 {
		if _, ok := find(cmd.subs, rest[0]); ok || cmd.setup == nil {
			return dispatch(ctx, env, cmd.subs, path, rest)
		}
	}
	c, run := cmd.setup(env)
	if ok, code := c.parse(rest); !ok {
		return code
	}
	return run(ctx)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// help runs "appwatch help [COMMAND [SUBCOMMAND]]": the usage of the
// command named, or the list of commands.
func help(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stdout, env.printer())
		return exitOK
	}
	return dispatch(ctx, env, commands(), "", append(slices.Clone(args), "-h"))
}

// usage lists the commands, in p's language.
func usage(w io.Writer, p *i18n.Printer) {
	fmt.Fprintln(w, p.Sprintf("appwatch watches the applications of a Microsoft Entra tenant."))
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Sprintf("Usage: %s", "appwatch COMMAND [flags] [arguments]"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Sprintf("Commands:"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, p.Sprintf(c.summary))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Sprintf("Run 'appwatch help COMMAND' or 'appwatch COMMAND -h' for a command's flags."))
}

// groupUsage lists the subcommands of the command path, in p's language.
func groupUsage(w io.Writer, p *i18n.Printer, path string, subs []command) {
	fmt.Fprintln(w, p.Sprintf("Usage: %s", "appwatch "+path+" SUBCOMMAND [flags] [arguments]"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Sprintf("Subcommands:"))
	for _, c := range subs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, p.Sprintf(c.summary))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Sprintf("Run 'appwatch help %s SUBCOMMAND' for a subcommand's flags.", path))
}

// errorf prints "appwatch CMD: text" on standard error, or
// "appwatch: text" when cmd is empty.
func (e Env) errorf(cmd, text string) {
	prefix := strings.TrimSpace("appwatch " + cmd)
	fmt.Fprintf(e.Stderr, "%s: %s\n", prefix, text)
}

// printer writes messages in the language the environment's locale asks
// for.
func (e Env) printer() *i18n.Printer {
	return i18n.NewPrinter(i18n.FromEnv(e.lookupEnv))
}
