// Command gendoc writes docs/fields.md from the event field catalog. It is
// run by "go generate ./internal/event".
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/appwatch/appwatch/internal/event"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gendoc FILE")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
}

// write writes the catalog's Markdown page to path.
func write(path string) error {
	c, err := event.NewCatalog()
	if err != nil {
		return fmt.Errorf("build the catalog: %w", err)
	}
	var b bytes.Buffer
	if err := c.WriteMarkdown(&b); err != nil {
		return fmt.Errorf("write the catalog: %w", err)
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
