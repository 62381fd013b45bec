package sigma

import (
	"fmt"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Error is a problem found while loading a rule. It names the file and, when
// known, the line and column of the offending YAML node.
type Error struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Msg    string
}

// Error formats the problem as file:line:column: message.
func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return e.File + ": " + e.Msg
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// pos is the place of a YAML node in its file.
type pos struct {
	file      string
	line, col int
}

func posOf(file string, n *yaml.Node) pos {
	if n == nil {
		return pos{file: file}
	}
	return pos{file: file, line: n.Line, col: n.Column}
}

// errorf builds an *Error at p.
func (p pos) errorf(format string, args ...any) *Error {
	return &Error{File: p.file, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)}
}

// shift moves p right by n columns, for positions inside a scalar.
func (p pos) shift(n int) pos {
	if p.col > 0 {
		p.col += n
	}
	return p
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns an error from the YAML decoder into an *Error, taking
// the line number out of the decoder's message when it has one.
func yamlError(file string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: file, Msg: "invalid YAML: " + err.Error()}
}
