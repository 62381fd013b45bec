// Package progress draws a one-line progress bar on a terminal while long
// work runs, and stays silent when its output is not a terminal. Lines
// printed through a running bar appear above it.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/appwatch/appwatch/internal/termtext"
)

// Bar reports progress on one line: through a number of bytes, or as
// text its caller renders. Its methods are safe for concurrent use. A nil
// *Bar does nothing, except Println, which needs a bar.
type Bar struct {
	w     io.Writer
	total int64
	label string
	done  atomic.Int64
	items atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
	width int
	text  func() string // renders the line of a StartText bar
	mu    sync.Mutex    // serialises writes to w
}

// Start returns a bar drawing to w every interval, or nil when enabled is
// false (output not a terminal, or quiet mode). total is the amount of
// work in bytes, or 0 when unknown; width is the terminal width.
func Start(w io.Writer, enabled bool, label string, total int64, width int) *Bar {
	if !enabled {
		return nil
	}
	return start(&Bar{w: w, total: total, label: label, width: width})
}

// StartText returns a bar that draws the line text returns, for work
// that is not counted in bytes, or nil when enabled is false. The line is
// clipped to the terminal width; Add and Item do not change it.
func StartText(w io.Writer, enabled bool, width int, text func() string) *Bar {
	if !enabled {
		return nil
	}
	return start(&Bar{w: w, width: width, text: text})
}

// start starts drawing b.
func start(b *Bar) *Bar {
	if b.width <= 20 {
		b.width = 80
	}
	b.start, b.stop = time.Now(), make(chan struct{})
	b.wg.Add(1)
	go b.loop(200 * time.Millisecond)
	return b
}

// Println writes line on a line of its own above the bar, which is drawn
// again at its next tick. b must not be nil.
func (b *Bar) Println(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.w, "\r%s\r%s\n", strings.Repeat(" ", b.width-1), line)
}

// Add records n more bytes done.
func (b *Bar) Add(n int64) {
	if b != nil {
		b.done.Add(n)
	}
}

// Item records one more item (record, event) done.
func (b *Bar) Item() {
	if b != nil {
		b.items.Add(1)
	}
}

// Finish stops drawing and clears the line.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	close(b.stop)
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.width-1))
}

func (b *Bar) loop(every time.Duration) {
	defer b.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.mu.Lock()
			fmt.Fprintf(b.w, "\r%s", b.line())
			b.mu.Unlock()
		}
	}
}

// line renders the bar: label, bar, percentage, rate and count.
func (b *Bar) line() string {
	if b.text != nil {
		return termtext.Pad(termtext.Clean(b.text()), b.width-1)
	}
	done := b.done.Load()
	secs := time.Since(b.start).Seconds()
	rate := float64(done) / 1e6 / max(secs, 1e-3)
	tail := fmt.Sprintf(" %s %.0f MB/s %d records", humanBytes(done), rate, b.items.Load())
	if b.total <= 0 {
		return trim(b.label+tail, b.width-1)
	}
	frac := min(float64(done)/float64(b.total), 1)
	barWidth := b.width - len(b.label) - len(tail) - 10
	if barWidth < 10 {
		return trim(fmt.Sprintf("%s %3.0f%%%s", b.label, frac*100, tail), b.width-1)
	}
	filled := int(frac * float64(barWidth))
	return fmt.Sprintf("%s [%s%s] %3.0f%%%s", b.label, strings.Repeat("=", filled), strings.Repeat(" ", barWidth-filled), frac*100, tail)
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

// humanBytes writes a byte count with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Reader counts the bytes read through it into a Bar.
type Reader struct {
	R   io.Reader
	Bar *Bar
}

// Read reads from R and adds the bytes read to Bar.
func (r Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	r.Bar.Add(int64(n))
	return n, err
}
