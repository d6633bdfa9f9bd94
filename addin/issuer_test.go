package addin

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/go-jose/go-jose/v4"
)

// testIssuer is a local OIDC issuer: its own RSA key, discovery and JWKS
// served over real HTTP. With tenants, it imitates Entra ID's multi-tenant
// discovery at /organizations/v2.0 announcing the {tenantid} template.
type testIssuer struct {
	mu     sync.Mutex
	jwks   int // JWKS fetches
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	kid    string
	issuer string // exact issuer, or the template for multi-tenant
}

func newTestIssuer(t *testing.T, multiTenant bool) *testIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ti := &testIssuer{t: t, key: key, kid: "k1"}
	mux := http.NewServeMux()
	ti.srv = httptest.NewServer(mux)
	t.Cleanup(ti.srv.Close)
	base := ti.srv.URL
	if multiTenant {
		ti.issuer = base + "/{tenantid}/v2.0"
		base += "/organizations/v2.0"
	} else {
		ti.issuer = base
	}
	mux.HandleFunc(strings.TrimPrefix(base, ti.srv.URL)+"/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                ti.issuer,
			"jwks_uri":                              ti.srv.URL + "/keys",
			"authorization_endpoint":                ti.srv.URL + "/authorize",
			"token_endpoint":                        ti.srv.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		ti.mu.Lock()
		defer ti.mu.Unlock()
		ti.jwks++
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: &ti.key.PublicKey, KeyID: ti.kid, Algorithm: "RS256", Use: "sig",
		}}})
	})
	return ti
}

// rotate replaces the signing key and its kid, as an IdP does.
func (ti *testIssuer) rotate() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		ti.t.Fatal(err)
	}
	ti.mu.Lock()
	defer ti.mu.Unlock()
	ti.key, ti.kid = key, ti.kid+"x"
}

// fetches returns how many times the JWKS was read.
func (ti *testIssuer) fetches() int {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	return ti.jwks
}

// config returns the issuer configuration accepting audience "api://plume".
func (ti *testIssuer) config() config.IssuerConfig {
	ic := config.IssuerConfig{Issuer: ti.issuer, Audiences: []string{"api://plume"}}
	if strings.Contains(ti.issuer, config.TenantPlaceholder) {
		ic.Discovery = ti.srv.URL + "/organizations/v2.0"
	}
	return ic
}

// sign returns a compact JWT of claims signed with key (nil: the issuer's key).
func (ti *testIssuer) sign(claims map[string]any, key *rsa.PrivateKey) string {
	ti.t.Helper()
	ti.mu.Lock()
	if key == nil {
		key = ti.key
	}
	kid := ti.kid
	ti.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		ti.t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		ti.t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		ti.t.Fatal(err)
	}
	return s
}

// claims returns valid claims for user at now.
func (ti *testIssuer) claims(user string, now time.Time) map[string]any {
	return map[string]any{
		"iss": ti.issuer, "aud": "api://plume", "sub": "s-" + user,
		"preferred_username": user, "email": user,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// unsigned returns an "alg: none" token of claims.
func unsigned(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	p, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(p) + "."
}
