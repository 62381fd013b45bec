package i18n

import (
	"errors"
	"fmt"
	"strings"
)

// Localizer is an error or a message whose text the user reads. Localize
// writes the text through sprintf, each format it passes being the English
// text of a message in the catalogs: with fmt.Sprintf it gives the English
// text (which Error or String returns, for logs), with a Printer's Sprintf
// the text in the Printer's language. Packages below the command line
// implement it on their own types, or use Errorf; the command line renders
// them with Printer.Error where it prints.
type Localizer interface {
	Localize(sprintf func(format string, args ...any) string) string
}

// Error is an error whose text is a message of the catalogs: its English
// format and arguments. Arguments that are errors are wrapped, as %w wraps
// them in fmt.Errorf, and a Printer renders them in its language too.
type Error struct {
	Format string
	Args   []any
}

// Errorf returns an *Error for the message format makes of args. format is
// the English text of a message in the catalogs (errors.go) and may use
// %w for arguments that are errors.
func Errorf(format string, args ...any) error {
	return &Error{Format: format, Args: args}
}

// Error returns the message in English.
func (e *Error) Error() string { return e.Localize(englishf) }

// Localize writes the message through sprintf.
func (e *Error) Localize(sprintf func(format string, args ...any) string) string {
	return sprintf(e.Format, e.Args...)
}

// Unwrap returns the arguments that are errors.
func (e *Error) Unwrap() []error {
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// englishf formats as fmt.Errorf does, so that %w is accepted.
func englishf(format string, args ...any) string {
	return fmt.Errorf(format, args...).Error()
}

// Error returns err's text in the Printer's language: the first error in
// its chain that is a Localizer is written in the language, and what the
// errors wrapping it add around its text (a file name, a flag, a hint
// already in the language) is kept as it is. An error with no Localizer in
// its chain is returned as its Error text.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	text := err.Error()
	var l Localizer
	if !errors.As(err, &l) {
		return text
	}
	english := l.Localize(englishf)
	i := strings.LastIndex(text, english)
	if i < 0 {
		return text
	}
	return text[:i] + l.Localize(p.Sprintf) + text[i+len(english):]
}

// Message returns m's text in the Printer's language.
func (p *Printer) Message(m Localizer) string { return m.Localize(p.Sprintf) }

// localArgs returns args with every error, and every Localizer, written in
// the Printer's language, and format with %w changed to %v.
func (p *Printer) localArgs(format string, args []any) (string, []any) {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case error:
			s = p.Error(v)
		case Localizer:
			s = p.Message(v)
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = s
	}
	if out == nil {
		out = args
	}
	return strings.ReplaceAll(format, "%w", "%v"), out
}
