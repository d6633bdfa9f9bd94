package config

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"net/netip"
	"net/url"
	"strings"

	"github.com/plume-admin/plume/privacy"
)

// This file checks the configuration; each error names its key.

// Validate checks the configuration of a server; each error names the
// offending key.
func (c *Config) Validate() error { return c.validate(true) }

func (c *Config) validate(serving bool) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrConfig, key, fmt.Sprintf(format, args...)))
	}
	if c.Server.TLSCert != "" && c.Server.TLSKey == "" || c.Server.TLSCert == "" && c.Server.TLSKey != "" {
		bad("server.tls_cert", "server.tls_cert and server.tls_key must be set together")
	}
	if _, err := url.Parse(c.Server.PublicURL); err != nil || !strings.HasPrefix(c.Server.PublicURL, "http") {
		bad("server.public_url", "must be an http(s) URL, got %q", c.Server.PublicURL)
	}
	if c.Server.DrainDelay < 0 {
		bad("server.drain_delay", "must be positive")
	}
	if c.Server.ShutdownTimeout < 0 {
		bad("server.shutdown_timeout", "must be positive")
	}
	for i, o := range c.Server.CORSOrigins {
		if o == "*" {
			bad(fmt.Sprintf("server.cors_origins[%d]", i), "wildcard origin is not allowed; list the add-in origins")
		} else if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			bad(fmt.Sprintf("server.cors_origins[%d]", i), "must be an origin like https://outlook.office.com, got %q", o)
		}
	}
	if serving && !c.Auth.Demo && len(c.Auth.Issuers) == 0 && len(c.Auth.StaticTokens) == 0 {
		bad("auth.issuers", "no way to authenticate: configure at least one issuer (or auth.static_tokens for development)")
	}
	if c.Auth.DemoEmail != "" {
		if a, err := netmail.ParseAddress(c.Auth.DemoEmail); err != nil || a.Address != c.Auth.DemoEmail {
			bad("auth.demo_email", "must be a bare e-mail address like agent@example.gouv.fr, got %q", c.Auth.DemoEmail)
		}
	}
	for i, is := range c.Auth.Issuers {
		k := fmt.Sprintf("auth.issuers[%d]", i)
		if u, err := url.Parse(is.Issuer); err != nil || u.Scheme == "" || u.Host == "" {
			bad(k+".issuer", "must be an absolute URL, got %q", is.Issuer)
		}
		if len(is.Audiences) == 0 {
			bad(k+".audiences", "at least one audience is required")
		}
		if IsTemplateIssuer(is.Issuer) && len(is.Tenants) == 0 {
			bad(k+".tenants", `the multi-tenant form needs the accepted tenant ids (or ["*"] for any tenant)`)
		}
		for _, a := range is.Algorithms {
			if !allowedAlgs[a] {
				bad(k+".algorithms", "unsupported algorithm %q (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)", a)
			}
		}
	}
	for i, st := range c.Auth.StaticTokens {
		k := fmt.Sprintf("auth.static_tokens[%d]", i)
		if len(st.Token) < 16 {
			bad(k+".token", "must be at least 16 characters")
		}
		if st.User == "" {
			bad(k+".user", "is required")
		}
	}
	if c.Mail.NoRaw && c.Mail.Source == "raw" {
		bad("mail.no_raw", "raw references are the only source when mail.source is raw")
	}
	switch c.Mail.Source {
	case "raw":
	case "graph":
		if c.Mail.Graph.ClientID == "" {
			bad("mail.graph.client_id", "is required when mail.source is graph")
		}
	case "imap":
		if c.Mail.IMAP.Addr == "" {
			bad("mail.imap.addr", "is required when mail.source is imap")
		}
	default:
		bad("mail.source", "must be imap, graph or raw, got %q", c.Mail.Source)
	}
	if g := c.Mail.Graph; (g.CertFile == "") != (g.KeyFile == "") {
		bad("mail.graph.cert_file", "cert_file and key_file go together")
	}
	switch c.Mail.IMAP.Security {
	case "tls", "starttls", "none":
	default:
		bad("mail.imap.security", "must be tls, starttls or none, got %q", c.Mail.IMAP.Security)
	}
	switch c.Mail.IMAP.Auth {
	case "oauthbearer", "xoauth2", "plain":
	case "master":
		if c.Mail.Source == "imap" && (c.Mail.IMAP.MasterUser == "" || c.Mail.IMAP.MasterPassword == "") {
			bad("mail.imap.master_user", "master_user and master_password are required when mail.imap.auth is master")
		}
	default:
		bad("mail.imap.auth", "must be oauthbearer, xoauth2, master or plain, got %q", c.Mail.IMAP.Auth)
	}
	if c.Mail.MaxRawBytes < 0 {
		bad("mail.max_raw_bytes", "must be positive")
	}
	names := map[string]bool{}
	for i, e := range c.LLM.Endpoints {
		k := fmt.Sprintf("llm.endpoints[%d]", i)
		if names[e.Name] {
			bad(k+".name", "duplicate endpoint name %q", e.Name)
		}
		names[e.Name] = true
		if e.Name == "offline" {
			bad(k+".name", `"offline" names the offline engine; choose another name`)
		}
		switch e.Kind {
		case "openai", "ollama", "mistral":
		default:
			bad(k+".kind", "must be openai, ollama or mistral, got %q", e.Kind)
		}
		if e.Model == "" {
			bad(k+".model", "is required")
		}
		if e.Kind != "mistral" {
			if u, err := url.Parse(e.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
				bad(k+".base_url", "must be an absolute URL, got %q", e.BaseURL)
			}
		}
		for _, t := range e.Tasks {
			switch t {
			case "summary", "reply", "document", "action", "draft", "ask":
			default:
				bad(k+".tasks", "unknown task %q (summary, reply, document, action, draft, ask)", t)
			}
		}
	}
	errs = append(errs, c.validateOrganisation()...)
	for i, tp := range c.Server.TrustedProxies {
		if _, err := netip.ParsePrefix(tp); err != nil {
			if _, err := netip.ParseAddr(tp); err != nil {
				bad(fmt.Sprintf("server.trusted_proxies[%d]", i), "must be an address or a CIDR prefix, got %q", tp)
			}
		}
	}
	if c.Limits.RequestsPerMinute < 0 {
		bad("limits.requests_per_minute", "must be positive")
	}
	if c.Limits.DocumentTokens < 0 {
		bad("limits.document_tokens", "must be positive")
	}
	if c.Cache.RedisURL != "" {
		if u, err := url.Parse(c.Cache.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			bad("cache.redis_url", "must be a redis:// or rediss:// URL")
		}
	}
	for i, p := range c.Privacy.PIIPatterns {
		key := fmt.Sprintf("privacy.pii_patterns[%d]", i)
		if err := p.Validate(); err != nil {
			bad(key, "%s", strings.TrimPrefix(err.Error(), "privacy: "))
		}
	}
	if err := (privacy.PIIOptions{Kinds: c.Privacy.PIIKinds}).Validate(); err != nil {
		bad("privacy.pii_kinds", "%s", strings.TrimPrefix(err.Error(), "privacy: "))
	}
	switch c.Panel.BannerSummary {
	case BannerOnRequest, BannerAutomatic:
	default:
		bad("panel.banner_summary", "must be on_request or automatic, got %q", c.Panel.BannerSummary)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "json", "text":
	default:
		bad("log.format", "must be json or text, got %q", c.Log.Format)
	}
	return errors.Join(errs...)
}

// allowedAlgs is the JWT signature allow-list; "none" and HMAC are never accepted.
var allowedAlgs = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true, "PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true, "EdDSA": true,
}
