package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/appwatch/appwatch/internal/console"
	"github.com/appwatch/appwatch/internal/passhash"
	"github.com/appwatch/appwatch/internal/store"
)

// minPassword is the fewest characters a local account's password may
// have, as NIST SP 800-63B asks of a password chosen by its user.
const minPassword = 12

// maxPassword bounds a password, so that hashing it stays cheap.
const maxPassword = 256

func userAddCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "console user add", "NAME", "Creates a local account of the web console, or gives an existing one a new password and role\n"+
		"(ending its sessions). The password is read from standard input: typed at a terminal without\n"+
		"echo, or as the first line of what is piped in. It is kept as an argon2id hash.\n"+
		"\n"+
		"The first account, an admin, is created this way before 'appwatch serve' starts:\n"+
		"'appwatch console user add --store STORE --role admin NAME'.")
	var storeDSN, role string
	c.StringVar(&storeDSN, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB (created if missing)")
	c.StringVar(&role, "role", console.RoleViewer, "what the account may do, `ROLE`: viewer (read), responder (also triage and silence) or admin (also read the audit trail)")
	return c, func(ctx context.Context) int {
		switch {
		case c.NArg() != 1:
			return c.usageError("%s", "give one account NAME")
		case storeDSN == "":
			return c.usageError("%s", "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		case !slices.Contains(console.Roles(), role):
			return c.usageError("--role %q: want viewer, responder or admin", role)
		}
		name := c.Arg(0)
		if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return c.usageError("account name %q: want 1 to 64 characters without spaces", name)
		}
		password, err := readPassword(env, c)
		if err != nil {
			c.report(err)
			return exitUsage
		}
		if n := utf8.RuneCountInString(password); n < minPassword || len(password) > maxPassword {
			return c.usageError("the password must have %d to %d characters", minPassword, maxPassword)
		}
		hash, err := passhash.Hash(password, passhash.Default)
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		st, err := store.Open(ctx, storeDSN, store.Options{})
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		defer st.Close()
		if err := st.SetLocalUser(ctx, store.LocalUser{Name: name, Hash: hash, Role: role}); err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		fmt.Fprintln(env.Stdout, c.text("local account %s saved with the role %s", name, role))
		return exitOK
	}
}

// readPassword reads the password: without echo from a terminal, else
// the first line of standard input.
func readPassword(env Env, c *cmdline) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, c.text("Password:")+" ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", msg("read the password: %v", err)
		}
		return string(b), nil
	}
	if env.Stdin == nil {
		return "", msg("no password on standard input")
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", msg("read the password: %v", err)
		}
		return "", msg("no password on standard input")
	}
	return line, nil
}
