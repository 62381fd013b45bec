package cli

import (
	"io"
	"strings"

	"github.com/appwatch/appwatch/internal/termtext"
)

// writeColumns writes rows as columns two spaces apart, each as wide as
// its widest cell in terminal columns, so that Chinese and Japanese text
// lines up; the last column is not padded.
func writeColumns(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], termtext.Width(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", widths[i]-termtext.Width(cell)+2))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
