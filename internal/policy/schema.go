package policy

import _ "embed"

//go:generate cp ../../docs/policy.schema.json schema.json

// schema is a copy of docs/policy.schema.json; a test keeps the two equal.
//
//go:embed schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the policy file. The
// schema covers the shape of the file; Parse checks more than it can say,
// such as whether time zones exist and ranges end after they start.
func Schema() []byte {
	return append([]byte(nil), schema...)
}
