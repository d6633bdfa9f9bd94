package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/plume-admin/plume/internal/wire"

	"github.com/plume-admin/plume/config"
)

// environ returns the process environment as a map.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// newLogger builds the slog logger of log.level and log.format.
func serveLogger(c config.LogConfig, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "plume.yaml", "configuration file (PLUME_* environment variables override it)")
	listen := fs.String("listen", "", "listen address, overrides server.listen")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	env := environ()
	if *listen != "" {
		env["PLUME_SERVER_LISTEN"] = *listen
	}
	cfg, err := loadServeConfig(*configPath, env)
	if err != nil {
		fmt.Fprintln(stderr, "plume serve:", err)
		return 1
	}
	log := serveLogger(cfg.Log, stderr)
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Env: env, Logger: log, Stdout: stdout, Version: version})
	if err != nil {
		fmt.Fprintln(stderr, "plume serve:", err)
		return 1
	}
	defer closeAll()
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		fmt.Fprintln(stderr, "plume serve:", err)
		return 1
	}
	limitServerMemory(env)
	go startPDFEngine() // compiled while the first requests come in, not on the first PDF
	log.Info("plume serve listening", "addr", ln.Addr().String(), "mail", cfg.Mail.Source, "endpoints", len(cfg.LLM.Endpoints))
	st := stopping{drain: srv.Drain, delay: cfg.Server.DrainDelay, timeout: cfg.Server.ShutdownTimeout}
	return serveUntilSignal(srv.HTTPServer(), ln, cfg.Server.TLSCert, cfg.Server.TLSKey, st, log, stderr)
}

// loadServeConfig loads the server's configuration and refuses what only
// `plume demo` may do.
func loadServeConfig(path string, env map[string]string) (*config.Config, error) {
	cfg, err := config.Load(path, env)
	if err != nil {
		return nil, err
	}
	if cfg.Auth.Demo {
		return nil, errDemoAuth
	}
	return cfg, nil
}

// errDemoAuth refuses auth.demo to the server: demo mode answers
// unauthenticated loopback callers as one user, and only `plume demo`, with
// its own mailbox, may turn it on.
var errDemoAuth = fmt.Errorf("%w: auth.demo: unauthenticated demo mode is for plume demo only; configure auth.issuers", config.ErrConfig)

// stopping says how a server stops on SIGTERM or SIGINT: drain marks it
// draining (its /readyz answers 503) and requests are still served for
// delay, then the listener closes and requests in flight have timeout to
// finish. A second signal during the delay stops waiting.
type stopping struct {
	drain   func()
	delay   time.Duration
	timeout time.Duration
}

// serveUntilSignal serves until SIGINT/SIGTERM, then stops as st says.
func serveUntilSignal(hs *http.Server, ln net.Listener, cert, key string, st stopping, log *slog.Logger, stderr io.Writer) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- hs.ServeTLS(ln, cert, key)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "plume:", err)
			return 1
		}
	case sig := <-sigs:
		if st.drain != nil {
			st.drain()
		}
		log.Info("plume: stopping: readiness answers 503, still serving", "signal", sig.String(), "drain_delay", st.delay.String())
		select {
		case <-time.After(st.delay):
		case <-sigs:
		}
		log.Info("plume: listener closed, waiting for requests in flight", "shutdown_timeout", st.timeout.String())
		sctx, cancel := context.WithTimeout(context.Background(), st.timeout)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			fmt.Fprintln(stderr, "plume: shutdown:", err)
			return 1
		}
		log.Info("plume: stopped")
	}
	return 0
}
