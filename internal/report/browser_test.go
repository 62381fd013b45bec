package report_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/appwatch/appwatch/internal/cli"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/report"
	"github.com/appwatch/appwatch/internal/webtest"
)

// run runs appwatch with args and returns its standard output.
func run(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errs bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Width: 80}
	if code := cli.Main(t.Context(), env, args); code != 0 {
		t.Fatalf("appwatch %s: exit %d\n%s", strings.Join(args, " "), code, errs.String())
	}
	return out.Bytes()
}

// runHTML runs appwatch with args (which ask for --format html), saves
// the report in dir as name and returns its path.
func runHTML(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, run(t, args...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileURL is the file: URL of an absolute path.
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// open loads the file at path in a new tab, recording its requests.
func open(t *testing.T, browser context.Context, path string) (context.Context, *webtest.Requests) {
	t.Helper()
	tab := webtest.Tab(t, browser)
	reqs := webtest.Record(t, tab)
	if err := chromedp.Do(tab, chromedp.Navigate(fileURL(path))); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return tab, reqs
}

func eval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// audit fails the test for each accessibility problem of the page, with
// every alert closed and then open.
func audit(t *testing.T, tab context.Context) {
	t.Helper()
	for _, open := range []bool{false, true} {
		if open {
			eval[bool](t, tab, `document.querySelectorAll("details").forEach(d => d.open = true), true`)
		}
		problems, err := webtest.Audit(tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("accessibility (details open: %v): %s", open, p)
		}
	}
	eval[bool](t, tab, `document.querySelectorAll("details").forEach(d => d.open = false), true`)
}

// noOverflow fails the test when the page is wider than width pixels,
// naming the innermost elements whose content sticks out of them
// (content inside a scrolling region scrolls and does not count).
func noOverflow(t *testing.T, tab context.Context, width int) {
	t.Helper()
	wide := eval[[]string](t, tab, fmt.Sprintf(`(() => {
		if (document.documentElement.scrollWidth <= %d) return [];
		const over = (e) => !e.closest(".scroll") && e.scrollWidth > e.clientWidth + 1;
		const out = [...document.querySelectorAll("body *")].filter(e => over(e) && ![...e.children].some(over));
		return ["page " + document.documentElement.scrollWidth + "px wide"].concat(
			out.slice(0, 10).map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 60)));
	})()`, width))
	if len(wide) > 0 {
		t.Errorf("the page is wider than %dpx; these stick out: %q", width, wide)
	}
}

// onlyFile fails the test unless the page requested nothing but itself.
func onlyFile(t *testing.T, reqs *webtest.Requests, path string) {
	t.Helper()
	if got := reqs.URLs(); !slices.Equal(got, []string{fileURL(path)}) {
		t.Errorf("requests = %q, want only the file itself", got)
	}
}

// TestBrowser opens reports in one headless Chromium, each in its own
// tab: starting the browser is the slow part.
func TestBrowser(t *testing.T) {
	browser := webtest.Browser(t)
	t.Run("demo", func(t *testing.T) { testDemo(t, browser) })
	for _, lang := range []string{i18n.TraditionalChinese, i18n.Italian, i18n.Japanese} {
		t.Run("demo-"+lang, func(t *testing.T) { testLanguage(t, browser, lang) })
	}
	t.Run("posture", func(t *testing.T) { testPosture(t, browser) })
	t.Run("hostile", func(t *testing.T) { testHostile(t, browser) })
}

// testDemo opens the demo's report: it renders, loads nothing but itself,
// passes the accessibility audit, works with the keyboard, fits a phone
// and prints without hiding or clipping anything.
func testDemo(t *testing.T, browser context.Context) {
	art := webtest.Artifacts(t)
	path := runHTML(t, t.TempDir(), "demo.html", "demo", "--format", "html", "--lang", "en", "--quiet")
	tab, reqs := open(t, browser, path)

	text := eval[string](t, tab, `document.body.innerText`)
	for _, want := range []string{"Scan report of the demo tenant", "Summary", "Credential added to an app", "Coverage by guide row", "What was read", "All times are in UTC."} {
		if !strings.Contains(text, want) {
			t.Errorf("visible text lacks %q", want)
		}
	}
	if n := eval[int](t, tab, `document.querySelectorAll("svg.timeline rect").length`); n == 0 {
		t.Error("the timeline has no bars")
	}
	if title := eval[string](t, tab, `document.querySelector("svg.timeline > title").textContent`); title != "Timeline" {
		t.Errorf("timeline title = %q", title)
	}
	want := bytes.Count(run(t, "demo", "--format", "jsonl", "--quiet"), []byte("\n"))
	if n := eval[int](t, tab, `document.querySelectorAll("details.alert").length`); n != want || n == 0 {
		t.Errorf("%d alerts drawn, want the demo's %d", n, want)
	}
	audit(t, tab)

	t.Run("keyboard", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, tab, `document.activeElement.className`); got != "skip" {
			t.Errorf("first Tab focuses %q, want the skip link", got)
		}
		if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS("#alert-1 > summary")), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if !eval[bool](t, tab, `document.getElementById("alert-1").open`) {
			t.Error("Enter on an alert's summary does not open it")
		}
		webtest.ScreenshotElement(t, tab, art, "demo-en-phone-390-alert.png", "#alert-1", 390)
		webtest.ScreenshotElement(t, tab, art, "demo-en-desktop-1280-alert.png", "#alert-1", 1280)
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if eval[bool](t, tab, `document.getElementById("alert-1").open`) {
			t.Error("a second Enter does not close the alert")
		}
	})

	webtest.Screenshot(t, tab, art, "demo-en-desktop-1280.png", 1280)
	webtest.Screenshot(t, tab, art, "demo-en-phone-390.png", 390)
	t.Run("phone", func(t *testing.T) {
		eval[bool](t, tab, `document.querySelectorAll("details").forEach(d => d.open = true), true`)
		defer eval[bool](t, tab, `document.querySelectorAll("details").forEach(d => d.open = false), true`)
		noOverflow(t, tab, 390)
	})

	t.Run("print", func(t *testing.T) {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(794, 1123)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		if h := eval[float64](t, tab, `document.querySelector("details.alert:not([open]) .remediation").getBoundingClientRect().height`); h <= 0 {
			t.Error("printed, a closed alert hides its body")
		}
		clipped := eval[[]string](t, tab, `[...document.querySelectorAll("body *")]
			.filter(e => !e.matches(".vh") && getComputedStyle(e).overflowX !== "visible" && e.scrollWidth > e.clientWidth + 1)
			.map(e => e.tagName + "." + e.className)`)
		if len(clipped) > 0 {
			t.Errorf("printed, these elements clip their content: %q", clipped)
		}
		noOverflow(t, tab, 794)
		start := time.Now()
		pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPrintBackground(), chromedp.PDFPageRanges("1-4")))
		t.Logf("printed in %s", time.Since(start))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(art, "demo-en.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	onlyFile(t, reqs, path)
}

// testLanguage opens the demo's report in lang: its lang attribute and
// texts are lang's, and it passes the audit.
func testLanguage(t *testing.T, browser context.Context, lang string) {
	art := webtest.Artifacts(t)
	path := runHTML(t, t.TempDir(), "demo-"+lang+".html", "demo", "--format", "html", "--lang", lang, "--quiet")
	tab, reqs := open(t, browser, path)
	if got := eval[string](t, tab, `document.documentElement.lang`); got != lang {
		t.Errorf("lang = %q, want %q", got, lang)
	}
	p := i18n.NewPrinter(lang)
	if got, want := eval[string](t, tab, `document.querySelector("h1").textContent`), p.Sprintf("report.title.demo"); got != want {
		t.Errorf("h1 = %q, want %q", got, want)
	}
	if text := eval[string](t, tab, `document.body.innerText`); !strings.Contains(text, p.Row("credential-added")) {
		t.Errorf("the page does not name the guide row credential-added as %q", p.Row("credential-added"))
	}
	audit(t, tab)
	if lang == i18n.Japanese {
		webtest.Screenshot(t, tab, art, "demo-"+lang+"-desktop-1280.png", 1280)
	}
	webtest.Screenshot(t, tab, art, "demo-"+lang+"-phone-390.png", 390)
	onlyFile(t, reqs, path)
}

// testPosture opens a posture report.
func testPosture(t *testing.T, browser context.Context) {
	art := webtest.Artifacts(t)
	// The foreign layouts, less the files made broken on purpose, which
	// would make the run exit 3.
	files, err := filepath.Glob(filepath.Join("..", "snapshot", "testdata", "foreign", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"posture", "--no-dns", "--format", "html", "--lang", "en", "--quiet"}
	for _, f := range files {
		switch filepath.Base(f) {
		case "broken.json", "orphan-owners.json", "powershell-apps.json":
		default:
			args = append(args, "--snapshot", f)
		}
	}
	path := runHTML(t, t.TempDir(), "posture.html", args...)
	tab, reqs := open(t, browser, path)
	text := eval[string](t, tab, `document.body.innerText`)
	for _, want := range []string{"Posture report", "Posture checks", "DNS was off", "PASS", "N/A DNS lookups are off"} {
		if !strings.Contains(text, want) {
			t.Errorf("visible text lacks %q", want)
		}
	}
	if n := eval[int](t, tab, `document.querySelectorAll("#checks tbody tr").length`); n == 0 {
		t.Error("no posture check listed")
	}
	audit(t, tab)
	webtest.Screenshot(t, tab, art, "posture-en-desktop-1280.png", 1280)
	onlyFile(t, reqs, path)
}

// testHostile opens a report whose every alert field holds markup and
// quotes: the browser must show them as text, run nothing and load
// nothing.
func testHostile(t *testing.T, browser context.Context) {
	art := webtest.Artifacts(t)
	var buf bytes.Buffer
	w := report.New(&buf, report.Options{Lang: "en", Explain: explainHostile})
	for _, a := range hostileAlerts() {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	w.DescribeRun(hostileRun(t))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hostile.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, reqs := open(t, browser, path)
	eval[bool](t, tab, `document.querySelectorAll("details").forEach(d => d.open = true), true`)
	if got := eval[string](t, tab, `String(window.pwned)`); got != "undefined" {
		t.Errorf("injected script ran: window.pwned = %s", got)
	}
	if n := eval[int](t, tab, `document.querySelectorAll("img, iframe, object, embed, form, body script").length`); n != 1 {
		t.Errorf("%d injected elements in the page, want only the report's own script", n-1)
	}
	text := eval[string](t, tab, `document.body.innerText`)
	for _, want := range []string{hostile, `"quoted" & 'single'`} {
		if c := strings.Count(text, want); c < 10 {
			t.Errorf("%q shown as text %d times, want it in every field (10 or more)", want, c)
		}
	}
	webtest.Screenshot(t, tab, art, "hostile-desktop-1280.png", 1280)
	onlyFile(t, reqs, path)
}
