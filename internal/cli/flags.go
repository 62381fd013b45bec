package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
)

// cmdline is one run of a command: its flags, its usage, and how it
// talks to the user.
type cmdline struct {
	*flag.FlagSet
	env   Env
	name  string // the command as typed after "appwatch": "scan", "rules test"
	args  string // what follows the flags in the usage line
	about string
	// p writes messages in the user's language: the locale's, or --lang
	// once parsed.
	p *i18n.Printer
}

// newCmdline returns the command line of the command name, whose
// arguments after the flags are args and whose help text is about.
func newCmdline(env Env, name, args, about string) *cmdline {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself
	fs.Usage = func() {}
	return &cmdline{FlagSet: fs, env: env, name: name, args: args, about: about, p: env.printer()}
}

// parse parses args and reports whether the command should go on; when
// not, it returns the exit status. -h and --help print the usage on
// standard output; a bad flag is reported in one line with a hint.
func (c *cmdline) parse(args []string) (bool, int) {
	err := c.Parse(interleave(c.FlagSet, args))
	if err == nil {
		return true, exitOK
	}
	c.Visit(func(f *flag.Flag) { // a --lang given before -h or the bad flag
		if l, err := i18n.Parse(f.Value.String()); f.Name == "lang" && err == nil {
			c.p = i18n.NewPrinter(l)
		}
	})
	if errors.Is(err, flag.ErrHelp) {
		c.printUsage(c.env.Stdout)
		return false, exitOK
	}
	return false, c.usageError("%s", flagProblem(c.p, c.FlagSet, err))
}

// usageError prints the message format makes of args, in the user's
// language, and where to find the usage, and returns exitUsage.
func (c *cmdline) usageError(format string, args ...any) int {
	c.errorf(format, args...)
	fmt.Fprintln(c.env.Stderr, c.p.Sprintf("Run 'appwatch %s -h' for usage.", c.name))
	return exitUsage
}

// fail is usageError for an error, translated where it is an
// i18n.Localizer (see i18n.Printer.Error).
func (c *cmdline) fail(err error) int {
	return c.usageError("%v", err)
}

// report prints err as errorf does, translated where it is an
// i18n.Localizer.
func (c *cmdline) report(err error) {
	c.errorf("%v", err)
}

// usage prints the usage on standard error, for a run without the
// arguments the command needs, and returns exitUsage.
func (c *cmdline) usage() int {
	c.printUsage(c.env.Stderr)
	return exitUsage
}

// errorf prints "appwatch CMD: message" on standard error, the message
// being what format makes of args in the user's language.
func (c *cmdline) errorf(format string, args ...any) {
	c.env.errorf(c.name, c.p.Sprintf(format, args...))
}

// text returns what format makes of args in the user's language.
func (c *cmdline) text(format string, args ...any) string {
	return c.p.Sprintf(format, args...)
}

// message is text for the user, kept as its English format and arguments
// so that it can be written in the user's language.
type message struct {
	format string
	args   []any
}

// msg returns the message format makes of args.
func msg(format string, args ...any) *message {
	return &message{format: format, args: args}
}

// Error returns the message in English.
func (m *message) Error() string { return fmt.Sprintf(m.format, m.args...) }

// Localize writes the message through sprintf (see i18n.Localizer).
func (m *message) Localize(sprintf func(format string, args ...any) string) string {
	return sprintf(m.format, m.args...)
}

// printUsage writes the usage line, the help text and the flags, in the
// user's language.
func (c *cmdline) printUsage(w io.Writer) {
	line := "appwatch " + c.name
	if len(flagNames(c.FlagSet)) > 0 {
		line += " [flags]"
	}
	fmt.Fprintln(w, c.p.Sprintf("Usage: %s", strings.TrimSpace(line+" "+c.args)))
	if about := translateAbout(c.p, c.about); about != "" {
		fmt.Fprintf(w, "\n%s\n", about)
	}
	if len(flagNames(c.FlagSet)) > 0 {
		fmt.Fprintln(w, "\n"+c.p.Sprintf("Flags:"))
		printFlags(w, c.p, c.FlagSet)
	}
}

// paragraphs splits a command's help text into the paragraphs that are
// translated one by one, so that one shared with other commands (the exit
// status) is translated once.
func paragraphs(about string) []string {
	if about == "" {
		return nil
	}
	return strings.Split(about, "\n\n")
}

// translateAbout returns a command's help text in p's language.
func translateAbout(p *i18n.Printer, about string) string {
	ps := paragraphs(about)
	for i, s := range ps {
		ps[i] = p.Sprintf(s)
	}
	return strings.Join(ps, "\n\n")
}

// printFlags writes each flag as "--name VALUE" with its help, in p's
// language, indented below and its default when it has one worth saying.
// A flag's help is keyed by its English usage, backquotes and all; the
// translation names the same value without them.
func printFlags(w io.Writer, p *i18n.Printer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		value, english := flag.UnquoteUsage(f)
		help := strings.ReplaceAll(p.Sprintf(f.Usage), "`", "")
		line := "  --" + f.Name
		if value != "" {
			line += " " + value
		}
		if len(f.Name) == 1 {
			line = "  -" + strings.TrimPrefix(line, "  --")
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && !strings.Contains(english, "(default") {
			help += " " + p.Sprintf("(default %s)", d)
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, strings.ReplaceAll(help, "\n", "\n      "))
	})
}

// Messages of the flag package, rewritten by flagProblem.
var (
	flagUnknown   = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	flagNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	flagBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]*): (.*)$`)
	flagShortName = regexp.MustCompile(`^[a-zA-Z]$`)
)

// flagProblem rewrites an error of fs.Parse in the --name style appwatch
// documents and in p's language, suggesting the flag meant when one is
// unknown, and saying what a flag's value must be.
func flagProblem(p *i18n.Printer, fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if m := flagUnknown.FindStringSubmatch(msg); m != nil {
		if near := closest(m[1], flagNames(fs)); near != "" {
			return p.Sprintf("unknown flag %s (did you mean %s?)", dashed(m[1]), dashed(near))
		}
		return p.Sprintf("unknown flag %s", dashed(m[1]))
	}
	if m := flagNeedsArg.FindStringSubmatch(msg); m != nil {
		return p.Sprintf("%s needs a value", dashed(m[1]))
	}
	if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		why := m[3]
		if f := fs.Lookup(m[2]); f != nil {
			if v, ok := f.Value.(interface{ failure() *message }); ok && v.failure() != nil {
				why = p.Sprintf(v.failure().format, v.failure().args...)
			} else if v, ok := f.Value.(interface{ failedWith() error }); ok && v.failedWith() != nil {
				why = p.Error(v.failedWith())
			} else if isBool(f) {
				why = p.Sprintf("want true or false")
			}
		}
		return fmt.Sprintf("%s %q: %s", dashed(m[2]), m[1], why)
	}
	return msg
}

// dashed writes a flag name as users type it: -v, --format.
func dashed(name string) string {
	if flagShortName.MatchString(name) {
		return "-" + name
	}
	return "--" + name
}

func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// closest returns the candidate nearest to s, if one is near enough to be
// a typo of it: s has three letters or more and is within a third of the
// candidate's length in edits (one at least), or s is a prefix of exactly
// one candidate.
func closest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if len(s) >= 3 && d <= max(1, len(c)/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(s) >= 2 && strings.HasPrefix(c, s) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// editDistance is the number of insertions, deletions, substitutions and
// swaps of neighbours that turn a into b (the optimal string alignment
// distance), counted in bytes: flag names, command names and ids are
// ASCII.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
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

// choice is a flag value that must be one of a few words, compared
// without regard to case and stored in lower case.
type choice struct {
	value   string
	choices []string
	failed  *message
}

func newChoice(def string, choices ...string) *choice {
	return &choice{value: def, choices: choices}
}

// String returns the value.
func (c *choice) String() string {
	if c == nil {
		return ""
	}
	return c.value
}

// Set checks and stores v.
func (c *choice) Set(v string) error {
	lv := strings.ToLower(strings.TrimSpace(v))
	if !slices.Contains(c.choices, lv) {
		c.failed = msg("want one of %s", strings.Join(c.choices, ", "))
		return c.failed
	}
	c.value = lv
	return nil
}

func (c *choice) failure() *message { return c.failed }

// positiveInt is an int flag that must be 1 or more.
type positiveInt struct {
	n      int
	failed *message
}

// String returns the value.
func (p *positiveInt) String() string {
	if p == nil {
		return "0"
	}
	return fmt.Sprint(p.n)
}

// Set parses and checks v.
func (p *positiveInt) Set(v string) error {
	var n int
	switch _, err := fmt.Sscan(v, &n); {
	case err != nil || fmt.Sprint(n) != strings.TrimSpace(v):
		p.failed = msg("want a whole number")
	case n < 1:
		p.failed = msg("want 1 or more")
	default:
		p.n = n
		return nil
	}
	return p.failed
}

func (p *positiveInt) failure() *message { return p.failed }
