package cli

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/i18n"
)

// TestHelpTranslated checks that the help of every command has a text in
// every language: the command's summary, each paragraph of its help and
// the help of each of its flags. A failure names the command, the key to
// add to internal/i18n/help.go and the languages it lacks.
func TestHelpTranslated(t *testing.T) {
	texts := helpTexts(commands(), "")
	if len(texts) < 100 {
		t.Fatalf("found only %d help texts; the search is broken", len(texts))
	}
	for _, h := range texts {
		var missing []string
		for _, lang := range i18n.Langs() {
			if !i18n.Has(lang, h.key) {
				missing = append(missing, lang)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: no %s text for %q: add it to internal/i18n/help.go", h.where, strings.Join(missing, ", "), h.key)
		}
	}
	if os.Getenv("APPWATCH_DUMP_HELP") != "" {
		for _, h := range texts {
			if !i18n.Has(i18n.Japanese, h.key) {
				fmt.Printf("%q: {zh: \"\", it: \"\", ja: \"\"},\n", h.key)
			}
		}
	}
}

// helpText is one translated text of a command's help and where it is.
type helpText struct{ where, key string }

// helpTexts returns the texts of the help of cmds and their subcommands,
// whose parent command is parent.
func helpTexts(cmds []command, parent string) []helpText {
	var out []helpText
	for _, cmd := range cmds {
		path := strings.TrimSpace(parent + " " + cmd.name)
		out = append(out, helpText{path + " (summary)", cmd.summary})
		out = append(out, helpTexts(cmd.subs, path)...)
		if cmd.setup == nil {
			continue
		}
		c, _ := cmd.setup(Env{})
		for _, p := range paragraphs(c.about) {
			out = append(out, helpText{path + " (help)", p})
		}
		c.VisitAll(func(f *flag.Flag) {
			out = append(out, helpText{path + " " + dashed(f.Name), f.Usage})
		})
	}
	return slices.DeleteFunc(out, func(h helpText) bool { return !hasWords(h.key) })
}
