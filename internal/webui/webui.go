// Package webui holds the look that appwatch's HTML pages share: one
// stylesheet, the partial templates that draw an alert, its decoded
// evidence, level badges and charts, and the view models those partials
// take. The HTML report (internal/report) and the web console use it, so
// that an alert looks the same in both.
//
// Everything here is rendered with html/template: text from the logs is
// escaped wherever it lands, and no partial loads anything from the
// network. The charts are inline SVG, each with a title and a
// description for screen readers.
package webui

import (
	"embed"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

//go:embed style.css
var style string

//go:embed partials/*.tmpl
var partials embed.FS

// Levels are the alert levels, most severe first, as pages list them.
var levels = [...]string{alert.LevelCritical, alert.LevelHigh, alert.LevelMedium, alert.LevelLow, alert.LevelInformational}

// Levels returns the alert levels, most severe first.
func Levels() []string { return levels[:] }

// LevelIndex returns the position of level in Levels, or -1 for a level
// that is not one of the five.
func LevelIndex(level string) int {
	for i, l := range levels {
		if l == level {
			return i
		}
	}
	return -1
}

// Style returns the stylesheet shared by appwatch's pages, for a <style>
// element or to be served as a file.
func Style() template.CSS { return template.CSS(style) }

// New returns a template set named name that holds the shared partials
// and the functions they use, speaking p's language. Pages add their own
// templates to it with Parse or ParseFS.
func New(name string, p *i18n.Printer) (*template.Template, error) {
	t, err := template.New(name).Funcs(Funcs(p)).ParseFS(partials, "partials/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("webui: parse partials: %w", err)
	}
	return t, nil
}

// Funcs returns the template functions of the partials, in p's language:
//
//	t KEY ARGS...       the message KEY (i18n.Printer.Sprintf)
//	count KEY N ARGS... the message KEY for N (i18n.Printer.Count)
//	level LEVEL         the level's name
//	levelClass LEVEL    the CSS class suffix of the level, "unknown" for others
//	row KEY             the guide row's short name
//	section KEY         the guide section's name
//	num N               N with the language's thousands separator
//	attackURL ID        the ATT&CK page of a technique id, empty for others
//	levels              the five levels, most severe first
//	duration D          a whole number of hours, days or weeks in words
//	f X                 a coordinate with one decimal
//	add X Y, sub X Y    sums and differences of coordinates
func Funcs(p *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"levels":     Levels,
		"duration":   func(d time.Duration) string { return Duration(p, d) },
		"f":          func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) },
		"add":        func(x, y float64) float64 { return x + y },
		"sub":        func(x, y float64) float64 { return x - y },
		"t":          p.Sprintf,
		"count":      p.Count,
		"level":      p.Level,
		"levelClass": levelClass,
		"row":        p.Row,
		"section":    p.Section,
		"num":        func(n int) string { return Number(p.Lang(), n) },
		"attackURL":  AttackURL,
	}
}

func levelClass(level string) string {
	if LevelIndex(level) < 0 {
		return "unknown"
	}
	return level
}

// techniqueID matches an ATT&CK technique or sub-technique id.
var techniqueID = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)

// AttackURL returns the page of an ATT&CK technique on attack.mitre.org,
// such as https://attack.mitre.org/techniques/T1098/001/ for T1098.001, or
// "" when id is not shaped like a technique id. Pages link to it with a
// plain anchor: nothing is fetched until the reader follows it.
func AttackURL(id string) string {
	if !techniqueID.MatchString(id) {
		return ""
	}
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// Number writes n with the thousands separator of lang: a dot in
// Italian, a comma otherwise.
func Number(lang string, n int) string {
	sep := ","
	if lang == i18n.Italian {
		sep = "."
	}
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Duration writes d in weeks, days or hours, whichever divides it, in
// p's language.
func Duration(p *i18n.Printer, d time.Duration) string {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	switch {
	case d >= week && d%week == 0:
		return p.Count("web.weeks", int(d/week))
	case d >= day && d%day == 0:
		return p.Count("web.days", int(d/day))
	}
	return p.Count("web.hours", int(d.Round(time.Hour)/time.Hour))
}
