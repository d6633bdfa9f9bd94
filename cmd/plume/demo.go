package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/plume-admin/plume/internal/wire"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/mail/demo"
	"github.com/plume-admin/plume/mail/imap"
)

// runDemo starts everything embedded: the demo IMAP server, the offline
// engine (or the model named by PLUME_LLM_BASE_URL and PLUME_LLM_MODEL),
// the API and the panel, on a loopback address only.
func runDemo(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "loopback address of the API and panel (127.0.0.1:0 picks a free port)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !loopbackAddr(*listen) {
		fmt.Fprintf(stderr, "plume demo: --listen %s: the demo has no authentication and listens on loopback only (127.0.0.1, ::1, localhost)\n", *listen)
		return 2
	}
	env := environ()
	if env["PLUME_LLM_BASE_URL"] == "" || env["PLUME_LLM_MODEL"] == "" {
		for k := range env {
			if strings.HasPrefix(k, "PLUME_LLM_") {
				delete(env, k)
			}
		}
	}
	cfg, err := demoConfig(env, *listen)
	if err != nil {
		fmt.Fprintln(stderr, "plume demo:", err)
		return 1
	}

	imapSrv, err := demo.ServeLoopback(demo.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "plume demo: demo mailbox:", err)
		return 1
	}
	defer imapSrv.Close()
	cfg.Mail.IMAP.Addr = imapSrv.Addr().String()
	imapOpts := imapSrv.IMAPOptions()
	imapOpts.Pool = imap.Pool{Size: 2}
	src, err := imap.New(imapOpts)
	if err != nil {
		fmt.Fprintln(stderr, "plume demo: IMAP source:", err)
		return 1
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(stderr, "plume demo:", err)
		return 1
	}
	base := "http://" + ln.Addr().String()
	cfg.Server.PublicURL = base
	log := serveLogger(cfg.Log, stderr)
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Env: env, Logger: log, Stdout: stderr, Source: src, Version: version})
	if err != nil {
		fmt.Fprintln(stderr, "plume demo:", err)
		return 1
	}
	defer closeAll()
	engine := "offline extractive engine (set PLUME_LLM_BASE_URL and PLUME_LLM_MODEL to use a model)"
	if len(cfg.LLM.Endpoints) > 0 {
		e := cfg.LLM.Endpoints[0]
		engine = fmt.Sprintf("model %s at %s", e.Model, e.BaseURL)
	}
	limitServerMemory(env)
	go startPDFEngine()
	fmt.Fprintf(stdout, `Plume demo — nothing leaves this machine except model calls you configured.
  mailbox  in-process IMAP server on %s (user agent), %d demo threads
  engine   %s
  API      %s/api/v1  (OpenAPI: %s/api/v1/openapi.json)
  listen   %s

Open the panel:  %s/panel/
Audit lines are printed below. Press Ctrl+C to stop.
`, imapSrv.Addr(), len(demo.Threads()), engine, base, base, ln.Addr(), base)
	// One user on loopback: no load balancer to wait for.
	st := stopping{drain: srv.Drain, timeout: cfg.Server.ShutdownTimeout}
	return serveUntilSignal(srv.HTTPServer(), ln, "", "", st, log, stderr)
}

// demoConfig is plume demo's validated server configuration: demo
// authentication as the demo mailbox's owner, the demo IMAP mailbox (its
// address is set once it listens), audit lines on stderr.
func demoConfig(env map[string]string, listen string) (*config.Config, error) {
	cfg := &config.Config{}
	if err := cfg.ApplyEnv(env); err != nil {
		return nil, err
	}
	// The demo user is the demo mailbox's owner: replies are signed by him.
	cfg.Auth = config.AuthConfig{Demo: true, DemoUser: "agent", DemoEmail: demo.OwnerAddress}
	cfg.Server.Listen = listen
	cfg.Mail.Source = "imap"
	cfg.Mail.IMAP = config.IMAPConfig{Addr: "127.0.0.1:0", Security: "none", Auth: "plain", Password: "demo"}
	cfg.Privacy.AuditPath = "-"
	cfg.Log.Format = "text"
	cfg.Log.Level = "warn"
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// loopbackAddr reports whether a listen address is on loopback.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
