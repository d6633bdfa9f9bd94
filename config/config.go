package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/manifest"
	"github.com/plume-admin/plume/privacy"
)

// ErrConfig reports an invalid configuration; the message names the key.
var ErrConfig = errors.New("config: invalid configuration")

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
	// Panel is what the panels and the Thunderbird banner do by themselves.
	Panel PanelConfig `yaml:"panel"`
	// Actions are the organisation's named actions offered in the panel.
	Actions []assist.ActionDef `yaml:"actions"`
	// Organisation is what courriers, notes and accusés de réception say
	// of the organisation: bloc-marque, service and contact, signature and
	// delegation, closings, and the procedures with their silence rule.
	Organisation assist.Organisation `yaml:"organisation"`
	// Manifest describes the add-in for the manifests served at /manifest.xml,
	// /manifest.json, /outlook-app.zip and /plume.xpi; base_url defaults to server.public_url.
	Manifest manifest.Options `yaml:"manifest"`
}

// TenantPlaceholder is the Entra ID multi-tenant issuer placeholder.
const TenantPlaceholder = "{tenantid}"

// IsTemplateIssuer reports whether iss is a multi-tenant issuer template.
func IsTemplateIssuer(iss string) bool { return strings.Contains(iss, TenantPlaceholder) }

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
	// DrainDelay is how long, after SIGTERM or SIGINT, /readyz answers 503
	// while requests are still accepted, so that load balancers stop sending
	// new ones before the listener closes; default 5s.
	DrainDelay time.Duration `yaml:"drain_delay"`
	// ShutdownTimeout is how long, once the listener is closed, requests and
	// streams in flight may take to finish before they are cut; default 20s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// MetricsToken, when set, is the bearer token /metrics asks of the
	// scraper; empty serves /metrics to anyone who reaches the server
	// (keep it then on a network only the monitoring reaches).
	MetricsToken string `yaml:"metrics_token"`
	// TrustedProxies are the reverse proxies (addresses or CIDR prefixes)
	// whose X-Forwarded-For names the client, for the limit on failed
	// authentications; none by default (the peer address is the client).
	TrustedProxies []string `yaml:"trusted_proxies"`
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
	// listed in Tenants ("*": any tenant, said explicitly).
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
	// Tenants lists the tenant ids the multi-tenant form accepts; required
	// with that form (["*"] accepts any tenant).
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
	// NoRaw refuses raw MIME references: the panels send Message-IDs or
	// Graph ids only (no Thunderbird raw mode), and the task routes then
	// accept bodies up to limits.max_body_bytes instead of a whole message.
	NoRaw bool `yaml:"no_raw"`
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
	// Timeout is how long the IMAP server may stay silent during one
	// operation; default 20s. A server that keeps sending (Dovecot's
	// progress while it searches a large folder) is given more time, up to
	// TotalTimeout.
	Timeout time.Duration `yaml:"timeout"`
	// TotalTimeout bounds reading one thread or attachment, however busy
	// the server is; default 90s (below server.request_timeout). Reached
	// while the server still works, the agent is told to retry in a
	// minute (problem mail_busy), not that the server is down.
	TotalTimeout time.Duration `yaml:"total_timeout"`
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
	// PIIPatterns are the organisation's own identifiers to pseudonymise:
	// name, regex (RE2) and cue words one of which must precede a match
	// (none: every match). Kind "org", placeholder [IDENTIFIANT_n].
	PIIPatterns []privacy.Pattern `yaml:"pii_patterns"`
	// AuditPath is where audit JSON lines go: a file path, "-" for stdout (default) or "off".
	AuditPath string `yaml:"audit_path"`
	// AuditSalt salts the hashed user ids in audit records; default random per process.
	AuditSalt string `yaml:"audit_salt"`
}

// LimitsConfig caps what one user may ask.
type LimitsConfig struct {
	// RequestsPerMinute is the per-user rate limit of API calls; default 30.
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// AuthFailuresPerMinute is how many failed authentications one client
	// address may make in a minute before it is answered 429 without its
	// token being looked at; default 60, -1 disables. Behind a reverse
	// proxy, list it in server.trusted_proxies, or every client shares the
	// proxy's address.
	AuthFailuresPerMinute int `yaml:"auth_failures_per_minute"`
	// MaxBodyBytes caps a JSON request body; default 1 MiB (raw MIME: mail.max_raw_bytes).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxUploadBytes caps a multipart attachment upload; default 25 MiB.
	MaxUploadBytes int64 `yaml:"max_upload_bytes"`
	// ThreadsLimit caps GET /threads; default 50.
	ThreadsLimit int `yaml:"threads_limit"`
	// DocumentTokens is the token budget of one document summary; a longer
	// document is summarised from a selection (headings, first sentences,
	// tables shortened), and says so; default 60000.
	DocumentTokens int `yaml:"document_tokens"`
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

// The values of panel.banner_summary.
const (
	// BannerOnRequest: the Thunderbird banner summarises on « Résumer » only.
	BannerOnRequest = "on_request"
	// BannerAutomatic: the banner asks for the summary as soon as an
	// ordinary message is displayed (never a marked one).
	BannerAutomatic = "automatic"
)

// PanelConfig is what the panels and the Thunderbird banner do by themselves;
// the clients read it in GET /api/v1/me (features).
type PanelConfig struct {
	// BannerSummary is when the « Plume » banner at the top of a message
	// displayed in Thunderbird summarises it: "on_request" (default, on
	// « Résumer ») or "automatic" (as soon as an ordinary message is
	// displayed, once per message; never on a marked one).
	BannerSummary string `yaml:"banner_summary"`
}

// Load reads path (may be "" for defaults only), applies PLUME_*
// overrides from env, fills defaults and validates.
func Load(path string, env map[string]string) (*Config, error) {
	return load(path, env, true)
}

// LoadCommand is Load for the command-line tools: the same file, the same
// overrides, the same defaults and checks, less what only a server needs
// (a way to authenticate callers).
func LoadCommand(path string, env map[string]string) (*Config, error) {
	return load(path, env, false)
}

func load(path string, env map[string]string, serving bool) (*Config, error) {
	cfg := &Config{}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if err := Parse(data, cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.ApplyEnv(env); err != nil {
		return nil, err
	}
	cfg.Defaults()
	if err := cfg.validate(serving); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Parse decodes YAML into cfg; unknown keys are errors that name the key.
func Parse(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}
