// Package cli implements the appwatch command line: it parses arguments,
// wires the pipeline packages together and writes results. cmd/appwatch
// only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/term"
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

// Version is the program's version, set at build time with
// -ldflags "-X github.com/appwatch/appwatch/internal/cli.Version=...".
var Version = "dev"

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
	if e.LookupEnv == nil {
		return ""
	}
	v, _ := e.LookupEnv(key)
	return v
}

// lookupEnv is e.LookupEnv, answering "not set" when it is nil.
func (e Env) lookupEnv(key string) (string, bool) {
	if e.LookupEnv == nil {
		return "", false
	}
	return e.LookupEnv(key)
}

// columns returns the width text written to standard output should fit:
// the terminal's when standard output is one, else $COLUMNS, else 80.
func (e Env) columns() int {
	if e.StdoutTTY && e.Width > 0 {
		return e.Width
	}
	if n, err := strconv.Atoi(e.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"config":  {"check a tenant policy file, or print its schema", runConfig},
		"demo":    {"scan a made-up tenant's week of logs: every guide row, no Azure needed", runDemo},
		"events":  {"print the normalized events read from log files", runEvents},
		"posture": {"check app registrations, grants and roles read from Microsoft Graph", runPosture},
		"rules":   {"list, show, test or export detection rules", runRules},
		"scan":    {"detect every guide row in exported logs", runScan},
		"version": {"print the version", runVersion},
	}
}

// Main runs the command line args (without the program name) and returns
// the exit status.
func Main(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "appwatch: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return exitUsage
	}
	return cmd.run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "appwatch watches the applications of a Microsoft Entra tenant.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: appwatch COMMAND [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'appwatch COMMAND -h' for a command's flags.")
}

func runVersion(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stdout, "appwatch", Version)
	return exitOK
}

// newFlags returns a flag set for a command that prints errors and usage to
// stderr.
func newFlags(env Env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: appwatch %s [flags] %s\n\n%s\n\nFlags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and reports whether the command should go on; on
// failure it returns the exit status.
func parse(fs *flag.FlagSet, args []string) (bool, int) {
	if err := fs.Parse(interleave(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, exitOK
		}
		return false, exitUsage
	}
	return true, exitOK
}

// interleave moves flags that follow positional arguments to the front, so
// that "appwatch scan logs/ --format jsonl" works as users expect.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
