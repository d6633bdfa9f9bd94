package addin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	netmail "net/mail"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/manifest"
)

// ErrConfig reports an invalid configuration; the message names the key.
var ErrConfig = errors.New("addin: invalid configuration")

// Config is the content of plume.yaml. Every field has a documented default
// applied by [Config.Defaults]; see plume.example.yaml at the repository root.
type Config struct {
	Server  ServerConfig  `yaml:"server"`
	Auth    AuthConfig    `yaml:"auth"`
	Mail    MailConfig    `yaml:"mail"`
	LLM     LLMConfig     `yaml:"llm"`
	Privacy PrivacyConfig `yaml:"privacy"`
	Limits  LimitsConfig  `yaml:"limits"`
	Cache   CacheConfig   `yaml:"cache"`
	Log     LogConfig     `yaml:"log"`
	// Actions are the organisation's named actions offered in the panel.
	Actions []assist.ActionDef `yaml:"actions"`
	// Manifest describes the add-in for the manifests served at /manifest.xml,
	// /manifest.json, /outlook-app.zip and /plume.xpi; base_url defaults to server.public_url.
	Manifest manifest.Options `yaml:"manifest"`
}

// ServerConfig is the HTTP listener and its browser-facing settings.
type ServerConfig struct {
	// Listen is the address to listen on; default ":8080".
	Listen string `yaml:"listen"`
	// PublicURL is the URL the panels reach, used in manifests; default "http://127.0.0.1:8080".
	PublicURL string `yaml:"public_url"`
	// CORSOrigins are the add-in origins allowed to call the API from a browser.
	CORSOrigins []string `yaml:"cors_origins"`
	// ReadHeaderTimeout bounds reading request headers; default 10s.
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	// ReadTimeout bounds reading a whole request; default 30s.
	ReadTimeout time.Duration `yaml:"read_timeout"`
	// IdleTimeout bounds keep-alive idle connections; default 120s.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// RequestTimeout bounds one JSON request, model call included; default 120s.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// StreamTimeout bounds one SSE stream; default 300s.
	StreamTimeout time.Duration `yaml:"stream_timeout"`
	// Heartbeat is the interval of SSE ": ping" comments; default 15s.
	Heartbeat time.Duration `yaml:"heartbeat"`
	// TLSCert and TLSKey enable HTTPS when both are set.
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
}

// AuthConfig says who may call the API.
type AuthConfig struct {
	// Issuers are the trusted OIDC issuers.
	Issuers []IssuerConfig `yaml:"issuers"`
	// StaticTokens are fixed bearer tokens for development; never in production.
	StaticTokens []StaticToken `yaml:"static_tokens"`
	// Demo accepts unauthenticated loopback requests as one demo user (plume demo only).
	Demo bool `yaml:"demo"`
	// DemoUser is the demo user's login; default "agent".
	DemoUser string `yaml:"demo_user"`
	// DemoEmail is the demo user's e-mail address (plume demo: the demo
	// mailbox owner's), so that replies are signed by the mailbox owner;
	// default none (the replier is then inferred from the thread).
	DemoEmail string `yaml:"demo_email"`
	// Leeway is the clock skew tolerated on exp and nbf; default 60s.
	Leeway time.Duration `yaml:"leeway"`
}

// IssuerConfig is one trusted OIDC issuer.
type IssuerConfig struct {
	// Issuer is the exact "iss" value. The Entra ID multi-tenant form
	// "https://login.microsoftonline.com/{tenantid}/v2.0" accepts any tenant
	// listed in Tenants (or any tenant when Tenants is empty).
	Issuer string `yaml:"issuer"`
	// Discovery is the base URL whose /.well-known/openid-configuration is read;
	// default Issuer, or ".../organizations/v2.0" for the multi-tenant form.
	Discovery string `yaml:"discovery"`
	// Audiences are the accepted "aud" values; at least one is required.
	Audiences []string `yaml:"audiences"`
	// UserClaim is the claim naming the user; default "preferred_username".
	UserClaim string `yaml:"user_claim"`
	// EmailClaim is the claim holding the e-mail address; default "email".
	EmailClaim string `yaml:"email_claim"`
	// Algorithms is the signature algorithm allow-list; default RS256.
	Algorithms []string `yaml:"algorithms"`
	// Tenants restricts the multi-tenant form to these tenant ids.
	Tenants []string `yaml:"tenants"`
}

// StaticToken maps one development bearer token to a user.
type StaticToken struct {
	Token string `yaml:"token"`
	User  string `yaml:"user"`
	Email string `yaml:"email"`
}

// MailConfig says where mail is read.
type MailConfig struct {
	// Source is the main source: "imap", "graph" or "raw" (the panel sends
	// the MIME); default "raw". Raw references always work; IMAP and Graph
	// references work whenever their section is configured.
	Source string `yaml:"source"`
	// MaxRawBytes caps a raw MIME message sent by the panel; default 25 MiB.
	MaxRawBytes int64 `yaml:"max_raw_bytes"`
	// IMAP is the IMAP server; IMAP references work when imap.addr is set.
	IMAP IMAPConfig `yaml:"imap"`
	// Graph is Microsoft Graph; Graph references work when graph.client_id is set.
	Graph GraphConfig `yaml:"graph"`
}

// GraphConfig is Plume's app registration for reading mail through
// Microsoft Graph on behalf of the caller.
type GraphConfig struct {
	// TenantID is the directory id, or "organizations" (default) for multi-tenant.
	TenantID string `yaml:"tenant_id"`
	// ClientID is Plume's application (client) id: the API the panel's token is for.
	ClientID string `yaml:"client_id"`
	// ClientSecret authenticates Plume for the on-behalf-of exchange; prefer ClientSecretEnv.
	ClientSecret string `yaml:"client_secret"`
	// ClientSecretEnv names an environment variable holding the secret.
	ClientSecretEnv string `yaml:"client_secret_env"`
	// CertFile and KeyFile are a PEM certificate registered on the app
	// registration and its RSA key; when set they replace the secret
	// (a signed client assertion).
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// BaseURL is Graph's root; default https://graph.microsoft.com/v1.0.
	BaseURL string `yaml:"base_url"`
	// Authority is the token authority; default https://login.microsoftonline.com.
	Authority string `yaml:"authority"`
}

// IMAPConfig is the IMAP server Plume reads from.
type IMAPConfig struct {
	// Addr is host:port.
	Addr string `yaml:"addr"`
	// Security is "tls" (default), "starttls" or "none" (loopback only).
	Security string `yaml:"security"`
	// Auth is "oauthbearer" (default: the user's token), "xoauth2", "master" or "plain".
	Auth string `yaml:"auth"`
	// MasterUser and MasterPassword log in as "user*master" when Auth is "master".
	MasterUser     string `yaml:"master_user"`
	MasterPassword string `yaml:"master_password"`
	// Password is the shared password when Auth is "plain" (demo and tests).
	Password string `yaml:"password"`
	// Timeout bounds one IMAP operation; default 20s.
	Timeout time.Duration `yaml:"timeout"`
	// PoolSize is the number of idle logged-in connections kept per user; default 2, -1 disables.
	PoolSize int `yaml:"pool_size"`
	// CAFile is a PEM bundle of extra trusted roots; default the system roots.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify disables certificate checks (tests only).
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// LLMConfig lists the model endpoints.
type LLMConfig struct {
	// Endpoints are the models; none means the offline engine only.
	Endpoints []EndpointConfig `yaml:"endpoints"`
	// Timeout bounds one model call; default 90s.
	Timeout time.Duration `yaml:"timeout"`
}

// EndpointConfig is one model endpoint and what it is cleared for.
type EndpointConfig struct {
	// Name identifies the endpoint in logs, audit and /me.
	Name string `yaml:"name"`
	// Kind is "openai" (default: any OpenAI-compatible API), "ollama" or "mistral".
	Kind string `yaml:"kind"`
	// BaseURL is the API base URL, e.g. "https://albert.api.etalab.gouv.fr/v1".
	BaseURL string `yaml:"base_url"`
	// Model is the model name.
	Model string `yaml:"model"`
	// APIKey is the key; prefer APIKeyEnv.
	APIKey string `yaml:"api_key"`
	// APIKeyEnv names an environment variable holding the key.
	APIKeyEnv string `yaml:"api_key_env"`
	// ContextWindow and MaxOutput are token budgets; defaults from assist.
	ContextWindow int `yaml:"context_window"`
	MaxOutput     int `yaml:"max_output"`
	// Tasks are the tasks this endpoint serves; empty means all.
	Tasks []string `yaml:"tasks"`
	// Cleared lists the markings this endpoint may receive, e.g. "DIFFUSION RESTREINTE".
	Cleared []string `yaml:"cleared"`
	// Pseudonymize turns PII pseudonymisation on or off for this endpoint; default on.
	Pseudonymize *bool `yaml:"pseudonymize"`
}

// PrivacyConfig configures the privacy guard.
type PrivacyConfig struct {
	// MarkingTerms are extra protection markings to detect.
	MarkingTerms []string `yaml:"marking_terms"`
	// MarkingHeaders are extra headers read for markings, e.g. "X-Classification".
	MarkingHeaders []string `yaml:"marking_headers"`
	// PIIDisabled turns pseudonymisation off for the whole deployment.
	PIIDisabled bool `yaml:"pii_disabled"`
	// PIIKinds restricts pseudonymisation to these kinds; empty means all.
	PIIKinds []string `yaml:"pii_kinds"`
	// AuditPath is where audit JSON lines go: a file path, "-" for stdout (default) or "off".
	AuditPath string `yaml:"audit_path"`
	// AuditSalt salts the hashed user ids in audit records; default random per process.
	AuditSalt string `yaml:"audit_salt"`
}

// LimitsConfig caps what one user may ask.
type LimitsConfig struct {
	// RequestsPerMinute is the per-user rate limit of API calls; default 30.
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// MaxBodyBytes caps a JSON request body; default 1 MiB (raw MIME: mail.max_raw_bytes).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxUploadBytes caps a multipart attachment upload; default 25 MiB.
	MaxUploadBytes int64 `yaml:"max_upload_bytes"`
	// ThreadsLimit caps GET /threads; default 50.
	ThreadsLimit int `yaml:"threads_limit"`
}

// CacheConfig configures the shared result cache and rate-limit counters.
type CacheConfig struct {
	// RedisURL, e.g. "redis://redis:6379/0", shares the cache and rate limits
	// between replicas; empty uses memory.
	RedisURL string `yaml:"redis_url"`
	// TTL is how long a result is kept; default 24h. 0 after defaults disables nothing.
	TTL time.Duration `yaml:"ttl"`
	// Disabled turns the result cache off.
	Disabled bool `yaml:"disabled"`
}

// LogConfig configures the log.
type LogConfig struct {
	// Level is "debug", "info" (default), "warn" or "error".
	Level string `yaml:"level"`
	// Format is "json" (default) or "text".
	Format string `yaml:"format"`
}

// LoadConfig reads path (may be "" for defaults only), applies PLUME_*
// overrides from env, fills defaults and validates.
func LoadConfig(path string, env map[string]string) (*Config, error) {
	cfg := &Config{}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if err := ParseConfig(data, cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.ApplyEnv(env); err != nil {
		return nil, err
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ParseConfig decodes YAML into cfg; unknown keys are errors that name the key.
func ParseConfig(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// ApplyEnv applies PLUME_* variables. Every scalar key has one: the YAML path
// in upper case joined by "_" (server.listen → PLUME_SERVER_LISTEN; lists are
// comma-separated). PLUME_LLM_BASE_URL, PLUME_LLM_MODEL, PLUME_LLM_API_KEY,
// PLUME_LLM_KIND, PLUME_LLM_NAME and PLUME_LLM_CLEARED set the first endpoint.
func (c *Config) ApplyEnv(env map[string]string) error {
	keys := make([]string, 0, len(env))
	for k := range env {
		if strings.HasPrefix(k, "PLUME_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := env[k]
		if ok, err := c.applyEndpointEnv(k, v); ok || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := setByEnv(reflect.ValueOf(c).Elem(), "PLUME", k, v); err != nil {
			return err
		}
	}
	return nil
}

// applyEndpointEnv handles the PLUME_LLM_* shortcuts for the first endpoint.
func (c *Config) applyEndpointEnv(k, v string) (bool, error) {
	field := map[string]string{
		"PLUME_LLM_BASE_URL": "base_url", "PLUME_LLM_MODEL": "model", "PLUME_LLM_API_KEY": "api_key",
		"PLUME_LLM_KIND": "kind", "PLUME_LLM_NAME": "name", "PLUME_LLM_CLEARED": "cleared",
	}[k]
	if field == "" || v == "" {
		return field != "", nil
	}
	if len(c.LLM.Endpoints) == 0 {
		c.LLM.Endpoints = append(c.LLM.Endpoints, EndpointConfig{})
	}
	e := &c.LLM.Endpoints[0]
	switch field {
	case "base_url":
		e.BaseURL = v
	case "model":
		e.Model = v
	case "api_key":
		e.APIKey = v
	case "kind":
		e.Kind = v
	case "name":
		e.Name = v
	case "cleared":
		e.Cleared = splitList(v)
	}
	return true, nil
}

// setByEnv walks v's yaml-tagged fields looking for the one named key.
func setByEnv(v reflect.Value, prefix, key, val string) (bool, error) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		name := prefix + "_" + strings.ToUpper(tag)
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			if strings.HasPrefix(key, name+"_") {
				if ok, err := setByEnv(fv, name, key, val); ok || err != nil {
					return ok, err
				}
			}
			continue
		}
		if name != key {
			continue
		}
		if err := setScalar(fv, val); err != nil {
			return true, fmt.Errorf("%w: %s: %w", ErrConfig, key, err)
		}
		return true, nil
	}
	return false, nil
}

// setScalar parses s into a string, bool, int, duration or string list field.
func setScalar(fv reflect.Value, s string) error {
	switch {
	case fv.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(s)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case fv.Kind() == reflect.Int || fv.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		fv.Set(reflect.ValueOf(splitList(s)))
	default:
		return errors.New("cannot be set from the environment; use plume.yaml")
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Defaults fills every zero field with its documented default.
func (c *Config) Defaults() {
	s := &c.Server
	def(&s.Listen, ":8080")
	def(&s.PublicURL, "http://127.0.0.1:8080")
	defD(&s.ReadHeaderTimeout, 10*time.Second)
	defD(&s.ReadTimeout, 30*time.Second)
	defD(&s.IdleTimeout, 120*time.Second)
	defD(&s.RequestTimeout, 120*time.Second)
	defD(&s.StreamTimeout, 300*time.Second)
	defD(&s.Heartbeat, 15*time.Second)
	def(&c.Auth.DemoUser, "agent")
	defD(&c.Auth.Leeway, time.Minute)
	for i := range c.Auth.Issuers {
		is := &c.Auth.Issuers[i]
		def(&is.UserClaim, "preferred_username")
		def(&is.EmailClaim, "email")
		if len(is.Algorithms) == 0 {
			is.Algorithms = []string{"RS256"}
		}
		if is.Discovery == "" {
			is.Discovery = is.Issuer
			if isTemplateIssuer(is.Issuer) {
				is.Discovery = strings.Replace(is.Issuer, tenantPlaceholder, "organizations", 1)
			}
		}
	}
	def(&c.Mail.Source, "raw")
	defI64(&c.Mail.MaxRawBytes, 25<<20)
	def(&c.Mail.IMAP.Security, "tls")
	def(&c.Mail.IMAP.Auth, "oauthbearer")
	defD(&c.Mail.IMAP.Timeout, 20*time.Second)
	if c.Mail.IMAP.PoolSize == 0 {
		c.Mail.IMAP.PoolSize = 2
	}
	defD(&c.LLM.Timeout, 90*time.Second)
	for i := range c.LLM.Endpoints {
		e := &c.LLM.Endpoints[i]
		def(&e.Kind, "openai")
		if e.Name == "" {
			e.Name = e.Model
			if e.Name == "" {
				e.Name = "default"
			}
		}
	}
	def(&c.Privacy.AuditPath, "-")
	if c.Limits.RequestsPerMinute == 0 {
		c.Limits.RequestsPerMinute = 30
	}
	defI64(&c.Limits.MaxBodyBytes, 1<<20)
	defI64(&c.Limits.MaxUploadBytes, 25<<20)
	if c.Limits.ThreadsLimit == 0 {
		c.Limits.ThreadsLimit = 50
	}
	defD(&c.Cache.TTL, 24*time.Hour)
	def(&c.Log.Level, "info")
	def(&c.Log.Format, "json")
}

func def(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func defD(p *time.Duration, v time.Duration) {
	if *p == 0 {
		*p = v
	}
}

func defI64(p *int64, v int64) {
	if *p == 0 {
		*p = v
	}
}

// Validate checks the configuration; each error names the offending key.
func (c *Config) Validate() error {
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
	for i, o := range c.Server.CORSOrigins {
		if o == "*" {
			bad(fmt.Sprintf("server.cors_origins[%d]", i), "wildcard origin is not allowed; list the add-in origins")
		} else if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			bad(fmt.Sprintf("server.cors_origins[%d]", i), "must be an origin like https://outlook.office.com, got %q", o)
		}
	}
	if !c.Auth.Demo && len(c.Auth.Issuers) == 0 && len(c.Auth.StaticTokens) == 0 {
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
			case "summary", "reply", "document", "action":
			default:
				bad(k+".tasks", "unknown task %q (summary, reply, document, action)", t)
			}
		}
	}
	if c.Limits.RequestsPerMinute < 0 {
		bad("limits.requests_per_minute", "must be positive")
	}
	if c.Cache.RedisURL != "" {
		if u, err := url.Parse(c.Cache.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			bad("cache.redis_url", "must be a redis:// or rediss:// URL")
		}
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
