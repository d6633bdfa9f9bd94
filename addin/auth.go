package addin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/plume-admin/plume/mail"
)

// Authentication errors; the client only ever sees "unauthorized".
var (
	ErrNoToken        = errors.New("addin: no bearer token")
	ErrUnknownIssuer  = errors.New("addin: token issuer not configured")
	ErrBadToken       = errors.New("addin: token rejected")
	ErrNotLoopback    = errors.New("addin: demo mode accepts loopback requests only")
	ErrDiscoveryRetry = errors.New("addin: OIDC discovery failed recently; retrying later")
)

// ctxKey is the type of this package's context keys.
type ctxKey struct{ name string }

var callerKey = &ctxKey{"caller"}

// Identity is the verified caller of a request.
type Identity struct {
	mail.Caller
	// Demo is true for the demo user of plume demo.
	Demo bool
	// Issuer is the token issuer, "static" or "demo".
	Issuer string
}

// IdentityFrom returns the verified caller stored by the auth middleware.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(callerKey).(Identity)
	return id, ok
}

// authenticator verifies bearer tokens.
type authenticator struct {
	cfg     config.AuthConfig
	issuers []*issuerVerifier
	static  map[[32]byte]config.StaticToken
	now     func() time.Time
	client  *http.Client
}

// issuerVerifier verifies tokens of one issuer; discovery happens lazily
// and is retried at most every retryEvery after a failure.
type issuerVerifier struct {
	cfg      config.IssuerConfig
	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier
	failedAt time.Time
}

const retryEvery = 10 * time.Second

func newAuthenticator(cfg config.AuthConfig, now func() time.Time, client *http.Client) *authenticator {
	a := &authenticator{cfg: cfg, now: now, client: client, static: map[[32]byte]config.StaticToken{}}
	for _, is := range cfg.Issuers {
		a.issuers = append(a.issuers, &issuerVerifier{cfg: is})
	}
	for _, st := range cfg.StaticTokens {
		a.static[sha256.Sum256([]byte(st.Token))] = st
	}
	return a
}

func (a *authenticator) authenticate(r *http.Request) (Identity, error) {
	if a.cfg.Demo {
		if !isLoopbackRequest(r) {
			return Identity{}, ErrNotLoopback
		}
		return Identity{Caller: mail.Caller{ID: "demo|" + a.cfg.DemoUser, User: a.cfg.DemoUser, Email: a.cfg.DemoEmail}, Demo: true, Issuer: "demo"}, nil
	}
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Identity{}, ErrNoToken
	}
	token = strings.TrimSpace(token)
	if len(token) > 16<<10 {
		return Identity{}, fmt.Errorf("%w: token too long", ErrBadToken)
	}
	if st, ok := a.staticToken(token); ok {
		email := st.Email
		if email == "" && strings.Contains(st.User, "@") {
			email = st.User
		}
		return Identity{Caller: mail.Caller{ID: "static|" + st.User, User: st.User, Email: email, Token: token}, Issuer: "static"}, nil
	}
	if strings.Count(token, ".") != 2 {
		return Identity{}, fmt.Errorf("%w: not a JWT", ErrBadToken)
	}
	return a.verifyJWT(r.Context(), token)
}

// staticToken compares in constant time over the configured tokens.
func (a *authenticator) staticToken(token string) (config.StaticToken, bool) {
	sum := sha256.Sum256([]byte(token))
	var found config.StaticToken
	ok := false
	for k, st := range a.static {
		if subtle.ConstantTimeCompare(k[:], sum[:]) == 1 {
			found, ok = st, true
		}
	}
	return found, ok
}

// unverifiedIssuer reads "iss" and "tid" to choose the issuer; nothing is
// trusted before the signature is checked.
func unverifiedIssuer(token string) (iss, tid string, err error) {
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", "", fmt.Errorf("%w: payload encoding: %w", ErrBadToken, err)
	}
	var c struct {
		Iss string `json:"iss"`
		Tid string `json:"tid"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", "", fmt.Errorf("%w: payload: %w", ErrBadToken, err)
	}
	return c.Iss, c.Tid, nil
}

func (a *authenticator) verifyJWT(ctx context.Context, token string) (Identity, error) {
	iss, tid, err := unverifiedIssuer(token)
	if err != nil {
		return Identity{}, err
	}
	var iv *issuerVerifier
	for _, cand := range a.issuers {
		if cand.cfg.Issuer == iss || (config.IsTemplateIssuer(cand.cfg.Issuer) && tid != "" &&
			strings.Replace(cand.cfg.Issuer, config.TenantPlaceholder, tid, 1) == iss) {
			iv = cand
			break
		}
	}
	if iv == nil {
		return Identity{}, ErrUnknownIssuer
	}
	v, err := iv.get(ctx, a)
	if err != nil {
		return Identity{}, err
	}
	t, err := v.Verify(ctx, token)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	var claims map[string]any
	if err := t.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrBadToken, err)
	}
	if config.IsTemplateIssuer(iv.cfg.Issuer) {
		// Multi-tenant: the signature was checked with the common keys; the
		// issuer must be the template filled with the token's own tenant.
		ctid, _ := claims["tid"].(string)
		if ctid == "" || strings.Replace(iv.cfg.Issuer, config.TenantPlaceholder, ctid, 1) != t.Issuer {
			return Identity{}, fmt.Errorf("%w: issuer %q does not match tenant", ErrBadToken, t.Issuer)
		}
		if !slices.Contains(iv.cfg.Tenants, "*") && !slices.Contains(iv.cfg.Tenants, ctid) {
			return Identity{}, fmt.Errorf("%w: tenant %q not allowed", ErrBadToken, ctid)
		}
	}
	audOK := false
	for _, aud := range t.Audience {
		if slices.Contains(iv.cfg.Audiences, aud) {
			audOK = true
		}
	}
	if !audOK {
		return Identity{}, fmt.Errorf("%w: audience %q not accepted", ErrBadToken, t.Audience)
	}
	now := a.now()
	if nbf, ok := claims["nbf"].(float64); ok && now.Add(a.cfg.Leeway).Before(time.Unix(int64(nbf), 0)) {
		return Identity{}, fmt.Errorf("%w: not valid before %v", ErrBadToken, time.Unix(int64(nbf), 0))
	}
	if _, ok := claims["exp"].(float64); !ok {
		return Identity{}, fmt.Errorf("%w: no exp claim", ErrBadToken)
	}
	user, _ := claims[iv.cfg.UserClaim].(string)
	if user == "" {
		return Identity{}, fmt.Errorf("%w: claim %q missing", ErrBadToken, iv.cfg.UserClaim)
	}
	email, _ := claims[iv.cfg.EmailClaim].(string)
	if email == "" && strings.Contains(user, "@") {
		email = user
	}
	// The principal is the issuer and its stable subject (Entra's oid,
	// which stays when a user is renamed; sub otherwise), never the
	// configurable user claim, which two issuers may both produce.
	subject, _ := claims["oid"].(string)
	if subject == "" {
		subject = t.Subject
	}
	if subject == "" {
		return Identity{}, fmt.Errorf("%w: no sub claim", ErrBadToken)
	}
	return Identity{Caller: mail.Caller{ID: t.Issuer + "|" + subject, User: user, Email: email, Token: token}, Issuer: t.Issuer}, nil
}

// get returns the verifier, running discovery on first use.
func (iv *issuerVerifier) get(ctx context.Context, a *authenticator) (*oidc.IDTokenVerifier, error) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if iv.verifier != nil {
		return iv.verifier, nil
	}
	if !iv.failedAt.IsZero() && a.now().Sub(iv.failedAt) < retryEvery {
		return nil, ErrDiscoveryRetry
	}
	dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if a.client != nil {
		dctx = oidc.ClientContext(dctx, a.client)
	}
	if iv.cfg.Discovery != iv.cfg.Issuer {
		// The discovery document announces the issuer template (Entra ID
		// multi-tenant) or a different URL; the issuer is checked above.
		dctx = oidc.InsecureIssuerURLContext(dctx, iv.cfg.Issuer)
	}
	p, err := oidc.NewProvider(dctx, iv.cfg.Discovery)
	if err != nil {
		iv.failedAt = a.now()
		return nil, fmt.Errorf("addin: OIDC discovery of %s: %w", iv.cfg.Discovery, err)
	}
	var meta struct {
		JWKSURL string `json:"jwks_uri"`
	}
	if err := p.Claims(&meta); err != nil || meta.JWKSURL == "" {
		iv.failedAt = a.now()
		return nil, fmt.Errorf("addin: OIDC discovery of %s: no jwks_uri", iv.cfg.Discovery)
	}
	kctx := context.Background()
	if a.client != nil {
		kctx = oidc.ClientContext(kctx, a.client)
	}
	keys := newLimitedKeySet(oidc.NewRemoteKeySet(kctx, meta.JWKSURL), a.now)
	iv.verifier = oidc.NewVerifier(iv.cfg.Issuer, keys, &oidc.Config{
		SkipClientIDCheck:    true, // audiences are checked against the configured list
		SkipIssuerCheck:      config.IsTemplateIssuer(iv.cfg.Issuer),
		SupportedSigningAlgs: iv.cfg.Algorithms,
		Now:                  a.now,
	})
	return iv.verifier, nil
}

// isLoopbackRequest is true when both the peer and the Host header are
// loopback, which also defeats DNS rebinding against the demo.
func isLoopbackRequest(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	return isLoopbackHost(r.Host)
}

// isLoopbackHost reports whether a Host header names the local machine.
func isLoopbackHost(hostport string) bool {
	h := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
