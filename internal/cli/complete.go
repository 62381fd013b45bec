package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ruleset"
)

// completeCommand is the hidden command the completion scripts call:
// "appwatch __complete CWORD WORD...", where WORD... are the words after
// "appwatch" and CWORD is the index of the one being completed (equal to
// their number when the cursor starts a new word). It prints the
// candidates one per line, or nothing when a file name is expected.
const completeCommand = "__complete"

// Completion scripts, by shell. Each asks appwatch for the candidates
// and falls back to file names when there are none.
var completionScripts = map[string]string{
	"bash": `# bash completion for appwatch. Load it with
#   source <(appwatch completion bash)
# or save it as /etc/bash_completion.d/appwatch.
_appwatch() {
	local IFS=$'\n'
	COMPREPLY=($(appwatch __complete "$((COMP_CWORD - 1))" "${COMP_WORDS[@]:1}" 2>/dev/null))
}
complete -o default -F _appwatch appwatch
`,
	"zsh": `#compdef appwatch
# zsh completion for appwatch. Load it with
#   source <(appwatch completion zsh)
# or save it as _appwatch in a directory of $fpath.
_appwatch() {
	local -a matches
	matches=("${(@f)$(appwatch __complete $((CURRENT - 2)) "${(@)words[2,-1]}" 2>/dev/null)}")
	matches=(${matches:#})
	if (( ${#matches} )); then
		compadd -a matches
	else
		_files
	fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_appwatch "$@"
else
	compdef _appwatch appwatch
fi
`,
	"fish": `# fish completion for appwatch. Load it with
#   appwatch completion fish | source
# or save it as ~/.config/fish/completions/appwatch.fish.
function __appwatch_complete
	set -l words (commandline -opc)
	set -e words[1]
	appwatch __complete (count $words) $words (commandline -ct) 2>/dev/null
end
function __appwatch_has_candidates
	set -l found (__appwatch_complete)
	test (count $found) -gt 0
end
complete -c appwatch -f -n __appwatch_has_candidates -a '(__appwatch_complete)'
complete -c appwatch -F -n 'not __appwatch_has_candidates'
`,
	"powershell": `# PowerShell completion for appwatch. Load it with
#   appwatch completion powershell | Out-String | Invoke-Expression
# or add that line to your $PROFILE.
Register-ArgumentCompleter -Native -CommandName appwatch -ScriptBlock {
	param($wordToComplete, $commandAst, $cursorPosition)
	$words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.Extent.Text })
	$cword = $words.Count
	if ($wordToComplete -ne '') { $cword = $words.Count - 1 }
	& appwatch __complete $cword @words 2>$null | ForEach-Object {
		[System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
	}
}
`,
}

// shells returns the shells completion scripts exist for.
func shells() []string {
	return []string{"bash", "zsh", "fish", "powershell"}
}

// completionCommand is "appwatch completion SHELL".
func completionCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "completion", "bash|zsh|fish|powershell",
		"Prints a script that completes appwatch's commands, flags, formats, levels, languages,\n"+
			"rule ids and check ids in your shell. The script's first lines say how to load it.")
	return c, func(context.Context) int {
		if c.NArg() != 1 {
			return c.usage()
		}
		script, ok := completionScripts[strings.ToLower(c.Arg(0))]
		if !ok {
			return c.usageError("no completion for shell %q: want one of %s", c.Arg(0), strings.Join(shells(), ", "))
		}
		io.WriteString(env.Stdout, script)
		return exitOK
	}
}

// complete runs "appwatch __complete CWORD WORD...".
func complete(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 {
		return exitUsage
	}
	cword, err := strconv.Atoi(args[0])
	words := args[1:]
	if err != nil || cword < 0 || cword > len(words) {
		return exitUsage
	}
	cur := ""
	if cword < len(words) {
		cur = words[cword]
	}
	for _, c := range candidates(ctx, words[:cword], cur) {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(env.Stdout, c)
		}
	}
	return exitOK
}

// candidates returns what may come after the words before, given that
// the word being typed starts with cur: subcommands, flags, or the values
// of the flag before it. It returns nil where a file name is expected.
func candidates(ctx context.Context, before []string, cur string) []string {
	if len(before) > 0 && before[0] == "help" {
		before = before[1:]
		cmds := commands()
		for _, w := range before {
			c, ok := find(cmds, w)
			if !ok {
				return nil
			}
			cmds = c.subs
		}
		return names(cmds)
	}
	cmds := commands()
	var cmd *command
	i := 0
	for ; i < len(before); i++ {
		c, ok := find(cmds, before[i])
		if !ok {
			break
		}
		cmd, cmds = &c, c.subs
	}
	switch {
	case cmd == nil && i == 0 && len(before) == 0:
		return append(names(cmds), "help")
	case cmd == nil:
		return nil
	case cmd.setup == nil:
		if i == len(before) {
			return names(cmd.subs)
		}
		return nil
	}
	quiet := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	c, _ := cmd.setup(quiet)
	rest := before[i:]
	if len(rest) > 0 {
		if prev := rest[len(rest)-1]; strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") {
			if f := c.Lookup(strings.TrimLeft(prev, "-")); f != nil && !isBool(f) {
				return flagValues(f.Name, f.Value)
			}
		}
	}
	if strings.HasPrefix(cur, "-") {
		var out []string
		for _, name := range flagNames(c.FlagSet) {
			out = append(out, dashed(name))
		}
		return out
	}
	if len(rest) == 0 && len(cmd.subs) > 0 {
		return names(cmd.subs)
	}
	return positional(ctx, cmd.name, c)
}

// flagValues returns the values the flag name takes, or nil when it takes
// a file name or free text.
func flagValues(name string, v any) []string {
	if ch, ok := v.(*choice); ok {
		return ch.choices
	}
	switch name {
	case "format":
		return []string{"table", "jsonl", "json", "csv", "sarif", "html"}
	case "lang":
		return i18n.Langs()
	case "checks", "skip-checks":
		return checkIDs()
	}
	return nil
}

// positional returns the arguments the command takes that are not file
// names: shells for completion, rule ids for rules show.
func positional(ctx context.Context, name string, c *cmdline) []string {
	switch {
	case name == "completion":
		return shells()
	case c.name == "rules show":
		set, err := ruleset.Load(ctx, ruleset.Options{})
		if err != nil {
			return nil
		}
		return setRuleIDs(set)
	}
	return nil
}
