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
	c, err := event.NewCatalog()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
	var b bytes.Buffer
	if err := c.WriteMarkdown(&b); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
}
