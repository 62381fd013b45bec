// Package webtest runs Debian's Chromium, headless, for appwatch's browser
// tests: the HTML report's and the web console's. It is imported by tests
// only.
//
// A test calls Browser to get a chromedp context on a new tab of a fresh
// browser (its own empty profile, no sandbox, no GPU, no background
// networking or component updates). When Chromium is not installed the
// test is skipped, unless the environment variable APPWATCH_REQUIRE_CHROMIUM
// is 1, as CI sets it, and then the test fails. Under the race detector
// browser tests are skipped: the browser is another process, and the
// minutes they take buy nothing that the run without -race does not. Screenshots and other
// files a person should look at go to Artifacts.
package webtest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Environment variables the package reads.
const (
	// RequireEnv, set to 1, turns a missing Chromium from a skip into a
	// failure.
	RequireEnv = "APPWATCH_REQUIRE_CHROMIUM"
	// ChromiumEnv names the browser to run, when it is not on PATH.
	ChromiumEnv = "APPWATCH_CHROMIUM"
	// ArtifactsEnv names the directory screenshots are saved in; without
	// it they go to a temporary directory of the test, which is logged.
	ArtifactsEnv = "APPWATCH_ARTIFACTS"
)

// Timeout bounds each tab's use of the browser. It is
// generous because a loaded machine takes many seconds to start Chromium
// and to lay out a long page; the browser as a whole lives as long as the
// test, however many tabs it opens.
const Timeout = 3 * time.Minute

// names are the programs tried, in order, when ChromiumEnv is not set.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Path returns the browser to run: $APPWATCH_CHROMIUM, or the first of
// chromium, chromium-browser and google-chrome on PATH.
func Path() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		return exec.LookPath(p)
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium)")
}

// Browser starts a headless Chromium for the test and returns a chromedp
// context on a new tab; everything stops when the test ends. It skips the
// test when no browser is found, or fails it when APPWATCH_REQUIRE_CHROMIUM
// is 1.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if raceEnabled {
		t.Skip("browser tests run without -race")
	}
	path, err := Path()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1 but %v", RequireEnv, err)
		}
		t.Skipf("browser test skipped: %v", err)
	}
	profile := t.TempDir()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	bctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	// Cleanups run last first: close the tab, stop the browser and wait
	// for it to exit, and only then let TempDir remove the profile.
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelTab)
	// The first action starts the browser, which lives as long as the
	// context given to it: a deadline here would stop the browser with it,
	// so the start is bounded by the test binary's -timeout instead.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return bctx
}

// Artifacts returns the directory to save files a person should look at
// in: $APPWATCH_ARTIFACTS/<test name>, or else a temporary directory of
// the test. It logs where.
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if root := os.Getenv(ArtifactsEnv); root != "" {
		dir = filepath.Join(root, filepath.FromSlash(t.Name()))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("artifacts in %s", dir)
	return dir
}

// Requests records the URL of every request a tab makes.
type Requests struct {
	mu   sync.Mutex
	urls []string
}

// Record starts recording the requests of the tab of ctx. Call it before
// navigating.
func Record(t testing.TB, ctx context.Context) *Requests {
	t.Helper()
	r := &Requests{}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			r.mu.Lock()
			r.urls = append(r.urls, e.Request.URL)
			r.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to network events: %v", err)
	}
	return r
}

// URLs returns the URLs requested so far, in order.
func (r *Requests) URLs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.urls)
}

// Tab opens a new tab in the browser of ctx, closed when the test ends.
func Tab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	ctx, cancelTime := context.WithTimeout(ctx, Timeout)
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancelTime)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// Screenshot saves a PNG of the whole page open in the tab of ctx, laid
// out width CSS pixels wide (as a phone when width is under 600), as
// dir/name, and returns its path. It leaves the tab at that width.
func Screenshot(t testing.TB, ctx context.Context, dir, name string, width int64) string {
	t.Helper()
	if err := chromedp.Do(ctx, viewport(width)); err != nil {
		t.Fatalf("set the viewport to %dpx: %v", width, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ScreenshotElement saves a PNG of the first element sel matches, laid
// out width CSS pixels wide, as dir/name, and returns its path.
func ScreenshotElement(t testing.TB, ctx context.Context, dir, name, sel string, width int64) string {
	t.Helper()
	if err := chromedp.Do(ctx, viewport(width)); err != nil {
		t.Fatalf("set the viewport to %dpx: %v", width, err)
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// viewport lays the page out width CSS pixels wide, as a phone when width
// is under 600.
func viewport(width int64) chromedp.Action[chromedp.Void] {
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateScale(1))
	}
	return chromedp.EmulateViewport(width, 900, opts...)
}
