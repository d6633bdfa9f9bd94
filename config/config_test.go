package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigEnvOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plume.yaml")
	yaml := `
server:
  listen: ":9000"
auth:
  static_tokens:
    - {token: "dev-token-0123456789", user: "agent"}
mail:
  source: imap
  imap: {addr: "imap.example:993"}
llm:
  endpoints:
    - {name: albert, base_url: "https://albert.example/v1", model: "albert-large", cleared: ["DIFFUSION RESTREINTE"]}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, map[string]string{
		"PLUME_SERVER_LISTEN":              "127.0.0.1:7000",
		"PLUME_SERVER_CORS_ORIGINS":        "https://outlook.office.com, https://outlook.office365.com",
		"PLUME_LIMITS_REQUESTS_PER_MINUTE": "5",
		"PLUME_SERVER_STREAM_TIMEOUT":      "2m",
		"PLUME_CACHE_REDIS_URL":            "redis://redis:6379/0",
		"PLUME_LLM_MODEL":                  "mistral-small",
		"PLUME_PANEL_BANNER_SUMMARY":       "automatic",
		"HOME":                             "/root",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "127.0.0.1:7000" || len(cfg.Server.CORSOrigins) != 2 ||
		cfg.Limits.RequestsPerMinute != 5 || cfg.Server.StreamTimeout != 2*time.Minute ||
		cfg.Cache.RedisURL != "redis://redis:6379/0" || cfg.Panel.BannerSummary != BannerAutomatic {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
	if e := cfg.LLM.Endpoints[0]; e.Model != "mistral-small" || e.Name != "albert" || e.Kind != "openai" {
		t.Fatalf("endpoint = %+v", e)
	}
	if cfg.Server.RequestTimeout != 120*time.Second || cfg.Auth.Issuers != nil {
		t.Fatalf("defaults not applied: %+v", cfg.Server)
	}
	if def, err := Load(path, nil); err != nil || def.Panel.BannerSummary != BannerOnRequest {
		t.Fatalf("panel.banner_summary's default: %v %+v", err, def)
	}
}

var configErrorTests = []struct {
	name string
	yaml string
	env  map[string]string
	key  string
}{
	{"no auth", "mail: {source: raw}", nil, "auth.issuers"},
	{"pii pattern regex", "auth: {demo: true}\nprivacy: {pii_patterns: [{name: usager, regex: 'DU-(\\d+'}]}", nil, "privacy.pii_patterns[0]"},
	{"pii pattern empty match", "auth: {demo: true}\nprivacy: {pii_patterns: [{name: usager, regex: 'x*'}]}", nil, "privacy.pii_patterns[0]"},
	{"pii pattern no name", "auth: {demo: true}\nprivacy: {pii_patterns: [{regex: 'DU-\\d+'}]}", nil, "privacy.pii_patterns[0]"},
	{"pii kind", "auth: {demo: true}\nprivacy: {pii_kinds: [passeport-diplomatique]}", nil, "privacy.pii_kinds"},
	{"multi-tenant without tenants", "auth: {issuers: [{issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', audiences: [api://plume]}]}", nil, "auth.issuers[0].tenants"},
	{"endpoint named offline", "auth: {demo: true}\nllm: {endpoints: [{name: offline, base_url: 'http://127.0.0.1:1/v1', model: m}]}", nil, "llm.endpoints[0].name"},
	{"demo email not an address", "auth: {demo: true, demo_email: 'Julien Caron'}", nil, "auth.demo_email"},
	{"demo email with a name", "auth: {demo: true, demo_email: 'Julien <j@x.example>'}", nil, "auth.demo_email"},
	{"unknown key", "server: {listn: x}", nil, "listn"},
	{"procedure silence", "auth: {demo: true}\norganisation: {procedures: [{name: a, silence: oui, delay_months: 2}]}", nil, "organisation.procedures[0]"},
	{"procedure delay", "auth: {demo: true}\norganisation: {procedures: [{name: a, silence: rejet}]}", nil, "organisation.procedures[0]"},
	{"organisation email", "auth: {demo: true}\norganisation: {email: 'Bureau <b@x.example>'}", nil, "organisation.email"},
	{"bad source", "auth: {demo: true}\nmail: {source: pop3}", nil, "mail.source"},
	{"imap without addr", "auth: {demo: true}\nmail: {source: imap}", nil, "mail.imap.addr"},
	{"graph cert without key", "auth: {demo: true}\nmail: {source: graph, graph: {client_id: c, cert_file: /x.pem}}", nil, "mail.graph.cert_file"},
	{"issuer without audience", "auth: {issuers: [{issuer: 'https://idp.example'}]}", nil, "auth.issuers[0].audiences"},
	{"alg none", "auth: {issuers: [{issuer: 'https://idp.example', audiences: [a], algorithms: [none]}]}", nil, "auth.issuers[0].algorithms"},
	{"hmac", "auth: {issuers: [{issuer: 'https://idp.example', audiences: [a], algorithms: [HS256]}]}", nil, "auth.issuers[0].algorithms"},
	{"wildcard cors", "auth: {demo: true}\nserver: {cors_origins: ['*']}", nil, "server.cors_origins[0]"},
	{"short static token", "auth: {static_tokens: [{token: abc, user: u}]}", nil, "auth.static_tokens[0].token"},
	{"endpoint without model", "auth: {demo: true}\nllm: {endpoints: [{base_url: 'http://m'}]}", nil, "llm.endpoints[0].model"},
	{"bad env int", "auth: {demo: true}", map[string]string{"PLUME_LIMITS_REQUESTS_PER_MINUTE": "lots"}, "PLUME_LIMITS_REQUESTS_PER_MINUTE"},
	{"bad env duration", "auth: {demo: true}", map[string]string{"PLUME_SERVER_REQUEST_TIMEOUT": "10"}, "PLUME_SERVER_REQUEST_TIMEOUT"},
	{"negative drain delay", "auth: {demo: true}\nserver: {drain_delay: -1s}", nil, "server.drain_delay"},
	{"banner summary", "auth: {demo: true}\npanel: {banner_summary: always}", nil, "panel.banner_summary"},
	{"bad redis url", "auth: {demo: true}\ncache: {redis_url: 'http://x'}", nil, "cache.redis_url"},
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	for _, tt := range configErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plume.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, tt.env)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("error %q does not name %q", err, tt.key)
			}
		})
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	env := map[string]string{"PLUME_PRIVACY_AUDIT_PATH": "off"}
	cfg, err := Load(filepath.Join("..", "plume.example.yaml"), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Auth.Issuers) == 0 || len(cfg.LLM.Endpoints) == 0 || len(cfg.Actions) == 0 || len(cfg.Organisation.Procedures) == 0 {
		t.Fatalf("example lacks issuers, endpoints or actions: %+v", cfg)
	}
}

// FuzzParse: no YAML and no environment value makes loading panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("server: {listen: ':8080'}\nauth: {demo: true}"), "PLUME_LIMITS_REQUESTS_PER_MINUTE", "12")
	f.Add([]byte("llm: {endpoints: [{name: a, model: m, base_url: 'http://x'}]}"), "PLUME_LLM_CLEARED", "DIFFUSION RESTREINTE,*")
	f.Add([]byte("auth: {issuers: [{issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', audiences: [a]}]}"), "PLUME_SERVER_STREAM_TIMEOUT", "-1s")
	f.Fuzz(func(t *testing.T, data []byte, key, val string) {
		cfg := &Config{}
		if err := Parse(data, cfg); err != nil {
			return
		}
		if err := cfg.ApplyEnv(map[string]string{key: val}); err != nil {
			return
		}
		cfg.Defaults()
		_ = cfg.Validate()
	})
}
