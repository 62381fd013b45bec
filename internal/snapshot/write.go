package snapshot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Write writes the snapshot to dir, creating it if needed, as one file
// per collection named after it ("applications.json", ...): the six core
// collections always, the others when the snapshot holds them. Each file
// is a Graph list response: {"@odata.context": ..., "value": [...]}, with
// all of the collection's pages in one value array. The gaps, when there
// are any, go to "unavailable.json". Files are replaced whole, never left
// half written.
func (s *Snapshot) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	for _, d := range defs {
		if !Core(d.c) && !s.Has(d.c) {
			continue
		}
		if err := writeJSON(filepath.Join(dir, string(d.c)+".json"), s.listDoc(d)); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
	}
	if len(s.Gaps) == 0 {
		return nil
	}
	doc := listDoc{Context: gapsContext, Value: s.Gaps}
	if err := writeJSON(filepath.Join(dir, string(Unavailable)+".json"), doc); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// gapsContext is the @odata.context of the file of gaps, which is
// appwatch's own and no Graph response.
const gapsContext = "appwatch:snapshot#" + string(Unavailable)

// listDoc is the shape of a Graph list response.
type listDoc struct {
	Context string `json:"@odata.context,omitempty"`
	Value   any    `json:"value"`
}

// listDoc returns the collection of d as a Graph list response. A
// collection whose context is not known gets Graph v1.0's.
func (s *Snapshot) listDoc(d def) listDoc {
	doc := listDoc{Context: s.Contexts[d.c], Value: d.values(s)}
	if doc.Context == "" {
		doc.Context = DefaultMetadata + "#" + d.context
	}
	return doc
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
