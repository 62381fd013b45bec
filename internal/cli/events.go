package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/ingest"
	"github.com/appwatch/appwatch/internal/source"
	"github.com/appwatch/appwatch/internal/termtext"
)

// eventsCommand is "appwatch events PATH...".
func eventsCommand(env Env) (*cmdline, func(context.Context) int) {
	c := newCmdline(env, "events", "PATH...", "Reads log files (any supported layout, gzip too; '-' is standard input;\ndirectories are read recursively) and prints the normalized events.\n\n"+exitHelp(false))
	format := newChoice("auto", "auto", "jsonl", "table", "summary")
	c.Var(format, "format", "output `FORMAT`: jsonl, table, or summary (counts only); auto is table on a terminal, jsonl otherwise")
	quiet := c.Bool("quiet", false, "print no progress and no summary on standard error, only what could not be read")
	lang := c.String("lang", "", "`LANGUAGE` of the headings and messages: en, zh-TW, it, ja (default from $LC_ALL, $LC_MESSAGES or $LANG)")
	var w window
	w.register(c, "events")
	return c, func(ctx context.Context) int {
		if c.NArg() == 0 {
			return c.usage()
		}
		if *lang != "" {
			l, err := i18n.Parse(*lang)
			if err != nil {
				return c.usageError("--lang %q: want one of %s", *lang, strings.Join(i18n.Langs(), ", "))
			}
			c.p = i18n.NewPrinter(l)
		}
		if !w.resolve(c, env.now()) {
			return exitUsage
		}
		var out eventWriter
		switch outputFormat(env, format.value) {
		case "jsonl":
			out = newJSONLEvents(env.Stdout)
		case "table":
			out = newTableEvents(env.Stdout, env.columns(), strings.Split(c.p.Sprintf("head.events"), "\t"))
		default:
			out = discardEvents{}
		}
		emit := out.write
		if w.set() {
			emit = func(e *event.Event) error {
				if !w.contains(e.Time) {
					return nil
				}
				return out.write(e)
			}
		}
		sum, ok := readInputs(ctx, c, *quiet, emit)
		if err := out.flush(); err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		if !ok {
			return exitUsage
		}
		writeReadSummary(c, sum, *quiet && format.value != "summary", true)
		return readStatus(c, sum)
	}
}

// readInputs reads every input named on the command line with a progress
// bar on a terminal. It returns the summary, or false when the paths are
// wrong or the run stopped, having said why.
func readInputs(ctx context.Context, c *cmdline, quiet bool, emit decode.Emit) (*ingest.Summary, bool) {
	inputs, err := source.Expand(c.Args(), c.env.Stdin)
	if err != nil {
		c.errorf("%s", termtext.Clean(c.p.Error(err)))
		return nil, false
	}
	bar := startBar(c.env, inputs, quiet, "reading")
	sum, err := ingest.Run(ctx, inputs, ingest.Options{Progress: bar}, emit)
	bar.Finish()
	if !quiet {
		writeAliases(c, inputs, true)
	}
	if err != nil {
		c.errorf("%s", termtext.Clean(c.p.Error(err)))
		return sum, false
	}
	return sum, true
}

// eventWriter writes events in one output format.
type eventWriter interface {
	write(*event.Event) error
	flush() error
}

type discardEvents struct{}

func (discardEvents) write(*event.Event) error { return nil }
func (discardEvents) flush() error             { return nil }

// jsonlEvents writes one JSON object per event per line.
type jsonlEvents struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func newJSONLEvents(w io.Writer) *jsonlEvents {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonlEvents{w: bw, enc: enc}
}

func (j *jsonlEvents) write(e *event.Event) error { return j.enc.Encode(e) }
func (j *jsonlEvents) flush() error               { return j.w.Flush() }

// tableEvents writes a compact table, one event per line, under the
// headings head, repeated every 40 rows.
type tableEvents struct {
	head  []string
	w     *bufio.Writer
	width int
	rows  int
}

func newTableEvents(w io.Writer, width int, head []string) *tableEvents {
	return &tableEvents{w: bufio.NewWriter(w), width: max(width, 80), head: head}
}

func (t *tableEvents) write(e *event.Event) error {
	if t.rows%40 == 0 {
		t.line(t.head[0], t.head[1], t.head[2], t.head[3], t.head[4], t.head[5])
	}
	t.rows++
	when := "-"
	if !e.Time.IsZero() {
		when = e.Time.UTC().Format("2006-01-02 15:04:05")
	}
	t.line(when, e.Kind.String(), cmp.Or(e.Result, "-"), e.Activity, actorText(e), targetText(e))
	return nil
}

func (t *tableEvents) flush() error { return t.w.Flush() }

// line writes one row: fixed columns, then activity, actor and target
// sharing what is left of the terminal width.
func (t *tableEvents) line(when, kind, result, activity, actor, target string) {
	rest := t.width - 19 - 1 - 8 - 1 - 7 - 1 - 3
	aw := rest * 40 / 100
	cw := rest * 30 / 100
	tw := rest - aw - cw
	fmt.Fprintf(t.w, "%s %s %s %s %s %s\n", termtext.Pad(when, 19), termtext.Pad(kind, 8), termtext.Pad(result, 7),
		termtext.Pad(termtext.Clean(strings.TrimSpace(activity)), aw), termtext.Pad(termtext.Clean(actor), cw), termtext.Clip(termtext.Clean(target), tw))
}

func actorText(e *event.Event) string {
	a := e.Actor
	return cmp.Or(a.UPN, a.Name, a.ID, a.AppID, a.Type, "-")
}

func targetText(e *event.Event) string {
	switch e.Kind {
	case event.KindSignIn:
		return cmp.Or(e.SignIn.AppName, e.SignIn.AppID, "-") + " -> " + cmp.Or(e.SignIn.ResourceName, e.SignIn.ResourceID, "-")
	case event.KindKeyVault:
		return cmp.Or(e.KeyVault.Object, e.KeyVault.Vault, "-")
	case event.KindActivity:
		return cmp.Or(e.Azure.ResourceID, "-")
	case event.KindRisk:
		return cmp.Or(e.Risk.EventType, "-")
	}
	var names []string
	for _, tg := range e.Targets {
		if n := cmp.Or(tg.Name, tg.UPN, tg.ID); n != "" {
			names = append(names, n)
		}
	}
	return cmp.Or(strings.Join(names, ", "), "-")
}
