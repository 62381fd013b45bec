package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestDisabledBarIsSilent(t *testing.T) {
	var buf bytes.Buffer
	b := Start(&buf, false, "reading", 100, 80)
	b.Add(50)
	b.Item()
	b.Finish()
	if buf.Len() != 0 {
		t.Errorf("disabled bar wrote %q", buf.String())
	}
}

func TestBarDrawsAndClears(t *testing.T) {
	var buf syncBuffer
	b := Start(&buf, true, "reading", 1000, 60)
	b.Add(500)
	b.Item()
	time.Sleep(450 * time.Millisecond)
	b.Finish()
	out := buf.String()
	if !strings.Contains(out, " 50%") || !strings.Contains(out, "1 records") {
		t.Errorf("bar output %q lacks the percentage or count", out)
	}
	if !strings.HasSuffix(out, "\r") {
		t.Errorf("bar did not clear its line: %q", out)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 3 << 20: "3.0 MiB", 5 << 30: "5.0 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTextBar(t *testing.T) {
	var buf syncBuffer
	b := StartText(&buf, true, 30, func() string { return "Graph: 12 pages \x1b[31mred\x1b[0m and a long tail" })
	if got, want := b.line(), "Graph: 12 pages  [31mred [..."; got != want {
		t.Errorf("line = %q, want %q (cleaned and cut to 29 columns)", got, want)
	}
	b.Println("waiting 1m0s")
	b.Finish()
	if out := buf.String(); !strings.HasPrefix(out, "\r"+strings.Repeat(" ", 29)+"\rwaiting 1m0s\n") {
		t.Errorf("Println wrote %q, want the bar's line cleared first", out)
	}
	if StartText(&buf, false, 80, nil) != nil {
		t.Error("a disabled text bar is not nil")
	}
}
