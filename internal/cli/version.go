package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// Version, when set at link time with
// -ldflags "-X github.com/appwatch/appwatch/internal/cli.Version=v1.2.3",
// replaces the module version that Go records in the binary.
var Version string

// build describes the running binary, from what the Go toolchain records
// in it: the module version ("devel" for a build from a work tree), and
// the commit, its date and whether the tree had changes when built from a
// version-controlled checkout.
type build struct {
	version, commit, date, goVersion string
	modified                         bool
}

// readBuild reads the running binary's build information.
func readBuild() build {
	b := build{version: "devel"}
	if info, ok := debug.ReadBuildInfo(); ok {
		b = buildFrom(info)
	}
	if Version != "" {
		b.version = Version
	}
	return b
}

// buildFrom reads the version and version control settings of info.
func buildFrom(info *debug.BuildInfo) build {
	b := build{version: "devel", goVersion: info.GoVersion}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		b.version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.commit = s.Value
		case "vcs.time":
			b.date = s.Value
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

// String writes "appwatch VERSION (commit C, DATE, modified; GO)", leaving
// out what is unknown.
func (b build) String() string {
	var about []string
	if b.commit != "" {
		about = append(about, "commit "+b.commit[:min(len(b.commit), 12)])
	}
	if b.date != "" {
		about = append(about, b.date)
	}
	if b.modified {
		about = append(about, "modified")
	}
	s := "appwatch " + b.version
	details := strings.Join(about, ", ")
	if b.goVersion != "" {
		details = strings.TrimPrefix(details+"; "+b.goVersion, "; ")
	}
	if details != "" {
		s += " (" + details + ")"
	}
	return s
}

func versionCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "version", "", "Prints appwatch's version, the commit it was built from and the Go version.\nappwatch --version does the same.")
	return c, func(context.Context) int {
		if c.NArg() > 0 {
			return c.usageError("unexpected argument %q", c.Arg(0))
		}
		fmt.Fprintln(env.Stdout, readBuild())
		return exitOK
	}
}
