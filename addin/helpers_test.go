package addin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/privacy"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// testConfig returns a validated configuration with one static token.
func testConfig(t *testing.T, edit func(*config.Config)) *config.Config {
	t.Helper()
	cfg := &config.Config{}
	cfg.Auth.StaticTokens = []config.StaticToken{
		{Token: "token-alice-0123456789", User: "alice@example.gouv.fr"},
		{Token: "token-bob-0123456789ab", User: "bob@example.gouv.fr"},
	}
	if edit != nil {
		edit(cfg)
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startServer starts s.Routes on a real listener.
func startServer(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(s.Routes())
	t.Cleanup(hs.Close)
	return hs
}

// do sends a request with an optional bearer token and JSON body.
func do(t *testing.T, method, url, token, body string, hdr ...string) *http.Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// decode reads a JSON body into a map.
func decode(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("decode body (status %d): %v", resp.StatusCode, err)
	}
	return v
}

// wantProblem checks status, content type and code of a problem answer.
func wantProblem(t *testing.T, resp *http.Response, status int, code string) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want application/problem+json", ct)
	}
	p := decode(t, resp)
	if p["code"] != code {
		t.Fatalf("code = %v, want %s (problem %v)", p["code"], code, p)
	}
	msg, _ := p["message"].(map[string]any)
	if msg["fr"] == "" || msg["en"] == "" || msg["fr"] == nil {
		t.Fatalf("problem without bilingual message: %v", p)
	}
	return p
}

// newTestAuditor writes audit lines to w with a fixed salt.
func newTestAuditor(w io.Writer) *privacy.Auditor {
	return privacy.NewAuditor(w, []byte("test-salt"))
}
