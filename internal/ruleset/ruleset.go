// Package ruleset loads appwatch's detection rules: the built-in catalog
// embedded from the rules directory and any directories of user rules. It
// parses them with package sigma, reads and checks appwatch's own keys
// (guide_row, remediation, translations), compiles everything against the
// event catalog and gives, per rule index, what an alert needs to know.
//
// A user rule that cannot be loaded is skipped and listed in Set.Skipped
// with every problem it has, so that one bad file among a folder of public
// rules does not stop the others; Options.Strict makes any problem fatal.
// The built-in rules are always loaded strictly.
package ruleset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/match"
	"github.com/appwatch/appwatch/internal/sigma"
	"github.com/appwatch/appwatch/rules"
)

// Rule is one loaded rule with appwatch's metadata.
type Rule struct {
	// Meta is what alerts of the rule carry: its id (the Sigma name, or
	// its id when it has no name), guide row, level, ATT&CK ids and texts.
	Meta alert.Rule
	// Sigma is the parsed rule.
	Sigma *sigma.Rule
	// Builtin is set for rules of the embedded catalog.
	Builtin bool
	// Correlation is set for correlation rules.
	Correlation bool
	// Generates is set when the rule raises alerts on its own; it is false
	// for rules that only feed correlation rules.
	Generates bool
	// File names the file the rule was read from, as messages show it.
	File string

	fsys fs.FS  // where the file lives
	path string // the file's path in fsys
}

// Set is a compiled rule set. Rules[i] describes the rule the compiled set
// reports as index i.
type Set struct {
	Compiled *sigma.Ruleset
	Schema   *match.Schema
	Rules    []*Rule
	// Skipped lists the user rules, or whole files, that could not be
	// loaded, in file order.
	Skipped []Skip
	// Warnings name the user rules that loaded but can never fire, each
	// with its file and line.
	Warnings []error
}

// Skip is a user rule, or a whole file, that could not be loaded.
type Skip struct {
	// File names the file, as messages show it.
	File string
	// Rule is the rule's id, name or title; empty when the problem is the
	// file's (unreadable, too large, not YAML) or the rule's document
	// could not be read.
	Rule string
	// Err lists every problem, each an *sigma.Error naming file, line and
	// column where known.
	Err error
}

// Error formats the skip as its problems, one per line.
func (s Skip) Error() string { return s.Err.Error() }

// maxRuleFile bounds the size of a rule file; real ones are a few
// kilobytes.
const maxRuleFile = 1 << 20

// Options say which rules to load.
type Options struct {
	// NoBuiltin leaves out the embedded catalog.
	NoBuiltin bool
	// Dirs are directories of user rules, read recursively for .yml and
	// .yaml files.
	Dirs []string
	// Placeholders gives the values of %name% placeholders for the expand
	// modifier, usually policy.Policy.Placeholders. Nil means none.
	Placeholders func(name string) ([]string, bool)
	// Schema resolves field names; nil means a new schema over the
	// built-in event catalog.
	Schema *match.Schema
	// Strict makes any user rule that cannot be loaded an error, for the
	// CI of rule repositories; otherwise such rules are skipped and
	// listed in Set.Skipped.
	Strict bool
}

// source is one rule file to read.
type source struct {
	fsys    fs.FS
	path    string // in fsys
	name    string // for messages
	builtin bool
}

// Load reads, checks and compiles the rules opts names. A user rule that
// cannot be loaded is skipped and listed in Set.Skipped; with
// Options.Strict, or for a built-in rule, any problem is an error listing
// every problem, each naming its file and line. Errors from the Sigma
// engine reach the caller unchanged.
func Load(ctx context.Context, opts Options) (*Set, error) {
	srcs, err := sources(opts)
	if err != nil {
		return nil, err
	}
	var (
		all     []*Rule
		skipped []Skip
		fatal   []error
	)
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rs, skips := readFile(src)
		all = append(all, rs...)
		for _, sk := range skips {
			if src.builtin {
				fatal = append(fatal, sk.Err)
			}
		}
		if !src.builtin {
			skipped = append(skipped, skips...)
		}
	}
	if len(fatal) > 0 {
		return nil, errors.Join(fatal...)
	}
	if opts.Strict && len(skipped) > 0 {
		return nil, errors.Join(skipErrors(skipped)...)
	}
	return compile(all, skipped, opts)
}

// skipErrors returns the problems of skips.
func skipErrors(skips []Skip) []error {
	out := make([]error, len(skips))
	for i, s := range skips {
		out[i] = s.Err
	}
	return out
}

// compile compiles the rules and records which ones generate alerts. A
// user rule the engine refuses is added to skipped, unless opts.Strict.
func compile(all []*Rule, skipped []Skip, opts Options) (*Set, error) {
	schema := opts.Schema
	if schema == nil {
		cat, err := event.NewCatalog()
		if err != nil {
			return nil, fmt.Errorf("build the field catalog: %w", err)
		}
		schema = match.NewSchema(cat)
	}
	parsed := make([]*sigma.Rule, len(all))
	byRule := make(map[*sigma.Rule]*Rule, len(all))
	for i, r := range all {
		parsed[i] = r.Sigma
		byRule[r.Sigma] = r
	}
	var ph sigma.Placeholders
	if opts.Placeholders != nil {
		ph = placeholders(opts.Placeholders)
	}
	if opts.Strict {
		compiled, err := sigma.Compile(parsed, schema, ph)
		if err != nil {
			return nil, err
		}
		return newSet(compiled, schema, all, nil), nil
	}
	compiled, refused := sigma.CompileValid(parsed, schema, ph)
	var fatal []error
	for _, ref := range refused {
		r := byRule[ref.Rule]
		if r.Builtin {
			fatal = append(fatal, ref.Err)
			continue
		}
		skipped = append(skipped, Skip{File: r.File, Rule: r.Meta.ID, Err: ref.Err})
	}
	if len(fatal) > 0 {
		return nil, errors.Join(fatal...)
	}
	kept := make([]*Rule, len(compiled.Rules()))
	for i, p := range compiled.Rules() {
		kept[i] = byRule[p]
	}
	sortSkips(skipped)
	return newSet(compiled, schema, kept, skipped), nil
}

// newSet records which rules generate alerts and builds the Set.
func newSet(compiled *sigma.Ruleset, schema *match.Schema, rules []*Rule, skipped []Skip) *Set {
	s := &Set{Compiled: compiled, Schema: schema, Rules: rules, Skipped: skipped}
	for i, r := range rules {
		r.Generates = compiled.Standalone(i)
		if !r.Builtin {
			s.Warnings = append(s.Warnings, neverFires(compiled, schema, i, r)...)
		}
	}
	return s
}

// neverFires explains why detection rule i can never fire, if a field it
// reads is in none of the events its logsource covers (riskEventType in a
// rule on PIM audit records, say).
func neverFires(compiled *sigma.Ruleset, schema *match.Schema, i int, r *Rule) []error {
	var out []error
	for _, id := range compiled.Fields(i) {
		absent, kinds := schema.Absent(id, compiled.Kinds(i))
		if !absent {
			continue
		}
		names := make([]string, len(kinds))
		for k, kind := range kinds {
			names[k] = kind.String()
		}
		out = append(out, &sigma.Error{File: r.File, Line: r.Sigma.Line, Msg: fmt.Sprintf(
			"rule %q can never fire: field %s is only in %s events, which its logsource (%s) does not cover",
			r.Meta.ID, schema.FieldName(id), strings.Join(names, ", "), r.Sigma.Logsource)})
	}
	return out
}

// sortSkips orders skips by file, keeping the order within a file.
func sortSkips(skips []Skip) {
	slices.SortStableFunc(skips, func(a, b Skip) int { return strings.Compare(a.File, b.File) })
}

// placeholders adapts a lookup function to sigma.Placeholders.
type placeholders func(name string) ([]string, bool)

// Values returns the values of the placeholder name.
func (p placeholders) Values(name string) ([]string, bool) { return p(name) }

// sources lists the rule files to read: the built-in ones, then each
// directory's, each group sorted by path.
func sources(opts Options) ([]source, error) {
	var out []source
	if !opts.NoBuiltin {
		names, err := fs.Glob(rules.FS(), "*.yml")
		if err != nil {
			return nil, fmt.Errorf("list built-in rules: %w", err)
		}
		for _, n := range names {
			out = append(out, source{fsys: rules.FS(), path: n, name: path.Join("rules", n), builtin: true})
		}
	}
	for _, dir := range opts.Dirs {
		srcs, err := dirSources(dir)
		if err != nil {
			return nil, err
		}
		out = append(out, srcs...)
	}
	return out, nil
}

// dirSources lists the .yml and .yaml files under dir, skipping testdata
// directories, where rule tests keep their records.
func dirSources(dir string) ([]source, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rules directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("rules directory %s: not a directory", dir)
	}
	fsys := os.DirFS(dir)
	var out []source
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if isRuleFile(p) {
			out = append(out, source{fsys: fsys, path: p, name: filepath.Join(dir, filepath.FromSlash(p))})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rules directory %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func isRuleFile(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext == ".yml" || ext == ".yaml"
}

// readFile parses one file and reads the metadata of each rule in it. It
// returns the rules that could be read and a Skip for each rule (or the
// file) that could not.
func readFile(src source) ([]*Rule, []Skip) {
	data, err := readLimited(src)
	if err != nil {
		return nil, []Skip{{File: src.name, Err: err}}
	}
	parsed, err := sigma.Parse(src.name, data)
	var (
		out   []*Rule
		skips []Skip
	)
	for _, e := range topErrors(err) {
		skips = append(skips, Skip{File: src.name, Err: e})
	}
	for _, p := range parsed {
		meta, err := readMeta(p, src.builtin)
		if err != nil {
			skips = append(skips, Skip{File: src.name, Rule: ruleLabel(p), Err: err})
			continue
		}
		out = append(out, &Rule{
			Meta:        meta,
			Sigma:       p,
			Builtin:     src.builtin,
			Correlation: p.Correlation != nil,
			File:        src.name,
			fsys:        src.fsys,
			path:        src.path,
		})
	}
	return out, skips
}

// readLimited reads a rule file, refusing one larger than maxRuleFile.
func readLimited(src source) ([]byte, error) {
	f, err := src.fsys.Open(src.path)
	if err != nil {
		return nil, fmt.Errorf("read rule file %s: %w", src.name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRuleFile+1))
	if err != nil {
		return nil, fmt.Errorf("read rule file %s: %w", src.name, err)
	}
	if len(data) > maxRuleFile {
		return nil, &sigma.Error{File: src.name, Msg: fmt.Sprintf("rule file is larger than %d MiB", maxRuleFile>>20)}
	}
	return data, nil
}

// topErrors splits the error Parse returns into one error per document
// that could not be read.
func topErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// ruleLabel names a rule in messages: its name, id or title.
func ruleLabel(r *sigma.Rule) string {
	switch {
	case r.Name != "":
		return r.Name
	case r.ID != "":
		return r.ID
	}
	return r.Title
}

// Meta returns the alert metadata of every rule, by index, as the scan
// pipeline wants it.
func (s *Set) Meta() []*alert.Rule {
	out := make([]*alert.Rule, len(s.Rules))
	for i, r := range s.Rules {
		out[i] = &r.Meta
	}
	return out
}

// Find returns the index of the rule whose id (name, or Sigma id) is id.
func (s *Set) Find(id string) (int, bool) {
	for i, r := range s.Rules {
		if r.Meta.ID == id || r.Sigma.ID == id {
			return i, true
		}
	}
	return 0, false
}

// Source returns the YAML text of the rule: its own document when the file
// holds several.
func (r *Rule) Source() ([]byte, error) {
	data, err := fs.ReadFile(r.fsys, r.path)
	if err != nil {
		return nil, fmt.Errorf("read rule file %s: %w", r.File, err)
	}
	return document(data, r.Sigma.Line), nil
}

// document returns the YAML document of src that holds line (1-based),
// without its "---" separators.
func document(src []byte, line int) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	start, end := 0, len(lines)
	for i, l := range lines {
		if strings.TrimRight(l, " \t\r\n") != "---" {
			continue
		}
		if i+1 < line {
			start = i + 1
		} else {
			end = i
			break
		}
	}
	return []byte(strings.Join(lines[start:end], ""))
}
