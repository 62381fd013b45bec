package cli

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the expected output in testdata/script from what the commands print")

// scriptBinary is the name the test binary answers to as appwatch in the
// scripts' $PATH. Scripts call the builtin appwatch, which runs it.
const scriptBinary = "appwatch-under-test"

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		scriptBinary: func() { os.Exit(Main(context.Background(), OSEnv(), os.Args[1:])) },
	})
}

// TestScripts runs the user stories in testdata/script: each .txtar file
// runs appwatch as a separate process in a directory holding the files
// of the archive, and compares what it prints and its exit status. The
// environment holds no locale, so the output is English unless a script
// sets LANG. Run with -update to rewrite expected files after a change
// meant to alter the output.
//
// Besides testscript's own commands, scripts have:
//
//	appwatch ARGS...   run appwatch; with !, expect a non-zero exit status
//	status N           check the exit status of the last appwatch
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
		Setup: func(e *testscript.Env) error {
			e.Values[statusKey{}] = new(int)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"appwatch": runAppwatch,
			"status":   checkStatus,
		},
	})
}

// statusKey finds the exit status of a script's last appwatch in its
// values.
type statusKey struct{}

func runAppwatch(ts *testscript.TestScript, neg bool, args []string) {
	code := 0
	if err := ts.Exec(scriptBinary, args...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("appwatch: %v", err)
		}
		code = exit.ExitCode()
	}
	*ts.Value(statusKey{}).(*int) = code
	switch {
	case neg && code == 0:
		ts.Fatalf("appwatch exited 0, want a failure")
	case !neg && code != 0:
		ts.Fatalf("appwatch exited %d", code)
	}
}

func checkStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: status N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := *ts.Value(statusKey{}).(*int); got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
