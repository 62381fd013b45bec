// Package rules holds appwatch's built-in Sigma rules, one YAML file per
// rule (a correlation rule shares its file with the rules it correlates),
// and the test records of each rule under testdata/<rule-name>/. Both are
// embedded in the binary, so "appwatch rules export" and "appwatch rules
// test --builtin" work without a source checkout.
package rules

import (
	"embed"
	"io/fs"
)

//go:embed *.yml testdata
var files embed.FS

// FS returns the rule files (*.yml at the top) and their test records
// (testdata/).
func FS() fs.FS { return files }
