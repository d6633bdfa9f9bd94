package addin

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"
)

func newAuthServer(t *testing.T, ti *testIssuer, edit func(*config.IssuerConfig)) *Server {
	t.Helper()
	ic := ti.config()
	if edit != nil {
		edit(&ic)
	}
	cfg := testConfig(t, func(c *config.Config) { c.Auth.Issuers = []config.IssuerConfig{ic} })
	s, err := New(Options{Config: cfg, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var authRejectTests = []struct {
	name  string
	token func(ti *testIssuer) string
}{
	{"missing", func(ti *testIssuer) string { return "" }},
	{"garbage", func(ti *testIssuer) string { return "not-a-token" }},
	{"expired", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow.Add(-2*time.Hour))
		return ti.sign(c, nil)
	}},
	{"not yet valid", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow)
		c["nbf"] = testNow.Add(10 * time.Minute).Unix()
		return ti.sign(c, nil)
	}},
	{"wrong audience", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow)
		c["aud"] = "api://other"
		return ti.sign(c, nil)
	}},
	{"wrong issuer", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow)
		c["iss"] = "https://evil.example"
		return ti.sign(c, nil)
	}},
	{"bad signature", func(ti *testIssuer) string {
		other, _ := rsa.GenerateKey(rand.Reader, 2048)
		return ti.sign(ti.claims("alice", testNow), other)
	}},
	{"alg none", func(ti *testIssuer) string { return unsigned(ti.claims("alice", testNow)) }},
	{"no exp", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow)
		delete(c, "exp")
		return ti.sign(c, nil)
	}},
	{"no user claim", func(ti *testIssuer) string {
		c := ti.claims("alice", testNow)
		delete(c, "preferred_username")
		return ti.sign(c, nil)
	}},
}

func TestAuthRejects(t *testing.T) {
	ti := newTestIssuer(t, false)
	hs := startServer(t, newAuthServer(t, ti, nil))
	for _, tt := range authRejectTests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, "GET", hs.URL+"/api/v1/me", tt.token(ti), "")
			wantProblem(t, resp, http.StatusUnauthorized, "unauthorized")
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
}

func TestAuthAcceptsValidToken(t *testing.T) {
	ti := newTestIssuer(t, false)
	hs := startServer(t, newAuthServer(t, ti, nil))
	resp := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(ti.claims("alice@example.gouv.fr", testNow), nil), "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if me := decode(t, resp); me["user"] != "alice@example.gouv.fr" || me["demo"] != false {
		t.Fatalf("me = %v", me)
	}
}

func TestAuthStaticToken(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	resp := do(t, "GET", hs.URL+"/api/v1/me", "token-bob-0123456789ab", "")
	if me := decode(t, resp); me["user"] != "bob@example.gouv.fr" {
		t.Fatalf("me = %v", me)
	}
	wantProblem(t, do(t, "GET", hs.URL+"/api/v1/me", "token-bob-0123456789aX", ""), 401, "unauthorized")
}

func TestAuthEntraMultiTenant(t *testing.T) {
	ti := newTestIssuer(t, true)
	tests := []struct {
		name    string
		tenants []string
		iss     string
		tid     string
		want    int
	}{
		{"any tenant, said explicitly", []string{"*"}, "tenant-a", "tenant-a", 200},
		{"allowed tenant", []string{"tenant-a"}, "tenant-a", "tenant-a", 200},
		{"tenant not allowed", []string{"tenant-b"}, "tenant-a", "tenant-a", 401},
		{"iss and tid disagree", []string{"*"}, "tenant-b", "tenant-a", 401},
		{"no tid", []string{"*"}, "tenant-a", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := startServer(t, newAuthServer(t, ti, func(ic *config.IssuerConfig) { ic.Tenants = tt.tenants }))
			c := ti.claims("alice@example.gouv.fr", testNow)
			c["iss"] = ti.srv.URL + "/" + tt.iss + "/v2.0"
			if tt.tid != "" {
				c["tid"] = tt.tid
			}
			resp := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(c, nil), "")
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestDemoLoopbackOnly(t *testing.T) {
	cfg := testConfig(t, func(c *config.Config) { c.Auth.Demo = true; c.Auth.StaticTokens = nil })
	s, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	me := decode(t, do(t, "GET", hs.URL+"/api/v1/me", "", ""))
	if me["user"] != "agent" || me["demo"] != true {
		t.Fatalf("me = %v", me)
	}
	// A rebinding attack reaches the loopback listener with a foreign Host.
	req, _ := http.NewRequest("GET", hs.URL+"/api/v1/me", nil)
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wantProblem(t, resp, http.StatusForbidden, "forbidden")
}

func TestIsLoopbackRequest(t *testing.T) {
	tests := []struct {
		remote, host string
		want         bool
	}{
		{"127.0.0.1:5000", "127.0.0.1:8080", true},
		{"[::1]:5000", "localhost:8080", true},
		{"[::1]:5000", "[::1]:8080", true},
		{"10.0.0.2:5000", "127.0.0.1:8080", false},
		{"127.0.0.1:5000", "plume.example:8080", false},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote, Host: tt.host}
		if got := isLoopbackRequest(r); got != tt.want {
			t.Errorf("isLoopbackRequest(%s, %s) = %v", tt.remote, tt.host, got)
		}
	}
}

// FuzzBearer: no Authorization header authenticates without a key, and none panics.
func FuzzBearer(f *testing.F) {
	f.Add("Bearer " + unsigned(map[string]any{"iss": "https://idp.example", "aud": "api://plume", "exp": 9999999999, "preferred_username": "x"}))
	f.Add("Bearer a.b.c")
	f.Add("Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.")
	f.Add("bearer ")
	cfg := &config.Config{}
	cfg.Auth.Issuers = []config.IssuerConfig{{Issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", Audiences: []string{"api://plume"}, Discovery: "http://127.0.0.1:1"}}
	cfg.Defaults()
	a := newAuthenticator(cfg.Auth, func() time.Time { return testNow }, nil)
	f.Fuzz(func(t *testing.T, header string) {
		r, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/me", nil)
		r.Header.Set("Authorization", header)
		if id, err := a.authenticate(r); err == nil {
			t.Fatalf("authenticated %+v from %q", id, header)
		}
	})
}

// TestAuthKeysCachedAndRotated: the JWKS is fetched once for many tokens,
// and fetched again when the IdP signs with a new key.
func TestAuthKeysCachedAndRotated(t *testing.T) {
	ti := newTestIssuer(t, false)
	hs := startServer(t, newAuthServer(t, ti, nil))
	for i := 0; i < 3; i++ {
		if r := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(ti.claims("alice@example.gouv.fr", testNow), nil), ""); r.StatusCode != 200 {
			t.Fatalf("status %d", r.StatusCode)
		}
	}
	if n := ti.fetches(); n != 1 {
		t.Fatalf("JWKS fetched %d times for 3 tokens, want 1", n)
	}
	ti.rotate()
	if r := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(ti.claims("alice@example.gouv.fr", testNow), nil), ""); r.StatusCode != 200 {
		t.Fatalf("token signed with the rotated key: status %d", r.StatusCode)
	}
	if n := ti.fetches(); n != 2 {
		t.Fatalf("JWKS fetched %d times after rotation, want 2", n)
	}
}

// TestAuthForgedKeyIDsFetchOnce: forged tokens naming ever new key ids do
// not each make Plume fetch the issuer's key set.
func TestAuthForgedKeyIDsFetchOnce(t *testing.T) {
	ti := newTestIssuer(t, false)
	hs := startServer(t, newAuthServer(t, ti, nil))
	if r := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(ti.claims("alice@example.gouv.fr", testNow), nil), ""); r.StatusCode != 200 {
		t.Fatalf("status %d", r.StatusCode)
	}
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		ti.mu.Lock()
		ti.kid = fmt.Sprintf("forged-%d", i)
		ti.mu.Unlock()
		if r := do(t, "GET", hs.URL+"/api/v1/me", ti.sign(ti.claims("alice@example.gouv.fr", testNow), forger), ""); r.StatusCode != 401 {
			t.Fatalf("forged token %d: status %d", i, r.StatusCode)
		}
	}
	// the first load, then one refetch for the first unknown key id
	if n := ti.fetches(); n > 2 {
		t.Fatalf("JWKS fetched %d times for 20 forged key ids", n)
	}
}

// TestAuthTwoIssuersSameUserName: two issuers (or a static token beside an
// issuer) can mint the same user name; they are two principals, and
// nothing kept per caller (pooled mailbox connections, rate limits) is
// shared between them.
func TestAuthTwoIssuersSameUserName(t *testing.T) {
	ti1, ti2 := newTestIssuer(t, false), newTestIssuer(t, false)
	cfg := testConfig(t, func(c *config.Config) {
		c.Auth.Issuers = []config.IssuerConfig{ti1.config(), ti2.config()}
		c.Auth.StaticTokens = []config.StaticToken{{Token: "static-token-0123456789", User: "alice@example.gouv.fr"}}
	})
	a := newAuthenticator(cfg.Auth, func() time.Time { return testNow }, nil)
	var ids []Identity
	for _, tok := range []string{
		ti1.sign(ti1.claims("alice@example.gouv.fr", testNow), nil),
		ti2.sign(ti2.claims("alice@example.gouv.fr", testNow), nil),
		"static-token-0123456789",
	} {
		r, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/me", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		id, err := a.authenticate(r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[i].User != ids[j].User {
				t.Fatalf("user names differ: %q %q", ids[i].User, ids[j].User)
			}
			if ids[i].Key() == ids[j].Key() || ids[i].ID == ids[j].ID {
				t.Errorf("principals %d and %d share the key %q", i, j, ids[i].Key())
			}
		}
	}
}

// TestAuthFailuresPerAddress: an address that keeps failing is answered
// 429 before its token is verified; other clients behind a trusted proxy
// are not.
func TestAuthFailuresPerAddress(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, func(c *config.Config) {
		c.Limits.AuthFailuresPerMinute = 3
		c.Server.TrustedProxies = []string{"127.0.0.0/8"}
	})})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	from := func(client string) []string { return []string{"X-Forwarded-For", client} }
	for range 3 {
		wantProblem(t, do(t, "GET", hs.URL+"/api/v1/me", "forged-token-0123456789", "", from("203.0.113.7")...), http.StatusUnauthorized, "unauthorized")
	}
	r := do(t, "GET", hs.URL+"/api/v1/me", "token-alice-0123456789", "", from("203.0.113.7")...)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	wantProblem(t, r, http.StatusTooManyRequests, "rate_limited")
	if r := do(t, "GET", hs.URL+"/api/v1/me", "token-alice-0123456789", "", from("198.51.100.9")...); r.StatusCode != http.StatusOK {
		t.Fatalf("another client behind the proxy: %d", r.StatusCode)
	}
}
