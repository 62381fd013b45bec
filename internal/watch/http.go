package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serve serves /healthz, /readyz and /metrics on Options.Listener, if
// any, and the console on every other path when there is one, and
// returns the function that stops it. The probes and metrics need no
// sign-in; the console asks for one.
func (s *service) serve() func() {
	if s.opts.Listener == nil {
		return func() {}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	if s.console != nil {
		mux.Handle("/", s.console)
	}
	srv := &http.Server{
		Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(s.opts.Listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "error", err)
		}
	}()
	s.log.Info("serving /healthz, /readyz and /metrics", "addr", s.opts.Listener.Addr().String(), "console", s.console != nil)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
}

// readyz answers 200 when the store answers and every source is reading,
// 503 saying what is wrong otherwise.
func (s *service) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if up, all := int(s.up.Load()), len(s.opts.Sources); up < all {
		http.Error(w, fmt.Sprintf("%d of %d sources reading", up, all), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}
