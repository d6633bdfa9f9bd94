package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// This file checks a configuration more deeply than loading does, for
// `plume config check`: what the server would find at start, without
// starting it or contacting anything.

// Check reads path like [Load] and reports every error at once: the key
// checks of Load plus what starting would find (files named by the
// configuration exist and parse, variables named by *_env are set, the
// privacy gate and the model clients build). It contacts no server: IMAP,
// Graph, the models, the issuers and Redis are not reached. Warnings name
// settings that work but should not reach production. The configuration is
// returned whenever the file parses, so a caller can still summarise it.
func Check(path string, env map[string]string) (*Config, []string, error) {
	cfg := &Config{}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if err := Parse(data, cfg); err != nil {
			return nil, nil, err
		}
	}
	if err := cfg.ApplyEnv(env); err != nil {
		return nil, nil, err
	}
	cfg.Defaults()
	err := errors.Join(cfg.validate(true), cfg.checkResources(env))
	return cfg, cfg.warnings(), err
}

// checkResources checks the files and variables the configuration names,
// and builds the gate and the model clients.
func (c *Config) checkResources(env map[string]string) error {
	var errs []error
	bad := func(key string, err error) {
		errs = append(errs, fmt.Errorf("%w: %s: %w", ErrConfig, key, err))
	}
	if s := c.Server; s.TLSCert != "" && s.TLSKey != "" {
		if _, err := tls.LoadX509KeyPair(s.TLSCert, s.TLSKey); err != nil {
			bad("server.tls_cert", err)
		}
	}
	if f := c.Mail.IMAP.CAFile; f != "" {
		if pem, err := os.ReadFile(f); err != nil {
			bad("mail.imap.ca_file", err)
		} else if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			bad("mail.imap.ca_file", fmt.Errorf("no PEM certificate in %s", f))
		}
	}
	if g := c.Mail.Graph; g.ClientID != "" {
		switch {
		case g.CertFile != "" && g.KeyFile != "":
			if _, err := tls.LoadX509KeyPair(g.CertFile, g.KeyFile); err != nil {
				bad("mail.graph.cert_file", err)
			}
		case g.ClientSecretEnv != "":
			if env[g.ClientSecretEnv] == "" {
				bad("mail.graph.client_secret_env", fmt.Errorf("environment variable %s is not set", g.ClientSecretEnv))
			}
		case g.ClientSecret == "":
			bad("mail.graph.client_secret", errors.New("the on-behalf-of exchange needs client_secret_env, client_secret or cert_file and key_file"))
		}
	}
	for i, e := range c.LLM.Endpoints {
		if e.APIKeyEnv != "" && env[e.APIKeyEnv] == "" {
			bad(fmt.Sprintf("llm.endpoints[%d].api_key_env", i), fmt.Errorf("environment variable %s is not set", e.APIKeyEnv))
		}
	}
	if p := c.Privacy.AuditPath; p != "-" && p != "off" {
		if st, err := os.Stat(filepath.Dir(p)); err != nil {
			bad("privacy.audit_path", err)
		} else if !st.IsDir() {
			bad("privacy.audit_path", fmt.Errorf("%s is not a directory", filepath.Dir(p)))
		} else if st, err := os.Stat(p); err == nil && !st.Mode().IsRegular() {
			bad("privacy.audit_path", fmt.Errorf("%s is not a regular file", p))
		}
	}
	if _, err := c.Gate(nil, nil, time.Now); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 { // the model clients need valid endpoints
		if _, err := c.Endpoints(env); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// warnings lists settings that work but that a production deployment
// should not keep, each led by its key.
func (c *Config) warnings() []string {
	var w []string
	add := func(key, msg string) { w = append(w, key+": "+msg) }
	if !strings.HasPrefix(c.Server.PublicURL, "https://") {
		add("server.public_url", "not https: Outlook refuses the add-in, and tokens would cross the network in clear")
	}
	if c.Server.MetricsToken == "" {
		add("server.metrics_token", "empty: /metrics answers anyone who reaches the server")
	}
	if len(c.Auth.StaticTokens) > 0 {
		add("auth.static_tokens", "development tokens are configured: remove them before opening the service")
	}
	if c.Mail.IMAP.InsecureSkipVerify {
		add("mail.imap.insecure_skip_verify", "the IMAP server's certificate is not checked")
	}
	if len(c.LLM.Endpoints) == 0 {
		add("llm.endpoints", "none: the offline engine answers (extracts, does not write)")
	}
	for i, e := range c.LLM.Endpoints {
		if e.APIKey != "" {
			add(fmt.Sprintf("llm.endpoints[%d].api_key", i), "a key written in the file: prefer api_key_env")
		}
		if e.Pseudonymize != nil && !*e.Pseudonymize {
			add(fmt.Sprintf("llm.endpoints[%d].pseudonymize", i), "false: personal data reaches this endpoint in clear")
		}
	}
	if c.Privacy.PIIDisabled {
		add("privacy.pii_disabled", "true: personal data reaches every endpoint in clear")
	}
	if c.Privacy.AuditPath == "off" {
		add("privacy.audit_path", "off: no audit trail")
	}
	if c.Privacy.AuditSalt == "" {
		add("privacy.audit_salt", "empty: hashed user ids change at each restart and differ between replicas")
	}
	if c.Cache.RedisURL == "" {
		add("cache.redis_url", "empty: cache and rate limits in memory; run a single replica")
	}
	if c.Mail.Graph.ClientSecret != "" {
		add("mail.graph.client_secret", "a secret written in the file: prefer client_secret_env or a certificate")
	}
	return w
}
