package i18n

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
)

func TestPrinterError(t *testing.T) {
	store := Errorf("store %s: %w", "sqlite:x.db", fs.ErrNotExist)
	tests := []struct {
		name, lang string
		err        error
		want       string
	}{
		{"english", "en", store, "store sqlite:x.db: file does not exist"},
		{"translated, the system's words kept", "zh-TW", store, "存放區 sqlite:x.db：file does not exist"},
		{"context around it kept", "ja", fmt.Errorf("watch: %w\n  hint", store), "watch: ストア sqlite:x.db: file does not exist\n  hint"},
		{"an error argument translated too", "it", Errorf("reading CSV header: %w", Errorf("store %s: %w", "x", errors.New("locked"))), "lettura dell'intestazione CSV: archivio x: locked"},
		{"no Localizer", "ja", errors.New("plain"), "plain"},
		{"unknown key stays English", "ja", Errorf("no such message %d", 7), "no such message 7"},
	}
	for _, tt := range tests {
		if got := NewPrinter(tt.lang).Error(tt.err); got != tt.want {
			t.Errorf("%s: Error = %q, want %q", tt.name, got, tt.want)
		}
	}
	if !errors.Is(store, fs.ErrNotExist) {
		t.Error("Errorf does not wrap its error arguments")
	}
	if got := NewPrinter("ja").Sprintf("policy %s:\n%v", "p.yaml", store); !strings.HasPrefix(got, "ポリシー p.yaml:\nストア ") {
		t.Errorf("Sprintf with an error argument = %q, want it translated", got)
	}
}

func TestLogHandler(t *testing.T) {
	var b bytes.Buffer
	h := slog.NewJSONHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})
	log := slog.New(LogHandler(h, NewPrinter("zh-TW"))).With("source", "dir:x")
	log.Info("stopped")
	log.Warn("store operation failed; trying again", "error", Errorf("store %s: %w", "x", errors.New("locked")))
	log.Info("not in the catalogs", "n", 1)
	want := `{"level":"INFO","msg":"已停止","source":"dir:x","msg_en":"stopped"}
{"level":"WARN","msg":"存放區作業失敗；正在重試","source":"dir:x","msg_en":"store operation failed; trying again","error":"store x: locked"}
{"level":"INFO","msg":"not in the catalogs","source":"dir:x","n":1}
`
	if b.String() != want {
		t.Errorf("logged\n%s\nwant\n%s", b.String(), want)
	}
	if LogHandler(h, NewPrinter("en")) != slog.Handler(h) {
		t.Error("an English LogHandler is not the handler itself")
	}
}
