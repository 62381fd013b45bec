package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/webui"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages holds every page's template, by language and name.
type pages struct {
	byLang map[string]map[string]*template.Template
}

// parsePages parses the templates of every page in every language: the
// shared partials of webui, the layout and the console's partials, and
// the page's own file.
func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFiles, "templates/*.tmpl")
	if err != nil {
		return nil, err
	}
	ps := &pages{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Langs() {
		p := i18n.NewPrinter(lang)
		base, err := webui.New("console", p)
		if err != nil {
			return nil, err
		}
		base = base.Funcs(funcs(p))
		if base, err = base.ParseFS(templateFiles, "templates/layout.tmpl", "templates/parts.tmpl"); err != nil {
			return nil, fmt.Errorf("console: parse layout: %w", err)
		}
		ps.byLang[lang] = map[string]*template.Template{}
		for _, n := range names {
			name := strings.TrimSuffix(path.Base(n), ".tmpl")
			if name == "layout" || name == "parts" {
				continue
			}
			t, err := base.Clone()
			if err == nil {
				t, err = t.ParseFS(templateFiles, n)
			}
			if err != nil {
				return nil, fmt.Errorf("console: parse %s: %w", n, err)
			}
			ps.byLang[lang][name] = t
		}
	}
	return ps, nil
}

// funcs are the console's template functions, besides webui's:
//
//	when T        a time.Time as pages show it (webui.Time)
//	can ROLE MIN  whether ROLE may do what MIN allows
//	langName L    the name of language L in that language
//	verdict V     the name of a verdict
//	status S      the name of an alert status
//	inc N         N + 1
//	int N         an int64 as an int, for num and count
//	list V...     its arguments as a list, to hand a template several
func funcs(p *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"when":     webui.TimeOf,
		"can":      allowed,
		"langName": func(l string) string { return i18n.NewPrinter(l).Sprintf("console.lang-name") },
		"verdict":  func(v string) string { return p.Sprintf("console.verdict." + v) },
		"status":   func(s string) string { return p.Sprintf("console.status." + s) },
		"role":     func(r string) string { return p.Sprintf("console.role." + r) },
		"inc":      func(n int) int { return n + 1 },
		"int":      func(n int64) int { return int(n) },
		"list":     func(v ...any) []any { return v },
	}
}

// page is what the layout draws around a page's main content.
type page struct {
	// Title is the message key of the page's title, or Heading its text.
	Title   string
	Heading string
	// Nav names the navigation entry of the page.
	Nav     string
	Lang    string
	Session store.Session
	// Path is the page's own URL, for coming back after a change.
	Path string
	Data any
}

// SignedIn reports whether the page is drawn for a session.
func (p page) SignedIn() bool { return p.Session.IDHash != "" }

// Langs lists the languages people may choose.
func (p page) Langs() []string { return i18n.Langs() }

// render draws the page name for the request's session, in its language.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if se := sessionOf(r); se.IDHash != "" {
		p.Session, p.Lang = se, se.Lang
	}
	if p.Lang == "" {
		p.Lang = browserLang(r, c.opts.Lang)
	}
	p.Path = r.URL.RequestURI()
	t := c.pages.byLang[p.Lang][name]
	if t == nil {
		t = c.pages.byLang[i18n.English][name]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		c.log.Error("page not drawn", "page", name, "error", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fragment draws the template name of page file, without the layout, for
// htmx to swap into a page.
func (c *Console) fragment(w http.ResponseWriter, r *http.Request, file, name string, data any) {
	t := c.pages.byLang[sessionOf(r).Lang][file]
	if t == nil {
		t = c.pages.byLang[i18n.English][file]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		c.log.Error("fragment not drawn", "fragment", name, "error", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// errorView is the error page.
type errorView struct {
	Status  int
	Message string // a message key
}

// fail draws the error page with status, saying message (a key).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, se store.Session, status int, message string) {
	r = r.WithContext(withSession(r.Context(), se))
	c.render(w, r, status, "error", page{Title: "console.error", Data: errorView{Status: status, Message: message}})
}

// serverError logs err and draws the error page.
func (c *Console) serverError(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("request failed", "path", r.URL.Path, "error", err)
	c.fail(w, r, sessionOf(r), http.StatusInternalServerError, "console.server-error")
}

// static serves the console's stylesheet and scripts, which hold no data
// and may be cached for an hour.
func (c *Console) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	var body []byte
	var ctype string
	switch name {
	case "style.css":
		body, ctype = []byte(string(webui.Style())+consoleCSS), "text/css; charset=utf-8"
	case "htmx.min.js", "console.js":
		b, err := staticFiles.ReadFile("static/" + name)
		if err != nil {
			c.notFound(w, r)
			return
		}
		body, ctype = b, "text/javascript; charset=utf-8"
	default:
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(body)
}

//go:embed static/console.css
var consoleCSS string
