package webtest

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/chromedp/chromedp"
)

//go:embed audit.js
var auditJS string

// Audit checks the page open in the tab of ctx for what keyboard,
// screen reader and low-vision users need, and returns what is wrong:
// a lang and a title; one main landmark, one banner, named navigation;
// one h1 and no skipped heading level; a summary first in every details;
// a title and a name on every SVG not hidden from assistive technology;
// alt on images; text on links and no link to a missing anchor; names on
// regions and form controls; header cells in tables; unique ids; and a
// contrast of 4.5:1 (3:1 for large text) for every visible text, as WCAG
// 2 AA asks. Content inside closed details is not visible, so open them
// first to check it.
func Audit(ctx context.Context) ([]string, error) {
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](auditJS))
	if err != nil {
		return nil, fmt.Errorf("audit the page: %w", err)
	}
	return problems, nil
}
