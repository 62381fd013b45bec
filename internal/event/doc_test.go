package event

import (
	"bytes"
	"os"
	"testing"
)

// TestFieldsDocIsCurrent keeps docs/fields.md in step with the catalog.
func TestFieldsDocIsCurrent(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := c.WriteMarkdown(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/fields.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error(`docs/fields.md is out of date; run "go generate ./internal/event"`)
	}
}
