// Package wire builds a Plume server and everything it uses from a
// configuration: the mail sources, the models, the privacy gate and its
// audit log, the shared cache. Only the commands (cmd/plume) and the
// end-to-end tests use it; package addin itself only serves HTTP.
package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/plume-admin/plume/addin"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/mail/imap"
)

// Deps are the outside resources a command hands to [FromConfig].
type Deps struct {
	// Env holds the environment, for llm.endpoints[].api_key_env.
	Env map[string]string
	// Logger receives the log; nil discards.
	Logger *slog.Logger
	// Stdout receives audit lines when privacy.audit_path is "-"; nil means os.Stdout.
	Stdout io.Writer
	// Source replaces the IMAP source built from mail.imap (plume demo).
	Source addin.ThreadSource
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Version is reported by /healthz.
	Version string
}

// FromConfig builds a server and everything it uses from cfg: the IMAP
// source, the model endpoints, the assistant with its cache (Redis when
// cache.redis_url is set), the audit log. close releases them.
func FromConfig(cfg *config.Config, d Deps) (srv *addin.Server, close func() error, err error) {
	var closers []func() error
	close = func() error {
		var errs []error
		for i := len(closers) - 1; i >= 0; i-- {
			errs = append(errs, closers[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			_ = close()
		}
	}()
	source := d.Source
	if source == nil && cfg.Mail.IMAP.Addr != "" {
		src, err := imap.New(imapOptions(cfg.Mail.IMAP, d.Now))
		if err != nil {
			return nil, close, fmt.Errorf("%w: mail.imap: %w", config.ErrConfig, err)
		}
		source = src
	}
	var gsrc addin.GraphSource
	if g := cfg.Mail.Graph; g.ClientID != "" {
		secret := g.ClientSecret
		if g.ClientSecretEnv != "" {
			secret = d.Env[g.ClientSecretEnv]
		}
		opts := graph.Options{BaseURL: g.BaseURL, Authority: g.Authority, TenantID: g.TenantID, ClientID: g.ClientID, ClientSecret: secret, Now: d.Now}
		if g.CertFile != "" {
			cert, err := readGraphCertificate(g.CertFile, g.KeyFile)
			if err != nil {
				return nil, close, fmt.Errorf("%w: mail.graph.cert_file: %w", config.ErrConfig, err)
			}
			opts.Certificate = cert
		}
		src, err := graph.New(opts)
		if err != nil {
			return nil, close, fmt.Errorf("%w: mail.graph: %w", config.ErrConfig, err)
		}
		gsrc = src
	}
	var checks multiCheck
	for _, e := range cfg.LLM.Endpoints {
		switch e.Kind {
		case "openai":
			checks = append(checks, &HTTPCheck{URL: strings.TrimRight(e.BaseURL, "/") + "/models", Bearer: e.Key(d.Env)})
		case "ollama":
			checks = append(checks, &HTTPCheck{URL: strings.TrimRight(e.BaseURL, "/") + "/api/tags"})
		}
	}
	aopts, err := cfg.AssistantOptions(d.Env, d.Now)
	if err != nil {
		return nil, close, err
	}
	var limit *addin.RedisLimitCounter
	if cfg.Cache.RedisURL != "" {
		r, err := addin.NewRedis(cfg.Cache.RedisURL, d.Logger)
		if err != nil {
			return nil, close, err
		}
		closers = append(closers, r.Close)
		aopts.Cache = r.Cache()
		limit = r.LimitCounter()
	}
	a, err := assist.New(aopts)
	if err != nil {
		return nil, close, fmt.Errorf("%w: llm: %w", config.ErrConfig, err)
	}
	auditor, aclose, err := cfg.OpenAudit(d.Stdout)
	if err != nil {
		return nil, close, err
	}
	closers = append(closers, aclose)
	gate, err := cfg.Gate(auditor, d.Logger, d.Now)
	if err != nil {
		return nil, close, err
	}
	opts := addin.Options{
		Config: cfg, Source: source, Graph: gsrc, Assistant: a, Gate: gate,
		Logger: d.Logger, Now: d.Now, Version: d.Version,
	}
	if len(checks) > 0 {
		opts.ModelCheck = checks
	}
	if limit != nil {
		opts.LimitCounter = limit
	}
	srv, err = addin.New(opts)
	return srv, close, err
}

// imapOptions translates mail.imap into the IMAP source options.
func imapOptions(c config.IMAPConfig, now func() time.Time) imap.Options {
	o := imap.Options{Addr: c.Addr, Timeout: c.Timeout, TotalTimeout: c.TotalTimeout, InsecureSkipVerify: c.InsecureSkipVerify, CAFile: c.CAFile, Now: now}
	if c.PoolSize > 0 {
		o.Pool.Size = c.PoolSize
	}
	switch c.Security {
	case "starttls":
		o.Security = imap.StartTLS
	case "none":
		o.Security = imap.Plain
	}
	switch c.Auth {
	case "xoauth2":
		o.Auth.OAuth = imap.MechXOAuth2
	case "master":
		o.Auth.Master = &imap.Master{Login: c.MasterUser, Password: c.MasterPassword}
	case "plain":
		pw := c.Password
		o.Auth.Password = func(string) (string, error) { return pw, nil }
	default:
		o.Auth.OAuth = imap.MechOAuthBearer
	}
	return o
}

// multiCheck pings every model endpoint.
type multiCheck []addin.Pinger

// Ping fails when any endpoint fails.
func (m multiCheck) Ping(ctx context.Context) error {
	for _, p := range m {
		if err := p.Ping(ctx); err != nil {
			return err
		}
	}
	return nil
}

// HTTPCheck pings a model endpoint with GET (OpenAI-compatible /models).
type HTTPCheck struct {
	// URL is fetched; any answer below 500 counts as reachable.
	URL string
	// Bearer is sent as Authorization when set.
	Bearer string
	// Client is used; nil means http.DefaultClient.
	Client *http.Client
}

// Ping fetches URL.
func (h *HTTPCheck) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
	if err != nil {
		return err
	}
	if h.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+h.Bearer)
	}
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("addin: model check: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("addin: model check: status %d", resp.StatusCode)
	}
	return nil
}

// readGraphCertificate loads the app registration's certificate and key.
func readGraphCertificate(certFile, keyFile string) (*graph.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, err
	}
	return graph.ParseCertificate(certPEM, keyPEM)
}
