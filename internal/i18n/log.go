package i18n

import (
	"context"
	"log/slog"
)

// LogHandler returns a handler that passes each record to h with its
// message in p's language, when the catalogs have it (logs.go), and the
// English message in the attribute msg_en, so that what reads the logs can
// still match on it. Attribute keys and values are left as they are: they
// are for programs, and the errors among them keep their English text. For
// an English Printer it returns h.
func LogHandler(h slog.Handler, p *Printer) slog.Handler {
	if p.Lang() == English {
		return h
	}
	return &logHandler{h: h, p: p}
}

type logHandler struct {
	h slog.Handler
	p *Printer
}

func (l *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

func (l *logHandler) Handle(ctx context.Context, r slog.Record) error {
	m, ok := lookup(r.Message)
	if !ok || m.in(l.p.lang) == "" {
		return l.h.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, m.in(l.p.lang), r.PC)
	out.AddAttrs(slog.String("msg_en", r.Message))
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(a)
		return true
	})
	return l.h.Handle(ctx, out)
}

func (l *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logHandler{h: l.h.WithAttrs(attrs), p: l.p}
}

func (l *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{h: l.h.WithGroup(name), p: l.p}
}
