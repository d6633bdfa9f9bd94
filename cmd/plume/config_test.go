package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigExampleIsTheFile(t *testing.T) {
	want, err := os.ReadFile("../../plume.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"config", "example"}, nil, &out, &errb); code != 0 || out.String() != string(want) {
		t.Fatalf("exit %d, %d bytes printed, want the %d bytes of plume.example.yaml; stderr %q", code, out.Len(), len(want), errb.String())
	}
}

func TestConfigCheckExample(t *testing.T) {
	t.Setenv("PLUME_PRIVACY_AUDIT_PATH", filepath.Join(t.TempDir(), "audit.jsonl"))
	t.Setenv("ALBERT_API_KEY", "sk-secret-albert-key")
	var out, errb bytes.Buffer
	if code := run([]string{"config", "check", "--config", "../../plume.example.yaml"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"valid for plume serve",
		"imap imap.prefecture.example.gouv.fr:993",
		"1. albert: openai albert-large",
		"cleared for no marking",
		"2. interne-dr",
		"cleared for DIFFUSION RESTREINTE",
		"https://login.microsoftonline.com/{tenantid}/v2.0",
		"https://sso.interieur.example.gouv.fr/realms/agents",
		"memory (one replica)",
		"30 requests per user per minute",
		"cache.redis_url: empty",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "sk-secret-albert-key") {
		t.Errorf("summary prints the API key:\n%s", out.String())
	}
}

// configCheckCases are configurations `plume config check` refuses, with
// every key each must name.
var configCheckCases = []struct {
	name, yaml string
	env        map[string]string
	keys       []string
}{
	{"unknown key", "server: {lisen: ':80'}\n", nil, []string{"field lisen not found"}},
	{"every error at once", `
server: {tls_cert: /nonexistent/cert.pem, tls_key: /nonexistent/key.pem}
auth: {demo: true}
mail: {source: pop3, imap: {ca_file: /nonexistent/ca.pem}}
llm: {endpoints: [{name: a, base_url: "http://127.0.0.1:1/v1", api_key_env: PLUME_TEST_UNSET_KEY}]}
privacy: {audit_path: /nonexistent/dir/audit.jsonl, pii_kinds: [shoe_size]}
cache: {redis_url: "http://redis:6379"}
`, nil, []string{"server.tls_cert", "auth.demo", "mail.source", "mail.imap.ca_file", "llm.endpoints[0].model",
		"llm.endpoints[0].api_key_env", "privacy.audit_path", "privacy.pii_kinds", "cache.redis_url"}},
	{"graph without a credential", `
auth: {issuers: [{issuer: "https://sso.example.gouv.fr/realms/a", audiences: [plume]}]}
mail: {source: graph, graph: {client_id: 6f1c8a4e, client_secret_env: PLUME_TEST_UNSET_SECRET}}
privacy: {audit_path: "off"}
`, nil, []string{"mail.graph.client_secret_env"}},
	{"no way to authenticate", "privacy: {audit_path: \"off\"}\n", nil, []string{"auth.issuers"}},
}

func TestConfigCheckReportsEveryError(t *testing.T) {
	for _, tt := range configCheckCases {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plume.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := run([]string{"config", "check", "--config", path}, nil, &out, &errb)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stdout %q stderr %q", code, out.String(), errb.String())
			}
			for _, k := range tt.keys {
				if !strings.Contains(errb.String(), k) {
					t.Errorf("errors do not name %q:\n%s", k, errb.String())
				}
			}
		})
	}
}

func TestConfigCheckHidesSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plume.yaml")
	yaml := `
auth: {static_tokens: [{token: "tok-0123456789abcdef", user: agent}]}
llm: {endpoints: [{name: local, model: m, base_url: "http://127.0.0.1:1/v1", api_key: "sk-in-the-file"}]}
privacy: {audit_path: "off"}
cache: {redis_url: "redis://plume:hunter2-redis@redis:6379/0"}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"config", "check", "--config", path}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, secret := range []string{"tok-0123456789abcdef", "sk-in-the-file", "hunter2-redis"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("summary prints %q:\n%s", secret, out.String())
		}
	}
	for _, warn := range []string{"auth.static_tokens", "llm.endpoints[0].api_key", "server.public_url", "privacy.audit_path: off"} {
		if !strings.Contains(out.String(), warn) {
			t.Errorf("no warning for %s:\n%s", warn, out.String())
		}
	}
}

func TestConfigUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"config"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "plume config check") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if code := run([]string{"config", "lint"}, nil, &out, &errb); code != 2 {
		t.Fatalf("unknown subcommand: exit %d", code)
	}
}
