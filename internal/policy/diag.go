package policy

import (
	"fmt"
	"strings"
)

// Severity says whether a diagnostic stops the policy from loading.
type Severity uint8

// The severities of diagnostics.
const (
	// SeverityError marks a problem that makes the file unusable.
	SeverityError Severity = iota
	// SeverityWarning marks something that loads but is probably not what
	// the author meant, such as an expired suppression.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in a policy file, with the position of
// the YAML node it is about. Line and Column start at 1; a problem with the
// file as a whole is reported at 1:1, and a YAML syntax error at column 1 of
// the line the YAML parser names.
type Diagnostic struct {
	File     string
	Line     int
	Column   int
	Severity Severity
	Message  string
}

// String formats the diagnostic as "file:line:col: message", with
// "warning: " in front of the message of a warning.
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", d.File, d.Line, d.Column)
	if d.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Errors is returned by Parse and Load when a policy file has errors. It
// holds the error diagnostics only, sorted by position.
type Errors []Diagnostic

// Error lists every diagnostic, one a line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// HasErrors reports whether any of diags is an error.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

func errorsOf(diags []Diagnostic) Errors {
	var errs Errors
	for _, d := range diags {
		if d.Severity == SeverityError {
			errs = append(errs, d)
		}
	}
	return errs
}

func warningsOf(diags []Diagnostic) []Diagnostic {
	var warns []Diagnostic
	for _, d := range diags {
		if d.Severity == SeverityWarning {
			warns = append(warns, d)
		}
	}
	return warns
}
