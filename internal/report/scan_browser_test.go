package report_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/demo"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/webtest"
)

// TestScanReportInBrowser opens the report appwatch scan --format html
// writes of log files on disk, as a responder would hand it on, in
// Japanese: it draws every alert the same scan finds as JSON Lines,
// requests nothing but the file itself, and passes the accessibility
// audit (one h1, headings in order, landmarks, labelled regions).
func TestScanReportInBrowser(t *testing.T) {
	browser := webtest.Browser(t)
	dir := t.TempDir()
	if _, err := demo.Extract(dir); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(dir, "logs")
	art := webtest.Artifacts(t)
	path := runHTML(t, t.TempDir(), "scan.html", "scan", "--format", "html", "--lang", i18n.Japanese, "--quiet", logs)
	tab, reqs := open(t, browser, path)

	if got := eval[string](t, tab, `document.documentElement.lang`); got != i18n.Japanese {
		t.Errorf("lang = %q, want %q", got, i18n.Japanese)
	}
	p := i18n.NewPrinter(i18n.Japanese)
	if text := eval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(text, p.Row("credential-added")) {
		t.Errorf("the report does not name the guide row credential-added as %q", p.Row("credential-added"))
	}
	want := bytes.Count(run(t, "scan", "--format", "jsonl", "--quiet", logs), []byte("\n"))
	if n := eval[int](t, tab, `document.querySelectorAll("main details.alert").length`); n != want || n == 0 {
		t.Errorf("%d alerts drawn, want the scan's %d", n, want)
	}
	audit(t, tab)
	webtest.Screenshot(t, tab, art, "scan-ja-desktop-1280.png", 1280)
	webtest.Screenshot(t, tab, art, "scan-ja-phone-390.png", 390)
	noOverflow(t, tab, 390)
	onlyFile(t, reqs, path)
}
