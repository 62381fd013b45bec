package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/i18n"
)

// TestMessagesTranslated finds every message the command line and the
// read summary print through the translating helpers (errorf, usageError,
// text, msg, and a Printer's Sprintf and Count) and checks that each has
// a text in every language, so that no new message stays English.
// Posture's notes (note) are checked too.
func TestMessagesTranslated(t *testing.T) {
	keys := map[string]string{} // key → where it is used
	for _, dir := range []string{".", "../ingest", "../posture"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				messageKeys(t, f, keys)
			}
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d messages; the search is broken", len(keys))
	}
	for key, where := range keys {
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, key) {
				t.Errorf("%s: no %s text for %q", where, lang, key)
			}
		}
	}
}

// TestErrorsTranslated checks that every message the decoders write
// about a bad record or an unreadable input (decode.Messages), every skip
// reason (decode.SkipReasons), and every error of the store, the Graph
// client and the watch sources the user reads (i18n.Errorf, and the parts
// graph.Error writes through sprintf) has a text in every language.
func TestErrorsTranslated(t *testing.T) {
	keys := map[string]string{}
	for _, m := range decode.Messages() {
		keys[m] = "decode.Messages"
	}
	for _, r := range decode.SkipReasons() {
		keys[r] = "decode.SkipReasons"
	}
	found := map[string]string{}
	for _, dir := range []string{"../store", "../graph", "../feed/kafka", "../feed/graphpoll", "../notify", "../silence", "../outbox"} {
		sourceKeys(t, dir, map[string]int{"Errorf": 0, "sprintf": 0}, found)
	}
	if len(found) < 8 {
		t.Fatalf("found only %d errors in the store and Graph client; the search is broken", len(found))
	}
	maps.Copy(keys, found)
	checkTranslated(t, keys)
}

// TestLogMessagesTranslated checks that every log line of appwatch watch
// has its message in every language, for --lang (i18n.LogHandler).
func TestLogMessagesTranslated(t *testing.T) {
	keys := map[string]string{}
	levels := map[string]int{"Debug": 0, "Info": 0, "Warn": 0, "Error": 0}
	for _, dir := range []string{"../watch", "../feed", "../feed/dir", "../feed/graphpoll", "../feed/kafka", "../feed/posturepoll", "../outbox"} {
		sourceKeys(t, dir, levels, keys)
	}
	for _, f := range []string{"watch.go", "watchgraph.go"} {
		messageKeysOf(t, f, levels, keys)
	}
	if len(keys) < 40 {
		t.Fatalf("found only %d log messages; the search is broken", len(keys))
	}
	checkTranslated(t, keys)
}

// sourceKeys adds the message keys the Go files of dir, tests left out,
// pass to translators.
func sourceKeys(t *testing.T, dir string, translators map[string]int, keys map[string]string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			messageKeysOf(t, f, translators, keys)
		}
	}
}

// checkTranslated fails for each key without a text in a language.
func checkTranslated(t *testing.T, keys map[string]string) {
	t.Helper()
	for key, where := range keys {
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, key) {
				t.Errorf("%s: no %s text for %q", where, lang, key)
			}
		}
	}
}

// translators are the functions and methods that take a message key, and
// the place of the key among their arguments; line is the read summary's
// function (not the events table's method), cannot posture's reason why
// a check was not evaluated.
var translators = map[string]int{"errorf": 0, "usageError": 0, "text": 0, "msg": 0, "Sprintf": 0, "Count": 0, "line": 0, "note": 0, "cannot": 1}

// messageKeys adds the message keys that file passes to the command
// line's translators.
func messageKeys(t *testing.T, file string, keys map[string]string) {
	messageKeysOf(t, file, translators, keys)
}

// messageKeysOf adds the message keys that file passes to translators.
func messageKeysOf(t *testing.T, file string, translators map[string]int, keys map[string]string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.SelectorExpr:
			if pkg, ok := fn.X.(*ast.Ident); ok && pkg.Name == "fmt" || fn.Sel.Name == "line" {
				return true
			}
			name = fn.Sel.Name
		case *ast.Ident:
			name = fn.Name
		}
		arg, isTranslator := translators[name]
		if !isTranslator || arg >= len(call.Args) {
			return true
		}
		key, ok := stringConst(call.Args[arg])
		if !ok || !hasWords(key) {
			return true
		}
		where := fset.Position(call.Pos()).String()
		if name == "Count" {
			keys[key+".one"], keys[key+".other"] = where, where
		} else {
			keys[key] = where
		}
		return true
	})
}

// stringConst returns the value of a string literal or a sum of them.
func stringConst(e ast.Expr) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			s, err := strconv.Unquote(v.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		a, okA := stringConst(v.X)
		b, okB := stringConst(v.Y)
		return a + b, okA && okB && v.Op == token.ADD
	}
	return "", false
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)

// hasWords reports whether s says something besides its format verbs.
func hasWords(s string) bool {
	return strings.IndexFunc(verb.ReplaceAllString(s, ""), unicode.IsLetter) >= 0
}
