// Package i18n holds appwatch's user-interface text in the languages it
// speaks (English, Traditional Chinese, Italian and Japanese): table
// headings, level names, summary and coverage lines, the explanations
// printed under an alert, and a short name for each monitoring row of the
// guide and for each of the guide's sections.
//
// Rule titles, descriptions and remediation are not here: they live with
// the rules (see alert.Rule).
package i18n

import (
	"fmt"
	"strings"
)

// Language tags, as Parse returns them.
const (
	English            = "en"
	TraditionalChinese = "zh-TW"
	Italian            = "it"
	Japanese           = "ja"
)

// Langs returns the supported language tags, English first.
func Langs() []string {
	return []string{English, TraditionalChinese, Italian, Japanese}
}

// Parse returns the supported language tag that tag names, or an error.
// It accepts BCP 47 tags (en-US, zh-Hant-TW, it-IT, ja-JP) and POSIX
// locale names (zh_TW.UTF-8, it_IT@euro), without regard to case. Chinese
// is accepted only when the tag names Traditional script or a region that
// writes it (TW, HK, MO).
func Parse(tag string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, ".@"); i >= 0 {
		t = t[:i]
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return "", fmt.Errorf("language %q: empty tag", tag)
	}
	switch parts[0] {
	case "en":
		return English, nil
	case "it":
		return Italian, nil
	case "ja":
		return Japanese, nil
	case "zh":
		if traditional(parts[1:]) {
			return TraditionalChinese, nil
		}
		return "", fmt.Errorf("language %q: only Traditional Chinese (zh-TW) is available", tag)
	}
	return "", fmt.Errorf("language %q: not one of %s", tag, strings.Join(Langs(), ", "))
}

// traditional reports whether the subtags after "zh" name Traditional
// Chinese: the Hant script or a region that writes it.
func traditional(subtags []string) bool {
	for _, s := range subtags {
		switch s {
		case "hant", "tw", "hk", "mo":
			return true
		case "hans", "cn", "sg":
			return false
		}
	}
	return false
}

// FromEnv returns the language the POSIX locale variables ask for, read
// through lookup (os.LookupEnv in production): LC_ALL, then LC_MESSAGES,
// then LANG, the first one set and not empty deciding. It returns English
// when none is set, for the C and POSIX locales, and for languages appwatch
// does not speak.
func FromEnv(lookup func(string) (string, bool)) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := lookup(name)
		if !ok || v == "" {
			continue
		}
		lang, err := Parse(v)
		if err != nil {
			return English
		}
		return lang
	}
	return English
}

// Printer formats messages in one language.
type Printer struct {
	lang string
}

// NewPrinter returns a Printer for lang, a tag Parse accepts; other tags
// give an English Printer.
func NewPrinter(lang string) *Printer {
	l, err := Parse(lang)
	if err != nil {
		l = English
	}
	return &Printer{lang: l}
}

// Lang returns the Printer's language tag.
func (p *Printer) Lang() string { return p.lang }

// Sprintf formats the message key with args, as fmt.Sprintf does. A key
// without a translation falls back to English; an unknown key is returned
// as it is. Arguments that are errors or Localizers are written in the
// Printer's language (see Printer.Error), and %w formats an error as %v
// does.
func (p *Printer) Sprintf(key string, args ...any) string {
	s := p.text(key)
	if len(args) == 0 {
		return s
	}
	s, args = p.localArgs(s, args)
	return fmt.Sprintf(s, args...)
}

// Count formats the message key for n: key+".one" when n is 1 and
// key+".other" otherwise, with n as the first argument.
func (p *Printer) Count(key string, n int, args ...any) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return p.Sprintf(key+form, append([]any{n}, args...)...)
}

// Level returns the name of an alert level, or level itself when it is
// not one of the five.
func (p *Printer) Level(level string) string {
	return p.known("level."+level, level)
}

// Row returns the short name of a guide row, or key itself for a key that
// is not one of the guide's rows.
func (p *Printer) Row(key string) string {
	return p.known("row."+key, key)
}

// Section returns the name of a guide section (see Rows), or key itself.
func (p *Printer) Section(key string) string {
	return p.known("section."+key, key)
}

func (p *Printer) known(key, fallback string) string {
	if _, ok := lookup(key); !ok {
		return fallback
	}
	return p.text(key)
}

func (p *Printer) text(key string) string {
	m, ok := lookup(key)
	if !ok {
		return key
	}
	if s := m.in(p.lang); s != "" {
		return s
	}
	return m.en
}

// Has reports whether key has a message in lang, without falling back to
// English.
func Has(lang, key string) bool {
	m, ok := lookup(key)
	return ok && m.in(lang) != ""
}

// catalogs are the message tables, each holding its own keys: the
// terminal's, the web pages', the web console's, the names of the guide's
// rows, which the glossary gives, the help, the errors of the packages
// below the command line and the log lines of appwatch watch.
var catalogs = []map[string]texts{messages, webMessages, consoleMessages, rowMessages, catalog(nil, helpMessages), catalog(nil, errorMessages), catalog(nil, logMessages)}

// lookup finds the message key in the catalogs.
func lookup(key string) (texts, bool) {
	for _, c := range catalogs {
		if m, ok := c[key]; ok {
			return m, true
		}
	}
	return texts{}, false
}

// texts is one message in each language.
type texts struct {
	en, zh, it, ja string
}

func (m texts) in(lang string) string {
	switch lang {
	case English:
		return m.en
	case TraditionalChinese:
		return m.zh
	case Italian:
		return m.it
	case Japanese:
		return m.ja
	}
	return ""
}
