package snapshot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Write writes the snapshot to dir, creating it if needed, as one file
// per collection named after it ("applications.json", ...). Each file is
// a Graph list response: {"@odata.context": ..., "value": [...]}, with
// all of the collection's pages in one value array. Files are replaced
// whole, never left half written.
func (s *Snapshot) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	for _, c := range Collections() {
		if err := writeJSON(filepath.Join(dir, string(c)+".json"), s.listDoc(c)); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
	}
	return nil
}

// listDoc is the shape of a Graph list response.
type listDoc struct {
	Context string `json:"@odata.context,omitempty"`
	Value   any    `json:"value"`
}

// listDoc returns collection c as a Graph list response. A collection
// whose context is not known gets Graph v1.0's.
func (s *Snapshot) listDoc(c Collection) listDoc {
	doc := listDoc{Context: s.Contexts[c], Value: s.values(c)}
	if doc.Context == "" {
		doc.Context = DefaultMetadata + "#" + contextPath(c)
	}
	return doc
}

// values returns the items of c, never nil, so that an empty collection
// is written as an empty array.
func (s *Snapshot) values(c Collection) any {
	switch c {
	case Applications:
		return nonNil(s.Applications)
	case ServicePrincipals:
		return nonNil(s.ServicePrincipals)
	case Grants:
		return nonNil(s.Grants)
	case AppRoleAssignments:
		return nonNil(s.AppRoleAssignments)
	case RoleAssignments:
		return nonNil(s.RoleAssignments)
	case Domains:
		return nonNil(s.Domains)
	}
	return []any{}
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// writeJSON writes v to a temporary file next to path and renames it
// into place.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
