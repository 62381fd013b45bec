package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/appwatch/appwatch/internal/console"
	"github.com/appwatch/appwatch/internal/passhash"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/termtext"
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
		if problem := checkAccountName(name); problem != nil {
			return c.fail(problem)
		}
		hash, code := newPasswordHash(env, c)
		if code != exitOK {
			return code
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
		auditAccount(ctx, env, c, st, actionAccountSet, name, role)
		fmt.Fprintln(env.Stdout, c.text("local account %s saved with the role %s", name, role))
		return exitOK
	}
}

// checkAccountName says what is wrong with a local account's name, or nil.
func checkAccountName(name string) *message {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return msg("account name %q: want 1 to 64 characters without spaces", name)
	}
	return nil
}

// newPasswordHash reads a new password (see readPassword), checks its
// length and returns its hash, or the exit status of a failure it
// reported.
func newPasswordHash(env Env, c *cmdline) (string, int) {
	password, err := readPassword(env, c)
	if err != nil {
		c.report(err)
		return "", exitUsage
	}
	if n := utf8.RuneCountInString(password); n < minPassword || len(password) > maxPassword {
		return "", c.usageError("the password must have %d to %d characters", minPassword, maxPassword)
	}
	hash, err := passhash.Hash(password, passhash.Default)
	if err != nil {
		c.errorf("%s", err.Error())
		return "", exitUsage
	}
	return hash, exitOK
}

func userListCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "console user list", "", "Lists the local accounts of the web console: their role, when their password or role was last\n"+
		"set, and how many sessions each has open. People who sign in with Entra ID are not listed: their\n"+
		"roles are the app roles assigned in the tenant.")
	var storeDSN string
	c.StringVar(&storeDSN, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	return c, func(ctx context.Context) int {
		switch {
		case c.NArg() > 0:
			return c.usageError("unexpected argument %q", c.Arg(0))
		case storeDSN == "":
			return c.usageError("%s", "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		}
		st, ok := openStore(ctx, c, storeDSN)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		users, err := st.LocalUsers(ctx)
		if err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		rows := [][]string{strings.Split(c.p.Sprintf("head.accounts"), "\t")}
		for _, u := range users {
			rows = append(rows, []string{termtext.Clean(u.Name), u.Role, u.Updated.UTC().Format(time.RFC3339), strconv.Itoa(u.Sessions)})
		}
		if err := writeColumns(env.Stdout, rows); err != nil {
			c.errorf("%s", err.Error())
			return exitUsage
		}
		return exitOK
	}
}

func userRemoveCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "console user remove", "NAME", "Removes a local account of the web console and ends its sessions at once. The last admin is\n"+
		"not removed: add another admin first. What the account did stays in the audit trail.")
	var storeDSN string
	c.StringVar(&storeDSN, "store", "", "the store: sqlite:`PATH` or postgres://USER@HOST:PORT/DB")
	return c, func(ctx context.Context) int {
		switch {
		case c.NArg() != 1:
			return c.usageError("%s", "give one account NAME")
		case storeDSN == "":
			return c.usageError("%s", "--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)")
		}
		name := c.Arg(0)
		st, ok := openStore(ctx, c, storeDSN)
		if !ok {
			return exitUsage
		}
		defer st.Close()
		switch err := st.DeleteLocalUser(ctx, name); {
		case errors.Is(err, store.ErrNotFound):
			c.errorf("no local account %s", name)
			return exitUsage
		case errors.Is(err, store.ErrLastAdmin):
			c.errorf("%s is the last local admin: add another admin before removing it", name)
			return exitUsage
		case err != nil:
			c.errorf("%s", err.Error())
			return exitUsage
		}
		auditAccount(ctx, env, c, st, actionAccountRemoved, name, "")
		fmt.Fprintln(env.Stdout, c.text("local account %s removed; its sessions are ended", name))
		return exitOK
	}
}

// initAdmin creates name as the console's first local admin, with a
// password read as console user add reads it; it refuses when a local
// admin exists. It returns the exit status of a failure it reported,
// or exitOK.
func initAdmin(ctx context.Context, env Env, c *cmdline, st *store.Store, name string) int {
	if problem := checkAccountName(name); problem != nil {
		return c.fail(problem)
	}
	users, err := st.LocalUsers(ctx)
	if err != nil {
		c.errorf("%s", err.Error())
		return exitUsage
	}
	if slices.ContainsFunc(users, func(u store.LocalAccount) bool { return u.Role == console.RoleAdmin }) {
		return c.usageError("--init-admin %s: a local admin exists already; manage accounts with 'appwatch console user'", name)
	}
	hash, code := newPasswordHash(env, c)
	if code != exitOK {
		return code
	}
	switch err := st.AddFirstAdmin(ctx, store.LocalUser{Name: name, Hash: hash}); {
	case errors.Is(err, store.ErrAdminExists):
		return c.usageError("--init-admin %s: a local admin exists already; manage accounts with 'appwatch console user'", name)
	case errors.Is(err, store.ErrExists):
		return c.usageError("--init-admin %s: a local account has that name; give another, or use 'appwatch console user add'", name)
	case err != nil:
		c.errorf("%s", err.Error())
		return exitUsage
	}
	auditAccount(ctx, env, c, st, actionAccountSet, name, console.RoleAdmin)
	fmt.Fprintln(env.Stderr, c.text("local account %s saved with the role %s", name, console.RoleAdmin))
	return exitOK
}

// The audit trail's actions on local accounts, which the console's audit
// page shows beside triage and sign-ins.
const (
	actionAccountSet     = "account-set"
	actionAccountRemoved = "account-removed"
)

// auditAccount records in the store's audit trail that the account name
// was set with role, or removed, from the command line, by the user the
// environment names. The change is made: a failure to record it is
// reported, not undone.
func auditAccount(ctx context.Context, env Env, c *cmdline, st *store.Store, action, name, role string) {
	who, _ := env.lookupEnv("USER")
	who = cmp.Or(who, "?")
	if err := st.Audit(ctx, store.Actor{ID: "cli:" + who, Name: who + " (cli)"}, action, store.AuditEntry{Role: role, Reason: name}); err != nil {
		c.errorf("%s", err.Error())
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
